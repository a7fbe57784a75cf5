"""Approximate nearest neighbours over unit vectors (inner product), growing as articles arrive.

hnswlib when installed (the default install has it): query cost grows with log(n), so the
millionth article costs about what the thousandth did. An exact numpy index serves small corpora
and is the fallback."""

from __future__ import annotations

import numpy as np

EXACT_UP_TO = 2_000


class VectorIndex:
    def __init__(self, dim: int, capacity: int = 10_000, ef: int = 64, m: int = 16) -> None:
        self.dim = dim
        self._vecs = np.zeros((0, dim), dtype=np.float32)
        self._hnsw = None
        self._capacity = capacity
        self._ef, self._m = ef, m
        self.n = 0

    def _to_hnsw(self) -> None:
        import hnswlib

        idx = hnswlib.Index(space="ip", dim=self.dim)
        idx.init_index(max_elements=max(self._capacity, 2 * self.n), ef_construction=100, M=self._m)
        idx.set_ef(self._ef)
        idx.add_items(self._vecs[: self.n], np.arange(self.n))
        self._hnsw = idx
        self._vecs = np.zeros((0, self.dim), dtype=np.float32)  # hnswlib keeps its own copy

    def add(self, vec: np.ndarray) -> int:
        """Add one vector; returns its integer id (0, 1, 2, ... in order)."""
        vid = self.n
        if self._hnsw is None:
            if self.n >= len(self._vecs):
                grow = np.zeros((max(64, len(self._vecs)), self.dim), dtype=np.float32)
                self._vecs = np.vstack([self._vecs, grow])
            self._vecs[self.n] = vec
            self.n += 1
            if self.n > EXACT_UP_TO:
                try:
                    self._to_hnsw()
                except ImportError:
                    pass
            return vid
        if self.n >= self._hnsw.get_max_elements():
            self._hnsw.resize_index(2 * self._hnsw.get_max_elements())
        self._hnsw.add_items(vec.reshape(1, -1), np.array([vid]))
        self.n += 1
        return vid

    def query(self, vec: np.ndarray, k: int) -> list[tuple[int, float]]:
        """Up to ``k`` (id, cosine) pairs, best first."""
        if self.n == 0:
            return []
        k = min(k, self.n)
        if self._hnsw is None:
            sims = self._vecs[: self.n] @ vec
            top = np.argpartition(-sims, k - 1)[:k]
            top = top[np.argsort(-sims[top])]
            return [(int(i), float(sims[i])) for i in top]
        labels, dists = self._hnsw.knn_query(vec.reshape(1, -1), k=k)
        return [(int(i), float(1.0 - d)) for i, d in zip(labels[0], dists[0])]
