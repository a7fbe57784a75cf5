"""Compare the articles of one story: statements, quotation variants, conflicts, citations, relations."""

from .engine import TooFewArticles, compare, compare_articles
from .result import Comparison, Conflict, Mention, QuoteGroup, QuoteVariant, Relation, Statement

__all__ = [
    "Comparison",
    "Conflict",
    "Mention",
    "QuoteGroup",
    "QuoteVariant",
    "Relation",
    "Statement",
    "TooFewArticles",
    "compare",
    "compare_articles",
]
