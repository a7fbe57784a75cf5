"""Extraction: metadata from plain text and HTML; boilerplate kept as labelled spans."""

import pytest

from storydiff.extract import extract
from storydiff.extract.boilerplate import find_boilerplate
from storydiff.model import RawDocument

TEXT = """Port strike ends after nine days
Harbour News Agency, March 3 report. Dock workers in Valmora returned to work on Monday.
Workers gather at the gate of the port on March 1. (Photo: Jan Berg/Harbour News)
The union said the deal raises wages by 6%.
Read next: Ferry prices expected to rise
Union leaders called the agreement fair. (Translated by Mia Chen)
Original: https://example.org/news/123
Statement: This article represents the views of the author only."""


def test_plain_text_metadata_and_boilerplate():
    art = extract(RawDocument(id="a", source_path="a.txt", text=TEXT))
    assert art.title == "Port strike ends after nine days"
    assert art.outlet == "Harbour News Agency"
    assert art.translator == "Mia Chen"
    assert art.original_url == "https://example.org/news/123"
    kinds = {b.kind: b.span.text for b in art.boilerplate}
    assert kinds["headline"] == "Port strike ends after nine days"
    assert kinds["dateline"].startswith("Harbour News Agency, March 3 report")
    assert kinds["caption"].endswith("(Photo: Jan Berg/Harbour News)")
    assert kinds["teaser"].startswith("Read next:")
    assert kinds["credit"] == "(Translated by Mia Chen)"
    assert kinds["source-url"].startswith("Original:")
    assert kinds["disclaimer"].startswith("Statement:")
    for b in art.boilerplate:
        assert art.text[b.span.start : b.span.end] == b.span.text


@pytest.mark.parametrize(
    "line,kind",
    [
        ("Read more: Markets fall again", "teaser"),
        ("相关阅读：港口罢工结束", "teaser"),
        ("声明：本文仅代表作者观点。", "disclaimer"),
        ("A man walks past the closed gate. (AP Photo/Jane Doe)", "caption"),
        ("FILE PHOTO: Ships wait outside the harbour", "caption"),
        ("(Reporting by Ann Lee; Editing by Tom Hay)", "credit"),
    ],
)
def test_boilerplate_kinds(line, kind):
    text = "Some article sentence that is content.\n" + line + "\nAnother content sentence follows here."
    found = [b for b in find_boilerplate(text) if b.span.text.strip() in line]
    assert found and found[0].kind == kind


def test_content_lines_are_not_boilerplate():
    text = "The minister said the port would reopen.\nTrade resumed on Tuesday, officials said."
    assert list(find_boilerplate(text)) == []


def test_html_extracts_main_text_and_metadata():
    html = """<html><head><title>Bridge reopens | City Times</title>
    <meta property="og:site_name" content="City Times"><meta name="author" content="Ana Ruiz">
    <meta property="article:published_time" content="2025-11-20T10:00:00Z"></head>
    <body><nav><a href="/">Home</a> <a href="/world">World</a></nav>
    <article><h1>Bridge reopens</h1><p>The old bridge reopened on Thursday after two years of repairs, the mayor said.</p>
    <p>About 12,000 vehicles are expected to cross it every day, according to the city.</p></article>
    <div class="comments"><p>Great news! - reader</p></div></body></html>"""
    art = extract(RawDocument(id="h", source_path="h.html", html=html))
    assert "reopened on Thursday" in art.text
    assert "Home" not in art.text and "Great news" not in art.text
    assert art.outlet == "City Times"
    assert art.published and art.published.startswith("2025-11-20")


def test_html_fragment_too_short_for_the_page_extractor_keeps_its_text():
    """A feed's "content" is often one paragraph of markup, no page around it: its text is kept, a
    line per block, scripts dropped; a whole page with no article is still refused."""
    from storydiff.errors import EmptyInput

    frag = "<p>The port reopened on <b>Monday</b>, officials said.</p><script>track()</script><ul><li>Ships queued.</li></ul>"
    art = extract(RawDocument(id="f", source_path="feed.jsonl", html=frag))
    assert art.text == "The port reopened on Monday, officials said.\nShips queued."
    with pytest.raises(EmptyInput):
        extract(RawDocument(id="n", source_path="n.html", html="<html><body><nav><a href='/'>Home</a></nav></body></html>"))
