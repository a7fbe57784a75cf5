"""One article record (a .json file, a .jsonl line, a CSV, TSV or Parquet row) -> a raw document."""

from __future__ import annotations

import re
from datetime import datetime, timezone
from typing import Any

from ..errors import MalformedRecord
from ..model import RawDocument

_MARKUP = re.compile(r"<(?:p|div|br|span|a|article|section|h[1-6]|ul|li|figure|img)\b[^>]*>", re.I)
_UNIX_TIME = re.compile(r"\d{9,13}(?:\.\d+)?")  # seconds or milliseconds; 8 digits is a day (20260308)
META_FIELDS = ("title", "outlet", "url", "published", "language", "author")
# Names other tools and datasets give these fields (news-please, NewsAPI, RSS, Wikinews dumps,
# Kaggle's news tables), read in any case ("Title", "publishedat"). A field under its own name wins;
# otherwise the first alias with a value is read as it. An alias whose value has another shape is
# passed over, not an error (the name may mean something else in that tool), except two common
# ones: NewsAPI's "source" {"id", "name"} gives its name, and a list of authors (news-please's
# "authors") is joined with commas.
ALIASES = {
    "text": ("body", "content", "maintext"),
    "title": ("headline",),
    "outlet": ("source", "publisher", "publication", "site_name", "source_domain"),
    "url": ("link",),
    "published": ("date", "published_at", "publishedAt", "publish_date", "date_publish", "pubDate", "pubdate"),
    "language": ("lang",),
    "author": ("byline", "authors"),
}


# every name read, lowercased -> as written here: "Title", " TEXT " and "publishedat" are read too
KNOWN_NAMES = {n.lower(): n for n in ("id", "text", "html", *META_FIELDS, *(a for names in ALIASES.values() for a in names))}


def known_name(key: Any) -> str | None:
    """The field or alias name ``key`` is, whatever its case and surrounding spaces ("Title", "Text ")."""
    return KNOWN_NAMES.get(key.strip().lower()) if isinstance(key, str) else None


def _known_keys(rec: dict) -> dict:
    """``rec`` with keys that differ from a name read only in case or surrounding spaces also under
    that name (the first such key); a key already written exactly wins. ``rec`` itself when none do."""
    extra: dict[str, Any] = {}
    for k, v in rec.items():
        name = known_name(k)
        if name and name not in rec:
            extra.setdefault(name, v)
    return {**rec, **extra} if extra else rec


def _field(rec: dict, key: str) -> Any:
    """``rec[key]``, else the value of the first of its ALIASES that has a usable one."""
    val = rec.get(key)
    if val not in (None, ""):
        return val
    for alias in ALIASES.get(key, ()):
        val = rec.get(alias)
        if isinstance(val, dict):
            val = val.get("name")
        elif key == "author" and isinstance(val, list) and val and all(isinstance(v, str) for v in val):
            val = ", ".join(val)  # news-please's and newspaper's "authors"
        if isinstance(val, (str, int, float)) and not isinstance(val, bool) and val != "":
            return val
    return None


def record_to_raw(rec: Any, source: str, line: int | None, fallback_id: str) -> RawDocument:
    """Validate one article record: ``id``, ``text`` or ``html``, optional metadata fields (each also
    read under the names of ALIASES)."""
    if not isinstance(rec, dict):
        raise MalformedRecord(f"expected a JSON object, got {type(rec).__name__}", source, line)
    rec = _known_keys(rec)
    text, html = _field(rec, "text"), rec.get("html")
    if text is None and rec.get("text") == "":
        text = ""  # present but empty: said as such when the article is extracted ("has no text")
    elif rec.get("text") is None and html is None and isinstance(text, str) and _MARKUP.search(text):
        text, html = None, text  # "content" or "body" carrying a page's markup (RSS content:encoded)
    if text is None and html is None:
        title = _field(rec, "title")
        if isinstance(title, str) and title.strip():
            text = ""  # a headline alone: read as its title when extracted
        else:
            raise MalformedRecord(f"record has neither 'text' nor 'html' (nor {', '.join(repr(a) for a in ALIASES['text'])}), "
                                  "nor a 'title' to read alone", source, line)
    for key, val in (("text", text), ("html", html)):
        if val is not None and not isinstance(val, str):
            raise MalformedRecord(f"'{key}' must be a string", source, line)
    rid = rec.get("id")
    if rid is None or (isinstance(rid, str) and not rid.strip()):
        rid = fallback_id  # null or blank (pandas writes a missing id as null): the id the record's place gives
    if rid is None or isinstance(rid, (dict, list, bool)):
        raise MalformedRecord("'id' must be a string or number", source, line)
    meta = {}
    for key in META_FIELDS:
        val = _field(rec, key)
        if val in (None, ""):
            continue
        if isinstance(val, (dict, list, bool)):
            raise MalformedRecord(f"'{key}' must be a string, got {type(val).__name__}", source, line)
        if key == "published" and isinstance(val, str) and _UNIX_TIME.fullmatch(val.strip()):
            val = float(val)  # a Unix time written as text (CSV cells are text)
        meta[key] = _epoch(val, source, line) if key == "published" and not isinstance(val, str) else str(val)
    return RawDocument(id=str(rid), source_path=source, text=text, html=html, meta=meta, line=line)


def _epoch(val: int | float, source: str, line: int | None) -> str:
    """A numeric ``published`` is a Unix time: seconds, or milliseconds when it is too large to be
    seconds (as JavaScript writes them). ISO 8601 in UTC."""
    secs = val / 1000 if abs(val) >= 1e11 else val
    try:
        return datetime.fromtimestamp(secs, tz=timezone.utc).isoformat()
    except (OverflowError, OSError, ValueError):
        raise MalformedRecord(f"'published' {val!r} is not a Unix time", source, line) from None
