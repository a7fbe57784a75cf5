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
         "Settings", "Span", "StorydiffError", "__version__", "analyze", "compare", "load_articles"]
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
