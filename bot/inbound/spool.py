"""While Redis does not answer: webhooks kept in an append-only file (PIMMS_DATA_DIR/spool), replayed in order.

Writers append one JSON line under an exclusive lock and check they still hold the live file (the replayer
renames it). The replayer takes ``<channel>.replaying.jsonl`` (left by a crash, or renamed from the live file),
replays it line by line, then deletes it: a crash during a replay replays again, and the webhook
de-duplication (MessageSid, update_id) makes that harmless.

Who was told that the service is slowed down is kept beside it (``<channel>.told``: a hash per person, not the
number; Redis is what is down), so a restart does not tell them again; it is deleted once the spool is empty.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import logging
import os
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)
MAX_BYTES = 20 * 1024 * 1024


class LocalSpool:
    """One channel's spool file, and who was told the service is slowed down (``tell_once``)."""

    def __init__(self, directory: Path, channel: str, max_bytes: int = MAX_BYTES) -> None:
        self.directory = directory
        self.live = directory / f"{channel}.jsonl"
        self.replaying = directory / f"{channel}.replaying.jsonl"
        self._replay_lock = directory / f"{channel}.replay.lock"
        self.told_file = directory / f"{channel}.told"
        self.max_bytes = max_bytes

    def pending(self) -> bool:
        """Whether spooled messages wait (new ones must then queue behind them, to keep the order)."""
        return any(p.exists() and p.stat().st_size > 0 for p in (self.replaying, self.live))

    def append(self, record: dict[str, Any]) -> bool:
        """Keep one webhook on disk (fsync); False when the spool is full or the disk fails."""
        line = (json.dumps(record, ensure_ascii=False) + "\n").encode()
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
        digest = hashlib.sha256(address.encode()).hexdigest().encode()
        try:
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
        except OSError as exc:  # better twice than never
            log.error("inbound spool %s: %s", self.told_file.name, exc)
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
        """Hand every spooled record to ``handle`` in order; how many. Stops (keeping the rest) if one fails."""
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
                    try:
                        record = json.loads(raw)
                    except ValueError:
                        log.error("inbound spool: unreadable line skipped")
                        continue
                    try:
                        await handle(record)
                    except Exception:
                        rest = b"".join(line + b"\n" for line in lines[index:])
                        self.replaying.write_bytes(rest)
                        raise
                    count += 1
                self.replaying.unlink()
        if not self.pending():
            self.told_file.unlink(missing_ok=True)
        return count
