"""Near-duplicates by MinHash LSH over word 5-gram shingles: wire copies and reposts are linked to
the first article seen with that text, and not counted as independent coverage."""

from __future__ import annotations

import re

NUM_PERM = 64
THRESHOLD = 0.7  # estimated Jaccard of shingle sets
_WORD = re.compile(r"\w+", re.UNICODE)


def shingles(text: str, n: int = 5, whole_if_short: bool = True) -> set[bytes]:
    """Word n-grams; a text shorter than n words is one shingle (or none, ``whole_if_short=False``)."""
    words = _WORD.findall(text.lower())
    if len(words) < n:
        if not whole_if_short:
            return set()
        return {" ".join(words).encode()} if words else set()
    return {" ".join(words[i : i + n]).encode() for i in range(len(words) - n + 1)}


class NearDuplicates:
    """Incremental: ``add(id, text)`` returns the id of the earlier article it duplicates, or None."""

    def __init__(self, threshold: float = THRESHOLD, num_perm: int = NUM_PERM) -> None:
        from datasketch import MinHash, MinHashLSH  # half a second of imports: only when clustering

        self._minhash = MinHash
        self.lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
        self.num_perm = num_perm
        self.original: dict[str, str] = {}
        self._sigs: dict = {}

    def add(self, key: str, text: str) -> str | None:
        sh = shingles(text)
        if not sh:
            return None
        m = self._minhash(num_perm=self.num_perm)
        m.update_batch(sh)
        hits = self.lsh.query(m)
        orig = None
        if hits:
            best = max(hits, key=lambda h: m.jaccard(self._sigs[h]))
            orig = self.original.get(best, best)
            self.original[key] = orig
        self.lsh.insert(key, m)
        self._sigs[key] = m
        return orig
