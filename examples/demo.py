"""The demo: analyse the bundled (fictional) sample articles and write the results.

Run with ``make demo``. Writes out/demo/analysis.json and out/demo/quotes.json and prints a summary."""

from __future__ import annotations

import json
from pathlib import Path

from storydiff import analyze

HERE = Path(__file__).resolve().parent
OUT = HERE.parent / "out" / "demo"


def main() -> None:
    res = analyze([HERE / "articles"])
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "analysis.json").write_text(
        json.dumps({"articles": [a.to_dict() for a in res.articles]}, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    quotes = [{"article": a.id, **q.to_dict()} for a in res.articles for q in a.quotes]
    (OUT / "quotes.json").write_text(json.dumps(quotes, ensure_ascii=False, indent=1), encoding="utf-8")
    for a in res.articles:
        print(f"{a.id:24} [{a.language}] {len(a.sentences):2} sentences, {len(a.entities):2} entities, "
              f"{len(a.dates)} dates, {len(a.numbers)} numbers, {len(a.quotes)} quotes, {len(a.citations)} citations, "
              f"{len(a.boilerplate)} boilerplate spans")
        for q in a.quotes:
            who = q.speaker.text if q.speaker else "?"
            print(f"    {q.kind:8} {who[:28]:28} {q.content.text[:70]}")
    for f in res.failures:
        print("failed:", f)
    print(f"\nResults written to {OUT}/analysis.json and {OUT}/quotes.json")


if __name__ == "__main__":
    main()
