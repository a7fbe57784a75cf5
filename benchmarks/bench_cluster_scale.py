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

Speed must not be bought with quality, so each run also prints how well the stories found match the
stream's own events (B-cubed and pairwise F1; an approximate index that lost neighbours as the
corpus grew would show here first) and the neighbour index's recall: for 300 articles taken evenly
through the stream, the share of their 30 nearest earlier articles, by exact search over the
same pools, that the index returned when the article was placed.

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
STREAM_VERSION = 2  # raised whenever stream() yields other articles (stores made from it are named by it)


def stream(n: int, seed: int = 0, per_day: int = PER_DAY, events_out: list[int] | None = None):
    """The synthetic stream of ``n`` Features; with ``events_out``, the event of each article is
    appended to it as the article is yielded (a copy's is its original's)."""
    from storydiff.cluster.features import Features
    from storydiff.cluster.neardup import NUM_PERM

    rng = np.random.default_rng(seed)
    vocab = 200_000
    topics = rng.normal(size=(100, DIM)).astype(np.float32)  # events of one kind lie near each other
    topics /= np.linalg.norm(topics, axis=1, keepdims=True)
    events: list[tuple[np.ndarray, list[str], int, int]] = []
    recent: list[tuple[Features, int]] = []
    opened = 0  # events opened so far: the event's number
    day0 = date(2026, 1, 1)
    for i in range(n):
        day = i // per_day
        if not events or rng.random() < 0.1:  # one new event per 10 articles
            c = topics[int(rng.integers(100))] + rng.normal(scale=1.0 / np.sqrt(DIM), size=DIM).astype(np.float32)
            events.append((c / np.linalg.norm(c), [f"=name{opened}_{k}" for k in range(12)], day, opened))
            opened += 1
            events = events[-200:]  # only recent events draw new articles
        if recent and rng.random() < 0.05:
            src, event = recent[int(rng.integers(len(recent)))]
            if events_out is not None:
                events_out.append(event)
            yield Features(f"a{i}", src.vector, src.terms, src.day, src.signature)
            continue
        c, names, eday, event = events[int(rng.integers(len(events)))]
        v = c + rng.normal(scale=0.6 / np.sqrt(DIM), size=DIM).astype(np.float32)
        terms = frozenset(names[: int(rng.integers(6, 12))]) | frozenset(f"w{t}" for t in (rng.zipf(1.3, size=110) % vocab).tolist())
        sig = rng.integers(0, 2**32, NUM_PERM, dtype=np.uint64).astype(np.uint32)
        f = Features(f"a{i}", (v / np.linalg.norm(v)).astype(np.float32), terms, day0 + timedelta(days=eday), sig)
        recent = (recent + [(f, event)])[-1000:]
        if events_out is not None:
            events_out.append(event)
        yield f


RECALL_SAMPLES = 300


def index_recall(cl, f) -> float:
    """The share of ``f``'s nearest rows (as many as the clusterer asks for), by exact search over the pools the index
    searches for its day, that the index returns."""
    from storydiff.cluster.stories import _ordinal

    day = _ordinal(f)
    pools = cl.index._pools_near(day)
    # a chunk at a time: a pool of a million made float32 at once is a 2 GB copy, which the peak
    # RSS printed would count as the clusterer's (it did until 2026-12-06: 4.7 GB in the dense 1M run)
    sims = np.concatenate([vecs @ f.vector for pool in pools for _, vecs in pool.float32_chunks()])
    keys = np.concatenate([pool._keys[: pool.n] for pool in pools])
    k = min(cl.neighbours, len(keys))
    exact = set(keys[np.argpartition(-sims, k - 1)[:k]].tolist())
    return len(exact & {r for r, _ in cl.index.query(f.vector, cl.neighbours, day)}) / k


def run_one(n: int, per_day: int = PER_DAY) -> dict:
    from storydiff.cluster.stories import REVIEW_EVERY, StoryClusterer
    from storydiff.evaluate.ecbplus import bcubed, pairwise

    cl = StoryClusterer()
    marks = sorted({min(n, m) for m in (n // 10, n // 2, n)})
    sampled = set(np.linspace(n // 10, n - 1, min(RECALL_SAMPLES, n)).astype(int).tolist())  # once the index has grown
    recalls: list[float] = []
    events: list[int] = []
    t = time.perf_counter()
    aside = 0.0  # time spent making the stream and measuring, not clustering
    out = {"n": n, "per_day": per_day, "curve": []}
    it = stream(n, per_day=per_day, events_out=events)
    done = stories = split = 0
    members: dict[int, list[int]] = {}  # story key -> its rows, as the store answers
    touched: set[int] = set()
    nearby: set[int] = set()
    rejoined = 0
    last_t, last_done, last_aside = time.perf_counter(), 0, 0.0
    while done < n:
        g = time.perf_counter()
        f = next(it)
        if done in sampled and cl.index is not None:
            recalls.append(index_recall(cl, f))
        aside += time.perf_counter() - g
        key, orig, merges, near = cl.assign(f)  # as the store does: integer story keys, aggregates kept elsewhere
        nearby.update(near)
        if key is None:
            key = stories
            stories += 1
        if merges:
            cl.merge(key, merges)
            for m in merges:
                members.setdefault(key, []).extend(members.pop(m, []))
                touched.discard(m)
        members.setdefault(key, []).append(cl.insert(f, key, orig))
        touched.add(key)
        done += 1
        if done % REVIEW_EVERY == 0 or done == n:  # as ingest reviews a batch's stories
            for k in sorted(touched):
                for leave in cl.split(members[k]) if cl.due(k, len(members[k])) else []:
                    members[stories] = leave
                    members[k] = sorted(set(members[k]) - set(leave))
                    for r in leave:
                        cl.move(r, stories)
                    stories += 1
                    split += 1
            touched.clear()
            for r in sorted(nearby):  # as ingest rejoins (its copies, rare here, stay; the store moves them)
                k = cl.rejoin(r)
                if k is not None:
                    old = cl.story_key(cl.story_of[r])
                    members[old].remove(r)
                    members[k] = sorted(members[k] + [r])
                    cl.move(r, k)
                    rejoined += 1
            nearby.clear()
        if done in marks:
            now = time.perf_counter()
            window = (now - last_t - (aside - last_aside)) / max(1, done - last_done)
            out["curve"].append({"articles": done, "ms_per_article_recent": 1000 * window})
            last_t, last_done, last_aside = now, done, aside
    total = time.perf_counter() - t - aside
    out["ms_per_article"] = 1000 * total / n
    out["stories"], out["split"], out["rejoined"] = len({cl.story_key(cl.story_of[r]) for r in range(n)}), split, rejoined
    out["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    found = [cl.story_key(cl.story_of[r]) for r in range(n)]  # after splits
    out["events"] = len(set(events))
    out["bcubed_f1"], out["pairwise_f1"] = bcubed(found, events)[2], pairwise(found, events)[2]
    out["index_recall"], out["neighbours"] = (float(np.mean(recalls)) if recalls else None), cl.neighbours
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
        recall = "not sampled (no index yet)" if r["index_recall"] is None else f"{r['index_recall']:.3f}"
        curve = ", ".join(f"{c['articles']:,}: {c['ms_per_article_recent']:.2f}" for c in r["curve"])
        print(f"n={n:>9,}  {r['ms_per_article']:.3f} ms/article  peak RSS {r['peak_rss_mb']:.0f} MB"
              f"  (ms/article in the window ending at {curve})\n"
              f"             stories {r['stories']:,} ({r['split']:,} split off, {r['rejoined']:,} lone reports rejoined) for {r['events']:,} events: B-cubed F1 {r['bcubed_f1']:.3f},"
              f" pairwise F1 {r['pairwise_f1']:.3f}; index recall@{r['neighbours']} {recall}", flush=True)
    if len(rows) > 1:
        print(f"ratio ms/article at {rows[-1]['n']:,} vs {rows[0]['n']:,}: {rows[-1]['ms_per_article'] / rows[0]['ms_per_article']:.2f}")


if __name__ == "__main__":
    main()
