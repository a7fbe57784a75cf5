"""Export stored articles as JSON Lines, CSV or Parquet, streamed in chunks (constant memory)."""

from __future__ import annotations

import csv
import json
import sys
from contextlib import nullcontext
from itertools import islice
from typing import Any, Iterator

from .db import Store

COLUMNS = ["id", "story", "duplicate_of", "title", "outlet", "url", "published", "language", "author", "translator",
           "original_url", "word_count", "ingested_at", "text"]


def _chunks(it: Iterator[dict[str, Any]], n: int = 2000) -> Iterator[list[dict[str, Any]]]:
    while chunk := list(islice(it, n)):
        yield chunk


def export_articles(store: Store, fmt: str, output: str | None = None, with_analysis: bool = False,
                    story: str | int | None = None, **filters: str | None) -> int:
    """Write every article (or those of ``story`` that pass ``filters``: outlet, language, since,
    until, as :meth:`Store.search` takes them) to ``output`` (stdout for jsonl/csv when None);
    returns how many."""
    rows = store.iter_articles(with_analysis=with_analysis and fmt == "jsonl", story=story, **filters)
    n = 0
    if fmt == "parquet":
        import pyarrow as pa
        import pyarrow.parquet as pq

        schema = pa.schema([(c, pa.int64() if c == "word_count" else pa.string()) for c in COLUMNS])
        with pq.ParquetWriter(output, schema) as writer:
            for chunk in _chunks(rows):
                writer.write_table(pa.Table.from_pylist(chunk, schema=schema))
                n += len(chunk)
        return n
    ctx = open(output, "w", encoding="utf-8", newline="") if output else nullcontext(sys.stdout)
    with ctx as fh:
        if fmt == "jsonl":
            for r in rows:
                fh.write(json.dumps(r, ensure_ascii=False) + "\n")
                n += 1
        elif fmt == "csv":
            w = csv.DictWriter(fh, fieldnames=COLUMNS, extrasaction="ignore")
            w.writeheader()
            for r in rows:
                w.writerow(r)
                n += 1
        else:
            raise ValueError(f"unknown export format {fmt!r}")
    return n
