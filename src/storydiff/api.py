"""The plain functions behind the CLI: read inputs, extract and analyse, collecting failures."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from .analyze import Analyzer
from .analyze.language import mislabelled
from .extract import extract_all
from .ingest import read_inputs
from .model import Article, Failure
from .settings import Settings


@dataclass
class LoadResult:
    """Articles read and analysed, and every input that failed with its reason."""

    articles: list[Article] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    renamed: list[tuple[str, str]] = field(default_factory=list)  # (id given twice, id it now has)
    mislabelled: list[tuple[str, str, str]] = field(default_factory=list)  # (id, language given, language read)
    skipped: list[str] = field(default_factory=list)  # files in input folders or archives of a type not read
    headlines: list[str] = field(default_factory=list)  # ids of records with a title and no text, read as the title


# progress(phase, advance, total): "reading" (total unknown: inputs are streamed) or "analysing"
# (total known); called with advance 0 and the total when a phase starts.
Progress = Callable[[str, int, "int | None"], None]


def load_articles(paths: Iterable[str | Path], settings: Settings | None = None,
                  progress: Progress | None = None, defaults: dict[str, str | None] | None = None) -> LoadResult:
    """Read ``paths`` (files or directories), extract text and metadata; no analysis. ``defaults``:
    the outlet, language or published date of articles whose input names none (``fill_missing``)."""
    settings = settings or Settings()
    res = LoadResult()
    for item in extract_all(read_inputs(list(paths), settings, res.skipped), defaults):
        if progress is not None:  # an input taken, read or failed
            progress("reading", 1, None)
        if isinstance(item, Failure):
            res.failures.append(item)
            continue
        res.articles.append(item)
        take_notes(item, settings, res)
    res.renamed = _dedupe_ids(res.articles)
    return res


def take_notes(article: Article, settings: Settings, into) -> None:
    """What a reader is told about ``article``, added to ``into`` (a ``LoadResult`` or an
    ``IngestReport``): a given language its text does not read as, a record read as its headline."""
    if settings.check_language and (wrong := mislabelled(article)):
        into.mislabelled.append(wrong)
    if article.headline_only:
        into.headlines.append(article.id)


def analyze(paths_or_articles: Iterable[str | Path | Article], settings: Settings | None = None,
            progress: Progress | None = None, defaults: dict[str, str | None] | None = None) -> LoadResult:
    """Read and analyse inputs (paths or ``Article`` objects); returns articles with every layer.
    ``defaults`` as for :func:`load_articles` (for the paths read)."""
    settings = settings or Settings()
    todo, res = _gather(paths_or_articles, settings, progress, defaults)
    res.articles = []
    if progress is not None:
        progress("analysing", 0, len(todo))
    for art in Analyzer(settings).analyze(todo):
        res.articles.append(art)
        if progress is not None:
            progress("analysing", 1, len(todo))
    return res


def _gather(paths_or_articles: Iterable[str | Path | Article], settings: Settings, progress: Progress | None,
            defaults: dict[str, str | None] | None) -> tuple[list[Article], LoadResult]:
    """The ``Article`` objects given, then the articles the paths given hold (each in order), and
    what reading the paths gave (:func:`load_articles`)."""
    items = list(paths_or_articles)
    paths = [p for p in items if not isinstance(p, Article)]
    res = load_articles(paths, settings, progress, defaults) if paths else LoadResult()
    return [a for a in items if isinstance(a, Article)] + res.articles, res


def _dedupe_ids(articles: list[Article]) -> list[tuple[str, str]]:
    """Two inputs with one id (a.txt and a.html, or a JSONL id given twice) keep distinct ids: the
    later gets a suffix ("a#2"). Returns (given id, new id) for each renamed article."""
    seen: dict[str, int] = {}
    renamed = []
    for a in articles:
        n = seen.get(a.id, 0)
        seen[a.id] = n + 1
        if n:
            given, a.id = a.id, f"{a.id}#{n + 1}"
            renamed.append((given, a.id))
    return renamed


def cluster_stories(paths_or_articles: Iterable[str | Path | Article], settings: Settings | None = None,
                    threshold: float | None = None, why: bool = False, progress: Progress | None = None,
                    defaults: dict[str, str | None] | None = None) -> tuple[list, LoadResult]:
    """Group inputs into stories, as ``storydiff cluster`` does, without a store: ``Article``
    objects first, then the articles the paths hold, each in the order given (the order a feed
    brings them in matters: docs/cluster.md). Returns the stories (``Story``: id, title,
    articles, duplicate_of, ...; ``to_dict()`` gives the JSON) and what reading the paths gave
    (failures, notes). ``why``: each story also carries each article's strongest link in it."""
    from .cluster.stories import THRESHOLD, cluster_articles
    from .embed import get_encoder

    settings = settings or Settings()
    todo, res = _gather(paths_or_articles, settings, progress, defaults)
    if progress is not None:
        progress("clustering", 0, len(todo))
    stories = cluster_articles(todo, get_encoder(settings.encoder), THRESHOLD if threshold is None else threshold,
                               progress=(lambda k: progress("clustering", k, len(todo))) if progress else None, why=why)
    return stories, res


def open_store(db: str | Path | None = None, settings: Settings | None = None, create: bool = True):
    """The corpus store at ``db``: a SQLite file, ``sqlite:///path`` or ``postgresql://user@host/db``
    (default: ``settings.db``). ``create=False`` refuses a path that holds no store yet. Use it as a
    context manager (``with open_store("news.db") as store: ...``); see docs/store.md."""
    from .store import Store

    return Store(db or (settings or Settings()).db, create=create)


def ingest_articles(paths: Iterable[str | Path], store, settings: Settings | None = None, **options):
    """Analyse, cluster and keep every article under ``paths`` in ``store`` (from :func:`open_store`);
    returns an ``IngestReport`` (added, already_stored, failures, ...). ``options`` as for
    ``storydiff.corpus.ingest`` (progress, defaults, encoder, batch)."""
    from .corpus import ingest as _ingest

    return _ingest(paths, store, settings, **options)
