#!/usr/bin/env bash
# Print the path of a working Python 3.10 interpreter: on PATH, or installed through pyenv.
set -u
check() { "$1" -c 'import sys, venv; assert sys.version_info[:2] == (3, 10)' >/dev/null 2>&1; }
candidate=$(command -v python3.10 2>/dev/null) && check "$candidate" && { echo "$candidate"; exit 0; }
for root in "${PYENV_ROOT:-}" "$(pyenv root 2>/dev/null)" "$HOME/.pyenv"; do
  [ -n "$root" ] || continue
  for candidate in $(ls -d "$root"/versions/3.10*/bin/python3.10 2>/dev/null | sort -V -r); do
    check "$candidate" && { echo "$candidate"; exit 0; }
  done
done
for candidate in /usr/bin/python3.10 /usr/local/bin/python3.10; do
  check "$candidate" && { echo "$candidate"; exit 0; }
done
exit 1
