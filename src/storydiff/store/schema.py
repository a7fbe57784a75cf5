"""The store's tables (SQLAlchemy Core), the same on SQLite and PostgreSQL, and its migrations.

Schema changes are migrations: functions appended to MIGRATIONS, run in order, each in its own
transaction, the version recorded in ``storydiff_meta``. Never edit a released migration."""

from __future__ import annotations

from typing import Callable

from sqlalchemy import (Column, Connection, ForeignKey, Index, Integer, LargeBinary, MetaData, String, Table,
                        Text, inspect, text)

metadata = MetaData()

meta = Table(
    "storydiff_meta", metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

stories = Table(
    "stories", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("title", Text),
    Column("first_seen", String(40)),
    Column("last_seen", String(40)),
    Column("article_count", Integer, nullable=False, default=0),
    Column("independent_sources", Integer, nullable=False, default=0),
    Column("outlets", Text, nullable=False, default="[]"),  # JSON list
    Column("languages", Text, nullable=False, default="[]"),  # JSON list
    Column("updated_at", String(40)),
    Column("merged_into", Integer),  # set when an article showed this story to be another (since v2)
    Index("ix_stories_last_seen", "last_seen"),  # since v5
    # since v5; partial, so that listing the stories not merged (IS NULL) never walks it
    Index("ix_stories_merged_into", "merged_into", sqlite_where=text("merged_into IS NOT NULL"),
          postgresql_where=text("merged_into IS NOT NULL")),
)


def _log(name: str, *columns: Column) -> Table:
    """A log every writer's clusterer replays: an id that orders it, ``columns``, and when."""
    return Table(name, metadata, Column("id", Integer, primary_key=True, autoincrement=True), *columns,
                 Column("at", String(40), nullable=False))


# Story merges in the order they were made (since v2).
story_merges = _log("story_merges", Column("story_id", Integer, nullable=False), Column("into_id", Integer, nullable=False))

# Articles moved to another story, in order (since v3): by a reader, by a review's split of a story
# holding two events, or by a review's rejoin of a lone report to a larger story (StoryClusterer.rejoin).
# ``pins`` (since v6): whether the story moved to is never split again (a reader's or a split's move;
# a rejoin's is not).
story_moves = _log("story_moves", Column("article_id", Integer, nullable=False), Column("story_id", Integer, nullable=False),
                   Column("pins", Integer, nullable=False, server_default=text("1")))

# Articles a reader removed from the store, in order (since v4): their rows are deleted; every
# writer's clusterer replays this to stop matching them.
article_removals = _log("article_removals", Column("article_id", Integer, nullable=False))

articles = Table(
    "articles", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("ext_id", Text, nullable=False, unique=True),  # the id the user gave (file name, JSONL id)
    Column("content_hash", String(64), nullable=False, unique=True),
    Column("url", Text, unique=True),  # NULLs are distinct in both databases
    Column("title", Text),
    Column("outlet", Text),
    Column("published", String(40)),
    Column("language", String(16)),
    Column("author", Text),
    Column("translator", Text),
    Column("original_url", Text),
    Column("source_path", Text),
    Column("text", Text, nullable=False),
    Column("analysis", Text, nullable=False),  # JSON: the annotation layers (Article.to_dict)
    Column("word_count", Integer, nullable=False),
    Column("story_id", Integer, ForeignKey("stories.id"), nullable=False),
    Column("duplicate_of", Integer, ForeignKey("articles.id")),
    Column("vector", LargeBinary, nullable=False),  # float16 document vector
    Column("terms", Text, nullable=False),  # key terms, \x1f-separated
    Column("signature", LargeBinary),  # MinHash, NUM_PERM uint32
    Column("ingested_at", String(40), nullable=False),
    Index("ix_articles_story", "story_id"),
    Index("ix_articles_published", "published"),
    Index("ix_articles_outlet", "outlet"),
    Index("ix_articles_language", "language"),
    Index("ix_articles_duplicate_of", "duplicate_of"),  # since v5
)

failures = Table(
    "failures", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("source", Text, nullable=False),
    Column("line", Integer),
    Column("reason", Text, nullable=False),
    Column("at", String(40), nullable=False),
)

OUR_TABLES = {"storydiff_meta", "stories", "articles", "failures", "articles_fts", "article_search", "story_merges",
              "story_moves", "article_removals"}


def _v1(conn: Connection) -> None:
    metadata.create_all(conn)
    # Full-text search: an FTS5 table on SQLite, a tsvector table with a GIN index on PostgreSQL.
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql(
            "CREATE VIRTUAL TABLE articles_fts USING fts5(title, body, tokenize='unicode61 remove_diacritics 2')")
    else:
        conn.execute(text("CREATE TABLE article_search (article_id INTEGER PRIMARY KEY REFERENCES articles(id), "
                          "doc tsvector NOT NULL)"))
        conn.execute(text("CREATE INDEX ix_article_search_doc ON article_search USING GIN (doc)"))


def _v2(conn: Connection) -> None:
    # A store made by v1 of this code lacks both; one made since has them from _v1's create_all.
    if "merged_into" not in {c["name"] for c in inspect(conn).get_columns("stories")}:
        conn.execute(text("ALTER TABLE stories ADD COLUMN merged_into INTEGER"))
    story_merges.create(conn, checkfirst=True)


def _v3(conn: Connection) -> None:
    story_moves.create(conn, checkfirst=True)  # made by _v1's create_all in a store made since


def _v4(conn: Connection) -> None:
    article_removals.create(conn, checkfirst=True)


def _v5(conn: Connection) -> None:
    # A store made since has them from _v1's create_all.
    for table in (stories, articles):
        for index in table.indexes:
            if index.name in V5_INDEXES:
                index.create(conn, checkfirst=True)


def _v6(conn: Connection) -> None:
    # A store made since has it from _v1's (or _v3's) create_all; the moves logged before all pinned.
    if "pins" not in {c["name"] for c in inspect(conn).get_columns("story_moves")}:
        conn.execute(text("ALTER TABLE story_moves ADD COLUMN pins INTEGER NOT NULL DEFAULT 1"))


V5_INDEXES = {"ix_stories_last_seen", "ix_stories_merged_into", "ix_articles_duplicate_of"}

MIGRATIONS: list[tuple[int, str, Callable[[Connection], None]]] = [
    (1, "articles, stories, failures, full-text search", _v1),
    (2, "story merges: stories.merged_into and the story_merges log", _v2),
    (3, "articles moved by hand: the story_moves log", _v3),
    (4, "articles removed by hand: the article_removals log", _v4),
    (5, "indexes for large stores: stories by last seen and by merged_into, articles by duplicate_of", _v5),
    (6, "story moves that do not pin their story (a review's rejoin): story_moves.pins", _v6),
]
SCHEMA_VERSION = MIGRATIONS[-1][0]
