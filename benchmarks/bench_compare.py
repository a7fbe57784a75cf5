"""Speed of compare. Prints: cold CLI on the two seed reports (model loading included), warm
comparison of two ~800-word articles, and a 20-article story.

Articles come from ../shared (seeds, WMT documents); without them the bundled examples are used.
    python benchmarks/bench_compare.py"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "seeds"


def cold_cli() -> None:
    files = sorted(SEEDS.glob("*.txt")) or sorted((ROOT / "examples" / "articles").glob("*.txt"))[:2]
    times = []
    for _ in range(3):
        t = time.perf_counter()
        subprocess.run([sys.executable, "-m", "storydiff.cli", "compare", *map(str, files), "--format", "json", "-o", "/dev/null"],
                       check=True, capture_output=True)
        times.append(time.perf_counter() - t)
    print(f"cold `storydiff compare` of {len(files)} reports: median {statistics.median(times):.2f} s (runs: {', '.join(f'{x:.2f}' for x in times)})")


def _articles():
    from storydiff.model import Article

    try:
        from storydiff.evaluate.alignment import load_wmt_docs

        docs = load_wmt_docs()
        texts = []
        for en, zh in docs:
            texts.append(("en", "\n".join(en)))
            texts.append(("zh", "\n".join(zh)))
    except Exception:  # noqa: BLE001 - datasets absent
        texts = [("en", p.read_text(encoding="utf-8")) for p in sorted((ROOT / "examples" / "articles").glob("*.txt"))]
    return [Article(id=f"d{i}", text=t, language=lang) for i, (lang, t) in enumerate(texts)]


def warm() -> None:
    from storydiff.analyze import Analyzer
    from storydiff.compare import compare_articles
    from storydiff.embed import get_encoder
    from storydiff.model import Article
    from storydiff.settings import Settings

    arts = _articles()
    an = Analyzer(Settings())
    # two ~800-word English articles: concatenate documents until long enough
    en = [a for a in arts if a.language == "en"]

    def grow(start: int) -> Article:
        text, k = "", start
        while len(text.split()) < 800 and k < len(en):
            text += en[k].text + "\n"
            k += 1
        return Article(id=f"long{start}", text=text, language="en")

    pair = list(an.analyze([grow(0), grow(1)]))
    print(f"two articles of {[len(a.text.split()) for a in pair]} words")
    compare_articles(pair)  # warm the encoder
    ts = []
    for _ in range(5):
        get_encoder()._cache.clear()  # fresh vectors each round, so encoding is measured too
        t = time.perf_counter()
        compare_articles(pair)
        ts.append(time.perf_counter() - t)
    print(f"warm compare of two ~800-word articles (analysed): median {statistics.median(ts) * 1000:.0f} ms")
    t = time.perf_counter()
    list(an.analyze([grow(2), grow(3)]))
    print(f"  (analysis of two such articles: {time.perf_counter() - t:.2f} s)")
    story = list(an.analyze(arts[:20]))
    get_encoder()._cache.clear()
    t = time.perf_counter()
    comp = compare_articles(story)
    print(f"story of {len(story)} articles ({sum(len(a.text.split()) for a in story)} words), compare: {time.perf_counter() - t:.2f} s; "
          f"{len(comp.statements)} statement groups, {len(comp.quotes)} quotation groups")


if __name__ == "__main__":
    cold_cli()
    warm()
