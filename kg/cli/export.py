"""`kg export`: the graph, the part around an entity, or a query's result, in a file format."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from . import Settings, main


class _FormatChoice(click.Choice):
    """The registered export formats, looked up only when needed (keeps `kg` quick to start)."""

    def __init__(self) -> None:
        super().__init__((), case_sensitive=False)

    @property  # type: ignore[override]
    def choices(self) -> tuple[str, ...]:
        from ..exporters import names

        return tuple(names())

    @choices.setter
    def choices(self, value: object) -> None:
        pass


def _query_text(value: str) -> str:
    """`--query` is a file holding the query, or the query itself."""
    from ..errors import InputError

    path = Path(value)
    looks_like_path = "\n" not in value and len(value) < 1024 and "{" not in value
    if looks_like_path and path.is_file():
        try:
            return path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as e:
            raise InputError(f"{value}: cannot read query: {getattr(e, 'strerror', None) or e}") from None
    if looks_like_path and path.suffix.lower() in (".rq", ".sparql"):
        raise InputError(f"{value}: no such query file")
    return value


@main.command("export")
@click.option("--format", "-f", "fmt", required=True, type=_FormatChoice(), help="Output format.")
@click.option("--output", "-o", type=click.Path(dir_okay=True), default=None,
              help="File to write (csv: FILE-nodes.csv and FILE-edges.csv, or DIR/nodes.csv and "
                   "DIR/edges.csv for a directory). Default: stdout (csv: the edge list).")
@click.option("--around", metavar="NAME", default=None,
              help="Only the entities within --depth hops of this entity (any alias), and the relations among them.")
@click.option("--depth", type=click.IntRange(0), default=None, metavar="N",
              help="Hops from --around [default: 1].")
@click.option("--query", "query", metavar="FILE_OR_TEXT", default=None,
              help="Export the result of a CONSTRUCT or DESCRIBE query (a .rq file or the query text).")
@click.pass_obj
def export(settings: Settings, fmt: str, output: str | None, around: str | None, depth: int | None,
           query: str | None) -> None:
    """Write the graph, the part around an entity, or a query's result, in a format other
    tools open.

    \b
    Formats:
      turtle, nt, jsonld   RDF: the default graph (the union of all articles)
      nquads, trig         RDF with the article graphs
      graphml              yEd, Gephi, Cytoscape, networkx, igraph
      gexf                 Gephi
      cytoscape            Cytoscape.js JSON (and the Cytoscape app)
      dot                  Graphviz: dot -Tsvg graph.dot > graph.svg
      csv                  nodes (id,label,type) and edges (source,target,property,...)
      html                 one self-contained interactive page (works offline)

    Graph formats draw entities and event nodes (partnerships, goals) with their relations,
    coloured by type; RDF formats also carry the evidence and articles.

    \b
    Example:
      kg export --format html -o graph.html
      kg export --format graphml --around Stellantis --depth 2 -o stellantis.graphml
      kg export --format csv -o out/          # out/nodes.csv and out/edges.csv
      kg export --format turtle --query 'CONSTRUCT WHERE { ?a kg:partnersWith ?b }'
    """
    from ..exporters import check_writable, get, select
    from ..store import Store

    if depth is not None and around is None:
        raise click.UsageError("--depth needs --around NAME")
    if around is not None and query is not None:
        raise click.UsageError("give --around or --query, not both")
    exporter = get(fmt.lower())
    construct = _query_text(query) if query is not None else None
    if output is not None and fmt != "csv":
        check_writable(Path(output))

    with Store(settings.store, read_only=True) as store:
        selection = select(store, around=around, depth=1 if depth is None else depth, construct=construct)
        if selection.empty:
            click.echo("kg export: warning: the query's result is empty", err=True)
        if output is None:
            data = exporter.generate(selection)
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.flush()
            return
        written = exporter.write(selection, output)
    for path in written:
        click.echo(f"kg export: wrote {path} ({path.stat().st_size:,} bytes)", err=True)
