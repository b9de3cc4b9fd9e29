"""`kg query` on the seeds build: named queries, files and text, formats, and every bad input."""
from __future__ import annotations

import csv
import io
import json
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pyoxigraph as ox
import pytest

from .conftest import one_line_error
from kg.cli.query import FORMATS as CLI_FORMATS
from kg.queries import FORMATS, list_queries
from kg.store import Store

ROOT = Path(__file__).resolve().parents[2]
KG = ROOT / ".venv" / "bin" / "kg"
GRAPH_DATA = ROOT / "tests" / "data" / "graph"





def test_partners_of_stellantis(kg):
    result = kg("query", "partners", "--param", "entity=Stellantis")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["partner", "status", "articles", "files"]
    assert any(line.split()[:2] == ["Microsoft", "current"] for line in lines[2:])
    assert any(line.split()[:2] == ["Amazon", "former"] for line in lines[2:])
    assert lines[-1] == "(2 rows)"


def test_evidence_for_stellantis(kg):
    result = kg("query", "evidence", "-p", "entity=stellantis", "--format", "json")
    assert result.exit_code == 0, result.output
    bindings = json.loads(result.stdout)["results"]["bindings"]
    partner = [b for b in bindings if b["relation"]["value"].endswith("#partnersWith")]
    assert {b["article"]["value"] for b in partner} == {"000_ec105b93c477087b.txt", "002_bce34b61fba21d8d.txt"}
    assert all("Microsoft" in b["sentence"]["value"] for b in partner)


@pytest.mark.parametrize("query", list_queries(), ids=lambda q: q.name)
def test_every_named_query_example_runs(kg, query):
    for example in query.examples:
        args = example.split()[2:]  # drop "kg query"
        result = kg("query", *args)
        assert result.exit_code == 0, (example, result.output)
        assert result.stdout.splitlines()[-1].startswith("(")


def test_formats(kg):
    args = ("query", "partners", "--param", "entity=Stellantis", "--format")
    rows = list(csv.DictReader(io.StringIO(kg(*args, "csv").stdout)))
    assert {r["status"] for r in rows} == {"current", "former"}
    assert kg(*args, "tsv").stdout.startswith("?entity\t?partner\t")
    assert json.loads(kg(*args, "json").stdout)["head"]["vars"][:3] == ["entity", "partner", "status"]
    assert ET.fromstring(kg(*args, "xml").stdout).tag.endswith("sparql")
    construct = ("query", "CONSTRUCT WHERE { ?s kg:partnersWith ?o }")
    turtle = kg(*construct).stdout
    assert turtle.startswith("@prefix kg:")
    assert len(list(ox.parse(turtle, format=ox.RdfFormat.TURTLE))) >= 2
    assert len(list(ox.parse(kg(*construct, "-f", "nt").stdout, format=ox.RdfFormat.N_TRIPLES))) >= 2
    assert isinstance(json.loads(kg(*construct, "-f", "jsonld").stdout), list)
    assert kg("query", "ASK { ?s kg:formerPartnerOf ?o }").stdout == "true\n"
    assert CLI_FORMATS == FORMATS


def test_a_format_that_does_not_fit(kg):
    one_line_error(kg("query", "partners", "-p", "entity=Stellantis", "-f", "turtle"),
                   "SELECT results come as table, csv, tsv, json, xml, not turtle")
    one_line_error(kg("query", "CONSTRUCT WHERE { ?s kg:partnersWith ?o }", "-f", "csv"),
                   "CONSTRUCT and DESCRIBE results come as turtle, nt, jsonld, not csv")


def test_query_from_a_file_text_and_stdin(kg, tmp_path):
    path = tmp_path / "companies.rq"
    path.write_text("# Companies.\nSELECT ?name WHERE { ?c a kg:Company ; rdfs:label ?name } ORDER BY ?name\n")
    from_file = kg("query", str(path), "-f", "csv").stdout.splitlines()
    assert from_file[0] == "name" and {"Stellantis", "Microsoft", "Amazon"} <= set(from_file[1:])
    from_text = kg("query", "SELECT ?name WHERE { ?c a kg:Company ; rdfs:label ?name } ORDER BY ?name", "-f", "csv")
    assert from_text.stdout.splitlines() == from_file
    from_stdin = kg("query", "-", "-f", "csv", input=path.read_text())
    assert from_stdin.stdout.splitlines() == from_file


def test_params_on_undeclared_sparql(kg):
    text = "SELECT ?e ?name WHERE { ?e rdfs:label ?name }"
    assert kg("query", text, "-p", "name=Stellantis", "-f", "csv").stdout.count("/entity/Stellantis") == 1
    by_entity = kg("query", text, "-p", "e:entity=msft", "-f", "csv").stdout.splitlines()
    assert by_entity[1].endswith(",Microsoft")


def test_output_file(kg, tmp_path):
    target = tmp_path / "partners.csv"
    result = kg("query", "partners", "-p", "entity=Stellantis", "-f", "csv", "-o", str(target))
    assert result.exit_code == 0 and result.stdout == ""
    assert "current" in target.read_text()


@pytest.mark.parametrize("where", ["missing-dir/out.csv", "."])
def test_an_unwritable_output_path(kg, tmp_path, where):
    target = tmp_path / where
    one_line_error(kg("query", "partners", "-p", "entity=Stellantis", "-o", str(target)), str(target), "cannot write")


def test_list(kg):
    result = kg("query", "--list")
    assert result.exit_code == 0
    for q in list_queries():
        assert any(line.startswith(q.name + " ") for line in result.stdout.splitlines())
    assert "--param entity=…  (entity) the organization" in result.stdout
    listing = json.loads(kg("query", "--list", "--format", "json").stdout)
    partners = next(q for q in listing if q["name"] == "partners")
    assert partners["params"] == [{"name": "entity", "kind": "entity", "optional": False,
                                   "meaning": partners["params"][0]["meaning"]}]
    assert partners["example"] == "kg query partners --param entity=Stellantis"


# -- bad input: one clear line and exit status 1 ------------------------------------------------

def test_unknown_entity_suggests(kg):
    one_line_error(kg("query", "partners", "--param", "entity=Stellantsi"),
                   "no entity named 'Stellantsi'; did you mean Stellantis?")


def test_unknown_query_suggests(kg):
    one_line_error(kg("query", "partner", "--param", "entity=Stellantis"),
                   "no query named 'partner'", "did you mean partners")


def test_missing_parameter_is_named(kg):
    one_line_error(kg("query", "partners"), "query 'partners' needs parameter 'entity'", "--param entity=VALUE")


def test_unknown_parameter_is_named(kg):
    one_line_error(kg("query", "partners", "-p", "entity=Stellantis", "-p", "company=Amazon"),
                   "unknown parameter 'company' for query 'partners' (it takes: entity)")


def test_malformed_sparql_shows_line_column_and_caret(kg):
    result = kg("query", "SELECT ?s\nWHERE {\n  ?s ?p }")
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr.splitlines() == [
        "kg: error: SPARQL syntax error at line 3, column 10: expected one of LATERAL, SERVICE, [_]",
        "  3 |   ?s ?p }",
        "    |          ^",
    ]


def test_ambiguous_entity(kg, seeds_copy):
    with Store(seeds_copy) as store:
        store.load_articles(GRAPH_DATA / "deals.trig")
    one_line_error(kg("query", "partners", "-p", "entity=tvs", store=seeds_copy),
                   "'tvs' names 2 entities: Tarnvale Software (Company); Tarnvale Vehicle Suite (Product)")


@pytest.mark.parametrize("value", ['x" } ; DROP ALL #', "}", "a#b", "'", '"'])
def test_parameters_cannot_inject(kg, seeds_copy, value):
    with Store(seeds_copy, read_only=True) as store:
        before = store.dump()
    one_line_error(kg("query", "partners", "--param", f"entity={value}", store=seeds_copy), "no entity named")
    harmless = kg("query", "SELECT ?e ?name WHERE { ?e rdfs:label ?name }", "-p", f"name={value}", store=seeds_copy)
    assert harmless.exit_code == 0 and harmless.stdout.splitlines()[-1] == "(no rows)"
    with Store(seeds_copy, read_only=True) as store:
        assert store.dump() == before


def test_updates_are_refused(kg, seeds_copy):
    result = kg("query", "DROP ALL", store=seeds_copy)
    assert result.exit_code == 1 and "SPARQL syntax error" in result.stderr
    with Store(seeds_copy, read_only=True) as store:
        assert store.article_count() == 2


def test_empty_and_missing_stores(kg, tmp_path):
    Store(tmp_path / "empty").close()
    one_line_error(kg("query", "partners", "-p", "entity=Stellantis", store=tmp_path / "empty"),
                   "holds no articles; run `kg build ARTICLES` first")
    one_line_error(kg("query", "partners", "-p", "entity=Stellantis", store=tmp_path / "nowhere"),
                   "no store here")


def test_usage_errors_exit_2(kg):
    assert kg("query").exit_code == 2
    assert kg("query", "partners", "--param", "entity").exit_code == 2
    assert kg("query", "partners", "-p", "entity=a", "-p", "entity=b").exit_code == 2
    assert kg("query", "partners", "-f", "yaml").exit_code == 2


def test_help_has_an_example(kg):
    result = kg("query", "--help")
    assert result.exit_code == 0
    assert "Example:\n    kg query --list\n    kg query partners --param entity=Stellantis\n" in result.stdout


def test_the_installed_command(seeds_store_path):
    done = subprocess.run([str(KG), "--store", str(seeds_store_path), "query", "partners", "--param",
                           "entity=Stellantis", "--format", "csv"], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    assert {(r["partner"].rsplit("/", 1)[-1], r["status"]) for r in rows} >= {("Microsoft", "current"),
                                                                             ("Amazon", "former")}
    bad = subprocess.run([str(KG), "--store", str(seeds_store_path), "query", "SELECT ?s WHERE { ?s ?p }"],
                         capture_output=True, text=True, timeout=300)
    assert bad.returncode == 1 and bad.stdout == ""
    assert bad.stderr.splitlines()[0].startswith("kg: error: SPARQL syntax error at line 1, column 26")
