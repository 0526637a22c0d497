"""Knowledge base: every answer sourced, dated, short enough for 2 SMS; generated files up to date."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from bot.danger import detect
from bot.kb import generate, review
from bot.kb.model import KB_DIR, MORE_HINT, Entry, KbError, load_kb, sms_segments, validate_entries
from bot.kb.readability import undated_amounts

REQUIRED_TOPICS = {
    "ft_actualisation",
    "ft_actualisation_oubliee",
    "ft_inscription",
    "ft_contact",
    "ft_attestation",
    "ft_radiation",
    "ft_allocation",
    "ft_paiement",
    "ft_rsa_inscription",
    "caf_contact",
    "caf_compte",
    "caf_rsa",
    "caf_prime_activite",
    "caf_logement",
    "caf_allocations_familiales",
    "caf_dtr",
    "caf_paiement_date",
    "caf_attestation",
    "caf_changement_situation",
    "caf_trop_percu",
    "natu_demande",
    "natu_conditions",
    "natu_pieces",
    "natu_timbre",
    "natu_delai",
    "natu_suivi",
    "natu_pimms",
    "titre_renouvellement",
    "titre_attestations",
    "titre_recepisse",
    "acte_naissance",
    "cni_passeport",
    "cni_perte_vol",
    "facture_impayee",
    "cheque_energie",
    "treve_hivernale",
    "eau_lyon",
    "ameli_contact",
    "carte_vitale",
    "css",
    "ame",
    "impots_declarer",
    "impots_avis",
    "impots_contact",
    "livret_a",
    "tcl_solidaire",
    "simulateurs",
    "aide_courrier",
    "rdv_papiers",
    "passeport_perte_vol",
}


@pytest.fixture(scope="module")
def entries() -> list[Entry]:
    """The real knowledge base."""
    return load_kb()


def test_kb_is_valid(entries: list[Entry]) -> None:
    assert validate_entries(entries) == []


def test_required_topics_present(entries: list[Entry]) -> None:
    assert REQUIRED_TOPICS <= {e.id for e in entries}


@pytest.mark.parametrize("entry", load_kb(), ids=lambda e: e.id)
def test_answer_fits_two_sms_and_is_sourced(entry: Entry) -> None:
    assert sms_segments(entry.full_answer) <= 2
    assert entry.sources and all(s.url.startswith("https://") for s in entry.sources)
    assert entry.review_by is not None, "every answer gets a review-by date"
    # No clock here (the suite runs at simulated moments): a date typed in the future lands after the review date.
    assert entry.checked_on is not None and entry.checked_on < entry.review_by
    assert len({x.lower() for x in entry.examples}) >= 20
    assert entry.expect in entry.full_answer


def test_no_faq_example_triggers_the_danger_detector(entries: list[Entry]) -> None:
    flagged = [(e.id, x) for e in entries for x in (*e.examples, e.probe) if detect(x)]
    assert flagged == []


def test_generated_files_up_to_date() -> None:
    for path, text in generate.outputs().items():
        assert path.read_text(encoding="utf-8") == text, f"{path} is stale: run python -m bot.kb.generate"
    assert generate.main(["--check"]) == 0


def test_generated_files_are_valid_rasa_yaml(entries: list[Entry]) -> None:
    domain = yaml.safe_load(generate.DOMAIN_PATH.read_text(encoding="utf-8"))
    nlu = yaml.safe_load(generate.NLU_PATH.read_text(encoding="utf-8"))
    assert generate.DOMAIN_PATH.read_text(encoding="utf-8").startswith("# GENERATED")
    # The PLUS follow-up is written by hand beside the generated files.
    more_domain = yaml.safe_load((generate.DOMAIN_PATH.parent / "faq_more.yml").read_text(encoding="utf-8"))
    more_nlu = yaml.safe_load((generate.NLU_PATH.parent / "faq_more.yml").read_text(encoding="utf-8"))
    assert {"faq", "more"} <= set(domain["intents"]) | set(more_domain["intents"])
    assert "action_faq_more" in more_domain["actions"]
    assert {"utter_faq_more_none", "utter_faq_more_no_topic"} <= set(more_domain["responses"])
    for entry in entries:
        [response] = [v for v in domain["responses"][entry.response_name] if "condition" not in v]  # French
        assert response["text"] == entry.full_answer
        assert response["metadata"]["sources"] == [s.url for s in entry.sources]
        assert response["metadata"]["sources_consulted"] == [str(s.consulted) for s in entry.sources]
        assert response["metadata"]["checked_on"] == str(entry.checked_on)
    intents = {block["intent"]: block["examples"] for block in nlu["nlu"] + more_nlu["nlu"]}
    assert set(intents) == {e.intent for e in entries} | {"more"}
    assert "- PLUS" in intents["more"]


def test_hint_only_when_steps(entries: list[Entry]) -> None:
    for entry in entries:
        assert entry.full_answer.endswith(MORE_HINT) == bool(entry.steps)
        assert entry.answer.count("répondez PLUS") == 0


def _write(tmp: Path, body: str) -> Path:
    (tmp / "t.yml").write_text(body, encoding="utf-8")
    return tmp


def test_validation_catches_missing_source_date_and_long_answer(tmp_path: Path) -> None:
    examples = "\n".join(f"      - question numero {i}" for i in range(25))
    body = f"""theme: t
entries:
  - id: bad
    answer: "{"Trop long. " * 40}"
    probe: "une question"
    expect: "Trop"
    sources: []
    examples:
{examples}
"""
    problems = validate_entries(load_kb(_write(tmp_path, body)))
    assert any("no source" in p for p in problems)
    assert any("no checked_on" in p for p in problems)
    assert any("SMS segments" in p for p in problems)


def test_validation_catches_few_examples_and_bad_date(tmp_path: Path) -> None:
    body = """theme: t
entries:
  - id: few
    answer: "Court."
    sources: [{url: "https://www.caf.fr", consulted: 2026-03-31}]
    checked_on: 2026-03-31
    examples: [a, b]
"""
    problems = validate_entries(load_kb(_write(tmp_path, body)))
    assert any("distinct examples" in p for p in problems)
    assert any("probe" in p for p in problems)
    (tmp_path / "t.yml").write_text(body.replace("2026-03-31", "31/03/2026"), encoding="utf-8")
    with pytest.raises(KbError):
        load_kb(tmp_path)


def test_review_lists_past_review_dates(entries: list[Entry], capsys: pytest.CaptureFixture[str]) -> None:
    assert review.due(entries, dt.date(2026, 11, 27)) == [], "every answer re-checked on 2026-11-27"
    late = review.due(entries, dt.date(2027, 6, 1))
    assert late and all(e.review_by <= dt.date(2027, 6, 1) for e in late)
    assert review.due(entries, dt.date(2020, 1, 1)) == []
    assert review.main(["--today", "2026-11-27", "--strict"]) == 0
    assert review.main(["--today", "2027-06-01"]) == 0
    assert review.main(["--today", "2027-06-01", "--strict"]) == 1
    out = capsys.readouterr().out
    assert "answers to review" in out and late[0].id in out


def test_kb_dir_is_the_project_kb() -> None:
    assert KB_DIR.name == "kb" and any(KB_DIR.glob("*.yml"))


def test_out_of_scope_examples(entries: list[Entry]) -> None:
    path = KB_DIR.parent / "data" / "nlu" / "out_of_scope.yml"
    [block] = yaml.safe_load(path.read_text(encoding="utf-8"))["nlu"]
    assert block["intent"] == "out_of_scope"
    examples = [line[2:] for line in block["examples"].splitlines() if line.startswith("- ")]
    assert len(set(examples)) >= 60
    faq_examples = {x.lower() for e in entries for x in e.examples}
    assert [x for x in examples if x.lower() in faq_examples] == []
    assert [x for x in examples if detect(x)] == []


def test_faq_examples_not_claimed_by_other_intents(entries: list[Entry]) -> None:
    faq_examples = {x.lower(): e.id for e in entries for x in e.examples}
    clashes = []
    for path in sorted((KB_DIR.parent / "data" / "nlu").glob("*.yml")):
        if path.name == "faq.yml":
            continue
        for block in yaml.safe_load(path.read_text(encoding="utf-8")).get("nlu", []):
            for line in str(block.get("examples", "")).splitlines():
                text = line.strip().removeprefix("- ").lower()
                if "intent" in block and text in faq_examples:
                    clashes.append((path.name, block["intent"], text, faq_examples[text]))
    assert clashes == []


def test_amounts_carry_their_year_and_a_january_review(tmp_path: Path) -> None:
    assert undated_amounts("Timbre de 25 € pour une carte perdue.") == ["25 €"]
    assert undated_amounts("Timbre de 25 € (tarif 2026). Dès 1,50 € en 2026.") == []
    assert undated_amounts("Timbre fiscal (tarif 2026) : 86 € adulte, 42 € de 15 à 17 ans.") == []
    assert undated_amounts("Le RSA a changé en 2026. Il coûte 3 euros par jour.") == ["3 euros"]
    base = _entry_yaml("Timbre de 25 €.", review_by="2027-03-31")
    (tmp_path / "t.yml").write_text(base, encoding="utf-8")
    problems = validate_entries(load_kb(tmp_path))
    assert any("'25 €' has no year" in p for p in problems)
    assert any("review_by must fall in January" in p for p in problems)
    (tmp_path / "t.yml").write_text(
        _entry_yaml("Timbre de 25 € (tarif 2026).", review_by="2027-01-31"), encoding="utf-8"
    )
    assert validate_entries(load_kb(tmp_path)) == []


def test_old_address_in_an_answer_is_refused(tmp_path: Path) -> None:
    (tmp_path / "t.yml").write_text(
        _entry_yaml("Infos sur service-public.fr.", review_by="2027-03-31"), encoding="utf-8"
    )
    assert any("moved to service-public.gouv.fr" in p for p in validate_entries(load_kb(tmp_path)))


def test_nothing_overdue_as_of_the_last_check(entries: list[Entry]) -> None:
    # The clock is the kb's own last check date, not the wall clock: an entry whose review date had already
    # passed when the kb was last checked was overlooked by that check.
    last_check = max(e.checked_on for e in entries if e.checked_on)
    assert review.due(entries, last_check) == []
    assert review.undated(entries) == []
    assert review.jargon(entries) == []


def test_review_lists_longest_answers_jargon_and_amounts(capsys: pytest.CaptureFixture[str]) -> None:
    assert review.main(["--today", "2026-12-07", "--strict"]) == 0
    out = capsys.readouterr().out
    assert "Longest first messages" in out and "0 amounts without their year" in out
    assert "0 administrative words used without an explanation" in out
    assert "passeport_perte_vol" in out  # states a dated fee: back every January


def _entry_yaml(answer: str, review_by: str) -> str:
    examples = "\n".join(f"      - question numero {i}" for i in range(25))
    return f"""theme: t
entries:
  - id: one
    answer: "{answer}"
    probe: "une question"
    expect: "{answer[:5]}"
    checked_on: 2026-12-07
    review_by: {review_by}
    sources:
      - {{url: 'https://www.caf.fr/x', consulted: 2026-12-07}}
    examples:
{examples}
"""
