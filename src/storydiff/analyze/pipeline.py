"""The analysis pipeline: language, sentences, entities, dates, numbers, quotations, citations.
Each annotator is one small class with one method; the pipeline batches English articles through
spaCy (``nlp.pipe``) and spreads batches over processes when ``settings.workers`` > 1."""

from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from typing import Any, Iterable, Iterator

from ..model import Article
from ..settings import Settings
from . import citations, dates, entities, numbers, quotes
from .language import detect_language, language_code
from .nlp import english
from .sentences import split_sentences


class Annotator:
    """Adds one annotation layer to an article. ``doc`` is the spaCy parse (English) or None."""

    name = "annotator"

    def __init__(self, settings: Settings):
        self.settings = settings

    def annotate(self, art: Article, doc) -> None:  # pragma: no cover - interface
        raise NotImplementedError


class Sentences(Annotator):
    name = "sentences"

    def annotate(self, art, doc):
        art.sentences = split_sentences(art.text, art.language)


class Entities(Annotator):
    name = "entities"

    def annotate(self, art, doc):
        if doc is not None:
            art.entities = entities.english_entities(art.text, doc)
        elif art.language == "zh":
            art.entities = entities.chinese_entities(art.text)
        else:
            art.entities = entities.name_sequences(art.text)


class Dates(Annotator):
    name = "dates"

    def annotate(self, art, doc):
        anchor = dates.parse_anchor(art.published)
        art.dates = dates.find_dates(art.text, doc, anchor, art.language)


class Numbers(Annotator):
    name = "numbers"

    def annotate(self, art, doc):
        if doc is not None:
            found = numbers.english_numbers(art.text, doc)
        elif art.language == "zh":
            found = numbers.chinese_numbers(art.text)
        else:
            found = numbers.pattern_numbers(art.text, art.language)
        date_spans = [d.span for d in art.dates]
        art.numbers = [n for n in found if not any(n.span.overlaps(d) for d in date_spans)]


class Quotes(Annotator):
    name = "quotes"

    def annotate(self, art, doc):
        s = self.settings
        if doc is not None:
            found = quotes.english_quotes(art.text, doc, indirect=s.indirect_quotes, min_chars=s.min_quote_chars)
        else:
            found = quotes.pattern_quotes(art.text, art.language, indirect=s.indirect_quotes, min_chars=s.min_quote_chars)
        art.quotes = quotes.outside_boilerplate(art.text, found, [b.span for b in art.boilerplate])


class Citations(Annotator):
    name = "citations"

    def annotate(self, art, doc):
        art.citations = citations.find_citations(art.text, art.language, art.quotes)


ANNOTATORS: tuple[type[Annotator], ...] = (Sentences, Entities, Dates, Numbers, Quotes, Citations)


class Analyzer:
    """Runs every annotator over articles; English articles share one spaCy pass."""

    def __init__(self, settings: Settings | None = None):
        self.settings = settings or Settings()
        self.annotators = [cls(self.settings) for cls in ANNOTATORS]
        self.default_language = language_code(self.settings.default_language)

    def analyze(self, articles: Iterable[Article | Any]) -> Iterator[Article | Any]:
        """Annotate ``articles`` in place, yielding each in input order. Anything else among them
        (a pause marker of a streamed input) is a barrier: the articles before it are analysed and
        yielded first, then it is, so a half-full batch does not wait for more input."""
        size = max(1, self.settings.batch_size)
        workers = self.settings.workers or os.cpu_count() or 1
        if workers > 1:
            yield from self._parallel(articles, workers, size)
            return
        for chunk in _chunks(articles, size):
            if isinstance(chunk, list):
                yield from self._batch(chunk)
            else:
                yield chunk

    def _batch(self, batch: list[Article]) -> list[Article]:
        for art in batch:  # a given label read as a code ("en-US" is "en"), else the text's language
            art.language = language_code(art.language) or detect_language(art.text, self.default_language)
        english_arts = [a for a in batch if a.language == "en"]
        docs = {}
        if english_arts:
            nlp = english(self.settings.spacy_model)
            for art, doc in zip(english_arts, nlp.pipe((a.text for a in english_arts), batch_size=len(english_arts))):
                docs[id(art)] = doc
        for art in batch:
            doc = docs.get(id(art))
            for ann in self.annotators:
                ann.annotate(art, doc)
        return batch

    def _parallel(self, articles: Iterable[Article | Any], workers: int, size: int) -> Iterator[Article | Any]:
        single = replace(self.settings, workers=1)
        with ProcessPoolExecutor(workers, initializer=_init_worker, initargs=(single,)) as pool:
            # The workers are forked now, before ``articles`` is first read: a streamed input is read
            # on a thread (ingest.pauses), and a child forked while that thread holds standard
            # input's lock hangs as it closes its copy of standard input.
            pool.submit(int)
            pending = []
            for chunk in _chunks(articles, size):
                if not isinstance(chunk, list):  # a barrier: everything before it first
                    for fut in pending:
                        yield from fut.result()
                    pending.clear()
                    yield chunk
                    continue
                pending.append(pool.submit(_work, chunk))
                if len(pending) >= workers * 2:
                    yield from pending.pop(0).result()
            for fut in pending:
                yield from fut.result()


def _chunks(items: Iterable[Article | Any], size: int) -> Iterator[list[Article] | Any]:
    """Lists of up to ``size`` articles in order; anything in ``items`` that is not an article
    comes out as itself, after the (shorter) list of the articles before it."""
    chunk: list[Article] = []
    for item in items:
        if isinstance(item, Article):
            chunk.append(item)
            if len(chunk) >= size:
                yield chunk
                chunk = []
            continue
        if chunk:
            yield chunk
            chunk = []
        yield item
    if chunk:
        yield chunk


_WORKER: Analyzer | None = None


def _init_worker(settings: Settings) -> None:
    """One BLAS thread per worker process: the workers already use every core, and OpenBLAS's
    own threads would only compete with them."""
    global _WORKER
    from threadpoolctl import threadpool_limits

    threadpool_limits(1)
    _WORKER = Analyzer(settings)


def _work(chunk: list[Article]) -> list[Article]:
    assert _WORKER is not None
    return _WORKER._batch(chunk)


def analyze_articles(articles: Iterable[Article], settings: Settings | None = None) -> list[Article]:
    """Annotate articles with every layer; returns them in input order."""
    return list(Analyzer(settings).analyze(articles))
