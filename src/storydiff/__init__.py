"""storydiff: one news story through every outlet that reported it, fact by fact.

Public API (pinned; see tests/test_settings_api.py)::

    from storydiff import analyze, Settings
    result = analyze(["a.txt", "b.html"])
    for art in result.articles: print(art.quotes)
    comparison = compare(["a.txt", "b.html"]); comparison.to_html()
    stories, _ = cluster_stories(["corpus.jsonl"]); [s.to_dict() for s in stories]
    with open_store("news.db") as store: ingest_articles(["feed.jsonl"], store); store.stories()
"""

from .api import LoadResult, analyze, cluster_stories, ingest_articles, load_articles, open_store
from .compare import Comparison, compare
from .errors import StorydiffError
from .model import Article, Boilerplate, Citation, DateMention, Entity, NumberMention, Quote, Span
from .settings import Settings

__version__ = "0.1.0"

__all__ = [
    "Article",
    "Boilerplate",
    "Citation",
    "Comparison",
    "DateMention",
    "Entity",
    "LoadResult",
    "NumberMention",
    "Quote",
    "Settings",
    "Span",
    "StorydiffError",
    "__version__",
    "analyze",
    "cluster_stories",
    "compare",
    "ingest_articles",
    "load_articles",
    "open_store",
]
