"""Right of access: everything held about one sender, as one readable JSON with a French sentence per section."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import redis.asyncio as aioredis

from bot.booking.store import BookingStore
from bot.handoff.models import Handoff
from bot.handoff.store import conv_key, notes_key
from bot.language.store import Preference, language_key
from bot.local_time import local_label
from bot.optout import OptOutStore
from bot.outbound.dead_letters import DeadLetters
from bot.privacy.gate import noticed_key
from bot.privacy.keys import ARCHIVE_KEY, TRACKER_KEY, sender_keys
from bot.reminders.store import ReminderStore
from bot.tracker_history import full_history

_SKIP_SLOTS = {"requested_slot", "session_started_metadata"}


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value


def _iso(timestamp: float | str) -> str:
    """A time as residents read it: ``07/12/2026 14:22:46``, Paris time (never UTC or ISO 8601)."""
    return local_label(timestamp, seconds=True)


def _messages(tracker: dict[str, Any]) -> list[dict[str, str]]:
    lines = []
    for event in tracker.get("events") or []:
        kind, text = event.get("event"), event.get("text")
        if kind not in ("user", "bot") or not text or str(text).startswith("EXTERNAL: "):
            continue
        metadata = event.get("metadata") or {}
        who = "vous" if kind == "user" else ("médiateur" if metadata.get("mediator") else "assistant")
        lines.append({"date": _iso(float(event.get("timestamp") or 0)), "de": who, "texte": str(text)})
    return lines


def _slots(tracker: dict[str, Any]) -> dict[str, Any]:
    slots: dict[str, Any] = {}
    for event in tracker.get("events") or []:
        if event.get("event") == "slot" and event.get("name") not in _SKIP_SLOTS:
            slots[str(event["name"])] = event.get("value")
    return {name: value for name, value in slots.items() if value is not None}


def _section(title: str, sentence: str, content: Any) -> dict[str, Any]:
    return {"rubrique": title, "explication": sentence, "contenu": content}


class Exporter:
    """Reads every registered place that holds something about a sender."""

    def __init__(self, redis: aioredis.Redis, store: BookingStore, retention_days: int) -> None:
        self.redis = redis
        self.store = store
        self.retention_days = retention_days

    async def export(self, sender_id: str, now: datetime) -> dict[str, Any]:
        """The export document (JSON-able)."""
        tracker = await self._history(sender_id)
        messages = _messages(tracker)
        slots = _slots(tracker)
        bookings = [self._booking(b) for b in await self.store.all_for_user(sender_id)]
        handoff_raw = await self.redis.get(conv_key(sender_id))
        handoff = Handoff.from_json(handoff_raw) if handoff_raw else None
        notes = [json.loads(n) for n in await self.redis.lrange(notes_key(sender_id), 0, -1)]
        for note in notes:
            if note.get("at"):
                note["at"] = _iso(note["at"])
        opted_out = await OptOutStore(self.redis).is_opted_out(sender_id)
        undelivered = [
            {"date": _iso(d.at), "texte": d.text, "raison": d.detail}
            for d in await DeadLetters(self.redis).list(limit=10_000)
            if d.sender_id == sender_id
        ]
        reminders = ReminderStore(self.redis)
        subscriptions = [json.loads(s.to_json()) for s in await reminders.subscriptions(sender_id)]
        consent_log = await reminders.consent_log(sender_id)
        technical = await self._technical_keys(sender_id)
        days = self.retention_days
        return {
            "identifiant": sender_id,
            "date_export": _iso(now.timestamp()),
            "resume": (
                "Voici tout ce que l'assistant des PIMMS garde à votre sujet. Chaque rubrique dit ce que c'est, "
                f"pourquoi nous le gardons et combien de temps. Tout est effacé {days} jours après votre dernier "
                "message, ou tout de suite si vous envoyez EFFACER."
            ),
            "rubriques": [
                _section(
                    "Messages",
                    f"Nos {len(messages)} messages échangés (les vôtres, ceux de l'assistant et des médiateurs), "
                    "gardés pour suivre votre demande.",
                    messages,
                ),
                _section(
                    "Informations retenues",
                    "Ce que l'assistant a retenu de la conversation pour vous répondre (motif, lieu, choix en cours).",
                    slots,
                ),
                _section(
                    "Rendez-vous",
                    f"Vos {len(bookings)} rendez-vous (à venir, passés ou annulés), gardés pour vous accueillir "
                    "et vous envoyer un rappel.",
                    bookings,
                ),
                _section(
                    "Rappels",
                    f"Vos {len(subscriptions)} rappels en cours (démarche, dates) et la preuve de votre accord : "
                    "quand, pour quoi, le texte exact accepté, par quel canal, et vos arrêts. Gardés jusqu'au "
                    "dernier rappel, plus un mois.",
                    {"en_cours": subscriptions, "accords_et_arrets": consent_log},
                ),
                _section(
                    "Mise en relation avec un médiateur",
                    "Si vous avez demandé à parler à une personne : l'état de la demande et son historique."
                    if handoff
                    else "Vous n'avez pas été mis en relation avec un médiateur.",
                    self._handoff(handoff),
                ),
                _section(
                    "Notes des médiateurs",
                    f"Les {len(notes)} notes internes écrites par les médiateurs pour suivre votre demande.",
                    notes,
                ),
                _section(
                    "Messages non remis",
                    f"Les {len(undelivered)} messages que nous n'avons pas pu vous remettre, gardés 30 jours "
                    "pour que les médiateurs vous recontactent.",
                    undelivered,
                ),
                _section(
                    "Demande STOP",
                    "Vous avez demandé à ne plus recevoir de messages : nous gardons ce choix, même après un "
                    "effacement, pour le respecter."
                    if opted_out
                    else "Vous n'avez pas demandé STOP.",
                    {"stop": opted_out},
                ),
                self._language(await self.redis.get(language_key(sender_id))),
                _section(
                    "Information sur vos données",
                    "Nous avons noté que le message d'information vous a été envoyé, pour ne pas le répéter."
                    if bool(await self.redis.exists(noticed_key(sender_id)))
                    else "Le message d'information ne vous a pas encore été envoyé.",
                    {},
                ),
                _section(
                    "Inventaire",
                    "Chaque donnée rangée à votre nom, y compris des compteurs techniques de courte durée "
                    "(limite de messages, choix numérotés), effacés automatiquement.",
                    technical,
                ),
            ],
        }

    def _booking(self, booking: Any) -> dict[str, str]:
        return {
            "reference": booking.ref,
            "lieu": booking.site_id,
            "motif": booking.motive_id,
            "debut": local_label(booking.start),
            "fin": local_label(booking.end),
            "statut": booking.status,
        }

    @staticmethod
    def _language(raw: bytes | None) -> dict[str, Any]:
        preference = Preference.from_json(raw) if raw else None
        if preference is None:
            return _section("Langue", "L'assistant vous répond en français, la langue par défaut.", {})
        how = "que vous avez choisie" if preference.source == "choice" else "de vos messages"
        return _section(
            "Langue",
            f"L'assistant vous répond dans la langue {how}, gardée pour continuer dans cette langue.",
            {"langue": preference.language.native_name, "choix": preference.source == "choice"},
        )

    @staticmethod
    def _handoff(record: Handoff | None) -> dict[str, Any]:
        if record is None:
            return {}
        return {
            "etat": record.state.value,
            "mediateur": record.mediator,
            "historique": [{"date": _iso(t.at), "par": t.actor, "action": t.action} for t in record.history],
        }

    async def _history(self, sender_id: str) -> dict[str, Any]:
        """Every event of the conversation: the archive, then the tracker key (read in one transaction)."""
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.get(TRACKER_KEY.replace("{sender}", sender_id))
            pipe.lrange(ARCHIVE_KEY.replace("{sender}", sender_id), 0, -1)
            raw, chunks = await pipe.execute()
        current = (json.loads(raw).get("events") or []) if raw else []
        return {"events": full_history(chunks, current)}

    async def _technical_keys(self, sender_id: str) -> list[dict[str, str]]:
        found = []
        for spec in sender_keys():
            key = spec.for_sender(sender_id)
            keys = [_text(k) async for k in self.redis.scan_iter(match=key, count=500)] if spec.is_glob else [key]
            for name in keys:
                if await self.redis.exists(name):
                    found.append({"donnee": spec.holds})
        return found
