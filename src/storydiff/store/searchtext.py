"""Text as the full-text index sees it. FTS5's and PostgreSQL's tokenizers split on spaces and
punctuation, which leaves a run of Chinese or Japanese characters as one long token; such runs are
cut into words (jieba's search mode) before indexing and before querying, so a search for 港口
finds 港口工人罢工."""

from __future__ import annotations

import re

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
_WORD = re.compile(r"\w+", re.UNICODE)


def _cut(run: str) -> str:
    from ..analyze.nlp import jieba_posseg

    import jieba

    jieba_posseg()  # initialises jieba quietly, once
    return " " + " ".join(w for w in jieba.cut_for_search(run) if w.strip()) + " "


def index_text(text: str) -> str:
    """``text`` with CJK runs segmented into space-separated words."""
    if not _CJK.search(text):
        return text
    return _CJK.sub(lambda m: _cut(m.group()), text)


def fts_query(query: str) -> str:
    """An FTS5 query matching every word of ``query`` (each word quoted: no query syntax injected)."""
    words = _WORD.findall(index_text(query))
    return " ".join('"' + w.replace('"', '""') + '"' for w in words)
