"""The result writers: what they write reads back the same with pyoxigraph's and rdflib's parsers."""
from __future__ import annotations

import io

import pyoxigraph as ox
import pytest

from kg.server.results import rows_of, take, write_boolean, write_select

XSD = "http://www.w3.org/2001/XMLSchema#"
TERMS = [
    ox.NamedNode("https://w3id.org/kg/id/entity/Acme_Corp"),
    ox.BlankNode("b0"),
    ox.Literal('plain, with "quotes", commas\nand a newline\tand a tab'),
    ox.Literal("Zürich", language="de"),
    ox.Literal("42", datatype=ox.NamedNode(XSD + "integer")),
    ox.Literal("0.9", datatype=ox.NamedNode(XSD + "decimal")),
    ox.Literal("2025-04-16", datatype=ox.NamedNode(XSD + "date")),
    ox.Literal("<b>&amp;</b>"),
]


def solutions() -> ox.QuerySolutions:
    store = ox.Store()
    values = " ".join(f"({t if not isinstance(t, ox.BlankNode) else '<urn:bnode>'})" for t in TERMS)
    return store.query(f"SELECT ?x ?missing WHERE {{ VALUES (?x) {{ {values} }} }}")


def rows() -> tuple[list[str], list[list[object]]]:
    return ["x", "missing"], [[t, None] for t in TERMS]


@pytest.mark.parametrize("fmt, oxfmt", [("json", ox.QueryResultsFormat.JSON), ("xml", ox.QueryResultsFormat.XML),
                                         ("tsv", ox.QueryResultsFormat.TSV)])
def test_select_results_read_back_identical(fmt: str, oxfmt: ox.QueryResultsFormat) -> None:
    variables, data = rows()
    parsed = ox.parse_query_results(write_select(variables, data, fmt), format=oxfmt)
    assert [v.value for v in parsed.variables] == variables
    back = [[s[v] for v in variables] for s in parsed]
    assert back == data


def test_csv_holds_plain_values_with_quoting() -> None:
    import csv

    variables, data = rows()
    body = write_select(variables, data, "csv").decode()
    assert body.endswith("\r\n")
    read = list(csv.reader(io.StringIO(body, newline="")))
    assert read[0] == ["x", "missing"]
    assert [r[0] for r in read[1:]] == ["https://w3id.org/kg/id/entity/Acme_Corp", "_:b0", TERMS[2].value, "Zürich",
                                        "42", "0.9", "2025-04-16", "<b>&amp;</b>"]


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_rdflib_reads_the_results(fmt: str) -> None:
    from rdflib.query import Result

    variables, data = rows()
    result = Result.parse(io.BytesIO(write_select(variables, data, fmt)), format=fmt)
    values = [str(r[0]) for r in result]
    assert values[0] == "https://w3id.org/kg/id/entity/Acme_Corp" and values[3] == "Zürich"


def test_boolean_results() -> None:
    assert bool(ox.parse_query_results(write_boolean(True, "json"), format=ox.QueryResultsFormat.JSON))
    assert not bool(ox.parse_query_results(write_boolean(False, "xml"), format=ox.QueryResultsFormat.XML))


def test_row_cap_says_when_it_cut() -> None:
    assert take(range(5), 3) == ([0, 1, 2], True)
    assert take(range(3), 3) == ([0, 1, 2], False)
    variables, got, truncated = rows_of(solutions(), 2)
    assert variables == ["x", "missing"] and len(got) == 2 and truncated
    assert not rows_of(solutions(), 100)[2]
