"""`python -m bot.ops.launch MODULE ARG...`: run a Python module's CLI with secrets kept off the command line.

An argument ``@env:NAME`` is replaced, inside this process, by the value of the environment variable
NAME: ``ps`` and ``/proc/<pid>/cmdline`` only ever show ``@env:NAME``. Log redaction
(bot/security/redact.py) is installed before the module runs, and children the module forks (Sanic's workers)
die with it, as the module dies with the runner (bot/ops/processes.py).
"""

from __future__ import annotations

import os
import runpy
import sys
from collections.abc import Mapping, Sequence

from bot.ops.processes import die_with_parent_in_forks
from bot.security import redact

ENV_PREFIX = "@env:"


def expand(args: Sequence[str], env: Mapping[str, str]) -> list[str]:
    """The arguments with every ``@env:NAME`` replaced by ``env[NAME]`` (missing: an error)."""
    out = []
    for arg in args:
        if arg.startswith(ENV_PREFIX):
            name = arg[len(ENV_PREFIX) :]
            if not env.get(name):
                raise SystemExit(f"bot.ops.launch: environment variable {name} is not set")
            out.append(env[name])
        else:
            out.append(arg)
    return out


def main(argv: list[str] | None = None) -> None:
    """Run ``argv[0]`` as ``__main__`` with the expanded arguments."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv:
        raise SystemExit("usage: python -m bot.ops.launch MODULE [ARG...]")
    module, args = argv[0], expand(argv[1:], os.environ)
    redact.install(os.environ)
    # Rasa's extra Sanic workers are forked, not started by the runner: they must die with it too (L6).
    die_with_parent_in_forks()
    sys.argv = [module, *args]
    runpy.run_module(module, run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main()
