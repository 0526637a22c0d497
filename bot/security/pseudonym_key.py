"""The secret key of the pseudonyms (activity counts of distinct residents, the spool's "told" file).

It is never kept in Redis, nor beside the data it protects:

- ``PSEUDONYM_KEY`` (environment, at least 32 hex characters) when set: the operator changes it every January
  (``docs/privacy.md``, "Pseudonym key");
- otherwise a random key in ``<PIMMS_DATA_DIR>/keys/pseudonym-<YYYY>.key`` (mode 0600, folder 0700), drawn
  the first time it is needed in a (UTC) year. Drawing the new year's key deletes the older files, so the
  pseudonyms of past years can no longer be recomputed: yearly rotation without an operator.

Every process of the stack shares the file (the first one to need it creates it, atomically).
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import logging
import os
import secrets
import time
from collections.abc import Callable, Mapping
from datetime import datetime, timezone
from pathlib import Path

from bot.settings import PROJECT_ROOT

log = logging.getLogger(__name__)
ENV_VAR = "PSEUDONYM_KEY"
FOLDER = "keys"
MIN_HEX = 32


class PseudonymKeyError(RuntimeError):
    """The key cannot be read or made (bad PSEUDONYM_KEY, unwritable data folder)."""


def key_folder(data_dir: Path) -> Path:
    """Where the yearly key files live."""
    return data_dir / FOLDER


class PseudonymKey:
    """Keyed hashes of identifiers; the key comes from ``PSEUDONYM_KEY`` or the year's key file."""

    def __init__(
        self,
        data_dir: Path,
        env_value: str = "",
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.folder = key_folder(data_dir)
        self.env_value = env_value.strip()
        self.clock = clock
        self._cache: tuple[int, bytes] | None = None

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, data_dir: Path | None = None) -> PseudonymKey:
        """The key of this deployment: ``PSEUDONYM_KEY``, else the key file under PIMMS_DATA_DIR (or ``data_dir``)."""
        env = os.environ if env is None else env
        folder = data_dir or Path(env.get("PIMMS_DATA_DIR", "") or PROJECT_ROOT / "var")
        return cls(folder, env.get(ENV_VAR, ""))

    def year(self) -> int:
        """The (UTC) year whose key is in use."""
        return datetime.fromtimestamp(self.clock(), tz=timezone.utc).year

    def current(self) -> bytes:
        """The key in use now (read once per year and process)."""
        year = self.year()
        if self._cache is not None and self._cache[0] == year:
            return self._cache[1]
        key = self._from_env() if self.env_value else self._from_file(year)
        self._cache = (year, key)
        return key

    def digest(self, value: str, length: int = 32) -> str:
        """HMAC-SHA256 of ``value`` with the current key, as ``length`` hex characters."""
        return hmac.new(self.current(), value.encode(), hashlib.sha256).hexdigest()[:length]

    def _from_env(self) -> bytes:
        try:
            key = bytes.fromhex(self.env_value)
        except ValueError as exc:
            raise PseudonymKeyError(f"{ENV_VAR} must be hexadecimal") from exc
        if len(self.env_value) < MIN_HEX:
            raise PseudonymKeyError(f"{ENV_VAR} must have at least {MIN_HEX} hex characters")
        return key

    def path(self, year: int) -> Path:
        """The key file of one year."""
        return self.folder / f"pseudonym-{year}.key"

    def _from_file(self, year: int) -> bytes:
        path = self.path(year)
        try:
            if not path.exists():
                self._create(path)
                self._forget_older(year)
            return bytes.fromhex(path.read_text().strip())
        except (OSError, ValueError) as exc:
            raise PseudonymKeyError(f"pseudonym key file unusable: {type(exc).__name__}") from exc

    def _create(self, path: Path) -> None:
        self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        os.chmod(self.folder, 0o700)
        draft = self.folder / f".{path.name}.{secrets.token_hex(4)}"
        fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            os.write(fd, secrets.token_hex(32).encode())
            os.fsync(fd)
        finally:
            os.close(fd)
        try:
            os.link(draft, path)  # atomic, and never replaces a key another process drew first
        except FileExistsError:
            pass
        finally:
            draft.unlink(missing_ok=True)
        log.info("new pseudonym key drawn for %s", path.stem.rsplit("-", 1)[-1])

    def _forget_older(self, year: int) -> None:
        for old in self.folder.glob("pseudonym-*.key"):
            with contextlib.suppress(ValueError):
                if int(old.stem.rsplit("-", 1)[-1]) < year:
                    old.unlink(missing_ok=True)
