"""Where the datasets live, and span-matching metrics shared by the evaluations."""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator


class DatasetMissing(Exception):
    """The labelled dataset folder is absent (as on a user's machine)."""


def dataset_root() -> Path:
    """``$STORYDIFF_DATASETS`` or ``../shared/datasets`` from the project root."""
    env = os.environ.get("STORYDIFF_DATASETS")
    if env:
        return Path(env)
    here = Path(__file__).resolve()
    for parent in here.parents:
        cand = parent.parent / "shared" / "datasets"
        if cand.is_dir():
            return cand
    return Path.cwd().parent / "shared" / "datasets"


def require(name: str) -> Path:
    path = dataset_root() / name
    if not path.is_dir():
        raise DatasetMissing(f"dataset {name!r} not found at {path} (set STORYDIFF_DATASETS)")
    return path


def read_jsonl(path: Path) -> list[dict]:
    """The records of a JSON Lines dataset file."""
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def iou(a: tuple[int, int], b: tuple[int, int]) -> float:
    inter = min(a[1], b[1]) - max(a[0], b[0])
    if inter <= 0:
        return 0.0
    return inter / (max(a[1], b[1]) - min(a[0], b[0]))


@dataclass
class PRF:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self, prefix: str = "") -> dict[str, float]:
        return {f"{prefix}precision": round(self.precision, 4), f"{prefix}recall": round(self.recall, 4), f"{prefix}f1": round(self.f1, 4)}


def match_spans(pred: list[tuple[int, int]], gold: list[tuple[int, int]], threshold: float = 0.5) -> list[tuple[int, int]]:
    """Greedy one-to-one matching by overlap/union >= threshold; returns (pred_index, gold_index)."""
    cands = []
    for i, p in enumerate(pred):
        for j, g in enumerate(gold):
            s = iou(p, g)
            if s >= threshold:
                cands.append((s, i, j))
    cands.sort(reverse=True)
    used_p, used_g, out = set(), set(), []
    for _, i, j in cands:
        if i not in used_p and j not in used_g:
            used_p.add(i)
            used_g.add(j)
            out.append((i, j))
    return out


def order_table(title: str, figures: dict[str, float], keys: dict[str, str]) -> str:
    """A clustering evaluation's figures as a table: one row per ``keys`` (figure -> label) with the
    seed-0 order's value, and the mean and worst over the orders where ``over_orders`` gave them."""
    def cell(v: float) -> str:
        return str(int(v)) if v > 1 and float(v).is_integer() else f"{v:.3f}"

    width = max(len(label) for label in keys.values())
    lines = [title, f"  {'':{width}}  seed-0 order  mean   worst"]
    for key, label in keys.items():
        cells = [cell(figures[key]).ljust(12)]
        if f"{key}_mean" in figures:
            cells += [cell(figures[f"{key}_mean"]), cell(figures[f"{key}_min"])]
        lines.append(f"  {label:{width}}  " + "  ".join(cells).rstrip())
    return "\n".join(lines)


def evaluator_main(run: Callable[[list[str]], Iterator[tuple[str, dict[str, float], dict[str, str]]]]) -> None:
    """The command line of an evaluator module: ``run(args)`` yields (title, figures, row labels)
    to print as tables (``--json``: one JSON object a line instead); without the datasets it says
    where it looked and exits with 1."""
    args = sys.argv[1:]
    as_json = "--json" in args
    args = [a for a in args if a != "--json"]
    try:
        for title, figures, keys in run(args):
            if as_json:
                print(json.dumps({"title": title, **{k: round(v, 4) for k, v in figures.items()}}), flush=True)
            else:
                print(order_table(title, figures, keys), flush=True)
    except DatasetMissing as exc:
        print(f"error: {exc}", file=sys.stderr)
        raise SystemExit(1) from None
