"""Knowledge base: official, dated sources (allow-list) and plain French (jargon glossed on first use)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from bot.kb import review
from bot.kb.model import Entry, load_kb, validate_entries
from bot.kb.readability import unglossed
from bot.kb.sources import OFFICIAL_DOMAINS, Source, moved_addresses


def _text(entry: Entry) -> str:
    return " ".join((entry.answer, *entry.steps))


@pytest.mark.parametrize("entry", load_kb(), ids=lambda e: e.id)
def test_jargon_is_glossed_on_first_use(entry: Entry) -> None:
    assert unglossed(_text(entry)) == []


def test_jargon_checker_fails_on_an_unglossed_use() -> None:
    assert unglossed("Gardez le récépissé et appelez.") == ["récépissé"]
    assert unglossed("Gardez le récépissé, le papier provisoire de la préfecture.") == []
    assert unglossed("Demandez le FSL (fonds de solidarité logement).") == []
    assert unglossed("Attestation de prolongation d'instruction (API), le papier qui prouve...") == []
    assert unglossed("Un ajournement. Puis un autre ajournement (refus pour un temps).") == ["ajournement"]
    assert unglossed("Rien de technique ici.") == []
    assert unglossed("Droit à l'ASS ou l'AER (aides de France Travail).") == []
    assert unglossed("Droit à l'ASS ou l'AER, aides de France Travail.") == ["ASS", "AER"]


@pytest.mark.parametrize("entry", load_kb(), ids=lambda e: e.id)
def test_every_source_is_official_and_dated(entry: Entry) -> None:
    assert entry.sources
    for source in entry.sources:
        assert source.is_official(), f"{source.url} is not on the allow-list"
        # No clock here: a consultation date typed in the future lands after the entry's review date.
        assert source.consulted is not None and entry.review_by is not None and source.consulted < entry.review_by
    assert entry.review_by is not None and entry.checked_on is not None


def test_allow_list_rejects_news_and_copycat_sites() -> None:
    day = dt.date(2026, 11, 27)
    assert Source("https://www.service-public.gouv.fr/particuliers/vosdroits/F1759", day).is_official()
    assert Source("https://www.bas-rhin.gouv.fr/x", day).is_official()
    assert not Source("https://www.mercipourlinfo.fr/actualites/x", day).is_official()
    assert not Source("https://caf.fr.example.com/x", day).is_official()
    assert not Source("https://notcaf.fr/x", day).is_official()
    assert not Source("http://www.caf.fr/x", day).is_official()
    assert "gouv.fr" in OFFICIAL_DOMAINS


def test_old_service_public_address_is_refused() -> None:
    # service-public.fr moved to service-public.gouv.fr on 1 October 2025.
    day = dt.date(2026, 12, 7)
    assert not Source("https://www.service-public.fr/particuliers/vosdroits/F1759", day).is_official()
    assert moved_addresses("x", "Infos : service-public.fr.") == [
        "x: service-public.fr moved to service-public.gouv.fr: write the new address"
    ]
    assert moved_addresses("x", "Infos : service-public.gouv.fr.") == []


def _kb(tmp: Path, sources: str) -> list[Entry]:
    examples = "\n".join(f"      - question numero {i}" for i in range(25))
    (tmp / "t.yml").write_text(
        f"""theme: t
entries:
  - id: one
    answer: "Court."
    probe: "une question"
    expect: "Court"
    checked_on: 2026-11-27
    review_by: 2027-11-27
    sources:
{sources}
    examples:
{examples}
""",
        encoding="utf-8",
    )
    return load_kb(tmp)


def test_validation_rejects_undated_and_unofficial_sources(tmp_path: Path) -> None:
    problems = validate_entries(
        _kb(
            tmp_path, "      - https://www.caf.fr/x\n      - {url: 'https://blog.example.org/y', consulted: 2026-11-27}"
        )
    )
    assert any("no consultation date" in p for p in problems)
    assert any("not on the official allow-list" in p for p in problems)


def test_review_lists_sources_older_than_a_year(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    entries = _kb(tmp_path, "      - {url: 'https://www.caf.fr/x', consulted: 2025-10-01}")
    stale = review.stale_sources(entries, dt.date(2026, 11, 27))
    assert [(e.id, s.url) for e, s in stale] == [("one", "https://www.caf.fr/x")]
    assert review.stale_sources(entries, dt.date(2026, 9, 30)) == []
    assert review.main(["--today", "2027-12-31"]) == 0
    assert "sources consulted more than a year ago" in capsys.readouterr().out
