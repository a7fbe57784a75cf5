"""Acceptance on the two canonical reports in ../shared/seeds (skipped when that folder is absent).

Checks what a reader would; nothing here is special-cased in the code."""

from __future__ import annotations

from pathlib import Path

import pytest

import storydiff

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
FILES = sorted(SEEDS.glob("*.txt")) if SEEDS.is_dir() else []

pytestmark = pytest.mark.skipif(len(FILES) < 2, reason=f"seed reports not available at {SEEDS}")


@pytest.fixture(scope="module")
def comp():
    return storydiff.compare(FILES)


def test_quotation_variants_grouped(comp):
    multi = [g for g in comp.quotes if len(g.articles) == 2]
    reworded = [g for g in multi if g.drift > 0.05 and any(v.changes for v in g.variants)]
    assert len(reworded) >= 4, [g.variants[0].text for g in multi]
    texts = [" || ".join(v.text for v in g.variants) for g in reworded]
    assert any("existential threat" in t and "life-or-death threat" in t for t in texts)


def test_title_conflict_flagged(comp):
    titles = [c for c in comp.conflicts if c.kind == "title"]
    assert titles, comp.conflicts
    assert len({v.article for v in titles[0].values}) == 2
    assert len({v.text for v in titles[0].values}) == 2


def test_each_report_has_its_own_additions(comp):
    unique_by = {a.id: [s for s in comp.statements if s.status == "unique" and s.mentions[0].article == a.id] for a in comp.articles}
    assert all(len(v) >= 2 for v in unique_by.values()), {k: len(v) for k, v in unique_by.items()}
    assert any(s.status == "shared" for s in comp.statements)


def test_both_cite_the_same_newspaper(comp):
    merged = {}
    for c in comp.citations:
        merged.setdefault(c.source, set()).add(c.article)
    assert any(len(arts) == 2 for arts in merged.values()), merged


def test_disclaimer_and_teaser_not_compared(comp):
    kinds = {b.kind for a in comp.articles for b in a.boilerplate}
    assert {"teaser", "disclaimer"} <= kinds
    for a in comp.articles:
        for b in a.boilerplate:
            for s in comp.statements:
                for m in s.mentions:
                    if m.article == a.id:
                        assert m.end <= b.span.start or m.start >= b.span.end, (b.kind, m.text)
