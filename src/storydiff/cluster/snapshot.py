"""A clusterer's state in a file, so that the next writer of a large store starts from it instead of
reading every stored article again (a minute at a million articles; see corpus.StoreClusterer).

The file holds the raw bytes of the object's numpy arrays (kept out of band, written and read one
at a time), then the pickled object, then a small JSON header (the ``stamp`` that says which store
and code it was taken of, and where the parts end) and the header's length. Pickle runs code a
file names, so :func:`load` lets back in only the few classes a clusterer is made of: a state
from elsewhere can run no code of its own. It is written to a temporary name and moved into
place, so a reader sees a whole file or the previous one."""

from __future__ import annotations

import io
import json
import os
import pickle
from pathlib import Path
from typing import Any, Iterator

from ..errors import BadSavedState

MAGIC = b"storydiff clusterer snapshot\n"
FORMAT = 1
_ALLOWED = {
    ("builtins", "set"), ("builtins", "frozenset"), ("builtins", "dict"), ("builtins", "list"),
    ("builtins", "bytearray"), ("array", "array"), ("array", "_array_reconstructor"),
    ("numpy", "dtype"), ("numpy", "ndarray"),
    ("numpy.core.multiarray", "_reconstruct"), ("numpy._core.multiarray", "_reconstruct"),
    ("numpy.core.multiarray", "scalar"), ("numpy._core.multiarray", "scalar"),
    ("numpy.core.numeric", "_frombuffer"), ("numpy._core.numeric", "_frombuffer"),
    ("storydiff.corpus", "StoreClusterer"), ("storydiff.cluster.stories", "StoryClusterer"),
    ("storydiff.cluster.stories", "Story"), ("storydiff.cluster.index", "DatedIndex"),
    ("storydiff.cluster.index", "VectorIndex"), ("storydiff.cluster.neardup", "NearDuplicates"),
    ("storydiff.cluster.neardup", "_BandTables"),
}


class _Unpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        if (module, name) not in _ALLOWED:
            raise BadSavedState(f"a saved state may not name {module}.{name}")
        return super().find_class(module, name)


def save(obj: Any, path: Path, stamp: dict[str, Any]) -> int:
    """Write ``obj`` with ``stamp`` to ``path`` (atomically); returns the bytes written. Each array
    goes to the file as the pickler meets it, so a large one made only to be saved (a neighbour
    graph's bytes) is not kept beside all the others."""
    _remove_orphans(path)
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    sizes: list[int] = []
    try:
        with open(tmp, "wb") as fh:
            fh.write(MAGIC)

            def out_of_band(buf: pickle.PickleBuffer) -> None:
                raw = buf.raw()
                fh.write(raw)
                sizes.append(raw.nbytes)

            body = pickle.dumps(obj, protocol=5, buffer_callback=out_of_band)
            fh.write(body)
            header = json.dumps({**stamp, "format": FORMAT, "body": len(body), "buffers": sizes}).encode()
            fh.write(header + len(header).to_bytes(8, "little"))
            size = fh.tell()
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return size


def _remove_orphans(path: Path) -> None:
    """Delete the temporary files of saves whose process is gone (killed while writing: a
    temporary file may be gigabytes)."""
    for tmp in path.parent.glob(f"{path.name}.*.tmp"):
        pid = tmp.name[len(path.name) + 1 : -len(".tmp")]
        if pid.isdigit() and not _alive(int(pid)):
            tmp.unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's process, or a platform without signal 0: assume alive
        return True
    return True


def read_stamp(path: Path) -> dict[str, Any] | None:
    """The header of the snapshot at ``path``, or None when there is none (or it is not one)."""
    try:
        with open(path, "rb") as fh:
            return _header(fh)
    except (OSError, BadSavedState):
        return None


def _header(fh: io.BufferedReader) -> dict[str, Any]:
    """The header (at the end of the file, its length in the last 8 bytes)."""
    if fh.read(len(MAGIC)) != MAGIC:
        raise BadSavedState("not a saved storydiff clusterer state")
    end = fh.seek(0, os.SEEK_END)
    if end < len(MAGIC) + 8:
        raise BadSavedState("cut short")
    fh.seek(end - 8)
    size = int.from_bytes(fh.read(8), "little")
    if size > end - len(MAGIC) - 8:
        raise BadSavedState("cut short")
    fh.seek(end - 8 - size)
    try:
        header = json.loads(fh.read(size))
    except ValueError as exc:
        raise BadSavedState(f"damaged header: {exc}") from exc
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise BadSavedState("a saved state of another format")
    sizes, body = header.get("buffers"), header.get("body")
    if not (isinstance(body, int) and isinstance(sizes, list) and all(isinstance(n, int) and n >= 0 for n in sizes)):
        raise BadSavedState("damaged header")
    if len(MAGIC) + sum(sizes) + body + size + 8 != end:
        raise BadSavedState("cut short")
    return header


def load(path: Path, stamp: dict[str, Any]) -> Any | None:
    """The object saved at ``path`` if its stamp carries every item of ``stamp``; None when there
    is no snapshot or it is another store's, code's or format's. Raises :class:`BadSavedState` for
    a damaged file. Arrays are read as the unpickler asks for them, each once, into its own memory."""
    try:
        fh = open(path, "rb")
    except OSError:
        return None
    with fh:
        header = _header(fh)
        if any(header.get(k) != v for k, v in stamp.items()):
            return None
        sizes = header["buffers"]
        fh.seek(len(MAGIC) + sum(sizes))
        body = fh.read(header["body"])
        fh.seek(len(MAGIC))

        def buffers() -> Iterator[bytearray]:
            for n in sizes:
                buf = bytearray(n)
                if fh.readinto(buf) != n:
                    raise BadSavedState("cut short")
                yield buf

        try:
            return _Unpickler(io.BytesIO(body), buffers=buffers()).load()
        except BadSavedState:
            raise
        except Exception as exc:  # noqa: BLE001 - whatever a damaged pickle raises
            raise BadSavedState(f"damaged: {exc}") from exc
