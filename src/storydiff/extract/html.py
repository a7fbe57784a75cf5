"""HTML -> main text and metadata through trafilatura (comments and navigation left out)."""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import EmptyInput


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
    if not text:
        raise EmptyInput("HTML page holds no article text", source)
    return HtmlResult(
        text=text,
        title=getattr(doc, "title", None),
        author=getattr(doc, "author", None),
        published=getattr(doc, "date", None),
        outlet=getattr(doc, "sitename", None),
        url=getattr(doc, "url", None) or url,
        language=getattr(doc, "language", None),
    )
