"""``compare``: align the articles of one story and collect every finding (see ``result.py``)."""

from __future__ import annotations

from pathlib import Path
from typing import Iterable

import numpy as np

from ..errors import InputError
from ..model import Article
from ..settings import Settings
from .align import align, status
from .conflicts import find_conflicts
from .provenance import citations, merge_across_languages, relations, shared_fractions
from .quotes import QuoteItem, group_quotes
from .result import Comparison, Mention, Statement
from .units import Unit, article_units, locator

UNRELATED_SHARED = 0.1  # an article sharing less than this with every other one is flagged


class TooFewArticles(InputError):
    """A comparison needs at least two articles."""


def compare_articles(articles: list[Article], settings: Settings | None = None, encoder=None) -> Comparison:
    """Compare analysed articles (``storydiff.analyze`` output)."""
    from ..embed import get_encoder

    settings = settings or Settings()
    if len(articles) < 2:
        raise TooFewArticles(f"compare needs at least two articles, got {len(articles)}")
    enc = encoder or get_encoder(settings.encoder)
    comp = Comparison(articles=list(articles), encoder=enc.name)
    if enc.languages is not None:
        for a in articles:
            if a.language not in enc.languages:
                comp.warnings.append(
                    f"{a.id}: language {a.language or 'unknown'!r} is not one the {enc.name} encoder knows; "
                    "it is aligned on names, numbers and shared words only"
                )
    units: list[Unit] = []
    for i, a in enumerate(articles):
        units.extend(article_units(a, i))
    quote_items = _quote_items(articles, units)
    texts = [u.span.text for u in units] + [q.quote.content.text for q in quote_items]
    vectors = enc.encode(texts) if texts else np.zeros((0, 1), dtype=np.float32)
    uvec, qvec = vectors[: len(units)], vectors[len(units) :]
    unknown = {i for i, a in enumerate(articles) if enc.languages is not None and a.language not in enc.languages}
    if unknown:  # vectors of an unknown language are noise: keep only the lexical evidence
        for k, u in enumerate(units):
            if u.article in unknown:
                uvec[k] = 0.0
    alignment = align(units, uvec, len(articles), settings.similarity_threshold)
    group_scores: dict[int, list[float]] = {}
    for (u, _v), score in alignment.edges.items():
        group_scores.setdefault(alignment.group_of[u], []).append(score)
    for gi, group in enumerate(alignment.groups):
        arts = {units[k].article for k in group}
        scores = group_scores.get(gi)
        comp.statements.append(
            Statement(
                id=gi,
                status=status(len(arts), len(articles)),
                mentions=[_mention(articles[units[k].article], units[k]) for k in group],
                score=min(scores) if scores else None,
            )
        )
    unit_at = locator(units)
    for q in quote_items:
        k = unit_at(q.article, q.quote.content.start)
        q.unit_group = alignment.group_of.get(k) if k is not None else None
    comp.quotes = group_quotes(quote_items, qvec, articles)
    comp.conflicts = find_conflicts(articles, units, alignment)
    comp.citations = citations(articles)
    merge_across_languages(comp.citations, articles, units, alignment, unit_at)
    frac = shared_fractions(units, alignment, len(articles))
    comp.relations = relations(articles, frac, comp.citations)
    for i, a in enumerate(articles):
        if max(frac[i][j] for j in range(len(articles)) if j != i) < UNRELATED_SHARED:
            comp.warnings.append(f"{a.id}: shares almost nothing with the other articles; it may be about another story")
    return comp


def compare(paths_or_articles: Iterable[str | Path | Article], settings: Settings | None = None, encoder=None) -> Comparison:
    """Compare articles given as paths (read and analysed here) or ``Article`` objects.

    Inputs that cannot be read are listed in ``Comparison.warnings``; the rest is compared."""
    from ..api import analyze
    from ..embed import preload

    settings = settings or Settings()
    items = list(paths_or_articles)
    if encoder is None:
        preload(settings.encoder)
    ready = [a for a in items if isinstance(a, Article) and a.sentences]
    todo = [a for a in items if not (isinstance(a, Article) and a.sentences)]
    res = analyze(todo, settings) if todo else None
    arts = ready + (res.articles if res else [])
    order = {id(x): k for k, x in enumerate(items)}
    arts.sort(key=lambda a: order.get(id(a), len(items)))
    comp = compare_articles(arts, settings, encoder)
    if res:
        comp.warnings = [f"skipped {f}" for f in res.failures] + comp.warnings
    return comp


def _quote_items(articles: list[Article], units: list[Unit]) -> list[QuoteItem]:
    out = []
    for i, a in enumerate(articles):
        for q in a.quotes:
            if not a.is_boilerplate(q.content):
                out.append(QuoteItem(i, q, None))
    return out


def _mention(article: Article, unit: Unit) -> Mention:
    return Mention(article.id, unit.span.start, unit.span.end, unit.span.text)
