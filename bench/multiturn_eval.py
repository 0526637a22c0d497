"""Multi-turn held-out evaluation (`make multiturn-eval`): conversations played against the running assistant.

Usage (heavy: starts the stack with the trained model; run it alone, under the shared lock)::

    .venv/bin/python bench/multiturn_eval.py [--data tests/data/multiturn_heldout.yml] [--no-report]

Starts the whole stack as `make run` does (embedded Redis, action server, Rasa server, console for the hand-off
watcher; no reminder worker) on free ports, the tests' site network, then plays every conversation of the
held-out set (written as residents text, never trained on) through the REST channel, one new sender each.
After each turn it reads what happened from the tracker (Rasa's HTTP API) and the hand-off record (Redis) and
checks the turn's expectations (the file's header lists them). A conversation is right when every turn is.
Writes the "Multi-turn conversations" section of docs/nlu-eval.md (kept by `make eval`); goal >= 90 %.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bot.kb.model import Entry  # noqa: E402
from bot.text import normalize  # noqa: E402

DATA = ROOT / "tests" / "data" / "multiturn_heldout.yml"
SITES = ROOT / "tests" / "data" / "sites.yml"
REPORT = ROOT / "docs" / "nlu-eval.md"
HEADING = "## Multi-turn conversations (held-out)"
NOTES_HEADING = "## Notes on this run"
GOAL = 0.90
WATCHER_WAIT = 15.0  # seconds the console's watcher may take to cancel a wait after a withdrawal
KEYS = frozenset({"say", "topic", "steps", "action", "says", "not_says", "waiting", "quiet"})


@dataclass(frozen=True)
class Conversation:
    """One held-out conversation: turns of ``{"say": text, <expectations>}``."""

    id: str
    kind: str
    turns: tuple[dict[str, Any], ...]


@dataclass
class Observed:
    """What the assistant did in one turn."""

    texts: list[str] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    waiting: bool = False


@dataclass
class Result:
    """One conversation's outcome: per turn, the failed expectations (empty: right)."""

    conversation: Conversation
    failures: list[list[str]] = field(default_factory=list)
    said: list[list[str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(not failed for failed in self.failures)


def load(path: Path = DATA) -> list[Conversation]:
    """The held-out conversations; unknown expectation keys are refused (a typo would pass silently)."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))["conversations"]
    conversations = []
    for item in raw:
        for turn in item["turns"]:
            unknown = set(turn) - KEYS
            if unknown or "say" not in turn:
                raise ValueError(f"{item['id']}: bad turn keys {sorted(unknown) or 'say missing'}")
        conversations.append(Conversation(item["id"], item["kind"], tuple(item["turns"])))
    return conversations


def _as_list(value: Any) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def _contains(texts: Sequence[str], needle: str) -> bool:
    return f" {normalize(needle)} " in f" {normalize(' '.join(texts))} "


def check_turn(expect: Mapping[str, Any], seen: Observed, kb: Mapping[str, Entry]) -> list[str]:
    """The expectations of one turn that the observed turn does not meet (empty: the turn is right)."""
    failed: list[str] = []
    topics = {
        str((e.get("metadata") or {}).get("utter_action") or "").removeprefix("utter_faq/")
        for e in seen.events
        if e.get("event") == "bot" and str((e.get("metadata") or {}).get("utter_action") or "").startswith("utter_faq/")
    }
    actions = {str(e.get("name")) for e in seen.events if e.get("event") == "action"}
    if "topic" in expect and not topics & set(_as_list(expect["topic"])):
        failed.append(f"topic {expect['topic']} (got {sorted(topics) or 'none'})")
    if "steps" in expect:
        entry = kb.get(str(expect["steps"]))
        if entry is None or not entry.steps or not _contains(seen.texts, entry.steps[0]):
            failed.append(f"steps of {expect['steps']}")
    if "action" in expect and not actions & set(_as_list(expect["action"])):
        failed.append(f"action {expect['action']} (got {sorted(actions - {'action_listen'}) or 'none'})")
    failed += [f"says {text!r}" for text in _as_list(expect.get("says", [])) if not _contains(seen.texts, text)]
    failed += [f"not_says {text!r}" for text in _as_list(expect.get("not_says", [])) if _contains(seen.texts, text)]
    if "waiting" in expect and bool(expect["waiting"]) != seen.waiting:
        failed.append(f"waiting {expect['waiting']} (got {seen.waiting})")
    if expect.get("quiet") and seen.texts:
        failed.append("quiet")
    return failed


def section(results: Sequence[Result], when: dt.date, data: Path = DATA) -> list[str]:
    """The report section: accuracy per conversation and per turn, by kind, and the failures."""
    right = sum(r.ok for r in results)
    turns = sum(len(r.failures) for r in results)
    turns_right = sum(not failed for r in results for failed in r.failures)
    share = right / len(results) if results else 0.0
    lines = [
        HEADING,
        "",
        f"- held-out set: {len(results)} conversations of 2-4 turns ({turns} turns) written as residents text "
        f"({data.relative_to(ROOT) if data.is_relative_to(ROOT) else data.name}, never in training), played "
        f"through the REST channel of the running stack (`make multiturn-eval`, bench/multiturn_eval.py) on {when}",
        f"- conversations right (every turn as expected): **{right}/{len(results)} ({share:.0%})**, goal ≥ 90%: "
        + ("met" if share >= GOAL else "not met"),
        f"- turns right: {turns_right}/{turns} ({turns_right / turns if turns else 0:.0%})",
        "",
        "| kind | conversations | right |",
        "|---|---|---|",
    ]
    kinds = Counter(r.conversation.kind for r in results)
    for kind, count in sorted(kinds.items()):
        ok = sum(r.ok for r in results if r.conversation.kind == kind)
        lines.append(f"| {kind} | {count} | {ok} ({ok / count:.0%}) |")
    wrong = [r for r in results if not r.ok]
    if wrong:
        lines += ["", "Conversations not right (turn: what failed):", ""]
        for r in wrong:
            bad = [f"{i + 1} {r.conversation.turns[i]['say']!r}: {', '.join(f)}" for i, f in enumerate(r.failures) if f]
            lines.append(f"- {r.conversation.id}: " + "; ".join(bad))
    return [*lines, ""]


def write_section(lines: Sequence[str], report: Path = REPORT) -> None:
    """Put the section in the report: replacing the previous one, else before the hand-written notes."""
    text = report.read_text(encoding="utf-8") if report.exists() else "# NLU evaluation\n"
    block = "\n".join(lines).rstrip("\n") + "\n"
    start = text.find(HEADING)
    if start >= 0:
        end = text.find("\n## ", start + len(HEADING))
        text = text[:start] + block + ("\n" + text[end + 1 :] if end >= 0 else "")
    else:
        notes = text.find(NOTES_HEADING)
        text = text[:notes] + block + "\n" + text[notes:] if notes >= 0 else text.rstrip("\n") + "\n\n" + block
    report.write_text(text, encoding="utf-8")


class StackPlayer:
    """Plays conversations through the REST channel of a running stack and observes each turn."""

    def __init__(self, env: Mapping[str, str], clock: Callable[[], float] = time.time) -> None:
        import httpx
        import redis

        from bot.security.rasa_auth import BearerToken

        self.base = f"http://127.0.0.1:{env['RASA_PORT']}"
        self.http = httpx.Client(timeout=60)
        self.redis = redis.Redis.from_url(env["REDIS_URL"])
        self.bearer = BearerToken(env["RASA_TOKEN"], clock=clock)

    def _events(self, sender: str) -> list[dict[str, Any]]:
        reply = self.http.get(f"{self.base}/conversations/{sender}/tracker", headers=self.bearer.headers())
        reply.raise_for_status()
        return list(reply.json().get("events") or [])

    def _state(self, sender: str) -> str:
        raw = self.redis.get(f"pimms:handoff:conv:{sender}")
        return str(json.loads(raw).get("state")) if raw else "bot"

    def turn(self, sender: str, text: str, expect: Mapping[str, Any]) -> Observed:
        """Send one message; what was answered, the tracker events it added, whether the resident waits."""
        before = len(self._events(sender))
        reply = self.http.post(f"{self.base}/webhooks/rest/webhook", json={"sender": sender, "message": text})
        reply.raise_for_status()
        texts = [str(m.get("text") or "") for m in reply.json() if m.get("text")]
        state = self._state(sender)
        if expect.get("waiting") is False:  # a withdrawal: the console's watcher cancels the wait
            deadline = time.monotonic() + WATCHER_WAIT
            while state in ("waiting", "with_mediator") and time.monotonic() < deadline:
                time.sleep(0.5)
                state = self._state(sender)
        return Observed(texts, self._events(sender)[before:], state in ("waiting", "with_mediator"))

    def play(self, conversation: Conversation, run_id: str, kb: Mapping[str, Entry]) -> Result:
        """All the turns of one conversation, from a new sender."""
        sender = f"heldout-{run_id}-{conversation.id}"
        result = Result(conversation)
        for turn in conversation.turns:
            seen = self.turn(sender, str(turn["say"]), turn)
            result.failures.append(check_turn(turn, seen, kb))
            result.said.append(seen.texts)
        return result


def run_on_stack(conversations: Sequence[Conversation], verbose: bool) -> list[Result]:
    """Start the stack, play every conversation, stop the stack."""
    from bot.kb.model import cached_kb
    from bot.ops.processes import free_port_str
    from bot.ops.stack import Stack
    from bot.ops.training import ensure_model

    model = ensure_model()
    data_dir = Path(tempfile.mkdtemp(prefix="pimms-multiturn-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TWILIO_", "TELEGRAM_", "REDIS_URL"))}
    env.update(
        {
            "RASA_PORT": free_port_str(),
            "ACTION_PORT": free_port_str(),
            "CONSOLE_PORT": free_port_str(),
            "PIMMS_DATA_DIR": str(data_dir),
            "PIMMS_SITES_FILE": str(SITES),
            "PRIVACY_NOTICE": "0",
        }
    )
    env.pop("PUBLIC_BASE_URL", None)
    logs: list[str] = []
    stack = Stack(env=env, model=model, with_worker=False, write=logs.append)
    try:
        stack.start()
        player = StackPlayer(stack.env)
        run_id = uuid.uuid4().hex[:6]
        kb = cached_kb()
        results = []
        for conversation in conversations:
            result = player.play(conversation, run_id, kb)
            results.append(result)
            if verbose or not result.ok:
                mark = "ok " if result.ok else "BAD"
                print(f"{mark} {conversation.id}: {result.failures if not result.ok else ''}")
                if not result.ok:
                    for turn, said in zip(conversation.turns, result.said, strict=True):
                        print(f"      > {turn['say']}\n      < " + " | ".join(s.replace("\n", " / ") for s in said))
        return results
    except Exception:
        print("\n".join(logs[-60:]))
        raise
    finally:
        stack.stop()


def main(argv: list[str] | None = None) -> int:
    """Play the held-out set on the stack, print the summary, write the report section."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--only", nargs="*", help="conversation ids to play (no report)")
    parser.add_argument("--no-report", action="store_true")
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args(argv)
    os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
    conversations = load(args.data)
    if args.only:
        conversations = [c for c in conversations if c.id in set(args.only)]
    results = run_on_stack(conversations, args.verbose)
    lines = section(results, dt.date.today(), args.data)
    print("\n".join(lines))
    if not args.no_report and not args.only:
        write_section(lines)
        print(f"report: {REPORT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
