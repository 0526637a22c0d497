"""IntentTopicClassifier on real Messages: trained, persisted, loaded, then read like DIET and a ResponseSelector."""

from __future__ import annotations

from pathlib import Path

from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.kb.abstention import topic_confidence, topic_of
from bot.kb.steps import last_faq_topic
from components.intent_classifier import IntentTopicClassifier
from tests.unit.components.graph import CONTEXT

TOPICS = {
    "faq/caf_contact": ["numero de la caf", "joindre la caf au tel", "appeler la caf svp", "cmt contacter la caf"],
    "faq/ft_actualisation": [
        "cmt faire mon actualisation",
        "pointage pole emploi",
        "jdois m actualiser",
        "actualisation ft",
    ],
    "faq/cni_perte_vol": ["jai perdu ma carte d identite", "cni volee", "on ma vole ma cni", "carte identite perdue"],
}


def examples() -> list[Message]:
    found = [
        Message(data={"text": text, "intent": "faq", "intent_response_key": key})
        for key, texts in TOPICS.items()
        for text in texts
    ]
    greetings = ["bonjour", "bjr", "salut", "bonsoir madame"]
    return found + [Message(data={"text": text, "intent": "greet"}) for text in greetings]


def trained_then_loaded(tmp_path: Path) -> IntentTopicClassifier:
    storage, resource = LocalModelStorage(tmp_path), Resource("IntentTopicClassifier")
    IntentTopicClassifier.create({}, storage, resource, CONTEXT).train(TrainingData(training_examples=examples()))
    return IntentTopicClassifier.load({}, storage, resource, CONTEXT)


def test_loaded_classifier_writes_the_topic_where_the_response_selector_does(tmp_path: Path) -> None:
    selector = trained_then_loaded(tmp_path)
    message = Message(data={"text": "jai oublie de faire mon actualisation"})
    selector.process([message])
    assert message.get("intent")["name"] == "faq"
    properties = message.get("response_selector")
    assert properties["all_retrieval_intents"] == ["faq"]
    assert topic_of(properties) == "ft_actualisation"
    assert properties["faq"]["response"]["utter_action"] == "utter_faq/ft_actualisation"
    confidence = topic_confidence(properties)
    assert confidence is not None and 1 / 3 < confidence <= 1
    ranking = properties["faq"]["ranking"]
    assert [r["intent_response_key"] for r in ranking][0] == "faq/ft_actualisation"
    assert len(ranking) == 3 and abs(sum(r["confidence"] for r in ranking) - 1) < 1e-6
    user = {"event": "user", "parse_data": {"intent": {"name": "faq"}, "response_selector": properties}}
    more = {"event": "user", "parse_data": {"intent": {"name": "more"}}}
    assert last_faq_topic([user, more]) == "ft_actualisation"


def test_intent_ranking_adds_up_the_topics_into_the_retrieval_intent(tmp_path: Path) -> None:
    classifier = trained_then_loaded(tmp_path)
    greeting, question = Message(data={"text": "bonjour madame"}), Message(data={"text": "joindre la caf"})
    classifier.process([greeting, question])
    assert greeting.get("intent")["name"] == "greet"
    ranking = question.get("intent_ranking")
    assert [r["name"] for r in ranking] == ["faq", "greet"]
    assert ranking[0] == question.get("intent")
    assert abs(sum(r["confidence"] for r in ranking) - 1) < 1e-6
    assert topic_of(question.get("response_selector")) == "caf_contact"


def test_every_message_of_a_batch_gets_its_own_topic(tmp_path: Path) -> None:
    selector = trained_then_loaded(tmp_path)
    lost, caf = Message(data={"text": "cni perdue"}), Message(data={"text": "le tel de la caf"})
    selector.process([lost, caf])
    assert topic_of(lost.get("response_selector")) == "cni_perte_vol"
    assert topic_of(caf.get("response_selector")) == "caf_contact"


def test_classifier_without_a_trained_model_leaves_messages_alone(tmp_path: Path) -> None:
    storage = LocalModelStorage(tmp_path)
    resource = Resource("untrained")
    classifier = IntentTopicClassifier.create({}, storage, resource, CONTEXT)
    classifier.train(TrainingData(training_examples=[Message(data={"text": "bonjour", "intent": "greet"})]))
    loaded = IntentTopicClassifier.load({}, storage, resource, CONTEXT)
    message = Message(data={"text": "numero de la caf"})
    loaded.process([message])
    assert message.get("response_selector") is None and message.get("intent") is None
