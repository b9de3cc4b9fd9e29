"""Real SPARQL clients against a real server: SPARQLWrapper, rdflib's SPARQLStore and SPARQLUpdateStore."""
from __future__ import annotations

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS

ENTITY = "https://w3id.org/kg/id/entity/"
A1 = "https://w3id.org/kg/id/article/00000000000000a1"
PARTNERS = """PREFIX kg: <https://w3id.org/kg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?name WHERE { ?e rdfs:label "Stellantis" ; kg:partnersWith ?p . ?p rdfs:label ?name }"""


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_sparqlwrapper_json(server, method: str) -> None:
    from SPARQLWrapper import JSON, SPARQLWrapper

    client = SPARQLWrapper(server.endpoint)
    client.setMethod(method)
    client.setQuery(PARTNERS)
    client.setReturnFormat(JSON)
    result = client.queryAndConvert()
    assert [b["name"]["value"] for b in result["results"]["bindings"]] == ["Microsoft"]


def test_sparqlwrapper_xml(server) -> None:
    from SPARQLWrapper import XML, SPARQLWrapper

    client = SPARQLWrapper(server.endpoint)
    client.setQuery(PARTNERS)
    client.setReturnFormat(XML)
    document = client.queryAndConvert()  # an xml.dom.minidom Document
    names = [n.firstChild.data for n in document.getElementsByTagName("literal")]
    assert names == ["Microsoft"]


def test_sparqlwrapper_ask_and_construct(server) -> None:
    from SPARQLWrapper import JSON, TURTLE, SPARQLWrapper

    client = SPARQLWrapper(server.endpoint)
    client.setQuery('ASK { ?e <http://www.w3.org/2000/01/rdf-schema#label> "Azure" }')
    client.setReturnFormat(JSON)
    assert client.queryAndConvert()["boolean"] is True
    client.setQuery(f"CONSTRUCT {{ ?e ?p ?o }} WHERE {{ BIND(<{ENTITY}Azure> AS ?e) ?e ?p ?o }}")
    client.setReturnFormat(TURTLE)
    graph = Graph().parse(data=client.queryAndConvert(), format="turtle")
    assert (URIRef(ENTITY + "Azure"), RDFS.label, Literal("Azure")) in graph


def test_sparqlwrapper_sees_errors(server) -> None:
    from SPARQLWrapper import JSON, SPARQLWrapper
    from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

    client = SPARQLWrapper(server.endpoint)
    client.setQuery("SELECT * WHERE { ?s ?p }")
    client.setReturnFormat(JSON)
    with pytest.raises(QueryBadFormed, match="syntax error"):
        client.queryAndConvert()


@pytest.mark.parametrize("method", ["GET", "POST", "POST_FORM"])
def test_rdflib_sparqlstore(server, method: str) -> None:
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    store = SPARQLStore(server.endpoint, method=method)
    graph = Graph(store)
    rows = list(graph.query(PARTNERS))
    assert [str(r.name) for r in rows] == ["Microsoft"]
    assert (URIRef(ENTITY + "Stellantis"), RDFS.label, Literal("Stellantis")) in graph
    assert len(list(graph.triples((URIRef(ENTITY + "Azure"), None, None)))) > 0


def test_rdflib_sparqlstore_named_graphs(server) -> None:
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    store = SPARQLStore(server.endpoint)
    rows = list(Graph(store).query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g"))
    assert [str(r.g) for r in rows] == [A1, "https://w3id.org/kg/id/article/00000000000000a2"]
    # a Graph named by an article IRI asks with default-graph-uri: that article only
    article = Graph(store, identifier=URIRef(A1))
    titles = [str(r.t) for r in article.query("SELECT ?t WHERE { ?a <http://purl.org/dc/terms/title> ?t }")]
    assert titles == ["Stellantis and Microsoft extend their partnership"]


def test_rdflib_sparqlupdatestore_with_the_token(token_server, helpers) -> None:
    from rdflib.plugins.stores.sparqlstore import SPARQLUpdateStore

    store = SPARQLUpdateStore(token_server.endpoint, token_server.endpoint,
                              headers={"Authorization": f"Bearer {helpers.TOKEN}"})
    graph = Graph(store, identifier=URIRef("https://example.org/notes"))
    note = URIRef("https://example.org/note/1")
    graph.add((note, RDFS.label, Literal("added through rdflib")))
    assert (note, RDFS.label, Literal("added through rdflib")) in graph
    store.update("INSERT DATA { <https://example.org/note/2> <http://www.w3.org/2000/01/rdf-schema#label> 'two' }")
    assert len(list(Graph(store).query("SELECT * WHERE { <https://example.org/note/2> ?p ?o }"))) == 1
    graph.remove((note, None, None))
    assert (note, RDFS.label, Literal("added through rdflib")) not in graph


def test_rdflib_sparqlupdatestore_without_the_token_is_refused(token_server) -> None:
    from urllib.error import HTTPError

    from rdflib.plugins.stores.sparqlstore import SPARQLUpdateStore

    store = SPARQLUpdateStore(token_server.endpoint, token_server.endpoint)
    with pytest.raises(HTTPError) as e:
        store.update("INSERT DATA { <https://example.org/x> <https://example.org/p> 1 }")
    assert e.value.code == 401
    wrong = SPARQLUpdateStore(token_server.endpoint, token_server.endpoint,
                              headers={"Authorization": "Bearer wrong-token"})
    with pytest.raises(HTTPError) as e:
        wrong.update("INSERT DATA { <https://example.org/x> <https://example.org/p> 1 }")
    assert e.value.code == 403
