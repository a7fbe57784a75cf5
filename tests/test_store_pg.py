"""The same store code path against a real PostgreSQL server that the tests start themselves."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import create_engine, inspect, text

from storydiff.cli import main
from storydiff.corpus import explain_story, ingest
from storydiff.errors import ForeignDatabase, StoreUnavailable
from storydiff.settings import Settings
from storydiff.store import SCHEMA_VERSION, Store

from .pgserver import PgServer, pg_bin
from .test_store import DEAL, FAST, WALKOUT, _ingest_proc, check_search_filters, corpus, write_jsonl

pytestmark = pytest.mark.skipif(pg_bin() is None, reason="PostgreSQL binaries absent (Debian package postgresql; "
                                                         "`make test` installs it via scripts/ensure-postgres)")


@pytest.fixture()
def pg():
    server = PgServer()
    yield server
    server.close()


def pg_consistent(url: str) -> int:
    eng = create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
    with eng.connect() as c:
        n = c.execute(text("SELECT count(*) FROM articles")).scalar_one()
        assert c.execute(text("SELECT count(DISTINCT content_hash) FROM articles")).scalar_one() == n
        assert c.execute(text("SELECT coalesce(sum(article_count), 0) FROM stories")).scalar_one() == n
        assert c.execute(text("SELECT count(*) FROM article_search")).scalar_one() == n
    eng.dispose()
    return n


def test_postgres_store_end_to_end(pg, tmp_path):
    src = write_jsonl(tmp_path / "c.jsonl", corpus(3) + [{"id": "zh-1", "text": "林德港码头工人周二结束罢工，港口恢复运营。"}])
    with Store(pg.url) as store:
        assert store.dialect == "postgresql" and store.schema_version() == SCHEMA_VERSION
        assert ingest([src], store, FAST).added == 10
        assert ingest([src], store, FAST).already_stored == 10
        stories = store.stories()
        by_article = {a: s["id"] for s in stories for a in s["articles"]}
        assert len({by_article[f"e1-{k}"] for k in range(3)}) == 1
        assert {h["id"] for h in store.search("earthquake Arvel")} == {f"e1-{k}" for k in range(3)}
        zh_hit = store.search("港口")[0]
        assert zh_hit["id"] == "zh-1" and "结束罢工，[港口]恢复运营" in zh_hit["snippet"]
        assert len(store.story_articles(by_article["e0-0"])) == 3
        check_search_filters(store, by_article)
        assert [s["independent_sources"] for s in store.stories(sort="size", until="2026-03-12")] == [3, 3, 3]
        info = store.info()
        assert (info["dialect"], info["articles"], info["schema_version"]) == ("postgresql", 10, SCHEMA_VERSION)
        split = store.move(["e0-2"], None)  # by hand, as on SQLite: out to a story of its own, then back
        assert split["articles"] == ["e0-2"] and len(store.story_articles(by_article["e0-0"])) == 2
        back = store.merge([by_article["e0-0"], split["id"]])
        assert back["id"] == by_article["e0-0"] and sorted(back["articles"]) == ["e0-0", "e0-1", "e0-2"]
        assert store.remove(["zh-1"])["emptied"] == [by_article["zh-1"]]  # rows, search entry and story count go
        assert store.search("港口") == [] and store.counts()["stories"] == 3
        assert ingest([write_jsonl(tmp_path / "z.jsonl", [{"id": "zh-2", "text": "林德港码头工人周二结束罢工，港口恢复运营。"}])],
                      store, FAST).added == 1  # the removed text may be stored again
    assert pg_consistent(pg.url) == 10
    res = CliRunner().invoke(main, ["stories", "--db", pg.url, "--format", "json"])
    assert res.exit_code == 0 and len(json.loads(res.stdout)["stories"]) == len(stories)


def test_postgres_story_merges_and_migration_from_version_1(pg, tmp_path):
    with Store(pg.url) as store:
        ingest([write_jsonl(tmp_path / "a.jsonl", [{"id": "walkout", "text": WALKOUT}, {"id": "deal", "text": DEAL}])], store, FAST)
    eng = create_engine(pg.url.replace("postgresql://", "postgresql+psycopg://"))
    with eng.begin() as c:  # back to what version 1 wrote
        c.execute(text("ALTER TABLE stories DROP COLUMN merged_into"))  # and its index
        c.execute(text("DROP INDEX ix_stories_last_seen"))
        c.execute(text("DROP INDEX ix_articles_duplicate_of"))
        c.execute(text("DROP TABLE story_merges"))
        c.execute(text("ALTER TABLE story_moves DROP COLUMN pins"))  # version 6's
        c.execute(text("UPDATE storydiff_meta SET value = '1' WHERE key = 'schema_version'"))
    eng.dispose()
    with Store(pg.url) as store:
        assert store.schema_version() == SCHEMA_VERSION
        with store.read() as conn:
            indexes = {i["name"] for t in ("stories", "articles") for i in inspect(conn).get_indexes(t)}
        assert {"ix_stories_last_seen", "ix_stories_merged_into", "ix_articles_duplicate_of"} <= indexes
        with store.read() as conn:
            assert "pins" in {c["name"] for c in inspect(conn).get_columns("story_moves")}
        r = ingest([write_jsonl(tmp_path / "b.jsonl", [{"id": "both", "text": WALKOUT + " Then " + DEAL}])], store, FAST)
        assert r.merged_stories == 1
        (only,) = store.stories()
        assert only["articles"] == ["walkout", "deal", "both"]
        assert store.story("s2")["id"] == only["id"] == "s1"
        links = explain_story(store, "s2")["links"]  # why each is there, read from PostgreSQL
        assert {(link["article"], link["to"]) for link in links if link["article"] != "both"} == {("walkout", "both"), ("deal", "both")}
        with store.read(snapshot=True) as conn:  # a reader's queries agree while a writer commits
            count = conn.execute(text("SELECT count(*) FROM articles")).scalar()
            ingest([write_jsonl(tmp_path / "c.jsonl", [{"id": "later", "text": DEAL + " Later."}])], store, FAST)
            assert conn.execute(text("SELECT count(*) FROM articles")).scalar() == count == 3
        with store.read() as conn:
            assert conn.execute(text("SELECT count(*) FROM articles")).scalar() == 4
    assert pg_consistent(pg.url) == 4


def test_postgres_two_writers_and_foreign_tables(pg, tmp_path):
    recs = corpus(5)
    a = write_jsonl(tmp_path / "a.jsonl", recs[:10])
    b = write_jsonl(tmp_path / "b.jsonl", recs[5:][::-1])
    p1, p2 = _ingest_proc(a, pg.url), _ingest_proc(b, pg.url)  # both also race to create the schema
    for p in (p1, p2):
        _, err = p.communicate(timeout=300)
        assert p.returncode == 0, err
    assert pg_consistent(pg.url) == len(recs)
    eng = create_engine(pg.url.replace("postgresql://", "postgresql+psycopg://"))
    with eng.begin() as c:
        c.execute(text("DROP TABLE storydiff_meta"))
    eng.dispose()
    with pytest.raises(ForeignDatabase):
        Store(pg.url)


def test_postgres_goes_away_mid_ingest(pg, tmp_path):
    recs = corpus(6)
    src = write_jsonl(tmp_path / "c.jsonl", recs)
    store = Store(pg.url)
    stopped = []

    def stop_after_first_batch(report):
        if report.added and not stopped:
            pg.stop("immediate")
            stopped.append(report.added)

    with pytest.raises(StoreUnavailable, match=str(pg.port)):
        ingest([src], store, FAST, progress=stop_after_first_batch, batch=3)
    store.close()
    pg.start()
    committed = pg_consistent(pg.url)
    assert committed == stopped[0]  # what was committed before the server went is all there
    with Store(pg.url) as store:
        r = ingest([src], store, FAST)
    assert r.already_stored == committed and pg_consistent(pg.url) == len(recs)
    res = CliRunner().invoke(main, ["stories", "--db", "postgresql://postgres@127.0.0.1:1/none"])
    assert res.exit_code == 1 and "127.0.0.1:1" in res.stderr


def test_postgres_keeps_the_clusterer_state_in_a_folder_of_its_own(pg, tmp_path, monkeypatch):
    """A server store has no file beside it: its state is kept in ``state_dir`` (by default the
    user's cache folder), one file per store, and the next writer starts from it as on SQLite."""
    import storydiff.corpus as corpus_module
    from storydiff.corpus import StoreClusterer, saved_state

    from .test_store import _state_of

    monkeypatch.setattr(corpus_module, "KEEP_STATE_FROM", 0)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    with Store(pg.url) as store:
        ingest([write_jsonl(tmp_path / "a.jsonl", corpus(2))], store, FAST)
        cached = saved_state(store)  # no state_dir: the cache folder
        assert cached["usable"] and cached["articles"] == 6
        assert Path(cached["path"]).parent == tmp_path / "cache" / "storydiff"
        assert saved_state(store, tmp_path / "states") is None  # another folder holds none yet
        settings = Settings(encoder="hashing", state_dir=str(tmp_path / "states"))
        assert ingest([write_jsonl(tmp_path / "b.jsonl", corpus(1, start=2))], store, settings).from_saved_state == 0
        state = saved_state(store, tmp_path / "states")
        assert state["usable"] and state["articles"] == 9 and len(list((tmp_path / "states").iterdir())) == 1
        r = ingest([write_jsonl(tmp_path / "c.jsonl", corpus(1, start=3))], store, settings)
        assert (r.from_saved_state, r.added) == (9, 3)
        fresh = StoreClusterer()
        with store.read() as conn:
            fresh.sync(conn)
        from storydiff.cluster import snapshot

        assert _state_of(snapshot.load(Path(state["path"]), {})) == _state_of(fresh)
    assert pg_consistent(pg.url) == 12
