"""Group the variants of one quotation across articles and translations, and measure the drift.

Two quotations from different articles are variants of one another when their wording is the same
after normalisation, when their vectors are very close, or when they are fairly close and sit in
statements the aligner already linked. Short fragments ("sovereignty") group only on equal wording
or near-equal vectors. Drift is lexical (1 - word-sequence similarity) between variants in one
language and semantic (1 - cosine) across languages."""

from __future__ import annotations

import difflib
import re
from collections import Counter
from dataclasses import dataclass

import numpy as np

from ..model import Article, Quote
from .align import components
from .result import Mention, QuoteGroup, QuoteVariant
from .units import word_count

STRONG = 0.80  # cosine at which two quotations are variants on their own
WITH_CONTEXT = 0.60  # cosine enough when their statements are aligned
SHORT_WORDS = 4  # fragments of fewer words need equal wording or STRONG_SHORT
STRONG_SHORT = 0.92
_WORD = re.compile(r"\w+(?:['’]\w+)?", re.UNICODE)
_PRONOUNS = frozenset("he she they it we i you this that who one".split())


@dataclass
class QuoteItem:
    article: int
    quote: Quote
    unit_group: int | None  # statement group of the unit holding the quote


def normalise(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


def group_quotes(items: list[QuoteItem], vectors: np.ndarray, articles: list[Article]) -> list[QuoteGroup]:
    """Variant groups; a group is kept when it has a direct quotation or spans two articles."""
    n = len(items)
    norms = [normalise(it.quote.content.text) for it in items]
    sims = vectors @ vectors.T if n else np.zeros((0, 0))
    links = [
        (i, j)
        for i in range(n)
        for j in range(i + 1, n)
        if items[i].article != items[j].article and _variants(items[i], items[j], norms[i], norms[j], float(sims[i, j]))
    ]
    groups = []
    for members in components(n, links):
        members.sort(key=lambda i: (items[i].article, items[i].quote.content.start))
        members = _drop_nested(members, items)
        kinds = {items[i].quote.kind for i in members}
        arts = {items[i].article for i in members}
        if "direct" not in kinds and len(arts) < 2:
            continue
        groups.append(_build(members, items, sims, articles))
    groups.sort(key=lambda g: (-len(g.articles), articles_index(articles, g.variants[0].article), g.variants[0].start))
    for k, g in enumerate(groups):
        g.id = k
    return groups


def articles_index(articles: list[Article], article_id: str) -> int:
    return next(i for i, a in enumerate(articles) if a.id == article_id)


def _variants(a: QuoteItem, b: QuoteItem, na: str, nb: str, cos: float) -> bool:
    if na and na == nb:
        return True
    short = min(word_count(a.quote.content.text), word_count(b.quote.content.text)) < SHORT_WORDS
    if short:
        return cos >= STRONG_SHORT
    if cos >= STRONG:
        return True
    same_statement = a.unit_group is not None and a.unit_group == b.unit_group
    return same_statement and cos >= WITH_CONTEXT


def _drop_nested(members: list[int], items: list[QuoteItem]) -> list[int]:
    """Within one article, an indirect quotation that contains a direct one in the group is the
    same words twice: keep the direct one."""
    keep = []
    for i in members:
        qi = items[i].quote
        nested = any(
            j != i
            and items[j].article == items[i].article
            and qi.kind == "indirect"
            and items[j].quote.kind == "direct"
            and _overlap(qi.content, items[j].quote.content) >= 0.5 * (items[j].quote.content.end - items[j].quote.content.start)
            for j in members
        )
        if not nested:
            keep.append(i)
    return keep


def _overlap(a, b) -> int:
    return max(0, min(a.end, b.end) - max(a.start, b.start))


def _build(members: list[int], items: list[QuoteItem], sims: np.ndarray, articles: list[Article]) -> QuoteGroup:
    variants = []
    ref = members[0]
    for i in members:
        it = items[i]
        art = articles[it.article]
        q = it.quote
        sp = Mention(art.id, q.speaker.start, q.speaker.end, q.speaker.text) if q.speaker else None
        v = QuoteVariant(art.id, q.content.start, q.content.end, q.content.text, kind=q.kind, speaker=sp)
        if i != ref:
            v.drift = drift(items[ref], it, float(sims[ref, i]), articles)
        variants.append(v)
    _mark_changes(variants, [items[i] for i in members], articles)
    return QuoteGroup(id=0, speaker=_speaker(variants), variants=variants, drift=max(v.drift for v in variants))


def drift(a: QuoteItem, b: QuoteItem, cos: float, articles: list[Article]) -> float:
    if articles[a.article].language == articles[b.article].language:
        ta = [t.lower() for t in _WORD.findall(a.quote.content.text)]
        tb = [t.lower() for t in _WORD.findall(b.quote.content.text)]
        return round(1.0 - difflib.SequenceMatcher(None, ta, tb, autojunk=False).ratio(), 3)
    return round(max(0.0, 1.0 - cos), 3)


def _mark_changes(variants: list[QuoteVariant], items: list[QuoteItem], articles: list[Article]) -> None:
    """For each variant, the words not found in order in some same-language variant of the group."""
    for v, it in zip(variants, items):
        lang = articles[it.article].language
        peers = [p for p, pit in zip(variants, items) if p is not v and articles[pit.article].language == lang]
        if not peers:
            continue
        mine = [(m.start(), m.end(), m.group().lower()) for m in _WORD.finditer(v.text)]
        changed: set[int] = set()
        for p in peers:  # a word is marked when some same-language variant lacks it there
            theirs = [w.lower() for w in _WORD.findall(p.text)]
            sm = difflib.SequenceMatcher(None, [w for _, _, w in mine], theirs, autojunk=False)
            same = {i for blk in sm.get_matching_blocks() for i in range(blk.a, blk.a + blk.size)}
            changed |= set(range(len(mine))) - same
        v.changes = _merge_runs(v, mine, sorted(changed))


def _merge_runs(v: QuoteVariant, words: list[tuple[int, int, str]], idx: list[int]) -> list[Mention]:
    """Adjacent changed words become one span; offsets are article offsets."""
    out: list[Mention] = []
    run: list[int] = []
    for i in idx + [None]:  # type: ignore[list-item]
        if i is not None and run and i == run[-1] + 1:
            run.append(i)
            continue
        if run:
            s, e = words[run[0]][0], words[run[-1]][1]
            out.append(Mention(v.article, v.start + s, v.start + e, v.text[s:e]))
        run = [i] if i is not None else []
    return out


def _speaker(variants: list[QuoteVariant]) -> str | None:
    """The speaker most variants name, preferring a name over a pronoun."""
    names = [v.speaker.text for v in variants if v.speaker]
    if not names:
        return None
    named = [s for s in names if s.lower() not in _PRONOUNS]
    return Counter(named or names).most_common(1)[0][0]
