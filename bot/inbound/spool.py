"""While Redis does not answer: webhooks kept in an append-only file (PIMMS_DATA_DIR/spool), replayed in order.

Writers append one JSON line under an exclusive lock and check they still hold the live file (the replayer
renames it). The replayer takes ``<channel>.replaying.jsonl`` (left by a crash, or renamed from the live file),
replays it line by line, then deletes it: a crash during a replay replays again, and the webhook
de-duplication (MessageSid, update_id) makes that harmless.

Who was told that the service is slowed down is kept beside it (``<channel>.told``: a keyed hash per person,
HMAC with the pseudonyms' key, ``bot.security.pseudonym_key``, which is not in this folder; Redis is what is
down), so a restart does not tell them again; it is deleted once the spool is empty.

Privacy and robustness:
- each line records when it was spooled; a record older than ``MAX_AGE_SECONDS`` (3 days) is dropped, never
  replayed (an answer that late would be wrong, and the file holds numbers and texts). ``purge`` (the
  reminder worker's sweep) deletes spool and "told" files left untouched that long (a channel turned off);
- a record whose replay fails for another reason than an outage (Redis or the network) is a poison record:
  it goes to ``<channel>.quarantine.jsonl`` (0600, kept ``QUARANTINE_DAYS``) instead of blocking the channel.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import json
import logging
import os
import time
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

from redis.exceptions import RedisError

from bot.security.pseudonym_key import PseudonymKey

log = logging.getLogger(__name__)
MAX_BYTES = 20 * 1024 * 1024
MAX_AGE_SECONDS = 3 * 24 * 3600
QUARANTINE_DAYS = 30


def is_outage(exc: BaseException) -> bool:
    """Whether a replay failed because Redis or the network is down (retry later), not because of the record."""
    return isinstance(exc, (RedisError, OSError, TimeoutError, asyncio.TimeoutError))


class LocalSpool:
    """One channel's spool file, and who was told the service is slowed down (``tell_once``)."""

    def __init__(
        self,
        directory: Path,
        channel: str,
        max_bytes: int = MAX_BYTES,
        *,
        key: PseudonymKey | None = None,
        clock: Callable[[], float] = time.time,
        max_age: float = MAX_AGE_SECONDS,
    ) -> None:
        self.directory = directory
        self.live = directory / f"{channel}.jsonl"
        self.replaying = directory / f"{channel}.replaying.jsonl"
        self._replay_lock = directory / f"{channel}.replay.lock"
        self.told_file = directory / f"{channel}.told"
        self.quarantine = directory / f"{channel}.quarantine.jsonl"
        self.max_bytes = max_bytes
        self.clock = clock
        self.max_age = max_age
        self._key = key

    @property
    def key(self) -> PseudonymKey:
        """The pseudonyms' key: PSEUDONYM_KEY, else ``<data dir>/keys`` (the spool folder's parent)."""
        if self._key is None:
            self._key = PseudonymKey.from_env(data_dir=self.directory.parent)
        return self._key

    def pending(self) -> bool:
        """Whether spooled messages wait (new ones must then queue behind them, to keep the order)."""
        return any(p.exists() and p.stat().st_size > 0 for p in (self.replaying, self.live))

    def append(self, record: dict[str, Any]) -> bool:
        """Keep one webhook on disk (fsync), with the time; False when the spool is full or the disk fails."""
        kept = {"spooled_at": round(self.clock(), 3), "record": record}
        line = (json.dumps(kept, ensure_ascii=False) + "\n").encode()
        try:
            self.directory.mkdir(parents=True, exist_ok=True, mode=0o700)
            while True:
                fd = os.open(self.live, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX)
                    if not self.live.exists() or os.fstat(fd).st_ino != self.live.stat().st_ino:
                        continue  # renamed by the replayer meanwhile: write to the new file
                    if os.fstat(fd).st_size + len(line) > self.max_bytes:
                        log.error("inbound spool %s is full", self.live.name)
                        return False
                    os.write(fd, line)
                    os.fsync(fd)
                    return True
                finally:
                    os.close(fd)
        except OSError as exc:
            log.error("inbound spool %s: %s", self.live.name, exc)
            return False

    def tell_once(self, address: str) -> bool:
        """True the first time ``address`` writes while the spool holds messages (then tell them the service is
        slowed down); False afterwards, across restarts and processes, until the spool was replayed."""
        try:
            digest = self.key.digest(address).encode()
            self.directory.mkdir(parents=True, exist_ok=True, mode=0o700)
            fd = os.open(self.told_file, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o600)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX)
                if digest in self.told_file.read_bytes().split():
                    return False
                os.write(fd, digest + b"\n")
                os.fsync(fd)
                return True
            finally:
                os.close(fd)
        except (OSError, RuntimeError) as exc:  # better twice than never
            log.error("inbound spool %s: %s", self.told_file.name, type(exc).__name__)
            return True

    @contextlib.contextmanager
    def _exclusive(self) -> Iterator[bool]:
        self.directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(self._replay_lock, os.O_WRONLY | os.O_CREAT, 0o600)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                yield False  # another process replays
                return
            yield True
        finally:
            os.close(fd)

    def _take_live(self) -> None:
        if self.replaying.exists() or not self.live.exists():
            return
        fd = os.open(self.live, os.O_WRONLY | os.O_APPEND)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            os.replace(self.live, self.replaying)
        finally:
            os.close(fd)

    async def replay(self, handle: Callable[[dict[str, Any]], Awaitable[None]]) -> int:
        """Hand every spooled record to ``handle`` in order; how many. Stops (keeping the rest) on an outage;
        records past their age are dropped, poison records quarantined."""
        count = 0
        with self._exclusive() as mine:
            if not mine:
                return 0
            while True:
                self._take_live()
                if not self.replaying.exists():
                    break
                lines = self.replaying.read_bytes().splitlines()
                for index, raw in enumerate(lines):
                    record = self._unwrap(raw)
                    if record is None:
                        continue
                    try:
                        await handle(record)
                    except Exception as exc:
                        if is_outage(exc):
                            rest = b"".join(line + b"\n" for line in lines[index:])
                            self.replaying.write_bytes(rest)
                            raise
                        self._quarantine(raw, exc)
                        continue
                    count += 1
                self.replaying.unlink()
        if not self.pending():
            self.told_file.unlink(missing_ok=True)
        return count

    def _unwrap(self, raw: bytes) -> dict[str, Any] | None:
        """The record of one line, or None when unreadable or past its age."""
        try:
            kept = json.loads(raw)
        except ValueError:
            log.error("inbound spool: unreadable line skipped")
            return None
        if not isinstance(kept, dict) or "record" not in kept:
            return kept if isinstance(kept, dict) else None  # written before December 2026: no time
        if self.clock() - float(kept.get("spooled_at") or 0) > self.max_age:
            log.warning("inbound spool %s: a message older than %d h dropped", self.live.name, self.max_age // 3600)
            return None
        record = kept["record"]
        return record if isinstance(record, dict) else None

    def _quarantine(self, raw: bytes, exc: Exception) -> None:
        """Set a poison record aside (0600) so the messages behind it go through."""
        log.error("inbound spool %s: a record failed (%s), set aside in quarantine", self.live.name, type(exc).__name__)
        try:
            fd = os.open(self.quarantine, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            try:
                os.write(fd, raw + b"\n")
                os.fsync(fd)
            finally:
                os.close(fd)
        except OSError as error:
            log.error("inbound spool %s: %s", self.quarantine.name, type(error).__name__)


def purge(directory: Path, now: float, max_age: float = MAX_AGE_SECONDS) -> list[str]:
    """Delete spool and "told" files untouched for ``max_age`` (every record in them is past its age), and
    quarantine files untouched for ``QUARANTINE_DAYS``; the names deleted. A file being written or replayed
    is recent, so never deleted here."""
    if not directory.is_dir():
        return []
    gone = []
    for path in directory.iterdir():
        name = path.name
        limit = QUARANTINE_DAYS * 24 * 3600 if name.endswith(".quarantine.jsonl") else max_age
        if not (name.endswith(".jsonl") or name.endswith(".told")):
            continue
        with contextlib.suppress(FileNotFoundError):
            if now - path.stat().st_mtime > limit:
                path.unlink()
                gone.append(name)
    if gone:
        log.warning("inbound spool: %d file(s) past their age deleted", len(gone))
    return gone
