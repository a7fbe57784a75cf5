"""Where the datasets live, and span-matching metrics shared by the evaluations."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path


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
