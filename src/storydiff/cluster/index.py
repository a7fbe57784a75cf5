"""Nearest neighbours over unit vectors (inner product), growing as articles arrive.

Exact (numpy) up to EXACT_UP_TO vectors; past that an HNSW graph from usearch (a core dependency
with wheels for every platform), whose query cost grows with log(n): the millionth article costs
about what the thousandth did. usearch keeps vectors as float16 (half the memory of float32; the
cosines it returns differ from exact ones by about 1e-3)."""

from __future__ import annotations

import numpy as np

EXACT_UP_TO = 2_000


class VectorIndex:
    def __init__(self, dim: int, exact_up_to: int = EXACT_UP_TO, expansion: int = 48, connectivity: int = 12) -> None:
        self.dim = dim
        self.exact_up_to = exact_up_to
        self._vecs = np.zeros((0, dim), dtype=np.float32)
        self._ann = None
        self._expansion, self._connectivity = expansion, connectivity
        self.n = 0

    def _to_ann(self) -> None:
        from usearch.index import Index

        idx = Index(ndim=self.dim, metric="ip", dtype="f16", connectivity=self._connectivity,
                    expansion_add=self._expansion, expansion_search=self._expansion)
        idx.add(np.arange(self.n), self._vecs[: self.n])
        self._ann = idx
        self._vecs = np.zeros((0, self.dim), dtype=np.float32)  # usearch keeps its own copy

    def add(self, vec: np.ndarray) -> int:
        """Add one vector; returns its integer id (0, 1, 2, ... in order)."""
        vid = self.n
        if self._ann is not None:
            self._ann.add(vid, np.asarray(vec, dtype=np.float32))
            self.n += 1
            return vid
        if self.n >= len(self._vecs):
            grow = np.zeros((max(64, len(self._vecs)), self.dim), dtype=np.float32)
            self._vecs = np.vstack([self._vecs, grow])
        self._vecs[self.n] = vec
        self.n += 1
        if self.n > self.exact_up_to:
            self._to_ann()
        return vid

    def query(self, vec: np.ndarray, k: int) -> list[tuple[int, float]]:
        """Up to ``k`` (id, cosine) pairs, best first."""
        if self.n == 0:
            return []
        k = min(k, self.n)
        if self._ann is None:
            sims = self._vecs[: self.n] @ vec
            top = np.argpartition(-sims, k - 1)[:k]
            top = top[np.argsort(-sims[top])]
            return [(int(i), float(sims[i])) for i in top]
        m = self._ann.search(np.asarray(vec, dtype=np.float32), k)
        return [(int(i), float(1.0 - d)) for i, d in zip(m.keys, m.distances)]
