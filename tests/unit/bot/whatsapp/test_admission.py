"""WhatsApp's row of the admission rules: STOP / START as by SMS in WhatsApp words, files noted for mediators."""

from __future__ import annotations

import redis.asyncio as aioredis

from bot.danger_texts import danger_texts
from bot.inbound.admission import WHATSAPP, Accept, Admission, Inbound, Notify, Reply
from bot.optout import OptOutStore
from bot.ratelimit import InboundRateLimiter
from bot.sms.gsm import is_gsm7
from bot.whatsapp import messages

WA_ID = "wa-33612345678"
PHOTO = messages.media_note(["image/jpeg"])


async def no_privacy(sender_id: str, text: str) -> bool:
    return False


def admission(client: aioredis.Redis) -> Admission:
    optout = OptOutStore(client)
    return Admission(WHATSAPP, optout, InboundRateLimiter(client, 20, 600), no_privacy, messages.help_text("PIMMS"))


async def test_stop_opts_out_in_whatsapp_words_and_start_opts_back_in(client: aioredis.Redis) -> None:
    gate = admission(client)
    assert await gate.check(Inbound(WA_ID, "STOP")) == Notify(
        (Reply(messages.STOPPED, force=True),), discard_pending=True, reason="stop"
    )
    assert await gate.optout.is_opted_out(WA_ID)
    decision = await gate.check(Inbound(WA_ID, "bonjour"))
    assert isinstance(decision, Accept) and decision.record_only  # kept for the transcript, never answered
    assert await gate.check(Inbound(WA_ID, "START")) == Notify((Reply(messages.RESTARTED, force=True),), reason="start")
    assert not await gate.optout.is_opted_out(WA_ID)


async def test_danger_comes_first_even_after_stop(client: aioredis.Redis) -> None:
    gate = admission(client)
    await gate.check(Inbound(WA_ID, "STOP"))
    decision = await gate.check(Inbound(WA_ID, "au secours il va me tuer"))
    assert isinstance(decision, Accept) and decision.danger == "violence" and decision.danger_answered
    assert decision.replies == tuple(Reply(text, force=True) for text in danger_texts("violence"))


async def test_a_file_without_text_is_answered_honestly_and_kept_for_the_mediators(client: aioredis.Redis) -> None:
    decision = await admission(client).check(Inbound(WA_ID, "", has_media=True, media_note=PHOTO))
    assert decision == Accept(PHOTO, (Reply(messages.MEDIA),), record_only=True)


async def test_a_file_with_text_gets_the_text_read_and_the_notice(client: aioredis.Redis) -> None:
    decision = await admission(client).check(Inbound(WA_ID, "rdv caf", has_media=True, media_note=PHOTO))
    assert decision == Accept("rdv caf", (Reply(messages.MEDIA),), media_note=PHOTO)
    assert decision.metadata() == {"media_note": PHOTO}  # the transcript shows the photo, the turn reads the text


def test_the_texts_are_gsm7_and_the_media_note_names_the_files() -> None:
    for text in (messages.STOPPED, messages.RESTARTED, messages.STOP_HINT, messages.MEDIA, messages.help_text("PIMMS")):
        assert is_gsm7(text), text
    assert "médiateur" in messages.MEDIA
    assert messages.media_note(["audio/ogg"]) == (
        "[La personne a envoyé un message vocal par WhatsApp : non lu par l'assistant]"
    )
    assert "une photo et un document (3 fichiers)" in messages.media_note(
        ["image/png", "application/pdf", "image/jpeg"]
    )
