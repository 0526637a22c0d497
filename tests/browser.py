"""The machine's Chromium for browser tests (never a downloaded browser)."""

from __future__ import annotations

import os

import pytest

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def browser_env() -> dict[str, str]:
    """The environment for Chromium: without libfaketime (``make test-moments``), which hangs it.

    The browser only renders; the moment under test is the server's, which stays faked.
    """
    return {k: v for k, v in os.environ.items() if k != "LD_PRELOAD" and not k.startswith("FAKETIME")}


def require_chromium() -> str:
    """Chromium's path; skip without it, except in CI (PIMMS_REQUIRE_BROWSER=1) where that is a failure."""
    if os.path.exists(CHROMIUM):
        return CHROMIUM
    if os.environ.get("PIMMS_REQUIRE_BROWSER") == "1":
        pytest.fail("Chromium is required here: apt-get install -y chromium")
    pytest.skip("Chromium is not installed (apt-get install -y chromium)")
