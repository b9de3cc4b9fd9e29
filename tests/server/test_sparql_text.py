"""The tokenizer finds SERVICE, LOAD, FROM and USING where a SPARQL parser would, and only there."""
from __future__ import annotations

import pytest

from kg.ontology import PREFIXES
from kg.server.guards import check_references, host_allowed
from kg.server.responses import HTTPError
from kg.server.sparql_text import DatasetConflict, add_using, analyse, tokenize

BASE = "http://127.0.0.1:7878/sparql"


def targets(text: str) -> list[tuple[str, str | None]]:
    a = analyse(text, prefixes=PREFIXES, base=BASE)
    return [(r.keyword, r.iri) for r in a.services + a.loads + a.datasets]


@pytest.mark.parametrize("text", [
    'SELECT * WHERE { ?s ?p "SERVICE <http://evil.example/> { }" }',
    "SELECT * WHERE { ?s ?p '''multi\nline SERVICE <http://evil.example/> {} ''' }",
    'SELECT * WHERE { ?s ?p ?o } # SERVICE <http://evil.example/> {}',
    'SELECT * WHERE { ?s ?p "escaped \\" SERVICE <http://evil.example/> {} \\"" }',
    'SELECT * WHERE { ?service ?load ?from . ?s kg:using ?o }',
    'SELECT * WHERE { ?s <http://example.org/SERVICE> <http://example.org/from> }',
    'PREFIX fromage: <http://example.org/cheese/> SELECT * WHERE { ?s fromage:brie ?o }',
])
def test_words_inside_strings_comments_iris_and_names_are_not_keywords(text: str) -> None:
    assert targets(text) == []


@pytest.mark.parametrize("text, expected", [
    ("SELECT * { SERVICE <http://evil.example/sparql> { ?s ?p ?o } }", [("SERVICE", "http://evil.example/sparql")]),
    ("select * { service silent <http://evil.example/> { } }", [("SERVICE", "http://evil.example/")]),
    ("SELECT * { SERVICE#comment\n<http://evil.example/> {} }", [("SERVICE", "http://evil.example/")]),
    ("PREFIX ex: <http://evil.example/> SELECT * { SERVICE ex:sparql {} }", [("SERVICE", "http://evil.example/sparql")]),
    # pyoxigraph reads keywords glued to what follows
    ("PREFIX ex: <http://evil.example/> SELECT * { SERVICEex:x{} }", [("SERVICE", "http://evil.example/x")]),
    ("PREFIX ex: <http://evil.example/> SELECT * { SERVICESILENTex:x{} }", [("SERVICE", "http://evil.example/x")]),
    ("SELECT * { SERVICE<http://evil.example/>{} }", [("SERVICE", "http://evil.example/")]),
    ("SELECT * { SERVICE ?where {} }", [("SERVICE", None)]),
    ("SELECT * { SERVICE <http://127.0.0.1\\u003a9/> {} }", [("SERVICE", "http://127.0.0.1:9/")]),
    ("SELECT * { SERVICE <relative> {} }", [("SERVICE", "http://127.0.0.1:7878/relative")]),
    ("BASE <http://evil.example/> SELECT * { SERVICE <x> {} }", [("SERVICE", "http://evil.example/x")]),
    ("SELECT * FROM <http://evil.example/g> FROM NAMED <http://evil.example/h> {}",
     [("FROM", "http://evil.example/g"), ("FROM NAMED", "http://evil.example/h")]),
    ("SELECT * FROMNAMED<http://evil.example/g> {}", [("FROM NAMED", "http://evil.example/g")]),
    ("LOAD <http://evil.example/data.ttl>", [("LOAD", "http://evil.example/data.ttl")]),
    ("PREFIX ex: <http://evil.example/> LOADex:data", [("LOAD", "http://evil.example/data")]),
    ("INSERT { ?s ?p ?o } USING <http://evil.example/g> WHERE { ?s ?p ?o }", [("USING", "http://evil.example/g")]),
])
def test_keywords_are_found_and_their_iris_resolved(text: str, expected: list[tuple[str, str | None]]) -> None:
    assert targets(text) == expected


def test_query_or_update_and_the_query_form() -> None:
    assert (analyse("PREFIX x: <a:b> ASK {}").kind, analyse("PREFIX x: <a:b> ASK {}").form) == ("query", "ASK")
    assert analyse("DESCRIBE <a:b>").form == "DESCRIBE"
    assert analyse("CLEAR ALL").kind == "update"
    assert analyse("WITH <a:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }").has_with


def test_tokens_skip_comments_and_keep_strings_whole() -> None:
    assert [t.text for t in tokenize('ASK { <a:b> <a:c> "x # y" } # end')] == \
        ["ASK", "{", "<a:b>", "<a:c>", '"x # y"', "}"]


def test_service_and_load_are_refused_unless_their_host_is_allow_listed() -> None:
    with pytest.raises(HTTPError) as e:
        check_references(analyse("SELECT * { SERVICE <http://evil.example/> {} }"), ())
    assert e.value.status == 400 and "line 1, column 12" in e.value.message
    with pytest.raises(HTTPError):
        check_references(analyse("SELECT * { SERVICE ?x {} }"), ("evil.example",))
    assert check_references(analyse("SELECT * { SERVICE <https://query.wikidata.org/sparql> {} }"),
                            ("query.wikidata.org",)) == []
    with pytest.raises(HTTPError):
        check_references(analyse("LOAD <http://evil.example/x.ttl>"), ("other.example",))


def test_from_graphs_must_be_in_the_store_unless_allow_listed() -> None:
    a = analyse("SELECT * FROM <https://w3id.org/kg/id/article/1> FROM NAMED <http://data.example/g> {}")
    assert check_references(a, ()) == ["https://w3id.org/kg/id/article/1", "http://data.example/g"]
    assert check_references(a, ("data.example",)) == ["https://w3id.org/kg/id/article/1"]


@pytest.mark.parametrize("iri, hosts, ok", [
    ("http://data.example/x", ["data.example"], True),
    ("https://DATA.example:443/x", ["data.example:443"], True),
    ("http://data.example:8080/x", ["data.example:9090"], False),
    ("http://data.example@127.0.0.1/", ["data.example"], False),
    ("file:///etc/passwd", ["data.example"], False),
    ("http://[::1]:8080/", ["[::1]:8080"], True),
    ("ftp://data.example/", ["data.example"], False),
])
def test_allow_list_matches_host_and_port(iri: str, hosts: list[str], ok: bool) -> None:
    assert host_allowed(iri, hosts) is ok


def test_protocol_dataset_becomes_using_clauses_in_each_operation() -> None:
    update = ("CLEAR ALL ; INSERT DATA { GRAPH <a:g> { <a:s> <a:p> 1 } } ;\n"
              "INSERT { GRAPH <a:t> { ?s a <a:T> } } WHERE { ?s ?p ?o } ;\nDELETE WHERE { ?s <a:q> ?o }")
    rewritten = add_using(update, ["http://g/1"], ["http://g/2"])
    assert rewritten.count("USING <http://g/1> USING NAMED <http://g/2> WHERE") == 2
    assert "DELETE { ?s <a:q> ?o } USING" in rewritten
    assert "INSERT DATA { GRAPH <a:g> { <a:s> <a:p> 1 } }" in rewritten
    import pyoxigraph as ox

    ox.Store().update(rewritten)  # still parses


def test_protocol_dataset_conflicts_with_using_or_with() -> None:
    with pytest.raises(DatasetConflict):
        add_using("WITH <a:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", [], ["http://g/2"])
    assert add_using("WITH <a:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", [], []).startswith("WITH")


@pytest.mark.parametrize("text", [
    "SELECT * WHERE { ?s ?p ?o } LIMIT 10",
    "SELECT * WHERE { ?s ?p ?o } ORDER BY ?s LIMIT 10 OFFSET 5",
    "SELECT * WHERE { ?s ?p ?o } OFFSET 5 LIMIT 10",
    "SELECT * WHERE { { SELECT * { ?s ?p ?o } LIMIT 5 } }",
    "SELECT * WHERE { ?s ?p ?o } # LIMIT 10",
    "SELECT * WHERE { ?s ?p <http://x/#a> } LIMIT 10",
    'SELECT * WHERE { ?s ?p "} LIMIT 3" }',
    "SELECT * WHERE { ?s ?p ?o }\nLIMIT 10\n",
    "ASK { ?s ?p ?o }",
    "PREFIX ex: <http://e/> CONSTRUCT WHERE { ?s ?p ?o } LIMIT 2",
])
def test_the_quick_path_agrees_with_the_tokenizer(text: str) -> None:
    from kg.server.sparql_text import quick_analyse

    quick, full = quick_analyse(text), analyse(text)
    assert (quick.kind, quick.form) == (full.kind, full.form)
    assert quick.limit in (None, full.limit)  # unsure means unknown, never wrong
