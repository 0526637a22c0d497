"""Every text a resident reads exists in each supported language (issue 23): a text without a variant, a variant
whose placeholders differ from the French source, or a variant longer than two SMS segments fails here."""

from __future__ import annotations

import importlib
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot import notices
from bot.language.texts import TRANSLATED, TRANSLATIONS_DIR, catalogue, localize
from bot.response_variants import language_of, select
from bot.sms.encoding import shape

ROOT = Path(__file__).resolve().parents[4]
REVIEW = "to be reviewed by a native-speaking mediator"
# Domain files whose every response is written in every language.
TRANSLATED_DOMAINS = ("basics.yml", "danger.yml", "booking.yml")
_PLACEHOLDER = re.compile(r"\{(\w*)\}")


def segments(text: str) -> int:
    """SMS segments as sent: 160/153 septets in GSM-7, 70/67 UTF-16 units in UCS-2."""
    clean, alphabet = shape(text)
    size = alphabet.measure(clean)
    return 1 if size <= alphabet.single else -(-size // alphabet.concat)


def placeholders(text: str) -> list[str]:
    return sorted(_PLACEHOLDER.findall(text))


def translation_files() -> list[dict[str, Any]]:
    return [yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted(TRANSLATIONS_DIR.glob("*.yml"))]


def module_files() -> list[dict[str, Any]]:
    return [f for f in translation_files() if "module" in f]


def phrase_files() -> list[dict[str, Any]]:
    """The translations of words from configuration files (``source``, ``phrases``)."""
    return [f for f in translation_files() if "phrases" in f]


def test_there_are_translation_files() -> None:
    assert {f["module"] for f in module_files()} >= {"bot.notices"}
    assert {f["source"] for f in phrase_files()} == {"config/motives.yml", "config/reminders.yml", "config/sites.yml"}
    assert all(("module" in f) != ("source" in f) for f in translation_files())


@pytest.mark.parametrize("data", phrase_files(), ids=lambda d: str(d["source"]))
def test_each_configuration_phrase_has_every_language(data: dict[str, Any]) -> None:
    assert data["review"] == REVIEW and data["translated_on"] == "2026-12-07"
    assert (ROOT / data["source"]).is_file()
    for french, variants in data["phrases"].items():
        assert set(variants) == set(TRANSLATED), french
        for language, text in variants.items():
            assert text.strip() and placeholders(text) == placeholders(french), (french, language)
            assert segments(text) <= 1, (french, language)


def test_every_motive_label_paper_and_reminder_name_is_translated() -> None:
    """A label or a paper changed in config/ without its translation would reach residents in French."""
    from bot.booking.motives import load_motives
    from bot.reminders.programmes import load_programmes
    from bot.sites import load_sites

    words = {w for m in load_motives().motives for w in (m.short_label, *m.papers)}
    words |= set(load_programmes().labels.values())
    words |= {site.access for site in load_sites(ROOT / "config" / "sites.yml").sites if site.access}
    missing = sorted(w for w in words if set(catalogue().get(w, {})) != set(TRANSLATED))
    assert not missing


@pytest.mark.parametrize("data", module_files(), ids=lambda d: str(d["module"]))
def test_each_module_text_has_every_language_with_its_placeholders(data: dict[str, Any]) -> None:
    assert data["review"] == REVIEW and data["translated_on"] == "2026-12-07"
    module = importlib.import_module(data["module"])
    for name, variants in data["texts"].items():
        french = getattr(module, name)
        assert isinstance(french, str), name
        assert set(variants) == set(TRANSLATED), name
        for language, text in variants.items():
            assert placeholders(text) == placeholders(french), (name, language)
            assert text.strip() and text != french, (name, language)
            assert segments(text) <= 2, (name, language, text)


def test_every_notice_is_translated() -> None:
    """Each constant of bot/notices.py (the texts the admission says) has its variants."""
    constants = [v for k, v in vars(notices).items() if k.isupper() and isinstance(v, str)]
    assert constants and all(c in catalogue() for c in constants)


@pytest.mark.parametrize("name", TRANSLATED_DOMAINS)
def test_each_domain_response_has_every_language_with_its_placeholders(name: str) -> None:
    domain = yaml.safe_load((ROOT / "domain" / name).read_text(encoding="utf-8"))
    for response, variants in domain["responses"].items():
        [french] = [v for v in variants if language_of(v) is None]
        by_language = {language_of(v): v for v in variants if language_of(v) is not None}
        assert set(by_language) == set(TRANSLATED), response
        for language, variant in by_language.items():
            assert placeholders(variant["text"]) == placeholders(french["text"]), (response, language)
            assert variant["metadata"]["review"] == REVIEW, (response, language)
            assert variant["metadata"]["translated_on"] == "2026-12-07"
            assert segments(variant["text"]) <= 2, (response, language)
            assert select(variants, language) == [variant]
        assert select(variants, "fr") == [french]


def test_localize_gives_the_variant_or_the_french() -> None:
    assert localize(notices.SMS_STOPPED, "en").startswith("You will no longer get SMS")
    assert localize(notices.SMS_STOPPED, "fr") == notices.SMS_STOPPED
    assert localize(notices.SMS_STOPPED, None) == notices.SMS_STOPPED
    assert localize("Un texte sans traduction.", "en") == "Un texte sans traduction."
    assert "START" in localize(notices.SMS_STOPPED, "ar")  # the keyword stays as the operator reads it
