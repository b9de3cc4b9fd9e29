"""`kg build`, `kg remove` and `kg stats`: put articles in the store, take them out, count."""
from __future__ import annotations

import sys
import time
from pathlib import Path

import click

from ..build import BATCH_QUADS
from . import Settings, main


class _ProgressLine:
    """Progress on stderr: a live line on a terminal, a line every few seconds otherwise."""

    def __init__(self, quiet: bool) -> None:
        self.quiet = quiet
        self.tty = sys.stderr.isatty()
        self.started = self.last = time.perf_counter()
        self.words = 0

    def __call__(self, p: object) -> None:
        self.words += getattr(p, "words", 0)
        now = time.perf_counter()
        if self.quiet or now - self.last < (0.5 if self.tty else 5.0):
            return
        self.last = now
        rate = self.words / max(now - self.started, 1e-9)
        line = f"kg build: {p.done:,} articles, {self.words:,} words, {rate:,.0f} words/s"  # type: ignore[attr-defined]
        click.echo(f"\r{line}" if self.tty else line, err=True, nl=not self.tty)

    def close(self) -> None:
        if self.tty and not self.quiet and self.last != self.started:
            click.echo("", err=True)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--jobs", "-j", default=1, show_default=True, type=click.IntRange(1),
              help="Parallel extraction processes on this machine (--executor processes).")
@click.option("--executor", type=click.Choice(["local", "processes", "dask"]), default=None,
              help="Where extraction runs: this process (local), --jobs local processes (processes), or a "
                   "Dask cluster (dask, with --scheduler) [default: local, or processes with --jobs > 1].")
@click.option("--scheduler", default=None, metavar="ADDRESS",
              help="The Dask scheduler to extract on, e.g. tcp://10.0.0.5:8786 (implies --executor dask).")
@click.option("--lexicon", "lexicons", multiple=True, type=click.Path(path_type=Path),
              help="Extra lexicon file (TSV: label, type, aliases, tickers); repeatable.")
@click.option("--spacy-model", default=None, metavar="NAME",
              help="An installed trained spaCy pipeline whose entities and parse add evidence.")
@click.option("--max-size", default=5.0, show_default=True, type=click.FloatRange(0, min_open=True),
              help="Largest article file to read, in MB.")
@click.option("--batch-quads", default=BATCH_QUADS, show_default=True, type=click.IntRange(1),
              help="Quads written to the store at a time (whole articles, gathered in a temporary file "
                   "beside the store; larger is faster, readers see new articles less often).")
@click.option("--quiet", "-q", is_flag=True, help="No progress on stderr.")
@click.pass_obj
def build(settings: Settings, paths: tuple[Path, ...], jobs: int, executor: str | None, scheduler: str | None,
          lexicons: tuple[Path, ...], spacy_model: str | None, max_size: float, batch_quads: int, quiet: bool) -> None:
    """Read articles, extract entities and relations, and load them into the store.

    PATHS are files (.txt, .md, .html, .jsonl) or folders searched recursively. Building
    again updates in place: unchanged articles are skipped, edited ones replaced.
    With --executor dask, the cluster's workers extract (they need kg installed, and the
    --lexicon files at the same paths) and this process writes the store.

    \b
    Example:
      kg build seeds/
      kg --store /data/kg build news/ --jobs 2 --lexicon my-companies.tsv
      kg build news/ --executor dask --scheduler tcp://10.0.0.5:8786
      kg --store http://localhost:8890/sparql-auth --store-user dba build news/
    """
    from ..build import build as run_build
    from ..store import Store

    if scheduler and executor is None:
        executor = "dask"
    if executor == "dask" and not scheduler:
        raise click.UsageError("--executor dask needs --scheduler ADDRESS (e.g. tcp://10.0.0.5:8786)")
    if scheduler and executor != "dask":
        raise click.UsageError("--scheduler is for --executor dask")
    if executor in ("local", "dask") and jobs > 1:
        raise click.UsageError(f"--jobs is for --executor processes, not {executor}")

    progress = _ProgressLine(quiet)
    with Store(settings.store) as store:
        if getattr(store, "recovered", None):
            click.echo(f"kg build: undid an interrupted write ({len(store.recovered)} partly written article graphs); "
                       "building them again", err=True)
        report = run_build(store, paths, lexicon_files=lexicons, spacy_model=spacy_model, jobs=jobs,
                           base_iri=settings.base_iri, max_bytes=int(max_size * 1024 * 1024), progress=progress,
                           batch_quads=batch_quads, executor=executor,
                           executor_options={"scheduler": scheduler} if scheduler else None)
        triples = len(store)
    progress.close()
    for error in report.errors:
        click.echo(f"kg: error: {error}", err=True)
    rate = report.words / report.seconds if report.seconds else 0.0
    click.echo(
        f"{report.articles} articles ({report.added} added, {report.replaced} replaced, "
        f"{report.unchanged} unchanged, {len(report.errors)} failed)\n"
        f"{report.entities} entities, {report.relations} relations, {report.events} events extracted\n"
        f"{triples} quads in the store at {settings.store}\n"
        f"{report.seconds:.2f} s, {rate:,.0f} words/s"
    )
    if report.errors:
        sys.exit(1)


@main.command()
@click.argument("articles", nargs=-1, required=True)
@click.pass_obj
def remove(settings: Settings, articles: tuple[str, ...]) -> None:
    """Remove articles (by path, file name or IRI) and the facts only they state.

    \b
    Example:
      kg remove seeds/002_bce34b61fba21d8d.txt
    """
    from ..build import remove as run_remove
    from ..store import Store

    with Store(settings.store, create=False) as store:
        for article in articles:
            for iri in run_remove(store, article):
                click.echo(f"removed {iri}")


@main.command()
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.pass_obj
def stats(settings: Settings, fmt: str) -> None:
    """Count articles, entities by type, relations by property, and triples.

    \b
    Example:
      kg stats --format json
    """
    import json

    from ..stats import stats as compute
    from ..store import Store

    with Store(settings.store, read_only=True) as store:
        result = compute(store)
    if fmt == "json":
        click.echo(json.dumps(result, indent=2))
        return
    click.echo(f"articles  {result['articles']}\ntriples   {result['triples']}\nentities  {result['entities']}")
    for title, key in (("entities by type", "entities_by_type"), ("relations by property", "relations_by_property")):
        click.echo(f"\n{title}:")
        for name, n in result[key].items():
            click.echo(f"  {name:<20} {n}")
