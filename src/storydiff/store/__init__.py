"""The corpus store: articles, their analysis and clustering features, stories, failures."""

from .db import DEFAULT_DB, Store, parse_story_id, story_key
from .schema import SCHEMA_VERSION

__all__ = ["DEFAULT_DB", "SCHEMA_VERSION", "Store", "parse_story_id", "story_key"]
