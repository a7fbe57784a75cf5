"""Group articles into stories: near-duplicates (MinHash) and incremental story clustering."""

from .neardup import NearDuplicates
from .stories import StoryClusterer, cluster_articles

__all__ = ["NearDuplicates", "StoryClusterer", "cluster_articles"]
