"""Read files and directories into raw documents; every unreadable input becomes a ``Failure``."""

from __future__ import annotations

import bz2
import csv
import gzip
import json
import lzma
import sys
import tarfile
import zipfile
import zlib
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import chain
from pathlib import Path, PurePath, PurePosixPath
from typing import BinaryIO, Callable, Iterable, Iterator

from ..errors import BinaryInput, CorruptArchive, EmptyInput, InputError, InputTooLarge, MalformedRecord, UnsupportedFormat
from ..model import Failure, RawDocument
from ..settings import Settings
from .records import ALIASES, known_name, record_to_raw

TEXT_EXT = {".txt", ".md", ".text", ".markdown"}
HTML_EXT = {".html", ".htm", ".xhtml"}
JSON_EXT = {".json"}
JSONL_EXT = {".jsonl", ".ndjson"}
STDIN = "<stdin>"  # the source named in failures of the input "-"
TABLE_EXT = {".csv", ".tsv", ".parquet"}  # one article a row, columns named as JSONL fields
STREAMED_EXT = JSONL_EXT | TABLE_EXT  # read a record at a time: the size limit is per record
SUPPORTED_EXTENSIONS = sorted(TEXT_EXT | HTML_EXT | JSON_EXT | STREAMED_EXT)
# A supported file may come compressed ("feed.jsonl.gz"): it is read as it decompresses.
COMPRESSED = {".gz": gzip.open, ".bz2": bz2.open, ".xz": lzma.open}
# Archives are read as folders are: every member of a supported type, in the archive's order.
ARCHIVES = (".zip", ".tar", ".tgz", ".tar.gz", ".tbz2", ".tar.bz2", ".txz", ".tar.xz")
_DECOMPRESS_ERRORS = (OSError, EOFError, zlib.error, lzma.LZMAError, zipfile.BadZipFile, tarfile.TarError)
_FORMATS = (f"{', '.join(SUPPORTED_EXTENSIONS)}, each also compressed as "
            f"{', '.join(e for e in COMPRESSED)} (not .parquet), and archives of them ({', '.join(ARCHIVES)})")


@dataclass(frozen=True)
class _Source:
    """One file to read: on disk, or a member of an archive ("news.zip/2026/a.txt")."""

    name: str  # as failures and notes name it
    size: int  # bytes as stored (compressed ones compressed)
    open: Callable[[], BinaryIO]


def file_kind(name: str | PurePath) -> tuple[str, str | None, str]:
    """(format extension, compression extension or None, the name's stem without either):
    "feed.jsonl.gz" gives (".jsonl", ".gz", "feed")."""
    path = PurePosixPath(str(name))
    ext = path.suffix.lower()
    if ext in COMPRESSED:
        inner = PurePosixPath(path.stem)
        return inner.suffix.lower(), ext, inner.stem
    return ext, None, path.stem


def is_archive(name: str | PurePath) -> bool:
    return str(name).lower().endswith(ARCHIVES)


def _listed(name: str | PurePath) -> bool:
    """Whether a folder's (or an archive's) file is read; a compressed Parquet file is, to be
    refused by name."""
    return file_kind(name)[0] in SUPPORTED_EXTENSIONS or is_archive(name)


def _hidden(rel_parts: Iterable[str]) -> bool:
    """A hidden file or folder (".git", ".DS_Store", a zip's "__MACOSX"): neither read nor noted."""
    return any(part.startswith(".") or part == "__MACOSX" for part in rel_parts)


def read_inputs(paths: list[str | Path], settings: Settings | None = None,
                skipped: list[str] | None = None) -> Iterator[RawDocument | Failure]:
    """Yield a raw document for every article found in ``paths`` (files, directories and archives;
    ``-`` is standard input), and a ``Failure`` for every input or record that cannot be read. Never
    raises on bad input. Files in a folder or archive of a type not read are appended to
    ``skipped`` (hidden ones aside), so that a caller can say so."""
    settings = settings or Settings()
    skipped = [] if skipped is None else skipped
    for p in paths:
        if str(p) == "-":
            yield from _caught(_read_stdin(settings), STDIN)
            continue
        path = Path(p)
        if path.is_dir():
            found = sorted(f for f in path.rglob("*") if f.is_file() and not _hidden(f.relative_to(path).parts))
            files = [f for f in found if _listed(f.name)]
            skipped += [str(f) for f in found if not _listed(f.name)]
            if not files:
                yield Failure(str(path), f"directory holds no supported files ({_FORMATS})")
            for f in files:
                yield from _read_path(f, settings, skipped)
        elif not path.exists():
            yield Failure(str(path), "cannot read: no such file or directory")
        else:
            yield from _read_path(path, settings, skipped)


def _read_path(path: Path, settings: Settings, skipped: list[str]) -> Iterator[RawDocument | Failure]:
    if is_archive(path.name):
        yield from _caught(_read_archive(path, settings, skipped), str(path))
        return
    try:
        size = path.stat().st_size
    except OSError as exc:
        yield Failure(str(path), f"cannot read: {exc.strerror or exc}")
        return
    yield from _caught(_read_source(_Source(str(path), size, lambda: path.open("rb")), settings), str(path))


def _caught(items: Iterator[RawDocument | Failure], src: str) -> Iterator[RawDocument | Failure]:
    """``items``, ending in a ``Failure`` when the reader gives up on its input (``InputError``)."""
    try:
        yield from items
    except InputError as exc:
        yield Failure(exc.source or src, exc.reason, exc.line)


def _limit(settings: Settings) -> int:
    """The size limit in bytes (of a file, or of one record in a streamed one)."""
    return int(settings.max_file_mb * 1024 * 1024)


def _read_archive(path: Path, settings: Settings, skipped: list[str]) -> Iterator[RawDocument | Failure]:
    """The members of a zip or tar archive, as a folder's files: each read by its type, a member
    that fails failing alone. Tar members are read in the archive's order as it decompresses."""
    src = str(path)
    members = 0
    try:
        if path.name.lower().endswith(".zip"):
            with zipfile.ZipFile(path) as zf:
                for info in zf.infolist():
                    if not info.is_dir():
                        members += 1
                        yield from _member(src, info.filename, info.file_size, lambda i=info: zf.open(i), settings, skipped)
        else:
            with tarfile.open(path, "r:*") as tf:
                for info in tf:
                    if info.isfile():
                        members += 1
                        yield from _member(src, info.name, info.size, lambda i=info: tf.extractfile(i), settings, skipped)
    except _DECOMPRESS_ERRORS as exc:
        raise CorruptArchive(f"not a readable archive: {exc}", src) from exc
    if not members:
        raise EmptyInput("archive holds no files", src)


def _member(archive: str, name: str, size: int, opener: Callable[[], BinaryIO], settings: Settings,
            skipped: list[str]) -> Iterator[RawDocument | Failure]:
    shown = f"{archive}/{name}"
    if _hidden(PurePosixPath(name).parts):
        return
    if is_archive(name):
        yield Failure(shown, "an archive inside an archive: extract it first")
    elif not _listed(name):
        skipped.append(shown)
    else:
        yield from _caught(_read_source(_Source(shown, size, opener), settings), shown)


def _read_source(source: _Source, settings: Settings) -> Iterator[RawDocument | Failure]:
    """Raw documents of one file. Raises ``InputError`` for a file that cannot be read at all;
    yields ``Failure`` for bad records inside a JSONL file that is otherwise readable."""
    src = source.name
    ext, comp, stem = file_kind(src)
    if ext not in SUPPORTED_EXTENSIONS:
        shown = PurePosixPath(src).suffix.lower() if not comp else "".join(PurePosixPath(src).suffixes[-2:]).lower()
        raise UnsupportedFormat(f"unsupported file type '{shown or '(none)'}'; use one of {_FORMATS}", src)
    if comp and ext == ".parquet":
        raise UnsupportedFormat("a Parquet file compresses its own columns: give it uncompressed (.parquet)", src)
    limit = _limit(settings)
    if source.size > limit and ext not in STREAMED_EXT:
        raise InputTooLarge(
            f"file is {source.size / 1048576:.1f} MB, over the {settings.max_file_mb:g} MB limit (setting max_file_mb)", src
        )
    if ext in JSONL_EXT:
        with _opened(source, comp) as fh:
            yield from _jsonl_lines(_lines(fh, src), src, stem, limit)
        return
    if ext in TABLE_EXT:
        yield from (_read_parquet(source, stem) if ext == ".parquet" else _read_delimited(source, comp, stem, limit))
        return
    text = decode(_read_whole(source, comp, limit, settings), src)
    if not text.strip():
        raise EmptyInput("file is empty", src)
    if ext in JSON_EXT:
        try:
            rec = json.loads(text)
        except json.JSONDecodeError as exc:
            raise MalformedRecord(f"invalid JSON: {exc.msg} (column {exc.colno})", src, exc.lineno) from exc
        yield record_to_raw(rec, src, None, stem)
    elif ext in HTML_EXT:
        yield RawDocument(id=stem, source_path=src, html=text)
    else:
        yield RawDocument(id=stem, source_path=src, text=text)


@contextmanager
def _opened(source: _Source, comp: str | None) -> Iterator[BinaryIO]:
    """``source`` open for reading, decompressing when ``comp`` says it is compressed. An archive
    member that cannot be opened (an encrypted zip entry) is a ``CorruptArchive``."""
    try:
        raw = source.open()
    except (RuntimeError, NotImplementedError, *_DECOMPRESS_ERRORS) as exc:
        raise CorruptArchive(f"cannot open: {exc}", source.name) from exc
    with raw:
        if not comp:
            yield raw
            return
        with COMPRESSED[comp](raw, "rb") as fh:
            yield fh


def _lines(fh: Iterable[bytes], src: str) -> Iterator[bytes]:
    """The lines of ``fh``; a compressed file that stops decompressing ends them with a
    ``CorruptArchive`` naming the line it broke on (the lines before it are kept)."""
    no, lines = 0, iter(fh)
    while True:
        try:
            raw = next(lines)
        except StopIteration:
            return
        except _DECOMPRESS_ERRORS as exc:
            after = f" past line {no}" if no else ""
            raise CorruptArchive(f"cannot decompress{after}: {exc}", src, no + 1) from exc
        no += 1
        yield raw


def _read_whole(source: _Source, comp: str | None, limit: int, settings: Settings) -> bytes:
    """A whole (not streamed) file's bytes, decompressed, refused past the size limit."""
    try:
        with _opened(source, comp) as fh:
            data = fh.read(limit + 1)
    except OSError as exc:
        if not comp and not isinstance(exc, zipfile.BadZipFile):
            raise InputError(f"cannot read: {exc.strerror or exc}", source.name) from exc
        raise CorruptArchive(f"cannot decompress: {exc}", source.name) from exc
    except _DECOMPRESS_ERRORS as exc:
        raise CorruptArchive(f"cannot decompress: {exc}", source.name) from exc
    if len(data) > limit:
        raise InputTooLarge(f"file decompresses to over the {settings.max_file_mb:g} MB limit (setting max_file_mb)", source.name)
    return data


def decode(data: bytes, src: str, line: int | None = None) -> str:
    """Bytes -> text: UTF-8 (with or without BOM); refuses binary content and invalid UTF-8."""
    if b"\x00" in data[:8192]:
        raise BinaryInput("binary file (NUL bytes), not text", src, line)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BinaryInput(f"invalid UTF-8 at byte {exc.start}; re-encode the file as UTF-8", src, line) from exc
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _jsonl_lines(lines: Iterable[bytes], src: str, stem: str, limit: int) -> Iterator[RawDocument | Failure]:
    """One article a JSON line (ids default to ``stem-LINE``); a bad line is a failure with its number."""
    seen_any = False
    for lineno, raw in enumerate(lines, 1):
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
            yield record_to_raw(rec, src, lineno, f"{stem}-{lineno}")
        except InputError as exc:
            yield Failure(src, exc.reason, lineno)
    if not seen_any:
        raise EmptyInput("file is empty", src)


def _read_stdin(settings: Settings, stream: BinaryIO | None = None) -> Iterator[RawDocument | Failure]:
    """Standard input (the path ``-``): JSON Lines when its first character is "{" (a scraper piping
    articles in), else one article, HTML when it starts with "<", else text, under the id "stdin"."""
    fh = stream or sys.stdin.buffer
    limit = _limit(settings)
    blank = []  # leading blank lines: kept, so that line numbers stay those of the input
    head = fh.readline()
    while head and not head.strip():
        blank.append(head)
        head = fh.readline()
    if head.lstrip().startswith(b"{"):
        yield from _jsonl_lines(chain(blank, [head], fh), STDIN, "stdin", limit)
        return
    head = b"".join(blank) + head
    data = head + fh.read(limit + 1 - len(head))
    if len(data) > limit:
        raise InputTooLarge(f"standard input is over the {settings.max_file_mb:g} MB limit (setting max_file_mb)", STDIN)
    text = decode(data, STDIN)
    if not text.strip():
        raise EmptyInput("standard input is empty", STDIN)
    if text.lstrip().startswith("<"):
        yield RawDocument(id="stdin", source_path=STDIN, html=text)
    else:
        yield RawDocument(id="stdin", source_path=STDIN, text=text)


def _read_delimited(source: _Source, comp: str | None, stem: str, limit: int) -> Iterator[RawDocument | Failure]:
    """A CSV (or TSV) file with a header row: one article a row, empty cells as missing. A record's
    line is the line it starts on (a quoted cell may span lines). A row that cannot be read (too many
    cells, a cell over the size limit) fails alone; a line that is not UTF-8 ends the file's reading
    there, as a failure with its line: the rows before it are kept."""
    src = source.name
    csv.field_size_limit(max(limit, 1 << 20))
    with _opened(source, comp) as fh:
        try:
            head = fh.read(8192)
            if b"\x00" in head:
                raise BinaryInput("binary file (NUL bytes), not text", src)
            parts = head.split(b"\n")  # the head's lines, its last one read to its end: no seeking back
            first_lines = [part + b"\n" for part in parts[:-1]] + [parts[-1] + fh.readline()]
        except _DECOMPRESS_ERRORS as exc:
            raise CorruptArchive(f"cannot decompress: {exc}", src) from exc

        def lines() -> Iterator[str]:
            for no, raw in enumerate(_lines(chain(first_lines, fh), src), 1):
                if not raw:
                    continue
                try:
                    yield raw.decode("utf-8-sig" if no == 1 else "utf-8")
                except UnicodeDecodeError as exc:
                    raise BinaryInput(f"invalid UTF-8 at byte {exc.start} of the line; re-encode the file as UTF-8", src, no) from exc

        stream = lines()
        try:
            first = next(stream)
        except StopIteration:
            raise EmptyInput("file is empty", src) from None
        rows = csv.DictReader(chain([first], stream), delimiter=_delimiter(first, file_kind(src)[0]))
        n = 0
        try:
            try:
                header = rows.fieldnames
            except csv.Error as exc:
                raise MalformedRecord(f"unreadable CSV header: {exc}", src, 1) from exc
            if header is None:
                raise EmptyInput("file is empty", src)
            _require_text_column(header, src)
            start = rows.line_num + 1
            while True:
                try:
                    row = next(rows)
                except StopIteration:
                    break
                except csv.Error as exc:  # e.g. a cell over the size limit: that row only
                    n += 1
                    yield Failure(src, f"unreadable CSV row: {exc}", start)
                    start = rows.line_num + 1
                    continue
                n += 1
                try:
                    if None in row:
                        raise MalformedRecord(f"row has {len(header) + len(row[None])} cells, the header {len(header)}", src, start)
                    yield record_to_raw({k: v for k, v in row.items() if v not in (None, "")}, src, start, f"{stem}-{start}")
                except MalformedRecord as exc:
                    yield Failure(src, exc.reason, start)
                start = rows.line_num + 1
        except BinaryInput as exc:
            yield Failure(src, exc.reason, exc.line)
            return
    if not n:
        raise EmptyInput("file holds a header but no rows", src)


def _read_parquet(source: _Source, stem: str, batch: int = 1024) -> Iterator[RawDocument | Failure]:
    """A Parquet file: one article a row (columns named as JSONL fields); the row number (from 1)
    stands as its line. Read a batch of rows at a time."""
    import pyarrow.parquet as pq

    src = source.name
    with _opened(source, None) as fh:
        try:
            pf = pq.ParquetFile(fh)
        except Exception as exc:  # pyarrow raises several types for a file that is not Parquet
            raise MalformedRecord(f"not a readable Parquet file: {exc}", src) from exc
        yield from _parquet_rows(pf, src, stem, batch)


def _parquet_rows(pf, src: str, stem: str, batch: int) -> Iterator[RawDocument | Failure]:
    _require_text_column(pf.schema_arrow.names, src)
    n = 0
    batches = pf.iter_batches(batch_size=batch)
    while True:
        try:
            rb = next(batches)
        except StopIteration:
            break
        except Exception as exc:  # a damaged row group (pyarrow's OSError or ArrowInvalid): the rows before it are kept
            raise MalformedRecord(f"unreadable Parquet data after row {n}: {exc}", src, n + 1) from exc
        for rec in rb.to_pylist():
            n += 1
            try:
                rec = {k: _plain(v) for k, v in rec.items() if v is not None}
                yield record_to_raw(rec, src, n, f"{stem}-{n}")
            except InputError as exc:
                yield Failure(src, exc.reason, n)
    if not n:
        raise EmptyInput("file holds no rows", src)


def _delimiter(header: str, ext: str) -> str:
    """Tab for .tsv; for .csv the commonest of comma, semicolon (spreadsheets in languages that write a
    decimal comma save so) and tab in the header line."""
    if ext == ".tsv":
        return "\t"
    return max((",", ";", "\t"), key=header.count)  # ties: the comma


def _require_text_column(columns: list[str], src: str) -> None:
    """A table without a column for the article's text (or its title, for a table of headlines) is
    refused whole, not row by row."""
    wanted = ("text", "html", *ALIASES["text"])
    if not set(wanted + ("title", *ALIASES["title"])) & {known_name(c) for c in columns}:
        raise MalformedRecord(f"no column for the article's text: expected one of {', '.join(wanted)} "
                              f"(or a title column, for headlines alone); the columns are {', '.join(columns)}", src)


def _plain(value):
    """A Parquet cell as JSON would carry it: timestamps as ISO 8601 text."""
    return value.isoformat() if hasattr(value, "isoformat") else value
