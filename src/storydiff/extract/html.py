"""HTML -> main text and metadata through trafilatura (comments and navigation left out)."""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import EmptyInput


MIN_WORDS = 5  # fewer extracted words than this is navigation, not an article


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
    if len(text.split()) < MIN_WORDS and not _has_cjk(text):
        raise EmptyInput(f"HTML page holds no article text (found {len(text.split())} words)", source)
    return HtmlResult(
        text=text,
        title=getattr(doc, "title", None),
        author=getattr(doc, "author", None),
        published=getattr(doc, "date", None),
        outlet=getattr(doc, "sitename", None),
        url=getattr(doc, "url", None) or url,
        language=getattr(doc, "language", None),
    )
