"""`kg neighbors`, `kg path` and `kg central`: walking the graph of entities and relations."""
from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from . import Settings, main


class _StoreWhenNeeded:
    """A read-only kg.store.Store over a local directory, opened only when something reads it.

    A cached projection (kg.graph.cache) whose store is unchanged answers neighbors, path and
    central without the store, so these commands skip opening RocksDB unless they must.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.read_only = True
        self._store: object | None = None

    def __getattr__(self, name: str) -> object:
        if self._store is None:
            from ..store import Store

            self._store = Store(self.path, read_only=True)
        return getattr(self._store, name)

    def close(self) -> None:
        if self._store is not None:
            self._store.close()  # type: ignore[attr-defined]


@contextmanager
def _read_only_store(location: object) -> Iterator[object]:
    """The store at `location` for reading: opened when needed if a local directory, else now."""
    from ..store import Store, remote_url

    if remote_url(location) is None and Path(str(location)).is_dir():
        store = _StoreWhenNeeded(Path(str(location)))
        try:
            yield store
        finally:
            store.close()
        return
    with Store(location, read_only=True) as opened:  # a SPARQL endpoint, or no store: its own error
        yield opened


@main.command()
@click.argument("name", nargs=-1, required=True)
@click.option("--depth", "-d", type=click.IntRange(min=1), default=1, show_default=True,
              help="How many hops out from NAME.")
@click.option("--format", "-f", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True,
              help="table for people, json for scripts.")
@click.pass_obj
def neighbors(settings: Settings, name: tuple[str, ...], depth: int, fmt: str) -> None:
    """List the entities within --depth hops of NAME, and the relations that join them.

    NAME is any label or alias, in any case; `Label (Type)` or <IRI> pick one of several
    entities sharing a name. Relations are followed either way: in the `via` column,
    `A —develops→` means A develops the entity, `A ←worksFor—` that the entity works for A.

    \b
    Example:
      kg neighbors Stellantis
      kg neighbors "Acme Corporation" --depth 2 --format json
    """
    from ..graph import neighbors as around

    with _read_only_store(settings.store) as store:
        result = around(store, " ".join(name), depth=depth)
    click.echo(result.to_json() if fmt == "json" else result.to_text())


@main.command()
@click.argument("source")
@click.argument("target")
@click.option("--max", "-n", "limit", type=click.IntRange(min=1), default=10, show_default=True,
              help="List at most this many chains.")
@click.option("--format", "-f", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="text for people, json for scripts.")
@click.pass_obj
def path(settings: Settings, source: str, target: str, limit: int, fmt: str) -> None:
    """Show the shortest chains of relations joining SOURCE and TARGET.

    Every chain of the shortest length is found (relations are walked either way; `←p—` marks
    a step against the stored direction); --max caps how many are listed. Exits with status 1
    when no chain joins the two.

    \b
    Example:
      kg path Stellantis Azure
      kg path "Sophie Leclerc" Microsoft --max 3 --format json
    """
    from ..graph import paths

    with _read_only_store(settings.store) as store:
        result = paths(store, source, target, limit=limit)
    if fmt == "json":
        click.echo(result.to_json())
    elif result.found:
        click.echo(result.to_text())
    else:
        click.echo(f"kg: {result.to_text()}", err=True)
    if not result.found:
        sys.exit(1)


@main.command()
@click.option("--top", "-n", type=click.IntRange(min=1), default=10, show_default=True,
              help="How many entities to list.")
@click.option("--by", type=click.Choice(["pagerank", "degree", "betweenness"]), default="pagerank",
              show_default=True, help="The measure to rank by.")
@click.option("--format", "-f", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True,
              help="table for people, json for scripts.")
@click.pass_obj
def central(settings: Settings, top: int, by: str, fmt: str) -> None:
    """Rank the most central entities: degree, PageRank and betweenness.

    Degree counts the distinct entities an entity is related to; PageRank and betweenness are
    computed on the same undirected view (betweenness is estimated from a fixed sample on
    graphs of over 2,000 entities). Scores are cached beside the store until it changes.

    \b
    Example:
      kg central
      kg central --top 20 --by betweenness --format json
    """
    from ..graph import central as rank

    with _read_only_store(settings.store) as store:
        report = rank(store, top=top, by=by)
    click.echo(report.to_json() if fmt == "json" else report.to_text())
