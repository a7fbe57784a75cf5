"""Story clustering alone on synthetic feature streams: time per article and memory as the corpus
grows (10k, 100k, 1M by default), each size in a fresh process so peak memory is its own.

The stream imitates news: events open over time and draw articles for a while; each article is its
event's 512-d vector plus noise (events of 100 kinds, each event near its kind, as sentence-encoder
vectors of one story are), ~120 key terms (a dozen from its event, the rest Zipf-distributed
background vocabulary), a day, and a MinHash signature; 5% are near-verbatim copies of an earlier
article. PER_DAY articles a day by default, whatever the size of the stream, as a growing archive:
the neighbour index is pooled by 30 days of publication (cluster/index.py), so what drives the cost
per article is how many articles a few weeks hold; ``--per-day`` sets it (a million in a month:
``--per-day 33000``).

Usage: python benchmarks/bench_cluster_scale.py [SIZES=10000,100000,1000000] [--per-day 300]"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from datetime import date, timedelta

import numpy as np

DIM = 512
PER_DAY = 300


def stream(n: int, seed: int = 0, per_day: int = PER_DAY):
    from storydiff.cluster.features import Features
    from storydiff.cluster.neardup import NUM_PERM

    rng = np.random.default_rng(seed)
    vocab = 200_000
    topics = rng.normal(size=(100, DIM)).astype(np.float32)  # events of one kind lie near each other
    topics /= np.linalg.norm(topics, axis=1, keepdims=True)
    events: list[tuple[np.ndarray, list[str], int, np.ndarray]] = []
    recent: list[Features] = []
    day0 = date(2026, 1, 1)
    for i in range(n):
        day = i // per_day
        if not events or rng.random() < 0.1:  # one new event per 10 articles
            c = topics[int(rng.integers(100))] + rng.normal(scale=1.0 / np.sqrt(DIM), size=DIM).astype(np.float32)
            events.append((c / np.linalg.norm(c), [f"=name{len(events)}_{k}" for k in range(12)], day,
                           rng.integers(0, 2**32, NUM_PERM, dtype=np.uint64).astype(np.uint32)))
            events = events[-200:]  # only recent events draw new articles
        if recent and rng.random() < 0.05:
            src = recent[int(rng.integers(len(recent)))]
            yield Features(f"a{i}", src.vector, src.terms, src.day, src.signature)
            continue
        c, names, eday, _ = events[int(rng.integers(len(events)))]
        v = c + rng.normal(scale=0.6 / np.sqrt(DIM), size=DIM).astype(np.float32)
        terms = frozenset(names[: int(rng.integers(6, 12))]) | frozenset(f"w{t}" for t in (rng.zipf(1.3, size=110) % vocab).tolist())
        sig = rng.integers(0, 2**32, NUM_PERM, dtype=np.uint64).astype(np.uint32)
        f = Features(f"a{i}", (v / np.linalg.norm(v)).astype(np.float32), terms, day0 + timedelta(days=eday), sig)
        recent = (recent + [f])[-1000:]
        yield f


def run_one(n: int, per_day: int = PER_DAY) -> dict:
    from storydiff.cluster.stories import StoryClusterer

    cl = StoryClusterer()
    marks = sorted({min(n, m) for m in (n // 10, n // 2, n)})
    t = time.perf_counter()
    gen_time = 0.0
    out = {"n": n, "per_day": per_day, "curve": []}
    it = stream(n, per_day=per_day)
    done = stories = merged = 0
    last_t, last_done = time.perf_counter(), 0
    while done < n:
        g = time.perf_counter()
        f = next(it)
        gen_time += time.perf_counter() - g
        key, orig, merges = cl.assign(f)  # as the store does: integer story keys, aggregates kept elsewhere
        if key is None:
            key = stories
            stories += 1
        if merges:
            cl.merge(key, merges)
            merged += len(merges)
        cl.insert(f, key, orig)
        done += 1
        if done in marks:
            now = time.perf_counter()
            window = (now - last_t - 0) / max(1, done - last_done)
            out["curve"].append({"articles": done, "ms_per_article_recent": 1000 * window})
            last_t, last_done = now, done
    total = time.perf_counter() - t - gen_time
    out["ms_per_article"] = 1000 * total / n
    out["stories"] = stories - merged
    out["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sizes", nargs="?", default="10000,100000,1000000", help="stream sizes, comma-separated")
    parser.add_argument("--per-day", type=int, default=PER_DAY, help=f"articles published per day (default {PER_DAY})")
    parser.add_argument("--one", action="store_true", help=argparse.SUPPRESS)  # one size, in this process
    args = parser.parse_args()
    if args.per_day < 1:
        parser.error("--per-day must be at least 1")
    if args.one:
        print(json.dumps(run_one(int(args.sizes), args.per_day)))
        return
    try:
        sizes = [int(x) for x in args.sizes.split(",")]
    except ValueError:
        parser.error(f"sizes must be whole numbers separated by commas, got {args.sizes!r}")
    if min(sizes) < 1:
        parser.error("every size must be at least 1")
    rows = []
    print(f"{args.per_day:,} articles a day", flush=True)
    for n in sizes:
        res = subprocess.run([sys.executable, __file__, "--one", str(n), "--per-day", str(args.per_day)],
                             capture_output=True, text=True, check=True)
        r = json.loads(res.stdout.strip().splitlines()[-1])
        rows.append(r)
        curve = ", ".join(f"{c['articles']:,}: {c['ms_per_article_recent']:.2f}" for c in r["curve"])
        print(f"n={n:>9,}  {r['ms_per_article']:.3f} ms/article  stories {r['stories']:,}  peak RSS {r['peak_rss_mb']:.0f} MB"
              f"  (ms/article in the window ending at {curve})", flush=True)
    if len(rows) > 1:
        print(f"ratio ms/article at {rows[-1]['n']:,} vs {rows[0]['n']:,}: {rows[-1]['ms_per_article'] / rows[0]['ms_per_article']:.2f}")


if __name__ == "__main__":
    main()
