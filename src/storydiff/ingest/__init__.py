"""Sources -> raw documents: files (text, HTML, JSON, JSONL, CSV/TSV, Parquet; compressed or not),
folders and zip or tar archives of them, and standard input."""

from .files import SUPPORTED_EXTENSIONS, read_inputs

__all__ = ["SUPPORTED_EXTENSIONS", "read_inputs"]
