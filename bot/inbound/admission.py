"""Admission: what becomes of one resident message before any conversation turn, the same for every channel.

The rules, in this order (the first that applies decides):

1. **Danger** (``bot.danger.detect``, every supported language), on every text a resident sends: an SMS body, a
   Telegram message, its photo caption or an edited message, a REST message. A danger message is always
   accepted for a turn, whatever the state: rate limited, opted out, with STOP in the same message. When the
   assistant's own answer would not reach the person (opted out, or STOP in this message), the emergency texts
   are said at once, in the resident's language, forced past the opt-out (a safety answer, not a campaign
   message). A STOP in the same message is applied only after the
   message is journaled (:meth:`Admission.settle`).
2. **STOP / START** by SMS (carrier rules), before the rate limit: an opt-out or opt-in is never dropped.
3. **Rate limit**: one polite notice, then silence (SMS and Telegram; REST clients hold a token). AIDE and the
   Telegram commands ``/aide``, ``/help``, ``/start`` come after it (each AIDE answer passes the daily cap).
4. **Opt-out**: an opted-out sender's message is kept for the transcript only (no turn, no answer), except
   privacy requests (EFFACER, MES DONNEES), which are answered.
5. **Language** (issue 23): the LANGUE command, its menu and FRANCAIS are answered here; every other message
   gets the language to answer in (``bot.language.routing.resolve`` over the sender's stored preference),
   carried to the turn in its metadata (``language``). A danger message gets it too, and the emergency texts
   said here (opted out, STOP, Redis down) are in that language.
6. **Notices**: media, empty, too long, edited (Telegram).

Nothing here sends or journals (only STOP, START and the rate count are recorded): :meth:`Admission.check`
returns a decision (``Accept``, ``Notify`` or ``Drop``) that the connector applies: replies first (in order, in
one task), then the journal, then :meth:`Admission.settle`. While Redis is down no rule can run:
:func:`emergency_answer` gives the static emergency texts (held in memory) for the connector's own reply.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Literal

from bot import notices
from bot.danger import KINDS, DangerMatch, detect
from bot.danger_texts import danger_texts
from bot.language.codes import PRIOR, Language
from bot.language.detect import detect as detect_language
from bot.language.model import default_model
from bot.language.routing import Routing, resolve
from bot.language.store import LanguageStore
from bot.language.texts import localize
from bot.notices import MEDIA, SMS_RESTARTED, SMS_STOP_HINT, SMS_STOPPED
from bot.optout import OptOutStore, classify_keyword
from bot.ratelimit import InboundRateLimiter
from bot.whatsapp import messages as whatsapp_messages

MAX_TEXT_CHARS = 1600
Keyword = Literal["stop", "suggest_stop", "start", "help"]
PrivacyExempt = Callable[[str, str], Awaitable[bool]]


@dataclass(frozen=True)
class Reply:
    """One text for the resident; ``force`` passes the opt-out and the daily cap (safety and keyword answers)."""

    text: str
    force: bool = False


@dataclass(frozen=True)
class Rules:
    """What differs between channels (the order of the rules never does)."""

    name: str
    sms_keywords: bool  # STOP / START / AIDE words (an SMS number must honour them)
    telegram_commands: bool  # /start, /aide, /help (a Telegram user blocks the bot to stop it)
    rate_limit: bool
    notices: bool  # empty / too long / media / edited are told; REST validates in the connector instead
    read_captions: bool = True  # the text sent with a photo is processed (else only the media notice)
    notice_empty: bool = True  # an empty message is told so (else dropped silently)
    stopped: str = SMS_STOPPED  # the keyword answers, in the channel's words
    restarted: str = SMS_RESTARTED
    stop_hint: str = SMS_STOP_HINT
    media: str = MEDIA
    record_media: bool = False  # a file sent without text is kept in the transcript (``Inbound.media_note``)


SMS = Rules("sms", sms_keywords=True, telegram_commands=False, rate_limit=True, notices=True)
TELEGRAM = Rules(
    "telegram",
    sms_keywords=False,
    telegram_commands=True,
    rate_limit=True,
    notices=True,
    read_captions=False,  # a Telegram caption is not read
    notice_empty=False,  # Telegram sends no empty message: an update without text is another kind
)
REST = Rules("rest", sms_keywords=False, telegram_commands=False, rate_limit=False, notices=False)
# WhatsApp (channels/whatsapp.py): STOP / ARRET / START / AIDE as by SMS (WhatsApp asks every opt-out request
# to be honoured), in WhatsApp's words; a file sent is noted in the transcript so that a mediator sees it.
WHATSAPP = Rules(
    "whatsapp",
    sms_keywords=True,
    telegram_commands=False,
    rate_limit=True,
    notices=True,
    stopped=whatsapp_messages.STOPPED,
    restarted=whatsapp_messages.RESTARTED,
    stop_hint=whatsapp_messages.STOP_HINT,
    media=whatsapp_messages.MEDIA,
    record_media=True,
)
TELEGRAM_START_TEXT = "bonjour"


@dataclass(frozen=True)
class Inbound:
    """One message as the connector parsed it."""

    sender_id: str
    text: str | None  # SMS body, Telegram text or caption, REST message
    has_media: bool = False
    edited: bool = False  # Telegram: an edited message
    media_note: str = ""  # what the transcript shows of the files sent (``Rules.record_media``)


@dataclass(frozen=True)
class Accept:
    """Journal ``text`` for a turn (after sending ``replies``)."""

    text: str
    replies: tuple[Reply, ...] = ()
    danger: str = ""  # the danger kind found, if any
    danger_answered: bool = False  # the emergency texts are in ``replies``: the turn must not say them again
    record_only: bool = False  # opted out: kept in the transcript, no turn, no answer
    stop_after: bool = False  # STOP in a danger message: applied by ``settle`` once the message is journaled
    language: str = ""  # the language to answer in (empty: unknown, the conversation keeps its own)
    media_note: str = ""  # files sent with the text, for the transcript (``Rules.record_media``)

    def metadata(self) -> dict[str, object]:
        """What the turn needs to know, carried in the journal entry's metadata."""
        meta: dict[str, object] = {}
        if self.language:
            meta["language"] = self.language
        if self.danger:
            meta["danger"] = self.danger
        if self.danger_answered:
            meta["danger_answered"] = True
        if self.record_only:
            meta["record_only"] = True
        if self.media_note:
            meta["media_note"] = self.media_note
        return meta


@dataclass(frozen=True)
class Notify:
    """Only answer (nothing for a turn)."""

    replies: tuple[Reply, ...]
    discard_pending: bool = False  # STOP: the burst waiting in the journal is dropped too
    reason: str = ""


@dataclass(frozen=True)
class Drop:
    """Nothing sent, nothing journaled."""

    reason: str
    replies: tuple[Reply, ...] = field(default=())


Decision = Accept | Notify | Drop


def emergency_texts(kind: str, language: str = PRIOR.value) -> tuple[str, ...]:
    """The emergency texts for a danger kind in a language (domain/danger.yml, read once and kept in memory)."""
    return tuple(danger_texts(kind, language=language))


def warm_emergency_texts() -> None:
    """Load every kind's texts and train the language detector now (at channel start), so that no later answer
    depends on a read or waits for the detector's first training."""
    for kind in KINDS:
        for language in Language:
            emergency_texts(kind, language.value)
    default_model()


def danger_language(text: str, match: DangerMatch, routed: Language = PRIOR, chosen: bool = False) -> str:
    """The language of the emergency texts: the resident's choice, else the language the message is in (the
    detector, else the language of the danger phrase that matched: "my husband hits me" is English even when too
    short for the detector)."""
    if chosen or routed != PRIOR:
        return routed.value
    detected = detect_language(text)
    return detected.language.value if detected.language != PRIOR else match.language


def in_message_language(french: str, text: str | None) -> str:
    """A notice in the language the message is written in (Redis down: no stored choice to read)."""
    return localize(french, detect_language(text or "").language.value)


def emergency_answer(text: str | None) -> tuple[str, ...]:
    """The emergency texts for a danger message, without Redis or Rasa (Redis down), in the message's language;
    empty when no danger."""
    match = detect(text)
    return emergency_texts(match.kind, danger_language(text or "", match)) if match is not None else ()


def user_text(raw: str) -> str:
    """User text safe for Rasa: trimmed, and no leading ``/`` (Rasa would read it as an intent)."""
    return raw.strip().lstrip("/").strip()


class Admission:
    """The admission rules of one channel, on its Redis-backed opt-out store and rate limiter."""

    def __init__(
        self,
        rules: Rules,
        optout: OptOutStore,
        limiter: InboundRateLimiter | None,
        privacy_exempt: PrivacyExempt,
        help_text: str = "",
        languages: LanguageStore | None = None,
    ) -> None:
        self.rules = rules
        self.optout = optout
        self.limiter = limiter if rules.rate_limit else None
        self.privacy_exempt = privacy_exempt
        self.help_text = help_text
        self.languages = languages

    def keyword(self, text: str) -> Keyword | None:
        """STOP / START / AIDE by SMS; /start and /aide on Telegram (never STOP: the person blocks the bot)."""
        if self.rules.sms_keywords:
            return classify_keyword(text)
        if self.rules.telegram_commands:
            command = text.strip().split("@", 1)[0].lower()
            if command in ("/aide", "/help"):
                return "help"
            if command == "/start":
                return "start"
        return None

    async def check(self, message: Inbound) -> Decision:
        """The decision for one message; applies STOP, START and the rate count (Redis errors propagate)."""
        sender_id, text = message.sender_id, message.text or ""
        match = detect(text)
        if match is not None:
            return await self._danger(sender_id, text, match)
        keyword = self.keyword(text)
        if keyword == "stop":  # before the rate limit: an opt-out is never dropped
            already = await self.optout.is_opted_out(sender_id)
            await self.optout.opt_out(sender_id)
            stopped = localize(self.rules.stopped, await self._stored_language(sender_id))
            replies = () if already else (Reply(stopped, force=True),)  # confirmed once
            return Notify(replies, discard_pending=True, reason="stop")
        if keyword == "start" and self.rules.sms_keywords:  # nor is an opt-in
            await self.optout.opt_in(sender_id)
            restarted = localize(self.rules.restarted, await self._stored_language(sender_id))
            return Notify((Reply(restarted, force=True),), reason="start")
        limited = await self._rate_limited(sender_id)
        if limited is not None:
            return limited
        if keyword == "help":  # after the limit: each answer is forced past the daily cap
            return Notify((Reply(self.help_text, force=self.rules.sms_keywords),), reason="help")
        if keyword == "start":  # Telegram /start: a greeting for the assistant
            return Accept(TELEGRAM_START_TEXT)
        opted_out = await self.optout.is_opted_out(sender_id)
        if keyword == "suggest_stop" and not opted_out:  # a refusal in words never opts out: it shows how
            hint = localize(self.rules.stop_hint, await self._stored_language(sender_id))
            return Notify((Reply(hint),), reason="stop hint")
        if opted_out:
            if await self.privacy_exempt(sender_id, text):
                return Accept(user_text(text))
            return Accept(user_text(text), record_only=True) if user_text(text) else Drop("opted out, empty")
        routing = await self.route(sender_id, text)
        if routing is not None and routing.reply is not None:  # LANGUE, its menu, a choice, FRANCAIS: no turn
            return Notify((Reply(routing.reply),), reason="language")
        return self._content(message, routing.language.value if routing is not None else "")

    async def check_tap(self, sender_id: str) -> Decision:
        """A Telegram button tap (no text): only the rate limit applies."""
        return await self._rate_limited(sender_id) or Accept("")

    async def settle(self, sender_id: str, decision: Decision) -> None:
        """After the connector journaled the message: a STOP sent with a danger message applies now."""
        if isinstance(decision, Accept) and decision.stop_after:
            await self.optout.opt_out(sender_id)

    async def _rate_limited(self, sender_id: str) -> Decision | None:
        if self.limiter is None:
            return None
        verdict = await self.limiter.check(sender_id)
        if verdict == "notice":
            limited = localize(notices.RATE_LIMITED, await self._stored_language(sender_id))
            return Notify((Reply(limited),), reason="rate limited")
        if verdict == "silent":
            return Drop("rate limited")
        return None

    async def _stored_language(self, sender_id: str) -> str:
        """The language kept for the sender (chosen or detected earlier), French when none."""
        stored = await self.languages.get(sender_id) if self.languages is not None else None
        return stored.language.value if stored is not None else PRIOR.value

    async def route(self, sender_id: str, text: str) -> Routing | None:
        """The language of the answer to ``text``; what the routing decided to remember is stored now. None
        without a language store (languages not tracked: the conversation keeps its own)."""
        if self.languages is None:
            return None
        stored = await self.languages.get(sender_id)
        routing = resolve(text, stored)
        if routing.preference is None:
            if stored is not None:
                await self.languages.forget(sender_id)
        elif routing.preference != stored:
            await self.languages.save(sender_id, routing.preference)
        else:
            await self.languages.touch(sender_id)
        return routing

    async def _danger(self, sender_id: str, text: str, match: DangerMatch) -> Accept:
        kind = match.kind
        routing = await self.route(sender_id, text)
        if routing is None:
            language = danger_language(text, match)
            language = "" if language == PRIOR.value else language  # not tracked: French stays implicit
        else:
            chosen = routing.preference is not None and routing.preference.source == "choice"
            language = danger_language(text, match, routing.language, chosen)
        stop = self.rules.sms_keywords and classify_keyword(text) == "stop"
        opted_out = await self.optout.is_opted_out(sender_id)
        if not stop and not opted_out:  # the turn answers (Rasa, or the waiting gate while paused)
            return Accept(user_text(text), danger=kind, language=language)
        # The assistant's answers will not reach an opted-out number: the emergency texts go now, forced.
        replies = tuple(Reply(t, force=True) for t in emergency_texts(kind, language or PRIOR.value))
        if stop and not opted_out:
            replies += (Reply(localize(self.rules.stopped, language), force=True),)
        return Accept(user_text(text), replies, danger=kind, danger_answered=True, stop_after=stop, language=language)

    def _content(self, message: Inbound, language: str = "") -> Decision:
        if not self.rules.notices:
            return Accept(user_text(message.text or ""), language=language)
        if message.edited:
            return Notify((Reply(localize(notices.EDITED, language)),), reason="edited")
        cleaned = user_text(message.text or "")
        media_notice = localize(self.rules.media, language)
        if message.has_media and not cleaned and self.rules.record_media and message.media_note:
            # The assistant cannot read it; the mediators see in the transcript that a file was sent.
            return Accept(message.media_note, (Reply(media_notice),), record_only=True, language=language)
        if message.has_media and (not self.rules.read_captions or not cleaned):
            return Notify((Reply(media_notice),), reason="media")
        if not cleaned:
            empty = Notify((Reply(localize(notices.EMPTY, language)),), reason="empty")
            return empty if self.rules.notice_empty else Drop("empty")
        if len(cleaned) > MAX_TEXT_CHARS:
            return Notify((Reply(localize(notices.TOO_LONG, language)),), reason="too long")
        media = (Reply(media_notice),) if message.has_media else ()
        note = message.media_note if message.has_media and self.rules.record_media else ""
        return Accept(cleaned, media, media_note=note, language=language)
