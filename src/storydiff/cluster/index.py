"""Nearest neighbours over unit vectors (inner product), growing as articles arrive.

:class:`VectorIndex` is one pool: exact (numpy) up to EXACT_UP_TO vectors; past that an HNSW graph
from usearch (a core dependency with wheels for every platform), whose query cost grows with
log(n). The graph holds int8 vectors: a walk through a large graph is bound by memory reads, and
int8 reads a quarter of float32's bytes (half of float16's). Its scores only choose candidates:
OVERSAMPLE times the neighbours asked for are re-scored on float16 copies of the vectors (cosines
within about 1e-3 of float32), so the neighbours returned and their cosines are the vectors' own.

:class:`DatedIndex` is what the clusterer uses: one pool per POOL_DAYS of publication days (and one
for undated articles). A dated article's neighbours are sought in the pools whose days overlap
POOL_DAYS either side of its own, and among undated articles; an undated one searches every pool.
News about one event runs within days, and the clusterer already marks down neighbours more than
TIME_WINDOW_DAYS apart, so the cost per article follows how many articles a few weeks hold, not how
many years the corpus spans: the millionth article of a growing archive costs what the ten
thousandth did. A copy or repost of an old article is still found (near-duplicates are sought over
the whole corpus, cluster/neardup.py)."""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from typing import Iterator

import numpy as np

EXACT_UP_TO = 2_000
POOL_DAYS = 30
# the graph's shape (see the module docstring)
CONNECTIVITY = 12
EXPANSION_ADD = 48
EXPANSION_SEARCH = 64
OVERSAMPLE = 2
# At a fixed search expansion a graph's recall falls as it grows: in a pool of hundreds of thousands
# of look-alike vectors (a month of a dense feed) the walk misses an article's own event's reports,
# and a story split early stays split. Past WIDEN_FROM vectors the expansion grows in proportion to
# the pool's size, up to MAX_EXPANSION_SEARCH from 40,000 on (docs/quality.md: in a dense synthetic
# stream of 200k, the graph found 84% of an article's earlier same-event reports, now 90%; B-cubed
# 0.948 -> 0.991). A pool of a few weeks of 300 articles a day stays under it, searched as before.
WIDEN_FROM = 10_000
MAX_EXPANSION_SEARCH = 256
# Vectors made float32 from a pool's float16 copies (a graph catching up, an exact check) are made
# this many at a time: a pool that grew by a million without a search (a writer replaying a dense
# store) would otherwise be copied at once, 2 GB. 65,536 at 512-d is 128 MB, and enough for the
# graph's threads.
FLOAT32_CHUNK = 65_536


def search_expansion(n: int, base: int = EXPANSION_SEARCH) -> int:
    """The search expansion for a graph of ``n`` vectors whose own setting is ``base``."""
    if n <= WIDEN_FROM:
        return base
    return max(base, min(MAX_EXPANSION_SEARCH, round(base * n / WIDEN_FROM)))


class VectorIndex:
    """One pool of vectors, each under an integer key (0, 1, 2, ... unless given). Past EXACT_UP_TO
    vectors the pool keeps float16 copies and an HNSW graph, which is brought up to date when the
    pool is next searched: a pool never searched (an old month, for a writer that replays a store
    to add today's articles) costs no graph, and one searched after many adds takes them at once."""

    def __init__(self, dim: int, exact_up_to: int = EXACT_UP_TO, expansion_add: int = EXPANSION_ADD,
                 expansion_search: int = EXPANSION_SEARCH, connectivity: int = CONNECTIVITY) -> None:
        self.dim = dim
        self.exact_up_to = exact_up_to
        self._vecs = np.zeros((0, dim), dtype=np.float32)  # the vectors in position order (float16 in a graph pool)
        self._keys = np.zeros(0, dtype=np.int64)  # key of the vector at each position
        self._ann = None
        self._graphed = 0  # positions the graph holds
        self._graph = dict(connectivity=connectivity, expansion_add=expansion_add, expansion_search=expansion_search)
        self.n = 0

    def __getstate__(self) -> dict:
        """Saved (cluster/snapshot.py) without unused room, the graph as its serialised bytes."""
        state = self.__dict__.copy()
        state["_vecs"], state["_keys"] = self._vecs[: self.n], self._keys[: self.n]
        state["_ann"] = np.frombuffer(self._ann.save(), dtype=np.uint8) if self._ann is not None else None
        if self._ann is None:
            state["_graphed"] = 0
        return state

    def __setstate__(self, state: dict) -> None:
        graph = state.pop("_ann")
        self.__dict__.update(state)
        self._ann = None
        if graph is not None:
            from usearch.index import Index

            self._ann = Index.restore(memoryview(graph))
            self._ann.expansion_add = self._graph["expansion_add"]
            self._ann.expansion_search = search_expansion(self._graphed, self._graph["expansion_search"])

    @property
    def exact(self) -> bool:
        """Whether the pool is searched exactly (numpy) rather than through its graph."""
        return self.n <= self.exact_up_to

    @property
    def behind(self) -> int:
        """How many vectors the graph lacks (0 for a pool searched exactly)."""
        return 0 if self.exact else self.n - self._graphed

    def add(self, vec: np.ndarray, key: int | None = None) -> int:
        """Add one vector under ``key`` (default: the number of vectors added before); returns the key."""
        key = self.n if key is None else key
        self.add_many(np.asarray(vec, dtype=np.float32)[None], np.array([key], dtype=np.int64))
        return key

    def add_many(self, vecs: np.ndarray, keys: np.ndarray | None = None) -> None:
        """Add the rows of ``vecs`` in order, under ``keys`` (default: consecutive from ``n``)."""
        m = len(vecs)
        if not m:
            return
        pos, exact = self.n, self.exact
        keys = np.arange(pos, pos + m) if keys is None else keys
        self._keys, self._vecs = _room(self._keys, pos + m), _room(self._vecs, pos + m)
        self._keys[pos : pos + m] = keys
        self._vecs[pos : pos + m] = vecs
        self.n += m
        if exact and not self.exact:  # past EXACT_UP_TO: float16 copies for re-scoring, a graph when searched
            half = np.empty(self._vecs.shape, dtype=np.float16)
            half[: self.n] = self._vecs[: self.n]
            self._vecs = half

    def catch_up(self) -> None:
        """Bring the graph up to date with the vectors added since it was last searched."""
        if self._graphed == self.n:
            return
        if self._ann is None:
            from usearch.index import Index

            self._ann = Index(ndim=self.dim, metric="ip", dtype="i8", **self._graph)
        for start, vecs in self.float32_chunks(self._graphed):
            end = start + len(vecs)
            # one thread: a graph built on several differs from run to run (which neighbour links
            # to which depends on the threads' timing), and so would the stories made from its
            # answers. The same adds in the same order now make the same graph, byte for byte. A
            # stream adds one vector a search, so this costs only a bulk catch-up of one pool (1.8x:
            # 100,000 vectors in 12.7 s against 7.2 s on two cores); several pools catch up at once
            # (_catch_up below)
            self._ann.add(np.arange(start, end), vecs, threads=1)
            self._graphed = end  # what the graph holds, should a later chunk fail
        self._ann.expansion_search = search_expansion(self.n, self._graph["expansion_search"])  # wider as it grows

    def vector(self, key: int) -> np.ndarray:
        """The vector added under ``key`` (float32). Keys must have been given in ascending order,
        as :class:`DatedIndex` gives them."""
        pos = int(np.searchsorted(self._keys[: self.n], key))
        if pos == self.n or self._keys[pos] != key:
            raise KeyError(key)
        return self._vecs[pos].astype(np.float32)

    def float32_chunks(self, start: int = 0) -> Iterator[tuple[int, np.ndarray]]:
        """The vectors from position ``start`` on, as float32, FLOAT32_CHUNK at a time: (position
        of the first, rows)."""
        for first in range(start, self.n, FLOAT32_CHUNK):
            yield first, self._vecs[first : min(self.n, first + FLOAT32_CHUNK)].astype(np.float32)

    def query(self, vec: np.ndarray, k: int) -> list[tuple[int, float]]:
        """Up to ``k`` (key, cosine) pairs, best first."""
        if self.n == 0:
            return []
        k = min(k, self.n)
        vec = np.asarray(vec, dtype=np.float32)
        if self.exact:
            # einsum, not BLAS: a threaded BLAS product of this size costs several times more when
            # other work shares the cores (as analysis workers do during an ingest)
            keys = self._keys[: self.n]
            sims = np.einsum("ij,j->i", self._vecs[: self.n], vec)
        else:  # the graph's int8 cosines only choose candidates: OVERSAMPLE x k, re-scored
            self.catch_up()
            pos = np.asarray(self._ann.search(vec, min(self.n, OVERSAMPLE * k)).keys, dtype=np.int64)
            keys = self._keys[pos]
            sims = np.einsum("ij,j->i", self._vecs[pos].astype(np.float32), vec)
        top = np.argpartition(-sims, k - 1)[:k] if len(sims) > k else np.arange(len(sims))
        top = top[np.argsort(-sims[top])]
        return list(zip(keys[top].tolist(), sims[top].tolist()))


def _room(a: np.ndarray, end: int) -> np.ndarray:
    """``a``, or a copy at least twice its length when ``end`` is past its end. The new part is left
    untouched (np.empty), so it takes no memory until filled."""
    if end <= len(a):
        return a
    grown = np.empty((max(64, 2 * len(a), end), *a.shape[1:]), dtype=a.dtype)
    grown[: len(a)] = a
    return grown


class DatedIndex:
    """Vectors pooled by publication day (see the module docstring); rows are numbered 0, 1, 2, ...
    in the order added, across pools. ``day`` is a date ordinal, 0 when unknown."""

    def __init__(self, dim: int, pool_days: int = POOL_DAYS, **pool_options) -> None:
        self.dim, self.pool_days, self._options = dim, pool_days, pool_options
        self.pools: dict[int | None, VectorIndex] = {}
        self.n = 0

    def _pool_of(self, day: int) -> int | None:
        return day // self.pool_days if day else None

    def _pool(self, key: int | None) -> VectorIndex:
        pool = self.pools.get(key)
        if pool is None:
            pool = self.pools[key] = VectorIndex(self.dim, **self._options)
        return pool

    def add(self, vec: np.ndarray, day: int = 0) -> int:
        """Add one vector published on ``day``; returns its row."""
        self._pool(self._pool_of(day)).add(vec, self.n)
        self.n += 1
        return self.n - 1

    def add_many(self, vecs: np.ndarray, days: np.ndarray) -> None:
        """Add the rows of ``vecs`` in order (as ``add`` one by one would), published on ``days``."""
        pools = np.where(days > 0, days // self.pool_days, -1)
        for key in np.unique(pools).tolist():
            at = np.flatnonzero(pools == key)
            self._pool(key if key >= 0 else None).add_many(vecs[at], self.n + at)
        self.n += len(vecs)

    def vectors(self, rows: list[int], days: list[int]) -> np.ndarray:
        """The vectors of ``rows`` (float32, one a line), each added with its entry of ``days``."""
        out = np.zeros((len(rows), self.dim), dtype=np.float32)
        for i, (row, day) in enumerate(zip(rows, days)):
            out[i] = self.pools[self._pool_of(day)].vector(row)
        return out

    def _pools_near(self, day: int) -> list[VectorIndex]:
        if not day:
            return list(self.pools.values())
        first, last = self._pool_of(max(1, day - self.pool_days)), self._pool_of(day + self.pool_days)
        keys = [None, *range(first, last + 1)]
        return [self.pools[k] for k in keys if k in self.pools]

    def warm(self, day: int = 0) -> None:
        """Bring up to date the graphs of the pools a query on ``day`` searches (a writer does this
        before it takes the store's lock, so that it holds the lock only to place its articles)."""
        _catch_up(self._pools_near(day))

    def query(self, vec: np.ndarray, k: int, day: int = 0) -> list[tuple[int, float]]:
        """Up to ``k`` (row, cosine) pairs, best first, among the rows ``day`` looks at."""
        pools = self._pools_near(day)
        _catch_up(pools)
        if len(pools) == 1:
            return pools[0].query(vec, k)
        found = [hit for pool in pools for hit in pool.query(vec, k)]
        found.sort(key=lambda h: -h[1])
        return found[:k]


def _catch_up(pools: list[VectorIndex]) -> None:
    """Bring the graphs of ``pools`` up to date, as many pools at once as there are cores. Each
    graph is still built on one thread, so it is the graph a lone catch-up makes (the first undated
    article of a dated store catches up every pool, a writer replaying a store the few it searches)."""
    behind = [pool for pool in pools if pool.behind]
    if len(behind) < 2:
        for pool in behind:
            pool.catch_up()
        return
    with ThreadPoolExecutor(min(len(behind), os.cpu_count() or 1)) as threads:
        list(threads.map(VectorIndex.catch_up, behind))  # usearch lets go of the GIL as it adds
