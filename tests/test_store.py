"""The corpus store on SQLite: ingest is idempotent, transactional and resumable; stories, search,
export and failures; crashes, concurrent writers and bad database files. (PostgreSQL: test_store_pg.)"""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from dataclasses import replace
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from storydiff.cli import main
from storydiff.cluster.features import featurize
from storydiff.corpus import StoreClusterer, ingest
from storydiff.embed import get_encoder
from storydiff.errors import CorruptStore, ForeignDatabase, InvalidQuery, NotFound, SchemaTooNew, StoreError
from storydiff.model import Article
from storydiff.settings import Settings
from storydiff.store import SCHEMA_VERSION, Store
from storydiff.store.db import parse_day, parse_story_id
from storydiff.store.export import export_articles

from .conftest import assert_spans_valid

FAST = Settings(encoder="hashing")  # lexical vectors: no model load, same code path
EVENTS = [
    ("Dock workers in Lindhaven ended a {n}-day strike on Tuesday after the union accepted a 5% pay rise. "
     "Transport Minister Ida Holm said the deal was fair. The port reopened to ships on Wednesday morning."),
    ("A magnitude 6.1 earthquake struck Arvel province on Sunday, collapsing houses in three villages. "
     "Rescue teams pulled {n} survivors from the rubble, Governor Pavel Orsk said."),
    ("The central bank of Maresia raised its main interest rate to {n} percent on Thursday, citing inflation. "
     "Governor Lena Vik said further rises were possible."),
]


def corpus(n_per_event: int = 4, start: int = 0) -> list[dict]:
    recs = []
    for e, tmpl in enumerate(EVENTS):
        for k in range(start, start + n_per_event):
            text = tmpl.format(n=k + 3) + f" Reporter {k} of outlet {k % 3} filed this from the scene."
            recs.append({"id": f"e{e}-{k}", "text": text, "url": f"https://example.org/e{e}/{k}",
                         "outlet": f"Outlet {k % 3}", "published": f"2026-03-{10 + e:02d}", "language": "en"})
    return recs


def write_jsonl(path, recs) -> str:
    path.write_text("".join(json.dumps(r) + "\n" for r in recs), encoding="utf-8")
    return str(path)


def row_count(db, table: str) -> int:
    with sqlite3.connect(db) as c:
        return c.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def check_consistent(db) -> None:
    """No duplicate article, every article in one existing story, aggregates and search index match."""
    with sqlite3.connect(db) as c:
        n = c.execute("SELECT count(*) FROM articles").fetchone()[0]
        assert c.execute("SELECT count(DISTINCT content_hash) FROM articles").fetchone()[0] == n
        assert c.execute("SELECT count(*) FROM articles WHERE story_id NOT IN (SELECT id FROM stories)").fetchone()[0] == 0
        assert c.execute("SELECT coalesce(sum(article_count), 0) FROM stories").fetchone()[0] == n
        assert c.execute("SELECT count(*) FROM articles_fts").fetchone()[0] == n
        emptied = c.execute("SELECT count(*) FROM stories WHERE article_count = 0 AND merged_into IS NULL").fetchone()[0]
        assert emptied == 0 or c.execute("SELECT count(*) FROM article_removals").fetchone()[0]  # only by removals
        assert c.execute("SELECT count(*) FROM articles a JOIN stories s ON s.id = a.story_id "
                         "WHERE s.merged_into IS NOT NULL").fetchone()[0] == 0  # merged stories hold no article


def test_ingest_idempotent_stories_and_spans(tmp_path):
    db = tmp_path / "s.db"
    src = write_jsonl(tmp_path / "c.jsonl", corpus())
    with Store(db) as store:
        r1 = ingest([src], store, FAST)
        assert r1.added == 12 and not r1.failures
        folder = tmp_path / "in"  # a folder given: its other files are named, not read
        folder.mkdir()
        write_jsonl(folder / "c.jsonl", corpus())
        (folder / "scan.pdf").write_bytes(b"%PDF")
        seen = []  # a writer's start is reported: the stored articles read into its clusterer
        r2 = ingest([folder], store, FAST, progress=lambda r: seen.append((r.loaded, r.stored_before, r.added)))
        assert r2.added == 0 and r2.already_stored == 12 and r2.skipped == [str(folder / "scan.pdf")]
        assert seen[0] == (12, 12, 0) and r1.stored_before == 0 and r2.to_dict()["stored_before"] == 12
    with Store(folder / "own.db") as store:  # a store inside the folder it reads: its files are not noted
        r3 = ingest([folder], store, FAST)
        assert r3.added == 12 and r3.skipped == [str(folder / "scan.pdf")]
        # the same text under another id and the same URL with other text are both "already stored"
        dup = {**corpus()[0], "id": "other-id", "url": None}
        same_url = {**corpus()[1], "text": "Entirely different words about nothing in particular at all today."}
        r3 = ingest([write_jsonl(tmp_path / "d.jsonl", [dup, same_url])], store, FAST)
        assert r3.added == 0 and r3.already_stored == 2
        assert r2.same_as == [] and r3.same_as == [("other-id", corpus()[0]["id"])]  # a rerun is not listed
        stories = store.stories()
        assert sorted(a for s in stories for a in s["articles"]) == sorted(r["id"] for r in corpus())
        by_article = {a: s["id"] for s in stories for a in s["articles"]}
        for e in range(3):
            assert len({by_article[f"e{e}-{k}"] for k in range(4)}) == 1, "one event, one story"
        assert len({by_article[f"e{e}-0"] for e in range(3)}) == 3, "three events, three stories"
        s = store.story(by_article["e0-0"])
        assert s["article_count"] == 4 and s["outlets"] == ["Outlet 0", "Outlet 1", "Outlet 2"]
        assert s["first_seen"] == "2026-03-10"
        arts = store.story_articles(s["id"])
        assert len(arts) == 4 and arts[0].quotes is not None
        given = {r["id"]: r for r in corpus()}
        for a in arts:  # metadata comes back with the analysis (compare --story labels articles by outlet)
            assert (a.outlet, a.url, a.published, a.language) == tuple(given[a.id][k] for k in ("outlet", "url", "published", "language"))
        for a in arts:  # analysis survives the round trip through the store with valid offsets
            assert_spans_valid(a)
            assert a.sentences
    check_consistent(db)


def test_a_writer_reads_the_store_without_holding_the_writer_lock(tmp_path):
    """Reading a large store into the clusterer takes a while; other writers commit meanwhile."""
    db = tmp_path / "s.db"
    with Store(db) as store:
        ingest([write_jsonl(tmp_path / "a.jsonl", corpus(2))], store, FAST)
        committed = []

        def meanwhile(r) -> None:
            if r.loaded and not committed:  # while the store's articles are being read
                other = sqlite3.connect(db, timeout=0.2, isolation_level=None)
                other.execute("BEGIN IMMEDIATE")  # "database is locked" if the reader held the lock
                other.execute("INSERT INTO failures (source, reason, at) VALUES ('x', 'y', 'z')")
                other.execute("COMMIT")
                other.close()
                committed.append(r.loaded)

        r = ingest([write_jsonl(tmp_path / "b.jsonl", corpus(1, start=5))], store, FAST, progress=meanwhile)
        assert committed == [6] and r.added == 3
    check_consistent(db)


def test_story_dates_come_from_readable_publication_dates(tmp_path):
    """Dates are stored in ISO 8601 when they can be read; one that cannot ("sometime soon") is kept
    as given but never becomes a story's first or last seen."""
    recs = corpus(n_per_event=3)[:3]
    recs[0]["published"] = "Tue, 10 Mar 2026 08:00:00 GMT"
    recs[1]["published"] = "March 11, 2026"
    recs[2]["published"] = "sometime soon"
    with Store(tmp_path / "s.db") as store:
        assert ingest([write_jsonl(tmp_path / "c.jsonl", recs)], store, FAST).added == 3
        (story,) = store.stories()
        s = store.story(story["id"])
        assert (s["first_seen"], s["last_seen"]) == ("2026-03-10T08:00:00+00:00", "2026-03-11")
        assert {a.published for a in store.story_articles(s["id"])} == {"2026-03-10T08:00:00+00:00", "2026-03-11", "sometime soon"}


def test_near_duplicate_is_linked_not_independent(tmp_path):
    recs = corpus(2)
    copy = {**recs[0], "id": "wire-copy", "url": "https://repost.example/1", "text": recs[0]["text"] + " (Wire)"}
    with Store(tmp_path / "s.db") as store:
        r = ingest([write_jsonl(tmp_path / "c.jsonl", recs + [copy])], store, FAST)
        assert r.near_duplicates == 1
        s = next(s for s in store.stories() if "wire-copy" in s["articles"])
        assert recs[0]["id"] in s["articles"] and s["independent_sources"] == s["article_count"] - 1
        details = {a["ext_id"]: a for a in store.story(s["id"])["article_details"]}
        assert details["wire-copy"]["duplicate_of"] == recs[0]["id"]
        # a writer reading the store in chunks (its original in an earlier chunk or the same one)
        # knows what one reading it whole knows, and places a new copy alike
        from storydiff.corpus import StoreClusterer

        whole, parts = StoreClusterer(), StoreClusterer()
        with store.read() as conn:
            whole.sync(conn)
            assert parts.sync(conn, chunk=2) == 7
        for a, b in ((whole.cl, parts.cl), (whole.cl.dups, parts.cl.dups)):
            assert a.__dict__.keys() == b.__dict__.keys()
        assert whole.cl.dups._orig == parts.cl.dups._orig == {6: 0}
        assert (whole.cl.ids, whole.cl.story_of, whole.cl.vocab) == (parts.cl.ids, parts.cl.story_of, parts.cl.vocab)
        probe = featurize([Article(id="again", text=recs[0]["text"] + " (Agency)")], get_encoder("hashing"))[0]
        assert whole.cl.assign(probe) == parts.cl.assign(probe) and whole.cl.assign(probe).original == 0


def test_search_export_failures(tmp_path):
    db = tmp_path / "s.db"
    zh = {"id": "zh-1", "text": "林德港码头工人周二结束罢工，港口恢复运营。", "language": "zh"}
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "ok", "text": "Fine text about the Lindhaven port strike ending."}\n{not json\n', encoding="utf-8")
    src = write_jsonl(tmp_path / "c.jsonl", corpus(2) + [zh])
    with Store(db) as store:
        r = ingest([src, str(bad), str(tmp_path / "missing.txt")], store, FAST)
        assert len(r.failures) == 2
        hits = store.search("earthquake Arvel")
        assert hits and all(h["id"].startswith("e1-") for h in hits)
        zh_hit = store.search("港口")[0]
        assert zh_hit["id"] == "zh-1"  # Chinese is segmented before indexing ...
        assert "结束罢工，[港口]恢复运营" in zh_hit["snippet"]  # ... and shown without the segmenting spaces
        assert store.search('"); DROP TABLE articles; --') == []  # query syntax is quoted, not run
        fails = store.failures()
        assert {(f["source"].split("/")[-1], f["line"]) for f in fails} == {("bad.jsonl", 2), ("missing.txt", None)}
        ingest([str(bad)], store, FAST)  # the same failure again is not listed twice
        assert len(store.failures()) == 2
    runner = CliRunner()
    out = tmp_path / "x.parquet"
    res = runner.invoke(main, ["export", "--db", str(db), "--format", "parquet", "-o", str(out)])
    assert res.exit_code == 0, res.output
    df = pd.read_parquet(out)
    assert len(df) == 8 and set(df["story"]).issubset({s["id"] for s in Store(db).stories()})
    with Store(tmp_path / "copy.db") as copy:  # an export is an input: the same articles, metadata and all
        r = ingest([str(out)], copy, FAST)
        assert r.added == 8 and not r.failures
        arts = {a.id: a for s in copy.stories() for a in copy.story_articles(s["id"])}
    assert sorted(arts) == sorted(df["id"])
    for row in df.itertuples():
        a = arts[row.id]
        assert (a.text, a.published, a.language) == (row.text, None if pd.isna(row.published) else row.published, row.language)
    res = runner.invoke(main, ["export", "--db", str(db), "--format", "jsonl", "--analysis"])
    recs = [json.loads(line) for line in res.stdout.splitlines()]
    assert len(recs) == 8 and "sentences" in recs[0]["analysis"]
    res = runner.invoke(main, ["failures", "--db", str(db), "--format", "json"])
    assert len(json.loads(res.stdout)["failures"]) == 2


def test_one_text_under_two_ids_is_stored_once_and_the_second_id_named(tmp_path, monkeypatch):
    monkeypatch.setenv("STORYDIFF_ENCODER", "hashing")
    text = "One new text about the harbour, published twice under two ids by one feed."
    src = write_jsonl(tmp_path / "t.jsonl", [{"id": "first", "text": text}, {"id": "second", "text": text}])
    res = CliRunner().invoke(main, ["ingest", src, "--db", str(tmp_path / "s.db")])
    assert res.exit_code == 0, res.output
    assert "stored 1 new article(s)" in res.stderr and "1 already stored" in res.stderr
    assert "'second' is not stored again: its text or URL is stored as 'first'" in res.stderr
    res = CliRunner().invoke(main, ["ingest", src, "--db", str(tmp_path / "s.db")])  # a rerun: 'first' is not named
    assert "2 already stored" in res.stderr and "'first' is not stored" not in res.stderr
    long_en = " ".join([text] * 4)  # long enough to tell its language; labelled as German
    res = CliRunner().invoke(main, ["ingest", write_jsonl(tmp_path / "l.jsonl", [{"id": "en-as-de", "text": long_en, "language": "de"}]),
                                    "--db", str(tmp_path / "s.db")])
    assert "'en-as-de' is labelled 'de' but reads as 'en'" in res.stderr and res.exit_code == 0


@pytest.mark.parametrize("size", [1, 32])
def test_a_text_or_url_seen_again_in_one_run_is_skipped_committed_or_in_flight(tmp_path, size):
    """Batches of one: each article is committed before the next is read, and the store answers;
    of 32: all are in flight together, and the run's own record of what it read answers."""
    recs = corpus(1)
    again = [{**recs[0], "id": "same-text", "url": "https://example.org/other"},
             {**recs[1], "id": "same-url", "text": recs[1]["text"] + " Updated."}]
    with Store(tmp_path / "s.db") as store:
        r = ingest([write_jsonl(tmp_path / "a.jsonl", recs + again)], store, replace(FAST, batch_size=size), batch=size)
    assert (r.added, r.already_stored) == (len(recs), 2)
    assert sorted(r.same_as) == [("same-text", recs[0]["id"]), ("same-url", recs[1]["id"])]
    check_consistent(tmp_path / "s.db")


def _state_of(sc) -> tuple:
    """A clusterer's state in terms that do not depend on the order it learnt terms in: per stored
    article id its story (merges followed), and every term's document frequency."""
    cl = sc.cl
    live = {sc.db_ids[r]: cl.story_key(cl.story_of[r]) for r in range(len(sc.db_ids)) if r not in cl.dropped}
    df = {t: int(cl.df[i]) for t, i in cl.vocab.items() if cl.df[i]}
    return live, df


def _fresh_state(db) -> tuple:
    from storydiff.corpus import StoreClusterer

    sc = StoreClusterer()
    with Store(db, create=False) as store, store.read() as conn:
        sc.sync(conn)
    return _state_of(sc)


def _saved_state(db) -> tuple:
    from storydiff.cluster import snapshot

    return _state_of(snapshot.load(Path(str(db) + "-clusterer"), {}))


def test_a_writer_starts_from_the_clusterer_state_the_last_one_saved(tmp_path, monkeypatch):
    """The state saved beside the store, brought up to date with the merges, moves and articles
    since, is the state a full read of the store gives, and the stories come out the same. After a
    removal the store is read in full (a dropped row leaves traces a full read has not), and a
    writer that dropped rows during its run leaves the saved state as it was."""
    import storydiff.corpus as corpus_module
    from storydiff.cluster import snapshot

    monkeypatch.setattr(corpus_module, "KEEP_STATE_FROM", 0)
    db, plain, state = tmp_path / "s.db", tmp_path / "plain.db", tmp_path / "s.db-clusterer"
    feeds = [write_jsonl(tmp_path / f"{k}.jsonl", corpus(2, start=2 * k)) for k in range(4)]

    def history(path, settings, check=lambda step, r: None):
        with Store(path) as store:
            check(0, ingest([feeds[0]], store, settings))
            by_article = {x: s["id"] for s in store.stories() for x in s["articles"]}
            store.merge([by_article["e1-0"], by_article["e2-0"]])  # wrongly, to see it replayed
            store.move(["e1-1"])
            check(1, ingest([feeds[1]], store, settings))
            store.remove(["e0-0"])
            check(2, ingest([feeds[2]], store, settings))
            removed = []

            def meanwhile(r) -> None:
                if r.added and not removed:  # another writer's removal, replayed at the next commit
                    removed.append(store.remove(["e0-1"]))

            check(3, ingest([feeds[3]], store, settings, progress=meanwhile, batch=1))

    def check(step, r) -> None:
        n = len(corpus(2))
        assert r.added == n and r.state_note is None
        assert r.from_saved_state == [0, n, 0, 3 * n - 1][step]  # 2: a removal since: read in full
        assert snapshot.read_stamp(state)["articles"] == [n, 2 * n, 3 * n - 1, 3 * n - 1][step]  # 3: not saved
        if step < 3:
            assert _saved_state(db) == _fresh_state(db)

    history(db, FAST, check)
    check_consistent(db)
    history(plain, replace(FAST, keep_state=False))  # the same history, never from a saved state
    assert not Path(str(plain) + "-clusterer").exists()
    assert _fresh_state(plain) == _fresh_state(db)


def test_the_saved_state_is_rewritten_once_it_lacks_a_share_of_the_store(tmp_path, monkeypatch):
    import storydiff.corpus as corpus_module
    from storydiff.cluster import snapshot

    monkeypatch.setattr(corpus_module, "KEEP_STATE_FROM", 0)
    monkeypatch.setattr(corpus_module, "RESAVE_SHARE", 0.5)
    db, state = tmp_path / "s.db", tmp_path / "s.db-clusterer"
    with Store(db) as store:
        ingest([write_jsonl(tmp_path / "a.jsonl", corpus(3))], store, FAST)  # 9 articles: saved
        r = ingest([write_jsonl(tmp_path / "b.jsonl", corpus(1, start=3))], store, FAST)  # lacks 3 of 12: kept
        assert r.from_saved_state == 9 and snapshot.read_stamp(state)["articles"] == 9
        r = ingest([write_jsonl(tmp_path / "c.jsonl", corpus(2, start=4))], store, FAST)  # 3 read, 6 added: 9 of 18
        assert r.from_saved_state == 9 and snapshot.read_stamp(state)["articles"] == 18
    assert _saved_state(db) == _fresh_state(db)


def test_a_saved_clusterer_state_that_does_not_fit_is_not_used(tmp_path, monkeypatch):
    """Damaged, of another store at the same path, or newer than the store (a store restored from
    a copy): the store is read in full, and a note says why when it is not plainly another's."""
    import shutil

    import storydiff.corpus as corpus_module
    from storydiff.cluster import snapshot

    monkeypatch.setattr(corpus_module, "KEEP_STATE_FROM", 0)
    db, state = tmp_path / "s.db", tmp_path / "s.db-clusterer"
    with Store(db) as store:
        ingest([write_jsonl(tmp_path / "a.jsonl", corpus(2))], store, FAST)
    shutil.copy(db, tmp_path / "backup.db")
    with Store(db) as store:
        ingest([write_jsonl(tmp_path / "b.jsonl", corpus(1, start=2))], store, FAST)
    shutil.copy(tmp_path / "backup.db", db)  # the store goes back; the state saved after it stays
    with Store(db) as store:
        r = ingest([write_jsonl(tmp_path / "c.jsonl", corpus(1, start=5))], store, FAST)
    assert r.from_saved_state == 0 and "does not match the store" in r.state_note
    assert _saved_state(db) == _fresh_state(db)  # saved again, from the full read
    check_consistent(db)

    state.write_bytes(state.read_bytes()[:200])  # cut short
    with Store(db) as store:
        r = ingest([write_jsonl(tmp_path / "d.jsonl", corpus(1, start=6))], store, FAST)
    assert r.from_saved_state == 0 and "read the store in full" in r.state_note
    assert _saved_state(db) == _fresh_state(db)

    db.unlink()  # another store at the same path: its state is not this store's
    with Store(db) as store:
        ingest([write_jsonl(tmp_path / "e.jsonl", corpus(1, start=7))], store, FAST)
        r = ingest([write_jsonl(tmp_path / "f.jsonl", corpus(1, start=8))], store, FAST)
    assert r.from_saved_state == len(corpus(1)) and r.state_note is None  # its own, saved by the first run


def test_the_cli_shows_the_saved_state_and_notes_a_damaged_one(tmp_path, monkeypatch):
    import storydiff.corpus as corpus_module

    monkeypatch.setattr(corpus_module, "KEEP_STATE_FROM", 0)
    monkeypatch.setenv("STORYDIFF_ENCODER", "hashing")
    db = str(tmp_path / "s.db")
    assert CliRunner().invoke(main, ["ingest", write_jsonl(tmp_path / "a.jsonl", corpus(1)), "--db", db]).exit_code == 0
    res = CliRunner().invoke(main, ["info", "--db", db, "--format", "json"])
    state = json.loads(res.stdout)["clusterer_state"]
    assert state["usable"] and state["articles"] == len(corpus(1)) and state["path"].endswith("s.db-clusterer")
    assert "clusterer state:" in CliRunner().invoke(main, ["info", "--db", db]).stdout
    Path(state["path"]).write_bytes(b"not a state")
    res = CliRunner().invoke(main, ["ingest", write_jsonl(tmp_path / "b.jsonl", corpus(1, start=1)), "--db", db])
    assert res.exit_code == 0 and "not a saved storydiff clusterer state (read the store in full instead)" in res.stderr
    assert json.loads(CliRunner().invoke(main, ["info", "--db", db, "--format", "json"]).stdout)["clusterer_state"]["usable"]


def test_a_state_that_cannot_be_saved_is_noted_and_the_ingest_succeeds(tmp_path, monkeypatch):
    import storydiff.corpus as corpus_module

    monkeypatch.setattr(corpus_module, "KEEP_STATE_FROM", 0)
    (tmp_path / "s.db-clusterer").mkdir()  # in the way: the state cannot be moved into place
    with Store(tmp_path / "s.db") as store:
        r = ingest([write_jsonl(tmp_path / "a.jsonl", corpus(1))], store, FAST)
    assert r.added == len(corpus(1)) and "could not save the clusterer's state" in r.state_note
    assert not list(tmp_path.glob("s.db-clusterer.*.tmp"))  # nothing left behind
    check_consistent(tmp_path / "s.db")


def test_where_a_clusterer_state_is_kept(tmp_path, monkeypatch):
    """Beside a SQLite file (whatever ``state_dir`` says); none for an in-memory store; a server
    store's in ``state_dir``, by default the user's cache folder."""
    from storydiff.corpus import default_state_dir, state_file

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    assert default_state_dir() == tmp_path / "cache" / "storydiff"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert default_state_dir() == tmp_path / "home" / ".cache" / "storydiff"

    def no_home(cls):
        raise RuntimeError("Could not determine home directory.")

    monkeypatch.setattr(Path, "home", classmethod(no_home))
    assert default_state_dir() is None  # a service account with no home: its stores are read in full
    with Store(tmp_path / "s.db") as store:
        assert state_file(store, "u1", tmp_path / "elsewhere") == tmp_path / "s.db-clusterer"
    with Store("sqlite://") as store:
        assert state_file(store, "u1") is None and state_file(store, "u1", tmp_path) is None


def test_a_saved_state_cannot_run_code(tmp_path):
    """Pickle runs what a file names; a saved state may name only the classes a clusterer is made of."""
    import pickle

    from storydiff.cluster import snapshot

    class Boom:
        def __reduce__(self):
            return (os.system, ("touch " + str(tmp_path / "ran"),))

    path = tmp_path / "s.db-clusterer"
    snapshot.save({"x": Boom()}, path, {"store": "u"})
    with pytest.raises(snapshot.BadSavedState, match="may not name"):
        snapshot.load(path, {"store": "u"})
    header = json.dumps({"store": "u", "format": snapshot.FORMAT}).encode()  # a header missing its parts
    bad = tmp_path / "bad"
    bad.write_bytes(snapshot.MAGIC + header + len(header).to_bytes(8, "little"))
    with pytest.raises(snapshot.BadSavedState, match="damaged header"):
        snapshot.load(bad, {"store": "u"})
    assert not (tmp_path / "ran").exists()
    assert snapshot.load(path, {"store": "another"}) is None  # another store's: not even read
    assert pickle.loads(pickle.dumps(1)) == 1


def test_a_save_killed_midway_leaves_the_last_state_and_its_litter_is_cleared(tmp_path):
    from storydiff.cluster import snapshot

    path = tmp_path / "s.db-clusterer"
    snapshot.save({"n": 1}, path, {"store": "u"})
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    orphan = tmp_path / f"s.db-clusterer.{dead.stdout.strip()}.tmp"  # a process gone while it wrote
    orphan.write_bytes(b"half a state")
    running = tmp_path / f"s.db-clusterer.{os.getppid()}.tmp"  # one still writing (a live process)
    running.write_bytes(b"in progress")
    assert snapshot.load(path, {"store": "u"}) == {"n": 1}
    snapshot.save({"n": 2}, path, {"store": "u"})
    assert snapshot.load(path, {"store": "u"}) == {"n": 2}
    assert not orphan.exists() and running.exists()


def check_search_filters(store, by_article: dict[str, str]) -> None:
    """Search over corpus(3): 'Reporter' is in all nine texts (outlet k % 3, event e on March 10 + e)."""
    def ids(**kw):
        return sorted(h["id"] for h in store.search("reporter", **kw))
    assert len(ids()) == 9
    ranked = [(h["id"], h["score"]) for h in store.search("reporter governor")]  # in 6 texts; titles weigh more
    assert [h["score"] for h in store.search("reporter governor", limit=50)] == sorted((s for _, s in ranked), reverse=True)
    assert [(h["id"], h["score"]) for h in store.search("reporter governor", limit=2)] == ranked[:2]  # the best, not any two
    assert ids(outlet="OUTLET 1") == ["e0-1", "e1-1", "e2-1"]
    assert ids(since="2026-03-11", outlet="outlet 2") == ["e1-2", "e2-2"]
    assert ids(until="March 10, 2026") == ["e0-0", "e0-1", "e0-2"]
    assert ids(since="2026-03-11", until="2026-03-11") == ["e1-0", "e1-1", "e1-2"]
    assert ids(story=by_article["e2-0"]) == ["e2-0", "e2-1", "e2-2"]
    assert ids(language="en") == ids() and ids(language="xx") == [] and ids(outlet="nobody") == []
    with pytest.raises(InvalidQuery, match="is after until"):
        store.search("reporter", since="2026-03-12", until="2026-03-10")
    with pytest.raises(NotFound):
        store.search("reporter", story="s999")


def test_search_and_export_filter_by_outlet_language_window_and_story(tmp_path):
    with Store(str(tmp_path / "s.db")) as store:
        ingest([write_jsonl(tmp_path / "c.jsonl", corpus(3))], store, FAST)
        check_search_filters(store, {a: s["id"] for s in store.stories() for a in s["articles"]})
        every = [r["id"] for r in store.iter_articles(chunk=2)]
        kept = [r["id"] for r in store.iter_articles(chunk=2, since="2026-03-11")]  # read by id, two at a time
        assert len(every) == 9 and kept == [i for i in every if not i.startswith("e0-")]
        out = tmp_path / "o.csv"
        assert export_articles(store, "csv", str(out), outlet="Outlet 1", since="2026-03-11") == 2
        assert sorted(pd.read_csv(out)["id"]) == ["e1-1", "e2-1"]
        assert export_articles(store, "jsonl", str(out), language="xx") == 0
        with pytest.raises(InvalidQuery):  # refused before the file is opened
            export_articles(store, "parquet", str(tmp_path / "p.parquet"), until="whenever")
        assert not (tmp_path / "p.parquet").exists()


def test_stories_sort_by_recency_or_size(tmp_path):
    recs = corpus(2) + [r for r in corpus(2, start=2) if r["id"].startswith("e0-")]  # the oldest event, covered most
    with Store(str(tmp_path / "s.db")) as store:
        ingest([write_jsonl(tmp_path / "c.jsonl", recs)], store, FAST)
        assert [s["last_seen"] for s in store.stories()] == ["2026-03-12", "2026-03-11", "2026-03-10"]
        by_size = store.stories(sort="size")
        assert [s["independent_sources"] for s in by_size] == [4, 2, 2] and by_size[0]["last_seen"] == "2026-03-10"
        assert [s["last_seen"] for s in by_size[1:]] == ["2026-03-12", "2026-03-11"]  # ties: the recent first
        assert store.stories(sort="size", limit=1) == by_size[:1]
        with pytest.raises(InvalidQuery):
            store.stories(sort="biggest")


def test_long_json_lists_come_an_item_a_line(tmp_path, monkeypatch):
    """Thousands of stories are written a story a line (indenting them all is slow), still one JSON
    document; short lists stay indented."""
    import storydiff.cli as cli

    db = str(tmp_path / "s.db")
    with Store(db) as store:
        ingest([write_jsonl(tmp_path / "c.jsonl", corpus(2))], store, FAST)
        want = store.stories()
    run = lambda: CliRunner().invoke(main, ["stories", "--db", db, "--format", "json"])  # noqa: E731
    short = run()
    assert json.loads(short.output) == {"stories": want} and '\n   "id": "s' in short.output
    monkeypatch.setattr(cli, "LONG_LIST", 2)
    long = run()
    assert json.loads(long.output) == {"stories": want}
    lines = long.output.splitlines()
    assert len(lines) == len(want) + 4 and all(json.loads(line.strip().rstrip(",")) in want for line in lines[2:-2])


def test_since_and_until_read_days_and_spans_back_from_now():
    today = date(2026, 3, 12)
    for value, day in [("today", "2026-03-12"), ("Yesterday", "2026-03-11"), ("7d", "2026-03-05"), ("2w", "2026-02-26"),
                       ("3 days ago", "2026-03-09"), ("2026-03-01", "2026-03-01"), ("March 8, 2026", "2026-03-08")]:
        assert parse_day(value, today).isoformat() == day, value
    assert parse_day("48h", today) in (date(2026, 3, 10), date(2026, 3, 9))  # two days back from now, to the hour
    for value in ("last week-ish", "7", "d7", "-3d"):
        assert parse_day(value, today) is None, value


def test_until_counts_a_story_first_seen_late_that_day(tmp_path, monkeypatch):
    monkeypatch.setenv("STORYDIFF_ENCODER", "hashing")
    recs = [{**r, "published": "2026-03-10T23:30:00+00:00"} if r["id"].startswith("e0-") else r for r in corpus(2)]
    db = str(tmp_path / "s.db")
    assert CliRunner().invoke(main, ["ingest", write_jsonl(tmp_path / "c.jsonl", recs), "--db", db]).exit_code == 0
    with Store(db) as store:
        kept = store.stories(until="2026-03-10")
    assert [s["first_seen"] for s in kept] == ["2026-03-10T23:30:00+00:00"]


def test_cli_stories_story_search_compare(tmp_path, monkeypatch):
    monkeypatch.setenv("STORYDIFF_ENCODER", "hashing")
    db = str(tmp_path / "s.db")
    src = write_jsonl(tmp_path / "c.jsonl", corpus(3))
    runner = CliRunner()
    res = runner.invoke(main, ["ingest", src, "--db", db, "--format", "json"])
    assert res.exit_code == 0, res.output
    assert "stored 9 new article(s)" in res.stderr  # the summary on stderr, the report on stdout
    report = json.loads(res.stdout)
    assert (report["added"], report["failures"], report["store"]["articles"]) == (9, [], 9)
    res = runner.invoke(main, ["stories", "--db", db, "--format", "json"])
    stories = json.loads(res.stdout)["stories"]
    assert len(stories) == 3 and all({"id", "title", "articles"} <= set(s) for s in stories)
    res = runner.invoke(main, ["info", "--db", db, "--format", "json"])
    info = json.loads(res.stdout)
    assert (info["articles"], info["stories"], info["schema_version"], info["encoder"]) == (9, 3, SCHEMA_VERSION, "hashing")
    assert info["published"] == {"first": "2026-03-10", "last": "2026-03-12"} and info["languages"] == {"en": 9}
    assert info["top_outlets"] == {"Outlet 0": 3, "Outlet 1": 3, "Outlet 2": 3}
    res = runner.invoke(main, ["info", "--db", db])
    assert res.exit_code == 0 and "9 articles (0 near-duplicates) in 3 stories" in res.stdout
    res = runner.invoke(main, ["stories", "--db", db, "--format", "csv"])  # a row a story, lists joined
    table = pd.read_csv(io.StringIO(res.stdout))
    assert list(table["id"]) == [s["id"] for s in stories]
    assert list(table["articles"]) == ["; ".join(s["articles"]) for s in stories]
    res = runner.invoke(main, ["search", "earthquake", "--db", db, "--format", "csv"])
    assert res.exit_code == 0 and res.stdout.startswith("id,story,score,") and res.stdout.count("\n") == 4
    res = runner.invoke(main, ["search", "earthquake", "--db", db, "--outlet", "outlet 0", "--since", "2026-03-11", "--format", "csv"])
    assert res.exit_code == 0 and res.stdout.count("\n") == 2 and "e1-0," in res.stdout  # the header and one row
    res = runner.invoke(main, ["export", "--db", db, "--since", "2030-01-01", "--format", "csv"])
    assert res.exit_code == 0 and "exported 0 article(s) (--since and --until leave out articles with no readable date)" in res.stderr
    res = runner.invoke(main, ["search", "earthquake", "--db", db, "--until", "soon"])
    assert res.exit_code == 1 and "until: 'soon' is not a date" in res.stderr
    res = runner.invoke(main, ["search", "nothing-like-this", "--db", db, "--format", "csv"])
    assert res.stdout == "id,story,score,title,outlet,published,snippet\n"  # the header, even with no rows
    res = runner.invoke(main, ["stories", "--db", db, "--since", "2026-03-11", "--format", "json"])
    assert len(json.loads(res.stdout)["stories"]) == 2
    res = runner.invoke(main, ["stories", "--db", db, "--since", "March 11, 2026", "--format", "json"])
    assert len(json.loads(res.stdout)["stories"]) == 2  # a written date reads as that day
    res = runner.invoke(main, ["stories", "--db", db, "--since", "last week-ish"])
    assert res.exit_code == 1 and "is not a date" in res.stderr and res.stdout == ""
    res = runner.invoke(main, ["stories", "--db", db, "--until", "2026-03-10", "--format", "json"])
    assert [s["first_seen"] for s in json.loads(res.stdout)["stories"]] == ["2026-03-10"]
    res = runner.invoke(main, ["stories", "--db", db, "--since", "2026-03-11", "--until", "March 11, 2026", "--format", "json"])
    assert [s["last_seen"] for s in json.loads(res.stdout)["stories"]] == ["2026-03-11"]  # a window
    res = runner.invoke(main, ["stories", "--db", db, "--since", "2026-03-12", "--until", "2026-03-10"])
    assert res.exit_code == 1 and "is after until" in res.stderr
    res = runner.invoke(main, ["stories", "--db", db, "--outlet", "outlet 2 ", "--language", "EN", "--format", "json"])
    assert len(json.loads(res.stdout)["stories"]) == 3  # case and spaces do not matter
    res = runner.invoke(main, ["stories", "--db", db, "--language", "xx"])  # none: said on stderr only
    assert res.exit_code == 0 and res.stdout == "" and "no stories match (the store holds 3)" in res.stderr
    res = runner.invoke(main, ["stories", "--db", db, "--since", "2030-01-01"])  # says why undated ones are out
    assert res.exit_code == 0 and "store holds 3; --since leaves out stories with no readable date" in res.stderr
    res = runner.invoke(main, ["story", stories[0]["id"], "--db", db])
    assert res.exit_code == 0 and stories[0]["articles"][0] in res.stdout
    res = runner.invoke(main, ["story", "s999", "--db", db])
    assert res.exit_code == 1 and "no story s999" in res.stderr
    res = runner.invoke(main, ["export", "--story", stories[0]["id"], "--db", db, "--format", "csv"])
    rows = list(csv.DictReader(io.StringIO(res.stdout)))
    assert res.exit_code == 0 and sorted(r["id"] for r in rows) == sorted(stories[0]["articles"])
    assert {r["story"] for r in rows} == {stories[0]["id"]}
    res = runner.invoke(main, ["export", "--db", db, "--format", "csv", "-o", str(tmp_path / "no" / "x.csv")])
    assert res.exit_code == 2 and "does not exist" in res.stderr  # checked before any work, no traceback
    res = runner.invoke(main, ["compare", "--story", stories[0]["id"], "--db", db, "-o", str(tmp_path / "no" / "r.html")])
    assert res.exit_code == 2 and "does not exist" in res.stderr
    res = runner.invoke(main, ["search", " -- ", "--db", db])
    assert res.exit_code == 2 and "no word to search for" in res.stderr
    res = runner.invoke(main, ["stories", "--db", db, "--limit", "0"])
    assert res.exit_code == 2 and "--limit" in res.stderr
    out = tmp_path / "none.parquet"
    res = runner.invoke(main, ["export", "--story", "s999", "--db", db, "--format", "parquet", "-o", str(out)])
    assert res.exit_code == 1 and "no story s999" in res.stderr and not out.exists()
    res = runner.invoke(main, ["compare", "--story", stories[0]["id"], "--db", db, "--format", "json"])
    assert res.exit_code == 0, res.output
    comp = json.loads(res.stdout)
    assert sorted(a["id"] for a in comp["articles"]) == sorted(stories[0]["articles"])
    res = runner.invoke(main, ["stories", "--db", str(tmp_path / "none.db")])
    assert res.exit_code == 1 and "no store here" in res.stderr


def test_encoder_is_fixed_per_store(tmp_path):
    with Store(tmp_path / "s.db") as store:
        ingest([write_jsonl(tmp_path / "c.jsonl", corpus(1))], store, FAST)
        with pytest.raises(StoreError, match="hashing"):
            ingest([write_jsonl(tmp_path / "d.jsonl", corpus(1, start=5))], store, Settings(encoder="use"))


WALKOUT = "Dock workers in Lindhaven walked out on Monday, leaving cranes idle and container ships waiting outside the harbour."
DEAL = "Transport Minister Ida Holm signed an agreement on Thursday that raises wages by 5% and adds 200 permanent jobs."


def test_an_article_linking_two_stories_merges_them(tmp_path):
    """Two reports of one strike that share too little start two stories; a later report carrying
    both merges them into the older. The younger story's id still leads there, and a second writer's
    clusterer learns the merge when it syncs."""
    from storydiff.corpus import StoreClusterer

    db = tmp_path / "s.db"
    first = [{"id": "walkout", "text": WALKOUT}, {"id": "quake", "text": EVENTS[1].format(n=4)}, {"id": "deal", "text": DEAL}]
    with Store(db) as store:
        assert ingest([write_jsonl(tmp_path / "a.jsonl", first)], store, FAST).new_stories == 3
        by_article = {a: s["id"] for s in store.stories() for a in s["articles"]}
        older, younger = sorted((by_article["walkout"], by_article["deal"]), key=lambda k: int(k[1:]))
        other = StoreClusterer()
        with store.read() as conn:
            other.sync(conn)
        r = ingest([write_jsonl(tmp_path / "b.jsonl", [{"id": "both", "text": WALKOUT + " Then " + DEAL}])], store, FAST)
        assert (r.added, r.new_stories, r.merged_stories) == (1, 0, 1)
        stories = store.stories()
        assert len(stories) == 2 and store.counts()["stories"] == 2
        merged = next(s for s in stories if s["id"] == older)
        assert merged["articles"] == ["walkout", "deal", "both"] and merged["article_count"] == 3
        s = store.story(younger)
        assert s["id"] == older and s["merged"] == [younger]
        assert [a.id for a in store.story_articles(younger)] == ["walkout", "deal", "both"]
        assert [h["story"] for h in store.search("Holm agreement")] == [older, older]
        with store.read() as conn:
            other.sync(conn)
        assert other.cl.story_key(int(younger[1:])) == int(older[1:])
    check_consistent(db)
    runner = CliRunner()
    res = runner.invoke(main, ["story", younger, "--db", str(db)])
    assert res.exit_code == 0 and f"story {younger} was merged into {older}" in res.stderr
    res = runner.invoke(main, ["export", "--story", younger, "--db", str(db), "--format", "csv"])
    assert sorted(r["id"] for r in csv.DictReader(io.StringIO(res.stdout))) == ["both", "deal", "walkout"]


def test_stories_a_reader_merges_stay_merged(tmp_path):
    """`storydiff merge` joins stories the clustering kept apart, into the oldest; the other id
    leads there, a second writer's clusterer learns it on sync, and a later report of the event
    joins the merged story."""
    from storydiff.corpus import StoreClusterer

    db = tmp_path / "s.db"
    first = [{"id": "walkout", "text": WALKOUT}, {"id": "quake", "text": EVENTS[1].format(n=4)}, {"id": "deal", "text": DEAL}]
    with Store(db) as store:
        ingest([write_jsonl(tmp_path / "a.jsonl", first)], store, FAST)
        by_article = {a: s["id"] for s in store.stories() for a in s["articles"]}
        older, younger = sorted((by_article["walkout"], by_article["deal"]), key=lambda k: int(k[1:]))
        other = StoreClusterer()
        with store.read() as conn:
            other.sync(conn)
    runner = CliRunner()
    res = runner.invoke(main, ["merge", younger, older, "--db", str(db), "--format", "json"])
    assert res.exit_code == 0, res.output
    merged = json.loads(res.stdout)
    assert (merged["id"], merged["merged"], merged["article_count"]) == (older, [younger], 2)
    res = runner.invoke(main, ["merge", older, younger, "--db", str(db)])  # one story already
    assert res.exit_code == 1 and "two or more stories" in res.stderr
    res = runner.invoke(main, ["merge", older, "s99", "--db", str(db)])
    assert res.exit_code == 1 and "no story s99" in res.stderr
    with Store(db) as store:
        assert sorted(s["id"] for s in store.stories()) == sorted([older, by_article["quake"]])
        with store.read() as conn:
            other.sync(conn)
        assert other.cl.story_key(int(younger[1:])) == int(older[1:])
        r = ingest([write_jsonl(tmp_path / "b.jsonl", [{"id": "deal-2", "text": DEAL + " The union agreed."}])], store, FAST)
        assert r.new_stories == 0 and store.story(older)["articles"] == ["walkout", "deal", "deal-2"]
    check_consistent(db)


def test_articles_a_reader_moves_stay_moved(tmp_path, monkeypatch):
    """`storydiff move` puts articles in another story or a new one; a story left empty leads there;
    a second writer's clusterer, synced before, follows the moves on its next sync; a later report
    joins the story its neighbour was moved to."""
    from storydiff.corpus import StoreClusterer

    db = tmp_path / "s.db"
    first = [{"id": "walkout", "text": WALKOUT}, {"id": "quake", "text": EVENTS[1].format(n=4)}, {"id": "deal", "text": DEAL},
             {"id": "quake-2", "text": EVENTS[1].format(n=5)}, {"id": "deal-copy", "text": DEAL + " (Wire)"}]
    with Store(db) as store:
        ingest([write_jsonl(tmp_path / "a.jsonl", first)], store, FAST)
        by_article = {a: s["id"] for s in store.stories() for a in s["articles"]}
        assert by_article["quake"] == by_article["quake-2"] and by_article["deal"] == by_article["deal-copy"]
        other = StoreClusterer()
        with store.read() as conn:
            other.sync(conn)
    runner = CliRunner()
    res = runner.invoke(main, ["move", "deal", "--to", by_article["walkout"], "--db", str(db), "--format", "json"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["articles"] == ["walkout", "deal", "deal-copy"]  # the copy goes with its original
    res = runner.invoke(main, ["move", "quake-2", "--to", "new", "--db", str(db), "--format", "json"])
    split = json.loads(res.stdout)
    assert res.exit_code == 0 and split["articles"] == ["quake-2"] and split["id"] != by_article["quake"]
    res = runner.invoke(main, ["move", "nope", "--to", "new", "--db", str(db)])
    assert res.exit_code == 1 and "no article 'nope'" in res.stderr
    res = runner.invoke(main, ["story", by_article["walkout"], "--why", "--db", str(db), "--format", "json"])
    links = {link["article"]: link for link in json.loads(res.stdout)["links"]}  # why each article is there
    assert res.exit_code == 0 and set(links) == {"walkout", "deal", "deal-copy"}
    assert (links["deal-copy"]["kind"], links["deal-copy"]["to"]) == ("copy", "deal")
    assert links["deal"]["to"] == "walkout" and links["deal"]["weak"]  # moved by hand: nothing links it here
    monkeypatch.setattr("storydiff.corpus.EXPLAIN_MEMBERS", 2)  # a story larger than what is explained
    res = runner.invoke(main, ["story", by_article["walkout"], "--why", "--db", str(db), "--format", "json"])
    assert json.loads(res.stdout)["links_truncated"] and [link["article"] for link in json.loads(res.stdout)["links"]] == ["walkout", "deal"]
    monkeypatch.undo()
    res = runner.invoke(main, ["story", by_article["walkout"], "--why", "--db", str(db)])
    assert res.exit_code == 0 and "deal-copy -> deal: near-duplicate copy" in res.stdout
    assert "deal -> walkout: " in res.stdout and "WEAK" in res.stdout
    res = runner.invoke(main, ["story", by_article["quake"], "--why", "--db", str(db), "--format", "json"])
    links = json.loads(res.stdout)["links"]
    assert [(link["article"], link["to"], link["kind"]) for link in links] == [("quake", None, "alone")]  # quake-2 moved out
    with Store(db) as store:
        assert store.story(by_article["deal"])["id"] == by_article["walkout"]  # the emptied story leads there
        assert store.story(by_article["quake"])["articles"] == ["quake"]
        assert len(store.stories()) == 3
        with store.read() as conn:
            other.sync(conn)
        assert other.cl.story_key(other.cl.story_of[other.row_of(4)]) == int(split["id"][1:])  # quake-2's row
        assert other.cl.story_key(other.cl.story_of[other.row_of(5)]) == int(by_article["walkout"][1:])  # deal-copy's
        assert other.cl.story_key(other.cl.story_of[other.row_of(3)]) == int(by_article["walkout"][1:])  # deal's
        r = ingest([write_jsonl(tmp_path / "b.jsonl", [{"id": "deal-2", "text": DEAL + " The union agreed."}])], store, FAST)
        assert r.new_stories == 0 and store.story(by_article["walkout"])["articles"] == ["walkout", "deal", "deal-copy", "deal-2"]
        titled = store.story(by_article["walkout"])["title"]
        store.move(["walkout"])  # the article the story is titled after leaves: it takes its first article's
        assert titled == WALKOUT.split("\n")[0][:120] and store.story(by_article["walkout"])["title"] == DEAL.split("\n")[0][:120]
    check_consistent(db)


def test_removed_articles_are_gone_for_readers_and_writers(tmp_path, monkeypatch):
    """`storydiff remove`: rows, search entries and story counts go; a copy of a removed original
    becomes the original; a story left empty is no longer listed; another writer's clusterer, synced
    before, stops matching the removed articles; a new article never takes a removed one's id."""
    from storydiff.corpus import StoreClusterer

    monkeypatch.setattr("storydiff.store.db.BIND_CHUNK", 1)  # each value its own statement: an original and its copy apart

    db = tmp_path / "s.db"
    first = [{"id": "walkout", "text": WALKOUT}, {"id": "quake", "text": EVENTS[1].format(n=4)}, {"id": "deal", "text": DEAL},
             {"id": "deal-copy", "text": DEAL + " (Wire)"}, {"id": "deal-copy-2", "text": DEAL + " (Agencies)"}]
    with Store(db) as store:
        ingest([write_jsonl(tmp_path / "a.jsonl", first)], store, FAST)
        by_article = {a: s["id"] for s in store.stories() for a in s["articles"]}
        other = StoreClusterer()  # a second writer's clusterer, synced before the removals
        with store.read() as conn:
            other.sync(conn)
    runner = CliRunner()
    res = runner.invoke(main, ["remove", "deal", "--db", str(db)], input="n\n")
    assert res.exit_code == 1 and "nothing removed" in res.stderr
    res = runner.invoke(main, ["remove", "deal", "nope", "--db", str(db), "--yes"])
    assert res.exit_code == 1 and "no article 'nope'" in res.stderr and "nothing was removed" in res.stderr
    res = runner.invoke(main, ["remove", "deal", "--db", str(db), "--yes", "--format", "json"])
    assert res.exit_code == 0 and json.loads(res.stdout) == {"removed": ["deal"], "stories": [by_article["deal"]], "emptied": []}
    with Store(db) as store:
        st = store.story(by_article["deal"])
        details = {d["ext_id"]: d["duplicate_of"] for d in st["article_details"]}
        assert details == {"deal-copy": None, "deal-copy-2": "deal-copy"}  # the earliest copy is the original now
        assert st["independent_sources"] == 1 and st["title"].startswith("Transport Minister")
        assert {h["id"] for h in store.search("Holm")} == {"deal-copy", "deal-copy-2"}
        done = store.remove(["deal-copy", "deal-copy-2", "quake"])  # an original and its copy at once
        assert done["emptied"] == sorted([by_article["quake"], by_article["deal"]], key=lambda k: int(k[1:]))
        assert [s["articles"] for s in store.stories()] == [["walkout"]] and store.counts()["stories"] == 1
        with pytest.raises(NotFound, match="holds no article"):
            store.story(by_article["quake"])
        newest = max(other.db_ids)  # deal-copy-2, the newest, was removed: its id is never given again
        r = ingest([write_jsonl(tmp_path / "b.jsonl", [{"id": "deal-again", "text": DEAL}])], store, FAST)
        assert r.added == 1 and r.near_duplicates == 0  # stored anew, not as a copy of a removed text
        with store.read() as conn:
            other.sync(conn)
        assert other.db_ids[-1] > newest and {other.row_of(a) for a in (3, 4, 5, 2)} <= other.cl.dropped
        placed = other.cl.assign(featurize([Article(id="x", text=DEAL + " (Reuters)")], get_encoder("hashing"))[0])
        assert placed.original == len(other.db_ids) - 1  # the live copy, not a removed one
    check_consistent(db)


def test_a_version_1_store_is_migrated(tmp_path):
    db = tmp_path / "v1.db"
    with Store(db) as store:
        ingest([write_jsonl(tmp_path / "c.jsonl", corpus(2))], store, FAST)
    with sqlite3.connect(db) as c:  # back to what version 1 wrote
        for index in ("ix_stories_last_seen", "ix_stories_merged_into", "ix_articles_duplicate_of"):
            c.execute(f"DROP INDEX {index}")
        c.execute("ALTER TABLE stories DROP COLUMN merged_into")
        c.execute("DROP TABLE story_merges")
        c.execute("DROP TABLE story_moves")
        c.execute("DROP TABLE article_removals")
        c.execute("UPDATE storydiff_meta SET value = '1' WHERE key = 'schema_version'")
    with Store(db) as store:
        assert store.schema_version() == SCHEMA_VERSION == 6
    with sqlite3.connect(db) as c:
        assert "pins" in {r[1] for r in c.execute("PRAGMA table_info(story_moves)")}
        tables = {r[0] for r in c.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        assert {"story_merges", "story_moves", "article_removals"} <= tables
        indexes = {r[0] for r in c.execute("SELECT name FROM sqlite_master WHERE type='index'")}
        assert {"ix_stories_last_seen", "ix_stories_merged_into", "ix_articles_duplicate_of"} <= indexes
    with Store(db) as store:
        assert len(store.stories()) == 3
        assert ingest([write_jsonl(tmp_path / "d.jsonl", corpus(1, start=5))], store, FAST).added == 3
    check_consistent(db)


def test_a_version_5_store_keeps_its_moves_pinning(tmp_path):
    """Version 6 logs whether a move pins its story; the moves a version-5 store logged were all a
    reader's or a split's, and still pin."""
    db = tmp_path / "v5.db"
    with Store(db) as store:
        ingest([write_jsonl(tmp_path / "c.jsonl", corpus(2))], store, FAST)
        moved = store.move([store.stories()[0]["articles"][0]])["id"]
    with sqlite3.connect(db) as c:
        c.execute("ALTER TABLE story_moves DROP COLUMN pins")
        c.execute("UPDATE storydiff_meta SET value = '5' WHERE key = 'schema_version'")
    with Store(db) as store:
        assert store.schema_version() == 6
        with store.read() as conn:
            sc = StoreClusterer()
            sc.sync(conn)
        assert parse_story_id(moved) in sc.cl.pinned
    with sqlite3.connect(db) as c:
        assert c.execute("SELECT pins FROM story_moves").fetchall() == [(1,)]


def test_bad_database_files(tmp_path):
    junk = tmp_path / "junk.db"
    junk.write_bytes(os.urandom(4096))
    with pytest.raises(CorruptStore, match="junk.db"):
        Store(junk)
    foreign = tmp_path / "foreign.db"
    with sqlite3.connect(foreign) as c:
        c.execute("CREATE TABLE users (name TEXT)")
    with pytest.raises(ForeignDatabase, match="another program"):
        Store(foreign)
    with sqlite3.connect(foreign) as c:
        assert c.execute("SELECT name FROM sqlite_master").fetchall() == [("users",)]  # untouched
    newer = tmp_path / "newer.db"
    Store(newer).close()
    with sqlite3.connect(newer) as c:
        c.execute("UPDATE storydiff_meta SET value = '99' WHERE key = 'schema_version'")
    with pytest.raises(SchemaTooNew, match="99"):
        Store(newer)
    with pytest.raises(NotFound):
        Store(tmp_path / "absent.db", create=False)
    assert Store(tmp_path / "fresh.db").schema_version() == SCHEMA_VERSION
    res = CliRunner().invoke(main, ["stories", "--db", str(junk)])
    assert res.exit_code == 1 and "not a storydiff store" in res.stderr


def _ingest_proc(src: str, db: str, batch: int = 2) -> subprocess.Popen:
    env = {**os.environ, "STORYDIFF_ENCODER": "hashing", "STORYDIFF_WORKERS": "1"}
    return subprocess.Popen([sys.executable, "-m", "storydiff.cli", "ingest", src, "--db", db, "--batch", str(batch)],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _wait_for_rows(db: str, n: int, proc: subprocess.Popen, timeout: float = 120) -> None:
    t0 = time.time()
    while time.time() - t0 < timeout:
        if os.path.exists(db):
            try:
                if row_count(db, "articles") >= n:
                    return
            except sqlite3.OperationalError:
                pass
        if proc.poll() is not None:
            raise AssertionError(f"ingest ended early: {proc.stderr.read()}")
        time.sleep(0.05)
    raise AssertionError("ingest made no progress")


def _ingest_until(tmp_path, rows: int):
    """Start an ingest of 24 articles in batches of 2; return once ``rows`` are committed."""
    recs = corpus(8)
    src, db = write_jsonl(tmp_path / "c.jsonl", recs), str(tmp_path / "s.db")
    proc = _ingest_proc(src, db)
    _wait_for_rows(db, rows, proc)
    return recs, src, db, proc


@pytest.mark.slow
def test_sigkill_then_restart_loses_nothing(tmp_path):
    recs, src, db, proc = _ingest_until(tmp_path, 4)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    killed_at = row_count(db, "articles")
    assert 4 <= killed_at < len(recs), "killed mid-ingest"
    check_consistent(db)  # the batch in flight left nothing half-written
    proc = _ingest_proc(src, db)
    _, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err
    assert f"{killed_at} already stored" in err
    assert row_count(db, "articles") == len(recs)
    check_consistent(db)


@pytest.mark.slow
def test_a_streamed_input_is_committed_when_it_falls_silent(tmp_path):
    """``my-scraper | storydiff ingest -``: what the feed sent is stored while it is silent, not
    held back until a batch fills or the feed ends (with analysis processes too)."""
    recs, db = corpus(1), str(tmp_path / "s.db")
    env = {**os.environ, "STORYDIFF_ENCODER": "hashing", "STORYDIFF_COMMIT_AFTER": "0.5"}
    proc = subprocess.Popen([sys.executable, "-m", "storydiff.cli", "ingest", "-", "--db", db, "--workers", "2"],
                            env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        proc.stdin.write(json.dumps(recs[0]) + "\n")
        proc.stdin.flush()
        _wait_for_rows(db, 1, proc)  # the batch of 32 is far from full, and the feed still open
        _, err = proc.communicate("".join(json.dumps(r) + "\n" for r in recs[1:]), timeout=120)
    finally:
        proc.kill()  # a no-op once it has ended
    assert proc.returncode == 0, err
    assert row_count(db, "articles") == len(recs)
    check_consistent(db)


@pytest.mark.slow
def test_ctrl_c_keeps_committed_batches(tmp_path):
    recs, _, db, proc = _ingest_until(tmp_path, 2)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    if proc.returncode == 0:  # it finished before the signal landed
        assert row_count(db, "articles") == len(recs)
    else:
        assert proc.returncode == 130 and "run the same command again to resume" in err
    check_consistent(db)


@pytest.mark.slow
def test_two_ingests_at_once(tmp_path):
    """Overlapping inputs written by two processes at once: each article stored once, stories shared."""
    recs = corpus(6)
    a = write_jsonl(tmp_path / "a.jsonl", recs[: len(recs) * 2 // 3])
    b = write_jsonl(tmp_path / "b.jsonl", recs[len(recs) // 3 :][::-1])
    db = str(tmp_path / "s.db")
    Store(db).close()  # both open an existing store (creation races are covered by the migration lock)
    p1, p2 = _ingest_proc(a, db), _ingest_proc(b, db)
    for p in (p1, p2):
        _, err = p.communicate(timeout=300)
        assert p.returncode == 0, err
    assert row_count(db, "articles") == len(recs)
    check_consistent(db)
    with Store(db) as store:
        by_article = {x: s["id"] for s in store.stories() for x in s["articles"]}
    for e in range(3):  # each writer saw the other's articles before clustering its own
        assert len({by_article[f"e{e}-{k}"] for k in range(6)}) == 1


def test_ingest_splits_a_story_larger_than_the_review_sample(tmp_path, monkeypatch):
    """A story of more members than a review samples is split as a small one is: reviewed on a
    sample, its other members placed by their scores, the moves made and logged in the chunks the
    database takes (chunks of three here), every article in one story, sizes as stored."""
    from storydiff import corpus
    from storydiff.cluster import stories as stories_module
    from storydiff.corpus import StoreClusterer
    from storydiff.store import db as db_module

    from .test_cluster import _counted_sizes, _fights, _kept_sizes

    monkeypatch.setattr(stories_module, "SPLIT_MAX", 10)
    monkeypatch.setattr(db_module, "BIND_CHUNK", 3)
    feats = {f.id: f for f in _fights(9)}
    monkeypatch.setattr(corpus, "featurize", lambda arts, enc: [feats[a.id] for a in arts])
    db = tmp_path / "s.db"
    recs = [{"id": i, "text": f"Report {i} of a title fight, in words of its own."} for i in feats]
    with Store(db) as store:
        r = ingest([write_jsonl(tmp_path / "a.jsonl", recs)], store, FAST)
        assert (r.added, r.split_stories) == (18, 1)
        by_article = {a: s["id"] for s in store.stories() for a in s["articles"]}
        assert len(by_article) == 18 and store.counts()["stories"] == 2
        assert len({by_article[f"a{k}"] for k in range(9)}) == 1 and len({by_article[f"b{k}"] for k in range(1, 9)}) == 1
        assert by_article["a0"] != by_article["b1"]
        fresh = StoreClusterer()
        with store.read() as conn:
            fresh.sync(conn)
        stored = {int(s["id"][1:]): len(s["articles"]) for s in store.stories()}
        assert _kept_sizes(fresh.cl) == _counted_sizes(fresh.cl) == stored
    check_consistent(db)


def test_ingest_rejoins_a_lone_report_to_the_story_it_now_joins(tmp_path, monkeypatch):
    """Y opened a story of its own (its event's first report scored it too low); the event's later
    reports, which score it the threshold, chose that report's story. The batch's review moves Y
    there, as a reader's move would but leaving the story free to be split later; the move is
    logged, Y's emptied story leads to where it went, and other writers follow."""
    from storydiff import corpus
    from storydiff.cluster.stories import StoryClusterer

    from .test_cluster import _brief, _counted_sizes, _kept_sizes

    feats = {i: _brief(i) for i in ("a0", "y", "a1", "a2", "a3")}
    monkeypatch.setattr(corpus, "featurize", lambda arts, enc: [feats[a.id] for a in arts])
    score = {"now": lambda r: 0.05}
    monkeypatch.setattr(StoryClusterer, "_term_sims", lambda self, ids, unseen, rows, coss: np.array(
        [score["now"](r) for r in rows], dtype=float))
    recs = {i: {"id": i, "text": f"Report {i} of the harbour fire, in words of its own."} for i in feats}
    db = tmp_path / "s.db"
    with Store(db) as store:
        r = ingest([write_jsonl(tmp_path / "a.jsonl", [recs["a0"], recs["y"]])], store, FAST)
        assert (r.added, r.new_stories, r.rejoined) == (2, 2, 0)
        y_story = next(s["id"] for s in store.stories() if s["articles"] == ["y"])
        other = StoreClusterer()
        with store.read() as conn:
            other.sync(conn)
        score["now"] = lambda r: 0.17 if r == 1 else 0.9  # row 1 is Y
        r = ingest([write_jsonl(tmp_path / "b.jsonl", [recs[i] for i in ("a1", "a2", "a3")])], store, FAST)
        assert (r.added, r.new_stories, r.rejoined) == (3, 0, 1) and r.to_dict()["rejoined"] == 1
        (story,) = store.stories()
        assert sorted(story["articles"]) == ["a0", "a1", "a2", "a3", "y"] and story["article_count"] == 5
        assert store.story(y_story)["id"] == story["id"]  # the emptied story's id leads there
        with sqlite3.connect(db) as c:
            assert c.execute("SELECT pins FROM story_moves").fetchall() == [(0,)]
        fresh = StoreClusterer()
        with store.read() as conn:
            other.sync(conn)
            fresh.sync(conn)
        for sc in (other, fresh):
            assert _kept_sizes(sc.cl) == _counted_sizes(sc.cl) == {int(story["id"][1:]): 5}
            assert not sc.cl.pinned  # a rejoin leaves the story to be reviewed
    check_consistent(db)


def test_ingest_splits_a_story_holding_two_events(tmp_path, monkeypatch):
    """A batch's stories are reviewed before it is committed: the two fights' story (a report of
    event B that tells of event A joined A's story, and B's reports followed) is split, B's reports
    moved to a new story as a reader's `move` would, logged for the other writers' clusterers. A
    later report of B joins B's story. Stories a reader merges are not split again."""
    from storydiff import corpus
    from storydiff.corpus import StoreClusterer

    from .test_cluster import _counted_sizes, _fights, _kept_sizes

    feats = {f.id: f for f in _fights(9)}
    monkeypatch.setattr(corpus, "featurize", lambda arts, enc: [feats[a.id] for a in arts])
    db = tmp_path / "s.db"
    recs = {i: {"id": i, "text": f"Report {i} of a title fight, in words of its own."} for i in feats}
    first = [recs[i] for i in feats if i not in ("b5", "b6", "b7", "b8")]
    with Store(db) as store:
        other = StoreClusterer()
        with store.read() as conn:
            other.sync(conn)
        r = ingest([write_jsonl(tmp_path / "a.jsonl", first)], store, FAST)
        assert (r.added, r.new_stories, r.split_stories) == (14, 1, 1) and r.to_dict()["split_stories"] == 1
        by_article = {a: s["id"] for s in store.stories() for a in s["articles"]}
        a_story, b_story = by_article["a0"], by_article["b1"]
        assert a_story != b_story and {by_article[f"a{k}"] for k in range(9)} == {a_story}
        assert {by_article[f"b{k}"] for k in range(1, 5)} == {b_story} and store.counts()["stories"] == 2
        assert row_count(db, "story_moves") >= 4
        with store.read() as conn:
            other.sync(conn)  # another writer follows the moves
        assert {other.cl.story_key(other.cl.story_of[other.row_of(store_id)]) for store_id in range(1, 15)} \
            == {int(a_story[1:]), int(b_story[1:])}
        stored = {int(s["id"][1:]): len(s["articles"]) for s in store.stories()}
        assert _kept_sizes(other.cl) == _counted_sizes(other.cl) == stored
        r = ingest([write_jsonl(tmp_path / "b.jsonl", [recs["b5"]])], store, FAST)
        assert (r.added, r.new_stories, r.split_stories) == (1, 0, 0)
        assert store.story(b_story)["articles"][-1] == "b5"
        store.merge([a_story, b_story])  # a reader's word: one story
        r = ingest([write_jsonl(tmp_path / "c.jsonl", [recs["b6"], recs["b7"], recs["b8"]])], store, FAST)
        assert (r.added, r.split_stories) == (3, 0) and store.counts()["stories"] == 1
        fresh = StoreClusterer()  # a writer starting on the store, and one following it, count alike
        with store.read() as conn:
            fresh.sync(conn)
            other.sync(conn)
        for sc in (fresh, other):
            assert _kept_sizes(sc.cl) == _counted_sizes(sc.cl) and sorted(_kept_sizes(sc.cl).values()) == [18]
    check_consistent(db)
