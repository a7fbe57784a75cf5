"""Sources -> raw documents: files (text, HTML, JSON, JSONL, CSV/TSV, Parquet; compressed or not),
directories of them, and standard input."""

from .files import SUPPORTED_EXTENSIONS, read_inputs, skipped_files

__all__ = ["SUPPORTED_EXTENSIONS", "read_inputs", "skipped_files"]
