"""Incremental story clustering.

Articles arrive one at a time. A near-duplicate joins its original's story. Otherwise the article's
nearest neighbours (approximate index over multilingual document vectors, among articles published
in the surrounding weeks: cluster/index.py) are scored:

- same language: the cosine of idf-weighted key-term sets (names and numbers weigh NAME_WEIGHT,
  content-word stems 1; both norms padded by SHORT_TEXT_PAD rare terms, so two headlines sharing
  one name do not score like two long reports sharing their whole cast). The padding shrinks as the
  two document vectors agree, from VOUCH_FROM to none at VOUCH_FULL: two short texts that say the
  same thing in other words ("named the next Doctor" / "will take over the title role") are judged
  on the names and words they share, unpadded;
- two languages (no words to share): the document-vector cosine against a bar that counts as the
  threshold. Names and numbers are mostly written alike across languages, so the bar follows them:
  two reports that each carry MIN_NAMES names or numbers need CROSS_NO_SHARED_NAME_COS, as near
  translations reach, when they share none, and less as the names they share weigh more, down to
  CROSS_SHARED_NAMES_COS at SHARED_NAME_SHARE of the names of the one with fewer (by idf); two
  earthquakes in two languages that share only "United States Geological Survey" stay apart.
  Texts with fewer names (headlines) need CROSS_LINGUAL_COS, or CROSS_SHARED_NAMES_COS when they
  share SHARED_NAMES names weighing SHARED_NAME_SHARE;
- minus TIME_PENALTY when both dates are known and further apart than TIME_WINDOW_DAYS.

Document vectors find the neighbours but do not decide within a language: on ECB+ (two events of
one kind per topic) the vector cosine alone separates a topic's two events far worse than the
terms (in-topic ranking AUC 0.78 against 0.92), and adding it to the term score only blurs them
(docs/cluster.md). Each candidate story scores the mean of its best member score and its average
member score among the neighbours; the article joins the best story scoring at least its bar,
else opens a new story. The bar is the threshold for a story of one report and falls with the log
of a story's independent reports (SIZE_PRIOR: the prior of a Chinese restaurant process, the more
reports an event has drawn, the likelier one more), when the article links two of them. An
article that scores MERGE_SCORE or more with two stories shows them to be one: they are merged
(into the older), so that two reports that started apart do not stay apart once a third links
them. Cost per article: one index query plus k scored neighbours,
whatever the corpus size. Key-term document frequencies are counted as articles arrive, so rare
names weigh more than common ones without a second pass.

Joining on its best links, a report of another event of the kind that tells of this one brings
its event's later reports into the story. So stories are reviewed as they grow (:meth:`review`,
:meth:`StoryClusterer.split`): a story's members clustered again by average link a little above
the threshold, as if all had been seen at once, that fall into two or more groups of
SPLIT_MIN_PART or more are split, one story an event. A review also looks again at the lone
reports near the articles placed since the last one (:meth:`StoryClusterer.rejoin`): a report that
opened a story of its own because its event's other reports had not come yet, or whose neighbours
chose another story, joins the larger story it now scores the threshold with, as it would had it
come last."""

from __future__ import annotations

import math
from array import array
from collections import Counter
from dataclasses import dataclass, field
from heapq import merge as merge_sorted
from typing import Iterable, NamedTuple

import numpy as np

from ..analyze.language import language_code
from ..model import Article
from .features import Features, featurize
from .index import DatedIndex
from .neardup import NearDuplicates

THRESHOLD = 0.175
NEIGHBOURS = 30
TIME_WINDOW_DAYS = 10
TIME_PENALTY = 0.3
# Articles in two languages share no words to weigh, so they are judged on the vector and on the
# names and numbers they share (see _cross_bar). Two texts with few names (headlines): a cosine of
# CROSS_LINGUAL_COS counts as reaching the threshold (translations score 0.7-0.9).
CROSS_LINGUAL_COS = 0.65
# Two reports that each carry MIN_NAMES names or more and share none must be near translations to
# join; the bar falls linearly as the names they share weigh more (by idf, as a share of the names
# of the one with fewer), to CROSS_SHARED_NAMES_COS at SHARED_NAME_SHARE: loose translations score
# 0.55-0.65, and all 31 WMT22 English-Chinese document translations share names or numbers
# (cosines 0.58-0.87). Reports of two events of one kind score 0.65-0.77 and share a few names.
CROSS_NO_SHARED_NAME_COS = 0.8
MIN_NAMES = 5
CROSS_SHARED_NAMES_COS = 0.55
SHARED_NAME_SHARE = 0.4
# Texts with fewer names need CROSS_SHARED_NAMES_COS only when they share SHARED_NAMES names
# weighing SHARED_NAME_SHARE, else CROSS_LINGUAL_COS.
SHARED_NAMES = 3
# An article scoring this with two stories merges them (the threshold only admits it to one).
MERGE_SCORE = 0.3
# A story's bar falls as it grows, as a Chinese restaurant process's prior does: the more reports an
# event has drawn, the likelier it is that a report of its kind is one more. An article joins a story
# of n independent reports (copies do not count) at threshold x (1 - SIZE_PRIOR x ln n), never less
# than MIN_BAR_SHARE of the threshold (0.120 for two, 0.096 from three at the default); two lone
# articles need the whole threshold: two reports of one theme's successive events often share a
# cast, while an event's later reports find the story its first ones made. It holds only when the
# article links PRIOR_LINKS of the story's independent reports at that bar (a link to one is judged
# as a pair), and it lowers the key-term score's bar only: scores across languages keep theirs.
SIZE_PRIOR = 0.45
MIN_BAR_SHARE = 0.55
PRIOR_LINKS = 2
NAME_WEIGHT = 2.0  # names and numbers (see _weight) weigh twice a content-word stem
SHORT_TEXT_PAD = 20.0  # both term norms padded by this many never-seen terms' squared weight
# ... scaled down linearly as the two document vectors agree: full below VOUCH_FROM, none from
# VOUCH_FULL (two headlines of one event in other words score 0.7-0.95; of two events of one kind
# written alike, "Chargers receiver arrested on suspicion of DUI" / "Chargers tackle arrested ...",
# about 0.8, and keep a sixth of it; two such headlines alone join: docs/cluster.md).
VOUCH_FROM = 0.6
VOUCH_FULL = 0.85
MAX_TERMS = 256  # key terms kept per article (memory: 1 KB each)
# A story is reviewed as it grows: split when average link at SPLIT_BAR_SHARE x the threshold
# finds two or more groups of SPLIT_MIN_PART or more among its members (see StoryClusterer.split).
# A one-pass clusterer joins an article on its best links; a report of another event of the kind
# that mentions this event's cast ("Klitschko stops Thompson", who had beaten Rahman before) links
# to it, and that event's later reports follow it in. A story of more than SPLIT_MAX is clustered on
# SPLIT_MAX of its members, taken evenly through it, and its other members go with the event they
# score best with on average (the cost of a review grows with the story's size, not its square).
SPLIT_MIN_PART = 4
# The bar of that average link, as a share of the threshold: a little above it. Two events of one
# kind that share a cast score 0.15-0.19 with each other on average against 0.28-0.37 within, and
# an average over a story's pairs is steadier than one pair's score; at the threshold itself a
# story of two such events mostly stays whole until it has grown (docs/quality.md, eleventh study).
SPLIT_BAR_SHARE = 1.1
SPLIT_MAX = 200
ASSIGN_CHUNK = 1024  # members of a large story scored against its sample at a time
# ... and only when most of its members carry SPLIT_MIN_TERMS key terms or more (a few sentences):
# headlines score too low within one event, padded, for their groups to tell two events from one.
SPLIT_MIN_TERMS = 40
REVIEW_EVERY = 256  # articles add() places between reviews (as the store reviews a batch)
# A story is reviewed again once it holds this many times its members at its last review: a tenth
# more, so that a story of two events is parted while small, before the second event's later
# reports follow its first in (a quarter until 2026-12-06; docs/quality.md, eleventh study).
REVIEW_GROWTH = 1.1


@dataclass
class Story:
    id: str
    articles: list[str] = field(default_factory=list)
    title: str | None = None
    first_seen: str | None = None
    last_seen: str | None = None
    outlets: set[str] = field(default_factory=set)
    languages: set[str] = field(default_factory=set)
    duplicate_of: dict[str, str] = field(default_factory=dict)  # near-duplicate id -> its original's id
    rows: list[int] = field(default_factory=list, repr=False)  # the clusterer's rows, in arrival order
    links: list | None = field(default=None, repr=False)  # each article's strongest link (cluster/explain.py), when asked

    @property
    def duplicates(self) -> int:
        return len(self.duplicate_of)

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
            "duplicate_of": dict(self.duplicate_of),
            **({"links": [link.to_dict() for link in self.links]} if self.links is not None else {}),
        }


class Placement(NamedTuple):
    """Where :meth:`StoryClusterer.assign` puts an article."""

    story: int | None  # story key; None: a new story
    original: int | None = None  # the row it nearly duplicates
    merges: tuple[int, ...] = ()  # other stories it shows to be the same; merged into ``story``
    near: tuple[int, ...] = ()  # rows of small stories it links: looked at again at the next review (rejoin)


class StoryClusterer:
    """The clustering state, kept compact (a million articles in a few GB): per row a vector in the
    index, a MinHash signature, its key terms as interned ids (at most MAX_TERMS, the rarest when
    seen), its day, its language code and its story key. Story keys are the caller's integers.

    ``assign(f)`` decides where an article goes (and which stories it merges) without changing
    anything; ``merge`` and ``insert`` record that. ``add`` does all three and keeps :class:`Story`
    aggregates, for clustering without a store."""

    def __init__(self, threshold: float = THRESHOLD, neighbours: int = NEIGHBOURS) -> None:
        self.threshold = threshold
        self.neighbours = neighbours
        self.index: DatedIndex | None = None
        self.dups = NearDuplicates()
        self.ids: list[str] = []
        self._tbuf = np.zeros(1 << 16, dtype=np.int32)  # key-term ids of all rows, end to end
        self._toff = array("q", [0])  # row r's terms: _tbuf[_toff[r]:_toff[r + 1]]
        self.days = array("i")
        self.langs = array("b")
        self.story_of = array("q")
        self.vocab: dict[str, int] = {}
        self.df = np.zeros(1024, dtype=np.int32)
        self.tw = np.ones(1024, dtype=np.float32)  # per-term weight: names and numbers count more
        self._lang_code: dict[str, int] = {}
        self._into: dict[int, int] = {}  # merged story key -> the story it was merged into
        self.dropped: set[int] = set()  # rows of articles removed from the store: never matched again
        self._stories: list[Story] = []  # add()'s stories by key, merged ones included
        self._meta: list[tuple[str | None, str | None, str | None, str | None]] = []  # add()'s rows: title, outlet, language, date read
        self._touched: set[int] = set()  # stories add() placed articles in since the last review
        self._reviewed: dict[int, int] = {}  # story key -> its size when last reviewed
        self.pinned: set[int] = set()  # stories never split: split off by a review, or placed by a reader's hand
        self._size: dict[int, int] = {}  # story key (not merged away) -> its members, less copies and removed ones
        self._near: set[int] = set()  # add()'s placements' Placement.near since the last review

    @property
    def stories(self) -> list[Story]:
        """The stories :meth:`add` made, less those merged into others."""
        return [st for key, st in enumerate(self._stories) if key not in self._into]

    def story_key(self, key: int) -> int:
        """The story that ``key`` is now (itself unless merged)."""
        root = key
        while root in self._into:
            root = self._into[root]
        while key != root:  # shorten the chain for the next look-up
            self._into[key], key = root, self._into[key]
        return root

    def merge(self, into: int, keys: Iterable[int]) -> None:
        """Record that stories ``keys`` are now story ``into``."""
        into = self.story_key(into)
        for key in keys:
            key = self.story_key(key)
            if key != into:
                self._into[key] = into
                self._size[into] = self._size.get(into, 0) + self._size.pop(key, 0)
                if key in self.pinned:
                    self.pinned.add(into)

    def drop(self, row: int) -> None:
        """Row ``row``'s article is gone (removed from the store): no later article is matched to
        it, as a neighbour or as the original of a copy, and its key terms no longer count in the
        document frequencies (those of a long article beyond the MAX_TERMS kept stay counted until
        the writer restarts and reads the store without it)."""
        if row in self.dropped:
            return
        self._resize(self.story_of[row], -self._counts(row))
        self.dropped.add(row)
        head = self.dups.drop(row)
        if head is not None:  # a copy succeeds its removed original: it counts now
            self._resize(self.story_of[head], 1)
        self.df[self._row_terms(row)] -= 1

    def move(self, row: int, key: int) -> None:
        """Row ``row``'s article is now in story ``key`` (a review's split, a reader's move)."""
        self._resize(self.story_of[row], -self._counts(row))
        self.story_of[row] = key
        self._resize(key, self._counts(row))

    def _counts(self, row: int) -> int:
        """1 if row ``row`` counts in its story's size (:meth:`join_bar`): not a copy, not removed."""
        return 0 if self.dups.is_copy(row) or row in self.dropped else 1

    def _resize(self, key: int, by: int) -> None:
        key = self.story_key(key)
        self._size[key] = self._size.get(key, 0) + by

    def join_bar(self, size: int) -> float:
        """The score an article needs to join a story of ``size`` independent reports, within a
        language (SIZE_PRIOR)."""
        return self.threshold * max(MIN_BAR_SHARE, 1.0 - SIZE_PRIOR * math.log(max(size, 1)))

    @property
    def n(self) -> int:
        return len(self.ids)

    def _idf(self, ids: np.ndarray) -> np.ndarray:
        return np.log((self.n + 1) / (self.df[ids] + 1.0)) + 1.0

    def _unseen_idf(self) -> float:
        """The idf of a term never seen before (the rarest)."""
        return float(np.log(self.n + 1.0) + 1.0)

    def _lookup(self, terms: frozenset[str]) -> tuple[np.ndarray, float]:
        """Known term ids (sorted) and the summed squared weight of terms never seen before."""
        known = [self.vocab[t] for t in terms if t in self.vocab]
        unseen = sum(_weight(t) ** 2 for t in terms if t not in self.vocab)
        return np.array(sorted(known), dtype=np.int32), unseen

    def _row_terms(self, r: int) -> np.ndarray:
        return self._tbuf[self._toff[r] : self._toff[r + 1]]

    def _term_sims(self, ids: np.ndarray, unseen: int, rows: list[int], coss: list[float]) -> np.ndarray:
        """Cosine of idf-weighted binary term vectors between the new article and each row (``coss``:
        their document-vector cosines), both norms padded by SHORT_TEXT_PAD scaled down as the vectors
        agree (:func:`_pad_share`); all rows in a few vectorised steps."""
        out = np.zeros(len(rows))
        if (not len(ids) and not unseen) or not rows:
            return out
        top = self._unseen_idf() ** 2
        pad = SHORT_TEXT_PAD * top * _pad_share(np.asarray(coss, dtype=np.float64))
        na = float(((self._idf(ids) * self.tw[ids]) ** 2).sum() + unseen * top)
        parts = [self._row_terms(r) for r in rows]
        lens = np.fromiter((len(p) for p in parts), dtype=np.int64, count=len(parts))
        cat = np.concatenate(parts)
        if not len(cat):
            return out
        lab = np.repeat(np.arange(len(rows)), lens)
        w = (self._idf(cat) * self.tw[cat]) ** 2
        nb = np.bincount(lab, weights=w, minlength=len(rows))
        hit = np.isin(cat, ids)
        inter = np.bincount(lab[hit], weights=w[hit], minlength=len(rows))
        den = np.sqrt((na + pad) * (nb + pad))
        np.divide(inter, den, out=out, where=den > 0)
        return out

    def _code(self, language: str | None) -> int:
        """A small number per language (0: unknown), labels read as codes: rows a store kept from
        before labels were normalised ("en-US") count as "en"."""
        language = language_code(language)
        if not language:
            return 0
        return self._lang_code.setdefault(language, len(self._lang_code) + 1)

    def _names(self, terms: frozenset[str]) -> tuple[np.ndarray, int, float]:
        """An article's known name and number ids (sorted), how many names and numbers it carries,
        and their summed idf (a name never seen before weighs as the rarest)."""
        names = [t for t in terms if _weight(t) > 1]
        known = np.array(sorted(self.vocab[t] for t in names if t in self.vocab), dtype=np.int32)
        unseen = (len(names) - len(known)) * self._unseen_idf()
        return known, len(names), float(self._idf(known).sum()) + unseen

    def _cross_bar(self, own: tuple[np.ndarray, int, float], row: int) -> float:
        """The vector cosine that counts as the threshold between an article (``own``, from
        :meth:`_names`) and row ``row`` in another language. Names and numbers are mostly written
        alike across languages: two reports that each carry MIN_NAMES or more need
        CROSS_NO_SHARED_NAME_COS when they share none, falling linearly to CROSS_SHARED_NAMES_COS
        as the names they share reach SHARED_NAME_SHARE of the names of the one with fewer (by
        idf). Texts with fewer names need CROSS_LINGUAL_COS, or CROSS_SHARED_NAMES_COS when they
        share SHARED_NAMES or more weighing SHARED_NAME_SHARE."""
        ids, count, weight = own
        theirs = self._row_terms(row)
        theirs = theirs[self.tw[theirs] > 1]
        shared = np.intersect1d(ids, theirs, assume_unique=True)
        share = float(self._idf(shared).sum()) / min(weight, float(self._idf(theirs).sum())) if len(shared) else 0.0
        if count >= MIN_NAMES and len(theirs) >= MIN_NAMES:
            return float(np.interp(share, [0.0, SHARED_NAME_SHARE], [CROSS_NO_SHARED_NAME_COS, CROSS_SHARED_NAMES_COS]))
        if len(shared) >= SHARED_NAMES and share >= SHARED_NAME_SHARE:
            return CROSS_SHARED_NAMES_COS
        return CROSS_LINGUAL_COS

    def assign(self, f: Features) -> Placement:
        """Where ``f`` goes: its story (None for a new one), the row it nearly duplicates, the
        other stories it merges into that one (the oldest of them all keeps its key), and the rows
        of other small stories it links at the lowest bar a story has or more, for the next review
        to look at again (:meth:`rejoin`)."""
        orig = self.dups.query(f.signature)
        if orig is not None and orig not in self.dropped:
            return Placement(self.story_key(self.story_of[orig]), orig)
        if self.index is None or not self.index.n:
            return Placement(None)
        hits = self.index.query(f.vector, self.neighbours, _ordinal(f))
        if self.dropped:
            hits = [(r, cos) for r, cos in hits if r not in self.dropped]
        links = self.links(f, hits)
        keys = [self.story_key(self.story_of[row]) for row, _ in hits]
        scored, bar = {}, {}
        for key, held in _grouped(keys, links).items():
            bar[key], scores = self.story_bar(self._size.get(key, 0), held)
            scored[key] = _story_score(scores)
        best = max((key for key, s in scored.items() if s >= bar[key]), key=scored.get, default=None)
        floor = self.threshold * MIN_BAR_SHARE  # the lowest bar a story has
        near = tuple(row for (row, _), key, (s, _, _) in zip(hits, keys, links)
                     if key != best and s >= floor and self._small(key))
        if best is None:
            return Placement(None, near=near)
        linked = sorted(key for key, s in scored.items() if s >= MERGE_SCORE)  # best among them, if any
        if len(linked) < 2:
            return Placement(best, near=near)
        return Placement(linked[0], None, tuple(linked[1:]), near)

    def _small(self, key: int) -> bool:
        """Whether story ``key`` is a fragment whose members :meth:`rejoin` may move: fewer than
        SPLIT_MIN_PART independent reports (a review never splits off so few) and not pinned."""
        return self._size.get(key, 0) < SPLIT_MIN_PART and key not in self.pinned

    def rejoin(self, row: int) -> int | None:
        """The story row ``row``'s article moves to now, or None. A member of a small story
        (:meth:`_small`) whose best story among its neighbours now is a larger one, scoring the
        threshold with it, joins it: the article's story was decided when it came, before its
        event's other reports had, or its neighbours, as they came, chose another story than its
        own. It is scored as if it came now (its neighbours, the document frequencies of now) and
        held to the threshold, not the story's lower bar (:meth:`join_bar`): this undoes a
        decision, and asks a pair's evidence. A copy goes with its original, never alone."""
        if row in self.dropped or self.dups.is_copy(row):
            return None
        key = self.story_key(self.story_of[row])
        if not self._small(key):
            return None
        size = self._size.get(key, 0)
        day = self.days[row]
        hits = [(r, cos) for r, cos in self.index.query(self.index.vectors([row], [day])[0], self.neighbours + size, day)
                if r not in self.dropped and self.story_key(self.story_of[r]) != key][: self.neighbours]
        links = self._links(self._row_terms(row), 0.0, self.langs[row], day, lambda: self._row_names(row), hits)
        scored = {k: _story_score([s for s, _, _ in held])
                  for k, held in _grouped([self.story_key(self.story_of[r]) for r, _ in hits], links).items()}
        best = max(scored, key=scored.get, default=None)
        if best is None or scored[best] < self.threshold or self._size.get(best, 0) <= size:
            return None
        return best

    def story_bar(self, size: int, links: list[tuple[float, bool, bool]]) -> tuple[float, list[float]]:
        """The bar an article must reach to join a story of ``size`` independent reports, and its
        ``links`` to the story's members among its neighbours ((score, in another language, to a
        copy) triples) as they are held to it. The story's :meth:`join_bar` holds when PRIOR_LINKS
        or more of the links to independent reports reach it, else the threshold: the prior is that
        of an event's reports, and a link to one of them is judged as a pair. A link across
        languages scores the threshold at its own bar (:meth:`_cross_bar`), so it is shifted down
        with the bar: the prior lowers the bar of the key-term score only."""
        bar = self.join_bar(size)
        drop = self.threshold - bar
        scores = [s - drop if cross else s for s, cross, _ in links]
        if drop and sum(s >= bar for s, (_, _, copy) in zip(scores, links) if not copy) >= PRIOR_LINKS:
            return bar, scores
        return self.threshold, [s for s, _, _ in links]

    def link_scores(self, f: Features, hits: list[tuple[int, float]]) -> list[float]:
        """The score of ``f`` against each of ``hits`` ((row, document-vector cosine) pairs), as
        :meth:`assign` weighs its neighbours: the padded key-term cosine within a language, the vector
        cosine against the bar :meth:`_cross_bar` sets across languages (shifted so that the threshold
        means the same), less TIME_PENALTY for dates further apart than TIME_WINDOW_DAYS."""
        return [s for s, _, _ in self.links(f, hits)]

    def links(self, f: Features, hits: list[tuple[int, float]]) -> list[tuple[float, bool, bool]]:
        """:meth:`link_scores` of ``f`` with, for each hit, whether its row is in another language
        and whether it is a copy: the (score, in another language, to a copy) triples that
        :meth:`story_bar` weighs."""
        ids, unseen = self._lookup(f.terms)
        return self._links(ids, unseen, self._code(f.language), _ordinal(f), lambda: self._names(f.terms), hits)

    def _links(self, ids: np.ndarray, unseen: float, lang: int, day: int, names,
               hits: list[tuple[int, float]]) -> list[tuple[float, bool, bool]]:
        """:meth:`links` of an article given as its known term ids, the weight of its terms never
        seen, its language code and day; ``names()`` gives its :meth:`_names` (asked for only when a
        neighbour is in another language)."""
        rows = [r for r, _ in hits]
        tsims = self._term_sims(ids, unseen, rows, [cos for _, cos in hits])
        other_lang = [bool(lang and self.langs[r] and self.langs[r] != lang) for r in rows]
        own = names() if any(other_lang) else None
        out = []
        for (row, cos), ts, cross in zip(hits, tsims.tolist(), other_lang):
            s = cos - self._cross_bar(own, row) + self.threshold if cross else ts
            if day and self.days[row] and abs(day - self.days[row]) > TIME_WINDOW_DAYS:
                s -= TIME_PENALTY
            out.append((s, cross, self.dups.is_copy(row)))
        return out

    def shared_terms(self, f: Features, row: int) -> list[str]:
        """The key terms ``f`` shares with row ``row`` (as far as the row keeps them: MAX_TERMS), the
        weightiest first: what their term score counts."""
        ids, _ = self._lookup(f.terms)
        shared = np.intersect1d(ids, self._row_terms(row), assume_unique=True)
        order = np.argsort(-(self._idf(shared) * self.tw[shared]), kind="stable")
        name = {self.vocab[t]: t for t in f.terms if t in self.vocab}
        return [name[i] for i in shared[order].tolist()]

    def _row_names(self, row: int) -> tuple[np.ndarray, int, float]:
        """:meth:`_names` of a stored row (of the terms it keeps)."""
        ids = self._row_terms(row)
        ids = ids[self.tw[ids] > 1]
        return ids, len(ids), float(self._idf(ids).sum())

    def pair_scores(self, rows: list[int]) -> np.ndarray:
        """The score of every pair of stored ``rows`` as :meth:`link_scores` weighs a neighbour (the
        mean of both ways), with the document frequencies of now; the diagonal is 1."""
        out = self._row_scores(rows, rows)
        out = (out + out.T) / 2
        np.fill_diagonal(out, 1.0)
        return out

    def _row_scores(self, rows: list[int], cols: list[int]) -> np.ndarray:
        """The score of each stored row of ``rows`` against each of ``cols``, as :meth:`link_scores`
        scores an article against its neighbours (one way), with the document frequencies of now."""
        coss = self.index.vectors(rows, [self.days[r] for r in rows]) @ \
            self.index.vectors(cols, [self.days[c] for c in cols]).T
        return np.array([[s for s, _, _ in self._links(self._row_terms(r), 0.0, self.langs[r], self.days[r],
                                                       lambda r=r: self._row_names(r), list(zip(cols, coss[i].tolist())))]
                         for i, r in enumerate(rows)]).reshape(len(rows), len(cols))

    def due(self, key: int, size: int) -> bool:
        """Whether story ``key``, holding ``size`` articles, is to be reviewed (:meth:`split`) now: it
        is large enough, has grown by REVIEW_GROWTH since its last review and is not pinned (a story
        split off by a review, or one a reader merged or moved articles into, stays as it is).
        Records the review."""
        if size < 2 * SPLIT_MIN_PART or size < REVIEW_GROWTH * self._reviewed.get(key, 0) or key in self.pinned:
            return False
        self._reviewed[key] = size
        return True

    def split(self, rows: list[int]) -> list[list[int]]:
        """The rows of one story (SPLIT_MIN_PART x 2 of them or more) that report other events, a
        list for each event, or none. The story's members are clustered again by average link over
        :meth:`pair_scores` at SPLIT_BAR_SHARE x the threshold, as if all had been seen at once; when
        two or more of the groups hold SPLIT_MIN_PART or more, each of those is an event, and the
        smaller groups go with the one they score best with on average. A story of more than
        SPLIT_MAX is clustered on SPLIT_MAX members taken evenly through it (its first among them),
        and each other member goes with the event it scores best with on average. The events
        without the story's first article are returned, so the story keeps its first article and
        its title."""
        rows = sorted(r for r in rows if r not in self.dropped)
        if len(rows) < 2 * SPLIT_MIN_PART:
            return []
        if np.median([self._toff[r + 1] - self._toff[r] for r in rows]) < SPLIT_MIN_TERMS:
            return []
        sample = rows if len(rows) <= SPLIT_MAX else \
            [rows[i] for i in np.unique(np.linspace(0, len(rows) - 1, SPLIT_MAX).round().astype(int)).tolist()]
        scores = self.pair_scores(sample)
        groups = _average_link(scores, self.threshold * SPLIT_BAR_SHARE)
        events = [g for g in groups if len(g) >= SPLIT_MIN_PART]
        if len(events) < 2:
            return []
        for g in groups:
            if len(g) < SPLIT_MIN_PART:
                max(events, key=lambda e: scores[np.ix_(g, e)].mean()).extend(g)
        out = [[sample[i] for i in e] for e in events]
        taken = set(sample)
        rest = [r for r in rows if r not in taken]
        for i in range(0, len(rest), ASSIGN_CHUNK):
            part = rest[i : i + ASSIGN_CHUNK]
            against = self._row_scores(part, sample)
            best = np.argmax(np.stack([against[:, e].mean(axis=1) for e in events], axis=1), axis=1)
            for r, b in zip(part, best.tolist()):
                out[b].append(r)
        return [sorted(e) for e in out if rows[0] not in e]

    def review(self) -> list[Story]:
        """Split the stories :meth:`add` placed articles in since the last review that hold two events
        (:meth:`split`), then move the members of small stories near the articles placed to the
        larger stories they now join (:meth:`rejoin`); returns the stories split off. :meth:`add`
        reviews every REVIEW_EVERY articles; call it once more when the last article is in."""
        made = []
        for key in sorted({self.story_key(k) for k in self._touched}):
            if self.due(key, len(self._stories[key].rows)):
                made += [self._split_off(key, event) for event in self.split(self._stories[key].rows)]
        self._touched.clear()
        for row in sorted(self._near):
            key = self.rejoin(row)
            if key is not None:
                old = self.story_key(self.story_of[row])
                self._relocate(old, [row], key)
                if not self._stories[old].rows:  # emptied: it leads to the story its article joined
                    self.merge(key, [old])
        self._near.clear()
        return made

    def _split_off(self, key: int, leave: list[int]) -> Story:
        """Move rows ``leave`` of story ``key`` to a new story, pinned; returns it."""
        new_key = len(self._stories)
        new = Story(id=f"s{new_key + 1}")
        self._stories.append(new)
        self.pinned.add(new_key)
        self._relocate(key, leave, new_key)
        return new

    def _relocate(self, key: int, leave: list[int], to: int) -> None:
        """Move rows ``leave`` of story ``key`` to story ``to`` (a near-duplicate goes with its
        original); both stories' aggregates are made again from their members."""
        st, dest = self._stories[key], self._stories[to]
        going = set(leave)
        row_of = dict(zip(st.articles, st.rows))
        for copy, orig in st.duplicate_of.items():
            if (row_of[orig] in going) != (row_of[copy] in going):
                going.symmetric_difference_update({row_of[copy]})
        for r in going:
            self.move(r, to)
        dups = st.duplicate_of
        staying, leaving = [r for r in st.rows if r not in going], [r for r in st.rows if r in going]
        for story, rows, copies in ((st, staying, {c: o for c, o in dups.items() if row_of[c] not in going}),
                                    (dest, list(merge_sorted(dest.rows, leaving)),
                                     dest.duplicate_of | {c: o for c, o in dups.items() if row_of[c] in going})):
            metas = [self._meta[r] for r in rows]  # (title, outlet, language, date read)
            story.rows, story.articles, story.duplicate_of = rows, [self.ids[r] for r in rows], copies
            if metas and story.title not in {m[0] for m in metas}:  # none yet, or an article's gone
                story.title = metas[0][0]  # its first article's
            story.outlets = {m[1] for m in metas if m[1]}
            story.languages = {m[2] for m in metas if m[2]}
            seen = [m[3] for m in metas if m[3]]
            story.first_seen, story.last_seen = min(seen, default=None), max(seen, default=None)

    def warm(self, feats: Iterable[Features]) -> None:
        """Make ready the neighbour index for placing ``feats`` (see :meth:`DatedIndex.warm`)."""
        if self.index is not None:
            for day in {_ordinal(f) for f in feats}:
                self.index.warm(day)

    def insert(self, f: Features, story: int, orig: int | None = None) -> int:
        """Record ``f`` as a member of story ``story`` (``orig``: the row it duplicates, as ``assign``
        found); returns its row."""
        day = _ordinal(f)
        if self.index is None:
            self.index = DatedIndex(len(f.vector))
        row = self.index.add(f.vector, day)
        self.dups.insert(f.signature, orig)
        self._record(f, day, story)
        return row

    def insert_rows(self, ids: list[str], vectors: np.ndarray, days: list[int], signatures: list[np.ndarray | None],
                    languages: list[str | None], terms: list[list[str]], stories: list[int],
                    origs: list[int | None]) -> None:
        """:meth:`insert` each row in order, with the same result, from the columns a store keeps
        (days as date ordinals, 0 when unknown), faster: the vectors and near-duplicate signatures go in a few vectorised steps, the key
        terms of all rows at once (a writer replaying a store)."""
        if not ids:
            return
        if self.index is None:
            self.index = DatedIndex(vectors.shape[1])
        self.index.add_many(vectors, np.array(days, dtype=np.int64))
        self.dups.insert_many(signatures, origs)
        self._record_many(ids, days, languages, terms, stories)

    def _term_ids(self, terms: list[str]) -> np.ndarray:
        """The ids of ``terms``, new ones numbered in the order they first come (as one by one)."""
        vocab = self.vocab
        ids = np.fromiter((vocab.get(t, -1) for t in terms), dtype=np.int64, count=len(terms))
        new = [terms[i] for i in np.flatnonzero(ids < 0).tolist()]
        if new:
            first = len(vocab)
            vocab.update(zip(new, range(first, first + len(new))))
            end = first + len(new)
            if end > len(self.df):
                size = max(2 * len(self.df), end)
                self.df = np.concatenate([self.df, np.zeros(size - len(self.df), dtype=np.int32)])
                self.tw = np.concatenate([self.tw, np.ones(size - len(self.tw), dtype=np.float32)])
            self.tw[first:end] = [_weight(t) for t in new]
            ids[ids < 0] = np.arange(first, end)
        return ids.astype(np.int32)

    def _by_weight(self, tids: np.ndarray) -> np.ndarray:
        """The order in which an article's terms are kept (MAX_TERMS at most): names and numbers
        first, then the rarest."""
        return np.lexsort((self.df[tids], -self.tw[tids]))

    def _append_terms(self, kept: np.ndarray, counts: np.ndarray | list[int]) -> None:
        """Append rows' kept term ids (``counts`` of them a row, each row's sorted), end to end."""
        begin = self._toff[-1]
        end = begin + len(kept)
        if end > len(self._tbuf):
            self._tbuf = np.concatenate([self._tbuf, np.zeros(max(len(self._tbuf), len(kept)), dtype=np.int32)])
        self._tbuf[begin:end] = kept
        self._toff.extend((begin + np.cumsum(counts)).tolist())

    def _record(self, f: Features, day: int, story: int) -> None:
        """Keep ``f``'s key terms (counting their document frequencies), day, language and story
        (its near-duplicate record made first, which says whether it counts in the story's size)."""
        tids = self._term_ids(sorted(f.terms))  # sorted: which terms MAX_TERMS keeps must not depend on hash order
        self.df[tids] += 1
        if len(tids) > MAX_TERMS:
            tids = tids[self._by_weight(tids)[:MAX_TERMS]]
        self._append_terms(np.sort(tids), [len(tids)])
        self.ids.append(f.id)
        self.days.append(day)
        self.langs.append(self._code(f.language))
        self.story_of.append(story)
        self._resize(story, self._counts(len(self.story_of) - 1))

    def _record_many(self, ids: list[str], days: list[int], languages: list[str | None], terms: list[list[str]],
                     stories: list[int]) -> None:
        """:meth:`_record` each in order (rows of key terms, ids, ...), the terms of all in a few
        vectorised steps."""
        rows = [sorted(ts) for ts in terms]  # sorted: which terms MAX_TERMS keeps must not depend on hash order
        lens = np.fromiter(map(len, rows), dtype=np.int64, count=len(rows))
        flat = [t for ts in rows for t in ts]
        uniq = list(dict.fromkeys(flat))  # in order of first coming, as one by one would number them
        tids = self._term_ids(uniq)[np.fromiter(map({t: i for i, t in enumerate(uniq)}.__getitem__, flat),
                                                dtype=np.int64, count=len(flat))] if flat else np.zeros(0, np.int32)
        starts = np.concatenate([[0], np.cumsum(lens)])
        keep = np.ones(len(tids), dtype=bool)
        done = 0  # document frequencies counted up to here
        for r in np.flatnonzero(lens > MAX_TERMS).tolist():  # which it keeps depends on the counts at its turn
            a, b = int(starts[r]), int(starts[r + 1])
            np.add.at(self.df, tids[done:b], 1)
            done = b
            keep[a + self._by_weight(tids[a:b])[MAX_TERMS:]] = False
        np.add.at(self.df, tids[done:], 1)
        lab = np.repeat(np.arange(len(rows)), lens)[keep]
        kept = tids[keep]
        kept = kept[np.lexsort((kept, lab))]  # each row's terms sorted
        self._append_terms(kept, np.bincount(lab, minlength=len(rows)))
        self.ids.extend(ids)
        self.days.extend(days)
        self.langs.extend(self._code(language) for language in languages)
        start = len(self.story_of)
        self.story_of.extend(stories)
        counted = Counter(s for r, s in enumerate(stories, start) if not self.dups.is_copy(r))
        for story, n in counted.items():
            self._resize(story, n)

    def add(self, f: Features) -> Story:
        """Place ``f`` (:meth:`assign`) and record it, keeping the stories' aggregates; every
        REVIEW_EVERY articles the stories placed in are reviewed (:meth:`review`). Returns the story
        it joined or opened."""
        if len(self._meta) and len(self._meta) % REVIEW_EVERY == 0:
            self.review()
        key, orig, merges, near = self.assign(f)
        self._near.update(near)
        if key is None:
            key = len(self._stories)
            self._stories.append(Story(id=f"s{key + 1}", title=f.title))
        st = self._stories[key]
        if merges:
            for other in merges:
                _absorb(st, self._stories[other], self.ids)
            self.merge(key, merges)
        st.rows.append(self.insert(f, key, orig))
        st.articles.append(f.id)
        self._meta.append((f.title, f.outlet, f.language, f.published if f.published and f.day else None))
        self._touched.add(key)
        if orig is not None:
            st.duplicate_of[f.id] = self.ids[orig]
        if f.outlet:
            st.outlets.add(f.outlet)
        if f.language:
            st.languages.add(f.language)
        if f.published and f.day:  # a date that could not be read does not say when the story ran
            _widen_seen(st, f.published, f.published)
        return st


def _grouped(keys: list[int], links: list) -> dict[int, list]:
    """``links`` grouped by their entry of ``keys`` (the story of each link's row)."""
    out: dict[int, list] = {}
    for key, link in zip(keys, links):
        out.setdefault(key, []).append(link)
    return out


def _story_score(scores: list[float]) -> float:
    """A story's score from an article's scores with its members among the article's neighbours:
    the mean of the best and the average."""
    return 0.5 * (max(scores) + sum(scores) / len(scores))


def _average_link(scores: np.ndarray, bar: float) -> list[list[int]]:
    """Average-link clustering of ``scores`` (a symmetric matrix of similarities): groups of indices
    are merged, the closest on average first, while two score ``bar`` or more on average."""
    n = len(scores)
    sums = scores.astype(np.float64).copy()  # summed scores between groups
    np.fill_diagonal(sums, -np.inf)
    sizes = np.ones(n)
    groups: list[list[int]] = [[i] for i in range(n)]
    alive = np.ones(n, dtype=bool)
    for _ in range(n - 1):
        mean = sums / np.outer(sizes, sizes)
        mean[~alive] = -np.inf
        mean[:, ~alive] = -np.inf
        a, b = np.unravel_index(int(np.argmax(mean)), mean.shape)
        if mean[a, b] < bar:
            break
        sums[a] += sums[b]
        sums[:, a] += sums[:, b]
        sums[a, a] = -np.inf
        sizes[a] += sizes[b]
        groups[a] += groups[b]
        alive[b] = False
    return [sorted(groups[i]) for i in np.flatnonzero(alive).tolist()]


def _absorb(st: Story, other: Story, ids: list[str]) -> None:
    """Fold ``other``'s articles and aggregates into ``st`` (articles kept in arrival order)."""
    st.rows = list(merge_sorted(st.rows, other.rows))
    st.articles = [ids[r] for r in st.rows]
    st.duplicate_of.update(other.duplicate_of)
    st.outlets |= other.outlets
    st.languages |= other.languages
    _widen_seen(st, other.first_seen, other.last_seen)
    other.rows, other.articles = [], []


def _widen_seen(st: Story, first: str | None, last: str | None) -> None:
    """Stretch ``st``'s first and last seen to cover ``first`` .. ``last`` (None: unknown)."""
    st.first_seen = min(filter(None, [st.first_seen, first]), default=None)
    st.last_seen = max(filter(None, [st.last_seen, last]), default=None)


def article_rows(stories: Iterable[Story], ids: Iterable[str] | None = None) -> list[dict]:
    """One row per article: ``{"id", "story", "duplicate_of", "story_title"}`` (the CSV of
    ``storydiff cluster``), in the order of ``ids`` when given, else story by story. Stories with
    links add each article's: ``link_to``, ``link_score``, ``link_kind``, ``link_weak`` and
    ``link_shared`` (joined with "; ")."""
    rows = {}
    for s in stories:
        links = {link.article: link for link in s.links or ()}
        for aid in s.articles:
            rows[aid] = {"id": aid, "story": s.id, "duplicate_of": s.duplicate_of.get(aid), "story_title": s.title}
            if s.links is not None:
                link = links[aid]
                rows[aid].update(link_to=link.to, link_score=link.score, link_kind=link.kind, link_weak=link.weak,
                                 link_shared="; ".join(link.shared))
    return [rows[i] for i in ids] if ids is not None else list(rows.values())


def _ordinal(f: Features) -> int:
    """The article's publication day as a date ordinal, 0 when unknown (as rows keep it)."""
    return f.day.toordinal() if f.day else 0


def _pad_share(cos: np.ndarray) -> np.ndarray:
    """How much of SHORT_TEXT_PAD two texts get at document-vector cosine ``cos``: 1 up to VOUCH_FROM,
    falling linearly to 0 at VOUCH_FULL."""
    return np.interp(cos, [VOUCH_FROM, VOUCH_FULL], [1.0, 0.0])


def _weight(term: str) -> float:
    """Names ("=lindhaven") and numbers tell one event from another of its kind; stems less so."""
    return NAME_WEIGHT if term[0] == "=" or term[0].isdigit() else 1.0


def cluster_articles(articles: Iterable[Article], encoder=None, threshold: float = THRESHOLD, batch: int = 256, progress=None,
                     why: bool = False) -> list[Story]:
    """Cluster ``articles`` in the order given; every article lands in exactly one story. Stories are
    numbered s1, s2, ... in the order they opened, with no gaps where one was merged into another.
    ``why``: each story also carries each article's strongest link in it (``Story.links``)."""
    from ..embed import get_encoder
    from .explain import story_links

    enc = encoder or get_encoder("use")
    cl = StoryClusterer(threshold=threshold)
    buf: list[Article] = []
    kept: list[Features] = []  # by row, when asked why
    texts: dict[str, str] = {}

    def flush() -> None:
        for a, f in zip(buf, featurize(buf, enc)):
            cl.add(f)
            if why:
                kept.append(f)
                texts[a.id] = a.text
            if progress:
                progress(1)
        buf.clear()

    for a in articles:
        buf.append(a)
        if len(buf) >= batch:
            flush()
    flush()
    cl.review()
    stories = cl.stories
    for n, st in enumerate(stories, 1):
        st.id = f"s{n}"
        if why:
            st.links = story_links(cl, st.rows, [kept[r] for r in st.rows], st.duplicate_of, texts)
    return stories
