"""Analysis speed and peak memory over real articles (PolNeAR train texts, read in place).

Usage: python benchmarks/bench_analyze.py [N_ARTICLES] [WORKERS]"""

from __future__ import annotations

import resource
import sys
import time

from storydiff.analyze import Analyzer
from storydiff.evaluate.common import DatasetMissing, require
from storydiff.model import Article
from storydiff.settings import Settings


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 500
    workers = int(sys.argv[2]) if len(sys.argv) > 2 else 2
    try:
        root = require("polnear") / "data" / "train" / "text"
    except DatasetMissing as exc:
        print(f"skipped: {exc}")
        return
    files = sorted(root.glob("*.txt"))[:n]
    arts = [Article(id=f.stem, text=f.read_text(encoding="utf-8")) for f in files]
    words = sum(len(a.text.split()) for a in arts)
    analyzer = Analyzer(Settings(workers=workers, batch_size=16))
    list(analyzer.analyze(arts[:4]))  # warm up (model loading)
    arts = [Article(id=a.id, text=a.text) for a in arts]
    t = time.perf_counter()
    done = list(analyzer.analyze(arts))
    dt = time.perf_counter() - t
    peak = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024
    print(f"articles: {len(done)}  words/article: {words / len(done):.0f}  workers: {workers}")
    print(f"time: {dt:.1f} s  articles/s: {len(done) / dt:.1f}  words/s: {words / dt:.0f}")
    print(f"at 600 words/article (the issue's yardstick): {words / dt / 600:.1f} articles/s")
    print(f"peak RSS (largest process): {peak:.0f} MB")


if __name__ == "__main__":
    main()
