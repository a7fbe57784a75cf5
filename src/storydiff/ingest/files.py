"""Read files and directories into raw documents; every unreadable input becomes a ``Failure``."""

from __future__ import annotations

import bz2
import csv
import gzip
import json
import lzma
import sys
import zlib
from itertools import chain
from pathlib import Path
from typing import BinaryIO, Iterable, Iterator

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
_DECOMPRESS_ERRORS = (OSError, EOFError, zlib.error, lzma.LZMAError)
_FORMATS = (f"{', '.join(SUPPORTED_EXTENSIONS)}, each also compressed as "
            f"{', '.join(e for e in COMPRESSED)} (not .parquet)")


def file_kind(path: Path) -> tuple[str, str | None, str]:
    """(format extension, compression extension or None, the name's stem without either):
    "feed.jsonl.gz" gives (".jsonl", ".gz", "feed")."""
    ext = path.suffix.lower()
    if ext in COMPRESSED:
        inner = Path(path.stem)
        return inner.suffix.lower(), ext, inner.stem
    return ext, None, path.stem


def _listed(path: Path) -> bool:
    """Whether a directory's file is read (a compressed Parquet file is, to be refused by name)."""
    return file_kind(path)[0] in SUPPORTED_EXTENSIONS


def read_inputs(paths: list[str | Path], settings: Settings | None = None) -> Iterator[RawDocument | Failure]:
    """Yield a raw document for every article found in ``paths`` (files or directories; ``-`` is
    standard input), and a ``Failure`` for every input or record that cannot be read. Never raises
    on bad input."""
    settings = settings or Settings()
    for p in paths:
        if str(p) == "-":
            yield from _caught(_read_stdin(settings), STDIN)
            continue
        path = Path(p)
        if path.is_dir():
            files = sorted(f for f in path.rglob("*") if f.is_file() and _listed(f))
            if not files:
                yield Failure(str(path), f"directory holds no supported files ({_FORMATS})")
            for f in files:
                yield from _read_file(f, settings)
        elif not path.exists():
            yield Failure(str(path), "cannot read: no such file or directory")
        else:
            yield from _read_file(path, settings)


def _read_file(path: Path, settings: Settings) -> Iterator[RawDocument | Failure]:
    yield from _caught(read_file(path, settings), str(path))


def skipped_files(paths: list[str | Path]) -> list[str]:
    """Files under the directories in ``paths`` that are not of a type read here (hidden files and
    folders aside): each reading command names them in a note, so that none is left out unsaid."""
    out = []
    for p in paths:
        path = Path(p)
        if str(p) != "-" and path.is_dir():
            out += sorted(str(f) for f in path.rglob("*") if f.is_file() and not _listed(f)
                          and not any(part.startswith(".") for part in f.relative_to(path).parts))
    return out


def _caught(items: Iterator[RawDocument | Failure], src: str) -> Iterator[RawDocument | Failure]:
    """``items``, ending in a ``Failure`` when the reader gives up on its input (``InputError``)."""
    try:
        yield from items
    except InputError as exc:
        yield Failure(exc.source or src, exc.reason, exc.line)


def _limit(settings: Settings) -> int:
    """The size limit in bytes (of a file, or of one record in a streamed one)."""
    return int(settings.max_file_mb * 1024 * 1024)


def read_file(path: Path, settings: Settings) -> Iterator[RawDocument | Failure]:
    """Raw documents of one file. Raises ``InputError`` for a file that cannot be read at all;
    yields ``Failure`` for bad records inside a JSONL file that is otherwise readable."""
    src = str(path)
    ext, comp, stem = file_kind(path)
    if ext not in SUPPORTED_EXTENSIONS:
        shown = path.suffix.lower() if not comp else "".join(path.suffixes[-2:]).lower()
        raise UnsupportedFormat(f"unsupported file type '{shown or '(none)'}'; use one of {_FORMATS}", src)
    if comp and ext == ".parquet":
        raise UnsupportedFormat("a Parquet file compresses its own columns: give it uncompressed (.parquet)", src)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", src) from exc
    limit = _limit(settings)
    if size > limit and ext not in STREAMED_EXT:
        raise InputTooLarge(
            f"file is {size / 1048576:.1f} MB, over the {settings.max_file_mb:g} MB limit (setting max_file_mb)", src
        )
    if ext in JSONL_EXT:
        with _open(path, comp) as fh:
            yield from _jsonl_lines(_lines(fh, src), src, stem, limit)
        return
    if ext in TABLE_EXT:
        yield from (_read_parquet(path) if ext == ".parquet" else _read_delimited(path, comp, stem, limit))
        return
    text = decode(_read_whole(path, comp, limit, settings), src)
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


def _open(path: Path, comp: str | None) -> BinaryIO:
    return COMPRESSED[comp](path, "rb") if comp else path.open("rb")


def _lines(fh: BinaryIO, src: str) -> Iterator[bytes]:
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


def _read_whole(path: Path, comp: str | None, limit: int, settings: Settings) -> bytes:
    """A whole (not streamed) file's bytes, decompressed, refused past the size limit."""
    if not comp:
        return path.read_bytes()
    try:
        with _open(path, comp) as fh:
            data = fh.read(limit + 1)
    except _DECOMPRESS_ERRORS as exc:
        raise CorruptArchive(f"cannot decompress: {exc}", str(path)) from exc
    if len(data) > limit:
        raise InputTooLarge(f"file decompresses to over the {settings.max_file_mb:g} MB limit (setting max_file_mb)", str(path))
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


def _read_delimited(path: Path, comp: str | None, stem: str, limit: int) -> Iterator[RawDocument | Failure]:
    """A CSV (or TSV) file with a header row: one article a row, empty cells as missing. A record's
    line is the line it starts on (a quoted cell may span lines). A row that cannot be read (too many
    cells, a cell over the size limit) fails alone; a line that is not UTF-8 ends the file's reading
    there, as a failure with its line: the rows before it are kept."""
    src = str(path)
    csv.field_size_limit(max(limit, 1 << 20))
    with _open(path, comp) as fh:
        try:
            head = fh.read(8192)
        except _DECOMPRESS_ERRORS as exc:
            raise CorruptArchive(f"cannot decompress: {exc}", src) from exc
        if b"\x00" in head:
            raise BinaryInput("binary file (NUL bytes), not text", src)
        fh.seek(0)

        def lines() -> Iterator[str]:
            for no, raw in enumerate(_lines(fh, src), 1):
                try:
                    yield raw.decode("utf-8-sig" if no == 1 else "utf-8")
                except UnicodeDecodeError as exc:
                    raise BinaryInput(f"invalid UTF-8 at byte {exc.start} of the line; re-encode the file as UTF-8", src, no) from exc

        stream = lines()
        try:
            first = next(stream)
        except StopIteration:
            raise EmptyInput("file is empty", src) from None
        rows = csv.DictReader(chain([first], stream), delimiter=_delimiter(first, file_kind(path)[0]))
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


def _read_parquet(path: Path, batch: int = 1024) -> Iterator[RawDocument | Failure]:
    """A Parquet file: one article a row (columns named as JSONL fields); the row number (from 1)
    stands as its line. Read a batch of rows at a time."""
    import pyarrow.parquet as pq

    src = str(path)
    try:
        pf = pq.ParquetFile(path)
    except Exception as exc:  # pyarrow raises several types for a file that is not Parquet
        raise MalformedRecord(f"not a readable Parquet file: {exc}", src) from exc
    _require_text_column(pf.schema_arrow.names, src)
    n = 0
    for rb in pf.iter_batches(batch_size=batch):
        for rec in rb.to_pylist():
            n += 1
            try:
                rec = {k: _plain(v) for k, v in rec.items() if v is not None}
                yield record_to_raw(rec, src, n, f"{path.stem}-{n}")
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
    """A table without a column for the article's text is refused whole, not row by row."""
    wanted = ("text", "html", *ALIASES["text"])
    if not set(wanted) & {known_name(c) for c in columns}:
        raise MalformedRecord(f"no column for the article's text: expected one of {', '.join(wanted)}; "
                              f"the columns are {', '.join(columns)}", src)


def _plain(value):
    """A Parquet cell as JSON would carry it: timestamps as ISO 8601 text."""
    return value.isoformat() if hasattr(value, "isoformat") else value
