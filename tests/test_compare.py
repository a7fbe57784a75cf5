"""compare: statements, quotation variants, conflicts, citations, renderings, on small written fixtures."""

from __future__ import annotations

import json

import pytest

from storydiff.compare import TooFewArticles, compare_articles
from storydiff.compare.conflicts import titles_conflict
from storydiff.compare.report.html import Mark, render_marked
from storydiff.compare.units import split_clauses
from storydiff.embed import HashingEncoder
from storydiff.extract import extract
from storydiff.model import RawDocument, Span

A = """Harbor strike ends after talks
Dock workers in Lindhaven returned to work on Tuesday after a six-day strike, according to the Lindhaven Post.
The union said the deal raises pay by 5% and adds 200 jobs.
Transport Minister Ida Holm called the deal "a fair outcome for every family in this town."
Ships had queued outside the harbor for most of the week.
Read next: Ferry fares to rise in June
"""
B = """Lindhaven dockers back at work
Dock workers in Lindhaven went back to work on Tuesday following a six-day strike, the Lindhaven Post reported.
The union said the agreement raises pay by 7% and adds 200 jobs.
Deputy Mayor Ida Holm described it as "a fair outcome for all families in this town."
The city council will debate harbor fees next month.
Photo: workers at the gate on Monday. (Photo: Per Lund/Harbor News)
"""


@pytest.fixture(scope="session")
def article(analyzer):
    """Text -> extracted (headline, boilerplate) and analysed article, as a file would be."""

    def make(text: str, id: str, language: str | None = "en"):
        raw = RawDocument(id=id, source_path=f"{id}.txt", text=text, meta={"language": language} if language else {})
        return next(iter(analyzer.analyze([extract(raw)])))

    return make


@pytest.fixture(scope="module")
def pair(article):
    a = article(A, "a")
    b = article(B, "b")
    return a, b, compare_articles([a, b])


def _valid(comp, mention):
    art = comp.article(mention["article"] if isinstance(mention, dict) else mention.article)
    m = mention if isinstance(mention, dict) else mention.to_dict()
    assert art.text[m["start"] : m["end"]] == m["text"], m


def test_statements_shared_and_unique(pair):
    a, b, comp = pair
    by_status = {s.status for s in comp.statements}
    assert by_status <= {"shared", "partial", "unique"}
    shared = [s for s in comp.statements if s.status == "shared"]
    assert any("six-day strike" in m.text for s in shared for m in s.mentions)
    unique_texts = [s.mentions[0].text for s in comp.statements if s.status == "unique"]
    assert any("council will debate" in t for t in unique_texts)
    assert any("Ships had queued" in t for t in unique_texts)


def test_boilerplate_is_not_compared(pair):
    _, _, comp = pair
    texts = " ".join(m.text for s in comp.statements for m in s.mentions)
    assert "Read next" not in texts and "Per Lund" not in texts


def test_conflicts_title_and_number(pair):
    _, _, comp = pair
    kinds = {c.kind: c for c in comp.conflicts}
    assert "title" in kinds and kinds["title"].about.endswith("Holm")
    assert {v.text for v in kinds["title"].values} == {"Transport Minister", "Deputy Mayor"}
    num = kinds["number"]
    assert {v.text for v in num.values} == {"5%", "7%"}
    assert not any(c.kind == "count" for c in comp.conflicts), "200 jobs agree"
    for c in comp.conflicts:
        for v in c.values:
            _valid(comp, v)


def test_quote_variants_grouped_with_changes(pair):
    _, _, comp = pair
    group = next(g for g in comp.quotes if "fair outcome" in g.variants[0].text)
    assert len(group.articles) == 2
    assert group.speaker and "Holm" in group.speaker
    assert 0 < group.drift < 0.5
    changed = {c.text for v in group.variants for c in v.changes}
    assert {"every family", "all families"} <= changed
    for v in group.variants:
        _valid(comp, v)
        for c in v.changes:
            _valid(comp, c)


def test_citations_merged(pair):
    _, _, comp = pair
    assert {c.source for c in comp.citations} == {"Lindhaven Post"}
    assert {c.article for c in comp.citations} == {"a", "b"}


def test_json_shape_and_offsets(pair):
    _, _, comp = pair
    d = json.loads(comp.to_json())
    assert {"articles", "statements", "quotes", "conflicts", "citations"} <= set(d)
    assert set(d["articles"][0]) >= {"id", "title", "outlet", "published", "language", "text"}
    for s in d["statements"]:
        assert s["status"] in {"shared", "partial", "unique"}
        for m in s["mentions"]:
            _valid(comp, m)
    for q in d["quotes"]:
        assert "speaker" in q
        for v in q["variants"]:
            _valid(comp, v)
    for c in d["citations"]:
        _valid(comp, c)


def test_every_unit_belongs_to_one_statement(pair):
    a, b, comp = pair
    seen = [(m.article, m.start) for s in comp.statements for m in s.mentions]
    assert len(seen) == len(set(seen))


def test_html_escapes_article_content(article):
    evil = 'Officials met <script>alert("x")</script> on Monday in the town hall of Lindhaven to discuss the port.\n'
    a = article(evil + A, "<img src=x onerror=alert(1)>")
    b = article(B, "b")
    html = compare_articles([a, b]).to_html()
    assert "<script>alert" not in html and "&lt;script&gt;" in html
    assert "<img src=x" not in html
    assert "http://" not in html.split("<body>")[1].replace("http://www.w3.org", "")  # nothing loaded from the network


def test_markdown_and_pandas(pair):
    _, _, comp = pair
    md = comp.to_markdown()
    assert "## Conflicts" in md and "Transport Minister" in md
    tables = comp.to_pandas()
    assert set(tables) == {"articles", "statements", "quotes", "conflicts", "citations", "relations"}
    st = tables["statements"]
    assert list(st.columns[:3]) == ["statement", "status", "score"] and len(st) >= 6


def test_one_article_is_an_error(article):
    with pytest.raises(TooFewArticles):
        compare_articles([article(A, "a")])


def test_unrelated_article_and_unknown_language_warn(article):
    a = article(A, "a")
    b = article(B, "b")
    other = article("A new species of frog was described by biologists in the cloud forests of Peru this spring.\n", "frog")
    sw = article("Wafanyakazi wa bandari ya Lindhaven walirudi kazini Jumanne baada ya mgomo wa siku sita.\n", "sw", language="sw")
    comp = compare_articles([a, b, other, sw])
    text = " ".join(comp.warnings)
    assert "frog: shares almost nothing" in text
    assert "sw: language 'sw'" in text
    assert comp.statements  # the rest is still compared


def test_hashing_encoder_backend(article):
    a = article(A, "a")
    b = article(B, "b")
    enc = HashingEncoder()
    v = enc.encode(["same text", "same text", "other"])
    assert abs(float(v[0] @ v[1]) - 1.0) < 1e-5 and float(v[0] @ v[2]) < 0.9
    comp = compare_articles([a, b], encoder=enc)
    assert comp.encoder == "hashing" and any(s.status == "shared" for s in comp.statements)


@pytest.mark.parametrize(
    "x, y, conflict",
    [
        ("Deputy Secretary", "Undersecretary of State", True),
        ("US Secretary of State", "Secretary of State", False),
        ("Port minister", "Port director", True),
        ("Secretary of State", "Secretary of Defense", True),
        ("President", "former President", True),
        ("Reuters reporter", "reporter", False),
    ],
)
def test_titles_conflict(x, y, conflict):
    assert titles_conflict(x, y) is conflict


def test_split_clauses_keeps_lists_whole():
    text = ("Diplomats in Europe, Canada, Australia, and New Zealand were told to urge host governments to act "
            "quickly on the new rules for migrants arriving this year; the cable also asks them to report back every month.")
    pieces = split_clauses(text, Span(0, len(text), text))
    assert len(pieces) == 2 and "New Zealand" in pieces[0].text
    for p in pieces:
        assert text[p.start : p.end] == p.text


def test_render_marked_nests_and_drops_crossing():
    text = "abcdefghij"
    out = render_marked(text, [Mark(0, 6, "b", {}), Mark(2, 4, "i", {}), Mark(5, 8, "u", {}), Mark(8, 10, "s", {"title": '"<x>'})])
    assert out == 'ab'.join(["<b>", "<i>cd</i>ef</b>gh<s title=\"&#34;&lt;x&gt;\">ij</s>"])
