"""The demo: compare the bundled (fictional) sample articles about one event, fact by fact.

Run with ``make demo``. Writes out/demo/report.html (open it in a browser), comparison.json,
comparison.md and analysis.json, and prints a summary of what was found."""

from __future__ import annotations

import json
from pathlib import Path

from storydiff import analyze, compare
from storydiff.compare.report.text import render

HERE = Path(__file__).resolve().parent
OUT = HERE.parent / "out" / "demo"


def main() -> None:
    res = analyze(sorted((HERE / "articles").glob("*.txt")))
    for f in res.failures:
        print("failed:", f)
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "analysis.json").write_text(
        json.dumps({"articles": [a.to_dict() for a in res.articles]}, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    comp = compare(res.articles)
    (OUT / "comparison.json").write_text(comp.to_json(), encoding="utf-8")
    (OUT / "comparison.md").write_text(comp.to_markdown(), encoding="utf-8")
    (OUT / "report.html").write_text(comp.to_html(), encoding="utf-8")
    render(comp)
    found = {
        "wire copy": any(r.kind == "copy" for r in comp.relations),
        "translation": any(r.kind == "translation" for r in comp.relations),
        "changed number": any(c.kind in {"number", "count"} for c in comp.conflicts),
        "conflicting title": any(c.kind == "title" for c in comp.conflicts),
        "reworded quotation": any(len(g.articles) > 1 and g.drift > 0 for g in comp.quotes),
        "added context": any(s.status == "unique" for s in comp.statements),
        "photo caption": any(b.kind == "caption" for a in comp.articles for b in a.boilerplate),
        "teaser": any(b.kind == "teaser" for a in comp.articles for b in a.boilerplate),
    }
    print("\nFound in the sample coverage: " + ", ".join(f"{k} {'yes' if v else 'NO'}" for k, v in found.items()))
    # The same articles through the corpus store: one story across three languages, the wire copy
    # linked to its original. A fresh store each run (the demo is repeatable).
    from storydiff.corpus import ingest
    from storydiff.store import Store

    db = OUT / "storydiff.db"
    for p in OUT.glob("storydiff.db*"):
        p.unlink()
    with Store(db) as store:
        report = ingest(sorted((HERE / "articles").glob("*.txt")), store)
        stories = store.stories()
    print(f"\nStore {db}: {report.added} articles ({report.near_duplicates} near-duplicate) in {len(stories)} stor"
          f"{'y' if len(stories) == 1 else 'ies'}:")
    for st in stories:
        print(f"  {st['id']}: {st['article_count']} articles, {st['independent_sources']} independent, "
              f"languages {', '.join(st['languages'])}: {st['title']}")
    print(f"  try: .venv/bin/storydiff stories --db {db}   |   .venv/bin/storydiff search Valmora --db {db}")
    print(f"       .venv/bin/storydiff story s1 --why --db {db}   (why each article is in the story)")
    print(f"\nOpen the report: {OUT / 'report.html'}")
    print(f"Also written: {OUT / 'comparison.json'}, {OUT / 'comparison.md'}, {OUT / 'analysis.json'}")


if __name__ == "__main__":
    main()
