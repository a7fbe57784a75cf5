"""Markdown rendering: a readable summary for notes, tickets and pull requests."""

from __future__ import annotations

from .json import summary
from ..provenance import sources


def _q(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    text = text if len(text) <= limit else text[: limit - 1] + "…"
    return text.replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;")


def render(comp) -> str:
    s = summary(comp)
    out = ["# storydiff comparison", ""]
    out.append("| article | outlet | language | published | unique statements |")
    out.append("|---|---|---|---|---|")
    for a in comp.articles:
        out.append(f"| {_q(a.id)} | {_q(a.outlet or '')} | {a.language or ''} | {a.published or ''} | {s['unique_by_article'][a.id]} |")
    st = s["statements"]
    out += ["", f"**Statements:** {st['shared']} shared by all, {st['partial']} by some, {st['unique']} unique.", ""]
    for w in comp.warnings:
        out.append(f"> warning: {_q(w, 400)}")
    out += ["", "## Conflicts", ""]
    if not comp.conflicts:
        out.append("None found.")
    for c in comp.conflicts:
        vals = "; ".join(f"**{_q(v.text, 60)}** ({_q(v.article)})" for v in c.values)
        out.append(f"- *{c.kind}* — {_q(c.about, 80)}: {vals}")
    out += ["", "## Quotations", ""]
    for g in comp.quotes:
        out.append(f"- **{_q(g.speaker or 'unnamed speaker', 80)}** (drift {g.drift:.2f}, {len(g.articles)} article(s))")
        for v in g.variants:
            out.append(f"  - {_q(v.article)}: “{_q(v.text)}”")
    out += ["", "## Citations", ""]
    for src in sources(comp.citations):
        out.append(f"- {_q(src['source'], 80)}: {', '.join(_q(a) for a in src['articles'])} ({src['mentions']} mention(s))")
    out += ["", "## Relations", ""]
    for r in comp.relations:
        d = f", {_q(r.derived)} derived" if r.derived else ""
        out.append(f"- {_q(r.a)} ↔ {_q(r.b)}: **{r.kind}** ({r.shared_a:.0%} / {r.shared_b:.0%} of statements shared, {r.verbatim:.0%} verbatim{d}) {_q(r.reason, 200)}")
    out += ["", "## Statements", ""]
    for st_ in comp.statements:
        out.append(f"- *{st_.status}*")
        for m in st_.mentions:
            out.append(f"  - {_q(m.article)} [{m.start}:{m.end}]: {_q(m.text)}")
    return "\n".join(out) + "\n"
