"""`kg query`: SPARQL from the command line, as text, a .rq file or a named query from queries/."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from . import Settings, main

# the same as kg.queries.FORMATS (not imported here: it loads pyoxigraph)
FORMATS = ("table", "csv", "tsv", "json", "xml", "turtle", "nt", "jsonld")


def _params(ctx: click.Context, option: click.Parameter, values: tuple[str, ...]) -> dict[str, str]:
    params: dict[str, str] = {}
    for given in values:
        key, sep, value = given.partition("=")
        name = key.strip()
        if not sep or not name:
            raise click.BadParameter(f"{given!r}: expected NAME=VALUE (e.g. entity=Stellantis)")
        if name.split(":")[0] in {k.split(":")[0] for k in params}:
            raise click.BadParameter(f"{name.split(':')[0]!r} given twice")
        params[name] = value
    return params


@main.command()
@click.argument("query", required=False)
@click.option("--param", "-p", "params", multiple=True, metavar="NAME=VALUE", callback=_params,
              help="Bind ?NAME to VALUE, typed as the query's header declares (repeatable). "
                   "NAME:KIND=VALUE picks the kind for undeclared SPARQL.")
@click.option("--format", "-f", "fmt", type=click.Choice(FORMATS), default=None,
              help="SELECT/ASK: table (default), csv, tsv, json, xml. "
                   "CONSTRUCT/DESCRIBE: turtle (default), nt, jsonld.")
@click.option("--output", "-o", type=click.Path(path_type=Path), default=None, metavar="FILE",
              help="Write the result to FILE instead of stdout.")
@click.option("--list", "show_list", is_flag=True, help="List the named queries, their parameters and descriptions.")
@click.pass_obj
def query(settings: Settings, query: str | None, params: dict[str, str], fmt: str | None, output: Path | None,
          show_list: bool) -> None:
    """Run SPARQL: QUERY is query text, a .rq file, or the name of a query in queries/ (- reads stdin).

    kg's prefixes (kg:, rdf:, rdfs:, skos:, prov:, dcterms:, xsd:, owl:, schema:) are predeclared;
    the default graph is the union of all articles. A named query's header declares its
    parameters and their kind: an `entity` parameter takes any name or alias of an entity
    (case-insensitive), a `property` a local name such as partnersWith, a `class` a class
    such as Company; values are bound as RDF terms, never pasted into the query. For SPARQL
    that declares nothing, --param binds any variable it mentions, as a string (or an IRI
    written <...>); --param NAME:entity=VALUE binds an entity.
    The table shows entities by their labels and leaves out the columns of parameters.

    \b
    Example:
      kg query --list
      kg query partners --param entity=Stellantis
      kg query evidence --param entity=msft --format csv -o evidence.csv
      kg query sources -p s=Stellantis -p p=partnersWith -p o=Microsoft
      kg query 'SELECT ?name WHERE { ?c a kg:Company ; rdfs:label ?name }'
      kg query my-question.rq --format json
    """
    if show_list:
        if query is not None or params:
            raise click.UsageError("--list takes no QUERY or --param")
        _list(fmt, output)
        return
    if query is None:
        raise click.UsageError("give a QUERY (SPARQL text, a .rq file or a query name), or --list")
    from ..errors import QuerySyntaxError
    from ..queries import resolve_query, run_query, syntax_error_excerpt, terminal_width
    from ..store import Store

    text = sys.stdin.read() if query == "-" else query
    named = resolve_query(text)
    try:
        with Store(settings.store, read_only=True) as store:
            result = run_query(store, named, params)
    except QuerySyntaxError as e:
        excerpt = syntax_error_excerpt(e)
        click.echo(f"kg: error: {e}" + (f"\n{excerpt}" if excerpt else ""), err=True)
        sys.exit(1)
    to_terminal = output is None and sys.stdout.isatty()
    data = result.serialize(fmt, width=terminal_width() if to_terminal else None)
    _write(data, output)


def _write(data: bytes, output: Path | None) -> None:
    from ..errors import InputError

    if output is None or str(output) == "-":
        click.echo(data, nl=not data.endswith(b"\n"))
        return
    try:
        output.write_bytes(data)
    except OSError as e:
        raise InputError(f"{output}: cannot write: {e.strerror or e}") from None


def _list(fmt: str | None, output: Path | None) -> None:
    import json
    import textwrap
    from dataclasses import asdict

    from ..queries import describe_queries, terminal_width

    if fmt not in (None, "table", "json"):
        raise click.UsageError("--list gives table or json")
    listing = describe_queries()
    if fmt == "json":
        _write((json.dumps([asdict(q) for q in listing], indent=2, ensure_ascii=False) + "\n").encode(), output)
        return
    width = max(terminal_width(), 60) if output is None and sys.stdout.isatty() else 100
    name_width = max(len(q.name) for q in listing) + 2 if listing else 0
    lines: list[str] = []
    for q in listing:
        lines += textwrap.wrap(q.description or "(no description)", width, initial_indent=q.name.ljust(name_width),
                               subsequent_indent=" " * name_width)
        for p in q.params:
            kind = f"{p['kind']}, optional" if p["optional"] else p["kind"]
            lines += textwrap.wrap(f"--param {p['name']}=…  ({kind}) {p['meaning']}", width,
                                   initial_indent=" " * (name_width + 2), subsequent_indent=" " * (name_width + 4))
    lines += ["", "Run one: kg query NAME --param NAME=VALUE (e.g. kg query partners --param entity=Stellantis)"]
    _write(("\n".join(lines) + "\n").encode(), output)
