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

import numpy as np

EXACT_UP_TO = 2_000
POOL_DAYS = 30
# the graph's shape (see the module docstring)
CONNECTIVITY = 12
EXPANSION_ADD = 48
EXPANSION_SEARCH = 64
OVERSAMPLE = 2


class VectorIndex:
    """One pool of vectors, each under an integer key (0, 1, 2, ... unless given)."""

    def __init__(self, dim: int, exact_up_to: int = EXACT_UP_TO, expansion_add: int = EXPANSION_ADD,
                 expansion_search: int = EXPANSION_SEARCH, connectivity: int = CONNECTIVITY) -> None:
        self.dim = dim
        self.exact_up_to = exact_up_to
        self._vecs = np.zeros((0, dim), dtype=np.float32)  # the vectors in position order (float16 in a graph pool)
        self._keys = np.zeros(0, dtype=np.int64)  # key of the vector at each position
        self._ann = None
        self._graph = dict(connectivity=connectivity, expansion_add=expansion_add, expansion_search=expansion_search)
        self.n = 0

    def _to_ann(self) -> None:
        from usearch.index import Index

        idx = Index(ndim=self.dim, metric="ip", dtype="i8", **self._graph)
        idx.add(np.arange(self.n), self._vecs[: self.n])
        self._ann = idx
        half = np.empty(self._vecs.shape, dtype=np.float16)  # copies for re-scoring candidates
        half[: self.n] = self._vecs[: self.n]
        self._vecs = half

    def add(self, vec: np.ndarray, key: int | None = None) -> int:
        """Add one vector under ``key`` (default: the number of vectors added before); returns the key."""
        key = self.n if key is None else key
        pos = self.n
        self._keys, self._vecs = _room(self._keys, pos), _room(self._vecs, pos)
        self._keys[pos] = key
        self.n += 1
        vec = np.asarray(vec, dtype=np.float32)
        self._vecs[pos] = vec
        if self._ann is not None:
            self._ann.add(pos, vec)
        elif self.n > self.exact_up_to:
            self._to_ann()
        return key

    def query(self, vec: np.ndarray, k: int) -> list[tuple[int, float]]:
        """Up to ``k`` (key, cosine) pairs, best first."""
        if self.n == 0:
            return []
        k = min(k, self.n)
        vec = np.asarray(vec, dtype=np.float32)
        if self._ann is None:
            # einsum, not BLAS: a threaded BLAS product of this size costs several times more when
            # other work shares the cores (as analysis workers do during an ingest)
            keys = self._keys[: self.n]
            sims = np.einsum("ij,j->i", self._vecs[: self.n], vec)
        else:  # the graph's int8 cosines only choose candidates: OVERSAMPLE x k, re-scored
            pos = np.asarray(self._ann.search(vec, min(self.n, OVERSAMPLE * k)).keys, dtype=np.int64)
            keys = self._keys[pos]
            sims = np.einsum("ij,j->i", self._vecs[pos].astype(np.float32), vec)
        top = np.argpartition(-sims, k - 1)[:k] if len(sims) > k else np.arange(len(sims))
        top = top[np.argsort(-sims[top])]
        return list(zip(keys[top].tolist(), sims[top].tolist()))


def _room(a: np.ndarray, pos: int) -> np.ndarray:
    """``a``, or a copy twice its length when ``pos`` is past its end. The new half is left
    untouched (np.empty), so it takes no memory until filled."""
    if pos < len(a):
        return a
    grown = np.empty((max(64, 2 * len(a)), *a.shape[1:]), dtype=a.dtype)
    grown[:pos] = a[:pos]
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

    def add(self, vec: np.ndarray, day: int = 0) -> int:
        """Add one vector published on ``day``; returns its row."""
        key = self._pool_of(day)
        pool = self.pools.get(key)
        if pool is None:
            pool = self.pools[key] = VectorIndex(self.dim, **self._options)
        pool.add(vec, self.n)
        self.n += 1
        return self.n - 1

    def _pools_near(self, day: int) -> list[VectorIndex]:
        if not day:
            return list(self.pools.values())
        first, last = self._pool_of(max(1, day - self.pool_days)), self._pool_of(day + self.pool_days)
        keys = [None, *range(first, last + 1)]
        return [self.pools[k] for k in keys if k in self.pools]

    def query(self, vec: np.ndarray, k: int, day: int = 0) -> list[tuple[int, float]]:
        """Up to ``k`` (row, cosine) pairs, best first, among the rows ``day`` looks at."""
        pools = self._pools_near(day)
        if len(pools) == 1:
            return pools[0].query(vec, k)
        found = [hit for pool in pools for hit in pool.query(vec, k)]
        found.sort(key=lambda h: -h[1])
        return found[:k]
