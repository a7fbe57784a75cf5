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
