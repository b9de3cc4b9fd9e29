"""Write query results in the SPARQL 1.1 result formats, stopping at a row cap.

pyoxigraph's serializers take a whole result; the endpoint must stop at `max_rows` and say so,
so SELECT results are written here from a list of rows (JSON, XML, CSV and TSV exactly as the
W3C result-format specifications define them), and graphs (CONSTRUCT, DESCRIBE, Graph Store
reads) by pyoxigraph from a capped list of triples.

>>> import pyoxigraph as ox
>>> rows = [[ox.NamedNode("http://e/a"), ox.Literal("x", language="en")],
...         [None, ox.Literal("1", datatype=ox.NamedNode(XSD_INTEGER))]]
>>> write_select(["s", "o"], rows, "csv").decode().splitlines()
['s,o', 'http://e/a,x', ',1']
>>> write_select(["s", "o"], rows, "tsv").decode().splitlines()
['?s\\t?o', '<http://e/a>\\t"x"@en', '\\t1']
"""
from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from typing import Any
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

XSD = "http://www.w3.org/2001/XMLSchema#"
XSD_STRING = XSD + "string"
XSD_INTEGER = XSD + "integer"
RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
RDF_DIRLANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#dirLangString"
_TSV_BARE = {XSD_INTEGER, XSD + "decimal", XSD + "double", XSD + "boolean"}

Term = Any  # NamedNode | BlankNode | Literal | Triple


def take(iterable: Iterable[Any], limit: int | None) -> tuple[list[Any], bool]:
    """The first `limit` items and whether there were more (limit None: all)."""
    if limit is None:
        return list(iterable), False
    items: list[Any] = []
    for item in iterable:
        if len(items) >= limit:
            return items, True
        items.append(item)
    return items, False


def write_select(variables: Sequence[str], rows: Sequence[Sequence[Term | None]], fmt: str) -> bytes:
    """SELECT results (variable names without `?`; a row holds a term or None per variable)."""
    if fmt == "json":
        return _json_select(variables, rows)
    if fmt == "xml":
        return _xml_select(variables, rows)
    if fmt == "csv":
        return _csv_select(variables, rows)
    if fmt == "tsv":
        return _tsv_select(variables, rows)
    raise ValueError(f"unknown results format {fmt!r}")


def write_boolean(value: bool, fmt: str) -> bytes:
    """An ASK result."""
    if fmt == "json":
        return json.dumps({"head": {}, "boolean": value}).encode()
    if fmt == "xml":
        return (b'<?xml version="1.0" encoding="UTF-8"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
                b"<head/><boolean>" + (b"true" if value else b"false") + b"</boolean></sparql>\n")
    if fmt in ("csv", "tsv"):
        return b"true\n" if value else b"false\n"
    raise ValueError(f"unknown results format {fmt!r}")


def write_graph(triples: Iterable[ox.Triple], fmt: ox.RdfFormat, prefixes: dict[str, str] | None = None) -> bytes:
    """Triples (or quads, for TriG and N-Quads) in an RDF format."""
    if fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG) and prefixes:
        return ox.serialize(triples, format=fmt, prefixes=prefixes)
    return ox.serialize(triples, format=fmt)


# -- JSON (https://www.w3.org/TR/sparql11-results-json/) -------------------------------------------

def _json_term(term: Term) -> dict[str, Any]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        d: dict[str, Any] = {"type": "literal", "value": term.value}
        if term.language:
            d["xml:lang"] = term.language
            direction = getattr(term, "direction", None)
            if direction is not None:
                d["its:dir"] = str(direction.value if hasattr(direction, "value") else direction).lower()
        elif term.datatype.value != XSD_STRING:
            d["datatype"] = term.datatype.value
        return d
    if isinstance(term, ox.Triple):
        return {"type": "triple", "value": {"subject": _json_term(term.subject),
                                            "predicate": _json_term(term.predicate),
                                            "object": _json_term(term.object)}}
    raise TypeError(f"not an RDF term: {term!r}")


_encode = json.encoder.encode_basestring  # type: ignore[attr-defined]  # C-accelerated, keeps non-ASCII


def _json_fragment(term: Term) -> str:
    """One term as a JSON object, written directly (json.dumps per term is several times slower)."""
    cls = type(term)
    if cls is ox.NamedNode:
        return '{"type":"uri","value":' + _encode(term.value) + "}"
    if cls is ox.Literal:
        if term.language:
            if getattr(term, "direction", None) is None:
                return '{"type":"literal","value":' + _encode(term.value) + ',"xml:lang":' + _encode(term.language) + "}"
        else:
            datatype = term.datatype.value
            if datatype == XSD_STRING:
                return '{"type":"literal","value":' + _encode(term.value) + "}"
            return '{"type":"literal","value":' + _encode(term.value) + ',"datatype":' + _encode(datatype) + "}"
    return json.dumps(_json_term(term), ensure_ascii=False, separators=(",", ":"))


def _json_select(variables: Sequence[str], rows: Sequence[Sequence[Term | None]]) -> bytes:
    keys = [_encode(v) + ":" for v in variables]
    out = ["{" + ",".join([key + _json_fragment(term) for key, term in zip(keys, row) if term is not None]) + "}"
           for row in rows]
    head = ",".join(_encode(v) for v in variables)
    return ('{"head":{"vars":[' + head + ']},"results":{"bindings":[' + ",".join(out) + "]}}").encode()


# -- XML (https://www.w3.org/TR/rdf-sparql-XMLres/) ---------------------------------------------------

def _xml_term(term: Term) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, ox.Literal):
        if term.language:
            return f"<literal xml:lang={quoteattr(term.language)}>{_xml_text(term.value)}</literal>"
        if term.datatype.value != XSD_STRING:
            return f"<literal datatype={quoteattr(term.datatype.value)}>{_xml_text(term.value)}</literal>"
        return f"<literal>{_xml_text(term.value)}</literal>"
    if isinstance(term, ox.Triple):
        return (f"<triple><subject>{_xml_term(term.subject)}</subject><predicate>{_xml_term(term.predicate)}"
                f"</predicate><object>{_xml_term(term.object)}</object></triple>")
    raise TypeError(f"not an RDF term: {term!r}")


def _xml_text(value: str) -> str:
    # XML 1.0 cannot carry most control characters even escaped; write them as character references
    # where allowed, and drop the few that are not allowed at all.
    text = escape(value)
    if any(ord(c) < 0x20 and c not in "\t\n\r" for c in text):
        text = "".join(c for c in text if ord(c) >= 0x20 or c in "\t\n\r")
    return text.replace("\r", "&#13;")


def _xml_select(variables: Sequence[str], rows: Sequence[Sequence[Term | None]]) -> bytes:
    parts = ['<?xml version="1.0" encoding="UTF-8"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">',
             "<head>", *(f"<variable name={quoteattr(v)}/>" for v in variables), "</head><results>"]
    for row in rows:
        parts.append("<result>")
        for v, t in zip(variables, row):
            if t is not None:
                parts.append(f"<binding name={quoteattr(v)}>{_xml_term(t)}</binding>")
        parts.append("</result>")
    parts.append("</results></sparql>\n")
    return "".join(parts).encode()


# -- CSV and TSV (https://www.w3.org/TR/sparql11-results-csv-tsv/) ------------------------------------

def _csv_value(term: Term | None) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        value = term.value
    elif isinstance(term, ox.BlankNode):
        value = f"_:{term.value}"
    elif isinstance(term, ox.Literal):
        value = term.value
    else:
        value = str(term)
    if any(c in value for c in ',"\r\n'):
        value = '"' + value.replace('"', '""') + '"'
    return value


def _csv_select(variables: Sequence[str], rows: Sequence[Sequence[Term | None]]) -> bytes:
    lines = [",".join(_csv_header(v) for v in variables)]
    lines += [",".join(_csv_value(t) for t in row) for row in rows]
    return ("\r\n".join(lines) + "\r\n").encode()


def _csv_header(name: str) -> str:
    return name


def _tsv_value(term: Term | None) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.Literal) and not term.language and term.datatype.value in _TSV_BARE:
        text = term.value
        if _bare_number_ok(text, term.datatype.value):
            return text
    text = str(term)  # N-Triples form, with \t \n \r escaped as the TSV format requires
    return text.replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def _bare_number_ok(text: str, datatype: str) -> bool:
    import re

    patterns = {
        XSD_INTEGER: r"[+-]?\d+",
        XSD + "decimal": r"[+-]?\d*\.\d+",
        XSD + "double": r"[+-]?(\d+\.\d*|\.?\d+)[eE][+-]?\d+",
        XSD + "boolean": r"true|false",
    }
    return re.fullmatch(patterns[datatype], text) is not None


def _tsv_select(variables: Sequence[str], rows: Sequence[Sequence[Term | None]]) -> bytes:
    lines = ["\t".join(f"?{v}" for v in variables)]
    lines += ["\t".join(_tsv_value(t) for t in row) for row in rows]
    return ("\n".join(lines) + "\n").encode()


def rows_of(solutions: ox.QuerySolutions, limit: int | None) -> tuple[list[str], list[tuple[Term | None, ...]], bool]:
    """Variable names, the first `limit` rows, and whether the result had more."""
    variables = [v.value for v in solutions.variables]
    rows: list[tuple[Term | None, ...]] = []
    truncated = False
    it: Iterator[ox.QuerySolution] = iter(solutions)
    for solution in it:
        if limit is not None and len(rows) >= limit:
            truncated = True
            break
        rows.append(tuple(solution))  # type: ignore[arg-type]
    return variables, rows, truncated
