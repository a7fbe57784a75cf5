"""Self-contained HTML report: the articles side by side with aligned statements linked and
highlighted, unique statements per article, quotation variants with the changed words marked,
conflicts, citations and relations. Every piece of article content is escaped (Jinja2 autoescape
plus ``markupsafe.escape`` in the span renderer); the page loads nothing from the network."""

from __future__ import annotations

from dataclasses import dataclass
from importlib.resources import files

from jinja2 import Environment
from markupsafe import Markup, escape

from ..provenance import sources
from .json import summary


@dataclass
class Mark:
    start: int
    end: int
    tag: str  # element name
    attrs: dict[str, str]


def render_marked(text: str, marks: list[Mark]) -> Markup:
    """``text`` escaped, with each mark wrapped in its element. Marks that cross an already open
    mark (neither nested nor disjoint) are left out rather than producing broken markup."""
    marks = sorted((m for m in marks if 0 <= m.start < m.end <= len(text)), key=lambda m: (m.start, -m.end))
    kept: list[Mark] = []
    stack: list[Mark] = []
    for m in marks:
        while stack and stack[-1].end <= m.start:
            stack.pop()
        if stack and m.end > stack[-1].end:
            continue  # crosses the enclosing mark
        kept.append(m)
        stack.append(m)
    events: list[tuple[int, int, int, Mark]] = []
    for i, m in enumerate(kept):
        events.append((m.start, 1, i, m))
        events.append((m.end, 0, -i, m))
    events.sort(key=lambda e: (e[0], e[1], e[2]))
    out: list[str] = []
    pos = 0
    for at, is_open, _, m in events:
        out.append(str(escape(text[pos:at])))
        pos = at
        if is_open:
            attrs = "".join(f' {k}="{escape(v)}"' for k, v in m.attrs.items())
            out.append(f"<{m.tag}{attrs}>")
        else:
            out.append(f"</{m.tag}>")
    out.append(str(escape(text[pos:])))
    return Markup("".join(out))


def _article_views(comp) -> list[dict]:
    idx = {a.id: i for i, a in enumerate(comp.articles)}
    marks: dict[str, list[Mark]] = {a.id: [] for a in comp.articles}
    n = len(comp.articles)
    for s in comp.statements:
        arts = sorted({m.article for m in s.mentions}, key=idx.get)
        tip = f"{s.status}: in {len(arts)} of {n} articles"
        for m in s.mentions:
            marks[m.article].append(
                Mark(m.start, m.end, "span", {"class": f"st {s.status}", "data-g": str(s.id), "id": f"a{idx[m.article]}-{m.start}", "title": tip})
            )
    for a in comp.articles:
        for b in a.boilerplate:
            marks[a.id].append(Mark(b.span.start, b.span.end, "span", {"class": "bp", "title": f"{b.kind}: not compared"}))
    for ci, c in enumerate(comp.conflicts):
        for v in c.values:
            marks[v.article].append(Mark(v.start, v.end, "mark", {"class": "cf", "title": f"conflict ({c.kind}): {c.about}", "id": f"c{ci}-{idx[v.article]}"}))
    for c in comp.citations:
        marks[c.article].append(Mark(c.start, c.end, "span", {"class": "src", "title": f"cited source: {c.source}"}))
    views = []
    for a in comp.articles:
        views.append({"a": a, "i": idx[a.id], "body": render_marked(a.text, marks[a.id])})
    return views


def _variant_html(v) -> Markup:
    rel = [Mark(c.start - v.start, c.end - v.start, "mark", {"class": "chg"}) for c in v.changes]
    return render_marked(v.text, rel)


def render(comp) -> str:
    env = Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True)
    template = env.from_string(files("storydiff.compare.report").joinpath("report.html").read_text(encoding="utf-8"))
    idx = {a.id: i for i, a in enumerate(comp.articles)}
    unique = {a.id: [] for a in comp.articles}
    for s in comp.statements:
        if s.status == "unique":
            unique[s.mentions[0].article].append(s.mentions[0])
    return template.render(
        comp=comp,
        s=summary(comp),
        views=_article_views(comp),
        idx=idx,
        unique=unique,
        sources=sources(comp.citations),
        variant_html=_variant_html,
    )
