"""Raw documents -> articles: main text, metadata, and boilerplate kept as labelled spans."""

from .pipeline import extract, extract_all, fill_missing

__all__ = ["extract", "extract_all", "fill_missing"]
