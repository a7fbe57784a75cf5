"""Translations in their source's story: WMT22's English news documents, each with two professional
Chinese translations (``zh_refA``, ``zh_refB``), clustered among the Wikinews articles in English,
French and Italian (full text) as a feed of other events, in shuffled arrival orders (as
evaluate/ecbplus.py).

Scores: ``translation_recall``, the share of (English source, Chinese translation) pairs in one
story; ``translation_purity``, the share of WMT articles whose story holds no article of another
document."""

from __future__ import annotations

from ..model import Article
from .alignment import load_wmt_translations
from .common import evaluator_main
from .ecbplus import ORDERS, over_orders, stream_orders
from .wikinews import load_wikinews

REFS = ("zh_refA", "zh_refB")


def load_translations() -> tuple[list[Article], list[tuple[str, str]], dict[str, str]]:
    """(WMT articles, (source id, translation id) pairs, document of every WMT article id)."""
    arts, pairs, doc = [], [], {}
    for i, (en, zh) in enumerate(load_wmt_translations(REFS)):
        arts.append(Article(id=f"wmt{i}-en", text="\n".join(en), language="en"))
        doc[f"wmt{i}-en"] = str(i)
        for ref in REFS:
            aid = f"wmt{i}-{ref}"
            arts.append(Article(id=aid, text="".join(zh[ref]), language="zh"))
            doc[aid] = str(i)
            pairs.append((f"wmt{i}-en", aid))
    return arts, pairs, doc


def evaluate(orders: int = ORDERS, threshold: float | None = None) -> dict[str, float]:
    """The seed-0 order's scores, and their mean and worst over ``orders`` orders."""
    wmt, pairs, doc = load_translations()
    others, _, _ = load_wikinews()
    runs = []
    for story_of in stream_orders(wmt + others, threshold, orders):
        docs_in: dict[str, set[str]] = {}
        for aid, sid in story_of.items():
            docs_in.setdefault(sid, set()).add(doc.get(aid, "other:" + aid))
        runs.append({
            "translation_recall": sum(story_of[a] == story_of[b] for a, b in pairs) / len(pairs),
            "translation_purity": sum(len(docs_in[story_of[a.id]]) == 1 for a in wmt) / len(wmt),
        })
    return over_orders(runs, ("translation_recall", "translation_purity"))


ROWS = {"translation_recall": "translations with their source", "translation_purity": "documents kept apart"}


def _main(args: list[str]):
    """``python -m storydiff.evaluate.translations [--json]``."""
    yield "WMT22 en-zh translations among Wikinews pages", evaluate(), ROWS


if __name__ == "__main__":
    evaluator_main(_main)
