"""Count attribution frames on PolNeAR's training split and write the table that
:mod:`storydiff.analyze.frames` reads.

    python -m storydiff.evaluate.learn_frames [OUT.tsv]

For every frame of every training article (words the rules already took as cues, and words inside
quotation marks, excluded, as at analysis time) and every extent, ``seen`` counts the frame and
``hits`` counts the times its content matched a gold attribution (overlap/union >= 0.5) whose cue
holds the frame's word. Only the training split is read; the dev split stays for the quality gate.
The file holds counts per (lemma, part of speech, relation, extent), no text."""

from __future__ import annotations

import sys
from collections import defaultdict
from pathlib import Path

from ..analyze import frames as F
from ..analyze.nlp import english
from ..analyze.quotes import english_quotes, find_quoted, frame_content, rule_cues
from . import polnear
from .common import iou

DEFAULT_OUT = Path(__file__).resolve().parents[1] / "data" / F.TABLE
MIN_HITS_KEPT = 1  # rows with fewer hits are left out of the file


def count(docs, nlp) -> dict[tuple[str, str, str, str], list[int]]:
    stats: dict[tuple[str, str, str, str], list[int]] = defaultdict(lambda: [0, 0])
    texts = [d.text for d in docs]
    for d, doc in zip(docs, nlp.pipe(texts, batch_size=16)):
        text = d.text
        quoted = find_quoted(text)
        skip = rule_cues(doc, english_quotes(text, doc, learned=False), quoted)
        gold = [(a.cue, a.content) for a in d.attributions if a.cue]
        for frame in F.frames(doc, skip):
            contents = [c for cue, c in gold if cue[0] <= frame.cue.idx < cue[1]]
            names = ("sent",) if frame.content is None else F.EXTENTS
            for name in names:
                span = frame_content(text, frame, name, quoted)
                if span is None:
                    continue
                row = stats[frame.key + (name,)]
                row[0] += any(iou((span.start, span.end), c) >= 0.5 for c in contents)
                row[1] += 1
    return stats


def write(stats, out: Path, documents: int) -> int:
    rows = sorted((k, v) for k, v in stats.items() if v[0] >= MIN_HITS_KEPT)
    with open(out, "w", encoding="utf-8") as fh:
        fh.write(f"# attribution frames counted on PolNeAR v1.0.0 train ({documents} articles) by storydiff.evaluate.learn_frames\n")
        fh.write("lemma\tpos\trelation\textent\thits\tseen\n")
        for (lemma, pos, rel, name), (hits, seen) in rows:
            fh.write(f"{lemma}\t{pos}\t{rel}\t{name}\t{hits}\t{seen}\n")
    return len(rows)


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    out = Path(argv[0]) if argv else DEFAULT_OUT
    docs = list(polnear.load("train"))
    stats = count(docs, english())
    n = write(stats, out, len(docs))
    print(f"{n} frame rows from {len(docs)} articles -> {out}")


if __name__ == "__main__":
    main()
