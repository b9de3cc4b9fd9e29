"""kg.exporters: the registry of formats, and choosing what to export."""
from __future__ import annotations

import importlib
import pkgutil

import pytest

import kg.exporters as exporters
from kg.errors import AmbiguousEntityError, InputError, QuerySyntaxError, UnknownEntityError
from kg.exporters import FORMATS, Exporter, export, register, select
from kg.store import Store

CLI_FORMATS = ["turtle", "nt", "nquads", "trig", "jsonld", "graphml", "gexf", "cytoscape", "dot", "csv", "html"]


def test_every_format_of_the_command_line_is_registered():
    assert list(FORMATS) == CLI_FORMATS
    for name, exporter in FORMATS.items():
        assert exporter.name == name
        assert exporter.suffix.startswith(".") and exporter.media_type and exporter.description


def test_formats_come_from_the_modules_of_the_package():
    found = {}
    for module in pkgutil.iter_modules(exporters.__path__):
        if not module.name.startswith("_"):
            for exporter in importlib.import_module(f"kg.exporters.{module.name}").EXPORTERS:
                found[exporter.name] = exporter
    assert found == FORMATS


def test_a_registered_format_can_be_used(small_store):
    register(Exporter("count", lambda s: str(len(s.picture)).encode(), ".txt", "text/plain", "how many triples"))
    try:
        assert int(export(small_store, "count")) > 0
    finally:
        del FORMATS["count"]


def test_an_unknown_format_names_the_known_ones(small_store):
    with pytest.raises(InputError, match="unknown export format 'xml'; choose one of: turtle, nt"):
        export(small_store, "xml")


def test_an_empty_store_is_an_error(tmp_path):
    Store(tmp_path / "empty").close()
    with Store(tmp_path / "empty", read_only=True) as store, pytest.raises(InputError, match="store is empty"):
        export(store, "turtle")


def test_the_whole_picture_is_entities_and_events_without_provenance(small_store, expected):
    selection = select(small_store)
    assert selection.mode == "whole" and selection.triples is None
    labels = {attrs["label"]: attrs["type"] for _, attrs in selection.graph.nodes(data=True)}
    assert labels == expected.PICTURE
    assert len(selection.graph) == expected.PICTURE_NODES
    assert selection.graph.number_of_edges() == expected.PICTURE_EDGES
    predicates = {t.predicate.value for t in selection.picture}
    assert expected.KG + "mentionedIn" not in predicates and expected.KG + "evidence" not in predicates


def test_around_takes_the_entities_within_depth_hops(small_store, expected):
    def labels(depth):
        graph = select(small_store, around="Stellantis", depth=depth).graph
        return {attrs["label"] for _, attrs in graph.nodes(data=True)}

    assert labels(0) == {"Stellantis"}
    assert labels(1) == {"Stellantis", "Microsoft", "Amazon", "Azure", "Microsoft 365 Copilot",
                         "Partnership: Microsoft, Stellantis", "Goal: data center footprint -60% by 2029"}
    two = labels(2)
    assert {"AT&T", "NASDAQ", "artificial intelligence", "software-defined vehicles"} <= two
    assert not two & {"Ethan Cole", "Reuters", "Morgan Stanley", '"Quote" Studio <beta> \\ Zürich'}


def test_around_keeps_the_relations_among_the_entities(small_store, expected):
    graph = select(small_store, around="msft", depth=1).graph  # any alias, any case
    edges = {(graph.nodes[s]["label"], d["label"], graph.nodes[o]["label"]) for s, o, d in graph.edges(data=True)}
    assert ("Stellantis", "deploys", "Microsoft 365 Copilot") in edges  # neither end is Microsoft
    assert ("Microsoft", "partnersWith", "Stellantis") in edges
    assert graph.graph["focus"] == expected.E + "Microsoft"


def test_around_carries_the_evidence_and_articles_in_rdf(small_store, expected):
    selection = select(small_store, around="Amazon", depth=1)
    sentences = {t.object.value for t in selection.triples if t.predicate.value == expected.KG + "sentence"}
    assert any("collaboration with Amazon" in s for s in sentences)
    assert not any("Microsoft Azure" in s for s in sentences)  # Azure is two hops away
    files = {t.object.value for t in selection.triples if t.predicate.value == expected.KG + "fileName"}
    assert "002_bce34b61fba21d8d.txt" in files


def test_around_an_unknown_or_ambiguous_name_is_an_error(small_store):
    with pytest.raises(UnknownEntityError, match="did you mean Stellantis"):
        select(small_store, around="Stelantis")
    with pytest.raises(AmbiguousEntityError, match="Microsoft.*Morgan Stanley"):
        select(small_store, around="MS")
    with pytest.raises(InputError, match="depth must be 0 or more"):
        select(small_store, around="Stellantis", depth=-1)


def test_a_construct_query_selects_its_result(small_store, expected):
    selection = select(small_store, construct="CONSTRUCT WHERE { ?a kg:partnersWith ?b }")
    assert selection.mode == "query" and len(selection.triples) == 2
    graph = selection.graph
    # labels and types come from the store, so the bare relation is still readable
    assert {a["label"]: a["type"] for _, a in graph.nodes(data=True)} == {"Microsoft": "Company", "Stellantis": "Company"}
    assert graph.number_of_edges() == 1


def test_a_describe_query_is_accepted(small_store, expected):
    selection = select(small_store, construct=f"DESCRIBE <{expected.E}Azure>")
    assert any(t.object.value == "Microsoft Azure" for t in selection.triples)


def test_a_query_that_is_not_a_construct_is_an_error(small_store):
    with pytest.raises(InputError, match="is a SELECT query; export needs a CONSTRUCT or DESCRIBE"):
        select(small_store, construct="SELECT * WHERE { ?s ?p ?o }")
    with pytest.raises(InputError, match="is an ASK query"):
        select(small_store, construct="ASK { ?s ?p ?o }")
    with pytest.raises(QuerySyntaxError, match="line 1"):
        select(small_store, construct="CONSTRUCT WHERE { ?s ?p ")
    with pytest.raises(InputError, match="not both"):
        select(small_store, around="Stellantis", construct="CONSTRUCT WHERE { ?s ?p ?o }")


def test_an_empty_result_is_an_empty_selection(small_store):
    selection = select(small_store, construct="CONSTRUCT WHERE { ?s kg:acquires ?o }")
    assert selection.empty and len(selection.graph) == 0


def test_the_python_api_exports(small_store_path):
    from kg import KnowledgeGraph

    with KnowledgeGraph(small_store_path, read_only=True) as graph:
        assert b"kg:partnersWith" in graph.export("turtle", around="Stellantis", depth=1)
        assert graph.export("csv", construct="CONSTRUCT WHERE { ?a kg:partnersWith ?b }").count(b"\n") == 2
