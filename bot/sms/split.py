"""Shape a bot answer for SMS: GSM-7, sentence-boundary split, bounded number of segments."""

from __future__ import annotations

import re

from bot.sms.gsm import septets, transliterate

SINGLE = 160
CONCAT = 153
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


def _words(sentence: str, limit: int) -> list[str]:
    """Cut one over-long sentence on spaces (a single word longer than the limit is cut hard)."""
    parts: list[str] = []
    current = ""
    for word in sentence.split(" "):
        while septets(word) > limit:
            if current:
                parts.append(current)
                current = ""
            parts.append(word[:limit])
            word = word[limit:]
        candidate = f"{current} {word}" if current else word
        if septets(candidate) <= limit:
            current = candidate
        else:
            parts.append(current)
            current = word
    if current:
        parts.append(current)
    return parts


def pack(text: str, limit: int = SINGLE) -> list[str]:
    """Greedy packing of whole sentences into chunks of at most ``limit`` septets."""
    chunks: list[str] = []
    current = ""
    for sep, sentence in _units(text):
        pieces = _words(sentence, limit) if septets(sentence) > limit else [sentence]
        for index, piece in enumerate(pieces):
            joiner = sep if index == 0 else " "
            candidate = f"{current}{joiner}{piece}" if current else piece
            if septets(candidate) <= limit:
                current = candidate
            else:
                chunks.append(current)
                current = piece
    if current:
        chunks.append(current)
    return [c.strip() for c in chunks if c.strip()]


def truncate(text: str, max_segments: int) -> str:
    """Cut on a word boundary so the text fits ``max_segments`` concatenated segments."""
    budget = SINGLE if max_segments <= 1 else CONCAT * max_segments
    if septets(text) <= budget:
        return text
    kept = _words(text.replace("\n", " \n"), budget - 3)[0].replace(" \n", "\n")
    return kept.rstrip(" ,;:") + "..."


def format_sms(text: str, max_messages: int = 4) -> list[str]:
    """GSM-7 messages in order: one per segment if that stays within ``max_messages``.

    Otherwise one concatenated message (phones show it as one SMS) if it fits ``max_messages``
    segments; else at most ``max_messages`` longer messages split on sentences, and only an answer
    longer than that (over 10 segments each) is truncated on a word boundary.
    """
    clean = transliterate(text)
    if not clean:
        return []
    if septets(clean) <= SINGLE:
        return [clean]
    chunks = pack(clean, SINGLE)
    if len(chunks) <= max_messages:
        return chunks
    if septets(clean) <= CONCAT * max_messages:
        return [clean]
    for segments in range(2, MAX_SEGMENTS + 1):
        chunks = pack(clean, CONCAT * segments)
        if len(chunks) <= max_messages:
            return chunks
    chunks = pack(clean, CONCAT * MAX_SEGMENTS)[:max_messages]
    chunks[-1] = truncate(chunks[-1] + " ...", MAX_SEGMENTS).removesuffix(" ...").rstrip(" ,;:") + "..."
    return chunks
