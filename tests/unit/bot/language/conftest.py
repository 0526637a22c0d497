"""The privacy tests' small world (real Redis, real booking service and eraser), reused for the language key."""

from tests.unit.bot.privacy.conftest import world

__all__ = ["world"]
