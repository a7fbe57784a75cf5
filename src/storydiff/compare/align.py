"""Align statement units across articles and languages.

For every pair of articles the aligner scores each unit pair by the cosine of their multilingual
sentence vectors, plus lexical overlap (content-word stems, which also catches names and numbers
written alike across languages) and shared numeric values. A pair is linked when its score clears
the threshold and it is the best match of at least one of its two units: that keeps one-to-many
links (a sentence split in two by the other outlet) without chaining every sentence of a topic to
every other. Linked units form groups (connected components); a group's status says how many
articles it spans."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .units import Unit

LEX_WEIGHT = 0.35
NUMBER_WEIGHT = 0.05


@dataclass
class Alignment:
    groups: list[list[int]]  # unit indices (into the flat unit list), each group in text order
    edges: dict[tuple[int, int], float] = field(default_factory=dict)  # (u, v) with u < v -> score
    group_of: dict[int, int] = field(default_factory=dict)


def components(n: int, links) -> list[list[int]]:
    """Connected components of ``n`` nodes joined by ``links`` (pairs), each in node order."""
    parent = list(range(n))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for u, v in links:
        parent[find(u)] = find(v)
    comps: dict[int, list[int]] = {}
    for k in range(n):
        comps.setdefault(find(k), []).append(k)
    return list(comps.values())


def _jaccard(a: frozenset, b: frozenset) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def pair_scores(ua: list[Unit], ub: list[Unit], va: np.ndarray, vb: np.ndarray) -> np.ndarray:
    """Score matrix (len(ua) x len(ub)) combining vector cosine, stem overlap and shared numbers."""
    s = va @ vb.T
    for i, u in enumerate(ua):
        nums_u = {n.value for n in u.numbers}
        for j, v in enumerate(ub):
            lex = _jaccard(u.stems, v.stems)
            bonus = LEX_WEIGHT * lex
            if nums_u and nums_u & {n.value for n in v.numbers}:
                bonus += NUMBER_WEIGHT
            s[i, j] += bonus
    return s


def link(scores: np.ndarray, threshold: float) -> list[tuple[int, int, float]]:
    """Unit pairs above ``threshold`` that are the best match of at least one side."""
    if scores.size == 0:
        return []
    row_best = scores.argmax(axis=1)
    col_best = scores.argmax(axis=0)
    out = []
    for i, j in zip(*np.nonzero(scores >= threshold)):
        if row_best[i] == j or col_best[j] == i:
            out.append((int(i), int(j), float(scores[i, j])))
    return out


def align(units: list[Unit], vectors: np.ndarray, n_articles: int, threshold: float) -> Alignment:
    """Group ``units`` (from ``n_articles`` articles; ``vectors`` row-aligned with ``units``)."""
    by_article: list[list[int]] = [[] for _ in range(n_articles)]
    for k, u in enumerate(units):
        by_article[u.article].append(k)
    edges: dict[tuple[int, int], float] = {}
    for a in range(n_articles):
        for b in range(a + 1, n_articles):
            ia, ib = by_article[a], by_article[b]
            if not ia or not ib:
                continue
            sc = pair_scores([units[k] for k in ia], [units[k] for k in ib], vectors[ia], vectors[ib])
            for i, j, score in link(sc, threshold):
                u, v = ia[i], ib[j]
                edges[(u, v)] = score
    comps = components(len(units), edges)
    groups = sorted((sorted(c, key=lambda k: (units[k].article, units[k].span.start)) for c in comps), key=lambda g: (units[g[0]].article, units[g[0]].span.start))
    group_of = {k: gi for gi, g in enumerate(groups) for k in g}
    return Alignment(groups=groups, edges=edges, group_of=group_of)


def status(n_group_articles: int, n_articles: int) -> str:
    if n_group_articles >= n_articles:
        return "shared"
    return "partial" if n_group_articles > 1 else "unique"
