"""A conversation survives a restart of the Rasa server: its tracker lives in Redis."""

from __future__ import annotations

import uuid

import pytest

pytestmark = pytest.mark.stack


def test_conversation_survives_rasa_restart(stack):
    sender = f"restart-{uuid.uuid4().hex[:8]}"
    stack.rest(sender, "bonjour")
    hours = " ".join(stack.texts(sender, "horaires vaulx en velin"))
    assert "Vaulx-en-Velin" in hours and "Lyon 8e" not in hours
    before = stack.tracker(sender)
    assert before["slots"]["home_site"] == "vaulx"
    user_turns_before = [e["text"] for e in before["events"] if e["event"] == "user"]

    stack.restart_rasa()

    after = stack.tracker(sender)
    assert after["slots"]["home_site"] == "vaulx"
    assert [e["text"] for e in after["events"] if e["event"] == "user"] == user_turns_before
    # The remembered site still drives the answer after the restart.
    address = " ".join(stack.texts(sender, "vous etes ou"))
    assert "Vaulx-en-Velin" in address and "Lyon" not in address.replace("Grand Lyon", "")
