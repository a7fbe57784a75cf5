"""Raw document -> Article: text and metadata (HTML through trafilatura, plain text as given),
boilerplate found and kept as labelled spans."""

from __future__ import annotations

from typing import Iterable, Iterator

from ..analyze.dates import normalise_published
from ..analyze.language import language_code
from ..errors import EmptyInput, InputError
from ..model import Article, Failure, RawDocument
from .boilerplate import find_boilerplate
from .html import extract_html
from .textmeta import read_text_meta


def extract(raw: RawDocument) -> Article:
    """Build the article of one raw document. Raises ``InputError`` subclasses on unusable input."""
    meta = dict(raw.meta)
    if raw.html is not None and raw.text is None:
        res = extract_html(raw.html, raw.source_path, meta.get("url"))
        text = res.text
        for key in ("title", "author", "published", "outlet", "url", "language"):
            if not meta.get(key) and getattr(res, key):
                meta[key] = getattr(res, key)
    else:
        text = raw.text or ""
    text = _normalise(text)
    headline_only = not text.strip() and raw.html is None and bool((meta.get("title") or "").strip())
    if headline_only:  # a record with a title and no text: a headline, read as such
        text = _normalise(meta["title"].strip())
    if not text.strip():
        raise EmptyInput("article has no text", raw.source_path, raw.line)
    tm = read_text_meta(text, has_title=bool(meta.get("title")))
    art = Article(
        id=raw.id,
        text=text,
        title=meta.get("title") or tm.title,
        outlet=meta.get("outlet") or tm.outlet,
        url=meta.get("url"),
        published=normalise_published(meta.get("published")),
        language=language_code(meta.get("language")),  # "en-US", "EN", "English": "en"
        author=meta.get("author"),
        translator=tm.translator,
        original_url=tm.original_url,
        source_path=raw.source_path,
        headline_only=headline_only,
    )
    bp = {(b.span.start, b.span.end): b for b in tm.boilerplate}
    for b in find_boilerplate(text):
        bp.setdefault((b.span.start, b.span.end), b)
    art.boilerplate = sorted(bp.values(), key=lambda b: (b.span.start, b.span.end))
    if tm.dateline_date and not art.published:
        art.dateline_date = tm.dateline_date
    return art


# The metadata a command line may give for inputs that lack it, each read as extract reads it.
_READ_AS = {"outlet": str, "language": language_code, "published": normalise_published}
DEFAULTABLE = tuple(_READ_AS)


def extract_all(items: Iterable[RawDocument | Failure], defaults: dict[str, str | None] | None = None
                ) -> Iterator[Article | Failure]:
    """The article of each raw document (``ingest.read_inputs``' items), ``defaults`` filled in
    (:func:`fill_missing`); a failure passes through, and a document with no article in it becomes
    one: one item out for each item in."""
    for item in items:
        if isinstance(item, Failure):
            yield item
            continue
        try:
            yield fill_missing(extract(item), defaults)
        except InputError as exc:
            yield Failure(item.source_path, exc.reason, item.line)


def fill_missing(article: Article, defaults: dict[str, str | None] | None) -> Article:
    """Give ``article`` the ``defaults`` (outlet, language, published) it has no value of: metadata
    the input did not carry, such as a folder of one outlet's text files. What the record, the
    page or the text itself gave wins."""
    for key, value in (defaults or {}).items():
        if key not in DEFAULTABLE:
            raise ValueError(f"no default for {key!r}: only {', '.join(DEFAULTABLE)}")
        if value and not getattr(article, key):
            setattr(article, key, _READ_AS[key](value))
    return article


def _normalise(text: str) -> str:
    """Unify line endings and strip trailing whitespace; offsets index this text."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
    return "\n".join(line.rstrip() for line in text.split("\n")).strip("\n")
