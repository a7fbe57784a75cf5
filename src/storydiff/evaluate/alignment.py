"""Cross-lingual statement alignment on WMT news documents (English originals with professional
Chinese translations, ``wmt_zh_en_news/wmttest2022_en-zh_news_docs.tsv``).

Each document becomes two articles, the English source and its Chinese translation, one unit per
segment. A translated article must align with its source: a predicted pair is correct when it links
segment i of one side to segment i of the other. Precision, recall and F1 over linked pairs (pairs
that share a statement group)."""

from __future__ import annotations

import csv

from ..compare.align import align
from ..compare.units import Unit, stems
from ..embed import get_encoder
from ..model import Span
from .common import PRF, require


def load_wmt_docs(ref: str = "zh_refA") -> list[tuple[list[str], list[str]]]:
    """[(english segments, chinese segments)] per document."""
    return [(en, zh[ref]) for en, zh in load_wmt_translations((ref,))]


def load_wmt_translations(refs: tuple[str, ...]) -> list[tuple[list[str], dict[str, list[str]]]]:
    """[(english segments, {reference: chinese segments})] per document, the file read once."""
    path = require("wmt_zh_en_news") / "wmttest2022_en-zh_news_docs.tsv"
    docs: dict[str, tuple[list[str], dict[str, list[str]]]] = {}
    with open(path, encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
            en, zh = docs.setdefault(row["doc_id"], ([], {ref: [] for ref in refs}))
            en.append(row["en_src"])
            for ref in refs:
                zh[ref].append(row[ref])
    return list(docs.values())


def _units(segments: list[str], article: int, language: str) -> list[Unit]:
    out, pos = [], 0
    text = "\n".join(segments)
    for seg in segments:
        out.append(Unit(article=article, span=Span(pos, pos + len(seg), seg), language=language, stems=stems(seg)))
        pos += len(seg) + 1
    return out


def evaluate(threshold: float, encoder: str = "use") -> dict[str, float]:
    enc = get_encoder(encoder)
    prf = PRF()
    for en, zh in load_wmt_docs():
        units = _units(en, 0, "en") + _units(zh, 1, "zh")
        vecs = enc.encode([u.span.text for u in units])
        al = align(units, vecs, 2, threshold)
        predicted = set()
        for g in al.groups:
            for a in g:
                for b in g:
                    if units[a].article == 0 and units[b].article == 1:
                        predicted.add((a, b - len(en)))
        gold = {(i, i) for i in range(min(len(en), len(zh)))}
        prf.tp += len(predicted & gold)
        prf.fp += len(predicted - gold)
        prf.fn += len(gold - predicted)
    return prf.as_dict("wmt22_align_")


if __name__ == "__main__":
    import sys

    for t in [float(x) for x in sys.argv[1:]] or [0.5, 0.55, 0.6, 0.65, 0.7]:
        print(t, {k: round(v, 3) for k, v in evaluate(t).items()})
