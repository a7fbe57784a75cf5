"""Settings (three ways in, each documented) and the pinned public API."""

from pathlib import Path

import pytest

import storydiff
from storydiff.errors import ConfigError
from storydiff.settings import Settings

DOCS = Path(__file__).resolve().parents[1] / "docs" / "settings.md"


def test_every_setting_is_documented():
    text = DOCS.read_text(encoding="utf-8")
    for name, _, _ in Settings.describe():
        assert f"`{name}`" in text, f"{name} missing from docs/settings.md"


def test_settings_sources_in_order(tmp_path):
    cfg = tmp_path / "s.toml"
    cfg.write_text("[storydiff]\nbatch_size = 8\nworkers = 3\n", encoding="utf-8")
    s = Settings.load(cfg, env={"STORYDIFF_WORKERS": "2", "STORYDIFF_INDIRECT_QUOTES": "false"}, batch_size=4)
    assert (s.batch_size, s.workers, s.indirect_quotes) == (4, 2, False)


@pytest.mark.parametrize("kwargs", [{"nope": 1}, {"batch_size": "many"}, {"workers": -1}, {"batch_size": 0},
                                    {"similarity_threshold": 1.5}, {"max_file_mb": 0}])
def test_bad_settings_raise_config_error(kwargs):
    with pytest.raises(ConfigError):
        Settings.load(env={}, **kwargs)


def test_public_api_is_pinned():
    assert sorted(storydiff.__all__) == sorted(
        ["Article", "Boilerplate", "Citation", "Comparison", "DateMention", "Entity", "LoadResult", "NumberMention", "Quote",
         "Settings", "Span", "StorydiffError", "__version__", "analyze", "cluster_stories", "compare", "ingest_articles",
         "load_articles", "open_store"]
    )


def test_analyze_reports_progress_by_phase(tmp_path):
    """``progress(phase, advance, total)``: one "reading" tick an input article (total unknown),
    then "analysing" announced with its total and ticked to it."""
    from storydiff.api import analyze

    for i in range(3):
        (tmp_path / f"a{i}.txt").write_text(f"Officials said the bridge {i} will reopen on Monday.", encoding="utf-8")
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    calls = []
    res = analyze([tmp_path], Settings(workers=1), progress=lambda *c: calls.append(c))
    assert len(res.articles) == 3 and len(res.failures) == 1
    assert calls == [("reading", 1, None)] * 4 + [("analysing", 0, 3)] + [("analysing", 1, 3)] * 3


def test_public_cluster_open_store_and_ingest(tmp_path, monkeypatch):
    """``storydiff.cluster_stories`` (paths or articles, the encoder the settings name), ``open_store``
    and ``ingest_articles``: the store and the clustering without the CLI."""
    import json

    import storydiff.embed
    from storydiff import Article
    from storydiff.errors import NotFound

    used = []
    real = storydiff.embed.get_encoder
    monkeypatch.setattr(storydiff.embed, "get_encoder", lambda name, *a, **k: used.append(name) or real(name, *a, **k))
    fast = Settings(encoder="hashing")
    strike = "Dock workers in Lindhaven ended their strike on Tuesday, Minister Ida Holm said."
    quake = "A magnitude 6.1 earthquake struck Arvel province on Sunday, Governor Pavel Orsk said."
    arts = [Article(id="a", text=strike, language="en"), Article(id="b", text=quake, language="en")]
    feed = tmp_path / "feed.jsonl"
    feed.write_text(json.dumps({"id": "c", "text": strike + " The port reopened.", "language": "en"}) + "\n", encoding="utf-8")
    stories, res = storydiff.cluster_stories([*arts, feed], fast, why=True)
    assert used == ["hashing"] and res.failures == []
    assert sorted(sorted(s.articles) for s in stories) == [["a", "c"], ["b"]]
    assert all(len(s.to_dict()["links"]) == len(s.articles) for s in stories)
    with storydiff.open_store(tmp_path / "s.db") as store:
        report = storydiff.ingest_articles([feed], store, fast)
        assert report.added == 1 and [s["articles"] for s in store.stories()] == [["c"]]
    with pytest.raises(NotFound):
        storydiff.open_store(tmp_path / "none.db", create=False)
