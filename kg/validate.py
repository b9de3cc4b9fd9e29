"""Check a built graph against the SHACL shapes in ontology/shapes.ttl.

The shapes describe what a well-formed build writes (docs/rdf-shape.md): one label and one
leaf type per entity, article and evidence metadata with the right datatypes, relation
domains and ranges, event nodes with their participants and evidence. Validation runs
pyshacl on the data as it is, without the ontology and without inference, because a build
writes every entity's superclasses explicitly.

>>> result = validate('<https://w3id.org/kg/id/entity/Ada> a <https://w3id.org/kg/ontology#Person> .',
...                   fmt="turtle")
>>> result.conforms
False
>>> sorted({v.path for v in result.violations})
['http://www.w3.org/2000/01/rdf-schema#label', 'https://w3id.org/kg/ontology#mentionedIn']
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import rdflib
from rdflib.collection import Collection
from rdflib.namespace import SH
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.sparql import Query
from rdflib.term import BNode, Literal, Node, URIRef

from .errors import InputError, KGError, StoreError, StoreLockedError
from .ontology import PREFIXES
from .resources import ontology_dir

if TYPE_CHECKING:
    from .store import Store
    import pyoxigraph

__all__ = ["FORMATS", "ValidationResult", "Violation", "shapes_graph", "validate", "validate_store"]

# kg's format names -> the pyoxigraph RdfFormat attribute that parses them
FORMATS: dict[str, str] = {
    "nquads": "N_QUADS",
    "n-quads": "N_QUADS",
    "nq": "N_QUADS",
    "trig": "TRIG",
    "ntriples": "N_TRIPLES",
    "n-triples": "N_TRIPLES",
    "nt": "N_TRIPLES",
    "turtle": "TURTLE",
    "ttl": "TURTLE",
    "xml": "RDF_XML",
    "rdfxml": "RDF_XML",
    "json-ld": "JSON_LD",
    "jsonld": "JSON_LD",
}

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_SEVERITY_ORDER = {"Violation": 0, "Warning": 1, "Info": 2}


@dataclass(frozen=True)
class Violation:
    """One SHACL validation result: which node, which property, what is wrong, how bad.

    `focus_node` and `path` are IRIs (a blank node or literal is given in N-Triples form);
    `path` is None for a check on the node itself (its type, say). `severity` is
    "Violation", "Warning" or "Info"; only "Violation" makes the graph non-conforming.
    """

    focus_node: str
    path: str | None
    message: str
    severity: str = "Violation"
    value: str | None = None
    constraint: str | None = None  # the SHACL constraint component, e.g. "MinCountConstraintComponent"
    shape: str | None = None  # the shape that reported it, when it is named (kgsh:EntityShape)


@dataclass(frozen=True)
class ValidationResult:
    """The outcome of a validation: conforms or not, every result, a readable report."""

    conforms: bool
    violations: list[Violation] = field(default_factory=list)
    text: str = ""

    def __bool__(self) -> bool:
        return self.conforms


def shapes_path() -> Path:
    """The SHACL shapes file shipped with kg."""
    return ontology_dir() / "shapes.ttl"


@lru_cache(maxsize=1)
def shapes_graph() -> rdflib.Graph:
    """The parsed shapes (cached: they do not change while kg runs)."""
    return rdflib.Graph().parse(shapes_path(), format="turtle")


def validate(
    data: rdflib.Dataset | rdflib.Graph | str | bytes | os.PathLike[str],
    *,
    fmt: str = "nquads",
) -> ValidationResult:
    """Validate RDF data against kg's shapes; why: catch a malformed build before it is queried.

    `data` is an rdflib graph or dataset (every graph of a dataset is merged, as the store's
    default graph merges its article graphs), RDF text (`str` or `bytes`) in format `fmt`
    (nquads, trig, ntriples, turtle, xml, json-ld), or the path of such a file.
    Raises InputError when the data does not parse or `fmt` is unknown.
    """
    graph = _as_graph(data, fmt)
    import pyshacl

    conforms, report, _ = pyshacl.validate(
        graph,
        shacl_graph=shapes_graph(),
        inference="none",
        abort_on_first=False,
        allow_warnings=True,
        allow_infos=True,
        advanced=False,
    )
    if not isinstance(report, rdflib.Graph):  # pyshacl hands back a failure when the shapes cannot run
        raise KGError(f"{shapes_path()}: the SHACL shapes cannot be run ({report}); fix or restore the file")
    violations = _results(report)
    return ValidationResult(
        conforms=bool(conforms), violations=violations, text=_report_text(conforms, violations, len(graph))
    )


def validate_store(store: str | os.PathLike[str] | pyoxigraph.Store | Store) -> ValidationResult:
    """Validate the default graph of an Oxigraph store (the union of its article graphs).

    `store` is an open pyoxigraph Store, a kg Store (local or remote), or the directory of a
    local store, which is opened read-only.
    """
    import pyoxigraph as ox

    from .store import Store

    if isinstance(store, Store):
        return validate(store.dump(fmt=ox.RdfFormat.N_TRIPLES, graph="default") or b"", fmt="ntriples")
    if not isinstance(store, ox.Store):
        path = Path(store)
        if not path.is_dir():
            raise StoreError(f"{path}: no kg store here (build one with `kg build`)")
        try:
            store = ox.Store.read_only(str(path))
        except OSError as e:
            if "lock" in str(e).lower():
                raise StoreLockedError(f"{path}: the store is locked by another process ({e})") from None
            raise StoreError(f"{path}: cannot open the store read-only ({e})") from None
    dump = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
    return validate(dump or b"", fmt="ntriples")


def _as_graph(data: rdflib.Dataset | rdflib.Graph | str | bytes | os.PathLike[str], fmt: str) -> rdflib.Graph:
    """One rdflib Graph holding every triple of `data` (all graphs of a dataset merged)."""
    if isinstance(data, rdflib.graph.ConjunctiveGraph):  # Dataset is a ConjunctiveGraph
        graph = _Graph()
        for s, p, o, _ in data.quads((None, None, None, None)):
            graph.add((s, p, o))
        return graph
    if isinstance(data, rdflib.Graph):
        graph = _Graph()
        for triple in data:
            graph.add(triple)
        return graph
    import pyoxigraph as ox

    key = fmt.lower()
    if key not in FORMATS:
        raise InputError(f"unknown RDF format {fmt!r} for validation (one of {', '.join(sorted(FORMATS))})")
    where = ""
    if isinstance(data, os.PathLike):
        path = Path(data)
        where = f"{path}: "
        try:
            data = path.read_bytes()
        except OSError as e:
            raise InputError(f"{path}: cannot read the data to validate ({e.strerror})") from None
    if not isinstance(data, (str, bytes)):
        raise InputError(f"cannot validate a {type(data).__name__}: give an rdflib graph, RDF text or a file path")
    # Parsed with pyoxigraph and converted without normalising literals, so that a lexical form
    # a build wrote wrongly ("-6E+1"^^xsd:decimal) reaches the shapes as written.
    graph = _Graph()
    try:
        for quad in ox.parse(data, format=getattr(ox.RdfFormat, FORMATS[key])):
            graph.add((_rdflib(quad.subject), _rdflib(quad.predicate), _rdflib(quad.object)))
    except (SyntaxError, ValueError) as e:
        raise InputError(f"{where}the data does not parse as {fmt}: {e}") from None
    return graph


class _Graph(rdflib.Graph):
    """A Graph that parses each distinct SPARQL text once.

    pyshacl sends a SPARQL-based constraint's text again for every focus node, and rdflib
    would parse it every time (tens of milliseconds each); prepared once, a build with
    thousands of entities validates in seconds rather than minutes.
    """

    def query(self, query_object: str | Query, *args: object, **kwargs: object):  # type: ignore[override]
        if isinstance(query_object, str):
            query_object = _prepared(query_object)
        return super().query(query_object, *args, **kwargs)  # type: ignore[arg-type]


@lru_cache(maxsize=128)
def _prepared(text: str) -> Query:
    return prepareQuery(text)


def _rdflib(term: pyoxigraph.NamedNode | pyoxigraph.BlankNode | pyoxigraph.Literal | pyoxigraph.Triple) -> Node:
    """The rdflib term for a pyoxigraph term, literals kept exactly as written."""
    import pyoxigraph as ox

    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        if term.datatype.value == _XSD_STRING:
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(term.datatype.value), normalize=False)
    raise InputError(f"cannot validate RDF-star triple terms ({term})")


def _results(report: rdflib.Graph) -> list[Violation]:
    found = []
    for result in report.subjects(rdflib.RDF.type, SH.ValidationResult):
        focus = report.value(result, SH.focusNode)
        path = report.value(result, SH.resultPath)
        severity = report.value(result, SH.resultSeverity)
        component = report.value(result, SH.sourceConstraintComponent)
        shape = report.value(result, SH.sourceShape)
        messages = sorted(str(m) for m in report.objects(result, SH.resultMessage))
        value = report.value(result, SH.value)
        found.append(
            Violation(
                focus_node=_term(focus) if focus is not None else "",
                path=_path(report, path) if path is not None else None,
                message="; ".join(messages) or "constraint not satisfied",
                severity=_local(severity) if severity is not None else "Violation",
                value=_term(value) if value is not None else None,
                constraint=_local(component) if component is not None else None,
                shape=str(shape) if isinstance(shape, URIRef) else None,
            )
        )
    found.sort(key=lambda v: (_SEVERITY_ORDER.get(v.severity, 3), v.focus_node, v.path or "", v.message))
    return found


def _term(term: Node) -> str:
    """An IRI as itself; anything else in N-Triples form."""
    return str(term) if isinstance(term, URIRef) else term.n3()


def _path(report: rdflib.Graph, path: Node) -> str:
    """A SHACL path as text: an IRI, ^IRI for an inverse path, a/b for a sequence."""
    if isinstance(path, URIRef):
        return str(path)
    if isinstance(path, BNode):
        inverse = report.value(path, SH.inversePath)
        if inverse is not None:
            return "^" + _path(report, inverse)
        if report.value(path, rdflib.RDF.first) is not None:
            return "/".join(_path(report, p) for p in Collection(report, path))
    return path.n3()


def _local(iri: Node) -> str:
    return str(iri).rsplit("#", 1)[-1]


def _compact(text: str) -> str:
    for prefix, ns in PREFIXES.items():
        if text.startswith(ns):
            return f"{prefix}:{text[len(ns):]}"
        if text.startswith("^" + ns):
            return f"^{prefix}:{text[len(ns) + 1:]}"
    return f"<{text}>" if ":" in text and not text.startswith(("_:", '"')) else text


def _report_text(conforms: bool, violations: list[Violation], triples: int) -> str:
    counts = {s: sum(v.severity == s for v in violations) for s in _SEVERITY_ORDER}
    summary = ", ".join(f"{n} {s.lower()}{'s' if n != 1 else ''}" for s, n in counts.items() if n)
    head = (
        f"Conforms: {triples} triples checked, no violations"
        if conforms
        else f"Does not conform: {triples} triples checked"
    ) + (f" ({summary})" if summary else "")
    lines = [head]
    for v in violations:
        where = _compact(v.focus_node) + (f" {_compact(v.path)}" if v.path else "")
        value = f" [value: {_compact(v.value)}]" if v.value not in (None, v.focus_node) else ""
        lines.append(f"{v.severity}: {where}: {v.message}{value}")
    return "\n".join(lines)
