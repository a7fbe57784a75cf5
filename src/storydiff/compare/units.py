"""Statement units: the pieces of each article that the comparison aligns.

A unit is a content sentence (boilerplate is never a unit) or, for a long sentence that joins
several facts, one of its clauses. Every unit is a ``Span`` into the article text and carries the
features the aligner scores with: content-word stems, numbers, entity keys."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

from ..model import Article, DateMention, Entity, NumberMention, Span

# Function words left out of lexical overlap (English and the commonest French/Spanish/German ones).
STOPWORDS = frozenset(
    """
    a an the of to in on at for by with from and or but as is are was were be been being has have had
    do does did that this these those it its it's he she they them his her their we our you your i me my
    not no than then so such also into over about after before which who whom whose what when where how
    will would can could may might should must said says say according more most other some any all
    le la les un une des du de et en au aux ce ces est sont que qui pour par sur dans avec pas plus ne
    el los las y del por con para una es se lo der die das und ein eine ist zu den mit von im
    """.split()
)
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?|\d[\d.,]*", re.UNICODE)
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
# Where a long sentence may be cut into clauses: semicolons, dashes, and ", but/while/and" joins.
# A ", and" join cuts only before a new subject (a pronoun or determiner), never inside a list.
_CLAUSE_CUT = re.compile(
    r";\s+|\s+[—–]\s+|；|，(?=但|而)"
    r"|,\s+(?:but|while|whereas|although|though|and)\s+(?=(?:the|a|an|he|she|they|it|we|i|his|her|its|their|this|these|those)\s)"
)
MIN_CLAUSE_WORDS = 6
LONG_SENTENCE_WORDS = 30


@dataclass
class Unit:
    """One alignable statement: a span of one article plus its features."""

    article: int  # index into the comparison's article list
    span: Span
    language: str | None
    stems: frozenset[str] = field(default_factory=frozenset)
    numbers: list[NumberMention] = field(default_factory=list)
    dates: list[DateMention] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)


def stems(text: str) -> frozenset[str]:
    """Content-word stems (first six letters, lowercased) and Chinese character bigrams."""
    out = set()
    low = text.lower()
    for w in _WORD.findall(low):
        if w in STOPWORDS or (len(w) < 3 and not w[0].isdigit()):
            continue
        out.add(w.replace(",", "") if w[0].isdigit() else w[:6])
    for run in _HAN.findall(text):
        out.update(run[i : i + 2] for i in range(max(1, len(run) - 1)))
    return frozenset(out)


def word_count(text: str) -> int:
    return len(_WORD.findall(text)) + sum(len(r) // 2 for r in _HAN.findall(text))


def split_clauses(text: str, span: Span) -> list[Span]:
    """Cut a long sentence at clause joins; each piece keeps ``MIN_CLAUSE_WORDS`` words or more."""
    if word_count(span.text) < LONG_SENTENCE_WORDS:
        return [span]
    cuts = [m for m in _CLAUSE_CUT.finditer(span.text)]
    pieces: list[Span] = []
    start = 0
    for m in cuts:
        left = span.text[start : m.start()]
        right = span.text[m.end() :]
        if word_count(left) >= MIN_CLAUSE_WORDS and word_count(right) >= MIN_CLAUSE_WORDS and not _inside_quote(span.text, m.start()):
            pieces.append(Span.of(text, span.start + start, span.start + m.start()))
            start = m.end()
    if not pieces:
        return [span]
    pieces.append(Span.of(text, span.start + start, span.end))
    return [p for p in pieces if p.end > p.start]


def _inside_quote(s: str, pos: int) -> bool:
    """True when ``pos`` lies inside an open quotation in ``s`` (count of marks before it is odd)."""
    before = s[:pos]
    straight = before.count('"') % 2 == 1
    curly = before.count("\u201c") > before.count("\u201d")
    cjk = before.count("\u300c") > before.count("\u300d")
    return straight or curly or cjk


def _inside(items, span: Span):
    return [x for x in items if span.start <= x.span.start and x.span.end <= span.end]


def article_units(article: Article, index: int) -> list[Unit]:
    """The statement units of one analysed article, in text order."""
    units = []
    for sent in article.content_sentences():
        if not any(ch.isalnum() for ch in sent.text):
            continue
        for piece in split_clauses(article.text, sent):
            units.append(
                Unit(
                    article=index,
                    span=piece,
                    language=article.language,
                    stems=stems(piece.text),
                    numbers=_inside(article.numbers, piece),
                    dates=_inside(article.dates, piece),
                    entities=_inside(article.entities, piece),
                )
            )
    return units


def locator(units: list[Unit]):
    """A function (article index, character offset) -> index of the unit holding that offset, or
    None. Built once; each look-up is a binary search over that article's units (in text order)."""
    rows: dict[int, list[int]] = {}
    for k, u in enumerate(units):
        rows.setdefault(u.article, []).append(k)
    starts = {a: [units[k].span.start for k in ks] for a, ks in rows.items()}

    def find(article: int, pos: int) -> int | None:
        ks = rows.get(article)
        if not ks:
            return None
        i = bisect_right(starts[article], pos) - 1
        return ks[i] if i >= 0 and pos < units[ks[i]].span.end else None

    return find
