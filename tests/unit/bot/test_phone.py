"""E.164 normalisation and masking."""

from __future__ import annotations

from bot.phone import mask, normalize_e164


def test_normalize_french_formats() -> None:
    for raw in ("06 12 34 56 78", "0612345678", "+33 6 12 34 56 78", "0033612345678", "+33612345678"):
        assert normalize_e164(raw) == "+33612345678"
    assert normalize_e164("+14155552671") == "+14155552671"


def test_normalize_rejects_garbage() -> None:
    for raw in ("", "abc", "12", "+", "x" * 100):
        assert normalize_e164(raw) is None


def test_mask() -> None:
    assert mask("+33612345678") == "+33 6 ** ** ** 78"
    assert mask("06 12 34 56 78") == "+33 6 ** ** ** 78"
    assert "5552" not in mask("+14155552671") and mask("+14155552671").endswith("71")
    assert mask("not a number") == "***"
