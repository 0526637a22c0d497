"""The console over real HTTP: authentication, CSRF, the mediator's actions end to end, escaping, SSE."""

from __future__ import annotations

import json

import httpx
import pytest

from bot.handoff import messages
from bot.handoff.models import State
from tests.fakes.rasa_server import FORM_QUESTION
from tests.unit.console.conftest import PASSWORD, Console
from tests.waiting import wait_until

SID = "web-resident-1"
FETCH = {"X-Requested-With": "fetch"}

PAGES = ["/", f"/c/{SID}"]
APIS = ["/api/queue", f"/api/c/{SID}", "/events/queue", f"/events/c/{SID}"]
POSTS = [f"/c/{SID}/{a}" for a in ("claim", "reply", "note", "transfer", "handback", "close")] + ["/logout"]


def csrf_of(client: httpx.Client) -> str:
    page = client.get("/")
    return page.text.split('name="csrf-token" content="', 1)[1].split('"', 1)[0]


def post(client: httpx.Client, path: str, **data: str) -> httpx.Response:
    return client.post(path, data={"csrf": csrf_of(client), **data}, headers=FETCH)


def test_everything_refuses_anonymous_access(console: Console) -> None:
    console.seed(SID)
    with httpx.Client(base_url=console.url, timeout=10) as anon:
        for path in PAGES:
            response = anon.get(path)
            assert response.status_code == 303 and response.headers["location"] == "/login", path
        for path in APIS:
            assert anon.get(path).status_code == 401, path
        for path in POSTS:
            assert anon.post(path, data={"text": "x", "to": "bob"}).status_code == 401, path
        anon.cookies.set("pimms_console", "forged.cookie")
        assert anon.get("/api/queue").status_code == 401
    assert console.state(SID).state == State.WAITING
    assert console.resident.messages == []


def test_login_needs_the_right_password_and_csrf(console: Console) -> None:
    with httpx.Client(base_url=console.url, timeout=10) as client:
        page = client.get("/login")
        assert page.status_code == 200 and "Connexion" in page.text
        token = page.text.split('name="csrf" value="', 1)[1].split('"', 1)[0]
        bad = client.post("/login", data={"csrf": token, "name": "alice", "password": "wrong password"})
        assert bad.status_code == 401 and "incorrect" in bad.text
        page = client.get("/login")
        no_csrf = client.post("/login", data={"csrf": "nope", "name": "alice", "password": PASSWORD})
        assert no_csrf.status_code == 403
    client = console.login()
    assert client.get("/").status_code == 200
    assert client.post("/logout", data={"csrf": csrf_of(client)}).status_code == 303
    assert client.get("/api/queue").status_code == 401


def test_csrf_is_enforced_on_every_post(console: Console) -> None:
    console.seed(SID)
    client = console.login()
    for path in POSTS:
        assert client.post(path, data={"text": "x", "to": "bob"}).status_code == 403, path
        wrong = client.post(path, data={"csrf": "wrong", "text": "x"}, headers={"X-CSRF-Token": "bad"})
        assert wrong.status_code == 403, path
    assert console.state(SID).state == State.WAITING
    assert client.get("/api/queue").status_code == 200  # the session survived
    response = client.post(f"/c/{SID}/claim", headers={**FETCH, "X-CSRF-Token": csrf_of(client)})
    assert response.json() == {"ok": True, "error": ""}


def test_queue_is_ordered_and_shows_urgency_and_channel(console: Console) -> None:
    console.seed("sms-33612345678")
    console.seed("tg-42", text="aidez moi", urgent=True)
    client = console.login()
    queue = client.get("/api/queue").json()["queue"]
    # Opaque references only: neither the number nor the chat id in the JSON or in the page's links.
    assert [r["sender_id"] for r in queue] == [console.ref("tg-42"), console.ref("sms-33612345678")]
    assert "33612345678" not in json.dumps(queue) and "tg-42" not in json.dumps(queue)
    assert queue[0]["urgent"] and queue[0]["channel"] == "Telegram"
    assert queue[1]["label"] == "+33 6 ** ** ** 78" and queue[1]["channel"] == "SMS"
    page = client.get("/").text
    assert "URGENT" in page and "+33 6 ** ** ** 78" in page and "33612345678" not in page


def test_claim_reply_note_and_hand_back_end_to_end(console: Console) -> None:
    console.seed(SID)
    alice, bob = console.login("alice"), console.login("bob")
    assert post(alice, f"/c/{SID}/claim").json()["ok"]
    taken = post(bob, f"/c/{SID}/claim")
    assert taken.status_code == 409 and "alice" in taken.json()["error"]
    assert post(bob, f"/c/{SID}/reply", text="intrus").status_code == 409

    assert post(alice, f"/c/{SID}/reply", text="Bonjour, je regarde votre dossier.").json()["ok"]
    assert post(alice, f"/c/{SID}/note", text="Dossier CAF en retard").json()["ok"]
    sent = [m["text"] for m in console.resident.wait_for(SID, 2)]
    assert sent == [messages.CLAIMED, "Bonjour, je regarde votre dossier."]
    said = [m for kind, text, m in console.rasa.dialogue(SID) if text == "Bonjour, je regarde votre dossier."]
    assert len(said) == 1 and said[0]["mediator"] == "alice" and said[0]["delivery_id"]
    view = alice.get(f"/api/c/{SID}").json()
    assert [n["text"] for n in view["notes"]] == ["Dossier CAF en retard"]
    assert [line["who"] for line in view["lines"]] == ["resident", "mediator", "mediator"]

    console.rasa.append(SID, [{"event": "active_loop", "name": "booking_form"}])
    assert post(alice, f"/c/{SID}/handback").json()["ok"]
    texts = [m["text"] for m in console.resident.wait_for(SID, 4)]
    assert texts[2:] == [messages.HANDED_BACK, FORM_QUESTION]
    assert all("CAF" not in t for t in texts)  # the note never left
    tracker = console.rasa.tracker(SID)
    assert tracker["paused"] is False and tracker["slots"]["handoff_state"] == "bot"
    assert tracker["events"][-1] == {**tracker["events"][-1], "event": "action", "name": "action_listen"}
    record = console.state(SID)
    assert record.state == State.BOT and not record.resume_pending
    assert [t.action for t in record.history] == ["request", "claim", "hand_back", "resumed"]


def test_transfer_then_close(console: Console) -> None:
    console.seed(SID)
    alice, bob = console.login("alice"), console.login("bob")
    post(alice, f"/c/{SID}/claim")
    assert post(alice, f"/c/{SID}/transfer", to="nobody").status_code == 409
    assert post(alice, f"/c/{SID}/transfer", to="bob").json()["ok"]
    assert post(alice, f"/c/{SID}/reply", text="x").status_code == 409
    assert [r["sender_id"] for r in bob.get("/api/queue").json()["mine"]] == [console.ref(SID)]
    assert post(bob, f"/c/{SID}/close").json()["ok"]
    assert console.state(SID).state == State.CLOSED
    assert console.resident.wait_for(SID, 2)[-1]["text"] == messages.CLOSED
    assert console.rasa.tracker(SID)["paused"] is False


def test_resident_annuler_while_waiting_resumes_the_assistant(console: Console) -> None:
    console.seed(SID)
    console.rasa.user(SID, "ANNULER")
    wait_until(lambda: console.state(SID).state == State.BOT and not console.state(SID).resume_pending)
    assert console.resident.wait_for(SID, 1)[0]["text"] == messages.CANCELLED
    assert console.rasa.tracker(SID)["paused"] is False
    assert console.state(SID).history[-2].actor == "resident"


def test_other_messages_while_waiting_do_not_cancel(console: Console) -> None:
    console.seed(SID)
    console.rasa.user(SID, "je veux annuler mon rendez-vous de lundi")
    client = console.login()
    wait_until(lambda: len(client.get(f"/api/c/{SID}").json()["lines"]) == 2)
    assert console.state(SID).state == State.WAITING


def test_resident_text_is_escaped(console: Console) -> None:
    payload = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    console.seed(SID, text=payload)
    client = console.login()
    page = client.get(f"/c/{SID}")
    assert payload not in page.text and "<img src=x" not in page.text
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page.text
    assert (
        "script-src" in page.headers["content-security-policy"]
        or "default-src 'self'" in page.headers["content-security-policy"]
    )
    assert client.get(f"/api/c/{SID}").json()["lines"][0]["text"] == payload


def test_unknown_conversation_is_404(console: Console) -> None:
    client = console.login()
    assert client.get("/c/r0123456789abcdef01234567").status_code == 404
    assert client.get("/api/c/r0123456789abcdef01234567").status_code == 404


@pytest.mark.timeout(30)
def test_queue_stream_announces_new_hand_offs(console: Console) -> None:
    client = console.login()
    with client.stream("GET", "/events/queue") as stream:
        assert stream.headers["content-type"].startswith("text/event-stream")
        frames = stream.iter_lines()
        first = _next_event(frames)
        assert first["queue"] == []
        console.seed(SID)
        assert [r["sender_id"] for r in _next_event(frames)["queue"]] == [console.ref(SID)]


@pytest.mark.timeout(30)
def test_conversation_stream_shows_new_resident_messages(console: Console) -> None:
    console.seed(SID)
    client = console.login()
    post(client, f"/c/{SID}/claim")
    with client.stream("GET", f"/events/c/{SID}") as stream:
        frames = stream.iter_lines()
        assert _next_event(frames)["state"] == "with_mediator"
        console.rasa.user(SID, "merci, voici ma question")
        while True:
            lines = _next_event(frames)["lines"]
            if lines[-1]["text"] == "merci, voici ma question":
                break


def _next_event(frames: object) -> dict:
    for line in frames:  # type: ignore[attr-defined]
        if line.startswith("data: "):
            return json.loads(line[6:])
    raise AssertionError("stream ended")
