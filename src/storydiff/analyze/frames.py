"""Attribution frames learned from annotated news: which (word, relation) pairs introduce what a
source said, thought or stood for, beyond the reporting verbs the quotation finder knows by rule.

A *frame* is a word of the parse (verb, noun or adjective) with one of its dependents: "backed
[the bill]" (lemma ``back``, relation ``dobj``), "called [for a ban]" (``call``, ``prep:for``),
"[the problem], she said, [is ...]" (``say``, ``parataxis``), "refusal [to stand]" (``refusal``,
``acl``). How often each frame's content matched a gold attribution was counted on PolNeAR's training
split (``python -m storydiff.evaluate.learn_frames``; counts only, no text, in
``storydiff/data/attribution_frames.tsv``) together with the extent that matched best: the
dependent's subtree (``tree``), that subtree widened to the sentence edge away from the cue
(``edge``), or the whole sentence (``sent``, for parenthetical "she said").

At analysis time a frame is used when its smoothed hit rate ``hits / (seen + 1)`` reaches
``MIN_RATE`` and it hit at least ``MIN_HITS`` times. Frames only add attributions for words the rules
left alone; they never replace a rule's finding."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Iterator

from .nlp import sentence_of

MIN_RATE = 0.25
MIN_HITS = 2
CONTENT_DEPS = frozenset({"ccomp", "dobj", "xcomp", "acl", "advcl"})
EXTENTS = ("tree", "edge", "sent")
TABLE = "attribution_frames.tsv"


@dataclass(frozen=True)
class Frame:
    cue: object  # spaCy token
    key: tuple[str, str, str]  # (lemma[_particle], coarse POS, relation)
    content: object | None  # head token of the content, None for a parenthetical cue


def cue_lemma(tok) -> str:
    """Lemma with its particle: "pointed out" -> ``point_out``."""
    lemma = (tok.lemma_ or tok.lower_).lower()
    prt = next((c for c in tok.children if c.dep_ == "prt"), None)
    return f"{lemma}_{prt.lower_}" if prt is not None else lemma


def frames(doc, skip: set[int] | frozenset[int] = frozenset()) -> Iterator[Frame]:
    """Every candidate frame of ``doc`` whose cue token index is not in ``skip``."""
    for tok in doc:
        if tok.pos_ not in {"VERB", "NOUN", "ADJ", "AUX"} or tok.i in skip:
            continue
        lemma = cue_lemma(tok)
        for c in tok.children:
            if c.dep_ in CONTENT_DEPS:
                yield Frame(tok, (lemma, tok.pos_, c.dep_ if c.i > tok.i else "pre-" + c.dep_), c)
            elif c.dep_ == "prep" and c.i > tok.i:
                obj = next((g for g in c.children if g.dep_ in {"pobj", "pcomp"}), None)
                if obj is not None:
                    yield Frame(tok, (lemma, tok.pos_, "prep:" + c.lower_), obj)
        if tok.dep_ == "parataxis" and tok.head is not tok:
            yield Frame(tok, (lemma, tok.pos_, "parataxis"), None)


def extent(frame: Frame, name: str, widen) -> tuple[int, int]:
    """Character extent of ``frame``'s content read the ``name`` way (one of EXTENTS); ``widen(cue,
    start, end)`` is the quotation rules' widening to the sentence edge, used by ``edge``."""
    c = frame.content
    if c is None or name == "sent":
        sent = sentence_of(frame.cue)
        return sent.start_char, sent.end_char
    start, end = c.left_edge.idx, c.right_edge.idx + len(c.right_edge)
    if name == "edge":
        return widen(frame.cue, start, end)
    return start, end


def read_table(path=None) -> dict[tuple[str, str, str], dict[str, tuple[int, int]]]:
    """{frame key: {extent: (hits, seen)}} from the counts file (the packaged one by default)."""
    if path is None:
        handle = resources.files("storydiff").joinpath("data", TABLE).open(encoding="utf-8")
    else:
        handle = open(path, encoding="utf-8")
    table: dict[tuple[str, str, str], dict[str, tuple[int, int]]] = {}
    with handle:
        for row in csv.DictReader((line for line in handle if not line.startswith("#")), delimiter="\t"):
            key = (row["lemma"], row["pos"], row["relation"])
            table.setdefault(key, {})[row["extent"]] = (int(row["hits"]), int(row["seen"]))
    return table


def select(table, min_rate: float = MIN_RATE, min_hits: int = MIN_HITS) -> dict[tuple[str, str, str], str]:
    """{frame key: extent} for the frames that qualify, each with its most often right extent."""
    out: dict[tuple[str, str, str], tuple[str, int]] = {}
    for key, by_extent in table.items():
        for name, (hits, seen) in by_extent.items():
            if hits >= min_hits and hits / (seen + 1) >= min_rate and (key not in out or hits > out[key][1]):
                out[key] = (name, hits)
    return {k: v[0] for k, v in out.items()}


@lru_cache(maxsize=1)
def learned() -> dict[tuple[str, str, str], str]:
    """The packaged frames that qualify."""
    return select(read_table())
