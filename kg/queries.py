"""Ask the graph in SPARQL: the named-query library in `queries/`, safe parameters, results.

A query is given as SPARQL text, as the path of a `.rq` file, or as the name of a file in
`queries/` (`partners` is `queries/partners.rq`). kg's prefixes (kg:, rdf:, rdfs:, skos:,
prov:, dcterms:, xsd:, owl:, schema:) are predeclared.

The header of a query (its leading `#` comment lines) documents it:

    # Partners of an organization, current and former.       <- first line: the description
    # param: entity (entity) — the organization, by any name  <- one line per parameter
    # example: kg query partners --param entity=Acme          <- how to run it

A parameter line reads `# param: NAME (KIND[, optional]) — meaning`. Parameters bind the
SPARQL variable `?NAME`: the value becomes an RDF term, which the store writes into the query
as a `VALUES` block serialised by pyoxigraph (kg.sparql_values), so quotes, braces or `#` in a
value cannot change the query, and the planner can start from the bound term (pyoxigraph's
own substitutions are joined in after planning). The KIND says which term a value becomes:

    entity    an entity named by its rdfs:label or any skos:altLabel, case-insensitively,
              or by <IRI> (kg.lookup.find_entity: unknown names get suggestions)
    property  a kg property by local name (partnersWith), prefixed name or <IRI>
    class     a kg class by local name (Company), prefixed name or <IRI>
    string    a plain string literal
    integer   an xsd:integer; decimal an xsd:decimal; date an xsd:date (YYYY-MM-DD)
    iri       an IRI, with or without <...>

A parameter marked `optional` may be left out: its variable then stays unbound, and the query
is written to mean "any". The library's queries test whether an (IRI) parameter was given
with `COALESCE(isIRI(?param), false)`:

    FILTER(!COALESCE(isIRI(?entity), false) || ?organization = ?entity)
    FILTER(IF(COALESCE(isIRI(?entity), false), ?first = ?entity, STR(?first) < STR(?second)))

That holds however the term is bound: by VALUES; by pyoxigraph substitutions (`kg serve`'s
/api/run), under which BOUND(?param) is false; and left out on Virtuoso, which compares an
unbound variable as false rather than as an error, so `COALESCE(?x = ?param, true)` would
filter out every row there.

A query that declares no parameters (SPARQL typed on the command line, a .rq file without
`# param:` lines) takes any variable it mentions: `<...>` values become IRIs, anything else a
string; `NAME:KIND=VALUE` picks a kind explicitly (`--param who:entity=acme`). Named queries
accept only the parameters they declare, and require the ones not marked optional.

>>> import pyoxigraph as ox
>>> from kg.store import Store
>>> store = Store(None)
>>> _ = store.add_articles([("https://example.org/article/1", ox.parse('''
...   @prefix kg: <https://w3id.org/kg/ontology#> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
...   <https://example.org/article/1> a kg:Article ; kg:fileName "a.txt" .
...   @prefix e: <https://example.org/entity/> .
...   e:Acme a kg:Company ; rdfs:label "Acme" ; kg:mentionedIn <https://example.org/article/1> .
...   e:Globex a kg:Company ; rdfs:label "Globex" ; kg:mentionedIn <https://example.org/article/1> .
...   e:Acme kg:partnersWith e:Globex .
...   ''', format=ox.RdfFormat.TURTLE))])
>>> result = run_query(store, "SELECT ?who ?partner WHERE { ?who kg:partnersWith ?partner }",
...                    params={"who:entity": "acme"})
>>> print(result.to_table())
partner
-------
Globex
(1 row)
>>> result.records()
[{'who': 'https://example.org/entity/Acme', 'partner': 'https://example.org/entity/Globex'}]
>>> result.serialize("json")[:40]
b'{"head":{"vars":["who","partner"]},"resu'
"""
from __future__ import annotations

import difflib
import json
import re
import shutil
import textwrap
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from .errors import InputError, QuerySyntaxError, StoreError
from .ontology import NS, PREFIXES, XSD, classes, datatype_properties, object_properties
from .store import Store

SELECT_FORMATS = ("table", "csv", "tsv", "json", "xml")
"""Formats of SELECT and ASK results."""
GRAPH_FORMATS = ("turtle", "nt", "jsonld")
"""Formats of CONSTRUCT and DESCRIBE results."""
FORMATS = SELECT_FORMATS + GRAPH_FORMATS

_RESULTS_FORMATS = {
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
}
_RDF_FORMATS = {"turtle": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "jsonld": ox.RdfFormat.JSON_LD}

_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_QUERY_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
_PARAM_LINE = re.compile(
    r"^param:\s*(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s*(?:\((?P<kind>[^)]*)\))?\s*(?:—|–|--|-|:)?\s*(?P<meaning>.*)$"
)


# -- parameter kinds --------------------------------------------------------------------------

@dataclass(frozen=True)
class ParamKind:
    """How a parameter's text becomes an RDF term."""

    name: str
    help: str
    convert: Callable[[Store, str], ox.NamedNode | ox.Literal]


def _entity(store: Store, value: str) -> ox.NamedNode:
    from .lookup import find_entity

    return ox.NamedNode(find_entity(store, value))


def _iri(value: str, what: str = "IRI") -> ox.NamedNode:
    text = value.strip()
    if text.startswith("<") and text.endswith(">"):
        text = text[1:-1]
    try:
        return ox.NamedNode(text)
    except ValueError:
        raise InputError(f"{value!r} is not a valid {what}") from None


def _term_by_name(value: str, known: set[str], what: str) -> ox.NamedNode:
    """A kg term named by local name, prefixed name or <IRI>."""
    text = value.strip()
    if text.startswith("<") or "://" in text:
        return _iri(text, what)
    prefix, _, local = text.rpartition(":")
    if prefix and prefix != "kg":
        if prefix not in PREFIXES:
            raise InputError(f"{value!r}: unknown prefix {prefix!r} (known: {', '.join(PREFIXES)})")
        return _iri(PREFIXES[prefix] + local, what)
    if local in known:
        return ox.NamedNode(NS + local)
    by_fold = {k.casefold(): k for k in known}
    if local.casefold() in by_fold:
        return ox.NamedNode(NS + by_fold[local.casefold()])
    close = difflib.get_close_matches(local, sorted(known), n=3, cutoff=0.6)
    hint = f"; did you mean {', '.join(close)}?" if close else f" (known: {', '.join(sorted(known))})"
    raise InputError(f"no kg {what} named {value!r}{hint}")


def _property(store: Store, value: str) -> ox.NamedNode:
    return _term_by_name(value, object_properties() | datatype_properties(), "property")


def _class(store: Store, value: str) -> ox.NamedNode:
    return _term_by_name(value, classes(), "class")


def _integer(store: Store, value: str) -> ox.Literal:
    try:
        return ox.Literal(str(int(value.strip())), datatype=ox.NamedNode(XSD + "integer"))
    except ValueError:
        raise InputError(f"{value!r} is not an integer") from None


def _decimal(store: Store, value: str) -> ox.Literal:
    try:
        number = Decimal(value.strip())
    except InvalidOperation:
        number = Decimal("NaN")
    if not number.is_finite():
        raise InputError(f"{value!r} is not a decimal number")
    return ox.Literal(str(number), datatype=ox.NamedNode(XSD + "decimal"))


def _date(store: Store, value: str) -> ox.Literal:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        raise InputError(f"{value!r} is not a date (YYYY-MM-DD)")
    return ox.Literal(value.strip(), datatype=ox.NamedNode(XSD + "date"))


PARAM_KINDS: dict[str, ParamKind] = {
    kind.name: kind
    for kind in (
        ParamKind("entity", "an entity: label or alias (case-insensitive), or <IRI>", _entity),
        ParamKind("property", "a kg property: local name (partnersWith), prefixed name or <IRI>", _property),
        ParamKind("class", "a kg class: local name (Company), prefixed name or <IRI>", _class),
        ParamKind("string", "a plain string", lambda store, value: ox.Literal(value)),
        ParamKind("integer", "an integer", _integer),
        ParamKind("decimal", "a decimal number", _decimal),
        ParamKind("date", "a date, YYYY-MM-DD", _date),
        ParamKind("iri", "an IRI, with or without <...>", lambda store, value: _iri(value)),
    )
}
"""The kinds a parameter may be declared as, by name."""


# -- named queries ----------------------------------------------------------------------------

@dataclass(frozen=True)
class Param:
    """A parameter a query declares: `# param: NAME (KIND[, optional]) — meaning`."""

    name: str
    kind: str = "string"
    meaning: str = ""
    optional: bool = False

    def __str__(self) -> str:
        return f"{self.name}{'?' if self.optional else ''} ({self.kind})"


@dataclass(frozen=True)
class NamedQuery:
    """A SPARQL query and what its header says about it.

    >>> q = parse_query("# People.\\n# param: who (entity, optional) — a person\\nSELECT ?who {}", "people")
    >>> q.description, [str(p) for p in q.params]
    ('People.', ['who? (entity)'])
    """

    name: str
    text: str
    description: str = ""
    params: tuple[Param, ...] = ()
    examples: tuple[str, ...] = ()
    path: Path | None = None
    library: bool = False  # from the queries/ folder: only declared parameters are accepted

    def param(self, name: str) -> Param | None:
        """The declared parameter `name`, if any."""
        return next((p for p in self.params if p.name == name), None)

    @property
    def where(self) -> str:
        """How messages name the query: its file, or "query"."""
        return str(self.path) if self.path is not None else "query"


def parse_query(text: str, name: str = "query", path: Path | None = None, *, library: bool = False) -> NamedQuery:
    """Read a query's header: description, `# param:` lines and `# example:` lines.

    Raises InputError naming the file and line for a parameter line it cannot read.
    """
    description = ""
    params: list[Param] = []
    examples: list[str] = []
    where = str(path) if path is not None else name
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line:
            continue
        if not line.startswith("#"):
            break
        body = line.lstrip("#").strip()
        lowered = body.lower()
        if lowered.startswith("param:"):
            params.append(_parse_param(body, where, number))
        elif lowered.startswith("example:"):
            examples.append(body.split(":", 1)[1].strip())
        elif not description and body:
            description = body
    return NamedQuery(name, text, description, tuple(params), tuple(examples), path, library)


def _parse_param(body: str, where: str, number: int) -> Param:
    m = _PARAM_LINE.match(body)
    if not m:
        raise InputError(f"{where}, line {number}: cannot read parameter line "
                         "(expected '# param: NAME (KIND) — meaning')")
    words = [w.strip().lower() for w in (m.group("kind") or "string").split(",") if w.strip()]
    optional = "optional" in words
    kinds = [w for w in words if w != "optional"] or ["string"]
    kind = kinds[0]
    if kind not in PARAM_KINDS or len(kinds) > 1:
        raise InputError(f"{where}, line {number}: unknown parameter kind {', '.join(kinds)!r} "
                         f"(kinds: {', '.join(PARAM_KINDS)})")
    return Param(m.group("name"), kind, m.group("meaning").strip(), optional)


def queries_directory() -> Path:
    """The folder of named queries (`queries/` beside the package)."""
    from .resources import queries_dir

    return queries_dir()


def list_queries(directory: str | Path | None = None) -> list[NamedQuery]:
    """Every named query in `directory` (default: `queries/`), by name.

    >>> "partners" in [q.name for q in list_queries()]
    True
    """
    folder = Path(directory) if directory is not None else queries_directory()
    return [load_query(path) for path in sorted(folder.glob("*.rq"))]


def load_query(path: str | Path, *, library: bool = True) -> NamedQuery:
    """Read a .rq file (its name is the file name without `.rq`)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"{path}: no such query file") from None
    except UnicodeDecodeError:
        raise InputError(f"{path}: not UTF-8 text") from None
    except OSError as e:
        raise InputError(f"{path}: cannot read: {e.strerror or e}") from None
    return parse_query(text, path.stem, path, library=library)


def get_query(name: str, directory: str | Path | None = None) -> NamedQuery:
    """The named query `name`; an unknown name raises InputError suggesting close ones."""
    folder = Path(directory) if directory is not None else queries_directory()
    path = folder / f"{name}.rq"
    if _QUERY_NAME.match(name) and path.is_file():
        return load_query(path)
    names = sorted(p.stem for p in folder.glob("*.rq"))
    close = difflib.get_close_matches(name, names, n=3, cutoff=0.5)
    close += [n for n in names if name and (n.startswith(name) or name in n) and n not in close]
    hint = f"; did you mean {', '.join(close[:3])}?" if close else ""
    raise InputError(f"no query named {name!r} in {folder}{hint} (`kg query --list` shows them all)")


def resolve_query(query: str, directory: str | Path | None = None) -> NamedQuery:
    """What `query` means: a `.rq` file path, a named query, or SPARQL text (in that order).

    >>> resolve_query("partners").params[0].name
    'entity'
    >>> resolve_query("ASK { ?s ?p ?o }").name
    'query'
    """
    text = query.strip()
    if not text:
        raise InputError("empty query: give SPARQL text, a .rq file or a query name (`kg query --list`)")
    looks_like_path = "\n" not in text and "{" not in text and (text.endswith(".rq") or "/" in text and " " not in text)
    folder = Path(directory) if directory is not None else queries_directory()
    if looks_like_path:
        path = Path(text).expanduser()
        if not path.is_file() and "/" not in text and (folder / text).is_file():
            return load_query(folder / text)  # "partners.rq": the named query
        if path.is_file() or text.endswith(".rq"):
            return load_query(path, library=False)
    if _QUERY_NAME.match(text):
        if (folder / f"{text}.rq").is_file() or not Path(text).is_file():
            return get_query(text, folder)
        return load_query(Path(text), library=False)
    return parse_query(query, "query")


# -- binding parameters -----------------------------------------------------------------------

def bind_params(store: Store, query: NamedQuery, params: Mapping[str, Any]) -> dict[str, ox.NamedNode | ox.Literal]:
    """Turn `params` ({"NAME" or "NAME:KIND": text or RDF term}) into substitutions for `query`.

    Checks each name against what the query declares (or, for undeclared SPARQL, the
    variables it mentions), types each value by its kind, and names any missing parameter.

    >>> q = parse_query("# Ages.\\n# param: n (integer) — at least\\nSELECT ?n {}")
    >>> bind_params(Store(None), q, {"n": "42"})["n"].value
    '42'
    >>> bind_params(Store(None), q, {"m": "1"})
    Traceback (most recent call last):
    ...
    kg.errors.InputError: unknown parameter 'm' for query (it takes: n)
    """
    declared = bool(query.params) or query.library
    bound: dict[str, ox.NamedNode | ox.Literal] = {}
    for key, value in params.items():
        name, _, kind = str(key).lstrip("?$").partition(":")
        name = name.strip()
        if not _NAME.match(name):
            raise InputError(f"bad parameter name {name!r}: use a SPARQL variable name (letters, digits, _)")
        if name in bound:
            raise InputError(f"parameter {name!r} given twice")
        param = query.param(name)
        if declared and param is None:
            takes = ", ".join(p.name for p in query.params) or "no parameters"
            raise InputError(f"unknown parameter {name!r} for {_label(query)} (it takes: {takes})")
        if not declared and not re.search(rf"[?$]{re.escape(name)}\b", query.text):
            raise InputError(f"unknown parameter {name!r}: the query has no variable ?{name}")
        kind = kind.strip().lower() or (param.kind if param else "")
        bound[name] = _convert(store, name, kind, value)
    missing = [p for p in query.params if not p.optional and p.name not in bound]
    if missing:
        p = missing[0]
        meaning = p.meaning or PARAM_KINDS[p.kind].help
        raise InputError(f"{_label(query)} needs parameter {p.name!r} ({p.kind}: {meaning}); "
                         f"give it as --param {p.name}=VALUE")
    return bound


def _label(query: NamedQuery) -> str:
    return f"query {query.name!r}" if query.library else "query"


def _convert(store: Store, name: str, kind: str, value: Any) -> ox.NamedNode | ox.Literal:
    if isinstance(value, (ox.NamedNode, ox.Literal)):
        return value
    if not isinstance(value, str):
        value = str(value)
    if not kind:
        text = value.strip()
        return _iri(text) if text.startswith("<") and text.endswith(">") else ox.Literal(value)
    if kind not in PARAM_KINDS:
        raise InputError(f"parameter {name!r}: unknown kind {kind!r} (kinds: {', '.join(PARAM_KINDS)})")
    if not value.strip() and kind != "string":
        raise InputError(f"parameter {name!r} is empty")
    return PARAM_KINDS[kind].convert(store, value)


# -- running ------------------------------------------------------------------------------------

def require_articles(store: Store) -> None:
    """Raise StoreError when the store holds no articles (nothing to ask)."""
    if store.is_empty():
        where = f"store {store.path}" if store.path is not None else "the store"
        raise StoreError(f"{where} holds no articles; run `kg build ARTICLES` first")


def run_query(store: Store, query: str | NamedQuery, params: Mapping[str, Any] | None = None, *,
              directory: str | Path | None = None) -> QueryResult:
    """Run SPARQL text, a `.rq` file or a named query against the store's default graph.

    `params` binds variables safely ({"entity": "Acme"}; see the module docs for kinds).
    Raises QuerySyntaxError (with line, column and the query text), InputError for an unknown
    query or a bad, missing or unknown parameter, StoreError for a store without articles.

    >>> import pyoxigraph as ox
    >>> store = Store(None)
    >>> _ = store.add_articles([("https://example.org/article/1", ox.parse('''
    ...   @prefix kg: <https://w3id.org/kg/ontology#> .
    ...   <https://example.org/article/1> a kg:Article ; kg:fileName "a.txt" .
    ...   ''', format=ox.RdfFormat.TURTLE))])
    >>> bool(run_query(store, "ASK { ?a kg:fileName ?name }", params={"name": "a.txt"}))
    True
    >>> run_query(store, "SELECT ?a WHERE { ?a ?p }")
    Traceback (most recent call last):
    ...
    kg.errors.QuerySyntaxError: SPARQL syntax error at line 1, column 26: expected one of LATERAL, SERVICE, [_]
    """
    named = query if isinstance(query, NamedQuery) else resolve_query(query, directory)
    require_articles(store)
    bindings = bind_params(store, named, params or {})
    try:
        raw = store.query(named.text, substitutions=bindings)
    except QuerySyntaxError as e:
        raise _located(e, named) from None
    except RuntimeError as e:
        raise InputError(f"{named.where}: {str(e).splitlines()[0]}") from None
    hidden = frozenset(bindings) | frozenset(p.name for p in named.params if p.optional)
    if isinstance(raw, ox.QueryBoolean):
        return QueryResult("ask", boolean=bool(raw), query=named, bindings=bindings)
    if isinstance(raw, ox.QueryTriples):
        return QueryResult("graph", triples=list(raw), query=named, bindings=bindings)
    data = raw.serialize(format=ox.QueryResultsFormat.JSON)
    result = QueryResult("select", results=data, query=named, bindings=bindings, hidden=hidden)
    result.labels = _display_names(store, result.iris())
    return result


def _located(e: QuerySyntaxError, query: NamedQuery) -> QuerySyntaxError:
    """The error, with a clearer message for unknown prefixes, the file named and the text kept."""
    message = str(e)
    if "Prefix not found" in message and e.line is not None and e.column is not None:
        line = _line(query.text, e.line)
        before = line[: max(e.column - 1, 0)]
        found = re.findall(r"([A-Za-z][\w.-]*)?:[\w-]*", before)
        prefix = f"{found[-1]}:" if found else "prefix"
        new = QuerySyntaxError(f"unknown prefix {prefix!r} (predeclared: {', '.join(PREFIXES)})", e.line, e.column)
        message = str(new)
    else:
        new = QuerySyntaxError("", e.line, e.column)
    if query.path is not None:
        message = f"{query.path}: {message}"
    new.msg = message
    new.args = (message,)
    new.sparql = query.text  # type: ignore[attr-defined]
    return new


def _line(text: str, number: int) -> str:
    lines = text.splitlines()
    return lines[number - 1] if 0 < number <= len(lines) else ""


def syntax_error_excerpt(error: QuerySyntaxError, text: str | None = None) -> str:
    """The offending line of the query with a caret under the column, or "" when unknown.

    >>> e = QuerySyntaxError("expected one of LATERAL, SERVICE, [_]", 2, 12)
    >>> print(syntax_error_excerpt(e, "SELECT ?a\\nWHERE { ?a }"))
      2 | WHERE { ?a }
        |            ^
    """
    text = text if text is not None else getattr(error, "sparql", None)
    if text is None or error.line is None:
        return ""
    number, column = error.line, error.column or 1  # pyoxigraph counts both from 1, columns in characters
    lines = text.splitlines()
    if number > len(lines) or not lines[number - 1].strip() and not any(x.strip() for x in lines[number:]):
        # the end of the query: show the last line that has something on it
        number = max((i for i, x in enumerate(lines, 1) if x.strip()), default=1)
        column = len(_line(text, number)) + 1
    line = _line(text, number).replace("\t", " ")
    gutter = f"{number:>3}"
    return f"{gutter} | {line}\n{' ' * len(gutter)} | {' ' * min(column - 1, len(line))}^"


# -- results ------------------------------------------------------------------------------------

Term = ox.NamedNode | ox.Literal | ox.BlankNode | ox.Triple


class QueryResult:
    """What a query returned: rows (SELECT), a boolean (ASK) or triples (CONSTRUCT/DESCRIBE).

    `kind` is "select", "ask" or "graph". Iterating gives the rows ({variable: term}, unbound
    variables left out) or the triples; `serialize(fmt)` gives bytes in any of FORMATS.
    `labels` maps IRIs to the names the table shows (entity labels, article file names).
    """

    def __init__(self, kind: str, *, results: bytes = b"", boolean: bool | None = None,
                 triples: list[ox.Triple] | None = None, query: NamedQuery | None = None,
                 bindings: Mapping[str, Term] | None = None, hidden: frozenset[str] = frozenset()) -> None:
        self.kind = kind
        self.boolean = boolean
        self.triples: list[ox.Triple] = triples or []
        self.query = query
        self.bindings = dict(bindings or {})
        self.hidden = hidden
        self.labels: dict[str, str] = {}
        self._results = results
        self.variables: list[str] = []
        self.rows: list[dict[str, Term]] = []
        if kind == "select":
            solutions = ox.parse_query_results(results, format=ox.QueryResultsFormat.JSON)
            self.variables = [v.value for v in solutions.variables]  # type: ignore[union-attr]
            self.rows = [{n: row[n] for n in self.variables if row[n] is not None}  # type: ignore[union-attr]
                         for row in solutions]

    def __repr__(self) -> str:
        size = f"{len(self)} rows" if self.kind == "select" else (
            f"{len(self.triples)} triples" if self.kind == "graph" else str(self.boolean))
        return f"<QueryResult {self.kind}: {size}>"

    def __len__(self) -> int:
        return len(self.rows) if self.kind == "select" else len(self.triples) if self.kind == "graph" else 1

    def __bool__(self) -> bool:
        return bool(self.boolean) if self.kind == "ask" else len(self) > 0

    def __iter__(self) -> Iterator[Any]:
        return iter(self.rows if self.kind == "select" else self.triples if self.kind == "graph" else [self.boolean])

    @property
    def default_format(self) -> str:
        """"table" for SELECT and ASK, "turtle" for CONSTRUCT and DESCRIBE."""
        return "turtle" if self.kind == "graph" else "table"

    def iris(self) -> set[str]:
        """Every IRI in the rows."""
        return {t.value for row in self.rows for t in row.values() if isinstance(t, ox.NamedNode)}

    def records(self, *, labels: bool = False) -> list[dict[str, str]]:
        """Rows as {variable: text}: IRIs as IRIs (or as their labels with `labels=True`), literals as values."""
        return [{k: self.display(t) if labels else t.value if hasattr(t, "value") else str(t) for k, t in row.items()}
                for row in self.rows]

    def column(self, variable: str, *, labels: bool = False) -> list[str]:
        """The values of one variable, row by row ("" where unbound)."""
        return [r.get(variable, "") for r in self.records(labels=labels)]

    def display(self, term: Term | None) -> str:
        """How the table shows a term: an IRI as its label, file name or prefixed name; a literal as its value
        on one line."""
        if term is None:
            return ""
        if isinstance(term, ox.NamedNode):
            return self.labels.get(term.value) or shorten(term.value)
        if isinstance(term, ox.Literal):
            return " ".join(term.value.split())  # one line; runs of blanks (from citation markers) closed up
        if isinstance(term, ox.BlankNode):
            return f"_:{term.value}"
        return str(term)

    def serialize(self, fmt: str | None = None, *, width: int | None = None) -> bytes:
        """The result in `fmt` (one of FORMATS; default: default_format) as bytes.

        Raises InputError when the format does not fit the kind of result.
        """
        fmt = (fmt or self.default_format).lower()
        if fmt not in FORMATS:
            raise InputError(f"unknown format {fmt!r} (formats: {', '.join(FORMATS)})")
        if self.kind == "graph":
            if fmt not in GRAPH_FORMATS:
                raise InputError(f"CONSTRUCT and DESCRIBE results come as {', '.join(GRAPH_FORMATS)}, not {fmt}")
            if fmt == "turtle":
                return ox.serialize(self.triples, format=ox.RdfFormat.TURTLE, prefixes=self._used_prefixes())
            return ox.serialize(self.triples, format=_RDF_FORMATS[fmt])
        if fmt not in SELECT_FORMATS:
            what = "ASK" if self.kind == "ask" else "SELECT"
            raise InputError(f"{what} results come as {', '.join(SELECT_FORMATS)}, not {fmt}")
        if fmt == "table":
            return (self.to_table(width=width) + "\n").encode("utf-8")
        if self.kind == "ask":
            if fmt == "json":
                return json.dumps({"head": {}, "boolean": self.boolean}).encode()
            if fmt == "xml":
                return ('<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
                        f"<head></head><boolean>{str(self.boolean).lower()}</boolean></sparql>\n").encode()
            return (str(self.boolean).lower() + "\n").encode()
        solutions = ox.parse_query_results(self._results, format=ox.QueryResultsFormat.JSON)
        return solutions.serialize(format=_RESULTS_FORMATS[fmt])  # type: ignore[union-attr]

    def _used_prefixes(self) -> dict[str, str]:
        iris = set()
        for t in self.triples:
            for term in (t.subject, t.predicate, t.object):
                if isinstance(term, ox.NamedNode):
                    iris.add(term.value)
                elif isinstance(term, ox.Literal):
                    iris.add(term.datatype.value)
        return {p: ns for p, ns in PREFIXES.items() if any(i.startswith(ns) for i in iris)}

    def to_table(self, *, width: int | None = None) -> str:
        """An aligned text table for people (IRIs shown as labels; parameter columns left out).

        `width` wraps the widest columns so lines fit; None never wraps.
        """
        if self.kind == "ask":
            return "true" if self.boolean else "false"
        if self.kind == "graph":
            return self.serialize("turtle").decode()
        columns = [v for v in self.variables if v not in self.hidden] or list(self.variables)
        header = [*columns]
        body = [[self.display(row.get(c)) for c in columns] for row in self.rows]
        n = len(self.rows)
        footer = f"({n} row{'s' if n != 1 else ''})" if n else "(no rows)"
        if not columns:
            return footer
        widths = [max([len(h), *(max((len(part) for part in cell.splitlines()), default=0) for cell in col)])
                  for h, col in zip(header, zip(*body) if body else [[] for _ in header])]
        if width:
            widths = _fit(widths, [len(h) for h in header], width)
        lines = [_table_line(header, widths), _table_line(["-" * w for w in widths], widths)]
        for cells in body:
            wrapped = [_wrap(cell, w) for cell, w in zip(cells, widths)]
            for i in range(max(len(w) for w in wrapped)):
                lines.append(_table_line([w[i] if i < len(w) else "" for w in wrapped], widths))
        lines.append(footer)
        return "\n".join(lines)


def _table_line(cells: list[str], widths: list[int]) -> str:
    return "  ".join(cell.ljust(w) for cell, w in zip(cells, widths)).rstrip()


def _wrap(cell: str, width: int) -> list[str]:
    lines = [part for line in (cell.splitlines() or [""]) for part in (textwrap.wrap(line, width) or [""])]
    return lines or [""]


def _fit(widths: list[int], minimums: list[int], total: int) -> list[int]:
    """Narrow the widest columns until the table fits `total` characters (each keeps >= 12)."""
    widths = list(widths)
    floor = [max(min(w, 12), m) for w, m in zip(widths, minimums)]
    while sum(widths) + 2 * (len(widths) - 1) > total:
        i = max(range(len(widths)), key=lambda k: widths[k] - floor[k])
        if widths[i] <= floor[i]:
            break
        widths[i] -= 1
    return widths


def terminal_width() -> int:
    """Columns of the terminal (120 when unknown)."""
    return shutil.get_terminal_size((120, 24)).columns


def shorten(iri: str) -> str:
    """A prefixed name for IRIs in kg's namespaces, else <IRI>.

    >>> shorten("https://w3id.org/kg/ontology#partnersWith")
    'kg:partnersWith'
    """
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and re.fullmatch(r"[A-Za-z_][\w-]*", iri[len(namespace):]):
            return f"{prefix}:{iri[len(namespace):]}"
    return f"<{iri}>"


def _display_names(store: Store, iris: set[str]) -> dict[str, str]:
    """Labels of entities and file names of articles, for the IRIs a result shows."""
    names: dict[str, str] = {}
    ordered = sorted(iris)
    for start in range(0, len(ordered), 500):
        values = " ".join(str(ox.NamedNode(i)) for i in ordered[start:start + 500])
        rows = store.select(
            f"""SELECT ?x ?name WHERE {{ VALUES ?x {{ {values} }}
                 {{ ?x rdfs:label ?name }} UNION {{ ?x kg:fileName ?name }} }}"""
        )
        for row in rows:
            x, name = row["x"].value, row["name"].value
            if x not in names or name < names[x]:
                names[x] = name
    return names


@dataclass
class QueryListing:
    """One line of `kg query --list`."""

    name: str
    description: str
    params: list[dict[str, Any]] = field(default_factory=list)
    example: str = ""


def describe_queries(directory: str | Path | None = None) -> list[QueryListing]:
    """The named queries with their descriptions, parameters and first example."""
    return [
        QueryListing(q.name, q.description,
                     [{"name": p.name, "kind": p.kind, "optional": p.optional, "meaning": p.meaning} for p in q.params],
                     q.examples[0] if q.examples else "")
        for q in list_queries(directory)
    ]
