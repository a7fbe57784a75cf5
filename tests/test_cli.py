"""The CLI's documented JSON shapes."""

import json

from click.testing import CliRunner

from storydiff.cli import main


def test_quotes_json_shape(tmp_path):
    p = tmp_path / "c.jsonl"
    p.write_text(json.dumps({"id": 7, "text": '"We are ready," the coach said. Officials said that tickets sold out.'}) + "\n", encoding="utf-8")
    r = CliRunner().invoke(main, ["quotes", str(p), "--format", "json"])
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert out["articles"] == [{"id": "7", "text": '"We are ready," the coach said. Officials said that tickets sold out.'}]
    kinds = {q["kind"] for q in out["quotes"]}
    assert kinds == {"direct", "indirect"}
    text = out["articles"][0]["text"]
    for q in out["quotes"]:
        assert set(q) >= {"article", "start", "end", "text", "speaker", "speaker_start", "speaker_end", "kind"}
        assert q["article"] == "7"
        assert text[q["start"] : q["end"]] == q["text"]
        if q["speaker"] is not None:
            assert text[q["speaker_start"] : q["speaker_end"]] == q["speaker"]


def test_analyze_json_has_all_layers(tmp_path):
    p = tmp_path / "a.txt"
    p.write_text("The mayor said on Monday that 30% of roads were closed.", encoding="utf-8")
    r = CliRunner().invoke(main, ["analyze", str(p)])
    assert r.exit_code == 0, r.output
    art = json.loads(r.stdout)["articles"][0]
    for layer in ("sentences", "entities", "dates", "numbers", "quotes", "citations", "boilerplate"):
        assert layer in art
    assert art["language"] == "en"
    assert any(n["unit"] == "%" for n in art["numbers"])


def test_unknown_setting_in_config_is_usage_error(tmp_path):
    cfg = tmp_path / "c.toml"
    cfg.write_text("bogus = 1\n", encoding="utf-8")
    p = tmp_path / "a.txt"
    p.write_text("Some text here.", encoding="utf-8")
    r = CliRunner().invoke(main, ["--config", str(cfg), "analyze", str(p)])
    assert r.exit_code == 2 and "bogus" in r.output


def test_compare_cli_json_and_failures(tmp_path):
    from click.testing import CliRunner

    from storydiff.cli import main

    a = tmp_path / "a.txt"
    b = tmp_path / "b.txt"
    a.write_text("Strike ends\nDock workers in Lindhaven returned to work on Tuesday after a six-day strike.\nThe union said pay rises by 5%.\n", encoding="utf-8")
    b.write_text("Dockers back\nDock workers in Lindhaven went back to work on Tuesday after a six-day strike.\nThe union said pay rises by 7%.\n", encoding="utf-8")
    runner = CliRunner()
    res = runner.invoke(main, ["compare", str(a), str(b), str(tmp_path / "missing.txt"), "--format", "json"])
    assert res.exit_code == 1  # one input failed, the rest compared
    import json as _json

    out = _json.loads(res.stdout)
    assert [x["id"] for x in out["articles"]] == ["a", "b"]
    assert any(c["kind"] == "number" for c in out["conflicts"])
    assert "missing.txt" in res.stderr

    html = tmp_path / "r.html"
    res = runner.invoke(main, ["compare", str(a), str(b), "--format", "html", "-o", str(html)])
    assert res.exit_code == 0 and html.read_text(encoding="utf-8").startswith("<!doctype html>")

    res = runner.invoke(main, ["compare", str(a)])
    assert res.exit_code == 1 and "at least two" in res.stderr


def test_cluster_threshold_out_of_range_is_usage_error(tmp_path):
    p = tmp_path / "c.jsonl"
    p.write_text('{"id": "a", "text": "One short article."}\n', encoding="utf-8")
    r = CliRunner().invoke(main, ["cluster", str(p), "--threshold", "-1"])
    assert r.exit_code == 2 and "--threshold" in r.output


def test_cluster_notes_an_id_given_twice(tmp_path):
    p = tmp_path / "c.jsonl"
    p.write_text('{"id": 1, "text": "Dock workers in Lindhaven went on strike."}\n'
                 '{"id": 1, "text": "A comet was seen over Valmora last night."}\n', encoding="utf-8")
    r = CliRunner().invoke(main, ["cluster", str(p), "--format", "csv"])
    assert r.exit_code == 0, r.output
    assert [line.split(",")[0] for line in r.stdout.splitlines()[1:]] == ["1", "1#2"]
    assert "id '1' was given more than once" in r.stderr and "'1#2'" in r.stderr


def test_store_commands_do_not_load_spacy():
    """Commands that analyse nothing (stories, search, --help) start without importing spaCy: it is
    loaded with the first English pipeline, not when storydiff is imported."""
    import subprocess
    import sys

    code = "import sys, storydiff.cli, storydiff.store; print('spacy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
