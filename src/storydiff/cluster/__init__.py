"""Group articles into stories: near-duplicates (MinHash) and incremental story clustering."""

from .neardup import NearDuplicates
from .stories import StoryClusterer, article_rows, cluster_articles

__all__ = ["NearDuplicates", "StoryClusterer", "article_rows", "cluster_articles"]
