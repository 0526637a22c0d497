"""The REST channel (``channels.rest.PrivacyRestInput``) on a real Sanic server: Rasa's wire format, gate first."""

from __future__ import annotations

import httpx

from bot.privacy import messages
from bot.settings import Settings
from channels.rest import PrivacyRestInput
from tests.fakes.sanic_harness import Echo, serve


async def test_rest_answers_like_rasa_and_erases_on_the_code(redis_url: str) -> None:
    echo = Echo()
    channel = PrivacyRestInput(Settings(redis_url=redis_url))
    async with serve(channel, echo) as base, httpx.AsyncClient(timeout=10) as client:

        async def say(text: str) -> list[dict[str, object]]:
            reply = await client.post(base + "/webhooks/rest/webhook", json={"sender": "rest-1", "message": text})
            assert reply.status_code == 200
            return reply.json()

        assert await say("bonjour") == [{"recipient_id": "rest-1", "text": "echo: bonjour"}]
        question = await say("EFFACER")
        code = str(question[0]["buttons"][0]["payload"]).removeprefix("EFFACER ")  # type: ignore[index]
        assert question[0]["text"] == messages.confirm_erase(code) and len(question[0]["buttons"]) == 2
        assert (await say("oui"))[0]["text"] == messages.code_reminder(code)
        assert (await say(f"effacer {code}"))[0]["text"].startswith("C'est fait")
        assert (await say("MES DONNEES"))[0]["text"].startswith("Je garde nos messages")
    assert [m.text for m in echo.received] == ["bonjour"]
    assert channel.name() == "rest"
