"""Raw documents -> articles: main text, metadata, and boilerplate kept as labelled spans."""

from .pipeline import extract, fill_missing

__all__ = ["extract", "fill_missing"]
