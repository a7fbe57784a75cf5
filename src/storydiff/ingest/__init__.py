"""Sources -> raw documents: files (.txt, .md, .html, .json, .jsonl) and directories of them."""

from .files import SUPPORTED_EXTENSIONS, read_inputs

__all__ = ["SUPPORTED_EXTENSIONS", "read_inputs"]
