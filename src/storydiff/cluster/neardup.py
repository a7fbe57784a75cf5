"""Near-duplicates by MinHash LSH over word 5-gram shingles: wire copies and reposts are linked to
the first article seen with that text, and not counted as independent coverage.

Signatures are deterministic (CRC-32 of each shingle, then NUM_PERM multiply-shift hashes), so one
computed at ingest can be stored and loaded by a later process. The LSH tables are compact: BANDS
open-addressing numpy tables from a band's hash to the first row seen with it, and the signatures
of all rows in one numpy matrix (256 bytes a row): about 0.6 KB an article in all."""

from __future__ import annotations

import re
import zlib
from typing import Callable

import numpy as np

NUM_PERM = 64
BANDS = 16  # of NUM_PERM // BANDS rows: a pair with Jaccard 0.7 is a candidate with p = 0.99
THRESHOLD = 0.7  # estimated Jaccard of shingle sets
_WORD = re.compile(r"\w+", re.UNICODE)
_RNG = np.random.default_rng(20261122)
_A = (_RNG.integers(1, 2**63, NUM_PERM, dtype=np.uint64) | np.uint64(1)).reshape(1, -1)
_B = _RNG.integers(0, 2**63, NUM_PERM, dtype=np.uint64).reshape(1, -1)


def shingles(text: str, n: int = 5, whole_if_short: bool = True) -> set[bytes]:
    """Word n-grams; a text shorter than n words is one shingle (or none, ``whole_if_short=False``)."""
    words = _WORD.findall(text.lower())
    if len(words) < n:
        if not whole_if_short:
            return set()
        return {" ".join(words).encode()} if words else set()
    return {" ".join(words[i : i + n]).encode() for i in range(len(words) - n + 1)}


def signature(text: str) -> np.ndarray | None:
    """The MinHash signature (NUM_PERM uint32) of the text's shingles; None for a text with no words."""
    sh = shingles(text)
    if not sh:
        return None
    x = np.fromiter((zlib.crc32(s) for s in sh), dtype=np.uint64, count=len(sh)).reshape(-1, 1)
    with np.errstate(over="ignore"):
        h = (x * _A + _B) >> np.uint64(32)  # multiply-shift: a universal family, wraps mod 2**64
    return h.min(axis=0).astype(np.uint32)


class _BandTables:
    """One open-addressing hash table per band (numpy arrays: 12 bytes a slot, no Python objects),
    mapping a band's 64-bit hash to the first row seen with it."""

    def __init__(self, bands: int, capacity: int = 1024) -> None:
        self.bands = bands
        self.keys = np.zeros((bands, capacity), dtype=np.uint64)  # 0 = empty slot
        self.vals = np.zeros((bands, capacity), dtype=np.int32)
        self.used = 0

    def _slot(self, b: int, h: int) -> int:
        cap = self.keys.shape[1]
        i = h % cap
        keys = self.keys[b]
        while keys[i] and keys[i] != h:
            i = (i + 1) % cap
        return i

    def get(self, hs: np.ndarray) -> set[int]:
        out = set()
        for b, h in enumerate(hs.tolist()):
            i = self._slot(b, h)
            if self.keys[b, i]:
                out.add(int(self.vals[b, i]))
        return out

    def put_first(self, hs: np.ndarray, row: int, gone: Callable[[int], bool] | None = None) -> None:
        """``row`` takes each of its band slots that is free, or held by a row ``gone`` says is gone."""
        if 2 * (self.used + 1) > self.keys.shape[1]:
            self._grow()
        for b, h in enumerate(hs.tolist()):
            i = self._slot(b, h)
            if not self.keys[b, i] or (gone is not None and gone(int(self.vals[b, i]))):
                self.keys[b, i] = h
                self.vals[b, i] = row
        self.used += 1

    def put_many(self, hs: np.ndarray, rows: np.ndarray) -> None:
        """``put_first`` for each row in order (``hs``: one row of band hashes for each), in a few
        vectorised steps: each band hash not held yet goes to the earliest of these rows with it."""
        if not len(rows):
            return
        self.used += len(rows)
        while 2 * self.used > self.keys.shape[1]:
            self._grow()
        for b in range(self.bands):
            h, first = np.unique(hs[:, b], return_index=True)
            self._place(b, h, rows[first], keep=True)

    def _place(self, b: int, h: np.ndarray, v: np.ndarray, keep: bool) -> None:
        """Put distinct hashes ``h`` with values ``v`` in band ``b``'s table by linear probing, all
        at once: each round, a hash whose slot is empty claims it (one per slot; the rest look
        again), one whose slot holds another hash moves on. ``keep``: a hash held already keeps its
        value (else none is held: a rebuild)."""
        keys, vals, cap = self.keys[b], self.vals[b], self.keys.shape[1]
        at = (h % np.uint64(cap)).astype(np.int64)
        while len(h):
            seen = keys[at]
            empty = seen == 0
            # one claimant per empty slot: the first of those aiming at it
            slots, first = np.unique(at[empty], return_index=True)
            won = np.flatnonzero(empty)[first]
            keys[slots], vals[slots] = h[won], v[won]
            settled = np.zeros(len(h), dtype=bool)
            settled[won] = True
            if keep:
                settled |= seen == h
            moving = ~empty & ~settled
            at[moving] = (at[moving] + 1) % cap
            h, v, at = h[~settled], v[~settled], at[~settled]

    def _grow(self) -> None:
        old_k, old_v = self.keys, self.vals
        self.keys = np.zeros((self.bands, 2 * old_k.shape[1]), dtype=np.uint64)
        self.vals = np.zeros((self.bands, 2 * old_k.shape[1]), dtype=np.int32)
        for b in range(self.bands):
            j = np.flatnonzero(old_k[b])
            self._place(b, old_k[b, j], old_v[b, j], keep=False)


_BAND_MUL = (_RNG.integers(1, 2**63, NUM_PERM, dtype=np.uint64) | np.uint64(1))


class NearDuplicates:
    """Incremental over rows 0, 1, 2, ...: ``query(sig)`` gives the row a signature nearly duplicates,
    ``insert(sig)`` records the next row. ``add(key, text)`` does both for keyed texts."""

    def __init__(self, threshold: float = THRESHOLD, bands: int = BANDS) -> None:
        self.threshold = threshold
        self.bands = bands
        self._r = NUM_PERM // bands
        self._tables = _BandTables(bands)
        self._sigs = np.zeros((0, NUM_PERM), dtype=np.uint32)
        self._keys: list[str] = []
        self._orig: dict[int, int] = {}  # row -> row of its original
        self._dropped: set[int] = set()
        self.n = 0

    def _band_keys(self, sig: np.ndarray) -> np.ndarray:
        """The band hashes of one signature, or of each row of a matrix of them."""
        with np.errstate(over="ignore"):
            h = (sig.astype(np.uint64) * _BAND_MUL).reshape(*sig.shape[:-1], self.bands, self._r).sum(axis=-1)
        return h | np.uint64(1)  # never 0 (the empty-slot marker)

    def query(self, sig: np.ndarray | None) -> int | None:
        """Row of the original of the earliest near-duplicate of ``sig``, or None."""
        if sig is None or not self.n:
            return None
        cands = self._tables.get(self._band_keys(sig))
        if not cands:
            return None
        rows = np.fromiter(cands, dtype=np.int64)
        est = (self._sigs[rows] == sig).mean(axis=1)
        best = int(np.argmax(est))
        if est[best] < self.threshold:
            return None
        o = int(rows[best])
        return self._orig.get(o, o)

    def drop(self, row: int) -> int | None:
        """Row ``row`` is gone (its article removed from the store): the earliest of its copies left
        becomes the original of the others, as the store makes it, and a query that finds ``row``
        gives that copy; with no copy left it gives ``row``, which the caller knows to be gone, until
        a later text like it takes its place. Returns the copy made an original, if any."""
        self._dropped.add(row)
        copies = sorted(r for r, o in self._orig.items() if o == row and r != row)
        live = [r for r in copies if r not in self._dropped]
        if live:
            head = live[0]
            del self._orig[head]
            for r in [row, *copies]:
                if r != head:
                    self._orig[r] = head
            return head
        return None

    def is_copy(self, row: int) -> bool:
        """Whether row ``row`` was recorded as a near-duplicate of another (and was not made an
        original since, by its original's removal)."""
        return row in self._orig

    def _gone(self, row: int) -> bool:
        """Whether ``row`` is dropped with no copy left to stand for it (a later text like it then
        takes its band slots)."""
        return self._orig.get(row, row) in self._dropped

    def insert(self, sig: np.ndarray | None, orig: int | None = None) -> int:
        """Record the next row; ``orig`` is the row it duplicates, as ``query`` found (None: none).
        Returns the row."""
        row = self.n
        self._room(row + 1)
        self.n += 1
        if sig is None:
            return row
        if orig is not None:
            self._orig[row] = orig
        self._sigs[row] = sig
        self._tables.put_first(self._band_keys(sig), row, self._gone if self._dropped else None)
        return row

    def _room(self, end: int) -> None:
        """Room for signatures up to row ``end`` (rows without one stay zero)."""
        if end > len(self._sigs):
            grown = np.zeros((max(1024, 2 * len(self._sigs), end), NUM_PERM), dtype=np.uint32)
            grown[: self.n] = self._sigs[: self.n]
            self._sigs = grown

    def insert_many(self, sigs: list[np.ndarray | None], origs: list[int | None]) -> None:
        """``insert`` each in order, as one by one, in a few vectorised steps (a writer replaying a
        store); one by one when rows were dropped, whose slots later texts may take."""
        if self._dropped:
            for sig, orig in zip(sigs, origs):
                self.insert(sig, orig)
            return
        start, m = self.n, len(sigs)
        self._room(start + m)
        self.n += m
        have = [i for i, sig in enumerate(sigs) if sig is not None]
        for i in have:
            if origs[i] is not None:
                self._orig[start + i] = origs[i]
        if not have:
            return
        rows = start + np.array(have, dtype=np.int64)
        self._sigs[rows] = np.stack([sigs[i] for i in have])
        self._tables.put_many(self._band_keys(self._sigs[rows]), rows.astype(np.int32))

    def add(self, key: str, text: str) -> str | None:
        """Record ``key``; returns the key of the first article its text nearly duplicates, if any."""
        sig = signature(text)
        orig = self.query(sig)
        self.insert(sig, orig)
        self._keys.append(key)
        return self._keys[orig] if orig is not None else None
