"""The registry of every Redis key this project writes: what it holds, how long it lives, how erasure finds it.

One home for all key patterns. A feature that adds a Redis key adds one line here:

- a key that names a sender: ``KeySpec("pimms:feature:{sender}", Retention.ACTIVITY, "what it holds")``.
  Erasure (``bot.privacy.erase``) deletes it, the export (``bot.privacy.export``) counts it, and the retention
  check (``bot.privacy.retention``) requires a TTL within the configured retention;
- a shared key holding sender ids as members (a queue, an index): add it to ``SENDER_MEMBERS`` too, so
  erasure removes the sender from it;
- a shared key without personal data: ``KeySpec("pimms:feature:config", Retention.KEPT, "why no expiry")``.

The retention stack test scans every key after a day of activity: an unregistered key fails it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum
from fnmatch import fnmatchcase
from typing import Literal

SENDER = "{sender}"


class Retention(str, Enum):
    """How long a kind of key may live."""

    ACTIVITY = "activity"  # RETENTION_DAYS after the sender's last activity
    BOOKING = "booking"  # the appointment (up to the booking horizon) plus BOOKING_RETENTION_DAYS
    SHORT = "short"  # at most SHORT_MAX_SECONDS (technical keys: dedup, rate limits, sessions)
    ACCESS_LOG = "access_log"  # ACCESS_LOG_DAYS
    STATISTICS = "statistics"  # ACTIVITY_RETENTION_DAYS after the month (pseudonymised, no number, no text)
    KEPT = "kept"  # no expiry, on purpose (documented in ``why``)


SHORT_MAX_SECONDS = 7 * 24 * 3600


@dataclass(frozen=True)
class KeySpec:
    """One Redis key pattern (``{sender}`` stands for a sender id, ``*`` for anything)."""

    pattern: str
    retention: Retention
    holds: str
    why: str = ""

    @property
    def per_sender(self) -> bool:
        """Whether the key name contains a sender id (erasure deletes it)."""
        return SENDER in self.pattern

    @property
    def glob(self) -> str:
        """The pattern as a Redis/fnmatch glob matching every sender."""
        return self.pattern.replace(SENDER, "*")

    @property
    def is_glob(self) -> bool:
        """Whether finding the keys takes a SCAN (the pattern has ``*`` besides the sender)."""
        return "*" in self.pattern

    def for_sender(self, sender_id: str) -> str:
        """The key (or glob, when the pattern has ``*``) of one sender, glob characters escaped."""
        if self.is_glob:
            return self.pattern.replace(SENDER, escape_glob(sender_id))
        return self.pattern.replace(SENDER, sender_id)

    def matches(self, key: str) -> bool:
        """Whether a concrete key has this pattern."""
        return fnmatchcase(key, self.glob)


@dataclass(frozen=True)
class MemberSpec:
    """A shared key whose members (or hash fields) are sender ids."""

    key: str
    kind: Literal["set", "zset", "hash"]


TRACKER_KEY = "pimmstracker:tracker:{sender}"
PRIVACY_PREFIX = "pimms:privacy:"

KEYS: tuple[KeySpec, ...] = (
    # Rasa (endpoints.yml key_prefix pimmstracker / pimmslock)
    KeySpec(TRACKER_KEY, Retention.ACTIVITY, "l'historique de la conversation (messages, choix en cours)"),
    KeySpec("pimmslock:lock:{sender}", Retention.SHORT, "un verrou technique le temps d'une réponse"),
    # bookings (bot/booking/store.py)
    KeySpec("pimms:booking:user:{sender}", Retention.BOOKING, "la liste de vos rendez-vous à venir"),
    KeySpec("pimms:booking:ref:*", Retention.BOOKING, "un rendez-vous (lieu, motif, heure, personne)"),
    KeySpec("pimms:booking:day:*", Retention.BOOKING, "l'agenda d'un jour (références de rendez-vous)"),
    KeySpec("pimms:booking:load:*", Retention.BOOKING, "le nombre de guichets occupés par créneau"),
    KeySpec("pimms:booking:reminder:*", Retention.BOOKING, "l'envoi d'un rappel (référence de rendez-vous)"),
    KeySpec(
        "pimms:booking:reminders",
        Retention.KEPT,
        "la file des rappels (identifiants de tâches)",
        "arq queue of job ids; a job id holds a booking reference, never a person; jobs leave it when run",
    ),
    # hand-off and console (bot/handoff/store.py, bot/handoff/watcher.py, bot/console/auth.py)
    KeySpec("pimms:handoff:conv:{sender}", Retention.ACTIVITY, "l'état de la mise en relation avec un médiateur"),
    KeySpec("pimms:handoff:notes:{sender}", Retention.ACTIVITY, "les notes internes des médiateurs"),
    KeySpec("pimms:handoff:seen:{sender}:*", Retention.SHORT, "un compteur de messages lus par les médiateurs"),
    KeySpec("pimms:handoff:resuming:{sender}", Retention.SHORT, "un verrou technique de reprise"),
    KeySpec("pimms:handoff:activity:{sender}", Retention.ACTIVITY, "l'heure du dernier message pendant un échange"),
    KeySpec("pimms:handoff:triage:{sender}", Retention.ACTIVITY, "le résumé de votre demande pour les médiateurs"),
    KeySpec("pimms:handoff:link-of:{sender}", Retention.ACTIVITY, "le lien opaque vers votre conversation"),
    KeySpec("pimms:handoff:link:*", Retention.ACTIVITY, "un lien opaque vers une conversation"),
    KeySpec(
        "pimms:handoff:activity",
        Retention.SHORT,
        "les identifiants des conversations suivies qui viennent de recevoir un message",
        "stream of conversation ids (no text), expires a day after its last entry; erasure deletes a person's entries",
    ),
    KeySpec("pimms:handoff:ack:{sender}", Retention.SHORT, "le moment du dernier message « un médiateur va répondre »"),
    KeySpec(
        "pimms:handoff:queue",
        Retention.KEPT,
        "la file d'attente des médiateurs",
        "shared index; members leave it at every transition, at erasure, and when their record expired",
    ),
    KeySpec(
        "pimms:handoff:held",
        Retention.KEPT,
        "les conversations suivies par un médiateur",
        "shared index; members leave it at every transition, at erasure, and when their record expired",
    ),
    KeySpec("pimms:console:session:*", Retention.SHORT, "la session d'un médiateur connecté"),
    KeySpec("pimms:console:mediators", Retention.KEPT, "les comptes des médiateurs", "staff accounts, not residents"),
    KeySpec("pimms:console:supervisors", Retention.KEPT, "les rôles des médiateurs", "staff roles, not residents"),
    KeySpec(
        "pimms:console:generation:*", Retention.KEPT, "la génération des sessions d'un médiateur", "staff, a counter"
    ),
    KeySpec("pimms:console:throttle:*", Retention.SHORT, "les échecs de connexion récents à la console"),
    KeySpec("pimms:console:ref-key", Retention.KEPT, "la clé des références opaques des conversations", "a random key"),
    # mediators' agenda changes (bot/booking/overrides.py): a day's closure or extra counter, no resident
    KeySpec("pimms:agenda:*", Retention.BOOKING, "une fermeture ou un guichet en plus, pour un jour"),
    KeySpec(
        "pimms:agenda:ics-token:*",
        Retention.KEPT,
        "le lien secret de l'agenda d'un site",
        "configuration: a site's random calendar token, no personal data",
    ),
    # undelivered messages (bot/outbound/dead_letters.py): one shared list; erasure calls DeadLetters.erase
    KeySpec("pimms:outbound:dead", Retention.ACTIVITY, "les messages qui n'ont pas pu vous être remis"),
    # delivery results of mediator messages (bot/outbound/delivery.py)
    KeySpec("pimms:delivery:{sender}", Retention.ACTIVITY, "l'état d'envoi des messages des médiateurs"),
    # pseudonymised activity statistics (bot/activity/log.py): survive erasure, hold no number and no text
    KeySpec("pimms:activity:log:*", Retention.STATISTICS, "des statistiques d'activité (pseudonymes)"),
    KeySpec(
        "pimms:activity:key",
        Retention.KEPT,
        "la clé des pseudonymes des statistiques",
        "configuration: a random key, no personal data",
    ),
    # channels (channels/twilio_sms.py, bot/sms/buttons.py, bot/ratelimit.py, bot/dedup.py, bot/optout.py)
    KeySpec("pimms:sms:buttons:{sender}", Retention.SHORT, "les choix numérotés du dernier SMS"),
    # inbound journal (bot/inbound/journal.py): messages accepted, kept until their turn is processed
    KeySpec("pimms:inbound:q:{sender}", Retention.SHORT, "les messages reçus, le temps de les traiter"),
    KeySpec("pimms:inbound:run:{sender}", Retention.SHORT, "le message en cours de traitement"),
    KeySpec("pimms:inbound:sms:due", Retention.SHORT, "la file des SMS reçus à traiter"),
    KeySpec("pimms:inbound:sms:running", Retention.SHORT, "les SMS en cours de traitement"),
    KeySpec("pimms:inbound:telegram:due", Retention.SHORT, "la file des messages Telegram reçus à traiter"),
    KeySpec("pimms:inbound:telegram:running", Retention.SHORT, "les messages Telegram en cours de traitement"),
    KeySpec("pimms:inbound:alive:*", Retention.SHORT, "le signe de vie d'un processus (sans donnée personnelle)"),
    KeySpec("pimms:rl:in:{sender}", Retention.SHORT, "le nombre de messages reçus (limite anti-abus)"),
    KeySpec("pimms:rl:out:{sender}:*", Retention.SHORT, "le nombre de messages envoyés aujourd'hui"),
    KeySpec("pimms:dedup:*", Retention.SHORT, "l'identifiant d'un message déjà traité (sans numéro)"),
    KeySpec(
        "pimms:optout:{sender}",
        Retention.KEPT,
        "votre demande STOP",
        "kept on purpose, even after erasure: it protects the person from further messages",
    ),
    # privacy (this package)
    KeySpec(PRIVACY_PREFIX + "confirm:{sender}", Retention.SHORT, "une demande d'effacement à confirmer"),
    KeySpec(PRIVACY_PREFIX + "noticed:{sender}", Retention.ACTIVITY, "le fait que l'information a été envoyée"),
    KeySpec(PRIVACY_PREFIX + "access:*", Retention.ACCESS_LOG, "le journal des accès des médiateurs (pseudonymes)"),
    KeySpec(
        PRIVACY_PREFIX + "pseudonym_key",
        Retention.KEPT,
        "la clé des pseudonymes du journal",
        "configuration: a random key, no personal data",
    ),
    # arq internals (the reminder worker)
    KeySpec("arq:job:*", Retention.BOOKING, "une tâche de rappel (référence de rendez-vous)"),
    KeySpec("arq:result:*", Retention.SHORT, "le résultat d'un rappel envoyé"),
    KeySpec("arq:in-progress:*", Retention.SHORT, "un rappel en cours d'envoi"),
    KeySpec("arq:retry:*", Retention.SHORT, "le nombre d'essais d'un rappel"),
    KeySpec("pimms:booking:reminders:health-check", Retention.SHORT, "l'état du processus des rappels"),
)


@dataclass(frozen=True)
class PointerSpec:
    """A per-sender key whose value names another key holding the sender id (``{value}`` in ``target``)."""

    pointer: str
    target: str


# Read before erasure, so that the keys they point to go too (e.g. the opaque link token -> sender id).
SENDER_POINTERS: tuple[PointerSpec, ...] = (
    PointerSpec("pimms:handoff:link-of:{sender}", "pimms:handoff:link:{value}"),
)

SENDER_MEMBERS: tuple[MemberSpec, ...] = (
    MemberSpec("pimms:handoff:queue", "zset"),
    MemberSpec("pimms:handoff:held", "set"),
    MemberSpec("pimms:inbound:sms:due", "zset"),
    MemberSpec("pimms:inbound:sms:running", "set"),
    MemberSpec("pimms:inbound:telegram:due", "zset"),
    MemberSpec("pimms:inbound:telegram:running", "set"),
)

_GLOB_SPECIAL = re.compile(r"([\\*?\[\]])")


def escape_glob(text: str) -> str:
    """Escape Redis glob characters in a sender id (REST sender ids are free text)."""
    return _GLOB_SPECIAL.sub(r"\\\1", text)


def spec_for(key: str) -> KeySpec | None:
    """The registered pattern of a concrete key (per-sender patterns are tried first), or None."""
    ordered = sorted(KEYS, key=lambda s: (not s.per_sender, -len(s.pattern)))
    for spec in ordered:
        if spec.matches(key):
            return spec
    return None


def sender_keys() -> tuple[KeySpec, ...]:
    """Patterns whose key names contain a sender id (erased), except those kept on purpose."""
    return tuple(s for s in KEYS if s.per_sender and s.retention != Retention.KEPT)


def kept_sender_keys() -> tuple[KeySpec, ...]:
    """Patterns naming a sender that erasure keeps (the opt-out)."""
    return tuple(s for s in KEYS if s.per_sender and s.retention == Retention.KEPT)
