"""Story clustering on ECB+: 43 topics, each with two real events of the same kind (``*ecb.xml`` vs
``*ecbplus.xml``) -> 86 gold event clusters, the hard case of news clustering.

Articles are detokenised from the XML (tokens joined by spaces, one line per sentence) and clustered
with the default settings, in a fixed shuffled order (seed 0) so that no file order leaks the answer.
Scores: pairwise P/R/F1, B-cubed P/R/F1 and the adjusted Rand index at the event level."""

from __future__ import annotations

import random
import re
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict
from math import comb

from ..model import Article
from .common import require


def load_ecbplus() -> list[tuple[Article, str]]:
    """[(article, gold event label)], label = topic + ('ecbplus' or 'ecb')."""
    root = require("ecbplus") / "ECB+_LREC2014" / "ECB+"
    out = []
    for path in sorted(root.glob("*/*.xml")):
        m = re.match(r"(\d+)_(\d+)(ecbplus|ecb)\.xml$", path.name)
        if not m:
            continue
        sents: dict[int, list[str]] = defaultdict(list)
        for tok in ET.parse(path).getroot().iter("token"):
            sents[int(tok.get("sentence", 0))].append(tok.text or "")
        text = "\n".join(" ".join(ws) for _, ws in sorted(sents.items()))
        out.append((Article(id=path.stem, text=text, language="en"), f"{m.group(1)}{m.group(3)}"))
    return out


def pairwise(pred: list[str], gold: list[str]) -> tuple[float, float, float]:
    def pairs(labels):
        return sum(comb(c, 2) for c in Counter(labels).values())

    both = sum(comb(c, 2) for c in Counter(zip(pred, gold)).values())
    p = both / pairs(pred) if pairs(pred) else 0.0
    r = both / pairs(gold) if pairs(gold) else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def bcubed(pred: list[str], gold: list[str]) -> tuple[float, float, float]:
    joint = Counter(zip(pred, gold))
    cp, cg = Counter(pred), Counter(gold)
    n = len(pred)
    p = sum(joint[(a, b)] / cp[a] for a, b in zip(pred, gold)) / n
    r = sum(joint[(a, b)] / cg[b] for a, b in zip(pred, gold)) / n
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def ari(pred: list[str], gold: list[str]) -> float:
    n = len(pred)
    idx = sum(comb(c, 2) for c in Counter(zip(pred, gold)).values())
    a = sum(comb(c, 2) for c in Counter(pred).values())
    b = sum(comb(c, 2) for c in Counter(gold).values())
    expected = a * b / comb(n, 2)
    maximum = (a + b) / 2
    return (idx - expected) / (maximum - expected) if maximum != expected else 1.0


def evaluate(threshold: float | None = None, items=None) -> dict[str, float]:
    from ..cluster.stories import THRESHOLD, cluster_articles

    items = list(items or load_ecbplus())
    random.Random(0).shuffle(items)
    stories = cluster_articles([a for a, _ in items], threshold=threshold if threshold is not None else THRESHOLD)
    story_of = {aid: s.id for s in stories for aid in s.articles}
    pred = [story_of[a.id] for a, _ in items]
    gold = [g for _, g in items]
    pp, pr, pf = pairwise(pred, gold)
    bp, br, bf = bcubed(pred, gold)
    return {
        "pairwise_precision": pp, "pairwise_recall": pr, "pairwise_f1": pf,
        "bcubed_precision": bp, "bcubed_recall": br, "bcubed_f1": bf,
        "ari": ari(pred, gold), "clusters": float(len(stories)),
    }


if __name__ == "__main__":
    import sys

    data = load_ecbplus()
    for t in [float(x) for x in sys.argv[1:]] or [None]:
        print(t, {k: round(v, 3) for k, v in evaluate(t, data).items()})
