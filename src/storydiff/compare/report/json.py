"""The documented JSON shape of a comparison (docs/compare.md)."""

from __future__ import annotations

from typing import Any

from ..provenance import sources


ARTICLE_KEYS = ("id", "title", "outlet", "published", "language", "translator")


def article_dict(a) -> dict[str, Any]:
    meta = a.metadata()
    return {**{k: meta[k] for k in ARTICLE_KEYS}, "text": a.text, "boilerplate": [b.to_dict() for b in a.boilerplate]}


def to_dict(comp) -> dict[str, Any]:
    return {
        "articles": [article_dict(a) for a in comp.articles],
        "statements": [s.to_dict() for s in comp.statements],
        "quotes": [q.to_dict() for q in comp.quotes],
        "conflicts": [c.to_dict() for c in comp.conflicts],
        "citations": [c.to_dict() for c in comp.citations],
        "sources": sources(comp.citations),
        "relations": [r.to_dict() for r in comp.relations],
        "summary": summary(comp),
        "warnings": list(comp.warnings),
        "encoder": comp.encoder,
    }


def summary(comp) -> dict[str, Any]:
    counts = {"shared": 0, "partial": 0, "unique": 0}
    for s in comp.statements:
        counts[s.status] += 1
    unique_by_article = {a.id: 0 for a in comp.articles}
    for s in comp.statements:
        if s.status == "unique":
            unique_by_article[s.mentions[0].article] += 1
    return {
        "articles": len(comp.articles),
        "statements": counts,
        "unique_by_article": unique_by_article,
        "quote_groups": len(comp.quotes),
        "quotes_in_several_articles": sum(1 for q in comp.quotes if len(q.articles) > 1),
        "conflicts": len(comp.conflicts),
        "sources": len({c.source for c in comp.citations}),
    }
