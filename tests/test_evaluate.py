"""The evaluators' command line: figures as a table (or JSON), a clear error without the datasets."""

import json
import sys

import pytest

from storydiff.evaluate.common import DatasetMissing, evaluator_main, order_table


def test_order_table_gives_mean_and_worst_where_there_are_orders():
    figures = {"bcubed_f1": 0.874, "bcubed_f1_mean": 0.8721, "bcubed_f1_min": 0.865, "bcubed_recall": 0.856,
               "clusters": 143.0}
    table = order_table("ECB+", figures, {"bcubed_f1": "B-cubed F1", "bcubed_recall": "B-cubed recall",
                                          "clusters": "stories"}).splitlines()
    assert table[0] == "ECB+"
    assert table[2].split() == ["B-cubed", "F1", "0.874", "0.872", "0.865"]
    assert table[3].split() == ["B-cubed", "recall", "0.856"]  # one order's figure only
    assert table[4].split() == ["stories", "143"]


def test_evaluator_main_prints_json_and_fails_clearly_without_datasets(monkeypatch, capsys):
    monkeypatch.setattr(sys, "argv", ["x", "--json", "0.2"])
    evaluator_main(lambda args: iter([(f"run {args}", {"ari": 0.81234}, {"ari": "ARI"})]))
    assert json.loads(capsys.readouterr().out) == {"title": "run ['0.2']", "ari": 0.8123}

    def missing(args):
        raise DatasetMissing("dataset 'ecbplus' not found at /nowhere/ecbplus")
        yield  # a generator, as the evaluators are

    with pytest.raises(SystemExit) as exc:
        evaluator_main(missing)
    assert exc.value.code == 1 and "not found at /nowhere" in capsys.readouterr().err
