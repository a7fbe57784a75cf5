"""Raw documents -> articles: main text, metadata, and boilerplate kept as labelled spans."""

from .pipeline import extract

__all__ = ["extract"]
