"""Shape a bot answer for SMS: GSM-7 or UCS-2, sentence-boundary split, bounded number of segments."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from bot.sms.encoding import GSM7, Alphabet, shape

SINGLE = GSM7.single
CONCAT = GSM7.concat
MAX_SEGMENTS = 10
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
_LIST_ITEM = re.compile(r"^\d{1,2}[.)]$")


def _units(text: str) -> list[tuple[str, str]]:
    """(separator before, sentence) pairs; newlines are kept as separators."""
    units: list[tuple[str, str]] = []
    for p_index, paragraph in enumerate(text.split("\n")):
        pieces = [p for p in _SENTENCE_END.split(paragraph.strip()) if p]
        merged: list[str] = []
        for piece in pieces:
            if merged and _LIST_ITEM.match(merged[-1]):
                merged[-1] = f"{merged[-1]} {piece}"
            else:
                merged.append(piece)
        for s_index, sentence in enumerate(merged):
            sep = "" if not units else ("\n" if s_index == 0 and p_index > 0 else " ")
            units.append((sep, sentence))
    return units


def _hard_cut(word: str, limit: int, alphabet: Alphabet) -> int:
    """How many characters of ``word`` fit ``limit`` (never splits a character)."""
    end = min(len(word), limit)
    while end > 1 and alphabet.measure(word[:end]) > limit:
        end -= 1
    return end


def _greedy(pieces: Iterable[tuple[str | None, str]], limit: int, measure: Callable[[str], int]) -> list[str]:
    """Pack ``(joiner, piece)`` pairs in order: a piece joins the current chunk (after its joiner) while the
    chunk stays within ``limit``, else it starts the next chunk; a piece whose joiner is None always does."""
    chunks: list[str] = []
    current = ""
    for joiner, piece in pieces:
        if current and joiner is not None and measure(f"{current}{joiner}{piece}") <= limit:
            current = f"{current}{joiner}{piece}"
            continue
        if current:
            chunks.append(current)
        current = piece
    if current:
        chunks.append(current)
    return chunks


def _words(sentence: str, limit: int, alphabet: Alphabet = GSM7) -> list[str]:
    """Cut one over-long sentence on spaces (a single word longer than the limit is cut hard)."""
    pieces: list[tuple[str | None, str]] = []
    for word in sentence.split(" "):
        if alphabet.measure(word) <= limit:
            pieces.append((" ", word))
            continue
        while alphabet.measure(word) > limit:  # hard-cut fragments stand alone; the rest starts a chunk
            cut = _hard_cut(word, limit, alphabet)
            pieces.append((None, word[:cut]))
            word = word[cut:]
        pieces.append((None, word))
    return _greedy(pieces, limit, alphabet.measure)


def pack(text: str, limit: int = SINGLE, alphabet: Alphabet = GSM7) -> list[str]:
    """Greedy packing of whole sentences into chunks of at most ``limit`` septets (or UTF-16 units)."""
    pieces = [
        (sep if index == 0 else " ", piece)
        for sep, sentence in _units(text)
        for index, piece in enumerate(
            _words(sentence, limit, alphabet) if alphabet.measure(sentence) > limit else [sentence]
        )
    ]
    chunks = _greedy(pieces, limit, alphabet.measure)
    return [c.strip() for c in chunks if c.strip()]


def truncate(text: str, max_segments: int, alphabet: Alphabet = GSM7) -> str:
    """Cut on a word boundary so the text fits ``max_segments`` concatenated segments."""
    budget = alphabet.single if max_segments <= 1 else alphabet.concat * max_segments
    if alphabet.measure(text) <= budget:
        return text
    kept = _words(text.replace("\n", " \n"), budget - 3, alphabet)[0].replace(" \n", "\n")
    return kept.rstrip(" ,;:") + "..."


@dataclass(frozen=True)
class SmsShape:
    """The SMS bodies of one answer and their alphabet (``gsm7`` or ``ucs2``)."""

    parts: list[str]
    encoding: str


def shape_sms(text: str, max_messages: int = 4) -> SmsShape:
    """Messages in order: one per segment if that stays within ``max_messages``.

    Otherwise one concatenated message (phones show it as one SMS) if it fits ``max_messages``
    segments; else at most ``max_messages`` longer messages split on sentences, and only an answer
    longer than that (over 10 segments each) is truncated on a word boundary. French goes out in
    GSM-7; text that GSM-7 cannot carry (Arabic, Cyrillic, Turkish, emoji) as UCS-2, with its budget.
    """
    clean, alphabet = shape(text)
    measure, single, concat = alphabet.measure, alphabet.single, alphabet.concat
    if not clean:
        return SmsShape([], alphabet.name)
    if measure(clean) <= single:
        return SmsShape([clean], alphabet.name)
    chunks = pack(clean, single, alphabet)
    if len(chunks) <= max_messages:
        return SmsShape(chunks, alphabet.name)
    if measure(clean) <= concat * max_messages:
        return SmsShape([clean], alphabet.name)
    for segments in range(2, MAX_SEGMENTS + 1):
        chunks = pack(clean, concat * segments, alphabet)
        if len(chunks) <= max_messages:
            return SmsShape(chunks, alphabet.name)
    chunks = pack(clean, concat * MAX_SEGMENTS, alphabet)[:max_messages]
    last = truncate(chunks[-1] + " ...", MAX_SEGMENTS, alphabet).removesuffix(" ...")
    chunks[-1] = last.rstrip(" ,;:") + "..."
    return SmsShape(chunks, alphabet.name)


def format_sms(text: str, max_messages: int = 4) -> list[str]:
    """The SMS bodies of ``shape_sms`` (GSM-7 for French, UCS-2 when GSM-7 would lose characters)."""
    return shape_sms(text, max_messages).parts
