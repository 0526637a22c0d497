"""The Redis primary is killed (kill -9) during a burst of SMS: Sentinel promotes the replica, Rasa, the action
server and the SMS channel follow it; every accepted SMS is answered once, in order. The time to recover is
measured and written to PIMMS_FAILOVER_REPORT (default: the test's temporary folder), not asserted."""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.ops.processes import free_port_str
from bot.ops.stack import Stack
from tests.failover.cluster import MASTER, SentinelCluster
from tests.failover.sms_burst import MESSAGES, Burst, Delivery, quiet, reference_answers, tracker_events, user_texts
from tests.integration.conftest import TEST_SECRETS

PHONES = [f"+336123490{i:02d}" for i in range(6)]
REFERENCE = "+33612349099"  # writes the same messages before the burst, when nothing fails
KILL_AFTER = 8  # answers received before the primary is killed


def sentinel_env(cluster: SentinelCluster, tmp_path: Path, fake_twilio: Any, rasa_port: str) -> dict[str, str]:
    """The stack's environment on Sentinel, with the SMS channel on the fake Twilio."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TWILIO_", "TELEGRAM_", "REDIS_"))}
    env.update(
        REDIS_URL=f"redis://127.0.0.1:{cluster.ports['primary']}/0",
        REDIS_SENTINELS=cluster.sentinels,
        REDIS_SENTINEL_MASTER=MASTER,
        RASA_PORT=rasa_port,
        ACTION_PORT=free_port_str(),
        RASA_TOKEN=TEST_SECRETS["RASA_TOKEN"],
        CONSOLE_SECRET=TEST_SECRETS["CONSOLE_SECRET"],
        PIMMS_DATA_DIR=str(tmp_path / "var"),
        SMS_BURST_WINDOW="0",
        PRIVACY_NOTICE="0",  # every SMS sent is then an answer of the tracker
        CALLBACK_URL="",
        TWILIO_ACCOUNT_SID=fake_twilio.account_sid,
        TWILIO_AUTH_TOKEN=fake_twilio.auth_token,
        TWILIO_FROM_NUMBER="+33700000000",
        TWILIO_API_BASE_URL=fake_twilio.base_url,
        PUBLIC_BASE_URL=f"http://127.0.0.1:{rasa_port}",
    )
    return env


@pytest.fixture
def sentinel_stack(
    trained_model: Path, tmp_path: Path, fake_twilio: Any, cluster: SentinelCluster
) -> Iterator[tuple[Stack, list[str]]]:
    """Rasa and the action server with the SMS channel, on the Sentinel cluster (no console, no worker)."""
    env = sentinel_env(cluster, tmp_path, fake_twilio, free_port_str())
    logs: list[str] = []
    stack = Stack(env=env, model=trained_model, write=logs.append, with_console=False, with_worker=False)
    try:
        stack.prepare()
        stack.start_actions()
        stack.start_rasa()
        yield stack, logs
    finally:
        stack.stop()
        print("\n".join([line for line in logs if "twilio.async_http_client" not in line][-120:]))


def write_report(name: str, figures: dict[str, Any], tmp_path: Path) -> Path:
    """Append the measured figures as one JSON line (PIMMS_FAILOVER_REPORT, else the test's folder)."""
    path = Path(os.environ.get("PIMMS_FAILOVER_REPORT") or tmp_path / "failover.jsonl")
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as out:
        out.write(json.dumps({"test": name, **figures}) + "\n")
    print(f"{name}: {figures}")
    return path


def check_answered_once_in_order(base: str, twilio: Any, phones: list[str], reference: list[str]) -> None:
    """Each resident's messages are in their tracker once, in order, and each got exactly the SMS that a resident
    writing the same messages gets when nothing fails (``reference``): no answer missing, none twice."""
    quiet(twilio)
    assert reference, "the reference resident got no answer"
    for phone in phones:
        events = tracker_events(base, TEST_SECRETS["RASA_TOKEN"], "sms-" + phone.lstrip("+"))
        got = twilio.bodies_to(phone)
        summary = (phone, user_texts(events), [body[:40] for body in got], [body[:40] for body in reference])
        assert user_texts(events) == MESSAGES, summary
        assert got == reference, summary


@pytest.mark.timeout(300)
def test_the_primary_dies_during_a_burst_and_no_message_is_lost_or_answered_twice(
    sentinel_stack: tuple[Stack, list[str]], cluster: SentinelCluster, fake_twilio: Any, tmp_path: Path
) -> None:
    stack, _logs = sentinel_stack
    base = f"http://127.0.0.1:{stack.env['RASA_PORT']}"
    killed: dict[str, float] = {}
    answers: list[Delivery] = []
    lock = threading.Lock()

    def on_answer(delivery: Delivery) -> None:
        with lock:
            answers.append(delivery)
            if len(answers) == KILL_AFTER and not killed:
                killed["at"] = time.monotonic()
                cluster.kill_primary()

    reference, parts = reference_answers([base], stack.env, fake_twilio, REFERENCE)
    burst = Burst([base], stack.env, fake_twilio, PHONES, on_answer=on_answer, parts=parts)
    started = time.monotonic()
    burst.run()
    elapsed = time.monotonic() - started

    promoted = cluster.primary_port() == cluster.ports["replica"]
    assert promoted and killed
    check_answered_once_in_order(base, fake_twilio, PHONES, reference)
    # Recovery: from the kill to the first answer to an SMS accepted after it.
    after = [d for d in burst.deliveries if d.accepted > killed["at"]]
    recovered = min(d.answered for d in after) - killed["at"]
    waits = [d.answered - d.posted for d in burst.deliveries]
    write_report(
        "sentinel_primary_killed",
        {
            "messages": len(burst.deliveries),
            "residents": len(PHONES),
            "lost": 0,
            "duplicated": 0,
            "recovery_seconds": round(recovered, 2),
            "slowest_answer_seconds": round(max(waits), 2),
            "redeliveries": sum(d.attempts - 1 for d in burst.deliveries),
            "burst_seconds": round(elapsed, 2),
        },
        tmp_path,
    )
