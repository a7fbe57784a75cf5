"""End-to-end ingest speed and peak memory: read, extract, analyse, embed, cluster and store real
articles (Wikinews en/fr/it + ECB+ English, read in place, written to a temporary JSONL) into a
fresh SQLite store, with the default settings (multilingual USE encoder).

Usage: python benchmarks/bench_ingest.py [N_ARTICLES=2200] [WORKERS=2]"""

from __future__ import annotations

import json
import resource
import sys
import tempfile
import time
from pathlib import Path

from storydiff.corpus import ingest
from storydiff.evaluate.common import DatasetMissing, read_jsonl, require
from storydiff.settings import Settings
from storydiff.store import Store


def real_articles(n: int) -> list[dict]:
    from storydiff.evaluate.ecbplus import load_ecbplus

    recs = [{"id": f"wn-{r['lang']}-{r['id']}", "title": r["title"], "text": r["text"], "language": r["lang"]}
            for r in read_jsonl(require("wikinews_multilingual_primer_subset") / "selected_multilingual_wikinews.jsonl")
            if r.get("text", "").strip()]
    recs += [{"id": a.id, "text": a.text, "language": "en"} for a, _ in load_ecbplus()]
    return recs[:n]


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 2200
    workers = int(sys.argv[2]) if len(sys.argv) > 2 else 2
    try:
        recs = real_articles(n)
    except DatasetMissing as exc:
        print(f"skipped: {exc}")
        return
    words = sum(len(r["text"].split()) for r in recs)
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "corpus.jsonl"
        src.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in recs), encoding="utf-8")
        db = Path(tmp) / "bench.db"
        t = time.perf_counter()
        with Store(db) as store:
            report = ingest([str(src)], store, Settings(workers=workers))
            counts = store.counts()
        dt = time.perf_counter() - t
        size = db.stat().st_size + sum(p.stat().st_size for p in Path(tmp).glob("bench.db-*"))
    me = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"articles: {report.added} stored of {len(recs)} ({report.already_stored} skipped as already stored, "
          f"{len(report.failures)} failed), words/article: {words / len(recs):.0f}, workers: {workers}")
    print(f"wall time (incl. model loads): {dt:.1f} s  articles/s: {report.added / dt:.2f}")
    print(f"stories: {counts['stories']}  near-duplicates: {report.near_duplicates}  store size: {size / 1048576:.1f} MB")
    print(f"peak RSS: main process {me:.0f} MB, largest analysis worker {kids:.0f} MB")


if __name__ == "__main__":
    main()
