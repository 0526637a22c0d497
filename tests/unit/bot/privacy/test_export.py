"""The export: one readable JSON, a French sentence per section, with messages, bookings and notes."""

from __future__ import annotations

import json
import re
from zoneinfo import ZoneInfo

from bot.optout import OptOutStore
from bot.privacy.export import Exporter

from .conftest import NOW, SMS_USER, World

ISO_TIME = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")


async def test_export_holds_messages_bookings_notes_and_opt_out(world: World) -> None:
    booking = await world.book_first_free(SMS_USER)
    await world.save_tracker(SMS_USER, [("user", "je veux un rdv caf"), ("bot", "Quel jour vous arrange ?")])
    await world.handoffs.request(SMS_USER)
    await world.handoffs.add_note(SMS_USER, "amina", "rappeler pour l'APL")
    await OptOutStore(world.redis).opt_out(SMS_USER)

    document = await Exporter(world.redis, world.service.store, 90).export(SMS_USER, NOW)

    json.dumps(document, ensure_ascii=False)  # JSON-able
    sections = {s["rubrique"]: s for s in document["rubriques"]}
    assert all(s["explication"].endswith(".") for s in sections.values())
    texts = [m["texte"] for m in sections["Messages"]["contenu"]]
    assert texts == ["je veux un rdv caf", "Quel jour vous arrange ?"]
    assert sections["Informations retenues"]["contenu"] == {"booking_motive": "caf"}
    assert [b["reference"] for b in sections["Rendez-vous"]["contenu"]] == [booking.ref]
    assert sections["Notes des médiateurs"]["contenu"][0]["text"] == "rappeler pour l'APL"
    assert sections["Mise en relation avec un médiateur"]["contenu"]["etat"] == "waiting"
    assert sections["Demande STOP"]["contenu"] == {"stop": True}
    assert "90 jours" in document["resume"]
    # Issue 28: every time in Paris time, as "07/12/2026 14:22" (no UTC, no ISO 8601).
    dumped = json.dumps(document, ensure_ascii=False)
    assert "UTC" not in dumped and not ISO_TIME.search(dumped), ISO_TIME.search(dumped)
    start = booking.start.astimezone(ZoneInfo("Europe/Paris"))
    assert sections["Rendez-vous"]["contenu"][0]["debut"] == start.strftime("%d/%m/%Y %H:%M")
    assert document["date_export"] == NOW.astimezone(ZoneInfo("Europe/Paris")).strftime("%d/%m/%Y %H:%M:%S")


async def test_export_of_an_unknown_person_is_empty_but_readable(world: World) -> None:
    document = await Exporter(world.redis, world.service.store, 90).export("tg-1", NOW)
    sections = {s["rubrique"]: s for s in document["rubriques"]}
    assert sections["Messages"]["contenu"] == [] and sections["Rendez-vous"]["contenu"] == []
    assert sections["Mise en relation avec un médiateur"]["explication"].startswith("Vous n'avez pas")
