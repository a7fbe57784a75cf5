"""Articles -> annotation layers (language, sentences, entities, dates, numbers, quotes, citations)."""

from .pipeline import ANNOTATORS, Analyzer, Annotator, analyze_articles

__all__ = ["ANNOTATORS", "Analyzer", "Annotator", "analyze_articles"]
