"""Knowledge base: kb/<theme>.yml entries -> Rasa retrieval-intent data (faq/<topic>) and domain responses."""

from bot.kb.model import Entry, KbError, load_kb, validate_entries

__all__ = ["Entry", "KbError", "load_kb", "validate_entries"]
