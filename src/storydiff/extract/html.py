"""HTML -> main text and metadata: a page through trafilatura (comments and navigation left out); a
fragment with no page around it (a feed's "content") is all article, a line per block."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import EmptyInput


MIN_WORDS = 5  # fewer extracted words than this is navigation, not an article
_PAGE = re.compile(r"<(?:html|body|head)\b", re.I)
_BLOCKS = ("p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "article", "section", "tr")


def _fragment_text(html: str) -> str:
    """The text of an HTML fragment (no page around it), a line per block; scripts, styles,
    navigation, asides, footers and forms dropped."""
    from lxml import html as lxml_html
    from lxml.etree import ParserError

    try:
        root = lxml_html.fragment_fromstring(html, create_parent="div")
    except (ParserError, ValueError):
        return ""
    for el in list(root.iter("script", "style", "noscript", "nav", "aside", "footer", "form")):
        el.drop_tree()
    for el in root.iter(*_BLOCKS):
        el.tail = "\n" + (el.tail or "")
    lines = (" ".join(line.split()) for line in root.text_content().split("\n"))
    return "\n".join(line for line in lines if line)


def _has_cjk(text: str) -> bool:
    return sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff") >= 10


@dataclass(slots=True)
class HtmlResult:
    text: str
    title: str | None = None
    author: str | None = None
    published: str | None = None
    outlet: str | None = None
    url: str | None = None
    language: str | None = None


def extract_html(html: str, source: str, url: str | None = None) -> HtmlResult:
    """Main text and metadata of one HTML page; ``EmptyInput`` when the page holds no article."""
    import trafilatura

    if _PAGE.search(html):
        kind = "page"
        doc = trafilatura.bare_extraction(
            html,
            url=url,
            include_comments=False,
            include_tables=False,
            include_images=False,
            favor_precision=False,
            with_metadata=True,
        )
        text = (getattr(doc, "text", None) or "").strip() if doc is not None else ""
    else:  # a fragment (a feed's "content"): all of it is the article, and it carries no metadata
        kind, doc, text = "fragment", None, _fragment_text(html)
    if len(text.split()) < MIN_WORDS and not _has_cjk(text):
        raise EmptyInput(f"HTML {kind} holds no article text (found {len(text.split())} words)", source)
    if doc is None:
        return HtmlResult(text=text, url=url)
    return HtmlResult(
        text=text,
        title=getattr(doc, "title", None),
        author=getattr(doc, "author", None),
        published=getattr(doc, "date", None),
        outlet=getattr(doc, "sitename", None),
        url=getattr(doc, "url", None) or url,
        language=getattr(doc, "language", None),
    )
