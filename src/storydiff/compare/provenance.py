"""Whom each article cites (merged across articles), and how the articles relate: copy, rewrite,
translation or overlap, with the direction when the texts say it (translator credit, "Original:"
line, publication time)."""

from __future__ import annotations

from ..analyze.citations import canonical_source
from ..cluster.neardup import shingles
from ..model import Article
from .align import Alignment
from .result import CitationMention, Relation
from .units import Unit

COPY_VERBATIM = 0.5  # share of word 5-grams for a copy
REWRITE_SHARED = 0.5  # share of aligned statements for a rewrite or translation
OVERLAP_SHARED = 0.15


def citations(articles: list[Article]) -> list[CitationMention]:
    out = []
    for a in articles:
        for c in a.citations:
            if a.is_boilerplate(c.span):
                continue
            out.append(CitationMention(a.id, c.source.start, c.source.end, c.source.text, source=canonical_source(c.source.text), cue=c.cue))
    return out


def merge_across_languages(cites: list[CitationMention], articles: list[Article], units: list[Unit], alignment: Alignment, unit_at) -> None:
    """One source named in two languages ("the Valmora Gazette", "《瓦尔莫拉公报》") is merged when
    the citations sit in aligned statements of articles in different languages, one citation each.
    The name used by most articles (then the first article's) becomes the shared name."""
    lang = {a.id: a.language for a in articles}
    index = {a.id: i for i, a in enumerate(articles)}
    by_group: dict[int, list[CitationMention]] = {}
    for c in cites:
        k = unit_at(index[c.article], c.start)
        if k is not None:
            by_group.setdefault(alignment.group_of[k], []).append(c)
    rename: dict[str, str] = {}
    for group in by_group.values():
        per_article: dict[str, list[CitationMention]] = {}
        for c in group:
            per_article.setdefault(c.article, []).append(c)
        if len(per_article) < 2 or any(len(v) != 1 for v in per_article.values()):
            continue
        names = [v[0].source for v in per_article.values()]
        if len({lang[a] for a in per_article}) < 2 or len(set(names)) == 1:
            continue
        same_lang_names = {}
        for a, v in per_article.items():
            same_lang_names.setdefault(lang[a], set()).add(v[0].source)
        if any(len(n) > 1 for n in same_lang_names.values()):  # one language, two sources: a real difference
            continue
        target = max(names, key=lambda n: (names.count(n), -names.index(n)))
        for n in names:
            if n != target:
                rename[n] = target
    for c in cites:
        seen = set()
        while c.source in rename and c.source not in seen:
            seen.add(c.source)
            c.source = rename[c.source]


def sources(cites: list[CitationMention]) -> list[dict]:
    """Citations merged by canonical source: [{"source", "articles", "mentions"}], most cited first."""
    merged: dict[str, dict] = {}
    for c in cites:
        m = merged.setdefault(c.source, {"source": c.source, "articles": [], "mentions": 0})
        m["mentions"] += 1
        if c.article not in m["articles"]:
            m["articles"].append(c.article)
    return sorted(merged.values(), key=lambda m: (-len(m["articles"]), -m["mentions"], m["source"]))


def shared_fractions(units: list[Unit], alignment: Alignment, n_articles: int) -> list[list[float]]:
    """m[a][b]: fraction of a's units whose group also holds a unit of b."""
    total = [0] * n_articles
    hit = [[0] * n_articles for _ in range(n_articles)]
    for group in alignment.groups:
        arts = {units[k].article for k in group}
        for k in group:
            a = units[k].article
            total[a] += 1
            for b in arts:
                if b != a:
                    hit[a][b] += 1
    return [[hit[a][b] / total[a] if total[a] else 0.0 for b in range(n_articles)] for a in range(n_articles)]


def relations(articles: list[Article], frac: list[list[float]], cites: list[CitationMention]) -> list[Relation]:
    """``frac`` is ``shared_fractions`` of the alignment."""
    cited = {a.id: {c.source for c in cites if c.article == a.id} for a in articles}
    grams = [shingles(a.text, whole_if_short=False) for a in articles]
    out = []
    for i, a in enumerate(articles):
        for j in range(i + 1, len(articles)):
            b = articles[j]
            sa, sb = grams[i], grams[j]
            verbatim = len(sa & sb) / min(len(sa), len(sb)) if sa and sb else 0.0
            shared = max(frac[i][j], frac[j][i])
            rel = Relation(a.id, b.id, "unrelated", frac[i][j], frac[j][i], verbatim)
            if verbatim >= COPY_VERBATIM:
                rel.kind = "copy"
            elif shared >= REWRITE_SHARED:
                rel.kind = "translation" if a.language != b.language else "rewrite"
            elif shared >= OVERLAP_SHARED:
                rel.kind = "overlap"
            common = sorted(cited[a.id] & cited[b.id])
            if rel.kind in {"copy", "translation", "rewrite"}:
                rel.derived, rel.reason = _direction(a, b, rel.kind)
            if common and rel.kind != "unrelated":
                rel.reason = "; ".join(filter(None, [rel.reason, "both attribute to " + ", ".join(common)]))
            out.append(rel)
    return out


def _direction(a: Article, b: Article, kind: str) -> tuple[str | None, str]:
    for x, y in ((a, b), (b, a)):
        if kind == "translation" and x.translator and not y.translator:
            return x.id, f"{x.id} credits a translator"
        if x.original_url and y.url and x.original_url.rstrip("/") == y.url.rstrip("/"):
            return x.id, f"{x.id} names {y.id}'s URL as its original"
    if a.published and b.published and a.published != b.published:
        later = a if a.published > b.published else b
        return later.id, f"{later.id} was published later"
    return None, ""
