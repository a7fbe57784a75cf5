"""Terminal summary (rich) for ``storydiff compare`` without ``--format``."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from ..provenance import sources
from .json import summary


def _short(text: str, n: int = 90) -> str:
    text = " ".join(text.split())
    return escape(text if len(text) <= n else text[: n - 1] + "…")


def render(comp, console: Console | None = None) -> None:
    console = console or Console()
    s = summary(comp)
    t = Table(title="Articles", show_lines=False)
    for col in ("id", "outlet", "lang", "published", "unique"):
        t.add_column(col)
    for a in comp.articles:
        t.add_row(_short(a.id, 40), _short(a.outlet or "", 30), a.language or "", a.published or "", str(s["unique_by_article"][a.id]))
    console.print(t)
    st = s["statements"]
    console.print(f"Statements: [bold]{st['shared']}[/] shared by all, [bold]{st['partial']}[/] by some, [bold]{st['unique']}[/] unique")
    for w in comp.warnings:
        console.print(f"[yellow]warning:[/] {escape(w)}")
    if comp.conflicts:
        t = Table(title="Conflicts")
        for col in ("kind", "about", "values"):
            t.add_column(col)
        for c in comp.conflicts:
            t.add_row(c.kind, _short(c.about, 40), "\n".join(f"{_short(v.text, 40)}  [dim]{escape(v.article)}[/]" for v in c.values))
        console.print(t)
    else:
        console.print("Conflicts: none found")
    multi = [g for g in comp.quotes if len(g.articles) > 1]
    if multi:
        t = Table(title=f"Quotations in several articles ({len(multi)} of {len(comp.quotes)})")
        for col in ("speaker", "drift", "variants"):
            t.add_column(col)
        for g in multi:
            t.add_row(_short(g.speaker or "?", 30), f"{g.drift:.2f}", "\n".join(f"{_short(v.text, 60)}  [dim]{escape(v.article)}[/]" for v in g.variants))
        console.print(t)
    srcs = sources(comp.citations)
    if srcs:
        console.print("Cited: " + "; ".join(f"{escape(x['source'])} ({len(x['articles'])} article(s))" for x in srcs))
    for r in comp.relations:
        if r.kind != "unrelated":
            d = f", {escape(r.derived)} derived" if r.derived else ""
            console.print(f"{escape(r.a)} ↔ {escape(r.b)}: [bold]{r.kind}[/] ({r.shared_a:.0%}/{r.shared_b:.0%} shared, {r.verbatim:.0%} verbatim{d})")
