"""The ``storydiff`` command: thin click wrappers over the functions in ``storydiff.api``.

Exit codes: 0 all inputs processed; 1 some inputs failed (each listed on stderr, the rest still
processed); 2 bad usage or settings."""

from __future__ import annotations

import json
import os
import re
import sys
from collections import Counter
from contextlib import contextmanager
from pathlib import Path

import click

from . import __version__
from .api import analyze as analyze_inputs
from .cluster.stories import MIN_BAR_SHARE, THRESHOLD
from .errors import StorydiffError
from .settings import Settings


def _settings(ctx: click.Context, **overrides) -> Settings:
    try:
        return Settings.load(ctx.obj.get("config"), **overrides)
    except StorydiffError as exc:
        raise click.UsageError(str(exc)) from exc


LONG_LIST = 1000  # items past which a JSON list is written an item a line


def _print_json(obj) -> None:
    """``obj`` as indented JSON; a long list in it (thousands of stories or articles) an item a
    line, each compact, since indenting costs Python's encoder several times the time."""
    out = sys.stdout
    if not isinstance(obj, dict) or all(not isinstance(v, list) or len(v) <= LONG_LIST for v in obj.values()):
        json.dump(obj, out, ensure_ascii=False, indent=1)
        out.write("\n")
        return
    for n, (key, value) in enumerate(obj.items()):
        out.write(("{\n" if not n else ",\n") + f" {json.dumps(key, ensure_ascii=False)}: ")
        if isinstance(value, list) and len(value) > LONG_LIST:
            out.write("[\n" + ",\n".join("  " + json.dumps(v, ensure_ascii=False) for v in value) + "\n ]")
        else:
            out.write(json.dumps(value, ensure_ascii=False, indent=1).replace("\n", "\n "))
    out.write("\n}\n")


def _output_file(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """An -o FILE whose folder exists and can be written to, checked before any work is done."""
    if value is not None:
        folder = Path(value).resolve().parent
        if not folder.is_dir():
            raise click.BadParameter(f"folder {folder} does not exist", ctx, param)
        if not os.access(folder, os.W_OK):
            raise click.BadParameter(f"folder {folder} is not writable", ctx, param)
    return value


_OUTPUT = click.Path(dir_okay=False, writable=True)


def _report_failures(failures, renamed=(), mislabelled=(), skipped=(), headlines=()) -> None:
    """Each failed input on stderr with its file and line, then a count; first the notes: files of
    other types left in the input folders or archives, records read as their title alone, ids given
    twice, and articles whose given language is not the one they read as."""
    _report_skipped(skipped)
    if headlines:
        click.echo(f"note: {len(headlines)} record(s) have a title and no text, and are read as that headline alone "
                   f"(e.g. {headlines[0]!r}); if their texts are under another name, see README, Inputs", err=True)
    for given, now in renamed:
        click.echo(f"note: id {given!r} was given more than once; this article is {now!r}", err=True)
    _notes([f"{aid!r} is labelled {given!r} but reads as {read!r}; the label is kept (leave 'language' out to have "
            "it detected)" for aid, given, read in mislabelled], "articles whose label is not the language they read as")
    for f in failures:
        click.echo(f"error: {f}", err=True)
    if failures:
        click.echo(f"{len(failures)} input(s) failed (listed above); everything else was processed.", err=True)


def _report_load(res) -> None:
    """The notes and failures of reading inputs (an ``api.LoadResult``)."""
    _report_failures(res.failures, res.renamed, res.mislabelled, res.skipped, res.headlines)


def _report_skipped(skipped) -> None:
    """One note for the files in the input folders or archives that are of no type read, counted by type."""
    if skipped:
        kinds = Counter(Path(f).suffix.lower() or "(no extension)" for f in skipped)
        counts = ", ".join(f"{n} {ext}" for ext, n in kinds.most_common())
        click.echo(f"note: {len(skipped)} file(s) in the input folders or archives are of no type storydiff reads and were "
                   f"skipped: {counts} (e.g. {skipped[0]}); see README, Inputs", err=True)


def _bar(*columns):
    """A rich progress display on stderr (stdout may be the command's output), shown only when
    stderr is a terminal and gone when it ends."""
    from rich.console import Console
    from rich.progress import Progress

    return Progress(*columns, console=Console(stderr=True), transient=True, disable=not sys.stderr.isatty())


@contextmanager
def _progress():
    """A progress display while the block runs. Yields ``tick(phase, advance, total)``: each phase
    ("reading", "analysing", "clustering") is a line with its count, and a bar once its total is known."""
    from rich.progress import BarColumn, MofNCompleteColumn, SpinnerColumn, TextColumn, TimeElapsedColumn

    with _bar(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn()) as bar:
        tasks: dict = {}

        def tick(phase: str, advance: int, total: int | None) -> None:
            if phase not in tasks:
                for task in bar.tasks:  # a new phase: the ones before it are done
                    if task.total is None:
                        bar.update(task.id, total=task.completed)
                tasks[phase] = bar.add_task(phase, total=total)
            bar.update(tasks[phase], advance=advance, total=total)

        yield tick


def _analyzed(inputs, settings: Settings):
    """``api.analyze`` of the inputs, with a progress display and the command's input defaults."""
    with _progress() as tick:
        return analyze_inputs(inputs, settings, progress=tick, defaults=_defaults())


def _keep_default(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
    """Check one of --outlet / --language / --published and keep it for :func:`_defaults`."""
    from .analyze.dates import normalise_published, parse_anchor
    from .analyze.language import language_code

    if value is None:
        return
    if not value.strip():
        raise click.BadParameter("is empty")
    if param.name == "language" and not re.fullmatch(r"[a-z]{2}", language_code(value) or ""):  # an ISO 639-1 code
        raise click.BadParameter(f"{value!r} is not a language (a code such as en or zh, or a name such as English)")
    if param.name == "published" and parse_anchor(normalise_published(value)) is None:
        raise click.BadParameter(f"{value!r} is not a date (2026-03-08, 'March 8, 2026', an RFC 2822 date)")
    ctx.meta.setdefault("input_defaults", {})[param.name] = value.strip()


def _options(*options):
    """One decorator applying ``options`` in the order written (as stacked decorators would)."""
    def apply(command):
        for option in reversed(options):
            command = option(command)
        return command
    return apply


# --outlet, --language, --published: metadata for the inputs that carry none (a folder of one
# outlet's text files); what a record, page or text gives wins.
_input_defaults_options = _options(
    click.option("--outlet", expose_value=False, callback=_keep_default,
                 help="Outlet of the inputs that name none (a folder of one site's pages or texts)."),
    click.option("--language", expose_value=False, callback=_keep_default,
                 help="Language of the inputs that give none (else detected): en, zh, French, ..."),
    click.option("--published", expose_value=False, callback=_keep_default,
                 help="Publication date of the inputs that give none (2026-03-08)."),
)


def _defaults() -> dict[str, str]:
    """The --outlet / --language / --published of the running command (see _input_defaults_options)."""
    return click.get_current_context().meta.get("input_defaults", {})


def _notes(lines: list[str], what: str, shown: int = 20) -> None:
    """Notes on stderr, the first ``shown`` of them, then how many more ``what`` there are."""
    for line in lines[:shown]:
        click.echo(f"note: {line}", err=True)
    if len(lines) > shown:
        click.echo(f"note: ... and {len(lines) - shown} more {what}", err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="storydiff")
@click.option("--config", type=click.Path(dir_okay=False), help="TOML settings file (see docs/settings.md).")
@click.pass_context
def main(ctx: click.Context, config: str | None) -> None:
    """storydiff: one news story through every outlet that reported it.

    \b
    Examples:
      storydiff analyze article.txt page.html --format text
      storydiff quotes corpus.jsonl --format json > quotes.json
      storydiff compare a.txt b.txt --format html -o report.html
      storydiff cluster corpus.jsonl --format json > stories.json   # no store needed
      storydiff ingest articles/ feed.jsonl       # analyse, cluster, keep (./storydiff.db)
      storydiff stories --since 2026-03-01        # then: info, story s1, compare --story s1, search, export
    """
    ctx.ensure_object(dict)
    ctx.obj["config"] = config


@main.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path())
@click.option("--format", "fmt", type=click.Choice(["json", "text"]), default="json", show_default=True)
@click.option("--workers", type=int, default=None, help="Analysis processes (0 = one per core).")
@_input_defaults_options
@click.pass_context
def analyze(ctx: click.Context, inputs: tuple[str, ...], fmt: str, workers: int | None) -> None:
    """Analyse articles: every annotation layer with character offsets.

    INPUTS are files, directories or zip/tar archives of them (.txt .md .html .htm .json .jsonl .csv
    .tsv .parquet; all but .parquet may be compressed: feed.jsonl.gz, .bz2, .xz), or - for standard
    input (JSON Lines, or one article); JSON records, JSONL lines and table rows carry id, text or
    html, and optional title, outlet, url, published (ISO 8601), language (other tools' names are
    read too: maintext, content, publishedAt, date, lang, link, source, ...; see README)."""
    res = _analyzed(inputs, _settings(ctx, workers=workers))
    if fmt == "json":
        _print_json({"articles": [a.to_dict() for a in res.articles], "failures": [f.to_dict() for f in res.failures]})
    else:
        for art in res.articles:
            _print_article(art)
    _report_load(res)
    ctx.exit(1 if res.failures else 0)


@main.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path())
@click.option("--format", "fmt", type=click.Choice(["json", "text"]), default="text", show_default=True)
@click.option("--direct-only", is_flag=True, help="Only quotations in quotation marks.")
@_input_defaults_options
@click.pass_context
def quotes(ctx: click.Context, inputs: tuple[str, ...], fmt: str, direct_only: bool) -> None:
    """List quotations (direct and indirect) with speaker and cue.

    JSON: {"articles": [{"id","text"}], "quotes": [{"article","start","end","text","speaker",
    "speaker_start","speaker_end","kind"}]}; offsets index each article's text."""
    res = _analyzed(inputs, _settings(ctx, indirect_quotes=not direct_only))
    rows = []
    for art in res.articles:
        for q in art.quotes:
            rows.append({"article": art.id, **q.to_dict()})
    if fmt == "json":
        _print_json({"articles": [{"id": a.id, "text": a.text} for a in res.articles], "quotes": rows})
    else:
        from rich.console import Console
        from rich.table import Table

        table = Table("article", "kind", "speaker", "quotation", show_lines=False)
        for r in rows:
            table.add_row(r["article"], r["kind"], r["speaker"] or "-", r["text"], style=None)
        Console(markup=False).print(table)
    _report_load(res)
    ctx.exit(1 if res.failures else 0)


@main.command()
@click.argument("inputs", nargs=-1, type=click.Path())
@click.option("--format", "fmt", type=click.Choice(["text", "json", "md", "html"]), default="text", show_default=True,
              help="text: terminal summary; json: every finding with offsets (docs/compare.md); md; html: a self-contained report.")
@click.option("-o", "--output", type=_OUTPUT, callback=_output_file, help="Write to FILE instead of stdout.")
@click.option("--encoder", default=None, help="Sentence encoder: use (default), hashing, or st:/path/to/model.")
@click.option("--threshold", type=click.FloatRange(0.0, 1.0), default=None, help="Alignment score threshold between 0 and 1 (default from settings: 0.55).")
@click.option("--story", "story_id", default=None, help="Compare the articles of this stored story (see `storydiff stories`).")
@click.option("--db", default=None, help="Store for --story (default: settings.db, ./storydiff.db).")
@click.option("--max-articles", type=int, default=20, show_default=True,
              help="With --story: compare at most this many articles (independent ones first, earliest first).")
@_input_defaults_options
@click.pass_context
def compare(ctx: click.Context, inputs: tuple[str, ...], fmt: str, output: str | None, encoder: str | None,
            threshold: float | None, story_id: str | None, db: str | None, max_articles: int) -> None:
    """Compare two or more articles about one story, fact by fact.

    Finds statements shared by all articles, by some, or unique to one; groups the variants of each
    quotation (with the changed words); flags conflicting titles, numbers, dates, places and name
    spellings; merges whom each article cites; and says which articles copy, rewrite or translate
    each other. Boilerplate (captions, teasers, disclaimers, credits) is left out.

    \b
    Examples:
      storydiff compare a.txt b.html                      # terminal summary
      storydiff compare a.txt b.txt c.json --format html -o report.html
      storydiff compare story.jsonl --format json | jq '.conflicts'
      storydiff compare --story s12 --format html -o s12.html   # a story from the store
    """
    from .compare import compare_articles

    overrides = {k: v for k, v in {"encoder": encoder, "similarity_threshold": threshold}.items() if v is not None}
    settings = _settings(ctx, **overrides)
    from .embed import preload

    preload(settings.encoder)  # loads on the second core while the articles are analysed
    if story_id is not None:
        if inputs:
            raise click.UsageError("give either INPUTS or --story, not both")
        from .api import LoadResult

        with _open_store(ctx, db, create=False) as store:
            arts = _store_call(ctx, lambda: store.story_articles(story_id, limit=max_articles))
        res = LoadResult(articles=arts)
    elif not inputs:
        raise click.UsageError("give two or more INPUTS, or --story ID")
    else:
        res = _analyzed(inputs, settings)
    _report_load(res)
    if len(res.articles) < 2:
        click.echo(f"error: compare needs at least two readable articles; got {len(res.articles)}.", err=True)
        ctx.exit(1)
    try:
        comp = compare_articles(res.articles, settings)
    except StorydiffError as exc:
        click.echo(f"error: {exc}", err=True)
        ctx.exit(1)
    to_terminal = fmt == "text" and not output and sys.stdout.isatty()  # the summary shows the warnings there
    for w in comp.warnings if not to_terminal else ():
        click.echo(f"warning: {w}", err=True)
    if fmt == "text" and not output:
        from .compare.report.text import render

        render(comp)
    else:
        rendered = {"json": comp.to_json, "md": comp.to_markdown, "html": comp.to_html}.get(fmt, comp.to_markdown)()
        if output:
            with open(output, "w", encoding="utf-8") as fh:
                fh.write(rendered)
            click.echo(f"wrote {output}", err=True)
        else:
            sys.stdout.write(rendered if rendered.endswith("\n") else rendered + "\n")
    ctx.exit(1 if res.failures else 0)


@main.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path())
@click.option("--format", "fmt", type=click.Choice(["json", "csv", "text"]), default="json", show_default=True)
@click.option("--threshold", type=click.FloatRange(0.0, 1.0), default=None,
              help=f"Story join score between 0 and 1 (default {THRESHOLD}: key-term cosine within a language, asked of "
                   f"a story of one report and lowered to {MIN_BAR_SHARE} of it as a story grows; higher splits more).")
@click.option("--why", is_flag=True, help="Also give each article's strongest link in its story: the article it links "
              "to, the score, and the names, numbers and words they share (JSON: \"links\" a story; CSV: link_* columns).")
@_input_defaults_options
@click.pass_context
def cluster(ctx: click.Context, inputs: tuple[str, ...], fmt: str, threshold: float | None, why: bool) -> None:
    """Group articles into stories (no store needed).

    Near-duplicates (MinHash) join their original's story; other articles join the story of their
    nearest neighbours by document vector, shared names and numbers, and publication time, or open
    a new story. Every input article is in exactly one story; single-article stories are listed.
    Articles are taken in the order given, as a feed would bring them; every 256 articles (and at
    the end) the stories are looked at again: one found to hold two events is split, and a report
    left in a small story joins the larger story it now scores the threshold with.

    JSON: {"stories": [{"id", "title", "articles": [ids], "article_count", "independent_sources",
    "first_seen", "last_seen", "outlets", "languages", "duplicate_of": {copy id: original id}}]}

    CSV: one row per article, in input order: id, story, duplicate_of, story_title (--why adds
    link_to, link_score, link_kind, link_weak, link_shared).

    \b
    Examples:
      storydiff cluster corpus.jsonl --format json > stories.json
      storydiff cluster articles/ --format csv > stories.csv   # pandas.read_csv("stories.csv")
      storydiff cluster articles/ --format text --why         # and why each article is where it is
    """
    import csv

    from .api import cluster_stories
    from .cluster import article_rows

    with _progress() as tick:
        stories, res = cluster_stories(inputs, _settings(ctx), threshold, why, progress=tick, defaults=_defaults())
    if fmt == "json":
        _print_json({"stories": [s.to_dict() for s in stories]})
    elif fmt == "csv":
        rows = article_rows(stories, [a.id for a in res.articles])
        w = csv.DictWriter(sys.stdout, fieldnames=list(rows[0]) if rows else ["id", "story", "duplicate_of", "story_title"],
                           lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    else:
        for s in sorted(stories, key=lambda s: -len(s.articles)):
            click.echo(f"{s.id}\t{len(s.articles)} article(s), {s.independent_sources} independent\t{s.title or ''}")
            if why:  # each article's link says what it copies, if it does
                for link in s.links:
                    click.echo(f"    {_link_line(link.to_dict())}")
                continue
            for aid in s.articles:
                dup = f"  (copy of {s.duplicate_of[aid]})" if aid in s.duplicate_of else ""
                click.echo(f"    {aid}{dup}")
    _report_load(res)
    ctx.exit(1 if res.failures else 0)


def _store_call(ctx: click.Context, fn):
    """``fn()``, or one line naming the store error and exit 1."""
    try:
        return fn()
    except StorydiffError as exc:
        click.echo(f"error: {exc}", err=True)
        ctx.exit(1)


def _open_store(ctx: click.Context, db: str | None, create: bool = True):
    from .store import Store

    return _store_call(ctx, lambda: Store(db or _settings(ctx).db, create=create))


def _emit(rows, fmt: str, key: str, text_line, empty: str = "", columns: list[str] | None = None) -> None:
    """Rows as JSON ({key: rows}), as CSV (``columns``, a header even with no rows; a list in a cell
    is joined with "; ") or one text line each; with no rows, text output says so on stderr
    (``empty``), so a pipe reading stdout still gets nothing."""
    if fmt == "json":
        _print_json({key: rows})
        return
    if fmt == "csv":
        import csv

        w = csv.DictWriter(sys.stdout, fieldnames=columns, lineterminator="\n", extrasaction="ignore")
        w.writeheader()
        w.writerows({c: "; ".join(map(str, v)) if isinstance(v, list) else v for c, v in r.items()} for r in rows)
        return
    for r in rows:
        click.echo(text_line(r))
    if not rows and empty:
        click.echo(empty, err=True)


_DB_HELP = "Store: a SQLite file, sqlite:///path or postgresql://user@host/db (default: settings.db, ./storydiff.db)."


@main.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path())
@click.option("--db", default=None, help=_DB_HELP)
@click.option("--encoder", default=None, help="Sentence encoder (one per store): use (default), hashing, or st:/path.")
@click.option("--workers", type=int, default=None, help="Analysis processes (0 = one per core).")
@click.option("--batch", type=click.IntRange(min=1), default=None,
              help="Articles per committed batch (default: settings.batch_size, 32).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="json: the run's report on stdout (counts, rate, notes, failures), for scripts.")
@_input_defaults_options
@click.pass_context
def ingest(ctx: click.Context, inputs: tuple[str, ...], db: str | None, encoder: str | None, workers: int | None,
           batch: int | None, fmt: str) -> None:
    """Analyse articles and add them to the store, grouped into stories as they arrive.

    Idempotent and resumable: an article whose text (content hash) or URL is stored already is
    skipped before analysis, so rerunning after a crash or Ctrl-C continues where it stopped. Each
    batch is one transaction. Inputs that cannot be read are listed at the end and kept
    (`storydiff failures`). Two ingests may write to one store at once. A feed on standard input
    (or a named pipe) is committed whenever it falls silent for two seconds (settings.commit_after):
    one long-running ingest fed by a scraper stores articles as they come, and reads a large
    store only once.

    \b
    Examples:
      storydiff ingest articles/ feed.jsonl              # into ./storydiff.db
      storydiff ingest feed.jsonl --db postgresql://me@localhost/news
      storydiff ingest scraped.csv export.parquet         # tables: one article a row
      storydiff ingest crawl-2026-03.jsonl.gz             # compressed: .gz .bz2 .xz
      storydiff ingest archive.zip backlog.tar.gz         # archives: read as folders
      my-scraper | storydiff ingest -                     # JSON Lines on standard input
      tail -n +1 -F incoming.jsonl | storydiff ingest -   # a writer that stays running
      storydiff ingest feed.jsonl --format json | jq .added
    """
    from rich.progress import SpinnerColumn, TextColumn, TimeElapsedColumn

    from .corpus import ingest as run_ingest

    settings = _settings(ctx, workers=workers, encoder=encoder)
    from .embed import preload

    preload(settings.encoder)
    with _open_store(ctx, db) as store:
        with _bar(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn()) as bar:
            task = bar.add_task("ingesting")

            def show(r) -> None:
                if r.saving:
                    bar.update(task, description=f"{r.added} stored; saving the clusterer's state for the next start")
                    return
                if r.loaded < r.stored_before and not r.added:  # a writer's start: the store's articles first
                    bar.update(task, description=f"reading the store: {r.loaded:,} of {r.stored_before:,} articles")
                    return
                bar.update(task, description=f"{r.added} stored, {r.already_stored} already there, "
                                             f"{len(r.failures)} failed, {r.rate:.1f} articles/s")

            report = _store_call(ctx, lambda: run_ingest(inputs, store, settings, progress=show, batch=batch,
                                                               defaults=_defaults()))
        counts = store.counts()
    if fmt == "json":
        _print_json({**report.to_dict(), "store": {"where": str(store.where), **counts}})
    _notes([f"another text is stored as {given!r}; this one is stored as {stored!r}" for given, stored in report.renamed],
           "ids given to another text already stored")
    _notes([f"{given!r} is not stored again: its text or URL is stored as {stored!r}" for given, stored in report.same_as],
           "inputs with the text or URL of an article stored under another id")
    _notes([report.state_note] if report.state_note else [], "")
    saved = f", {report.from_saved_state:,} of them from the clusterer's saved state" if report.from_saved_state else ""
    loading = (f"; {report.load_seconds:.1f} s of it reading the {report.stored_before:,} articles stored{saved}"
               if report.load_seconds >= 1 else "")
    if report.save_seconds >= 1:
        loading += f"; {report.save_seconds:.1f} s saving the clusterer's state"
    if report.waiting_seconds >= 1:
        loading += f"; {report.waiting_seconds:.1f} s waiting for input"
    click.echo(f"stored {report.added} new article(s) ({report.near_duplicates} near-duplicates) in {report.seconds:.1f} s "
               f"({report.rate:.1f} articles/s{loading}); {report.new_stories} new stories; "
               f"{f'{report.merged_stories} stories merged into others (an article linked them); ' if report.merged_stories else ''}"
               f"{f'{report.split_stories} stories split off others (two events in one); ' if report.split_stories else ''}"
               f"{f'{report.rejoined} article(s) moved from a small story to the larger one they now join; ' if report.rejoined else ''}"
               f"{report.already_stored} already stored. "
               f"Store {store.where}: {counts['articles']} articles, {counts['stories']} stories.", err=True)
    _report_failures(report.failures, (), report.mislabelled, report.skipped, report.headlines)
    if report.interrupted:
        click.echo("interrupted: everything committed so far is kept; run the same command again to resume.", err=True)
        ctx.exit(130)
    ctx.exit(1 if report.failures else 0)


@main.command()
@click.option("--db", default=None, help=_DB_HELP)
@click.option("--since", default=None, help="Only stories last seen on or after this day: 2026-11-01, \"March 8, 2026\", "
              "yesterday, or a span back from now (24h, 7d, 2w).")
@click.option("--until", default=None, help="Only stories first seen on or before this day (same forms as --since).")
@click.option("--outlet", default=None, help="Only stories with an article from this outlet (case does not matter).")
@click.option("--language", default=None, help="Only stories with an article in this language (e.g. en, zh; case does not matter).")
@click.option("--min-articles", type=click.IntRange(min=1), default=1, show_default=True, help="Only stories with at least this many articles.")
@click.option("--limit", type=click.IntRange(min=1), default=None, help="At most this many stories (the first in --sort order).")
@click.option("--sort", type=click.Choice(["recent", "size"]), default="recent", show_default=True,
              help="recent: last seen first; size: most independent sources first (copies not counted), then most articles.")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "csv"]), default="text", show_default=True)
@click.pass_context
def stories(ctx: click.Context, db, since, until, outlet, language, min_articles, limit, sort, fmt) -> None:
    """List stored stories, most recently seen first (or largest first: --sort size).

    JSON: {"stories": [{"id", "title", "articles": [ids], "article_count", "independent_sources",
    "first_seen", "last_seen", "outlets", "languages"}]}. CSV: a row a story, the same columns
    (lists joined with "; ").

    \b
    Examples:
      storydiff stories --since 2026-11-01 --language zh --format json
      storydiff stories --since 7d --sort size --limit 10   # the week's ten most covered stories
      storydiff stories --since 2026-03-01 --until 2026-03-08
      storydiff stories --min-articles 3 --format csv > stories.csv   # pandas.read_csv(...)
    """
    with _open_store(ctx, db, create=False) as store:
        rows = _store_call(ctx, lambda: store.stories(since, outlet, language, min_articles, limit, until, sort))
        held = store.counts()["stories"] if not rows else 0
    if held:
        window = " and ".join(o for o, v in (("--since", since), ("--until", until)) if v)
        empty = f"no stories match (the store holds {held}; {window} {'leave' if since and until else 'leaves'} out " \
                "stories with no readable date)" if window else f"no stories match (the store holds {held})"
    else:
        empty = "the store holds no stories yet: add articles with `storydiff ingest PATH`"
    _emit(rows, fmt, "stories", lambda s: f"{s['id']}\t{s['article_count']} article(s), {s['independent_sources']} independent"
                                          f"\t{s['last_seen'] or '-'}\t{','.join(s['languages'])}\t{s['title'] or ''}", empty,
          ["id", "title", "article_count", "independent_sources", "first_seen", "last_seen", "outlets", "languages", "articles"])


@main.command()
@click.argument("story_id")
@click.option("--db", default=None, help=_DB_HELP)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--why", is_flag=True, help="Also show why each article is here: its strongest link to another article "
              "of the story, the score the clusterer gives it and the names, numbers and words they share "
              "(JSON: \"links\"). Weak links point to articles that may belong elsewhere.")
@click.pass_context
def story(ctx: click.Context, story_id: str, db, fmt, why: bool) -> None:
    """Show one stored story and its articles (s12 or 12). Compare them: `storydiff compare --story s12`.

    \b
    Examples:
      storydiff story s12
      storydiff story s12 --why        # each article's strongest link, and what it rests on
      storydiff story s12 --format json | jq '.article_details[].title'
    """
    from .store.db import parse_story_id, story_key

    with _open_store(ctx, db, create=False) as store:
        if why:
            from .corpus import explain_story

            d = _store_call(ctx, lambda: explain_story(store, story_id))
        else:
            d = _store_call(ctx, lambda: store.story(story_id))
    asked = story_key(parse_story_id(story_id))  # readable: store.story parsed it
    if asked != d["id"]:
        click.echo(f"note: story {asked} was merged into {d['id']}", err=True)
    if fmt == "json":
        _print_json(d)
        return
    click.echo(f"{d['id']}: {d['title'] or ''}")
    if d["merged"]:
        click.echo(f"  merged into it: {', '.join(d['merged'])}")
    seen = f"{d['first_seen']} .. {d['last_seen']}" if d["first_seen"] else "no readable dates"
    click.echo(f"  {d['article_count']} article(s), {d['independent_sources']} independent; "
               f"{seen}; outlets: {', '.join(d['outlets']) or '-'}; "
               f"languages: {', '.join(d['languages']) or '-'}")
    for a in d["article_details"]:
        dup = f"  (copy of {a['duplicate_of']})" if a["duplicate_of"] else ""
        click.echo(f"  {a['ext_id']}\t{a['published'] or '-'}\t{a['outlet'] or '-'}\t{a['language'] or '-'}\t{a['title'] or ''}{dup}")
    if why:
        _print_links(d)


def _link_line(link: dict) -> str:
    """One article's strongest link in its story (a ``Link.to_dict()``) as a line of text."""
    if link["kind"] == "alone":
        return f"{link['article']}: the story's only article"
    head = f"{link['article']} -> {link['to']}"
    if link["kind"] == "copy":
        return f"{head}: near-duplicate copy" + (f" (vector cosine {link['cosine']})" if link["cosine"] is not None else "")
    how = "names and words shared" if link["kind"] == "terms" else f"another language, vector cosine {link['cosine']}; shared"
    weak = "  WEAK: may belong elsewhere" if link["weak"] else ""
    return f"{head}: {link['score']:.3f} ({how}: {', '.join(link['shared']) or 'none'}){weak}"


def _print_links(d: dict) -> None:
    """The ``links`` of :func:`corpus.explain_story` as text: one line an article."""
    click.echo(f"\nWhy each article is here: its strongest link in the story (scored now; an article joins a story "
               f"of one report at {THRESHOLD}, a larger one at down to {THRESHOLD * MIN_BAR_SHARE:.3f}):")
    for link in d["links"]:
        click.echo(f"  {_link_line(link)}" + (f" (storydiff move {link['article']} --to new)" if link["weak"] else ""))
    if d.get("links_truncated"):
        click.echo(f"  (links shown for the first {len(d['links'])} articles only)")


def _correct(ctx: click.Context, db, fmt: str, change, detail) -> None:
    """Run a correction by hand (``change(store)``: merge, move) and show the story it leaves: as
    JSON, or one line ending in ``detail(story)``."""
    with _open_store(ctx, db, create=False) as store:
        st = _store_call(ctx, lambda: change(store))
    if fmt == "json":
        _print_json(st)
    else:
        click.echo(f"{st['id']}: {st['article_count']} article(s), {st['independent_sources']} independent{detail(st)}")


@main.command()
@click.argument("story_ids", nargs=-1, required=True)
@click.option("--db", default=None, help=_DB_HELP)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.pass_context
def merge(ctx: click.Context, story_ids: tuple[str, ...], db, fmt: str) -> None:
    """Merge stories you know to be one event (s3 s7, or 3 7): their articles go into the oldest,
    whose id they keep; the other ids lead there. Later ingests, concurrent ones too, cluster
    against the merged story, as after a merge ingest makes itself.

    \b
    Example:
      storydiff merge s3 s7 && storydiff story s3
    """
    _correct(ctx, db, fmt, lambda store: store.merge(story_ids), lambda st: f" (merged into it: {', '.join(st['merged'])})")


@main.command()
@click.argument("article_ids", nargs=-1, required=True)
@click.option("--to", "to", required=True, help="The story to move them to (s12 or 12), or 'new' for a story of their own.")
@click.option("--db", default=None, help=_DB_HELP)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.pass_context
def move(ctx: click.Context, article_ids: tuple[str, ...], to: str, db, fmt: str) -> None:
    """Move articles (by their ids) to another story, or to a new one: the clustering put them where
    they do not belong. A story left empty leads to where its articles went. Later ingests,
    concurrent ones too, cluster against the stories as moved.

    \b
    Examples:
      storydiff move 8842 8843 --to new     # two reports of another event, split off
      storydiff move 8842 --to s12
    """
    target = None if to.strip().lower() == "new" else to
    _correct(ctx, db, fmt, lambda store: store.move(article_ids, target), lambda st: ": " + " ".join(st["articles"]))


@main.command()
@click.argument("article_ids", nargs=-1, required=True)
@click.option("--db", default=None, help=_DB_HELP)
@click.option("--yes", is_flag=True, help="Do not ask first (for scripts).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.pass_context
def remove(ctx: click.Context, article_ids: tuple[str, ...], db, yes: bool, fmt: str) -> None:
    """Remove articles (by their ids) from the store: ingested by mistake, or not wanted. Their
    texts, analysis and search entries go, their stories are recounted (a story left with none is
    no longer listed), and a near-duplicate copy of a removed original becomes the original of the
    copies left. Later ingests, concurrent ones too, no longer match them. There is no undo: ingest
    the inputs again to bring them back.

    \b
    Examples:
      storydiff remove 8842 8843
      storydiff export --outlet "Spam Daily" | jq -r .id | xargs storydiff remove --yes   # by outlet
    """
    with _open_store(ctx, db, create=False) as store:
        if not yes:
            try:
                sure = click.confirm(f"Remove {len(article_ids)} article(s) ({', '.join(article_ids[:3])}"
                                     f"{', ...' if len(article_ids) > 3 else ''}) from {store.where}?", err=True)
            except click.Abort:  # no answer (standard input closed): as no
                sure = False
            if not sure:
                click.echo("\nnothing removed (--yes removes without asking)", err=True)
                ctx.exit(1)
        done = _store_call(ctx, lambda: store.remove(article_ids))
    if fmt == "json":
        _print_json(done)
        return
    click.echo(f"removed {len(done['removed'])} article(s) from {', '.join(done['stories'])}"
               + (f"; left with none: {', '.join(done['emptied'])}" if done["emptied"] else ""))


# --outlet, --language, --since, --until and --story: which stored articles a command takes.
_article_filter_options = _options(
    click.option("--outlet", default=None, help="Only articles from this outlet (case does not matter)."),
    click.option("--language", default=None, help="Only articles in this language (en, zh, ...)."),
    click.option("--since", default=None, help="Only articles published on or after this day (forms as for "
                 "`stories --since`: 2026-11-01, yesterday, 7d); undated articles are left out."),
    click.option("--until", default=None, help="Only articles published on or before this day."),
    click.option("--story", "story_id", default=None, help="Only articles of this story (s12 or 12)."),
)


@main.command()
@click.argument("query")
@click.option("--db", default=None, help=_DB_HELP)
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True, help="At most this many results, best first.")
@_article_filter_options
@click.option("--format", "fmt", type=click.Choice(["text", "json", "csv"]), default="text", show_default=True)
@click.pass_context
def search(ctx: click.Context, query: str, db, limit: int, outlet, language, since, until, story_id, fmt: str) -> None:
    """Full-text search over stored titles and texts (every word must match; titles weigh more).

    \b
    Examples:
      storydiff search "port strike" --format json
      storydiff search "minimum wage" --outlet "Coastal Wire" --since 2026-03-01 --until 2026-03-31
      storydiff search Valmora --story s12 --format csv
    """
    from .store.searchtext import query_words

    if not query_words(query):
        raise click.UsageError(f"QUERY {query!r} holds no word to search for")
    with _open_store(ctx, db, create=False) as store:
        rows = _store_call(ctx, lambda: store.search(query, limit, outlet=outlet, language=language, since=since,
                                                     until=until, story=story_id))
    _emit(rows, fmt, "results", lambda r: f"{r['id']}\t{r['story']}\t{r['outlet'] or '-'}\t{r['title'] or ''}\n    {r['snippet']}",
          "no matches", ["id", "story", "score", "title", "outlet", "published", "snippet"])


@main.command()
@click.option("--db", default=None, help=_DB_HELP)
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv", "parquet"]), default="jsonl", show_default=True)
@click.option("-o", "--output", type=_OUTPUT, callback=_output_file, default=None,
              help="Write to FILE (required for parquet; jsonl and csv go to stdout otherwise).")
@click.option("--analysis", is_flag=True, help="jsonl: include every annotation layer of each article.")
@_article_filter_options
@click.pass_context
def export(ctx: click.Context, db, fmt: str, output: str | None, analysis: bool, outlet, language, since, until,
           story_id: str | None) -> None:
    """Export every stored article with its story (one row each), streamed.

    Columns: id, story, duplicate_of, title, outlet, url, published, language, author, translator,
    original_url, word_count, ingested_at, text (and analysis with --analysis, jsonl only).

    \b
    Examples:
      storydiff export --format parquet -o corpus.parquet   # then pandas.read_parquet(...)
      storydiff export --format csv > corpus.csv
      storydiff export --story s12 --format jsonl --analysis > s12.jsonl
      storydiff export --since 2026-03-01 --until 2026-03-31 --language zh --format csv > march-zh.csv
    """
    from .store.export import export_articles

    if fmt == "parquet" and not output:
        raise click.UsageError("parquet is binary: give -o FILE")
    with _open_store(ctx, db, create=False) as store:
        n = _store_call(ctx, lambda: export_articles(store, fmt, output, with_analysis=analysis, story=story_id, outlet=outlet,
                                                     language=language, since=since, until=until))
    undated = " (--since and --until leave out articles with no readable date)" if not n and (since or until) else ""
    click.echo(f"exported {n} article(s)" + (f" to {output}" if output else "") + undated, err=True)


@main.command()
@click.option("--db", default=None, help=_DB_HELP)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.pass_context
def info(ctx: click.Context, db, fmt: str) -> None:
    """What a store holds: schema, encoder, articles, stories, near-duplicates, failures, the
    publication days it spans, its languages and its ten largest outlets, and the clusterer state
    saved beside it for the next ingest (docs/store.md)."""
    from .corpus import saved_state

    with _open_store(ctx, db, create=False) as store:
        d = _store_call(ctx, store.info)
        d["clusterer_state"] = saved_state(store, _settings(ctx).state_dir)
    if fmt == "json":
        _print_json(d)
        return
    first, last = d["published"]["first"], d["published"]["last"]
    click.echo(f"store {d['where']} ({d['dialect']}, schema {d['schema_version']}, encoder {d['encoder'] or '-'}, "
               f"created {d['created_at'] or '-'})")
    click.echo(f"  {d['articles']} articles ({d['near_duplicates']} near-duplicates) in {d['stories']} stories; "
               f"{d['failures']} failures recorded")
    click.echo(f"  published: {first[:10] + ' .. ' + last[:10] if first else 'no dates'}")
    click.echo("  languages: " + (", ".join(f"{k} {v}" for k, v in d["languages"].items()) or "-"))
    click.echo("  top outlets: " + (", ".join(f"{k} {v}" for k, v in d["top_outlets"].items()) or "-"))
    if state := d["clusterer_state"]:
        use = "the next ingest starts from it" if state["usable"] else "stale: the next ingest reads the store in full"
        click.echo(f"  clusterer state: {state['path']} ({state['bytes'] / 1e6:,.0f} MB, "
                   f"{state['articles'] or 0:,} articles; {use})")


@main.command("failures")
@click.option("--db", default=None, help=_DB_HELP)
@click.option("--format", "fmt", type=click.Choice(["text", "json", "csv"]), default="text", show_default=True)
@click.pass_context
def failures_cmd(ctx: click.Context, db, fmt: str) -> None:
    """Inputs that could not be ingested, with file, line and reason (kept across runs)."""
    with _open_store(ctx, db, create=False) as store:
        rows = _store_call(ctx, store.failures)
    _emit(rows, fmt, "failures", lambda f: f"{f['source']}{':' + str(f['line']) if f['line'] is not None else ''}: {f['reason']}  ({f['at']})",
          "no failures recorded", ["source", "line", "reason", "at"])


@main.command("settings")
def settings_cmd() -> None:
    """List every setting with its default and meaning (set via --config, STORYDIFF_* or flags)."""
    for name, default, help_ in Settings.describe():
        click.echo(f"{name} = {default!r}\n    {help_}")


def _print_article(art) -> None:
    from rich.console import Console

    c = Console(markup=False, highlight=False)
    c.rule(f"{art.id}  [{art.language}]  {art.title or ''}")
    meta = {k: v for k, v in art.metadata().items() if v and k not in {"id", "title"}}
    if meta:
        c.print("  " + "  ".join(f"{k}: {v}" for k, v in meta.items()))
    for b in art.boilerplate:
        c.print(f"  [{b.kind}] {b.span.text[:100]}")
    for e in art.entities:
        c.print(f"  entity {e.label}: {e.span.text}")
    for d in art.dates:
        c.print(f"  date {d.span.text!r} -> {d.value}")
    for n in art.numbers:
        c.print(f"  number {n.span.text!r} -> {n.value:g} {n.unit or ''}")
    for q in art.quotes:
        who = q.speaker.text if q.speaker else "?"
        c.print(f"  {q.kind} quote ({who}): {q.content.text[:140]}")
    for ci in art.citations:
        c.print(f"  cites {ci.source.text!r}: {ci.span.text}")


if __name__ == "__main__":  # pragma: no cover
    main()
