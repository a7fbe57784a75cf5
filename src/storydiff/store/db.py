"""The corpus store: one SQLite file by default (WAL, FTS5), or PostgreSQL, through SQLAlchemy Core.

Writers serialise through a store-wide lock held only while a batch is committed (SQLite
``BEGIN IMMEDIATE``; PostgreSQL a transaction-level advisory lock), so two ingests can run at once:
each analyses in parallel and commits in turn, seeing what the other stored before it clusters."""

from __future__ import annotations

import json
import re
import uuid
from contextlib import contextmanager
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Iterable, Iterator

from sqlalchemy import (Connection, Float, Integer, bindparam, column, create_engine, event, func, insert, inspect,
                        literal_column, select, table, text)
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError, DatabaseError, OperationalError

from ..analyze.dates import ISO_DAY, parse_anchor
from ..errors import CorruptStore, ForeignDatabase, InvalidQuery, NotFound, SchemaTooNew, StoreError, StoreUnavailable
from ..model import METADATA_FIELDS, Article, Failure
from .schema import (MIGRATIONS, OUR_TABLES, SCHEMA_VERSION, article_removals, articles, failures, meta, stories, story_merges,
                     story_moves)
from .searchtext import fts_query, index_text, needs_own_snippet, query_words, snippet

DEFAULT_DB = "storydiff.db"
LOCK_KEY = 0x5D1FF  # PostgreSQL advisory lock id for writers
SQLITE_BUSY_SECONDS = 120


ID_FLOOR = "article_id_floor"  # storydiff_meta key (SQLite): the highest article id given, when removed
STORE_UID = "store_uid"  # storydiff_meta key: a random id, named by clusterer snapshots
SNAPSHOT_SUFFIX = "-clusterer"  # beside a SQLite store: a writer's clusterer state for the next (corpus.py)


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def story_key(story_id: int) -> str:
    return f"s{story_id}"


def parse_story_id(value: str | int) -> int:
    m = re.fullmatch(r"s?(\d+)", str(value).strip())
    if not m:
        raise NotFound(f"{value!r} is not a story id (expected s12 or 12)")
    return int(m.group(1))


_AGO = re.compile(r"(\d+)\s*(h|hours?|d|days?|w|weeks?)(?:\s+ago)?", re.I)
_HOURS = {"h": 1, "d": 24, "w": 24 * 7}


def parse_day(value: str, today: date | None = None) -> date | None:
    """The day a ``--since`` / ``--until`` value names, or None: a date (ISO 8601, "March 8, 2026",
    "2026年3月8日"), ``today``, ``yesterday``, or a span back from now: ``24h``, ``7d``, ``2w``,
    ``3 days ago``. Spans count from the local clock and are read as the day they reach back to."""
    value = value.strip()
    today = today or date.today()
    word = value.lower()
    if word in ("today", "yesterday"):
        return today - timedelta(days=word == "yesterday")
    m = _AGO.fullmatch(value)
    if m:
        hours = int(m[1]) * _HOURS[m[2][0].lower()]
        return (datetime.combine(today, datetime.now().time()) - timedelta(hours=hours)).date()
    return parse_anchor(value)


def normalise_url(url: str | Path | None) -> str:
    """``None`` -> the default file; a plain path -> ``sqlite:///path``; ``postgresql://`` -> psycopg."""
    url = str(url or DEFAULT_DB)
    if "://" not in url:
        return f"sqlite:///{url}"
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def _where(url: str) -> str:
    u = make_url(url)
    if u.get_backend_name() == "sqlite":
        return u.database or ":memory:"
    return u.render_as_string(hide_password=True)


class Store:
    """Open (creating or migrating if needed) the store at ``url``; ``Store()`` is ./storydiff.db."""

    def __init__(self, url: str | Path | None = None, create: bool = True) -> None:
        self.url = normalise_url(url)
        self.where = _where(self.url)
        try:
            u = make_url(self.url)
        except ArgumentError as exc:
            raise StoreError(f"{url}: not a database URL ({exc})") from exc
        self.dialect = u.get_backend_name()
        if self.dialect not in {"sqlite", "postgresql"}:
            raise StoreError(f"{self.where}: unsupported database {self.dialect!r} (use a file path, sqlite:/// or postgresql://)")
        if self.dialect == "sqlite":
            path = Path(u.database or "")
            if not create and not path.exists():
                raise NotFound(f"{path}: no store here (run `storydiff ingest ... --db {path}` first)")
            if path.parent and not path.parent.exists():
                raise StoreError(f"{path}: folder {path.parent} does not exist")
        self.engine = self._engine()
        with self.errors():
            self._migrate(create)

    # -- connection ---------------------------------------------------------------------------
    def _engine(self) -> Engine:
        if self.dialect == "sqlite":
            eng = create_engine(self.url, connect_args={"timeout": SQLITE_BUSY_SECONDS})

            @event.listens_for(eng, "connect")
            def _connect(dbapi_conn, _record):
                dbapi_conn.isolation_level = None  # we issue BEGIN ourselves (below)
                cur = dbapi_conn.cursor()
                cur.execute("PRAGMA journal_mode=WAL")
                cur.execute("PRAGMA synchronous=NORMAL")
                cur.execute("PRAGMA foreign_keys=ON")
                cur.close()

            @event.listens_for(eng, "begin")
            def _begin(conn):
                conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.info.pop("write", False) else "BEGIN")

            return eng
        return create_engine(self.url, pool_pre_ping=True, connect_args={"connect_timeout": 10})

    @contextmanager
    def errors(self) -> Iterator[None]:
        """Turn database errors into storydiff's named errors, naming the store."""
        try:
            yield
        except StoreError:
            raise
        except (OperationalError, DatabaseError) as exc:
            msg = str(exc.orig or exc).strip().splitlines()[0]
            if self.dialect == "sqlite" and ("not a database" in msg or "malformed" in msg or "corrupt" in msg):
                raise CorruptStore(f"{self.where}: not a storydiff store: {msg} (damaged, or another kind of file)") from exc
            if isinstance(exc, OperationalError):
                raise StoreUnavailable(f"{self.where}: {msg}") from exc
            raise StoreError(f"{self.where}: {msg}") from exc

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """One write transaction holding the store-wide writer lock; commits on success."""
        with self.errors(), self.engine.connect() as conn:
            conn.info["write"] = True
            with conn.begin():
                if self.dialect == "postgresql":
                    conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": LOCK_KEY})
                yield conn

    @contextmanager
    def read(self, snapshot: bool = False) -> Iterator[Connection]:
        """A connection for reading. SQLite reads in one transaction see one state of the store;
        ``snapshot`` asks the same of PostgreSQL (repeatable read), for a reader whose several
        queries must agree while writers commit."""
        with self.errors(), self.engine.connect() as conn:
            if snapshot and self.dialect == "postgresql":
                conn.execution_options(isolation_level="REPEATABLE READ")
            yield conn

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    # -- schema -------------------------------------------------------------------------------
    def _version(self, conn: Connection) -> int | None:
        tables = set(inspect(conn).get_table_names())
        if "storydiff_meta" not in tables:
            if self.dialect == "sqlite" and tables:
                raise ForeignDatabase(f"{self.where}: a database of another program (tables: {', '.join(sorted(tables)[:5])}); "
                                      "refusing to write into it")
            if tables & OUR_TABLES:
                raise ForeignDatabase(f"{self.where}: has tables named like storydiff's ({', '.join(sorted(tables & OUR_TABLES))}) "
                                      "but no storydiff_meta; refusing to write into it")
            return None
        row = conn.execute(select(meta.c.value).where(meta.c.key == "schema_version")).first()
        if row is None:
            raise ForeignDatabase(f"{self.where}: storydiff_meta has no schema_version")
        return int(row[0])

    def _migrate(self, create: bool) -> None:
        with self.engine.connect() as conn:
            version = self._version(conn)
            conn.rollback()
        if version == SCHEMA_VERSION:
            return
        if version is not None and version > SCHEMA_VERSION:
            raise SchemaTooNew(f"{self.where}: schema version {version} is newer than this storydiff knows "
                               f"({SCHEMA_VERSION}); upgrade storydiff")
        if version is None and not create:
            raise NotFound(f"{self.where}: empty database, no store yet")
        with self.write() as conn:  # under the writer lock: two processes never migrate at once
            version = self._version(conn) or 0
            for v, _what, step in MIGRATIONS:
                if v > version:
                    step(conn)
                    version = v
            self._set_meta(conn, "schema_version", str(version))
            if self._meta(conn, "created_at") is None:
                self._set_meta(conn, "created_at", now())

    def schema_version(self) -> int:
        with self.read() as conn:
            return self._version(conn) or 0

    # -- writes used by ingest ----------------------------------------------------------------
    def known(self, conn: Connection, hashes: list[str], urls: list[str]) -> tuple[dict[str, str], dict[str, str]]:
        """Which of these content hashes and URLs are stored already, each with the id of the article
        stored under it."""
        h = dict(conn.execute(select(articles.c.content_hash, articles.c.ext_id)
                              .where(articles.c.content_hash.in_(hashes))).all()) if hashes else {}
        u = dict(conn.execute(select(articles.c.url, articles.c.ext_id)
                              .where(articles.c.url.in_(urls))).all()) if urls else {}
        return h, u

    def free_ext_id(self, conn: Connection, ext_id: str) -> str:
        """``ext_id`` if unused, else ``ext_id#2``, ``#3``, ... (another text was stored under that id)."""
        taken = set(conn.execute(select(articles.c.ext_id).where(
            (articles.c.ext_id == ext_id) | articles.c.ext_id.like(ext_id.replace("%", r"\%").replace("_", r"\_") + "#%", escape="\\")
        )).scalars())
        if ext_id not in taken:
            return ext_id
        n = 2
        while f"{ext_id}#{n}" in taken:
            n += 1
        return f"{ext_id}#{n}"

    def index_for_search(self, conn: Connection, article_id: int, title: str | None, body: str) -> None:
        if self.dialect == "sqlite":
            conn.execute(text("INSERT INTO articles_fts(rowid, title, body) VALUES (:id, :t, :b)"),
                         {"id": article_id, "t": index_text(title or ""), "b": index_text(body)})
        else:
            conn.execute(text("INSERT INTO article_search(article_id, doc) VALUES "
                              "(:id, setweight(to_tsvector('simple', :t), 'A') || to_tsvector('simple', :b))"),
                         {"id": article_id, "t": index_text(title or ""), "b": index_text(body)})

    def refresh_stories(self, conn: Connection, story_ids: set[int]) -> None:
        """Recompute the aggregates of these stories from their articles."""
        for sid in story_ids:
            rows = conn.execute(select(articles.c.published, articles.c.outlet, articles.c.language, articles.c.duplicate_of)
                                .where(articles.c.story_id == sid)).all()
            published = [r.published for r in rows if r.published and ISO_DAY.match(r.published)]  # dates that were read (stored as ISO)
            conn.execute(stories.update().where(stories.c.id == sid).values(
                article_count=len(rows),
                independent_sources=sum(r.duplicate_of is None for r in rows),
                first_seen=min(published, default=None), last_seen=max(published, default=None),
                outlets=json.dumps(sorted({r.outlet for r in rows if r.outlet}), ensure_ascii=False),
                languages=json.dumps(sorted({r.language for r in rows if r.language})),
                updated_at=now()))

    def merge_stories(self, conn: Connection, into: int, story_ids: Iterable[int]) -> None:
        """Stories ``story_ids`` are story ``into``: their articles move there, each is marked merged
        (its id still leads to ``into``) and the merge is logged for the other writers' clusterers.
        The caller refreshes ``into``'s aggregates."""
        ids = [sid for sid in story_ids if sid != into]
        if not ids:
            return
        conn.execute(articles.update().where(articles.c.story_id.in_(ids)).values(story_id=into))
        conn.execute(stories.update().where(stories.c.id.in_(ids)).values(
            merged_into=into, article_count=0, independent_sources=0, updated_at=now()))
        # Stories merged into these earlier now lead to ``into`` in one step.
        conn.execute(stories.update().where(stories.c.merged_into.in_(ids)).values(merged_into=into))
        conn.execute(insert(story_merges), [{"story_id": sid, "into_id": into, "at": now()} for sid in ids])

    def merge(self, story_ids: Iterable[str | int]) -> dict[str, Any]:
        """Stories a reader knows to be one event, merged as ingest merges them: their articles go
        into the oldest (the lowest id), the other ids lead there, and the merge is logged so that
        every writer's clusterer follows it. Returns the merged story (as :meth:`story`)."""
        with self.write() as conn:
            live = {self._require_story(conn, parse_story_id(s)).id for s in story_ids}
            if len(live) < 2:
                raise InvalidQuery("merge needs two or more stories that are not one already")
            into = min(live)
            # the articles that come are logged as moves too: a story merged by hand is one a later
            # ingest's review leaves whole
            coming = conn.execute(select(articles.c.id).where(articles.c.story_id.in_(sorted(live - {into})))).scalars().all()
            self.merge_stories(conn, into, sorted(live - {into}))
            conn.execute(insert(story_moves), [{"article_id": a, "story_id": into, "at": now()} for a in coming])
            self.refresh_stories(conn, {into})
        return self.story(into)

    def move(self, article_ids: Iterable[str], to: str | int | None = None) -> dict[str, Any]:
        """Articles a reader knows to belong elsewhere, moved to story ``to`` (None: a new story, titled
        as its first article), each with the near-duplicate copies of it that its story holds. Each
        move is logged so that every writer's clusterer follows it; a story left empty leads to where
        its articles went. Returns the story they are in now."""
        ids = list(dict.fromkeys(article_ids))
        with self.write() as conn:
            rows = self._named(conn, ids, articles.c.title, articles.c.text)
            target = None if to is None else self._require_story(conn, parse_story_id(to)).id
            if target is not None and all(rows[i].story_id == target for i in ids):
                raise InvalidQuery(f"{', '.join(ids)} already in {story_key(target)}")
            target, _, changed = self.move_articles(conn, [rows[i] for i in ids], target)
            self.refresh_stories(conn, changed)
        return self.story(target)

    def move_articles(self, conn: Connection, rows: list[Any], target: int | None,
                      pins: bool = True) -> tuple[int, list[int], set[int]]:
        """Move the articles of ``rows`` (id, story_id, title, text) to story ``target`` (None: a new
        story titled as the first of them), each with the near-duplicate copies of it that its story
        holds; each move is logged so that every writer's clusterer follows it (and, if ``pins``,
        never splits the target again), and a story left empty leads to the target. Returns the
        target, the ids moved (copies included) and the stories whose aggregates the caller is to
        refresh."""
        if target is None:
            target = conn.execute(insert(stories).values(title=_title_of(rows[0]), outlets="[]", languages="[]", article_count=0,
                                                         independent_sources=0, updated_at=now())).inserted_primary_key[0]
        left = {r.story_id for r in rows} - {target}
        moved = [r.id for r in rows if r.story_id != target]
        going = set(moved)
        copies = {a for part in _parts(moved) for a in conn.execute(
            select(articles.c.id).where(articles.c.duplicate_of.in_(part), articles.c.story_id.in_(left))).scalars()}
        moved += sorted(copies - going)  # a wire copy goes with its original
        for part in _parts(moved):  # a review may move thousands: in chunks the database takes
            conn.execute(articles.update().where(articles.c.id.in_(part)).values(story_id=target))
        conn.execute(insert(story_moves), [{"article_id": a, "story_id": target, "pins": int(pins), "at": now()} for a in moved])
        gone_titles = {_title_of(r) for r in rows}
        titles, firsts = {}, {}  # each source story's title, and the first article it still holds
        for part in _parts(sorted(left)):
            titles.update(conn.execute(select(stories.c.id, stories.c.title).where(stories.c.id.in_(part))).all())
            heads = select(func.min(articles.c.id).label("id")).where(articles.c.story_id.in_(part)) \
                .group_by(articles.c.story_id).subquery()
            firsts.update((r.story_id, r) for r in conn.execute(
                select(articles.c.story_id, articles.c.title, articles.c.text).where(articles.c.id.in_(select(heads.c.id)))))
        emptied = left - firsts.keys()
        for sid, first in sorted(firsts.items()):
            if titles[sid] in gone_titles - {_title_of(first)}:  # titled after an article that left
                conn.execute(stories.update().where(stories.c.id == sid).values(title=_title_of(first)))
        self.merge_stories(conn, target, sorted(emptied))  # an emptied story's id leads to the target
        return target, moved, {target} | (left - emptied)

    def remove(self, article_ids: Iterable[str]) -> dict[str, Any]:
        """Articles a reader takes out of the store (ingested by mistake), by their ids: their rows,
        search entries and places in their stories go. Where a removed article was the original of
        near-duplicate copies that stay, the earliest copy becomes their original. Each removal is
        logged so that every writer's clusterer stops matching the article. All or nothing: an
        unknown id removes none. Returns ``{"removed": [ids], "stories": [ids of the stories they
        were in], "emptied": [those left with none]}``."""
        ids = list(dict.fromkeys(article_ids))
        with self.write() as conn:
            rows = self._named(conn, ids, also="; nothing was removed")
            gone = sorted(r.id for r in rows.values())
            self._promote_copies(conn, gone)
            top = conn.execute(select(func.max(articles.c.id))).scalar_one()
            if self.dialect == "sqlite" and top in gone:  # else SQLite would give the newest's id again
                self._set_meta(conn, ID_FLOOR, str(max(top, self._id_floor(conn))))
            search = "DELETE FROM articles_fts WHERE rowid IN :ids" if self.dialect == "sqlite" \
                else "DELETE FROM article_search WHERE article_id IN :ids"
            for part in _parts(gone):  # first: a removed copy no longer points at a removed original
                conn.execute(articles.update().where(articles.c.id.in_(part)).values(duplicate_of=None))
            for part in _parts(gone):
                conn.execute(text(search).bindparams(bindparam("ids", expanding=True)), {"ids": part})
                conn.execute(articles.delete().where(articles.c.id.in_(part)))
            conn.execute(insert(article_removals), [{"article_id": a, "at": now()} for a in gone])
            touched = {r.story_id for r in rows.values()}
            self.refresh_stories(conn, touched)
            emptied = []
            for sid in sorted(touched):
                first = conn.execute(select(articles.c.title, articles.c.text).where(articles.c.story_id == sid)
                                     .order_by(articles.c.id).limit(1)).first()
                if first is None:
                    emptied.append(sid)
                    continue
                kept = conn.execute(select(stories.c.title).where(stories.c.id == sid)).scalar_one()
                if conn.execute(select(articles.c.id).where(articles.c.story_id == sid, articles.c.title == kept)).first() is None:
                    # titled by a removed article: the title of the earliest left
                    conn.execute(stories.update().where(stories.c.id == sid).values(title=_title_of(first)))
        return {"removed": ids, "stories": [story_key(s) for s in sorted(touched)], "emptied": [story_key(s) for s in emptied]}

    def _named(self, conn: Connection, ids: list[str], *cols, also: str = "") -> dict[str, Any]:
        """The rows (id, ext_id, story_id and ``cols``) of the articles stored under ``ids``, by id;
        :class:`NotFound` naming the first ids that are not (``also`` ends its message)."""
        rows = {r.ext_id: r for part in _parts(ids) for r in conn.execute(
            select(articles.c.id, articles.c.ext_id, articles.c.story_id, *cols).where(articles.c.ext_id.in_(part)))}
        missing = [i for i in ids if i not in rows]
        if missing:
            raise NotFound(f"no article {', '.join(repr(m) for m in missing[:5])} in {self.where}{also}")
        return rows

    def _promote_copies(self, conn: Connection, gone: list[int]) -> None:
        """The copies (near-duplicates) of the articles ``gone`` that stay: the earliest of each
        becomes the original, the others its copies."""
        heads: dict[int, list[int]] = {}
        for part in _parts(gone):
            for cid, orig in conn.execute(select(articles.c.id, articles.c.duplicate_of).where(
                    articles.c.duplicate_of.in_(part)).order_by(articles.c.id)):
                heads.setdefault(orig, []).append(cid)
        removed = set(gone)
        for copies in heads.values():
            copies = [c for c in copies if c not in removed]
            if copies:
                conn.execute(articles.update().where(articles.c.id == copies[0]).values(duplicate_of=None))
                for part in _parts(copies[1:]):
                    conn.execute(articles.update().where(articles.c.id.in_(part)).values(duplicate_of=copies[0]))

    def _id_floor(self, conn: Connection) -> int:
        return int(self._meta(conn, ID_FLOOR) or 0)

    def _meta(self, conn: Connection, key: str) -> str | None:
        return conn.execute(select(meta.c.value).where(meta.c.key == key)).scalar()

    def _set_meta(self, conn: Connection, key: str, value: str) -> None:
        if self._meta(conn, key) is None:
            conn.execute(insert(meta).values(key=key, value=value))
        else:
            conn.execute(meta.update().where(meta.c.key == key).values(value=value))

    def next_article_id(self, conn: Connection) -> int | None:
        """The id the next stored article must take, or None to let the database choose. SQLite
        numbers a new row after the highest id there is, so once the newest article was removed it
        would hand that id out again, and another writer's clusterer, which had read the removed
        article under it, would never read the new one; the removal leaves a floor to count from."""
        if self.dialect != "sqlite":
            return None  # PostgreSQL's sequence never gives an id twice
        floor = self._id_floor(conn)
        top = conn.execute(select(func.max(articles.c.id))).scalar() or 0
        return floor + 1 if top < floor else None

    def add_failures(self, conn: Connection, items: list[Failure]) -> None:
        """Record failures once: the same input failing again on a rerun is not listed twice."""
        for f in items:
            line = failures.c.line.is_(None) if f.line is None else failures.c.line == f.line
            if not conn.execute(select(failures.c.id).where((failures.c.source == f.source)
                                                            & (failures.c.reason == f.reason) & line)).first():
                conn.execute(insert(failures).values(source=f.source, line=f.line, reason=f.reason, at=now()))

    # -- reads --------------------------------------------------------------------------------
    def files(self) -> list[Path]:
        """The files a SQLite store keeps (the database, its write-ahead log and shared memory, a
        rollback journal), resolved; none for a server."""
        if self.dialect != "sqlite" or self.where == ":memory:":
            return []
        db = Path(self.where).resolve()
        return [db] + [db.with_name(db.name + suffix) for suffix in ("-wal", "-shm", "-journal", SNAPSHOT_SUFFIX)]

    def snapshot_path(self) -> Path | None:
        """Where a writer leaves its clusterer's state for the next one to start from: beside a
        SQLite file (``storydiff.db-clusterer``); None for a server or an in-memory store."""
        own = self.files()
        return own[0].with_name(own[0].name + SNAPSHOT_SUFFIX) if own else None

    def uid(self, conn: Connection, create: bool = False) -> str | None:
        """A random id of this store, given when first asked for with ``create``: a snapshot of a
        clusterer names the store it was taken of (another store at the same path is another)."""
        uid = self._meta(conn, STORE_UID)
        if uid is None and create:
            uid = uuid.uuid4().hex
            self._set_meta(conn, STORE_UID, uid)
        return uid

    def counts(self) -> dict[str, int]:
        with self.read() as conn:
            return _counts(conn)

    def info(self, top: int = 10) -> dict[str, Any]:
        """What the store holds, at a glance: where it is, its schema and encoder, its counts, the
        publication days it spans, and its languages and ``top`` outlets by article count."""
        with self.read() as conn:
            kept = dict(conn.execute(select(meta.c.key, meta.c.value)).all())
            days = conn.execute(select(func.min(articles.c.published), func.max(articles.c.published))
                                .where(articles.c.published.like("____-__-__%"))).one()  # read as dates (ISO)

            def by(col, n=None):
                q = (select(col, func.count()).where(col.is_not(None)).group_by(col)
                     .order_by(func.count().desc(), col).limit(n))
                return dict(conn.execute(q).all())

            dups = conn.execute(select(func.count()).select_from(articles).where(articles.c.duplicate_of.is_not(None))).scalar_one()
            languages, outlets, counts = by(articles.c.language), by(articles.c.outlet, top), _counts(conn)
        return {"where": self.where, "dialect": self.dialect, "schema_version": int(kept.get("schema_version", 0)),
                "created_at": kept.get("created_at"), "encoder": kept.get("encoder"), **counts,
                "near_duplicates": dups, "published": {"first": days[0], "last": days[1]},
                "languages": languages, "top_outlets": outlets}

    def stories(self, since: str | None = None, outlet: str | None = None, language: str | None = None,
                min_articles: int = 1, limit: int | None = None, until: str | None = None,
                sort: str = "recent") -> list[dict[str, Any]]:
        """Stories, most recently seen first (``sort="size"``: most independent sources first, then
        most articles), each with its article ids in arrival order. ``since``
        keeps those last seen on or after that day, ``until`` those first seen on or before it (so
        both together keep the stories active in that window); see :func:`parse_day`."""
        if sort not in ("recent", "size"):
            raise InvalidQuery(f"sort: {sort!r} is neither 'recent' nor 'size'")
        q = select(stories).where(stories.c.merged_into.is_(None), stories.c.article_count >= min_articles)
        start, end = _window(since, until)
        if start:
            q = q.where(stories.c.last_seen >= start)
        if end:
            q = q.where(stories.c.first_seen < end)
        with self.read() as conn:
            for given in ({"outlet": outlet}, {"language": language}):  # each by any of the story's articles
                if any(given.values()):
                    where = self._article_where(conn, **given)
                    if where is None:
                        return []
                    q = q.where(stories.c.id.in_(select(articles.c.story_id).where(*where)))
            recent = stories.c.last_seen.desc().nulls_last()
            size = (stories.c.independent_sources.desc(), stories.c.article_count.desc())
            q = q.order_by(*((recent, *size) if sort == "recent" else (*size, recent)), stories.c.id)
            if limit:
                q = q.limit(limit)
            rows = conn.execute(q).all()
            members = self._members(conn, [r.id for r in rows])
        return [_story_dict(r, members.get(r.id, [])) for r in rows]

    def _members(self, conn: Connection, story_ids: list[int]) -> dict[int, list[str]]:
        out: dict[int, list[str]] = {}
        for i in range(0, len(story_ids), 500):
            chunk = story_ids[i : i + 500]
            for sid, ext in conn.execute(select(articles.c.story_id, articles.c.ext_id)
                                         .where(articles.c.story_id.in_(chunk)).order_by(articles.c.id)):
                out.setdefault(sid, []).append(ext)
        return out

    def story(self, story_id: str | int) -> dict[str, Any]:
        """One story with the metadata of each article (and what each duplicates). The id of a story
        merged into another gives that one; ``merged`` lists the ids merged into it."""
        with self.read() as conn:
            return self.story_in(conn, story_id)

    def story_in(self, conn: Connection, story_id: str | int) -> dict[str, Any]:
        """:meth:`story`, read through ``conn`` (a caller's read transaction, to read more with it)."""
        row = self._require_story(conn, parse_story_id(story_id))
        sid = row.id
        if not row.article_count:
            raise NotFound(f"story {story_key(sid)} in {self.where} holds no article: they were removed")
        merged = conn.execute(select(stories.c.id).where(stories.c.merged_into == sid).order_by(stories.c.id)).scalars()
        merged = [story_key(m) for m in merged]
        orig = articles.alias("orig")
        arts = conn.execute(
            select(articles.c.ext_id, articles.c.title, articles.c.outlet, articles.c.url, articles.c.published,
                   articles.c.language, articles.c.word_count, orig.c.ext_id.label("duplicate_of"))
            .outerjoin(orig, articles.c.duplicate_of == orig.c.id)
            .where(articles.c.story_id == sid).order_by(articles.c.id)).all()
        d = _story_dict(row, [a.ext_id for a in arts])
        d["merged"] = merged
        d["article_details"] = [dict(a._mapping) for a in arts]
        return d

    def story_articles(self, story_id: str | int, limit: int | None = None) -> list[Article]:
        """The analysed articles of a story as ``Article`` objects: independent coverage first (near-
        duplicates last), earliest first; at most ``limit``."""
        q = select(articles.c.ext_id, articles.c.text, articles.c.analysis, *(articles.c[k] for k in METADATA_FIELDS))
        q = q.order_by(articles.c.duplicate_of.is_not(None), articles.c.published.nulls_last(), articles.c.id)
        if limit:
            q = q.limit(limit)
        with self.read() as conn:
            sid = self._require_story(conn, parse_story_id(story_id)).id
            rows = conn.execute(q.where(articles.c.story_id == sid)).all()
        return [Article.from_dict({**json.loads(r.analysis), **{k: getattr(r, k) for k in METADATA_FIELDS}, "id": r.ext_id, "text": r.text})
                for r in rows]

    def search(self, query: str, limit: int = 20, *, outlet: str | None = None, language: str | None = None,
               since: str | None = None, until: str | None = None, story: str | int | None = None) -> list[dict[str, Any]]:
        """Articles matching every word of ``query`` (titles weigh more), best first; only those from
        ``outlet``, in ``language``, published in the ``since`` .. ``until`` window (as for
        :meth:`stories`; undated articles are then left out) or in ``story``, when given."""
        q = fts_query(query)
        if not q:
            return []
        with self.read() as conn:
            where = self._article_where(conn, outlet, language, since, until, story)
            if where is None:
                return []
            if self.dialect == "sqlite":  # snippets below, for the rows kept only
                # unfiltered, the best are taken inside the index (ranking every match, then joining
                # only these, is twice as fast as joining every match)
                sql, params = "SELECT rowid AS id, -bm25(articles_fts, 4.0, 1.0) AS score FROM articles_fts " \
                              "WHERE articles_fts MATCH :q", {"q": q}
                if not where:
                    sql, params["limit"] = sql + " ORDER BY score DESC, id LIMIT :limit", limit
                hit = text(sql).bindparams(**params).columns(id=Integer, score=Float).subquery("hit")
                snip = literal_column("NULL")
            else:  # PostgreSQL computes a costly output column after the sort and limit
                tsq = func.plainto_tsquery("simple", index_text(query))
                doc = table("article_search", column("article_id"), column("doc"))  # made by raw DDL (schema.py)
                hit = select(doc.c.article_id.label("id"), func.ts_rank(doc.c.doc, tsq).label("score")) \
                    .where(doc.c.doc.bool_op("@@")(tsq)).subquery("hit")
                snip = func.ts_headline("simple", articles.c.text, tsq, "StartSel=[,StopSel=],MaxWords=20,MinWords=8")
            rows = conn.execute(select(articles.c.id, articles.c.ext_id, articles.c.title, articles.c.outlet,
                                       articles.c.published, articles.c.story_id, hit.c.score, snip.label("snippet"))
                                .join_from(hit, articles, articles.c.id == hit.c.id).where(*where)
                                .order_by(hit.c.score.desc(), articles.c.id).limit(limit)).all()
            snips = {r.id: r.snippet for r in rows}
            if self.dialect == "sqlite" and rows:
                snips = dict(conn.execute(text(
                    "SELECT rowid, snippet(articles_fts, 1, '[', ']', ' … ', 16) FROM articles_fts "
                    "WHERE articles_fts MATCH :q AND rowid IN :ids").bindparams(bindparam("ids", expanding=True)),
                    {"q": q, "ids": list(snips)}).all())
            own = [i for i, s in snips.items() if needs_own_snippet(s)]  # texts read only for these
            texts = dict(conn.execute(select(articles.c.id, articles.c.text).where(articles.c.id.in_(own))).all()) if own else {}
        words = query_words(query)
        return [{"id": r.ext_id, "title": r.title, "outlet": r.outlet, "published": r.published,
                 "story": story_key(r.story_id), "score": float(f"{r.score:.4g}"),
                 "snippet": snippet(texts[r.id], words) if r.id in texts else " ".join(snips[r.id].split())}
                for r in rows]

    def _article_where(self, conn: Connection, outlet: str | None = None, language: str | None = None,
                       since: str | None = None, until: str | None = None, story: str | int | None = None) -> list | None:
        """Conditions on ``articles`` keeping those from ``outlet`` (as spelled in any case), in
        ``language``, published in the ``since`` .. ``until`` window (undated ones left out) and in
        ``story``; None when no article can match. Raises InvalidQuery / NotFound for bad values."""
        start, end = _window(since, until)
        where = []
        for col, value in ((articles.c.outlet, outlet), (articles.c.language, language)):
            if value:
                spelled = _spelled(conn, col, value)
                if not spelled:
                    return None
                where.append(col.in_(spelled))
        if start or end:  # dates that were read are stored as ISO; what was kept as written is left out
            where.append(articles.c.published.like("____-__-__%"))
        if start:
            where.append(articles.c.published >= start)
        if end:
            where.append(articles.c.published < end)
        if story is not None:
            where.append(articles.c.story_id == self._require_story(conn, parse_story_id(story)).id)
        return where

    def failures(self) -> list[dict[str, Any]]:
        with self.read() as conn:
            return [dict(r._mapping) for r in conn.execute(select(failures).order_by(failures.c.id))]

    def iter_articles(self, with_analysis: bool = False, chunk: int = 1000, story: str | int | None = None, *,
                      outlet: str | None = None, language: str | None = None, since: str | None = None,
                      until: str | None = None) -> Iterator[dict[str, Any]]:
        """Every stored article (or those that pass the filters of :meth:`search`) as a flat record
        (for export), in arrival order, streamed. A bad filter (an unknown story, no date) raises
        :class:`NotFound` / :class:`InvalidQuery` before anything is yielded."""
        orig = articles.alias("orig")
        cols = [articles.c.id, articles.c.ext_id, articles.c.story_id, orig.c.ext_id.label("duplicate_of"),
                articles.c.title, articles.c.outlet, articles.c.url, articles.c.published, articles.c.language,
                articles.c.author, articles.c.translator, articles.c.original_url, articles.c.word_count,
                articles.c.ingested_at, articles.c.text]
        if with_analysis:
            cols.append(articles.c.analysis)
        with self.read() as conn:
            where = self._article_where(conn, outlet, language, since, until, story)
        return self._iter_records(cols, orig, where, with_analysis, chunk) if where is not None else iter(())

    def _iter_records(self, cols, orig, where, with_analysis: bool, chunk: int) -> Iterator[dict[str, Any]]:
        base = select(*cols).outerjoin(orig, articles.c.duplicate_of == orig.c.id).order_by(articles.c.id)
        for rows in self._pages(base, where, chunk):
            for r in rows:
                d = dict(r._mapping)
                d.pop("id")
                rec = {"id": d.pop("ext_id"), "story": story_key(d.pop("story_id")), **d}
                if with_analysis:
                    rec["analysis"] = json.loads(rec["analysis"])
                yield rec

    def _pages(self, base, where: list, chunk: int) -> Iterator[list]:
        """The rows of ``base`` (ordered by article id) that pass ``where``, ``chunk`` at a time, each
        page read in its own transaction. Filtered: the ids first, through the filters' indexes (in
        id order, SQLite would walk the whole table instead), then their rows. Else the table in id
        order."""
        if where:
            with self.read() as conn:
                ids = sorted(conn.execute(select(articles.c.id).where(*where)).scalars())
            step = min(chunk, BIND_CHUNK)
            for at in range(0, len(ids), step):
                with self.read() as conn:
                    yield conn.execute(base.where(articles.c.id.in_(ids[at : at + step]))).all()  # fewer if removed meanwhile
            return
        last = 0
        while True:
            with self.read() as conn:
                rows = conn.execute(base.where(articles.c.id > last).limit(chunk)).all()
            if not rows:
                return
            yield rows
            last = rows[-1].id

    def _require_story(self, conn, sid: int) -> Any:
        """The story row ``sid`` (or the row of the story it was merged into), or :class:`NotFound`."""
        row = conn.execute(select(stories).where(stories.c.id == sid)).first()
        if row is None:
            raise NotFound(f"no story {story_key(sid)} in {self.where}")
        while row.merged_into is not None:
            row = conn.execute(select(stories).where(stories.c.id == row.merged_into)).one()
        return row


BIND_CHUNK = 500  # values bound in one statement at most (SQLite caps them)


def _parts(items: list) -> Iterator[list]:
    """``items`` in lists of BIND_CHUNK."""
    for i in range(0, len(items), BIND_CHUNK):
        yield items[i : i + BIND_CHUNK]


def _title_of(row: Any) -> str:
    """A story's title from an article row (``title``, ``text``): its title, else its first line."""
    return row.title or row.text.strip().split("\n", 1)[0][:120]


def article_count(conn: Connection) -> int:
    return conn.execute(select(func.count()).select_from(articles)).scalar_one()


def article_tally(conn: Connection) -> tuple[int, int]:
    """How many articles are stored, and the sum of their ids: a clusterer in step with the store
    holds the same (corpus.StoreClusterer.live)."""
    n, total = conn.execute(select(func.count(), func.coalesce(func.sum(articles.c.id), 0))).one()
    return int(n), int(total)


def _counts(conn: Connection) -> dict[str, int]:
    """Articles, stories not merged into another and holding articles, and failures recorded."""
    return {
        "articles": article_count(conn),
        "stories": conn.execute(select(func.count()).select_from(stories).where(
            stories.c.merged_into.is_(None), stories.c.article_count > 0)).scalar_one(),  # emptied by removals: not counted
        "failures": conn.execute(select(func.count()).select_from(failures)).scalar_one(),
    }


def _window(since: str | None, until: str | None) -> tuple[str | None, str | None]:
    """``--since`` / ``--until`` as bounds on ISO dates: the first day's start and the start of the day
    after the last (so "2026-03-10T23:00" counts as the 10th); :class:`InvalidQuery` for what is no day."""
    days: dict[str, date] = {}
    for name, value in (("since", since), ("until", until)):
        if value:
            day = parse_day(str(value))
            if day is None:
                raise InvalidQuery(f"{name}: {value!r} is not a date (expected a day such as 2026-11-01, "
                                   "'March 8, 2026', 'yesterday' or a span back from now such as 7d or 24h)")
            days[name] = day
    if "since" in days and "until" in days and days["since"] > days["until"]:
        raise InvalidQuery(f"since ({days['since']}) is after until ({days['until']}): nothing can match")
    start, last = days.get("since"), days.get("until")
    return (start.isoformat() if start else None), ((last + timedelta(days=1)).isoformat() if last else None)


def _spelled(conn: Connection, col, value: str) -> list[str]:
    """The stored values of ``col`` that are ``value`` but for case and surrounding spaces ("coastal
    wire" finds "Coastal Wire", "EN" finds "en"); SQL's lower() folds ASCII only, so this is done here."""
    want = value.strip().casefold()
    return [v for (v,) in conn.execute(select(col).where(col.is_not(None)).distinct()) if v.strip().casefold() == want]


def _story_dict(row: Any, article_ids: list[str]) -> dict[str, Any]:
    return {
        "id": story_key(row.id),
        "title": row.title,
        "articles": article_ids,
        "article_count": row.article_count,
        "independent_sources": row.independent_sources,
        "first_seen": row.first_seen,
        "last_seen": row.last_seen,
        "outlets": json.loads(row.outlets),
        "languages": json.loads(row.languages),
    }
