"""The privacy gate around Rasa's on_new_message: what reaches the assistant, what is answered before it."""

from __future__ import annotations

from typing import Any

import redis.asyncio as aioredis
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage

from bot.privacy import messages
from bot.privacy.gate import PrivacyGate
from bot.settings import Settings
from channels.privacy import build_gate, collector_send, guarded


async def _turn(gate: PrivacyGate, text: str, seen: list[str]) -> list[dict[str, Any]]:
    async def assistant(message: UserMessage) -> None:
        seen.append(message.text or "")
        await message.output_channel.send_text_message(message.sender_id, "réponse de l'assistant")

    output = CollectingOutputChannel()
    await guarded(assistant, lambda: gate, collector_send)(UserMessage(text, output, "rest-privacy-1"))
    return output.messages


async def test_keywords_are_answered_before_the_assistant(client: aioredis.Redis, redis_url: str) -> None:
    gate = build_gate(Settings(redis_url=redis_url), client, notice=True)
    seen: list[str] = []
    confirm = await _turn(gate, "EFFACER", seen)
    code = confirm[0]["buttons"][0]["payload"].removeprefix("EFFACER ")
    assert confirm[0]["text"] == messages.confirm_erase(code) and [b["payload"] for b in confirm[0]["buttons"]] == [
        f"EFFACER {code}",
        "NON",
    ]
    done = await _turn(gate, f"EFFACER {code}", seen)
    assert done[0]["text"].startswith("C'est fait")
    assert seen == []


async def test_other_messages_reach_the_assistant_then_the_notice(client: aioredis.Redis, redis_url: str) -> None:
    gate = build_gate(Settings(redis_url=redis_url), client, notice=True)
    seen: list[str] = []
    first = await _turn(gate, "comment mettre à jour mes données caf", seen)
    second = await _turn(gate, "merci", seen)
    assert seen == ["comment mettre à jour mes données caf", "merci"]
    assert [m["text"] for m in first] == ["réponse de l'assistant", messages.first_contact_notice(90)]
    assert [m["text"] for m in second] == ["réponse de l'assistant"]
