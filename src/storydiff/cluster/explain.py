"""Why articles are in one story: each article's strongest link to another of its members.

The clusterer joins an article to the story whose members, among its nearest neighbours, score best
(cluster/stories.py). To show a user why a story holds what it holds, each member is scored against
every other member with the clusterer's own rule (:meth:`StoryClusterer.link_scores`: the padded
key-term cosine within a language, the document vector against its bar across languages, the time
penalty) and its best link is kept, with the names, numbers and words both articles carry, the
weightiest first. A near-duplicate's link is its original. In a story of more than CANDIDATES
articles, each is scored against its CANDIDATES nearest members by document vector (the clusterer
itself looks at 30 neighbours).

Scores are recomputed now, with the document frequencies of the clusterer handed in (the caller
fills it with the story and a sample of the rest of the corpus), not those of the moment the article
arrived; an article whose best link falls under the bar its story sets (the threshold, lowered as
the story grows: StoryClusterer.story_bar; the threshold across languages) is marked weak: it
joined through members it no longer matches (a story merged since, a move by hand) or is a
candidate to move."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field

import numpy as np

from .features import Features
from .stories import StoryClusterer

SHOWN_TERMS = 8  # shared terms listed a link
CANDIDATES = 200  # members of a large story scored against each: its nearest by document vector


@dataclass
class Link:
    """One member's strongest link within its story."""

    article: str
    to: str | None  # the member it links to best (None: the story's only article)
    score: float | None  # the clusterer's score of that pair (None for a copy or a lone article)
    cosine: float | None  # their document vectors' cosine
    kind: str  # "copy" (near-duplicate of ``to``), "terms" (one language), "vector" (two), "alone"
    shared: list[str] = field(default_factory=list)  # names, numbers and words both carry, weightiest first
    weak: bool = False  # best score under the bar the story's other members set (StoryClusterer.join_bar)

    def to_dict(self) -> dict:
        return asdict(self)


def story_links(cl: StoryClusterer, rows: list[int], feats: list[Features], originals: dict[str, str] | None = None,
                texts: dict[str, str] | None = None) -> list[Link]:
    """The strongest link of each member of a story. ``rows`` are the members' rows in ``cl`` (which
    must hold them), ``feats`` their features in the same order; ``originals`` maps a copy's id to
    its original's (the store's record), ``texts`` an article's id to its text, from which shared
    terms are shown as written ("Valmora" for the key term "=valmora")."""
    originals, texts = originals or {}, texts or {}
    if len(rows) != len(feats):
        raise ValueError(f"{len(rows)} rows for {len(feats)} articles")
    vecs = np.stack([f.vector for f in feats]).astype(np.float32) if feats else np.zeros((0, 1), np.float32)
    ids = {f.id: i for i, f in enumerate(feats)}
    size = sum(f.id not in originals for f in feats) - 1  # the story's independent reports, less this one
    out = []
    for i, f in enumerate(feats):
        coss = vecs @ vecs[i]
        if f.id in originals:
            j = ids.get(originals[f.id])
            out.append(Link(f.id, originals[f.id], None, None if j is None else round(float(coss[j]), 3), "copy"))
            continue
        # an original's own copies say nothing of why it is here: the other members do, if any
        others = [j for j in range(len(feats)) if j != i and originals.get(feats[j].id) != f.id] or \
                 [j for j in range(len(feats)) if j != i]
        if not others:
            out.append(Link(f.id, None, None, None, "alone"))
            continue
        if len(others) > CANDIDATES:  # the nearest by vector, as the clusterer finds its neighbours
            others = [others[k] for k in np.argsort(-coss[others], kind="stable")[:CANDIDATES].tolist()]
        links = cl.links(f, [(rows[j], float(coss[j])) for j in others])
        scores = [s for s, _, _ in links]
        best = int(np.argmax(scores))
        j = others[best]
        cross = links[best][1]
        bar, held = cl.story_bar(size, links)
        shown = dict.fromkeys(_as_written(t, texts.get(f.id, "")) for t in cl.shared_terms(f, rows[j]))
        out.append(Link(f.id, feats[j].id, round(scores[best], 3), round(float(coss[j]), 3),
                        "vector" if cross else "terms", list(shown)[:SHOWN_TERMS], held[best] < bar))
    return out


def _as_written(term: str, text: str) -> str:
    """A key term as the article writes it: a name ("=valmora") or a stem ("negoti") found in the
    text gives its first spelling there ("Valmora", "negotiations"); else the term without its mark."""
    bare = term.lstrip("=")
    if text and bare:
        rest = "" if term.startswith("=") or bare[0].isdigit() else r"[^\W_]*"  # a stem: the rest of its word
        m = re.search(r"(?<!\w)" + re.escape(bare) + rest + r"(?!\w)", text, re.I)
        if m:
            return m.group()
    return bare
