"""Read files and directories into raw documents; every unreadable input becomes a ``Failure``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Iterator

from ..errors import BinaryInput, EmptyInput, InputError, InputTooLarge, MalformedRecord, UnsupportedFormat
from ..model import Failure, RawDocument
from ..settings import Settings
from .records import record_to_raw

TEXT_EXT = {".txt", ".md", ".text", ".markdown"}
HTML_EXT = {".html", ".htm", ".xhtml"}
JSON_EXT = {".json"}
JSONL_EXT = {".jsonl", ".ndjson"}
SUPPORTED_EXTENSIONS = sorted(TEXT_EXT | HTML_EXT | JSON_EXT | JSONL_EXT)


def read_inputs(paths: list[str | Path], settings: Settings | None = None) -> Iterator[RawDocument | Failure]:
    """Yield a raw document for every article found in ``paths`` (files or directories), and a
    ``Failure`` for every input or record that cannot be read. Never raises on bad input."""
    settings = settings or Settings()
    for p in paths:
        path = Path(p)
        if path.is_dir():
            files = sorted(f for f in path.rglob("*") if f.is_file() and f.suffix.lower() in SUPPORTED_EXTENSIONS)
            if not files:
                yield Failure(str(path), "directory holds no supported files (" + ", ".join(SUPPORTED_EXTENSIONS) + ")")
            for f in files:
                yield from _read_file(f, settings)
        elif not path.exists():
            yield Failure(str(path), "cannot read: no such file or directory")
        else:
            yield from _read_file(path, settings)


def _read_file(path: Path, settings: Settings) -> Iterator[RawDocument | Failure]:
    try:
        yield from read_file(path, settings)
    except InputError as exc:
        yield Failure(exc.source or str(path), exc.reason, exc.line)


def read_file(path: Path, settings: Settings) -> Iterator[RawDocument | Failure]:
    """Raw documents of one file. Raises ``InputError`` for a file that cannot be read at all;
    yields ``Failure`` for bad records inside a JSONL file that is otherwise readable."""
    src = str(path)
    ext = path.suffix.lower()
    if ext not in SUPPORTED_EXTENSIONS:
        raise UnsupportedFormat(
            f"unsupported file type '{ext or '(none)'}'; use one of {', '.join(SUPPORTED_EXTENSIONS)}", src
        )
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", src) from exc
    limit = int(settings.max_file_mb * 1024 * 1024)
    if size > limit and ext not in JSONL_EXT:
        raise InputTooLarge(
            f"file is {size / 1048576:.1f} MB, over the {settings.max_file_mb:g} MB limit (setting max_file_mb)", src
        )
    if ext in JSONL_EXT:
        yield from _read_jsonl(path, limit)
        return
    text = decode(path.read_bytes(), src)
    if not text.strip():
        raise EmptyInput("file is empty", src)
    if ext in JSON_EXT:
        try:
            rec = json.loads(text)
        except json.JSONDecodeError as exc:
            raise MalformedRecord(f"invalid JSON: {exc.msg} (column {exc.colno})", src, exc.lineno) from exc
        yield record_to_raw(rec, src, None, path.stem)
    elif ext in HTML_EXT:
        yield RawDocument(id=path.stem, source_path=src, html=text)
    else:
        yield RawDocument(id=path.stem, source_path=src, text=text)


def decode(data: bytes, src: str, line: int | None = None) -> str:
    """Bytes -> text: UTF-8 (with or without BOM); refuses binary content and invalid UTF-8."""
    if b"\x00" in data[:8192]:
        raise BinaryInput("binary file (NUL bytes), not text", src, line)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BinaryInput(f"invalid UTF-8 at byte {exc.start}; re-encode the file as UTF-8", src, line) from exc
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _read_jsonl(path: Path, limit: int) -> Iterator[RawDocument | Failure]:
    src = str(path)
    seen_any = False
    with path.open("rb") as fh:
        for lineno, raw in enumerate(fh, 1):
            if not raw.strip():
                continue
            seen_any = True
            try:
                if len(raw) > limit:
                    raise InputTooLarge(f"record is {len(raw) / 1048576:.1f} MB, over the limit", src, lineno)
                line = decode(raw, src, lineno)
                try:
                    rec = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise MalformedRecord(f"invalid JSON: {exc.msg} (column {exc.colno})", src, lineno) from exc
                yield record_to_raw(rec, src, lineno, f"{path.stem}-{lineno}")
            except InputError as exc:
                yield Failure(src, exc.reason, lineno)
    if not seen_any:
        raise EmptyInput("file is empty", src)
