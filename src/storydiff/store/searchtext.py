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


def query_words(query: str) -> list[str]:
    """The words a search for ``query`` must find (CJK runs cut as for indexing)."""
    return _WORD.findall(index_text(query))


def fts_query(query: str) -> str:
    """An FTS5 query matching every word of ``query`` (each word quoted: no query syntax injected)."""
    return " ".join('"' + w.replace('"', '""') + '"' for w in query_words(query))


def needs_own_snippet(index_snippet: str) -> bool:
    """Whether a snippet the index made shows CJK, which it holds cut into overlapping words
    (码头 工人 码头工人): then the snippet is cut from the text itself instead."""
    return bool(_CJK.search(index_snippet))


def snippet(text: str, words: list[str], width: int = 40) -> str:
    """A window of ``text`` around the first of ``words`` found, each word found in it put in
    [brackets], whitespace collapsed: the snippet shown for a text whose index form differs."""
    found = [w for w in sorted(set(words), key=len, reverse=True) if w]
    pattern = re.compile("|".join(map(re.escape, found)), re.IGNORECASE) if found else None
    hit = pattern.search(text) if pattern else None
    if hit is None:
        start, end = 0, min(len(text), 2 * width)
    else:
        start, end = max(0, hit.start() - width), min(len(text), hit.end() + 2 * width)
    window = text[start:end]
    if pattern:
        window = pattern.sub(lambda m: f"[{m.group()}]", window)
    return ("… " if start else "") + " ".join(window.split()) + (" …" if end < len(text) else "")
