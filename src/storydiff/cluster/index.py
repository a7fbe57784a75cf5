"""Nearest neighbours over unit vectors (inner product), growing as articles arrive.

:class:`VectorIndex` is one pool: exact (numpy) up to EXACT_UP_TO vectors; past that an HNSW graph
from usearch (a core dependency with wheels for every platform), whose query cost grows with
log(n). usearch keeps vectors as float16 (half the memory of float32; the cosines it returns differ
from exact ones by about 1e-3).

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


class VectorIndex:
    """One pool of vectors, each under an integer key (0, 1, 2, ... unless given)."""

    def __init__(self, dim: int, exact_up_to: int = EXACT_UP_TO, expansion: int = 48, connectivity: int = 12) -> None:
        self.dim = dim
        self.exact_up_to = exact_up_to
        self._vecs = np.zeros((0, dim), dtype=np.float32)
        self._keys = np.zeros(0, dtype=np.int64)
        self._ann = None
        self._expansion, self._connectivity = expansion, connectivity
        self.n = 0

    def _to_ann(self) -> None:
        from usearch.index import Index

        idx = Index(ndim=self.dim, metric="ip", dtype="f16", connectivity=self._connectivity,
                    expansion_add=self._expansion, expansion_search=self._expansion)
        idx.add(self._keys[: self.n], self._vecs[: self.n])
        self._ann = idx
        self._vecs = np.zeros((0, self.dim), dtype=np.float32)  # usearch keeps its own copy
        self._keys = np.zeros(0, dtype=np.int64)

    def add(self, vec: np.ndarray, key: int | None = None) -> int:
        """Add one vector under ``key`` (default: the number of vectors added before); returns the key."""
        key = self.n if key is None else key
        if self._ann is not None:
            self._ann.add(key, np.asarray(vec, dtype=np.float32))
            self.n += 1
            return key
        if self.n >= len(self._vecs):
            grow = max(64, len(self._vecs))
            self._vecs = np.vstack([self._vecs, np.zeros((grow, self.dim), dtype=np.float32)])
            self._keys = np.concatenate([self._keys, np.zeros(grow, dtype=np.int64)])
        self._vecs[self.n], self._keys[self.n] = vec, key
        self.n += 1
        if self.n > self.exact_up_to:
            self._to_ann()
        return key

    def query(self, vec: np.ndarray, k: int) -> list[tuple[int, float]]:
        """Up to ``k`` (key, cosine) pairs, best first."""
        if self.n == 0:
            return []
        k = min(k, self.n)
        if self._ann is None:
            # einsum, not BLAS: a threaded BLAS product of this size costs several times more when
            # other work shares the cores (as analysis workers do during an ingest)
            sims = np.einsum("ij,j->i", self._vecs[: self.n], np.asarray(vec, dtype=np.float32))
            top = np.argpartition(-sims, k - 1)[:k]
            top = top[np.argsort(-sims[top])]
            return list(zip(self._keys[top].tolist(), sims[top].tolist()))
        m = self._ann.search(np.asarray(vec, dtype=np.float32), k)
        return list(zip(m.keys.tolist(), (1.0 - m.distances).tolist()))


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
