"""The joint intent and FAQ topic model (scikit-learn, no Rasa): labels, rankings, round trip through bytes."""

from __future__ import annotations

import pytest

from bot.nlu_model import IntentTopicModel, label_of

EXAMPLES: list[tuple[str, str, str | None]] = [
    ("bonjour", "greet", None),
    ("bjr madame", "greet", None),
    ("salut", "greet", None),
    ("je veux un rdv", "book_appointment", None),
    ("prendre rendez vous svp", "book_appointment", None),
    ("un rdv au pimms", "book_appointment", None),
    ("numero de la caf", "faq", "faq/caf_contact"),
    ("appeler la caf", "faq", "faq/caf_contact"),
    ("joindre la caf par tel", "faq", "faq/caf_contact"),
    ("jai perdu ma carte vitale", "faq", "faq/carte_vitale"),
    ("carte vitale perdue", "faq", "faq/carte_vitale"),
    ("refaire ma carte vitale", "faq", "faq/carte_vitale"),
    ("immatriculer ma voiture", "out_of_scope", None),
    ("carte grise de ma voiture", "out_of_scope", None),
    ("changer la carte grise", "out_of_scope", None),
]


@pytest.fixture(scope="module")
def model() -> IntentTopicModel:
    return IntentTopicModel.fit(EXAMPLES)


def test_labels_are_intents_and_topic_keys() -> None:
    assert label_of("faq", "faq/caf_contact") == "faq/caf_contact"
    assert label_of("faq", "caf_contact") == "faq/caf_contact"
    assert label_of("greet", None) == "greet"
    assert label_of("faq", None) == "faq"


def test_model_knows_each_topic_as_a_label(model: IntentTopicModel) -> None:
    assert set(model.labels) == {"greet", "book_appointment", "out_of_scope", "faq/caf_contact", "faq/carte_vitale"}


def test_faq_question_gets_the_faq_intent_and_its_topic(model: IntentTopicModel) -> None:
    [reading] = model.read(["g perdu ma cart vital"])
    assert reading.intents[0].intent == "faq"
    assert reading.topics[0].topic == "faq/carte_vitale"
    assert abs(sum(s.confidence for s in reading.intents) - 1) < 1e-6
    assert abs(sum(s.confidence for s in reading.topics) - 1) < 1e-6
    assert reading.topics[0].confidence > reading.topics[1].confidence


def test_faq_intent_scores_its_best_topic_not_the_sum_of_all(model: IntentTopicModel) -> None:
    [reading] = model.read(["joindre la caf"])
    intents = {s.intent: s.confidence for s in reading.intents}
    assert intents["faq"] == max(intents.values())
    assert reading.topics[0].topic == "faq/caf_contact"
    [spread] = model.read(["zzz"])
    labels = dict(zip(model.labels, model._model.probabilities(["zzz"])[0], strict=True))
    best_topic = max(p for label, p in labels.items() if label.startswith("faq/"))
    others = sum(p for label, p in labels.items() if not label.startswith("faq/"))
    faq = next(s.confidence for s in spread.intents if s.intent == "faq")
    assert abs(faq - best_topic / (best_topic + others)) < 1e-9


def test_other_intents_are_read(model: IntentTopicModel) -> None:
    greeting, booking, car = model.read(["bonjour", "je voudrais un rdv", "ma carte grise"])
    assert greeting.intents[0].intent == "greet"
    assert booking.intents[0].intent == "book_appointment"
    assert car.intents[0].intent == "out_of_scope"


def test_ranking_length_is_bounded(model: IntentTopicModel) -> None:
    [reading] = model.read(["bonjour"], top=2)
    assert len(reading.intents) == 2 and len(reading.topics) == 2


def test_round_trip_through_bytes_gives_the_same_reading(model: IntentTopicModel) -> None:
    again = IntentTopicModel.loads(model.dumps())
    assert again.read(["numero caf"]) == model.read(["numero caf"])
    assert model.read([]) == []
