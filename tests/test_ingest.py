"""Bad input never stops the batch: each failure names the file (and line) and is listed."""

import json
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from storydiff.analyze import Analyzer
from storydiff.api import load_articles
from storydiff.cli import main
from storydiff.errors import MalformedRecord
from storydiff.ingest.pauses import PAUSE, Pause, is_stream, with_pauses
from storydiff.model import Article
from storydiff.settings import Settings


@pytest.fixture
def good(tmp_path):
    p = tmp_path / "good.txt"
    p.write_text("Officials said the bridge will reopen on Monday after repairs.\n", encoding="utf-8")
    return p


BAD = [
    ("empty.txt", b"", "empty"),
    ("blank.md", b"   \n\n", "empty"),
    ("binary.txt", b"\x00\x01\x02PNG", "binary"),
    ("latin1.txt", "caf\xe9 au lait".encode("latin-1"), "UTF-8"),
    ("notes.docx", b"PK\x03\x04", "unsupported"),
    ("nav.html", b"<html><body><nav><a href='/'>Home</a></nav></body></html>", "no article"),
    ("bad.json", b"{not json", "invalid JSON"),
    ("norecord.json", b'{"id": "x"}', "neither 'text' nor 'html' (nor 'body', 'content', 'maintext'), nor a 'title'"),
]


@pytest.mark.parametrize("name,data,reason", BAD)
def test_bad_input_is_listed_and_others_processed(tmp_path, good, name, data, reason):
    bad = tmp_path / name
    bad.write_bytes(data)
    res = load_articles([good, bad])
    assert [a.id for a in res.articles] == ["good"]
    assert len(res.failures) == 1
    f = res.failures[0]
    assert f.source.endswith(name)
    assert reason.lower() in f.reason.lower()


def test_jsonl_malformed_line_reports_line_number(tmp_path):
    p = tmp_path / "corpus.jsonl"
    lines = [
        json.dumps({"id": 1, "text": "First article text here."}),
        "{broken",
        json.dumps({"id": "c", "outlet": "no text, no title"}),
        json.dumps({"id": "d", "html": "<html><body><article><p>" + "Real text of the article. " * 20 + "</p></article></body></html>"}),
    ]
    p.write_text("\n".join(lines), encoding="utf-8")
    res = load_articles([p])
    assert [a.id for a in res.articles] == ["1", "d"]
    assert sorted(f.line for f in res.failures) == [2, 3]
    assert all(f.source == str(p) for f in res.failures)


def test_jsonl_metadata_types(tmp_path):
    """A Unix time as ``published`` (seconds or milliseconds) becomes ISO 8601; a list or object
    where a metadata string belongs is reported with its line, not stringified."""
    p = tmp_path / "meta.jsonl"
    body = "Officials said the bridge will reopen on Monday after repairs."
    lines = [
        json.dumps({"id": "s", "text": body, "published": 1741422600}),
        json.dumps({"id": "ms", "text": body, "published": 1741422600000, "outlet": 7}),
        json.dumps({"id": "l", "text": body, "title": ["two", "titles"]}),
        json.dumps({"id": "o", "text": body, "published": {"date": "2026-03-08"}}),
        json.dumps({"id": "far", "text": body, "published": 1e300}),
        json.dumps({"id": None, "text": body + " A null id."}),  # pandas writes a missing id as null
        json.dumps({"id": True, "text": body + " A boolean id."}),
    ]
    p.write_text("\n".join(lines), encoding="utf-8")
    res = load_articles([p])
    got = {a.id: a for a in res.articles}
    assert got["s"].published == got["ms"].published == "2025-03-08T08:30:00+00:00"
    assert got["ms"].outlet == "7" and got["meta-6"].text.endswith("A null id.")  # the id its line gives
    assert sorted((f.line, f.reason.split()[0]) for f in res.failures) == [(3, "'title'"), (4, "'published'"),
                                                                           (5, "'published'"), (7, "'id'")]


def test_fields_under_other_tools_names_are_read(tmp_path):
    """Field names of news-please, NewsAPI, RSS and Wikinews dumps are read as ours; our own name
    wins; an alias of another shape is passed over, not an error."""
    p = tmp_path / "aliases.jsonl"
    body = "Officials said the bridge will reopen on Monday after repairs."
    lines = [
        json.dumps({"id": "np", "maintext": body, "date_publish": "2026-03-08 09:30:00", "source_domain": "example.org",
                    "headline": "Bridge to reopen", "language": "en", "authors": ["A. Writer", "B. Editor"]}),
        json.dumps({"id": "api", "content": body, "publishedAt": "2026-03-08T09:30:00Z",
                    "source": {"id": None, "name": "Example News"}, "link": "https://example.org/b"}),
        json.dumps({"id": "wn", "text": body, "lang": "fr", "date": "March 8, 2026", "byline": "A. Writer"}),
        json.dumps({"id": "own", "text": body, "lang": "fr", "language": "en", "source": ["not", "a", "name"]}),
    ]
    p.write_text("\n".join(lines), encoding="utf-8")
    res = load_articles([p])
    assert not res.failures
    got = {a.id: a for a in res.articles}
    assert (got["np"].text.strip(), got["np"].outlet, got["np"].title) == (body, "example.org", "Bridge to reopen")
    assert got["np"].published.startswith("2026-03-08") and got["np"].author == "A. Writer, B. Editor"
    assert (got["api"].outlet, got["api"].url, got["api"].published[:10]) == ("Example News", "https://example.org/b", "2026-03-08")
    assert (got["wn"].language, got["wn"].published[:10], got["wn"].author) == ("fr", "2026-03-08", "A. Writer")
    assert got["own"].language == "en" and got["own"].outlet is None
    p.write_text(json.dumps({"id": "blank", "text": ""}) + "\n", encoding="utf-8")  # empty, not missing
    assert "has no text" in load_articles([p]).failures[0].reason
    rss = {"id": "rss", "content": f"<div><p>{body}</p><p>Traffic will <a href='/x'>resume</a> at noon.</p></div>"}
    p.write_text(json.dumps(rss) + "\n", encoding="utf-8")  # markup under an alias is read as HTML
    art = load_articles([p]).articles[0]
    assert "<" not in art.text and body in art.text and "resume at noon" in art.text


def test_file_over_size_limit_is_refused(tmp_path, good):
    big = tmp_path / "big.txt"
    big.write_bytes(b"word " * (300 * 1024))  # 1.5 MB
    res = load_articles([good, big], Settings(max_file_mb=1.0))
    assert [a.id for a in res.articles] == ["good"]
    assert "limit" in res.failures[0].reason


def test_cli_exit_code_signals_failures_and_names_file(tmp_path, good):
    bad = tmp_path / "empty.txt"
    bad.write_bytes(b"")
    result = CliRunner().invoke(main, ["quotes", str(good), str(bad), "--format", "json"])
    assert result.exit_code == 1
    assert "empty.txt" in result.stderr
    out = json.loads(result.stdout)
    assert [a["id"] for a in out["articles"]] == ["good"]


def test_files_of_other_types_in_a_folder_are_named_in_a_note(tmp_path, good):
    """A folder's PDFs and Word files are skipped, not read, and counted in one note by type; hidden
    files and folders (.git, .DS_Store, .drafts/old.txt) are neither read nor noted."""
    for name in ("a.pdf", "b.pdf", "sub/c.docx", ".git/HEAD", ".DS_Store", ".drafts/old.txt"):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_bytes(b"%PDF")
    res = load_articles([tmp_path])
    assert [a.id for a in res.articles] == ["good"] and not res.failures
    assert [Path(f).name for f in res.skipped] == ["a.pdf", "b.pdf", "c.docx"]
    out = CliRunner().invoke(main, ["cluster", str(tmp_path), "--format", "json"])
    assert out.exit_code == 0 and "3 file(s) in the input folders" in out.stderr and "2 .pdf, 1 .docx" in out.stderr


def test_missing_path_is_a_failure_not_a_crash(tmp_path, good):
    res = load_articles([good, tmp_path / "nope.txt"])
    assert len(res.articles) == 1 and "cannot read" in res.failures[0].reason


def test_csv_tsv_and_parquet_rows_are_articles(tmp_path):
    """Tables read as JSONL does: columns named as its fields (or their aliases), one article a row;
    a bad row is a failure with the line it starts on, the others are read."""
    body = "Officials said the bridge will reopen on Monday after repairs."
    csv_path = tmp_path / "feed.csv"
    csv_path.write_text(
        "id,title,content,date,source\n"
        f'a,Bridge to reopen,"{body}\nA second paragraph, with a comma.",1741422600,Example News\n'
        f"b,Too many cells,{body},2026-03-08,X,extra\n"
        f"c,,{body},,\n", encoding="utf-8")
    res = load_articles([csv_path])
    got = {a.id: a for a in res.articles}
    assert sorted(got) == ["a", "c"]
    assert got["a"].text.endswith("with a comma.") and got["a"].published == "2025-03-08T08:30:00+00:00"
    assert (got["a"].title, got["a"].outlet, got["c"].title) == ("Bridge to reopen", "Example News", None)
    assert [(f.line, "6 cells" in f.reason) for f in res.failures] == [(4, True)]  # row b starts on line 4

    semi = tmp_path / "excel.csv"  # a spreadsheet's CSV where a decimal comma is written: semicolons
    semi.write_text(f"id;text;outlet\ns1;{body} Prices rose 2,5%.;Le Journal\n", encoding="utf-8")
    got = {a.id: a for a in load_articles([semi]).articles}
    assert got["s1"].text.endswith("2,5%.") and got["s1"].outlet == "Le Journal"

    kaggle = tmp_path / "all-the-news.csv"  # spreadsheet headers in title case, Kaggle's names
    kaggle.write_text(f"ID,Title,Publication,Date, Content \nk1,Bridge,The Post,2026-03-08,{body}\n", encoding="utf-8")
    got = {a.id: a for a in load_articles([kaggle]).articles}
    assert (got["k1"].title, got["k1"].outlet, got["k1"].published) == ("Bridge", "The Post", "2026-03-08")

    tsv_path = tmp_path / "feed.tsv"
    tsv_path.write_text(f"id\ttext\tlang\nt1\t{body}\tfr\n", encoding="utf-8")
    pq_path = tmp_path / "feed.parquet"
    import pandas as pd

    pd.DataFrame({"id": ["p1", "p2"], "text": [body, None], "published": pd.to_datetime(["2026-03-08", "2026-03-09"])}).to_parquet(pq_path)
    res = load_articles([tsv_path, pq_path])
    got = {a.id: a for a in res.articles}
    assert got["t1"].language == "fr" and got["p1"].published.startswith("2026-03-08")
    assert [(f.source.endswith("feed.parquet"), f.line) for f in res.failures] == [(True, 2)]  # p2 has no text


def test_damaged_parquet_data_is_a_failure_not_an_escaped_error(tmp_path):
    """A Parquet file whose data pages are overwritten (its footer intact) fails with the row where
    reading stopped; pyarrow's own error does not escape."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = tmp_path / "damaged.parquet"
    text = "Officials said the bridge will reopen on Monday after repairs. " * 5
    pq.write_table(pa.table({"id": [f"r{i}" for i in range(3000)], "text": [text + str(i) for i in range(3000)]}),
                   path, row_group_size=1000, compression="none")
    data = bytearray(path.read_bytes())
    third = len(data) // 3  # the middle third: it holds the second row group's page headers
    data[third : 2 * third] = b"A" * third
    path.write_bytes(bytes(data))
    res = load_articles([path])
    (f,) = res.failures
    assert "unreadable Parquet data after row" in f.reason and f.line == len(res.articles) + 1


def test_bad_tables_are_failures_with_their_line(tmp_path):
    body = "Officials said the bridge will reopen on Monday after repairs."
    latin = tmp_path / "latin.csv"
    latin.write_bytes(f"id,text\nok,{body}\nbad,caf\xe9\n".encode("latin-1"))
    empty, header_only, fake = tmp_path / "empty.csv", tmp_path / "head.csv", tmp_path / "fake.parquet"
    empty.write_text("", encoding="utf-8")
    header_only.write_text("id,text\n", encoding="utf-8")
    fake.write_text("not parquet at all", encoding="utf-8")
    stories = tmp_path / "stories.csv"  # storydiff's own output: no text column, refused once
    stories.write_text("id,story,duplicate_of,story_title\na,s1,,T\nb,s1,,T\n", encoding="utf-8")
    huge = tmp_path / "huge.csv"  # a cell over the size limit fails its row only
    huge.write_text(f"id,text\nbig,{'word ' * 250_000}\nafter,{body}\n", encoding="utf-8")
    res = load_articles([latin, empty, header_only, fake, stories, huge], Settings(max_file_mb=1.0))
    assert [a.id for a in res.articles] == ["ok", "after"]
    reasons = {(Path(f.source).name, f.line): f.reason for f in res.failures}
    assert "UTF-8" in reasons[("latin.csv", 3)]
    assert "empty" in reasons[("empty.csv", None)] and "no rows" in reasons[("head.csv", None)]
    assert "Parquet" in reasons[("fake.parquet", None)]
    assert "no column for the article's text" in reasons[("stories.csv", None)]
    assert "field limit" in reasons[("huge.csv", 2)] and len(res.failures) == 6


def test_compressed_files_are_read_as_they_decompress(tmp_path):
    """"feed.jsonl.gz" is read as JSON Lines (ids from "feed"), text, CSV and JSON too, in gzip, bzip2
    and xz; a file cut short keeps the records before the cut and fails at the line it broke on."""
    import bz2
    import gzip
    import lzma

    body = "Officials said the bridge will reopen on Monday after repairs."
    jsonl = "".join(json.dumps({"text": f"{body} Day {i}."}) + "\n" for i in range(40)).encode()
    (tmp_path / "feed.jsonl.gz").write_bytes(gzip.compress(jsonl))
    (tmp_path / "feed.ndjson.bz2").write_bytes(bz2.compress(jsonl))
    (tmp_path / "story.TXT.xz").write_bytes(lzma.compress(f"Bridge to reopen\n{body}".encode()))
    (tmp_path / "rows.csv.gz").write_bytes(gzip.compress(f"id,text\nc1,{body}\n".encode()))
    (tmp_path / "one.json.gz").write_bytes(gzip.compress(json.dumps({"id": "j1", "text": body}).encode()))
    packed = gzip.compress(jsonl)
    (tmp_path / "cut.jsonl.gz").write_bytes(packed[: len(packed) // 2])
    (tmp_path / "fake.jsonl.gz").write_bytes(jsonl)  # named .gz, not compressed
    (tmp_path / "cols.parquet.gz").write_bytes(gzip.compress(b"PAR1"))
    res = load_articles([tmp_path])
    ids = [a.id for a in res.articles]
    assert {"feed-1", "feed-40", "story", "c1", "j1"} <= set(ids)
    assert sum(i.startswith("feed-") for i in ids) == 80  # both feeds whole (the second's ids renamed)
    story = next(a for a in res.articles if a.id == "story")
    assert story.title == "Bridge to reopen" and story.text.endswith("repairs.")
    cut = sorted(int(i.split("-")[1]) for i in ids if i.startswith("cut-"))
    fails = {Path(f.source).name: f for f in res.failures}
    assert sorted(fails) == ["cols.parquet.gz", "cut.jsonl.gz", "fake.jsonl.gz"]
    assert cut == list(range(1, len(cut) + 1)) and fails["cut.jsonl.gz"].line == len(cut) + 1
    assert "decompress" in fails["cut.jsonl.gz"].reason and "decompress" in fails["fake.jsonl.gz"].reason
    assert "uncompressed" in fails["cols.parquet.gz"].reason
    big = tmp_path / "big" / "big.txt.gz"  # the size limit holds for what a file decompresses to
    big.parent.mkdir()
    big.write_bytes(gzip.compress(b"word " * 300_000))
    (f,) = load_articles([big], Settings(max_file_mb=1.0)).failures
    assert "decompresses to over" in f.reason


def test_zip_and_tar_archives_are_read_as_folders(tmp_path):
    """An archive's members are read by their type (a compressed one too) under "archive/member"
    names; other types are noted, hidden members (__MACOSX) ignored, an archive inside an archive
    and an unreadable archive fail by name, and a member that fails fails alone."""
    import gzip
    import io
    import tarfile
    import zipfile

    body = "Officials said the bridge will reopen on Monday after repairs."
    with zipfile.ZipFile(tmp_path / "news.zip", "w") as z:
        z.writestr("2026/a.txt", f"Bridge to reopen\n{body}")
        z.writestr("feed.jsonl.gz", gzip.compress((json.dumps({"id": "j1", "text": body}) + "\n{bad\n").encode()))
        z.writestr("rows.csv", f'id,text\nc1,"{body}"\n')
        z.writestr("__MACOSX/2026/._a.txt", "resource fork")
        z.writestr("photo.jpg", b"\xff\xd8")
        z.writestr("inner.zip", b"PK")
    with tarfile.open(tmp_path / "more.tar.gz", "w:gz") as t:
        for name, data in [("x/b.txt", body.encode()), ("x/note.pdf", b"%PDF")]:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            t.addfile(info, io.BytesIO(data))
    (tmp_path / "broken.zip").write_bytes(b"PK\x03\x04 not really")
    res = load_articles([tmp_path / "news.zip", tmp_path / "more.tar.gz", tmp_path / "broken.zip"])
    got = {a.id: a for a in res.articles}
    assert sorted(got) == ["a", "b", "c1", "j1"] and got["a"].title == "Bridge to reopen"
    assert got["a"].source_path == str(tmp_path / "news.zip") + "/2026/a.txt"
    fails = {(f.source.replace(str(tmp_path) + "/", ""), f.line): f.reason for f in res.failures}
    assert sorted(fails) == [("broken.zip", None), ("news.zip/feed.jsonl.gz", 2), ("news.zip/inner.zip", None)]
    assert "extract it first" in fails[("news.zip/inner.zip", None)] and "archive" in fails[("broken.zip", None)]
    assert [Path(f).name for f in res.skipped] == ["photo.jpg", "note.pdf"]


def test_standard_input_is_an_input(tmp_path):
    """``-`` reads standard input: JSON Lines from a pipe (bad lines named with their number), else
    one article under the id "stdin"."""
    body = "Officials said the bridge will reopen on Monday after repairs."
    lines = json.dumps({"id": "p1", "text": body}) + "\n{broken\n" + json.dumps({"id": "p2", "text": body + " More."}) + "\n"
    res = CliRunner().invoke(main, ["cluster", "-", "--format", "csv"], input="\n" + lines)  # a blank first line
    assert res.exit_code == 1 and "<stdin>:3: invalid JSON" in res.stderr
    assert [r.split(",")[0] for r in res.stdout.splitlines()[1:]] == ["p1", "p2"]
    res = CliRunner().invoke(main, ["analyze", "-", "--format", "json"], input=body)
    assert res.exit_code == 0 and json.loads(res.stdout)["articles"][0]["id"] == "stdin"
    res = CliRunner().invoke(main, ["analyze", "-"], input="")
    assert res.exit_code == 1 and "<stdin>: standard input is empty" in res.stderr


def test_a_language_label_the_text_does_not_read_as_is_noted_and_kept(tmp_path):
    de = ("Fast zwei Jahre nach dem Absturz eines Flugzeugs im Atlantik wurde das Wrack im vierten Anlauf "
          "geortet. Das gab die französische Behörde für Flugunfalluntersuchungen am Montag bekannt. Die "
          "Suche hatte sich über viele Monate hingezogen, und die Angehörigen der Opfer warten auf Antworten.")
    en = ("Officials said the bridge will reopen on Monday after repairs that took most of the winter. The "
          "city council approved the budget last month, and traffic is expected to return to normal levels "
          "by the end of the week, the transport department said in a statement on Friday.")
    recs = [{"id": "de-as-fr", "text": de, "language": "fr"}, {"id": "en-ok", "text": en, "language": "en-GB"},
            {"id": "short", "text": "Kurzer Text.", "language": "fr"}, {"id": "unlabelled", "text": de}]
    src = tmp_path / "m.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in recs), encoding="utf-8")
    res = load_articles([src])
    assert res.mislabelled == [("de-as-fr", "fr", "de")]  # en-GB reads as en; short texts are not judged
    assert {a.id: a.language for a in res.articles}["de-as-fr"] == "fr"  # the label is kept
    out = CliRunner().invoke(main, ["cluster", str(src), "--format", "csv"])
    assert "'de-as-fr' is labelled 'fr' but reads as 'de'; the label is kept" in out.stderr and out.exit_code == 0
    assert load_articles([src], Settings(check_language=False)).mislabelled == []  # labels known good: not read


@pytest.mark.parametrize("label,code", [("en-US", "en"), ("EN", "en"), ("en_GB", "en"), ("zh-Hans-CN", "zh"),
                                        ("eng", "en"), ("fre", "fr"), ("cmn", "zh"), ("English", "en"),
                                        ("xx-YY", "xx"), ("  ", None)])
def test_language_labels_are_read_as_codes(label, code):
    from storydiff.analyze.language import language_code

    assert language_code(label) == code


def test_a_regional_language_label_gets_the_languages_analysis(tmp_path):
    """An article labelled "en-US" (an RSS feed's <language>) is analysed as English, as one labelled
    "en" is: dates and quotations found alike, and the label stored as the code."""
    from storydiff.api import analyze

    body = ('"We will reopen the bridge on Monday," the mayor said on Friday, March 6, 2026. '
            "Officials said repairs had taken four months.")
    p = tmp_path / "labels.jsonl"
    p.write_text("".join(json.dumps({"id": i, "text": body, "language": lab}) + "\n"
                         for i, lab in (("plain", "en"), ("regional", "en-US"), ("upper", "EN"))), encoding="utf-8")
    got = {a.id: a for a in analyze([p], Settings(workers=1)).articles}
    assert {a.language for a in got.values()} == {"en"}
    assert got["plain"].dates and got["plain"].quotes
    for other in ("regional", "upper"):
        assert [d.to_dict() for d in got[other].dates] == [d.to_dict() for d in got["plain"].dates]
        assert len(got[other].quotes) == len(got["plain"].quotes)


def test_a_record_with_a_title_and_no_text_is_read_as_its_headline(tmp_path):
    """Headline feeds: a title with no text (missing or empty) is the article; a note counts them."""
    feed = tmp_path / "feed.jsonl"
    feed.write_text("\n".join(json.dumps(r) for r in [
        {"id": "empty", "title": "Dockers end strike in Lindhaven", "text": ""},
        {"id": "alias", "headline": "  Arvel earthquake kills 12\n"},  # no text field at all; under an alias
        {"id": "full", "title": "Bank raises rate", "text": "The central bank raised its rate to 4 percent."},
        {"id": "none", "outlet": "A"},
    ]) + "\n", encoding="utf-8")
    table = tmp_path / "headlines.csv"
    table.write_text("id,title,outlet\nc1,Port reopens after strike,B\n", encoding="utf-8")
    res = load_articles([feed, table])
    got = {a.id: a for a in res.articles}
    assert (got["empty"].text, got["alias"].text, got["c1"].text) == (
        "Dockers end strike in Lindhaven", "Arvel earthquake kills 12", "Port reopens after strike")
    assert got["empty"].title == "Dockers end strike in Lindhaven" and got["c1"].outlet == "B"
    assert res.headlines == ["empty", "alias", "c1"] and not got["full"].headline_only
    assert [(f.line, "nor a 'title'" in f.reason) for f in res.failures] == [(4, True)]
    res = CliRunner().invoke(main, ["cluster", str(feed), "--format", "json"])
    assert "note: 3 record(s) have a title and no text" not in res.stderr  # two here, and the failure
    assert "note: 2 record(s) have a title and no text, and are read as that headline alone (e.g. 'empty')" in res.stderr
    ids = {a for s in json.loads(res.stdout)["stories"] for a in s["articles"]}
    assert ids == {"empty", "alias", "full"}


def test_ingest_reports_the_records_read_as_headlines(tmp_path, monkeypatch):
    monkeypatch.setenv("STORYDIFF_ENCODER", "hashing")
    feed = tmp_path / "feed.jsonl"
    feed.write_text(json.dumps({"id": "h", "title": "Dockers end strike in Lindhaven"}) + "\n", encoding="utf-8")
    res = CliRunner().invoke(main, ["ingest", str(feed), "--db", str(tmp_path / "s.db"), "--format", "json"])
    assert res.exit_code == 0 and json.loads(res.stdout)["headlines"] == ["h"]
    assert "1 record(s) have a title and no text" in res.stderr
    res = CliRunner().invoke(main, ["search", "Lindhaven", "--db", str(tmp_path / "s.db"), "--format", "json"])
    assert [r["id"] for r in json.loads(res.stdout)["results"]] == ["h"]


def test_inputs_without_metadata_take_the_command_lines_defaults(tmp_path, monkeypatch):
    """--outlet / --language / --published fill what an input does not give; what it gives wins."""
    monkeypatch.setenv("STORYDIFF_ENCODER", "hashing")
    folder = tmp_path / "herald"
    folder.mkdir()
    (folder / "a.txt").write_text("Dockers end strike\nDock workers in Lindhaven ended their strike on Monday.", encoding="utf-8")
    (folder / "b.jsonl").write_text(json.dumps({"id": "own", "text": "The port reopened on Tuesday after the strike.",
                                                "outlet": "Coastal Wire", "published": "2026-03-10"}) + "\n", encoding="utf-8")
    res = load_articles([folder], defaults={"outlet": "Harbour Herald", "language": "English", "published": "March 9, 2026"})
    got = {a.id: a for a in res.articles}
    assert (got["a"].outlet, got["a"].language, got["a"].published) == ("Harbour Herald", "en", "2026-03-09")
    assert (got["own"].outlet, got["own"].published) == ("Coastal Wire", "2026-03-10")
    with pytest.raises(ValueError, match="no default for 'author'"):
        load_articles([folder], defaults={"author": "me"})
    db = str(tmp_path / "s.db")
    res = CliRunner().invoke(main, ["ingest", str(folder), "--db", db, "--outlet", "Harbour Herald", "--published", "2026-03-09"])
    assert res.exit_code == 0, res.output
    res = CliRunner().invoke(main, ["export", "--db", db, "--format", "jsonl"])
    rows = {r["id"]: r for r in map(json.loads, res.stdout.splitlines())}
    assert (rows["a"]["outlet"], rows["a"]["published"], rows["own"]["outlet"]) == ("Harbour Herald", "2026-03-09", "Coastal Wire")
    for option, value in (("--language", "klingon"), ("--published", "soon"), ("--outlet", " ")):
        res = CliRunner().invoke(main, ["cluster", str(folder), option, value])
        assert res.exit_code == 2 and f"Invalid value for '{option}'" in res.output


def _slow_feed(log: list):
    """Two items back to back, a long silence, one more, then a broken record."""
    for item in ("a", "b"):
        log.append(item)
        yield item
    time.sleep(1.0)
    log.append("c")
    yield "c"
    raise MalformedRecord("feed.jsonl: line 4: invalid JSON")


def test_a_silent_stream_is_marked_by_a_pause_and_its_errors_come_in_order():
    log: list = []
    got = []
    waits: list[float] = []
    with pytest.raises(MalformedRecord, match="line 4"):
        for item in with_pauses(_slow_feed(log), idle=0.25, waited=waits.append):
            got.append(item)
    assert got == ["a", "b", PAUSE, "c"]  # one pause, in the silence only, none before the first item
    assert sum(waits) >= 0.9  # the second of silence is counted as waiting (not as work)
    assert is_stream("-") and not is_stream(__file__)


def test_analysis_hands_on_what_came_before_a_pause_without_reading_on(tmp_path):
    """A pause is a barrier: the articles before it come out analysed before the next is read."""
    read: list[str] = []

    def feed():
        for i, item in enumerate(["Le port de Valmora a rouvert lundi.", PAUSE, "La grève est finie."]):
            if isinstance(item, Pause):
                yield item
                continue
            read.append(f"f{i}")
            yield Article(id=f"f{i}", text=item, language="fr")

    # one process here: with analysis processes the barrier is shown end to end, in a process of
    # its own (test_store: a streamed input is committed when it falls silent); forking them from
    # a test runner's worker, whose threads may hold locks, could hang
    out = Analyzer(Settings(workers=1, batch_size=32)).analyze(feed())
    first = next(out)
    assert first.id == "f0" and first.sentences and read == ["f0"]
    assert next(out) is PAUSE and read == ["f0"]
    assert [a.id for a in out] == ["f2"]
