"""Story clustering on multilingual Wikinews (en/fr/it, ``wikinews_multilingual_primer_subset``):
the check that the clustering defaults hold outside ECB+, across languages and on headlines alone.

Gold: 46 pairs of articles on one event in two languages (43 with text on both sides), mixed into
the 1,261 other articles with text (each its own Wikinews page, so in the main a different event).
Articles are labelled with their Wikinews page id: one side of every pair was found among the
other articles (same page id), so those 43 copies belong with their pair, not against it.
Everything is clustered together with the defaults, in ORDERS shuffled arrival orders (seeds 0-19),
twice: on the full text, and on the titles alone. Scores (of the seed-0 order, and their mean and
worst over the orders):

- ``pair_recall``: share of gold pairs whose two articles land in one story (translations together);
- ``distractor_purity``: share of the other articles that share their story with no article of
  another Wikinews page (how rarely unrelated events are merged; a few are related follow-ups,
  so 1.0 is not reachable, but a drop means over-merging).
"""

from __future__ import annotations

from ..model import Article
from .common import evaluator_main, read_jsonl, require
from .ecbplus import ORDERS, over_orders, stream_orders

DATASET = "wikinews_multilingual_primer_subset"


def load_wikinews(titles_only: bool = False) -> tuple[list[Article], list[tuple[str, str]], dict[str, str]]:
    """(articles, gold same-event pairs of ids, page of every article)."""
    root = require(DATASET)
    arts: list[Article] = []
    page: dict[str, str] = {}

    def add(aid: str, pid: str, text: str, title: str, lang: str) -> Article:
        a = Article(id=aid, text=title if titles_only else text, title=None if titles_only else title, language=lang)
        arts.append(a)
        page[aid] = pid
        return a

    pairs = []
    for i, r in enumerate(read_jsonl(root / "crosslingual_same_event_pairs.jsonl")):
        if r["text1"].strip() and r["text2"].strip():
            a = add(f"p{i}a", str(r["pageid"]), r["text1"], r["title1"], r["lang1"])
            b = add(f"p{i}b", str(r["pageid"]), r["text2"], r["title2"], r["lang2"])
            pairs.append((a.id, b.id))
    for r in read_jsonl(root / "selected_multilingual_wikinews.jsonl"):
        if r["text"].strip() and r["title"].strip():
            add(f"d-{r['lang']}-{r['id']}", str(r["id"]), r["text"], r["title"], r["lang"])
    return arts, pairs, page


def evaluate(titles_only: bool = False, orders: int = ORDERS, threshold: float | None = None) -> dict[str, float]:
    """Gold pairs in one story (``pair_recall``) and other articles sharing a story with no other
    page (``distractor_purity``): the seed-0 order's, and their mean and worst over ``orders``
    shuffled arrival orders (as the ECB+ evaluation)."""
    arts, pairs, page = load_wikinews(titles_only)
    in_pairs = {x for p in pairs for x in p}
    others = [a.id for a in arts if a.id not in in_pairs]
    runs = []
    for story_of in stream_orders(arts, threshold, orders):
        pages: dict[str, set[str]] = {}
        for aid, sid in story_of.items():
            pages.setdefault(sid, set()).add(page[aid])
        runs.append({
            "pair_recall": sum(story_of[a] == story_of[b] for a, b in pairs) / len(pairs),
            "distractor_purity": sum(len(pages[story_of[a]]) == 1 for a in others) / len(others),
        })
    return over_orders(runs, ("pair_recall", "distractor_purity"))


ROWS = {"pair_recall": "gold pairs together", "distractor_purity": "other pages kept apart"}


def _main(args: list[str]):
    """``python -m storydiff.evaluate.wikinews [--json]``: full texts, then titles alone."""
    for titles in (False, True):
        yield f"Wikinews en/fr/it, {'titles alone' if titles else 'full texts'}", evaluate(titles), ROWS


if __name__ == "__main__":
    evaluator_main(_main)
