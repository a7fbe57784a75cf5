"""What the story clusterer knows about an article: a multilingual document vector (mean of the
sentence vectors of its title and lead), its key terms (names and numbers: capitalised words that do
not open a sentence, and numerals), its publication day (ISO 8601, a feed's RFC 2822 date or a
written date), and a MinHash signature of the text."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import numpy as np

from ..analyze.dates import normalise_published, parse_anchor
from ..analyze.language import detect_language, language_code
from ..model import Article
from .neardup import signature

LEAD_SENTENCES = 8
_SENT = re.compile(r"[^.!?。！？\n]+[.!?。！？]*")
_URL = re.compile(r"https?://\S+|www\.\S+|\S+\.(?:com|org|net|html?)\S*", re.I)
_CAP = re.compile(r"(?<=[\w,;:)\]\"”’'] )[A-Z][\w'’-]*[a-z][\w'’-]*|(?<=[\w,;:)\]\"”’'] )[A-Z]{2,}\b")
_NUM = re.compile(r"(?<![\w.])\d[\d,.]*\d(?![\w])|(?<![\w.])\d{2,}(?![\w])")


@dataclass
class Features:
    id: str
    vector: np.ndarray
    terms: frozenset[str]
    day: date | None
    signature: np.ndarray | None  # MinHash of the whole text (near-duplicates)
    title: str | None = None
    outlet: str | None = None
    language: str | None = None
    published: str | None = None


def lead_sentences(article: Article, n: int = LEAD_SENTENCES) -> list[str]:
    text = _URL.sub(" ", article.text)
    out = []
    if article.title and article.title.strip() and not article.text.lstrip().startswith(article.title.strip()):
        out.append(article.title.strip())
    for m in _SENT.finditer(text):
        s = m.group().strip()
        if sum(ch.isalpha() for ch in s) >= 12:
            out.append(s)
        if len(out) >= n:
            break
    return out or [text[:500] or article.id]


def key_terms(text: str) -> frozenset[str]:
    """Content-word stems (any language: Chinese as character bigrams), names and numerals."""
    from ..compare.units import stems  # here, not at the top: compare imports cluster.neardup

    text = _URL.sub(" ", text)
    terms = {"=" + m.group().lower().strip("'’") for m in _CAP.finditer(text)} | set(stems(text))
    terms |= {number_term(m.group()) for m in _NUM.finditer(text)}
    return frozenset(t for t in terms if len(t) > 1)


def number_term(numeral: str) -> str:
    """A numeral as one term whatever the language's separators, so that reports in two languages
    share it: "6,8" and "6.8" give "6.8"; "2,700", "2.700" and "1,234.5" / "1.234,5" give "2700" and
    "1234.5". The last separator is the decimal mark unless it is the only kind and either recurs or
    has three digits after it: then every separator groups thousands."""
    seps = {ch for ch in numeral if ch in ",."}
    if not seps:
        return numeral
    last = max(numeral.rfind(","), numeral.rfind("."))
    whole, tail = "".join(ch for ch in numeral[:last] if ch.isdigit()), numeral[last + 1 :]
    grouping = len(seps) == 1 and (numeral.count(numeral[last]) > 1 or len(tail) == 3)
    return whole + tail if grouping else f"{whole}.{tail}"


def _first_line(text: str) -> str:
    return text.strip().split("\n", 1)[0][:120]


def featurize(articles: list[Article], encoder) -> list[Features]:
    leads = [lead_sentences(a) for a in articles]
    flat = [s for ls in leads for s in ls]
    vecs = encoder.encode(flat) if flat else np.zeros((0, 1), dtype=np.float32)
    out, k = [], 0
    for a, ls in zip(articles, leads):
        v = vecs[k : k + len(ls)].mean(axis=0)
        k += len(ls)
        n = float(np.linalg.norm(v)) or 1.0
        language = language_code(a.language) or detect_language(a.text)  # unanalysed input: detect here
        title = a.title or _first_line(a.text)
        published = normalise_published(a.published)  # read once; the day is parsed from its ISO form
        out.append(Features(a.id, (v / n).astype(np.float32), key_terms(a.text), parse_anchor(published), signature(a.text),
                            title, a.outlet, language, published))
    return out
