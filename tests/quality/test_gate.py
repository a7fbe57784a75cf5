"""Quality gate: scores on real labelled data (../shared/datasets) must not drop below the pinned
baseline (tests/quality/baseline.json, tolerance 0.005). Skipped when the datasets are absent.
Refresh the baseline after a real improvement with:
    python -m storydiff.evaluate.run > /tmp/s.json  (then copy the figures)"""

import json
from pathlib import Path

import pytest

from storydiff.evaluate import DatasetMissing
from storydiff.evaluate import run as evaluation

BASELINE = json.loads((Path(__file__).parent / "baseline.json").read_text(encoding="utf-8"))
TOLERANCE = 0.005
RUNNERS = evaluation.RUNNERS

pytestmark = pytest.mark.quality


@pytest.mark.parametrize("dataset", sorted(RUNNERS))
def test_quality_does_not_drop(dataset):
    try:
        scores = RUNNERS[dataset]()
    except DatasetMissing as exc:
        pytest.skip(f"labelled data not available: {exc}")
    drops = {k: (scores[k], v) for k, v in BASELINE[dataset].items() if scores[k] < v - TOLERANCE}
    print(dataset, json.dumps(scores))
    assert not drops, f"quality dropped (now, baseline): {drops}"
