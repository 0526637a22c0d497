"""The FAQ topic model (scikit-learn, no Rasa): ranks topics, survives typos, round-trips through bytes."""

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


def test_ranks_the_topic_of_a_message_written_with_typos_first() -> None:
    model = TopicModel.fit(TEXTS, TOPICS)
    [ranking] = model.rank(["g perdu ma cart vital"], top=2)
    assert ranking[0].topic == "carte_vitale"
    assert len(ranking) == 2 and ranking[0].confidence >= ranking[1].confidence


def test_round_trip_through_bytes_gives_the_same_ranking() -> None:
    model = TopicModel.fit(TEXTS, TOPICS)
    again = TopicModel.loads(model.dumps())
    assert again.topics == model.topics
    assert again.rank(["pointage"]) == model.rank(["pointage"])


def test_needs_two_topics_and_refuses_foreign_bytes() -> None:
    with pytest.raises(ValueError):
        TopicModel.fit(["a", "b"], ["x", "x"])
    import pickle

    with pytest.raises(ValueError):
        TopicModel.loads(pickle.dumps({"not": "a model"}))
    assert TopicModel.fit(TEXTS, TOPICS).rank([]) == []
