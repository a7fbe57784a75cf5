"""A writer fed through a pipe: how long after a feed sends an article it is stored, when the feed
sends one now and then (`my-scraper | storydiff ingest -`). Runs the real command line in a
subprocess, sends the bundled sample articles (each under fresh ids, its text varied so that it is
not skipped as stored) a few seconds apart, and watches the store.

Into a fresh store by default; `--db` names another, for example a copy of a large one, to see the
start it pays once (the articles sent are added to it).

Usage: python benchmarks/bench_stream.py [--db PATH] [--articles 5] [--gap 3]"""

from __future__ import annotations

import argparse
import json
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _count(db: str) -> int:
    try:
        with sqlite3.connect(db) as c:
            return c.execute("SELECT count(*) FROM articles").fetchone()[0]
    except sqlite3.Error:  # not made yet
        return 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", help="a SQLite store to add to (default: a fresh one in a temporary folder)")
    parser.add_argument("--articles", type=int, default=5, help="articles to send (default 5)")
    parser.add_argument("--gap", type=float, default=3.0, help="seconds between them once one is stored (default 3)")
    args = parser.parse_args()
    if args.articles < 1 or args.gap < 0:
        parser.error("--articles must be at least 1 and --gap at least 0")
    samples = sorted((ROOT / "examples" / "articles").glob("*.txt"))
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or str(Path(tmp) / "stream.db")
        run = uuid.uuid4().hex[:8]
        proc = subprocess.Popen([sys.executable, "-m", "storydiff.cli", "ingest", "-", "--db", db], stdin=subprocess.PIPE,
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        before = _count(db)
        t0 = time.perf_counter()
        lags = []
        for i in range(args.articles):
            lines = samples[i % len(samples)].read_text(encoding="utf-8").split("\n")
            rec = {"id": f"stream-{run}-{i}", "title": lines[0], "text": "\n".join(lines[1:]) + f"\n(Update {run}-{i}.)"}
            proc.stdin.write(json.dumps(rec) + "\n")
            proc.stdin.flush()
            sent = time.perf_counter()
            while _count(db) < before + i + 1:
                if proc.poll() is not None:
                    sys.exit(f"ingest ended early:\n{proc.stderr.read()}")
                time.sleep(0.05)
            lags.append(time.perf_counter() - sent)
            print(f"article {i + 1}: sent at {sent - t0:6.1f} s, stored {lags[-1]:5.2f} s later", flush=True)
            time.sleep(args.gap)
        proc.stdin.close()
        err = proc.stderr.read()
        proc.wait()
    rest = sorted(lags[1:]) or lags
    print(f"first article (includes the writer's start and model loads): {lags[0]:.1f} s; the others: "
          f"{rest[0]:.2f}-{rest[-1]:.2f} s (of which the feed's silence, settings.commit_after, 2 s by default)")
    print(err.strip().splitlines()[-1] if err.strip() else "")


if __name__ == "__main__":
    main()
