"""The compiled attribute ruler gives exactly what spaCy's own attribute ruler gives."""

from __future__ import annotations

import spacy
from spacy.pipeline import AttributeRuler

from storydiff.analyze.attributes import compile_ruler
from storydiff.analyze.nlp import FALLBACK_MODEL, english

TEXT = (
    "Let's go, y'all! I ain't gonna do it, she said. You gotta see it. C'mon.\n"
    "There is a dog, and there were two cats. It was there  \n\n  and he got it. But he gets it; do you?\n"
    "Nobody told me that the minister, who has said nothing, would resign. I told you. They gave it to me."
)


def _attrs(doc):
    return [(t.text, t.pos_, t.tag_, str(t.morph), t.lemma_, t.dep_) for t in doc]


def test_compiled_ruler_matches_spacy():
    nlp = english()
    assert "compiled_attribute_ruler" in nlp.pipe_names and "attribute_ruler" not in nlp.pipe_names
    ref = spacy.load(FALLBACK_MODEL)
    ref.add_pipe("paragraph_breaks", before="parser")
    assert _attrs(nlp(TEXT)) == _attrs(ref(TEXT))


def test_later_rule_wins_and_multi_token_target():
    nlp = spacy.blank("en")
    ruler = AttributeRuler(nlp.vocab)
    ruler.add([[{"LOWER": "gon"}, {"LOWER": "na"}]], {"LEMMA": "to"}, index=1)
    ruler.add([[{"LOWER": "na"}]], {"LEMMA": "first"})
    ruler.add([[{"LOWER": {"IN": ["na", "x"]}}]], {"LEMMA": "second"})
    compiled = compile_ruler(ruler)
    assert compiled is not None
    a, b = nlp("gon na na"), nlp("gon na na")
    compiled(a)
    ruler(b)
    assert [t.lemma_ for t in a] == [t.lemma_ for t in b] == ["", "second", "second"]


def test_unsupported_rule_is_not_compiled():
    nlp = spacy.blank("en")
    ruler = AttributeRuler(nlp.vocab)
    ruler.add([[{"SHAPE": "Xxxx"}]], {"LEMMA": "word"})
    assert compile_ruler(ruler) is None
