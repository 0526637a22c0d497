"""The privacy gate in front of the assistant: EFFACER, OUI / NON, MES DONNEES, the first-contact notice."""

from __future__ import annotations

import re
from typing import Any

import pytest

from bot.optout import OptOutStore
from bot.privacy import messages
from bot.privacy.gate import PrivacyGate, ask_confirmation, confirm_key

from .conftest import SMS_USER, World, keys_naming

CONTACT = "le PIMMS Test au 04 00 00 00 00"


class Outbox:
    """What the gate sent to the resident."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, Any, bool]] = []

    async def __call__(self, text: str, buttons: list[dict[str, Any]] | None = None, force: bool = False) -> None:
        self.sent.append((text, buttons, force))

    @property
    def texts(self) -> list[str]:
        return [text for text, _, _ in self.sent]


@pytest.fixture
def gate(world: World) -> PrivacyGate:
    return PrivacyGate(
        world.redis,
        lambda: world.eraser,
        retention_days=90,
        retention_seconds=90 * 86400,
        contact=lambda language: CONTACT,
    )


async def code_sent(world: World, sender_id: str) -> str:
    """The one-time code of the pending confirmation (what the real phone received)."""
    raw = await world.redis.get(confirm_key(sender_id))
    assert raw is not None
    return str(raw.decode())


async def test_effacer_asks_with_a_code_then_the_code_erases_everything(world: World, gate: PrivacyGate) -> None:
    await world.book_first_free(SMS_USER)
    await world.save_tracker(SMS_USER, [("user", "rdv"), ("bot", "C'est réservé")])
    out = Outbox()
    assert (await gate.before(SMS_USER, "EFFACER", out)).consumed
    code = await code_sent(world, SMS_USER)
    assert re.fullmatch(r"[1-9]\d{3}", code)
    assert out.sent[-1] == (messages.confirm_erase(code), None, True)  # over SMS, no "1" that anyone could send
    assert f"répondez EFFACER {code}" in out.texts[-1]
    assert (await gate.before(SMS_USER, f"Effacer {code}", out)).consumed
    assert out.texts[-1] == messages.erased(1, False)
    assert await keys_naming(world.redis, SMS_USER) == []
    assert await world.service.store.all_for_user(SMS_USER) == []


async def test_a_forged_sender_without_the_code_erases_nothing(world: World, gate: PrivacyGate) -> None:
    """Twilio's From can be forged: the forger never sees the code, which went to the real phone."""
    await world.save_tracker(SMS_USER, [("user", "bonjour")])
    out = Outbox()
    await gate.before(SMS_USER, "EFFACER", out)
    code = await code_sent(world, SMS_USER)
    for blind in ("OUI", "1", "effacer", "oui effacer"):  # the question stays open, the code is repeated
        assert (await gate.before(SMS_USER, blind, out)).consumed
        assert out.texts[-1] == messages.code_reminder(code)
    assert await world.redis.exists(f"pimmstracker:tracker:{SMS_USER}")
    wrong = "1234" if code != "1234" else "4321"
    assert (await gate.before(SMS_USER, f"EFFACER {wrong}", out)).consumed
    assert out.texts[-1] == messages.WRONG_CODE
    assert not await world.redis.exists(confirm_key(SMS_USER))  # a guess cancels: one try per question
    assert (await gate.before(SMS_USER, f"EFFACER {code}", out)).consumed  # too late: a new question instead
    assert out.texts[-1] == messages.confirm_erase(await code_sent(world, SMS_USER))
    assert await world.redis.exists(f"pimmstracker:tracker:{SMS_USER}")


async def test_three_wrong_codes_stop_erasure_by_message_for_a_day(world: World, gate: PrivacyGate) -> None:
    await world.save_tracker(SMS_USER, [("user", "bonjour")])
    out = Outbox()
    for _ in range(3):
        await gate.before(SMS_USER, "EFFACER", out)
        code = await code_sent(world, SMS_USER)
        await gate.before(SMS_USER, f"EFFACER {'1000' if code != '1000' else '1001'}", out)
    assert (await gate.before(SMS_USER, "EFFACER", out)).consumed
    assert out.texts[-1] == messages.TOO_MANY_CODES.format(contact=CONTACT)
    assert not await world.redis.exists(confirm_key(SMS_USER))  # no question, so no code to guess
    assert 0 < await world.redis.ttl(f"pimms:privacy:wrong:{SMS_USER}") <= 24 * 3600


async def test_telegram_gets_buttons_carrying_the_code(world: World, gate: PrivacyGate) -> None:
    out = Outbox()
    await gate.before("tg-4242", "effacer", out)
    code = await code_sent(world, "tg-4242")
    assert out.sent[-1][1] == [
        {"title": "Oui, tout effacer", "payload": f"EFFACER {code}"},
        {"title": "Non, garder", "payload": "NON"},
    ]


async def test_non_keeps_everything(world: World, gate: PrivacyGate) -> None:
    await world.save_tracker(SMS_USER, [("user", "bonjour")])
    out = Outbox()
    await gate.before(SMS_USER, "effacer", out)
    assert (await gate.before(SMS_USER, "NON", out)).consumed
    assert out.texts[-1] == messages.KEPT
    assert await world.redis.exists(f"pimmstracker:tracker:{SMS_USER}")
    assert not await world.redis.exists(confirm_key(SMS_USER))


async def test_another_message_cancels_the_pending_confirmation(world: World, gate: PrivacyGate) -> None:
    out = Outbox()
    await ask_confirmation(world.redis, SMS_USER)  # as the NLU action does for "supprimez mes données"
    decision = await gate.before(SMS_USER, "oui mais d'abord mon rdv", out)
    assert not decision.consumed and out.sent == []
    assert not (await gate.before(SMS_USER, "oui", out)).consumed  # no longer pending: the assistant answers


async def test_erasure_reply_says_the_opt_out_is_kept(world: World, gate: PrivacyGate) -> None:
    await OptOutStore(world.redis).opt_out(SMS_USER)
    out = Outbox()
    assert await gate.accepts_while_opted_out(SMS_USER, "EFFACER")
    await gate.before(SMS_USER, "EFFACER", out)
    code = await code_sent(world, SMS_USER)
    assert await gate.accepts_while_opted_out(SMS_USER, f"oui {code}")
    await gate.before(SMS_USER, f"oui {code}", out)
    assert "STOP" in out.texts[-1]
    assert await keys_naming(world.redis, SMS_USER) == [f"pimms:optout:{SMS_USER}"]
    assert not await gate.accepts_while_opted_out(SMS_USER, "bonjour")


async def test_mes_donnees_answers_what_is_kept(world: World, gate: PrivacyGate) -> None:
    out = Outbox()
    assert (await gate.before(SMS_USER, "MES DONNEES", out)).consumed
    assert out.texts == [messages.info(90, CONTACT)]
    assert "90 jours" in out.texts[0] and "EFFACER" in out.texts[0] and CONTACT in out.texts[0]


async def test_first_contact_notice_once(world: World, gate: PrivacyGate) -> None:
    out = Outbox()
    first = await gate.before(SMS_USER, "bonjour", out)
    assert not first.consumed and first.notice
    await gate.after(first, out)
    second = await gate.before(SMS_USER, "rdv caf", out)
    await gate.after(second, out)
    assert out.texts == [messages.first_contact_notice(90)]
    ttl = await world.redis.ttl(f"pimms:privacy:noticed:{SMS_USER}")
    assert 0 < ttl <= 90 * 86400


async def test_caf_data_questions_pass_through(world: World, gate: PrivacyGate) -> None:
    out = Outbox()
    for text in ("comment mettre à jour mes données caf", "France Travail a perdu mes données"):
        assert not (await gate.before(SMS_USER, text, out)).consumed
    assert out.sent == [] and not await world.redis.exists(confirm_key(SMS_USER))
