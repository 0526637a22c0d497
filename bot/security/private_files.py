"""Runtime data stays readable by the account running the assistant only (issue 22, M1).

``var/`` holds the embedded Redis data (every conversation, number and mediator hash in its AOF/RDB), the
generated secrets and the spool. Folders are 0700 and files 0600, whatever the umask was when they were made.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

PRIVATE_UMASK = 0o077
DIR_MODE = 0o700
FILE_MODE = 0o600


def private_dir(path: Path) -> Path:
    """Create ``path`` (and its parents) if needed, then make the folder and everything under it private."""
    path.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
    restrict_tree(path)
    return path


def restrict_tree(root: Path) -> None:
    """chmod folders 0700 and regular files 0600 under ``root``; symbolic links are neither followed nor changed."""
    _restrict(root)
    for folder, dirs, files in os.walk(root, followlinks=False):
        for name in dirs + files:
            _restrict(Path(folder) / name)


def _restrict(path: Path) -> None:
    try:
        mode = path.lstat().st_mode
    except FileNotFoundError:  # removed meanwhile (a spool file replayed, a temporary Redis file renamed)
        return
    if stat.S_ISDIR(mode):
        wanted = DIR_MODE
    elif stat.S_ISREG(mode):
        wanted = FILE_MODE
    else:
        return
    if stat.S_IMODE(mode) != wanted:
        try:
            path.chmod(wanted)
        except FileNotFoundError:
            pass
        except PermissionError:  # another account's file (a shared PIMMS_DATA_DIR): not ours to change
            pass
