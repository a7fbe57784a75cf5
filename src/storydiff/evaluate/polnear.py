"""PolNeAR attribution relations (brat standoff) and the quotation/speaker scores of storydiff."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

from .common import PRF, iou, match_spans, require

QUOTE_MARKS = "\"\u201c\u201d\u2018\u2019'"


@dataclass
class GoldAttribution:
    content: tuple[int, int]
    source: tuple[int, int] | None
    cue: tuple[int, int] | None
    direct: bool


@dataclass
class GoldDoc:
    id: str
    text: str
    attributions: list[GoldAttribution] = field(default_factory=list)


def load(split: str = "dev", limit: int | None = None) -> Iterator[GoldDoc]:
    """One annotated document per article (the first annotator's file when several exist)."""
    root = require("polnear") / "data" / split
    anns: dict[str, Path] = {}
    for f in sorted((root / "attributions").glob("*.ann")):
        anns.setdefault(f.stem.rsplit("_", 1)[0], f)
    for n, (stem, ann) in enumerate(sorted(anns.items())):
        if limit is not None and n >= limit:
            break
        text = (root / "text" / f"{stem}.txt").read_text(encoding="utf-8")
        yield GoldDoc(stem, text, _parse_ann(ann.read_text(encoding="utf-8"), text))


def _parse_ann(ann: str, text: str) -> list[GoldAttribution]:
    spans: dict[str, tuple[str, tuple[int, int]]] = {}
    events = []
    for line in ann.splitlines():
        parts = line.split("\t")
        if line.startswith("T") and len(parts) >= 2:
            label, *offs = parts[1].split(" ", 1)
            frags = [tuple(map(int, f.split())) for f in offs[0].split(";")]
            spans[parts[0]] = (label, (min(f[0] for f in frags), max(f[1] for f in frags)))
        elif line.startswith("E") and len(parts) >= 2:
            events.append(dict(arg.split(":", 1) for arg in parts[1].split()))
    out = []
    for ev in events:
        role = {k.rstrip("0123456789"): v for k, v in ev.items()}
        if "Content" not in role or role["Content"] not in spans:
            continue
        c = spans[role["Content"]][1]
        s = spans[role["Source"]][1] if role.get("Source") in spans else None
        q = spans[role["Cue"]][1] if role.get("Cue") in spans else None
        body = text[c[0] : c[1]].strip()
        direct = len(body) > 1 and body[0] in QUOTE_MARKS and body.rstrip(".,;:")[-1:] in QUOTE_MARKS
        out.append(GoldAttribution(c, s, q, direct))
    return out


def speaker_correct(pred: tuple[int, int] | None, gold: tuple[int, int] | None) -> bool:
    """A speaker is right when it overlaps the gold source by >= half their union, or one span
    contains the other (a name inside a longer description, or the reverse)."""
    if pred is None or gold is None:
        return pred is None and gold is None
    if iou(pred, gold) >= 0.5:
        return True
    inside = (gold[0] <= pred[0] and pred[1] <= gold[1]) or (pred[0] <= gold[0] and gold[1] <= pred[1])
    return inside and iou(pred, gold) > 0


# Quotation marks as printed: curly, straight, or typed as two apostrophes (''...'', the New York
# Times archive style of part of PolNeAR).
_QUOTED = re.compile(r"\u201c[^\u201c\u201d]+\u201d|\"[^\"]+\"|''(?:(?!'').)+''")


def gold_direct_quotes(doc: GoldDoc) -> list[tuple[tuple[int, int], tuple[int, int] | None]]:
    """Each stretch in quotation marks inside a gold attribution's content (marks excluded), with
    that attribution's source. A quotation split by its cue gives one entry per piece."""
    seen = {}
    for a in doc.attributions:
        body = doc.text[a.content[0] : a.content[1]]
        for m in _QUOTED.finditer(body):
            if len(m.group().split()) < 1:
                continue
            mark = 2 if m.group().startswith("''") else 1
            span = (a.content[0] + m.start() + mark, a.content[0] + m.end() - mark)
            if span not in seen or seen[span] is None:
                seen[span] = a.source
    return sorted(seen.items())


def attribution_units(quotes: list) -> list[tuple[tuple[int, int], object]]:
    """Predicted quotes grouped as attributions: pieces sharing one cue form one unit (their
    extent), and a direct quotation inside reported speech belongs to that speech."""
    groups: dict[object, list] = {}
    for q in quotes:
        key = (q.cue.start, q.cue.end) if q.cue is not None else ("q", q.content.start)
        groups.setdefault(key, []).append(q)
    units = [((min(q.content.start for q in g), max(q.content.end for q in g)), g[0]) for g in groups.values()]
    keep = []
    for span, q in units:
        inside = any(o[0] <= span[0] and span[1] <= o[1] and o != span for o, _ in units)
        if not inside:
            keep.append((span, q))
    return keep


def _score(pred, gold, prf, sp) -> None:
    pairs = match_spans([p for p, _ in pred], [g for g, _ in gold])
    prf.tp += len(pairs)
    prf.fp += len(pred) - len(pairs)
    prf.fn += len(gold) - len(pairs)
    for i, j in pairs:
        gsrc = gold[j][1]
        if gsrc is None:
            continue
        q = pred[i][1]
        sp[1] += 1
        sp[0] += speaker_correct((q.speaker.start, q.speaker.end) if q.speaker else None, gsrc)


def evaluate(docs: list[GoldDoc], predict: Callable[[list[str]], list[list]]) -> dict[str, float]:
    """Scores of ``predict`` (texts -> lists of ``Quote``) against gold attributions.

    direct_*: quoted stretches inside gold contents vs predicted direct quotes (pieces).
    all_*: gold attribution contents vs predicted attribution units (see ``attribution_units``).
    A prediction matches a gold span when overlap/union >= 0.5 (one-to-one, greedy)."""
    preds = predict([d.text for d in docs])
    direct, allq = PRF(), PRF()
    sp_direct, sp_all = [0, 0], [0, 0]
    n_direct = 0
    for doc, quotes in zip(docs, preds):
        gd = gold_direct_quotes(doc)
        n_direct += len(gd)
        pd = [((q.content.start, q.content.end), q) for q in quotes if q.kind == "direct"]
        _score(pd, gd, direct, sp_direct)
        ga = [(a.content, a.source) for a in doc.attributions]
        _score(attribution_units(quotes), ga, allq, sp_all)
    return {
        **direct.as_dict("direct_"),
        "direct_speaker_accuracy": round(sp_direct[0] / max(1, sp_direct[1]), 4),
        **allq.as_dict("all_"),
        "all_speaker_accuracy": round(sp_all[0] / max(1, sp_all[1]), 4),
        "documents": len(docs),
        "gold_direct": n_direct,
        "gold_all": sum(len(d.attributions) for d in docs),
    }
