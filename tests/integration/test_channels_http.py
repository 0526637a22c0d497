"""HTTP-level tests: our channel blueprints on a real Sanic server, replies at the fake providers."""

from __future__ import annotations

import asyncio

import httpx

from tests.fakes.sanic_harness import (
    PATH,
    Echo,
    new_sid,
    post_sms,
    post_tg,
    serve,
    sign,
    sms_channel,
    tg_channel,
    tg_update,
    twilio_form,
)


async def test_signed_conversation_replies_in_order(redis_url: str, fake_twilio) -> None:
    echo = Echo()
    channel = sms_channel(redis_url, fake_twilio.base_url, burst=0.05)
    async with serve(channel, echo) as base, httpx.AsyncClient() as client:
        for text in ("bonjour", "je voudrais un rendez-vous", "merci"):
            reply = await post_sms(client, base, twilio_form(text, new_sid()))
            assert reply.status_code == 200
            assert "<Response></Response>" in reply.text
            await asyncio.to_thread(fake_twilio.wait_for, len(echo.received) + 1)
    assert fake_twilio.bodies_to("+33612345678") == [
        "echo: bonjour",
        "echo: je voudrais un rendez-vous",
        "echo: merci",
    ]
    assert [m.input_channel for m in echo.received] == ["sms"] * 3
    assert echo.received[0].sender_id == "sms-33612345678"
    assert echo.received[0].metadata["phone_masked"] == "+33 6 ** ** ** 78"


async def test_forged_and_unsigned_requests_are_refused(redis_url: str, fake_twilio) -> None:
    echo = Echo()
    async with (
        serve(sms_channel(redis_url, fake_twilio.base_url), echo) as base,
        httpx.AsyncClient() as client,
    ):
        form = twilio_form("bonjour", new_sid())
        assert (await post_sms(client, base, form, signed=False)).status_code == 403
        forged = {"X-Twilio-Signature": sign("https://pimms.example.org" + PATH, form, token="wrong")}
        assert (await client.post(base + PATH, data=form, headers=forged)).status_code == 403
        tampered = {**form, "Body": "autre"}
        good_sig = {"X-Twilio-Signature": sign("https://pimms.example.org" + PATH, form)}
        assert (await client.post(base + PATH, data=tampered, headers=good_sig)).status_code == 403
        await asyncio.sleep(0.4)
    assert echo.received == [] and fake_twilio.messages == []


async def test_same_message_sid_three_times_is_processed_once(redis_url: str, fake_twilio) -> None:
    echo = Echo()
    async with (
        serve(sms_channel(redis_url, fake_twilio.base_url), echo) as base,
        httpx.AsyncClient() as client,
    ):
        form = twilio_form("bonjour", new_sid())
        statuses = [(await post_sms(client, base, form)).status_code for _ in range(3)]
        await asyncio.to_thread(fake_twilio.wait_for, 1)
        await asyncio.sleep(0.5)
    assert statuses == [200, 200, 200]
    assert len(echo.received) == 1 and len(fake_twilio.messages) == 1


async def test_burst_is_merged_into_one_turn(redis_url: str, fake_twilio) -> None:
    echo = Echo()
    async with (
        serve(sms_channel(redis_url, fake_twilio.base_url, burst=0.6), echo) as base,
        httpx.AsyncClient() as client,
    ):
        for text in ("bonjour", "je cherche", "un rendez-vous"):
            await post_sms(client, base, twilio_form(text, new_sid()))
        await asyncio.to_thread(fake_twilio.wait_for, 1)
        await asyncio.sleep(0.8)
    assert [m.text for m in echo.received] == ["bonjour je cherche un rendez-vous"]
    assert len(fake_twilio.messages) == 1


async def test_arret_stops_everything_until_start(redis_url: str, fake_twilio) -> None:
    echo = Echo()
    channel = sms_channel(redis_url, fake_twilio.base_url, burst=0.05)
    async with serve(channel, echo) as base, httpx.AsyncClient() as client:
        await post_sms(client, base, twilio_form("ARRET", new_sid()))
        stop_confirmation = await asyncio.to_thread(fake_twilio.wait_for, 1)
        await post_sms(client, base, twilio_form("bonjour", new_sid()))
        await asyncio.sleep(0.4)
        assert await channel.router().send("sms-33612345678", "Rappel de rendez-vous") is False
        assert len(fake_twilio.messages) == 1 and echo.received == []
        await post_sms(client, base, twilio_form("START", new_sid()))
        await asyncio.to_thread(fake_twilio.wait_for, 2)
        await post_sms(client, base, twilio_form("bonjour", new_sid()))
        await asyncio.to_thread(fake_twilio.wait_for, 3)
    assert "plus de SMS" in stop_confirmation[0]["Body"]
    assert fake_twilio.messages[2]["Body"] == "echo: bonjour"


async def test_numbered_buttons_map_back_to_payload(redis_url: str, fake_twilio) -> None:
    echo = Echo()
    async with (
        serve(sms_channel(redis_url, fake_twilio.base_url, burst=0.05), echo) as base,
        httpx.AsyncClient() as client,
    ):
        await post_sms(client, base, twilio_form("menu", new_sid()))
        menu = await asyncio.to_thread(fake_twilio.wait_for, 1)
        await post_sms(client, base, twilio_form("2", new_sid()))
        await asyncio.to_thread(fake_twilio.wait_for, 2)
        await post_sms(client, base, twilio_form("/restart", new_sid()))
        await asyncio.to_thread(fake_twilio.wait_for, 3)
    assert menu[0]["Body"] == "Confirmez-vous ?\n1. Oui\n2. Non"
    assert [m.text for m in echo.received] == ["menu", "/deny", "restart"]


async def test_media_empty_and_oversized_bodies_get_polite_answers(redis_url: str, fake_twilio) -> None:
    echo = Echo()
    async with (
        serve(sms_channel(redis_url, fake_twilio.base_url), echo) as base,
        httpx.AsyncClient() as client,
    ):
        assert (await post_sms(client, base, twilio_form("", new_sid(), NumMedia="1"))).status_code == 200
        assert (await post_sms(client, base, twilio_form("   ", new_sid()))).status_code == 200
        assert (await post_sms(client, base, twilio_form("a" * 2000, new_sid()))).status_code == 200
        bodies = [m["Body"] for m in await asyncio.to_thread(fake_twilio.wait_for, 3)]
    assert echo.received == []
    assert any("photos" in b for b in bodies) and any("vide" in b for b in bodies)
    assert any("trop long" in b for b in bodies)


async def test_telegram_update_is_answered_at_the_right_chat(redis_url: str, fake_telegram) -> None:
    echo = Echo()
    async with (
        serve(tg_channel(redis_url, fake_telegram.base_url), echo) as base,
        httpx.AsyncClient() as client,
    ):
        assert (await post_tg(client, base, tg_update(1001, "bonjour", chat_id=4242))).status_code == 200
        assert (await post_tg(client, base, tg_update(1001, "bonjour", chat_id=4242))).status_code == 200
        messages = await asyncio.to_thread(fake_telegram.wait_for, 1)
        await asyncio.sleep(0.3)
    assert messages == [{"chat_id": 4242, "text": "echo: bonjour", "reply_markup": None}]
    assert len(echo.received) == 1
    assert echo.received[0].sender_id == "tg-4242" and echo.received[0].input_channel == "telegram"


async def test_telegram_wrong_secret_is_refused(redis_url: str, fake_telegram) -> None:
    echo = Echo()
    async with (
        serve(tg_channel(redis_url, fake_telegram.base_url), echo) as base,
        httpx.AsyncClient() as client,
    ):
        assert (await post_tg(client, base, tg_update(2001, "bonjour"), secret="nope")).status_code == 403
        no_header = await client.post(base + "/webhooks/telegram/webhook", json=tg_update(2002, "x"))
        assert no_header.status_code == 403
        await asyncio.sleep(0.3)
    assert echo.received == [] and fake_telegram.messages == []


async def test_telegram_buttons_and_callback_query(redis_url: str, fake_telegram) -> None:
    echo = Echo()
    channel = tg_channel(redis_url, fake_telegram.base_url)
    async with serve(channel, echo) as base, httpx.AsyncClient() as client:
        assert await channel.router().send("tg-42", "Confirmez-vous ?", [{"title": "Oui", "payload": "/affirm"}])
        callback = {
            "update_id": 3001,
            "callback_query": {
                "id": "cbq-1",
                "chat_instance": "ci",
                "data": "/affirm",
                "from": {"id": 42, "is_bot": False, "first_name": "Ana"},
                "message": {
                    "message_id": 1,
                    "date": 1764230400,
                    "chat": {"id": 42, "type": "private"},
                    "text": "Confirmez-vous ?",
                },
            },
        }
        assert (await post_tg(client, base, callback)).status_code == 200
        await asyncio.to_thread(fake_telegram.wait_for, 2)
        await asyncio.sleep(0.2)
    keyboard = fake_telegram.messages[0]["reply_markup"]["inline_keyboard"]
    assert keyboard == [[{"text": "Oui", "callback_data": "/affirm"}]]
    methods = [c["method"] for c in fake_telegram.calls]
    assert "answerCallbackQuery" in methods and "editMessageReplyMarkup" in methods
    assert echo.received[0].text == "/affirm"
    assert fake_telegram.messages[1]["text"] == "echo: /affirm"


async def test_telegram_edited_sticker_and_start(redis_url: str, fake_telegram) -> None:
    echo = Echo()
    async with (
        serve(tg_channel(redis_url, fake_telegram.base_url), echo) as base,
        httpx.AsyncClient() as client,
    ):
        edited = tg_update(4001, "bonjour")
        edited["edited_message"] = edited.pop("message")
        edited["edited_message"]["edit_date"] = 1764230500
        sticker = tg_update(4002, "")
        del sticker["message"]["text"]
        sticker["message"]["sticker"] = {
            "file_id": "f",
            "file_unique_id": "u",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "type": "regular",
        }
        for body in (edited, sticker, tg_update(4003, "/start")):
            assert (await post_tg(client, base, body)).status_code == 200
            await asyncio.to_thread(fake_telegram.wait_for, len(fake_telegram.messages) + 1)
    texts = [m["text"] for m in fake_telegram.messages]
    assert "modifiés" in texts[0] and "photos" in texts[1]
    assert texts[2] == "echo: bonjour"
