"""The data model: one ``Article`` carries its text and every annotation layer through all stages.

Every annotation is a :class:`Span` (or holds spans) with Unicode character offsets into
``Article.text``; ``article.text[span.start:span.end] == span.text`` always holds.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Iterator


@dataclass(frozen=True, slots=True)
class Span:
    """A stretch of an article's text: ``text == article.text[start:end]``."""

    start: int
    end: int
    text: str
    label: str = ""

    @classmethod
    def of(cls, text: str, start: int, end: int, label: str = "") -> "Span":
        """Build the span ``text[start:end]``, trimming surrounding whitespace."""
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        return cls(start, end, text[start:end], label)

    def overlaps(self, other: "Span") -> bool:
        return self.start < other.end and other.start < self.end

    def contains(self, other: "Span") -> bool:
        return self.start <= other.start and other.end <= self.end

    def to_dict(self) -> dict[str, Any]:
        d = {"start": self.start, "end": self.end, "text": self.text}
        if self.label:
            d["label"] = self.label
        return d


@dataclass(slots=True)
class Entity:
    """A named entity: ``label`` is PERSON, ORG, GPE, LOC, NORP, ... (spaCy's scheme)."""

    span: Span
    label: str

    def spans(self) -> Iterator[Span]:
        yield self.span

    def to_dict(self) -> dict[str, Any]:
        return {**self.span.to_dict(), "label": self.label}


@dataclass(slots=True)
class DateMention:
    """A date or time expression; ``value`` is ISO 8601 (``2025-11-20``, ``2025-11``, ``2025-W47``,
    ``2025-11-20T18:00``) when it could be resolved, else ``None``. ``grain`` is day/month/year/week/
    time/decade/unknown."""

    span: Span
    value: str | None
    grain: str = "day"

    def spans(self) -> Iterator[Span]:
        yield self.span

    def to_dict(self) -> dict[str, Any]:
        return {**self.span.to_dict(), "value": self.value, "grain": self.grain}


@dataclass(slots=True)
class NumberMention:
    """A number or quantity: ``value`` as float, ``unit`` such as ``%``, ``USD``, ``refugee slots``."""

    span: Span
    value: float
    unit: str | None = None

    def spans(self) -> Iterator[Span]:
        yield self.span

    def to_dict(self) -> dict[str, Any]:
        return {**self.span.to_dict(), "value": self.value, "unit": self.unit}


@dataclass(slots=True)
class Quote:
    """A quotation: ``kind`` is ``direct`` (in quotation marks) or ``indirect`` (reported speech).
    ``speaker`` is the source as written (a name, pronoun or role) and ``cue`` the reporting verb."""

    content: Span
    kind: str
    speaker: Span | None = None
    cue: Span | None = None

    def spans(self) -> Iterator[Span]:
        yield self.content
        if self.speaker is not None:
            yield self.speaker
        if self.cue is not None:
            yield self.cue

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.content.to_dict(),
            "kind": self.kind,
            "speaker": self.speaker.text if self.speaker else None,
            "speaker_start": self.speaker.start if self.speaker else None,
            "speaker_end": self.speaker.end if self.speaker else None,
            "cue": self.cue.text if self.cue else None,
            "cue_start": self.cue.start if self.cue else None,
            "cue_end": self.cue.end if self.cue else None,
        }


@dataclass(slots=True)
class Citation:
    """An attribution of information to another outlet or source: ``source`` names it as written,
    ``span`` covers the whole citing phrase ("according to The New York Times")."""

    source: Span
    span: Span
    cue: str

    def spans(self) -> Iterator[Span]:
        yield self.source
        yield self.span

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source.text,
            "source_start": self.source.start,
            "source_end": self.source.end,
            **self.span.to_dict(),
            "cue": self.cue,
        }


@dataclass(slots=True)
class Boilerplate:
    """A stretch that is not article content: ``kind`` is caption, teaser, disclaimer, credit,
    dateline, headline, byline or source-url. Kept so nothing is lost; comparisons skip it."""

    span: Span
    kind: str

    def spans(self) -> Iterator[Span]:
        yield self.span

    def to_dict(self) -> dict[str, Any]:
        return {**self.span.to_dict(), "kind": self.kind}


LAYERS = ("sentences", "entities", "dates", "numbers", "quotes", "citations", "boilerplate")
# Article metadata besides its id, in the order they are printed and stored.
METADATA_FIELDS = ("title", "outlet", "url", "published", "language", "author", "translator", "original_url")


@dataclass(slots=True)
class Article:
    """One article: its text, its metadata and its annotation layers."""

    id: str
    text: str
    title: str | None = None
    outlet: str | None = None
    url: str | None = None
    published: str | None = None
    language: str | None = None
    author: str | None = None
    translator: str | None = None
    original_url: str | None = None
    dateline_date: str | None = None
    source_path: str | None = None
    headline_only: bool = False  # no text was given: ``text`` is the title (not serialised; said in a note)
    sentences: list[Span] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    dates: list[DateMention] = field(default_factory=list)
    numbers: list[NumberMention] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)
    boilerplate: list[Boilerplate] = field(default_factory=list)

    def all_spans(self) -> Iterator[Span]:
        """Every span of every layer (for checks such as the offset invariant)."""
        yield from self.sentences
        for layer in LAYERS[1:]:
            for item in getattr(self, layer):
                yield from item.spans()

    def content_sentences(self) -> list[Span]:
        """Sentences that are article content (not inside a boilerplate span)."""
        bp = [b.span for b in self.boilerplate]
        return [s for s in self.sentences if not any(b.contains(s) or _mostly_inside(s, b) for b in bp)]

    def is_boilerplate(self, span: Span) -> bool:
        return any(b.span.contains(span) or _mostly_inside(span, b.span) for b in self.boilerplate)

    def metadata(self) -> dict[str, Any]:
        return {"id": self.id, **{k: getattr(self, k) for k in METADATA_FIELDS}}

    def to_dict(self) -> dict[str, Any]:
        d = self.metadata()
        d["text"] = self.text
        d["sentences"] = [s.to_dict() for s in self.sentences]
        for layer in LAYERS[1:]:
            d[layer] = [x.to_dict() for x in getattr(self, layer)]
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Article":
        """Inverse of :meth:`to_dict` (spans are rebuilt from their offsets and checked)."""
        text = d["text"]

        def span(start: int | None, end: int | None, label: str = "") -> Span | None:
            if start is None or end is None:
                return None
            return Span(start, end, text[start:end], label)

        meta = {k: d.get(k) for k in METADATA_FIELDS}
        return cls(
            id=d["id"], text=text, **meta,
            sentences=[span(x["start"], x["end"], x.get("label", "")) for x in d.get("sentences", [])],
            entities=[Entity(span(x["start"], x["end"]), x["label"]) for x in d.get("entities", [])],
            dates=[DateMention(span(x["start"], x["end"]), x.get("value"), x.get("grain", "day")) for x in d.get("dates", [])],
            numbers=[NumberMention(span(x["start"], x["end"]), x["value"], x.get("unit")) for x in d.get("numbers", [])],
            quotes=[Quote(span(x["start"], x["end"]), x["kind"], span(x.get("speaker_start"), x.get("speaker_end")),
                          span(x.get("cue_start"), x.get("cue_end"))) for x in d.get("quotes", [])],
            citations=[Citation(span(x["source_start"], x["source_end"]), span(x["start"], x["end"]), x["cue"])
                       for x in d.get("citations", [])],
            boilerplate=[Boilerplate(span(x["start"], x["end"]), x["kind"]) for x in d.get("boilerplate", [])],
        )


def _mostly_inside(span: Span, box: Span) -> bool:
    inter = min(span.end, box.end) - max(span.start, box.start)
    return inter > 0 and inter >= 0.8 * max(1, span.end - span.start)


@dataclass(slots=True)
class RawDocument:
    """What ingest yields: the content as read plus the metadata the source gave."""

    id: str
    source_path: str
    text: str | None = None
    html: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)
    line: int | None = None


@dataclass(slots=True)
class Failure:
    """An input that could not be processed, and why; listed, never dropped silently."""

    source: str
    reason: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.source}:{self.line}" if self.line is not None else self.source
        return f"{where}: {self.reason}"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
