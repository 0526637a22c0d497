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


def require_chromium() -> str:
    """Chromium's path; skip without it, except in CI (PIMMS_REQUIRE_BROWSER=1) where that is a failure."""
    if os.path.exists(CHROMIUM):
        return CHROMIUM
    if os.environ.get("PIMMS_REQUIRE_BROWSER") == "1":
        pytest.fail("Chromium is required here: apt-get install -y chromium")
    pytest.skip("Chromium is not installed (apt-get install -y chromium)")
