"""TempEval-3 (TimeML) and MEANTIME (CAT XML) readers: plain text plus gold date, number and entity
spans, and the scores of storydiff's date, number and entity annotators against them."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

from .common import PRF, match_spans, require


@dataclass
class GoldSpan:
    start: int
    end: int
    kind: str
    value: str | None = None


@dataclass
class GoldText:
    id: str
    text: str
    dct: str | None
    timexes: list[GoldSpan] = field(default_factory=list)
    values: list[GoldSpan] = field(default_factory=list)
    entities: list[GoldSpan] = field(default_factory=list)
    annotated_end: int | None = None  # MEANTIME annotates only the first sentences


def load_tempeval(limit: int | None = None) -> Iterator[GoldText]:
    """TempEval-3 training documents (TimeBank + AQUAINT)."""
    root = require("tempeval3") / "Training" / "TBAQ-cleaned"
    files = sorted(root.glob("*/*.tml"))[:limit]
    for f in files:
        tree = ET.parse(f)
        dct_el = tree.find(".//DCT/TIMEX3")
        dct = dct_el.get("value") if dct_el is not None else None
        text_el = tree.find(".//TEXT")
        if text_el is None:
            continue
        parts: list[str] = []
        timexes: list[GoldSpan] = []

        def walk(el):
            if el.text:
                parts.append(el.text)
            for child in el:
                start = sum(map(len, parts))
                walk(child)
                if child.tag == "TIMEX3":
                    timexes.append(GoldSpan(start, sum(map(len, parts)), child.get("type", ""), child.get("value")))
                if child.tail:
                    parts.append(child.tail)

        walk(text_el)
        yield GoldText(f.stem, "".join(parts), dct, timexes)


def load_meantime(limit: int | None = None) -> Iterator[GoldText]:
    """MEANTIME English documents with gold TIMEX3, VALUE and named ENTITY_MENTION spans."""
    root = require("meantime_en") / "intra_cross-doc_annotation"
    files = sorted(root.glob("*/*.xml"))[:limit]
    for f in files:
        tree = ET.parse(f)
        pieces, offsets = [], {}
        pos, last_sent = 0, None
        for tok in tree.iter("token"):
            sent = tok.get("sentence")
            if pieces:
                sep = "\n" if sent != last_sent else " "
                pieces.append(sep)
                pos += 1
            word = tok.text or ""
            offsets[tok.get("t_id")] = (pos, pos + len(word))
            pieces.append(word)
            pos += len(word)
            last_sent = sent
        text = "".join(pieces)
        doc = GoldText(f.stem, text, None)
        sent_end: dict[str, int] = {}
        for tok in tree.iter("token"):
            sent_end[tok.get("sentence")] = offsets[tok.get("t_id")][1]
        tok_sent = {tok.get("t_id"): tok.get("sentence") for tok in tree.iter("token")}
        annotated = {tok_sent[a.get("t_id")] for a in tree.iter("token_anchor") if a.get("t_id") in tok_sent}
        doc.annotated_end = max((sent_end[s] for s in annotated), default=len(text))
        markables = tree.find("Markables")
        types: dict[str, str] = {}
        for ent in tree.iter("ENTITY"):
            types[ent.get("m_id")] = ent.get("ent_type", "")
        refers: dict[str, str] = {}
        for rel in tree.iter("REFERS_TO"):
            target = rel.find("target")
            for src in rel.findall("source"):
                if target is not None:
                    refers[src.get("m_id")] = target.get("m_id")
        if markables is None:
            continue
        for m in markables:
            anchors = [offsets[a.get("t_id")] for a in m.findall("token_anchor") if a.get("t_id") in offsets]
            if not anchors:
                continue
            span = (min(a[0] for a in anchors), max(a[1] for a in anchors))
            if m.tag == "TIMEX3":
                if m.get("functionInDocument") == "CREATION_TIME":
                    doc.dct = m.get("value")
                    continue
                doc.timexes.append(GoldSpan(*span, m.get("type", ""), m.get("value")))
            elif m.tag == "VALUE":
                doc.values.append(GoldSpan(*span, m.get("type", "")))
            elif m.tag == "ENTITY_MENTION" and m.get("syntactic_type") == "NAM":
                doc.entities.append(GoldSpan(*span, types.get(refers.get(m.get("m_id"), ""), "")))
        yield doc


def score_dates(docs: list[GoldText], predict: Callable[[list[GoldText]], list[list]]) -> dict[str, float]:
    """Span detection (overlap/union >= 0.5) and value accuracy of DATE/TIME expressions on matched
    spans (durations and sets excluded: storydiff normalises points in time)."""
    preds = predict(docs)
    prf, right, total = PRF(), 0, 0
    for doc, found in zip(docs, preds):
        gold = [g for g in doc.timexes if g.kind in {"DATE", "TIME"}]
        limit = doc.annotated_end if doc.annotated_end is not None else len(doc.text)
        pred = [d for d in found if not (d.value or "").startswith("P") and d.span.start < limit]
        pairs = match_spans([(d.span.start, d.span.end) for d in pred], [(g.start, g.end) for g in gold])
        prf.tp += len(pairs)
        prf.fp += len(pred) - len(pairs)
        prf.fn += len(gold) - len(pairs)
        for i, j in pairs:
            total += 1
            right += pred[i].value == gold[j].value
    return {**prf.as_dict("date_"), "date_value_accuracy": round(right / max(1, total), 4), "date_matched": total}


def score_spans(docs: list[GoldText], gold_lists: list[list[GoldSpan]], pred_lists: list[list[tuple[int, int]]], prefix: str) -> dict[str, float]:
    prf = PRF()
    for doc, gold, pred in zip(docs, gold_lists, pred_lists):
        limit = doc.annotated_end if doc.annotated_end is not None else len(doc.text)
        pred = [p for p in pred if p[0] < limit]
        pairs = match_spans(pred, [(g.start, g.end) for g in gold])
        prf.tp += len(pairs)
        prf.fp += len(pred) - len(pairs)
        prf.fn += len(gold) - len(pairs)
    return prf.as_dict(prefix)
