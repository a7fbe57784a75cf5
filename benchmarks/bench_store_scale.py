"""The store at size: how long a writer takes to start on a store of N articles (it replays them
into its clusterer, or starts from the clusterer state a writer saved beside the store), its
memory, and how long the reading commands take (`info`, `stories`, `story`, `search`, `export`).

The store is filled with the synthetic stream of bench_cluster_scale.py (clustered as ingest
clusters, so the stories are real ones of that stream), each article given a ~100-word text drawn
from its key terms and a background vocabulary, one of 300 outlets and its day; rows are written
in bulk, not through analysis, which bench_ingest.py measures. The store is made once per size
and kept under --dir, so a second run measures only.

Usage: python benchmarks/bench_store_scale.py [SIZES=100000] [--dir /tmp/storydiff-bench] [--per-day 300]"""

from __future__ import annotations

import argparse
import hashlib
import json
import resource
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_cluster_scale import PER_DAY, STREAM_VERSION, stream  # noqa: E402

OUTLETS = 300
COMMON = ["said", "government", "police", "minister", "report", "city", "people", "officials", "week", "year"]


def _text(f, rng) -> tuple[str, str]:
    names = [t.lstrip("=").replace("_", "x").capitalize() for t in sorted(f.terms) if t.startswith("=")]
    words = [t for t in sorted(f.terms) if not t.startswith("=")]
    body = names + words[:70] + [COMMON[int(i)] for i in rng.integers(0, len(COMMON), 20)]
    rng.shuffle(body)
    return " ".join(names[:6]) or f.id, " ".join(body) + "."


def build(path: Path, n: int, per_day: int) -> dict:
    """Fill a new store at ``path`` with ``n`` synthetic articles, clustered as ingest does."""
    from sqlalchemy import bindparam, insert, text

    from storydiff.cluster.stories import StoryClusterer
    from storydiff.corpus import TERM_SEP
    from storydiff.store.db import Store, now
    from storydiff.store.schema import articles, meta, stories

    rng = np.random.default_rng(1)
    cl = StoryClusterer()
    store = Store(path)
    with store.write() as conn:
        conn.execute(insert(meta), [{"key": "encoder", "value": "use"}])
    agg: dict[int, dict] = {}
    merged_into: dict[int, int] = {}
    next_story, rows, fts, new = 1, [], [], []
    t = time.perf_counter()

    def flush() -> None:
        with store.write() as conn:  # stories first (articles refer to them); their figures at the end
            conn.execute(insert(stories), [{"id": k, "outlets": "[]", "languages": "[]", "article_count": 0,
                                            "independent_sources": 0} for k in new])
            conn.execute(insert(articles), rows)
            conn.execute(text("INSERT INTO articles_fts(rowid, title, body) VALUES (:id, :t, :b)"), fts)
        rows.clear()
        fts.clear()
        new.clear()

    for i, f in enumerate(stream(n, per_day=per_day), start=1):
        key, orig, merges, _ = cl.assign(f)
        if key is None:
            key, next_story = next_story, next_story + 1
            new.append(key)
            agg[key] = {"title": None, "n": 0, "ind": 0, "first": None, "last": None, "outlets": set()}
        for m in merges:
            merged_into[m] = key
            a, b = agg[key], agg.pop(m)
            a["n"] += b["n"]
            a["ind"] += b["ind"]
            a["outlets"] |= b["outlets"]
            a["first"] = min(x for x in (a["first"], b["first"]) if x)
        if merges:
            cl.merge(key, merges)
        cl.insert(f, key, orig)
        title, body = _text(f, rng)
        outlet = f"Outlet {int(rng.integers(OUTLETS))}"
        day = f.day.isoformat()
        s = agg[key]
        s["title"] = s["title"] or title
        s["n"] += 1
        s["ind"] += orig is None
        s["first"] = min(s["first"] or day, day)
        s["last"] = max(s["last"] or day, day)
        s["outlets"].add(outlet)
        rows.append({"id": i, "ext_id": f.id, "content_hash": hashlib.sha256(f.id.encode()).hexdigest(), "url": None,
                     "title": title, "outlet": outlet, "published": day, "language": "en", "text": body,
                     "analysis": "{}", "word_count": len(body.split()), "story_id": key,
                     "duplicate_of": orig + 1 if orig is not None else None,
                     "vector": f.vector.astype(np.float16).tobytes(), "terms": TERM_SEP.join(sorted(f.terms)),
                     "signature": f.signature.tobytes(), "ingested_at": now()})
        fts.append({"id": i, "t": title, "b": body})
        if len(rows) >= 5000:
            flush()
    if rows:
        flush()
    with store.write() as conn:
        srows = [{"sid": k, "title": s["title"], "first_seen": s["first"], "last_seen": s["last"], "article_count": s["n"],
                  "independent_sources": s["ind"], "outlets": json.dumps(sorted(s["outlets"])), "languages": '["en"]',
                  "updated_at": now(), "merged_into": None} for k, s in agg.items()]
        srows += [{"sid": k, "title": None, "first_seen": None, "last_seen": None, "article_count": 0,
                   "independent_sources": 0, "outlets": "[]", "languages": "[]", "updated_at": now(),
                   "merged_into": cl.story_key(into)} for k, into in merged_into.items()]
        for i in range(0, len(srows), 5000):
            conn.execute(stories.update().where(stories.c.id == bindparam("sid")), srows[i : i + 5000])
    store.close()
    return {"build_seconds": time.perf_counter() - t, "stories": len(agg)}


def writer_start(path: Path, saved: bool = False) -> dict:
    """A writer's start on the store: the replay of every article into its clusterer, then its
    first article, and the clusterer's state saved beside the store; or (``saved``) the start
    from that saved state."""
    from storydiff.cluster.features import Features
    from storydiff.corpus import IngestReport, StoreClusterer, load_state, save_state
    from storydiff.store.db import Store

    store = Store(path, create=False)
    state = store.snapshot_path()
    t = time.perf_counter()
    with store.read() as conn:
        sc = load_state(state, store.uid(conn), IngestReport()) if saved else StoreClusterer()
        if sc is None:
            raise SystemExit(f"no saved state usable at {state}")
        n = sc.sync(conn) if not saved else len(sc.db_ids)
    replay = time.perf_counter() - t
    # the first new article, of the last day: the pools it searches bring their graphs up to date
    last = sc.cl.index.n - 1
    f = Features("new", sc.cl.index.pools[max(k for k in sc.cl.index.pools if k is not None)]._vecs[0].astype(np.float32),
                 frozenset(), date.fromordinal(sc.cl.days[last]) if sc.cl.days[last] else None, None)
    t = time.perf_counter()
    sc.cl.assign(f)
    out = {"articles": n, "seconds": replay, "first_article_seconds": time.perf_counter() - t}
    if not saved:
        t = time.perf_counter()
        save_state(sc, store, IngestReport())
        out |= {"save_seconds": time.perf_counter() - t, "state_mb": state.stat().st_size / 2**20}
    return out | {"peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def reads(path: Path) -> list[tuple[str, float, str]]:
    """Each reading command as a user runs it, timed (best of three), with what it returned."""
    from storydiff.store.db import Store

    store = Store(path, create=False)
    last = store.info()["published"]["last"]
    biggest = store.stories(sort="size", limit=1)[0]["id"]
    month = last[:8] + "01"
    calls = [
        ("info", lambda: store.info(), lambda r: f"{r['articles']:,} articles"),
        ("stories --since 7d --sort size --limit 10", lambda: store.stories(since=_back(last, 7), sort="size", limit=10), len),
        ("stories --since 1d", lambda: store.stories(since=last), len),
        ("stories --outlet 'Outlet 7' --limit 50", lambda: store.stories(outlet="Outlet 7", limit=50), len),
        (f"story {biggest}", lambda: store.story(biggest), lambda r: f"{r['article_count']} articles"),
        ("search name5x3 (one event's name)", lambda: store.search("name5x3"), len),
        ("search said (in most texts)", lambda: store.search("said"), len),
        ("search police minister --outlet 'Outlet 7'", lambda: store.search("police minister", outlet="Outlet 7"), len),
        (f"export --since {month} (rows)", lambda: sum(1 for _ in store.iter_articles(since=month)), str),
    ]
    out = []
    for name, fn, show in calls:
        best, res = float("inf"), None
        for _ in range(3):
            t = time.perf_counter()
            res = fn()
            best = min(best, time.perf_counter() - t)
        out.append((name, best, str(show(res))))
    return out


def _back(day: str, n: int) -> str:
    from datetime import date, timedelta

    return (date.fromisoformat(day[:10]) - timedelta(days=n)).isoformat()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sizes", nargs="?", default="100000", help="store sizes, comma-separated")
    parser.add_argument("--dir", default="/tmp/storydiff-bench", help="where the stores are made and kept")
    parser.add_argument("--per-day", type=int, default=PER_DAY, help=f"articles published per day (default {PER_DAY})")
    parser.add_argument("--step", choices=["build", "start", "resume", "reads"], help=argparse.SUPPRESS)  # one step, in this process
    args = parser.parse_args()
    if args.step:
        path = Path(args.dir)
        res = {"build": lambda: build(path, int(args.sizes), args.per_day), "start": lambda: writer_start(path),
               "resume": lambda: writer_start(path, saved=True), "reads": lambda: reads(path)}[args.step]()
        print(json.dumps(res))
        return
    try:
        sizes = [int(x) for x in args.sizes.split(",")]
    except ValueError:
        parser.error(f"sizes must be whole numbers separated by commas, got {args.sizes!r}")
    if min(sizes) < 1 or args.per_day < 1:
        parser.error("sizes and --per-day must be at least 1")
    Path(args.dir).mkdir(parents=True, exist_ok=True)

    def step(name: str, path: Path, n: int):
        res = subprocess.run([sys.executable, __file__, str(n), "--dir", str(path), "--per-day", str(args.per_day),
                              "--step", name], capture_output=True, text=True)
        if res.returncode:
            sys.exit(f"{name} on {path} failed:\n{res.stderr}")
        return json.loads(res.stdout.strip().splitlines()[-1])

    for n in sizes:
        path = Path(args.dir) / f"store-{n}-{args.per_day}-v{STREAM_VERSION}.db"
        if not path.exists():
            print(f"making {path} ({n:,} articles) ...", flush=True)
            b = step("build", path, n)
            print(f"  made in {b['build_seconds']:.0f} s: {b['stories']:,} stories", flush=True)
        size = sum(p.stat().st_size for p in path.parent.glob(path.name + "*") if p.name != path.name + "-clusterer")
        s = step("start", path, n)
        print(f"n={n:>9,}  store {size / 2**20:,.0f} MB  writer start {s['seconds']:.1f} s "
              f"({1000 * s['seconds'] / max(1, s['articles']):.3f} ms/article) + {s['first_article_seconds']:.1f} s at its "
              f"first article (the searched pools' graphs), peak RSS {s['peak_rss_mb']:,.0f} MB", flush=True)
        r = step("resume", path, n)
        print(f"  its clusterer state saved in {s['save_seconds']:.1f} s ({s['state_mb']:,.0f} MB); a start from it "
              f"{r['seconds']:.1f} s + {r['first_article_seconds']:.2f} s at its first article, "
              f"peak RSS {r['peak_rss_mb']:,.0f} MB", flush=True)
        for name, secs, what in step("reads", path, n):
            print(f"  {name:<48} {1000 * secs:9.1f} ms   {what}", flush=True)


if __name__ == "__main__":
    main()
