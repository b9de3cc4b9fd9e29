"""Accept headers, as clients send them, choose the result format."""
from __future__ import annotations

import pytest

from kg.server import negotiation as neg


@pytest.mark.parametrize("accept, offers, expected", [
    (None, neg.RESULTS, "json"),
    ("*/*", neg.GRAPH, "turtle"),
    ("application/sparql-results+xml", neg.RESULTS, "xml"),
    # SPARQLWrapper's JSON and XML requests
    ("application/sparql-results+json,application/json,text/javascript,application/javascript", neg.RESULTS, "json"),
    ("application/sparql-results+xml", neg.RESULTS, "xml"),
    # rdflib asks for results and RDF/XML at once; a CONSTRUCT gets RDF/XML
    ("application/sparql-results+xml, application/rdf+xml", neg.GRAPH, "rdfxml"),
    ("text/csv;charset=utf-8", neg.RESULTS, "csv"),
    ("text/csv;charset=latin-1, application/sparql-results+xml;q=0.1", neg.RESULTS, "xml"),
    ("text/tab-separated-values; q=0.8, text/csv; q=0.7", neg.RESULTS, "tsv"),
    ('application/ld+json; profile="http://www.w3.org/ns/json-ld#compacted"; q=0.9, text/turtle;q=0.5',
     neg.GRAPH, "jsonld"),
    ("application/n-triples", neg.GRAPH, "nt"),
    ("text/*", neg.RESULTS, "csv"),
    ("application/sparql-results+json;q=0, */*;q=0.1", neg.RESULTS, "xml"),
    ("image/png", neg.RESULTS, "json"),  # nothing acceptable: the default
    ("garbage;;;, text/turtle", neg.GRAPH, "turtle"),
])
def test_choose(accept: str | None, offers: tuple[neg.Format, ...], expected: str) -> None:
    assert neg.choose(accept, offers).name == expected


def test_strict_choice_can_refuse() -> None:
    assert neg.choose("image/png", neg.RESULTS, strict=True) is None


def test_content_types_are_exact() -> None:
    assert [f.content_type for f in neg.RESULTS] == [
        "application/sparql-results+json", "application/sparql-results+xml",
        "text/csv; charset=utf-8", "text/tab-separated-values; charset=utf-8"]
    assert [f.content_type for f in neg.GRAPH] == [
        "text/turtle", "application/n-triples", "application/rdf+xml", "application/ld+json"]


def test_browsers_prefer_html() -> None:
    assert neg.prefers_html("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")
    assert not neg.prefers_html("application/sparql-results+json")
    assert not neg.prefers_html(None)
