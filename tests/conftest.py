"""Shared fixtures: one Analyzer per session (spaCy loads once), small article builders."""

from __future__ import annotations

import pytest

from storydiff.analyze import Analyzer
from storydiff.model import Article
from storydiff.settings import Settings


@pytest.fixture(scope="session")
def analyzer() -> Analyzer:
    return Analyzer(Settings())


@pytest.fixture(scope="session")
def analyze_text(analyzer):
    def run(text: str, language: str | None = None, published: str | None = None, id: str = "t") -> Article:
        art = Article(id=id, text=text, language=language, published=published)
        return next(iter(analyzer.analyze([art])))

    return run


def assert_spans_valid(art: Article) -> None:
    for span in art.all_spans():
        assert 0 <= span.start <= span.end <= len(art.text), span
        assert art.text[span.start : span.end] == span.text, span
