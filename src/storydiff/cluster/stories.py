"""Incremental story clustering.

Articles arrive one at a time. A near-duplicate joins its original's story. Otherwise the article's
nearest neighbours (approximate index over document vectors) are scored by

    score = cosine(document vectors) + TERM_WEIGHT * idf-weighted overlap of key terms
            - TIME_PENALTY when both dates are known and further apart than TIME_WINDOW_DAYS

(articles in two languages: the cosine alone, see CROSS_LINGUAL_COS) and each candidate story by the mean of its best member score and its average member score among
the neighbours. The article joins the best story scoring at least the threshold, else opens a new
story. Cost per article: one index query plus k scored neighbours, whatever the corpus size.
Key-term document frequencies are counted as articles arrive, so rare names weigh more than common
ones without a second pass."""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from typing import Iterable

from ..model import Article
from .features import Features, featurize
from .index import VectorIndex
from .neardup import NearDuplicates

THRESHOLD = 0.80
TERM_WEIGHT = 1.0
NEIGHBOURS = 30
TIME_WINDOW_DAYS = 10
TIME_PENALTY = 0.3
# Articles in two languages share no words to weigh, so they are judged on the vector alone: a
# cosine of CROSS_LINGUAL_COS counts as reaching the threshold (translations score 0.7-0.9).
CROSS_LINGUAL_COS = 0.65


@dataclass
class Story:
    id: str
    articles: list[str] = field(default_factory=list)
    title: str | None = None
    first_seen: str | None = None
    last_seen: str | None = None
    outlets: set[str] = field(default_factory=set)
    languages: set[str] = field(default_factory=set)
    duplicates: int = 0

    @property
    def independent_sources(self) -> int:
        return len(self.articles) - self.duplicates

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "title": self.title,
            "articles": list(self.articles),
            "article_count": len(self.articles),
            "independent_sources": self.independent_sources,
            "first_seen": self.first_seen,
            "last_seen": self.last_seen,
            "outlets": sorted(self.outlets),
            "languages": sorted(self.languages),
        }


class StoryClusterer:
    def __init__(self, threshold: float = THRESHOLD, term_weight: float = TERM_WEIGHT, neighbours: int = NEIGHBOURS) -> None:
        self.threshold = threshold
        self.term_weight = term_weight
        self.neighbours = neighbours
        self.index: VectorIndex | None = None
        self.feats: list[Features] = []
        self.story_of: list[int] = []
        self.stories: list[Story] = []
        self.df: Counter[str] = Counter()
        self.dups = NearDuplicates()
        self._row_of: dict[str, int] = {}

    def _idf(self, term: str) -> float:
        return math.log((len(self.feats) + 1) / (self.df[term] + 1)) + 1.0

    def _term_sim(self, a: frozenset[str], b: frozenset[str]) -> float:
        """Cosine of the idf-weighted binary term vectors."""
        if not a or not b:
            return 0.0
        inter = sum(self._idf(t) ** 2 for t in a & b)
        na = math.sqrt(sum(self._idf(t) ** 2 for t in a))
        nb = math.sqrt(sum(self._idf(t) ** 2 for t in b))
        return inter / (na * nb)

    def score(self, f: Features, g: Features, cos: float) -> float:
        if f.language and g.language and f.language != g.language:
            s = cos - CROSS_LINGUAL_COS + self.threshold
        else:
            s = cos + self.term_weight * self._term_sim(f.terms, g.terms)
        if f.day and g.day and abs((f.day - g.day).days) > TIME_WINDOW_DAYS:
            s -= TIME_PENALTY
        return s

    def add(self, f: Features) -> Story:
        if self.index is None:
            self.index = VectorIndex(len(f.vector))
        orig = self.dups.add(f.id, f.text)
        story_idx = None
        if orig is not None and orig in self._row_of:
            story_idx = self.story_of[self._row_of[orig]]
        else:
            by_story: dict[int, list[float]] = {}
            for row, cos in self.index.query(f.vector, self.neighbours):
                by_story.setdefault(self.story_of[row], []).append(self.score(f, self.feats[row], cos))
            best, best_score = None, self.threshold
            for sidx, scores in by_story.items():
                s = 0.5 * (max(scores) + sum(scores) / len(scores))
                if s >= best_score:
                    best, best_score = sidx, s
            story_idx = best
        if story_idx is None:
            story_idx = len(self.stories)
            self.stories.append(Story(id=f"s{story_idx + 1}", title=f.title or _first_line(f.text)))
        row = self.index.add(f.vector)
        self._row_of[f.id] = row
        self.feats.append(f)
        self.story_of.append(story_idx)
        self.df.update(f.terms)
        st = self.stories[story_idx]
        st.articles.append(f.id)
        st.duplicates += orig is not None
        if f.outlet:
            st.outlets.add(f.outlet)
        if f.language:
            st.languages.add(f.language)
        if f.published:
            st.first_seen = min(filter(None, [st.first_seen, f.published]))
            st.last_seen = max(filter(None, [st.last_seen, f.published]))
        return st


def _first_line(text: str) -> str:
    line = text.strip().split("\n", 1)[0]
    return line[:120]


def cluster_articles(articles: Iterable[Article], encoder=None, threshold: float = THRESHOLD, batch: int = 256, progress=None) -> list[Story]:
    """Cluster ``articles`` in the order given; every article lands in exactly one story."""
    from ..embed import get_encoder

    enc = encoder or get_encoder("use")
    cl = StoryClusterer(threshold=threshold)
    buf: list[Article] = []

    def flush() -> None:
        for f in featurize(buf, enc):
            cl.add(f)
            if progress:
                progress(1)
        buf.clear()

    for a in articles:
        buf.append(a)
        if len(buf) >= batch:
            flush()
    flush()
    return cl.stories
