"""Named entities: spaCy's English NER; jieba part-of-speech names (nr/ns/nt) for Chinese; capitalised
name sequences for other Latin-script languages."""

from __future__ import annotations

import re

from ..model import Entity, Span
from .nlp import jieba_posseg

ENTITY_LABELS = {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW"}
_JIEBA_TAGS = {"nr": "PERSON", "nrfg": "PERSON", "nrt": "PERSON", "ns": "GPE", "nt": "ORG", "nz": "MISC"}
_CAP_SEQ = re.compile(r"(?<![\w.])(?:[A-ZÀ-ÖØ-Þ][\w'’-]+)(?:\s+(?:(?:de|la|von|van|der|di|del|du|le)\s+)?[A-ZÀ-ÖØ-Þ][\w'’-]+)*")


def english_entities(text: str, doc) -> list[Entity]:
    return [Entity(Span.of(text, e.start_char, e.end_char), e.label_) for e in doc.ents if e.label_ in ENTITY_LABELS]


def chinese_entities(text: str) -> list[Entity]:
    out: list[Entity] = []
    pos = 0
    for word, flag in jieba_posseg().cut(text):
        at = text.find(word, pos)
        if at < 0:
            continue
        pos = at + len(word)
        label = _JIEBA_TAGS.get(flag)
        if label and len(word) > 1:
            out.append(Entity(Span(at, at + len(word), word), label))
    return out


def name_sequences(text: str) -> list[Entity]:
    """Capitalised word sequences not at a sentence start: a rough name finder for languages
    without a model here."""
    out = []
    for m in _CAP_SEQ.finditer(text):
        before = text[: m.start()].rstrip()
        if not before or before[-1] in ".!?\n:\"“«":
            if " " not in m.group():
                continue
        out.append(Entity(Span.of(text, m.start(), m.end()), "NAME"))
    return out
