"""Loaders for the labelled datasets in ``../shared/datasets`` and the scores of the quality gate.
Datasets are read in place; each loader raises ``DatasetMissing`` when its folder is absent."""

from .common import DatasetMissing, dataset_root

__all__ = ["DatasetMissing", "dataset_root"]
