"""Ingest into the store: read, extract, skip what is stored, analyse, featurise, cluster, commit.

Each batch is committed in one transaction under the store's writer lock, after the clusterer has
caught up with whatever other writers committed meanwhile. A crash, SIGKILL or Ctrl-C loses at most
the batch in flight, never half of an article; running the same command again resumes, because an
article whose content hash or URL is stored already is skipped before it is analysed."""

from __future__ import annotations

import hashlib
import json
import os
import sys
import time
from array import array
from bisect import bisect_left
from dataclasses import dataclass, field
from datetime import date
from functools import cache, lru_cache
from pathlib import Path
from typing import Callable, Iterable, Iterator

import numpy as np
from sqlalchemy import Connection, insert, select

from .analyze import Analyzer
from .analyze.dates import parse_anchor
from .api import take_notes
from .cluster import index, neardup, snapshot
from .cluster import stories as stories_module
from .cluster.explain import story_links
from .cluster.features import Features, featurize
from .cluster.stories import StoryClusterer
from .errors import StoreError
from .extract import extract_all
from .ingest import read_inputs
from .ingest.pauses import Pause, is_stream, with_pauses
from .model import Article, Failure
from .settings import Settings
from .store.db import Store, _parts, article_count, article_tally, now, parse_story_id
from .store.schema import article_removals, articles, meta, stories, story_merges, story_moves

TERM_SEP = "\x1f"
KEEP_STATE_FROM = 20_000  # stored articles from which a writer leaves its clusterer's state for the next
RESAVE_SHARE = 0.01  # ... once the articles that state lacks reach this share of the store (saving a
# million articles' state takes 7-10 s; replaying 10,000 rows at a start, under one)


def content_hash(text: str) -> str:
    """SHA-256 of the text with whitespace runs collapsed: re-wrapped copies hash alike."""
    return hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()


@dataclass
class IngestReport:
    added: int = 0
    already_stored: int = 0
    near_duplicates: int = 0
    new_stories: int = 0
    merged_stories: int = 0  # stories found to be another (an article linked them) and merged into it
    split_stories: int = 0  # stories split off others found to hold two events (StoryClusterer.split)
    rejoined: int = 0  # articles moved from a small story to a larger one they now join (StoryClusterer.rejoin)
    renamed: list[tuple[str, str]] = field(default_factory=list)  # (given id, stored id)
    # (given id, id stored under): skipped inputs whose text or URL is stored under another id
    same_as: list[tuple[str, str]] = field(default_factory=list)
    mislabelled: list[tuple[str, str, str]] = field(default_factory=list)  # (id, language given, language read)
    skipped: list[str] = field(default_factory=list)  # files in input folders or archives of a type not read
    headlines: list[str] = field(default_factory=list)  # ids of records with a title and no text, read as the title
    failures: list[Failure] = field(default_factory=list)
    seconds: float = 0.0
    interrupted: bool = False
    stored_before: int = 0  # articles the store held at the start (read into the clusterer first)
    loaded: int = 0  # of those, read so far
    load_seconds: float = 0.0  # the time reading them took (part of ``seconds``)
    waiting_seconds: float = 0.0  # the time spent waiting for a streamed input (part of ``seconds``)
    from_saved_state: int = 0  # of ``stored_before``, the articles taken from the clusterer's saved state
    state_note: str | None = None  # why a saved state was not used, or could not be saved
    save_seconds: float = 0.0  # the time saving the clusterer's state took (part of ``seconds``)
    saving: bool = False  # saving the clusterer's state now (for a progress display)

    @property
    def rate(self) -> float:
        """Articles stored a second of work (a stream's silences not counted)."""
        busy = self.seconds - self.waiting_seconds
        return self.added / busy if busy > 0 else 0.0

    def to_dict(self) -> dict:
        return {"added": self.added, "already_stored": self.already_stored, "near_duplicates": self.near_duplicates,
                "new_stories": self.new_stories, "merged_stories": self.merged_stories, "split_stories": self.split_stories,
                "rejoined": self.rejoined, "renamed": [list(r) for r in self.renamed],
                "same_as": [list(r) for r in self.same_as], "mislabelled": [list(r) for r in self.mislabelled],
                "skipped": self.skipped, "headlines": self.headlines,
                "failures": [f.to_dict() for f in self.failures], "seconds": round(self.seconds, 2),
                "articles_per_second": round(self.rate, 2), "interrupted": self.interrupted,
                "stored_before": self.stored_before, "load_seconds": round(self.load_seconds, 2),
                "waiting_seconds": round(self.waiting_seconds, 2), "from_saved_state": self.from_saved_state,
                "state_note": self.state_note, "save_seconds": round(self.save_seconds, 2)}


# what a clusterer keeps of a stored article (StoreClusterer.take)
ROW_COLUMNS = (articles.c.id, articles.c.ext_id, articles.c.story_id, articles.c.duplicate_of, articles.c.vector,
               articles.c.terms, articles.c.signature, articles.c.published, articles.c.language)


@lru_cache(maxsize=65536)
def day_ordinal(published: str | None) -> int:
    """A stored publication date's day as a date ordinal (0: none), parsed once per distinct value."""
    day = parse_anchor(published)
    return day.toordinal() if day else 0


def _row_terms(r) -> list[str]:
    """A stored row's key terms."""
    return r.terms.split(TERM_SEP) if r.terms else []


def _row_features(r) -> Features:
    """What the clusterer knows of a stored row (:data:`ROW_COLUMNS`) as :class:`Features` (no
    signature: the row's near-duplicate link is stored)."""
    day = day_ordinal(r.published)
    return Features(r.ext_id, np.frombuffer(r.vector, dtype=np.float16).astype(np.float32), frozenset(_row_terms(r)),
                    date.fromordinal(day) if day else None, None, language=r.language)


class StoreClusterer:
    """A :class:`StoryClusterer` kept in step with the store: ``sync`` replays the rows, story
    merges, moves and removals other writers committed since the last call (their stories as
    stored), so every writer clusters against all."""

    def __init__(self) -> None:
        self.cl = StoryClusterer()
        self.db_ids = array("q")  # row -> article id, ascending
        self.last_merge = 0  # the story_merges log read up to here
        self.last_move = 0  # the story_moves log read up to here
        self.last_removal = 0  # the article_removals log read up to here
        self.drops = 0  # rows dropped as removed since this clusterer was made or loaded

    @property
    def last(self) -> int:
        return self.db_ids[-1] if self.db_ids else 0

    def live(self) -> tuple[int, int]:
        """How many of the articles read are still stored, and the sum of their ids: what
        :func:`article_tally` gives for a store this clusterer is in step with."""
        gone = [self.db_ids[r] for r in self.cl.dropped]
        return len(self.db_ids) - len(gone), sum(self.db_ids) - sum(gone)

    def row_of(self, article_id: int) -> int | None:
        i = bisect_left(self.db_ids, article_id)
        return i if i < len(self.db_ids) and self.db_ids[i] == article_id else None

    def take(self, rows: list) -> None:
        """Add stored rows (:data:`ROW_COLUMNS`, ascending ids past :attr:`last`) to the clusterer."""
        self.db_ids.extend(r.id for r in rows)  # before the look-ups: an original may be among them
        if rows:
            self.cl.insert_rows(
                [r.ext_id for r in rows],
                np.frombuffer(b"".join(r.vector for r in rows), dtype=np.float16).reshape(len(rows), -1).astype(np.float32),
                [day_ordinal(r.published) for r in rows],
                [np.frombuffer(r.signature, dtype=np.uint32) if r.signature else None for r in rows],
                [r.language for r in rows], [_row_terms(r) for r in rows],
                [r.story_id for r in rows], [self.row_of(r.duplicate_of) if r.duplicate_of else None for r in rows])

    def sync(self, conn: Connection, chunk: int = 5000, progress: Callable[[int], None] | None = None) -> int:
        """Catch up with the store; returns how many articles were read. ``progress(n)`` is told
        the articles read so far after each chunk (a writer's start on a large store takes a while)."""
        # Removals first: a text stored since, like a removed one, then takes the removed row's place.
        for rid, aid in conn.execute(select(article_removals.c.id, article_removals.c.article_id)
                                     .where(article_removals.c.id > self.last_removal).order_by(article_removals.c.id)):
            row = self.row_of(aid)
            if row is not None:  # None: removed before this clusterer read it
                self.cl.drop(row)
                self.drops += 1
            self.last_removal = rid
        n = 0
        while True:
            rows = conn.execute(select(*ROW_COLUMNS).where(articles.c.id > self.last).order_by(articles.c.id).limit(chunk)).all()
            self.take(rows)
            n += len(rows)
            if progress:
                progress(n)
            if len(rows) < chunk:
                break
        for mid, sid, into in conn.execute(select(story_merges.c.id, story_merges.c.story_id, story_merges.c.into_id)
                                           .where(story_merges.c.id > self.last_merge).order_by(story_merges.c.id)):
            self.cl.merge(into, [sid])
            self.last_merge = mid
        for mid, aid, sid, pins in conn.execute(
                select(story_moves.c.id, story_moves.c.article_id, story_moves.c.story_id, story_moves.c.pins)
                .where(story_moves.c.id > self.last_move).order_by(story_moves.c.id)):
            row = self.row_of(aid)
            if row is not None:
                self.cl.move(row, sid)
            if pins:  # a reader's move, or a review's split: not split again (a rejoin's is not)
                self.cl.pinned.add(sid)
            self.last_move = mid
        return n


def review_stories(conn: Connection, store: Store, sc: StoreClusterer, keys: set[int]) -> set[int]:
    """Split the stories ``keys`` (those a batch placed articles in) that hold two or more events
    (:meth:`StoryClusterer.split`): each event without the story's first article moves to a new
    story, as a reader's ``move`` would, logged so that every writer's clusterer follows. Returns
    the new stories; the caller refreshes their aggregates and those of ``keys``."""
    members: dict[int, list[int]] = {}
    for part in _parts(sorted(keys)):  # one query for the batch's stories, not one a story
        for sid, aid in conn.execute(select(articles.c.story_id, articles.c.id).where(articles.c.story_id.in_(part))):
            members.setdefault(sid, []).append(aid)
    made = set()
    for key, ids in sorted(members.items()):
        if not sc.cl.due(key, len(ids)):
            continue
        for event in sc.cl.split([r for r in map(sc.row_of, ids) if r is not None]):
            rows = sorted((r for part in _parts(sorted(sc.db_ids[r] for r in event))
                           for r in conn.execute(select(articles.c.id, articles.c.story_id, articles.c.title, articles.c.text)
                                                 .where(articles.c.id.in_(part)))), key=lambda r: r.id)
            target, moved, _ = store.move_articles(conn, rows, None)
            for aid in moved:
                sc.cl.move(sc.row_of(aid), target)
            sc.cl.pinned.add(target)
            made.add(target)
    return made


def rejoin_articles(conn: Connection, store: Store, sc: StoreClusterer, rows: set[int]) -> tuple[int, set[int], set[int]]:
    """Move each of ``rows`` (the members of small stories near the articles a batch placed:
    ``Placement.near``) that now joins a larger story (:meth:`StoryClusterer.rejoin`) there, with its
    copies, as a reader's ``move`` would but without pinning the story, logged so that every
    writer's clusterer follows. Returns how many articles moved, the stories whose aggregates the
    caller refreshes and the stories emptied (they lead to where their articles went)."""
    moved, changed, emptied = 0, set(), set()
    for row in sorted(rows):
        key = sc.cl.rejoin(row)
        if key is None:
            continue
        rec = conn.execute(select(articles.c.id, articles.c.story_id, articles.c.title, articles.c.text)
                           .where(articles.c.id == sc.db_ids[row])).one()
        _, ids, left = store.move_articles(conn, [rec], key, pins=False)
        for aid in ids:
            sc.cl.move(sc.row_of(aid), key)
        if rec.story_id not in left:  # emptied: merged into the target in the store, so here too
            sc.cl.merge(key, [rec.story_id])
            emptied.add(rec.story_id)
        moved += len(ids)
        changed |= left
    return moved, changed - emptied, emptied


@cache
def _code_stamp() -> str:
    """A digest of the code a saved clusterer is made by and of: any change to it (a release, an
    edit) makes saved states stale, to be read from the store again."""
    import usearch

    digest = hashlib.sha256(f"numpy {np.__version__} usearch {usearch.__version__}".encode())
    for module in (sys.modules[__name__], stories_module, index, neardup, snapshot):
        try:
            digest.update(Path(module.__file__).read_bytes())
        except (OSError, TypeError):  # no source file (a frozen build): the release stands for it
            from . import __version__

            digest.update(f"{module.__name__} {__version__}".encode())
    return digest.hexdigest()[:16]


def load_state(path: Path, uid: str, report: IngestReport) -> StoreClusterer | None:
    """The clusterer a previous writer saved at ``path``, if there is one of the store ``uid``
    names (``Store.uid``) and of this code (``report`` says why a damaged one was not used)."""
    try:
        sc = snapshot.load(path, {"store": uid, "code": _code_stamp()})
    except snapshot.BadSavedState as exc:
        report.state_note = f"{path}: {exc} (read the store in full instead)"
        return None
    return sc if isinstance(sc, StoreClusterer) else None


def removals_since(conn: Connection, last: int) -> bool:
    """Whether articles were removed since the removal log's entry ``last``."""
    return conn.execute(select(article_removals.c.id).where(article_removals.c.id > last).limit(1)).first() is not None


def default_state_dir() -> Path | None:
    """The folder for the clusterer states of PostgreSQL stores when ``state_dir`` is not set: the
    user's cache folder ($XDG_CACHE_HOME or ~/.cache; %LOCALAPPDATA% on Windows), ``storydiff``;
    None for a user with no home folder (a service account), whose stores are read in full."""
    if os.name == "nt" and os.environ.get("LOCALAPPDATA"):
        return Path(os.environ["LOCALAPPDATA"]) / "storydiff"
    if os.environ.get("XDG_CACHE_HOME"):
        return Path(os.environ["XDG_CACHE_HOME"]) / "storydiff"
    try:
        return Path.home() / ".cache" / "storydiff"
    except RuntimeError:  # no HOME and no entry in the password database
        return None


def state_file(store: Store, uid: str | None, state_dir: str | Path | None = None) -> Path | None:
    """Where the clusterer state of ``store`` is kept: beside a SQLite file; for a PostgreSQL store,
    in ``state_dir`` (default: :func:`default_state_dir`) under the store's id; None for an
    in-memory store, or a server store with no id yet."""
    if store.dialect == "sqlite":
        return store.snapshot_path()
    folder = Path(state_dir).expanduser() if state_dir else default_state_dir()
    return folder / f"storydiff-{uid}-clusterer" if folder and uid else None


def saved_state(store: Store, state_dir: str | Path | None = None) -> dict | None:
    """The clusterer state saved for ``store``: its file, size, the articles it holds and whether
    this code can start from it (None when there is none)."""
    with store.read() as conn:
        uid = store.uid(conn)
    path = state_file(store, uid, state_dir)
    stamp = snapshot.read_stamp(path) if path else None
    if stamp is None:
        return None
    return {"path": str(path), "bytes": path.stat().st_size, "articles": stamp.get("articles"),
            "usable": stamp.get("store") == uid and stamp.get("code") == _code_stamp()}


def save_state(sc: StoreClusterer, store: Store, report: IngestReport, state_dir: str | Path | None = None,
               uid: str | None = None) -> None:
    """Save the clusterer for the next writer of ``store`` (:func:`state_file`; ``uid``: the store's
    id if known, else read or given now). It is in step with the store up to this writer's last
    commit (what others commit later, the next writer reads from the store)."""
    t = time.perf_counter()
    path = None
    try:
        if uid is None:
            with store.write() as conn:
                uid = store.uid(conn, create=True)
        path = state_file(store, uid, state_dir)
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            snapshot.save(sc, path, {"store": uid, "code": _code_stamp(), "articles": sc.live()[0]})
    except Exception as exc:  # noqa: BLE001 - the articles are committed; only the next start is slower
        report.state_note = (f"could not save the clusterer's state to {path or state_dir}: "
                             f"{type(exc).__name__}: {exc} (the next ingest reads the store in full)")
    report.save_seconds = time.perf_counter() - t


def _start(conn: Connection, state_path: Path | None, uid: str | None, report: IngestReport,
           loaded: Callable[[int], None]) -> StoreClusterer:
    """A writer's clusterer in step with the store ``conn`` reads (``uid``: its id): the state saved
    at ``state_path`` brought up to date, when there is one that fits, else the store read in full.
    ``loaded(n)`` is told how many stored articles are in so far."""
    sc = load_state(state_path, uid, report) if state_path and uid else None
    if sc is not None and removals_since(conn, sc.last_removal):
        sc = None  # a drop leaves traces a full read has not (the terms past MAX_TERMS of a long text)
    if sc is not None:
        base = sc.live()[0]
        read = sc.sync(conn, progress=lambda n: loaded(base + n))
        live = sc.live()
        if live == article_tally(conn):
            report.from_saved_state = live[0] - read
            return sc
        report.state_note = f"{state_path} does not match the store (read in full instead)"
    sc = StoreClusterer()
    sc.sync(conn, progress=loaded)
    return sc


def _check_encoder(store: Store, name: str) -> None:
    """A store's vectors all come from one encoder; refuse to mix."""
    with store.write() as conn:
        row = conn.execute(select(meta.c.value).where(meta.c.key == "encoder")).first()
        if row is None:
            conn.execute(insert(meta), [{"key": "encoder", "value": name}])
        elif row[0] != name:
            raise StoreError(f"{store.where}: its articles were embedded with encoder {row[0]!r}; "
                             f"ingest with --encoder {row[0]} (vectors of two encoders cannot be compared)")


# How much of the corpus an explanation reads: the story's members (the first EXPLAIN_MEMBERS of a
# larger one) and, for the document frequencies that weigh their shared terms, the latest
# EXPLAIN_BACKGROUND other articles.
EXPLAIN_MEMBERS = 1_000
EXPLAIN_BACKGROUND = 20_000


def explain_story(store: Store, story_id: str | int) -> dict:
    """A stored story (as :meth:`Store.story` gives it) with ``links``: each article's strongest link to
    another member, scored as the clusterer scores (cluster/explain.py), with what they share. For
    a story of more than EXPLAIN_MEMBERS articles, ``links`` covers its first EXPLAIN_MEMBERS and
    ``links_truncated`` is true."""
    with store.read(snapshot=True) as conn:  # the story and its rows agree while writers commit
        d = store.story_in(conn, story_id)
        sid = parse_story_id(d["id"])
        members = conn.execute(select(*ROW_COLUMNS, articles.c.text).where(articles.c.story_id == sid)
                               .order_by(articles.c.id).limit(EXPLAIN_MEMBERS + 1)).all()
        background = conn.execute(select(*ROW_COLUMNS).where(articles.c.story_id != sid)
                                  .order_by(articles.c.id.desc()).limit(EXPLAIN_BACKGROUND)).all()
    d["links_truncated"] = len(members) > EXPLAIN_MEMBERS
    members = members[:EXPLAIN_MEMBERS]
    sc = StoreClusterer()
    sc.take(sorted([*members, *background], key=lambda r: r.id))
    originals = {a["ext_id"]: a["duplicate_of"] for a in d["article_details"] if a["duplicate_of"]}
    links = story_links(sc.cl, [sc.row_of(r.id) for r in members], [_row_features(r) for r in members], originals,
                        {r.ext_id: r.text for r in members})
    d["links"] = [link.to_dict() for link in links]
    return d


def ingest(paths: Iterable[str | Path], store: Store, settings: Settings | None = None, encoder=None,
           progress: Callable[[IngestReport], None] | None = None, batch: int | None = None,
           defaults: dict[str, str | None] | None = None) -> IngestReport:
    """Analyse and store every article under ``paths``; returns counts and failures (also stored).
    ``defaults``: the outlet, language or published date of articles whose input names none."""
    from .embed import get_encoder

    settings = settings or Settings()
    inputs = list(paths)
    enc = encoder or get_encoder(settings.encoder)
    batch = batch or max(1, settings.batch_size)
    report = IngestReport()
    t0 = time.perf_counter()
    _check_encoder(store, enc.name)
    keeps_state = settings.keep_state and (store.dialect != "sqlite" or store.snapshot_path() is not None)

    def loaded(n: int) -> None:
        report.loaded, report.seconds = n, time.perf_counter() - t0
        if progress:
            progress(report)

    with store.read() as conn:  # one snapshot; not under the writer lock, which other writers need meanwhile
        report.stored_before = article_count(conn)
        uid = store.uid(conn)
        state_path = state_file(store, uid, settings.state_dir) if keeps_state else None
        sc = _start(conn, state_path, uid, report, loaded)
    report.load_seconds = time.perf_counter() - t0
    pending_failures: list[Failure] = []
    seen: dict[str, str] = {}  # content hashes and URLs read, not committed yet -> the id they came with

    def skip(art: Article, stored: str) -> None:
        """``art`` is stored already, as ``stored``: counted, and listed when under another id (not
        a rerun of the same input)."""
        report.already_stored += 1
        if stored != art.id and not stored.startswith(art.id + "#"):
            report.same_as.append((art.id, stored))

    def fail(f: Failure) -> None:
        report.failures.append(f)
        pending_failures.append(f)

    def waited(seconds: float) -> None:
        report.waiting_seconds += seconds

    def new_articles() -> Iterator[Article]:
        """Extracted articles not stored yet (checked a batch at a time, before analysis)."""
        chunk: list[tuple[Article, str]] = []

        def flush() -> Iterator[Article]:
            with store.read() as conn:
                hashes, urls = store.known(conn, [h for _, h in chunk], [a.url for a, _ in chunk if a.url])
            for a, h in chunk:
                stored = hashes.get(h) or seen.get(h) or (a.url and (urls.get(a.url) or seen.get(a.url)))
                if stored:
                    skip(a, stored)
                    continue
                seen[h] = a.id
                if a.url:
                    seen[a.url] = a.id
                take_notes(a, settings, report)
                yield a
            chunk.clear()

        items: Iterable = extract_all(read_inputs(inputs, settings, report.skipped), defaults)
        if any(is_stream(p) for p in inputs):  # what a slow feed sent is committed when it pauses
            items = with_pauses(items, settings.commit_after, waited=waited)
        for art in items:
            if isinstance(art, Failure):
                fail(art)
                continue
            if isinstance(art, Pause):
                yield from flush()
                yield art
                continue
            chunk.append((art, content_hash(art.text)))
            if len(chunk) >= batch:
                yield from flush()
        if chunk:
            yield from flush()

    def commit(arts: list[Article]) -> None:
        feats = featurize(arts, enc)
        sc.cl.warm(feats)  # the neighbour graphs these search, built before the lock is taken
        with store.write() as conn:
            sc.sync(conn)
            digests = [content_hash(a.text) for a in arts]
            hashes, urls = store.known(conn, digests, [a.url for a in arts if a.url])
            touched: set[int] = set()
            nearby: set[int] = set()  # rows of small stories the batch's articles link (rejoin_articles)
            given = store.next_article_id(conn)  # after a removal of the newest (SQLite); else None
            for art, f, h in zip(arts, feats, digests):
                stored = hashes.get(h) or (art.url and urls.get(art.url))
                if stored:  # another writer stored it meanwhile
                    skip(art, stored)
                    continue
                key, orig, merges, near = sc.cl.assign(f)
                nearby.update(near)
                if key is None:
                    key = conn.execute(insert(stories).values(title=f.title, outlets="[]", languages="[]",
                                                              article_count=0, independent_sources=0,
                                                              updated_at=now())).inserted_primary_key[0]
                    report.new_stories += 1
                if merges:
                    store.merge_stories(conn, key, merges)
                    sc.cl.merge(key, merges)
                    touched.difference_update(merges)
                    report.merged_stories += len(merges)
                ext = store.free_ext_id(conn, art.id)
                if ext != art.id:
                    report.renamed.append((art.id, ext))
                layers = art.to_dict()
                for k in ("id", "text", *art.metadata()):
                    layers.pop(k, None)
                aid = conn.execute(insert(articles).values(
                    **({"id": given} if given else {}), ext_id=ext, content_hash=h, url=art.url, title=art.title, outlet=art.outlet, published=art.published,
                    language=art.language, author=art.author, translator=art.translator, original_url=art.original_url,
                    source_path=art.source_path, text=art.text, analysis=json.dumps(layers, ensure_ascii=False),
                    word_count=len(art.text.split()), story_id=key,
                    duplicate_of=sc.db_ids[orig] if orig is not None else None,
                    vector=f.vector.astype(np.float16).tobytes(), terms=TERM_SEP.join(sorted(f.terms)),
                    signature=f.signature.tobytes() if f.signature is not None else None, ingested_at=now(),
                )).inserted_primary_key[0]
                given = None
                store.index_for_search(conn, aid, art.title, art.text)
                sc.cl.insert(f, key, orig)
                sc.db_ids.append(aid)
                touched.add(key)
                report.added += 1
                report.near_duplicates += orig is not None
            split_off = review_stories(conn, store, sc, touched)
            report.split_stories += len(split_off)
            rejoined, changed, emptied = rejoin_articles(conn, store, sc, nearby)
            report.rejoined += rejoined
            store.refresh_stories(conn, (touched | split_off | changed) - emptied)
            store.add_failures(conn, pending_failures)
        pending_failures.clear()
        for art, h in zip(arts, digests):  # the store answers for these now: ``seen`` holds those in flight
            seen.pop(h, None)
            if art.url:
                seen.pop(art.url, None)

    buf: list[Article] = []

    def commit_held() -> None:
        """Commit the analysed articles held (and failures met since the last commit)."""
        if buf:
            commit(buf)
            buf.clear()
        elif pending_failures:
            with store.write() as conn:
                store.add_failures(conn, pending_failures)
            pending_failures.clear()
        report.seconds = time.perf_counter() - t0
        if progress:
            progress(report)

    try:
        for art in Analyzer(settings).analyze(new_articles()):
            if isinstance(art, Pause):  # the input fell silent: what came is not kept waiting
                commit_held()
                continue
            buf.append(art)
            if len(buf) >= batch:
                commit_held()
        commit_held()
    except KeyboardInterrupt:
        report.interrupted = True
    total = report.stored_before + report.added
    behind = total - report.from_saved_state  # articles the saved state lacks (a start reads them)
    if (keeps_state and not report.interrupted and not sc.drops and total >= KEEP_STATE_FROM
            and behind and behind >= total * RESAVE_SHARE):  # a state that dropped rows is left to a full read
        report.saving = True
        if progress:
            progress(report)
        save_state(sc, store, report, settings.state_dir, uid)
        report.saving = False
    own = set(store.files())  # the store's own files in an input folder are not inputs left out
    report.skipped = [f for f in report.skipped if Path(f).resolve() not in own]
    report.seconds = time.perf_counter() - t0
    if progress:
        progress(report)
    return report

