"""Sentence spans with sentencex (quotation-aware; English, Chinese and many more), never crossing
a line break: headlines, captions and paragraphs each end a sentence."""

from __future__ import annotations

import re

from ..model import Span

_PARA = re.compile(r"[^\n]+")
_CONTENT = re.compile(r"\w")


def split_sentences(text: str, language: str | None) -> list[Span]:
    """Sentence spans of ``text``; each satisfies ``text[s.start:s.end] == s.text``."""
    from sentencex import segment

    lang = language or "en"
    out: list[Span] = []
    for para in _PARA.finditer(text):
        base = para.start()
        chunk = para.group()
        cursor = 0
        try:
            pieces = list(segment(lang, chunk))
        except Exception:  # sentencex has no rules for this language: fall back to English rules
            pieces = list(segment("en", chunk))
        for piece in pieces:
            piece = piece.strip()
            if not piece:
                continue
            at = chunk.find(piece, cursor)
            if at < 0:  # segmenter altered the text: take the rest of the paragraph as one sentence
                at, piece = cursor, chunk[cursor:]
            cursor = at + len(piece)
            if _CONTENT.search(piece):
                out.append(Span.of(text, base + at, base + at + len(piece)))
    return out
