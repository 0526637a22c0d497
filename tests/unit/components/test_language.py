"""The language the connector decided becomes the ``language`` entity (hence slot) of the turn."""

from __future__ import annotations

from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message

from components.language import LanguageFromMetadata, language_entity


def test_a_supported_language_in_the_metadata_becomes_the_entity() -> None:
    message = Message(data={TEXT: "hello", "metadata": {"language": "en", "channel": "sms"}})
    [out] = LanguageFromMetadata().process([message])
    assert [e["value"] for e in out.get(ENTITIES) if e["entity"] == "language"] == ["en"]


def test_no_or_unknown_language_adds_nothing() -> None:
    for metadata in (None, {}, {"language": "xx"}, {"language": 3}, "en"):
        assert language_entity(metadata) is None
    message = Message(data={TEXT: "bonjour", "metadata": {}})
    [out] = LanguageFromMetadata().process([message])
    assert not out.get(ENTITIES)


def test_french_is_said_explicitly_so_a_resident_can_come_back_to_it() -> None:
    assert language_entity({"language": "fr"}) == {
        "entity": "language",
        "value": "fr",
        "start": 0,
        "end": 0,
        "extractor": "LanguageFromMetadata",
    }
