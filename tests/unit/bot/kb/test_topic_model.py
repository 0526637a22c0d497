"""The label model (scikit-learn, no Rasa): label probabilities, survives typos, round-trips through bytes."""

from __future__ import annotations

import pytest

from bot.kb.topic_model import TopicModel

TEXTS = [
    "numero de la caf",
    "appeler la caf",
    "joindre la caf par tel",
    "jai perdu ma carte vitale",
    "carte vitale perdue",
    "refaire ma carte vitale",
    "cmt faire mon actualisation",
    "actualisation france travail",
    "pointage pole emploi",
]
TOPICS = ["caf_contact"] * 3 + ["carte_vitale"] * 3 + ["ft_actualisation"] * 3


def test_a_message_written_with_typos_gets_its_topic_most_probable() -> None:
    model = TopicModel.fit(TEXTS, TOPICS)
    [row] = model.probabilities(["g perdu ma cart vital"])
    assert len(row) == len(model.topics) == 3 and abs(sum(row) - 1) < 1e-9
    assert model.topics[row.index(max(row))] == "carte_vitale"


def test_round_trip_through_bytes_gives_the_same_ranking() -> None:
    model = TopicModel.fit(TEXTS, TOPICS)
    again = TopicModel.loads(model.dumps())
    assert again.topics == model.topics
    assert again.probabilities(["pointage"]) == model.probabilities(["pointage"])


def test_needs_two_topics_and_refuses_foreign_bytes() -> None:
    with pytest.raises(ValueError):
        TopicModel.fit(["a", "b"], ["x", "x"])
    import pickle

    with pytest.raises(ValueError):
        TopicModel.loads(pickle.dumps({"not": "a model"}))
    assert TopicModel.fit(TEXTS, TOPICS).probabilities([]) == []
