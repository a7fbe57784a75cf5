"""The comparison's findings as plain dataclasses; every finding points at spans of the articles."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..model import Article


@dataclass
class Mention:
    """A span of one article: ``text == article.text[start:end]``."""

    article: str
    start: int
    end: int
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"article": self.article, "start": self.start, "end": self.end, "text": self.text}


@dataclass
class Statement:
    """Aligned statement units; ``status`` is shared (all articles), partial (some) or unique (one)."""

    id: int
    status: str
    mentions: list[Mention]
    score: float | None = None  # weakest link inside the group (None for unique)

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "status": self.status, "score": _r(self.score), "mentions": [m.to_dict() for m in self.mentions]}


@dataclass
class QuoteVariant(Mention):
    kind: str = "direct"
    speaker: Mention | None = None
    drift: float = 0.0  # 0 = same wording as the group's first variant, 1 = nothing in common
    changes: list[Mention] = field(default_factory=list)  # words that differ from the other variants

    def to_dict(self) -> dict[str, Any]:
        d = super().to_dict()
        d.update(
            kind=self.kind,
            speaker=self.speaker.text if self.speaker else None,
            speaker_start=self.speaker.start if self.speaker else None,
            speaker_end=self.speaker.end if self.speaker else None,
            drift=_r(self.drift),
            changes=[c.to_dict() for c in self.changes],
        )
        return d


@dataclass
class QuoteGroup:
    id: int
    speaker: str | None
    variants: list[QuoteVariant]
    drift: float = 0.0  # largest drift of any variant

    @property
    def articles(self) -> list[str]:
        return list(dict.fromkeys(v.article for v in self.variants))

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "speaker": self.speaker,
            "drift": _r(self.drift),
            "articles": self.articles,
            "variants": [v.to_dict() for v in self.variants],
        }


@dataclass
class Conflict:
    """One slot (``about``) given different values by different articles, with the evidence."""

    kind: str  # title, number, count, date, place, name
    about: str
    values: list[Mention]
    evidence: str = ""
    statement: int | None = None  # the aligned statement group that ties the values together

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "about": self.about,
            "values": [v.to_dict() for v in self.values],
            "evidence": self.evidence,
            "statement": self.statement,
        }


@dataclass
class CitationMention(Mention):
    source: str = ""  # canonical name, merged across articles
    cue: str = ""

    def to_dict(self) -> dict[str, Any]:
        d = {"article": self.article, "source": self.source}
        d.update(start=self.start, end=self.end, text=self.text, cue=self.cue)
        return d


@dataclass
class Relation:
    """How two articles relate: copy, rewrite, translation or overlap, with the measured evidence."""

    a: str
    b: str
    kind: str
    shared_a: float  # fraction of a's statements aligned with b
    shared_b: float
    verbatim: float  # fraction of the shorter article's word 5-grams found in the other
    derived: str | None = None  # id of the article that appears to derive from the other, when known
    reason: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "a": self.a,
            "b": self.b,
            "kind": self.kind,
            "shared_a": _r(self.shared_a),
            "shared_b": _r(self.shared_b),
            "verbatim": _r(self.verbatim),
            "derived": self.derived,
            "reason": self.reason,
        }


def _r(x: float | None) -> float | None:
    return None if x is None else round(float(x), 3)


@dataclass
class Comparison:
    """Everything ``compare`` found; render with ``to_json``, ``to_markdown``, ``to_html``, ``to_pandas``."""

    articles: list[Article]
    statements: list[Statement] = field(default_factory=list)
    quotes: list[QuoteGroup] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    citations: list[CitationMention] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    encoder: str = ""

    def article(self, article_id: str) -> Article:
        return next(a for a in self.articles if a.id == article_id)

    def to_dict(self) -> dict[str, Any]:
        from .report.json import to_dict

        return to_dict(self)

    def to_json(self, indent: int | None = 2) -> str:
        import json

        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)

    def to_markdown(self) -> str:
        from .report.markdown import render

        return render(self)

    def to_html(self) -> str:
        from .report.html import render

        return render(self)

    def to_pandas(self):
        """A dict of long-format DataFrames: articles, statements, quotes, conflicts, citations, relations."""
        from .report.tables import to_pandas

        return to_pandas(self)
