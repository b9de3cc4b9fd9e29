"""`kg export`: every format to stdout or a file, parts of the graph, and bad input."""
from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from pathlib import Path

import pytest
import rdflib
from click.testing import CliRunner

from kg.cli import main

SMALL_TRIG = Path(__file__).resolve().parent.parent / "data" / "export" / "small.trig"
FORMATS = ["turtle", "nt", "nquads", "trig", "jsonld", "graphml", "gexf", "cytoscape", "dot", "csv", "html"]


@pytest.fixture(scope="module")
def store_path(tmp_path_factory) -> Path:
    """A store holding tests/data/export/small.trig (its article graphs and their union)."""
    import pyoxigraph as ox

    from kg.store import Store

    graphs = defaultdict(list)
    for quad in ox.parse(path=str(SMALL_TRIG)):
        graphs[quad.graph_name.value].append(quad.triple)
    path = tmp_path_factory.mktemp("cli-export") / "store"
    with Store(path) as store:
        store.add_articles(graphs.items())
    return path


def kg(store_path, *args):
    result = CliRunner().invoke(main, ["--store", str(store_path), "export", *args], catch_exceptions=False)
    return result


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_goes_to_stdout(store_path, fmt):
    result = kg(store_path, "--format", fmt)
    assert result.exit_code == 0, result.output
    assert len(result.stdout_bytes) > 200
    assert result.stderr == ""


@pytest.mark.parametrize("fmt, suffix", [("turtle", "ttl"), ("graphml", "graphml"), ("html", "html")])
def test_o_writes_a_file(store_path, tmp_path, fmt, suffix):
    target = tmp_path / f"graph.{suffix}"
    result = kg(store_path, "--format", fmt, "-o", str(target))
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert target.stat().st_size > 200
    assert f"wrote {target}" in result.stderr


def test_csv_to_stdout_is_the_edge_list_and_to_a_file_two_files(store_path, tmp_path):
    result = kg(store_path, "--format", "csv")
    header = next(csv.reader(io.StringIO(result.stdout)))
    assert header[:3] == ["source", "target", "property"]
    result = kg(store_path, "--format", "csv", "-o", str(tmp_path / "graph.csv"))
    assert result.exit_code == 0
    assert (tmp_path / "graph-nodes.csv").exists() and (tmp_path / "graph-edges.csv").exists()
    result = kg(store_path, "--format", "csv", "-o", f"{tmp_path}/out/")
    assert (tmp_path / "out" / "nodes.csv").exists() and (tmp_path / "out" / "edges.csv").exists()


def test_around_exports_the_neighbourhood(store_path):
    result = kg(store_path, "--format", "cytoscape", "--around", "stellantis", "--depth", "1")
    labels = {n["data"]["label"] for n in json.loads(result.stdout)["elements"]["nodes"]}
    assert "Microsoft" in labels and "Ethan Cole" not in labels and "NASDAQ" not in labels
    result = kg(store_path, "--format", "cytoscape", "--around", "Microsoft Corporation", "--depth", "0")
    assert [n["data"]["label"] for n in json.loads(result.stdout)["elements"]["nodes"]] == ["Microsoft"]


def test_query_takes_text_or_a_file(store_path, tmp_path):
    text = "CONSTRUCT WHERE { ?a kg:formerPartnerOf ?b }"
    result = kg(store_path, "--format", "nt", "--query", text)
    assert result.exit_code == 0 and len(result.stdout.splitlines()) == 2
    query = tmp_path / "former.rq"
    query.write_text("PREFIX kg: <https://w3id.org/kg/ontology#>\n" + text)
    result = kg(store_path, "--format", "turtle", "--query", str(query))
    graph = rdflib.Graph().parse(data=result.stdout, format="turtle")
    assert len(graph) == 2


def test_an_empty_result_warns(store_path):
    result = kg(store_path, "--format", "turtle", "--query", "CONSTRUCT WHERE { ?a kg:acquires ?b }")
    assert result.exit_code == 0
    assert "the query's result is empty" in result.stderr


@pytest.mark.parametrize("args, message", [
    (["--format", "csv", "--around", "Stelantis"], "kg: error: no entity named 'Stelantis'; did you mean Stellantis?"),
    (["--format", "csv", "--around", "MS"], "kg: error: 'MS' names 2 entities: Microsoft (Company); Morgan Stanley (Company)"),
    (["--format", "csv", "--query", "SELECT * WHERE { ?s ?p ?o }"], "kg: error: the query is a SELECT query; export needs"),
    (["--format", "csv", "--query", "CONSTRUCT WHERE { ?s ?p "], "kg: error: SPARQL syntax error at line 1"),
    (["--format", "csv", "--query", "missing.rq"], "kg: error: missing.rq: no such query file"),
    (["--format", "html", "-o", "/nonexistent/dir/graph.html"], "kg: error: /nonexistent/dir/graph.html: cannot write: directory /nonexistent/dir does not exist"),
    (["--format", "csv", "-o", "/nonexistent/dir/graph.csv"], "kg: error: /nonexistent/dir/graph-nodes.csv: cannot write"),
])
def test_bad_input_is_one_line_and_exit_1(store_path, args, message):
    result = kg(store_path, *args)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.startswith(message)
    assert len(result.stderr.strip().splitlines()) == 1


def test_an_output_path_that_is_a_directory_is_an_error(store_path, tmp_path):
    result = kg(store_path, "--format", "gexf", "-o", str(tmp_path))
    assert result.exit_code == 1 and "is a directory" in result.stderr


def test_an_empty_or_missing_store_is_an_error(tmp_path):
    from kg.store import Store

    Store(tmp_path / "empty").close()
    result = kg(tmp_path / "empty", "--format", "turtle")
    assert result.exit_code == 1
    assert result.stderr.strip() == f"kg: error: {tmp_path / 'empty'}: the store is empty; build it first with `kg build ARTICLES`"
    result = kg(tmp_path / "nowhere", "--format", "turtle")
    assert result.exit_code == 1 and "no store here" in result.stderr


def test_an_unknown_format_is_a_usage_error(store_path):
    result = kg(store_path, "--format", "xml")
    assert result.exit_code == 2  # click's Choice: a usage error (spec/cli.md)
    assert "'xml' is not one of 'turtle', 'nt'" in result.stderr


def test_options_that_do_not_go_together(store_path):
    assert kg(store_path, "--format", "csv", "--depth", "2").exit_code == 2
    assert kg(store_path, "--format", "csv", "--around", "Stellantis", "--query", "CONSTRUCT WHERE {?s ?p ?o}").exit_code == 2


def test_export_reads_a_store_another_process_writes(store_path, tmp_path):
    import shutil

    from kg.store import Store

    copy = tmp_path / "store"
    shutil.copytree(store_path, copy)
    with Store(copy):  # open for writing, holding the lock
        result = kg(copy, "--format", "nt")
    assert result.exit_code == 0 and result.stdout.count("\n") > 100


def test_help_has_an_example():
    result = CliRunner().invoke(main, ["export", "--help"])
    assert result.exit_code == 0
    assert "Example:" in result.output and "kg export --format html -o graph.html" in result.output
    for fmt in FORMATS:
        assert fmt in result.output
