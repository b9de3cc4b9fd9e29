"""kg.queries and queries/: named SPARQL queries, safe parameters, and result formats.

Most tests run on the real seeds build (`seeds_kg`, `seeds_store_path`, `seeds_copy`); the
ownership and supply relations the seeds lack come from tests/data/graph/deals.trig, one
made-up article added to a copy of that build.
"""
from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.errors import AmbiguousEntityError, InputError, KGError, QuerySyntaxError, StoreError, UnknownEntityError
from kg.ontology import NS, classes, superclasses, symmetric_properties
from kg.queries import (
    FORMATS,
    PARAM_KINDS,
    QueryResult,
    list_queries,
    parse_query,
    resolve_query,
    run_query,
    syntax_error_excerpt,
)
from kg.resources import queries_dir
from kg.store import Store

GRAPH_DATA = Path(__file__).parent / "data" / "graph"
SEED_FILES = {"000_ec105b93c477087b.txt", "002_bce34b61fba21d8d.txt"}



@pytest.fixture
def store(seeds_store_path: Path):
    with Store(seeds_store_path, read_only=True) as s:
        yield s


@pytest.fixture
def deals_store(seeds_copy: Path):
    """The seeds build plus one article of acquisitions, stakes, subsidiaries and suppliers."""
    with Store(seeds_copy) as s:
        s.load_articles(GRAPH_DATA / "deals.trig")
        yield s


def labelled(result: QueryResult) -> list[dict[str, str]]:
    return result.records(labels=True)


# -- the library: every query documents itself and runs ----------------------------------------

LIBRARY = list_queries()


def test_the_library_has_the_questions_analysts_ask():
    names = {q.name for q in LIBRARY}
    assert {"partners", "evidence", "platforms", "partnerships", "shared-platforms", "people", "corporate-links",
            "mentions", "cooccurrence", "sources"} <= names
    assert [(p.name, p.kind, p.optional) for p in resolve_query("partners").params] == [("entity", "entity", False)]
    assert [(p.name, p.kind, p.optional) for p in resolve_query("evidence").params] == [("entity", "entity", False)]


@pytest.mark.parametrize("query", LIBRARY, ids=lambda q: q.name)
def test_each_query_header_has_description_params_and_example(query):
    first_line = query.text.splitlines()[0]
    assert first_line.startswith("# ") and first_line[2:] == query.description
    assert query.examples and all(e.startswith(f"kg query {query.name}") for e in query.examples)
    body = "\n".join(line for line in query.text.splitlines() if not line.lstrip().startswith("#"))
    projection = re.search(r"SELECT\s+(DISTINCT\s+)?(.*?)\bWHERE\b", body, re.S | re.I)
    for p in query.params:
        assert p.kind in PARAM_KINDS and p.meaning
        assert re.search(rf"\?{p.name}\b", body), f"{query.name}: ?{p.name} is declared but not used"
        # kg serve's /api/run binds by pyoxigraph substitutions, which bind only selected variables
        assert projection and re.search(rf"\?{p.name}\b", projection.group(2)), f"{query.name}: ?{p.name} not projected"
    for example in query.examples:
        given = dict(re.findall(r"--param (\w+)=(\S+)", example))
        assert set(given) <= {p.name for p in query.params}
        assert {p.name for p in query.params if not p.optional} <= set(given)


@pytest.mark.parametrize("query", LIBRARY, ids=lambda q: q.name)
def test_each_example_runs_on_the_seeds_build(store, query):
    for example in query.examples:
        params = dict(re.findall(r"--param (\w+)=(\S+)", example))
        result = run_query(store, query.name, params)
        assert result.kind == "select"
        assert result.variables
        if query.name != "corporate-links":  # the seeds state no ownership or supply links
            assert len(result) > 0, example


def test_the_queries_assumptions_about_the_ontology_hold():
    # mentions.rq and platforms.rq pick the most specific class knowing these are the only parents
    parents = {parent for c in classes() for parent in superclasses(c)}
    assert parents == {"Organization", "Product"}
    # sources.rq matches statements of these properties either way round
    sources = resolve_query("sources").text
    listed = set(re.findall(r"kg:(\w+)", sources.split("?p IN (", 1)[1].split(")", 1)[0]))
    assert listed == symmetric_properties()



def _given_variants(query) -> list[dict[str, str]]:
    given = [{p.name: {"entity": entity, "class": "Company", "property": "partnersWith", "string": other}[p.kind]
              for p in query.params} for entity, other in (("Stellantis", "Microsoft"), ("Microsoft", "Stellantis"))]
    return given + [{}] if all(p.optional for p in query.params) else given


@pytest.mark.parametrize("query", LIBRARY, ids=lambda q: q.name)
def test_each_query_means_the_same_bound_by_values_or_by_substitution(store, query):
    """kg binds parameters by VALUES blocks; kg serve's /api/run by pyoxigraph substitutions
    (under which BOUND() is false): an optional parameter, given or not, must filter alike."""
    from kg.ontology import PREFIXES
    from kg.queries import bind_params

    for given in _given_variants(query):
        bindings = bind_params(store, query, given)
        substituted = store.raw.query(query.text, prefixes=PREFIXES,
                                      substitutions={ox.Variable(k): v for k, v in bindings.items()} or None)
        names = [v.value for v in substituted.variables]
        expected = sorted(_row({n: row[n] for n in names if row[n] is not None}) for row in substituted)
        assert sorted(_row(row) for row in run_query(store, query, given).rows) == expected, given


def _row(row: dict) -> str:
    """A row as text, GROUP_CONCAT lists (in no defined order) sorted."""
    def text(term) -> str:
        return ", ".join(sorted(term.value.split(", "))) if isinstance(term, ox.Literal) else str(term)

    return json.dumps({n: text(t) for n, t in row.items()}, sort_keys=True)

# -- what each query answers on the seeds build ---------------------------------------------------

def test_partners_marks_current_and_former(store):
    rows = labelled(run_query(store, "partners", {"entity": "Stellantis"}))
    status = {r["partner"]: r["status"] for r in rows}
    assert status["Microsoft"] == "current"
    assert status["Amazon"] == "former"
    microsoft = next(r for r in rows if r["partner"] == "Microsoft")
    assert int(microsoft["articles"]) == 2 and set(microsoft["files"].split(", ")) == SEED_FILES


def test_partners_accepts_any_alias_in_any_case(store):
    for name in ("msft", "Microsoft Corporation", "MICROSOFT"):
        rows = labelled(run_query(store, "partners", {"entity": name}))
        assert {"partner": "Stellantis", "status": "current"}.items() <= next(
            r for r in rows if r["partner"] == "Stellantis").items()


def test_evidence_gives_each_relation_with_sentence_and_article(store):
    rows = labelled(run_query(store, "evidence", {"entity": "Stellantis"}))
    relations = {(r["subject"], r["relation"], r["object"]) for r in rows}
    assert ("Stellantis", "kg:usesPlatform", "Azure") in relations
    assert ("Stellantis", "kg:formerPartnerOf", "Amazon") in relations
    partner_rows = [r for r in rows if r["relation"] == "kg:partnersWith"]
    assert {r["article"] for r in partner_rows} == SEED_FILES
    for r in partner_rows:
        assert {r["subject"], r["object"]} == {"Stellantis", "Microsoft"}
        assert "Stellantis" in r["sentence"] and "Microsoft" in r["sentence"]
    # stored both ways, stated once: one row per evidence node, never its mirror image
    sentences = [(r["article"], r["sentence"]) for r in partner_rows]
    assert len(sentences) == len(set(sentences))
    amazon = next(r for r in rows if r["relation"] == "kg:formerPartnerOf")
    assert amazon["article"] == "002_bce34b61fba21d8d.txt" and "Amazon" in amazon["sentence"]


def test_platforms_lists_what_an_organization_uses_and_deploys(store):
    rows = labelled(run_query(store, "platforms", {"entity": "Stellantis"}))
    found = {(r["relation"], r["product"], r["class"]) for r in rows}
    assert ("kg:usesPlatform", "Azure", "Platform") in found
    assert ("kg:deploys", "Microsoft 365 Copilot", "Product") in found
    made = {(r["relation"], r["product"]) for r in labelled(run_query(store, "platforms", {"entity": "Microsoft"}))}
    assert ("kg:develops", "Azure") in made


def test_partnerships_give_participants_and_fields(store):
    rows = labelled(run_query(store, "partnerships", {"entity": "Stellantis"}))
    assert rows
    full = [r for r in rows if r.get("years") == "5" and r.get("initiatives") == "100"]
    assert full, rows
    assert set(full[0]["participants"].split(", ")) >= {"Stellantis", "Microsoft"}
    assert {"artificial intelligence", "cybersecurity"} <= set(full[0]["focus"].split(", "))
    assert {r["article"] for r in rows} <= SEED_FILES
    assert any(r.get("announced") == "--04-16" for r in rows)
    # without the parameter, every partnership; with an entity that takes part in none, nothing
    assert len(run_query(store, "partnerships")) >= len(rows)
    assert len(run_query(store, "partnerships", {"entity": "Sophie Leclerc"})) == 0


def test_shared_platforms_pairs_organizations_on_one_platform(store):
    rows = labelled(run_query(store, "shared-platforms"))
    pairs = {(r["platform"], frozenset({(r["organization"], r["relation"]), (r["other"], r["otherRelation"])}))
             for r in rows}
    assert ("Azure", frozenset({("Stellantis", "kg:usesPlatform"), ("Microsoft", "kg:develops")})) in pairs
    assert len(rows) == len(pairs)  # each pair once
    mine = labelled(run_query(store, "shared-platforms", {"entity": "Stellantis"}))
    assert mine and all(r["organization"] == "Stellantis" for r in mine)


def test_people_have_job_titles(store):
    rows = labelled(run_query(store, "people"))
    titles = {r["person"]: r.get("title") for r in rows}
    assert titles["Sophie Leclerc"] == "technology sector specialist"
    assert titles["Ethan Cole"] == "macroeconomics and central banks specialist"
    # nobody in the seeds is said to work for Microsoft
    assert len(run_query(store, "people", {"organization": "Microsoft"})) == 0


def test_corporate_links_on_the_seeds_and_with_a_deals_article(store, deals_store):
    seeds_rows = labelled(run_query(store, "corporate-links"))
    assert all(r["relation"] in {"kg:investsIn", "kg:acquires", "kg:subsidiaryOf", "kg:supplies"} for r in seeds_rows)
    rows = labelled(run_query(deals_store, "corporate-links", {"entity": "Stellantis"}))
    links = {(r["subject"], r["relation"], r["object"]) for r in rows}
    assert {("Stellantis", "kg:acquires", "Tarnvale Software"), ("Stellantis", "kg:investsIn", "Brightwater Batteries"),
            ("Tarnvale Software", "kg:subsidiaryOf", "Stellantis"),
            ("Brightwater Batteries", "kg:supplies", "Stellantis")} <= links
    assert {r["articles"] for r in rows} == {"003_stellantis_tarnvale.txt"}
    assert len(run_query(deals_store, "corporate-links", {"entity": "Amazon"})) == 0


def test_mentions_ranks_entities_by_articles(store):
    rows = labelled(run_query(store, "mentions"))
    counts = {r["entity"]: int(r["articles"]) for r in rows}
    assert counts["Stellantis"] == counts["Microsoft"] == 2
    assert counts["Amazon"] == 1
    assert [int(r["articles"]) for r in rows] == sorted((int(r["articles"]) for r in rows), reverse=True)
    assert len(rows) == len(counts)  # one row per entity, whatever its superclasses
    assert {r["entity"]: r["class"] for r in rows}["Azure"] == "Platform"
    companies = labelled(run_query(store, "mentions", {"type": "Company"}))
    assert {r["entity"] for r in companies} >= {"Stellantis", "Microsoft", "Amazon"}
    assert {r["class"] for r in companies} == {"Company"}
    organizations = {r["entity"] for r in labelled(run_query(store, "mentions", {"type": "Organization"}))}
    assert {"NASDAQ", "Microsoft"} <= organizations  # subclasses count


def test_cooccurrence_counts_shared_articles(store):
    rows = labelled(run_query(store, "cooccurrence", {"entity": "Stellantis"}))
    shared = {r["second"]: int(r["articles"]) for r in rows}
    assert shared["Microsoft"] == 2 and shared["Amazon"] == 1
    assert all(r["first"] == "Stellantis" for r in rows)
    every = labelled(run_query(store, "cooccurrence"))
    pairs = [frozenset({r["first"], r["second"]}) for r in every]
    assert frozenset({"Stellantis", "Microsoft"}) in pairs and len(pairs) == len(set(pairs))


def test_sources_give_the_articles_behind_a_fact(store):
    rows = labelled(run_query(store, "sources", {"s": "Stellantis", "p": "partnersWith", "o": "Microsoft"}))
    assert {r["article"] for r in rows} == SEED_FILES
    assert all("Microsoft" in r["sentence"] for r in rows)
    # symmetric: asked the other way round, the same statements
    mirrored = labelled(run_query(store, "sources", {"s": "msft", "p": "kg:partnersWith", "o": "stellantis"}))
    assert {r["sentence"] for r in mirrored} == {r["sentence"] for r in rows}
    # a literal object, and an object named by an alias
    ticker = labelled(run_query(store, "sources", {"s": "Microsoft", "p": "hasTicker", "o": "msft"}))
    assert {r["article"] for r in ticker} == {"000_ec105b93c477087b.txt"}
    platform = labelled(run_query(store, "sources", {"s": "Stellantis", "p": "usesPlatform", "o": "Microsoft Azure"}))
    assert platform and {r["object"] for r in platform} == {"Azure"}
    # not symmetric: the wrong way round says nothing
    assert len(run_query(store, "sources", {"s": "Azure", "p": "usesPlatform", "o": "Stellantis"})) == 0


def test_goals_tickers_and_articles(store):
    goals = labelled(run_query(store, "goals", {"entity": "Stellantis"}))
    assert any(r["change"] == "-60" and r["year"] == "2029" and "footprint" in r["metric"] for r in goals)
    tickers = labelled(run_query(store, "tickers"))
    assert {"organization": "Microsoft", "ticker": "MSFT"}.items() <= tickers[0].items()
    articles = labelled(run_query(store, "articles"))
    assert {r["file"] for r in articles} == SEED_FILES
    assert all(int(r["entities"]) > 0 and int(r["facts"]) > 0 for r in articles)


# -- parameters: typed, checked, never pasted into the query --------------------------------------

def test_a_missing_parameter_is_named(store):
    with pytest.raises(InputError, match=r"query 'partners' needs parameter 'entity' \(entity"):
        run_query(store, "partners")


def test_an_unknown_parameter_is_refused(store):
    with pytest.raises(InputError, match=r"unknown parameter 'who' for query 'partners' \(it takes: entity\)"):
        run_query(store, "partners", {"entity": "Stellantis", "who": "x"})
    with pytest.raises(InputError, match=r"query 'tickers' \(it takes: no parameters\)"):
        run_query(store, "tickers", {"entity": "Stellantis"})
    with pytest.raises(InputError, match=r"the query has no variable \?nope"):
        run_query(store, "SELECT ?s WHERE { ?s ?p ?o }", {"nope": "1"})


def test_an_unknown_entity_gets_suggestions(store):
    with pytest.raises(UnknownEntityError) as caught:
        run_query(store, "partners", {"entity": "Stellantsi"})
    assert str(caught.value) == "no entity named 'Stellantsi'; did you mean Stellantis?"


def test_an_ambiguous_entity_lists_the_candidates(deals_store):
    with pytest.raises(AmbiguousEntityError) as caught:
        run_query(deals_store, "partners", {"entity": "TVS"})
    assert caught.value.candidates == ["Tarnvale Software (Company)", "Tarnvale Vehicle Suite (Product)"]


def test_kinds_check_their_values(store):
    with pytest.raises(InputError, match="no kg property named 'partnerWith'; did you mean partnersWith"):
        run_query(store, "sources", {"s": "Stellantis", "p": "partnerWith", "o": "Microsoft"})
    with pytest.raises(InputError, match="no kg class named 'Compny'; did you mean Company"):
        run_query(store, "mentions", {"type": "Compny"})
    query = "SELECT ?n ?d ?when WHERE { VALUES (?n ?d ?when) { (1 1.5 \"2025-01-01\"^^xsd:date) } }"
    for bad, message in (({"n:integer": "ten"}, "not an integer"), ({"d:decimal": "1,5"}, "not a decimal"),
                         ({"when:date": "16 April"}, "not a date"), ({"n:colour": "red"}, "unknown kind 'colour'")):
        with pytest.raises(InputError, match=message):
            run_query(store, query, bad)
    assert len(run_query(store, query, {"n:integer": "1", "d:decimal": "1.5", "when:date": "2025-01-01"})) == 1


def test_undeclared_sparql_binds_strings_iris_and_explicit_kinds(store):
    by_string = run_query(store, "SELECT ?e ?name WHERE { ?e rdfs:label ?name }", {"name": "Stellantis"})
    assert by_string.column("e") == [by_string.column("e")[0]] and by_string.column("e")[0].endswith("/Stellantis")
    iri = by_string.column("e")[0]
    by_iri = run_query(store, "SELECT ?e ?name WHERE { ?e rdfs:label ?name }", {"e": f"<{iri}>"})
    assert by_iri.column("name") == ["Stellantis"]
    by_entity = run_query(store, "SELECT ?e ?name WHERE { ?e rdfs:label ?name }", {"e:entity": "msft"})
    assert by_entity.column("name") == ["Microsoft"]
    # a bound variable need not be in the SELECT clause (it is bound by VALUES, not substituted)
    unselected = run_query(store, "SELECT ?e WHERE { ?e rdfs:label ?name }", {"name": "Stellantis"})
    assert unselected.variables == ["e"] and unselected.column("e") == [iri]


INJECTIONS = ['x" } ; DROP ALL #', "x' } DELETE WHERE { ?s ?p ?o } #", "}}}", "# comment", '\\" . ?s ?p ?o . "']


@pytest.mark.parametrize("value", INJECTIONS)
def test_parameters_cannot_change_the_query(seeds_copy, value):
    with Store(seeds_copy) as writable:  # writable on purpose: nothing must be able to change it
        before = writable.dump()
        with pytest.raises(UnknownEntityError):
            run_query(writable, "partners", {"entity": value})
        as_string = run_query(writable, "SELECT ?e ?name WHERE { ?e rdfs:label ?name }", {"name": value})
        assert len(as_string) == 0
        found = run_query(writable, "sources", {"s": "Stellantis", "p": "partnersWith", "o": value})
        assert len(found) == 0
        assert writable.dump() == before


def test_updates_are_not_queries(seeds_copy):
    with Store(seeds_copy) as writable:
        before = len(writable)
        with pytest.raises(QuerySyntaxError):
            run_query(writable, "DROP ALL")
        assert len(writable) == before


# -- resolving what a query is --------------------------------------------------------------------

def test_a_query_is_a_name_a_file_or_text(store, tmp_path):
    path = tmp_path / "mine.rq"
    path.write_text("# Companies.\n# param: kind (class) — which class\nSELECT ?kind ?e WHERE { ?e a ?kind }\n")
    from_file = resolve_query(str(path))
    assert from_file.path == path and from_file.description == "Companies." and from_file.params[0].kind == "class"
    assert len(run_query(store, str(path), {"kind": "Company"})) >= 3
    assert resolve_query("partners").path == queries_dir() / "partners.rq" == resolve_query("partners.rq").path
    assert resolve_query("SELECT * WHERE { ?s ?p ?o }").path is None


def test_an_unknown_query_name_suggests_close_ones():
    with pytest.raises(InputError, match=r"no query named 'partner' in .*; did you mean partners"):
        resolve_query("partner")
    with pytest.raises(InputError, match="missing.rq: no such query file"):
        resolve_query("missing.rq")


def test_a_bad_param_line_names_file_and_line(tmp_path):
    path = tmp_path / "bad.rq"
    path.write_text("# Something.\n# param: who (person) — nobody\nSELECT ?who {}\n")
    with pytest.raises(InputError, match=r"bad.rq, line 2: unknown parameter kind 'person'"):
        resolve_query(str(path))


def test_header_parsing():
    q = parse_query("# One line.\n#\n# param: a (entity, optional) — first\n# param: b — second\n"
                    "# example: kg query x --param b=1\nSELECT ?a ?b {}\n", "x")
    assert q.description == "One line."
    assert [(p.name, p.kind, p.optional, p.meaning) for p in q.params] == [
        ("a", "entity", True, "first"), ("b", "string", False, "second")]
    assert q.examples == ("kg query x --param b=1",)


# -- errors ------------------------------------------------------------------------------------------

def test_a_syntax_error_gives_line_column_and_a_caret(store):
    text = "SELECT ?s\nWHERE {\n  ?s ?p }"
    with pytest.raises(QuerySyntaxError) as caught:
        run_query(store, text)
    e = caught.value
    assert (e.line, e.column) == (3, 10)
    assert str(e).startswith("SPARQL syntax error at line 3, column 10: ")
    assert syntax_error_excerpt(e) == "  3 |   ?s ?p }\n    |          ^"


def test_a_syntax_error_counts_columns_in_characters_for_the_caret(store):
    text = 'SELECT ?s WHERE { ?s ?p "Société" . ?q }'
    with pytest.raises(QuerySyntaxError) as caught:
        run_query(store, text)
    assert caught.value.column == len(text) + 1  # just after the end, counted in characters (not bytes)
    excerpt = syntax_error_excerpt(caught.value).splitlines()
    assert excerpt[1].index("^") == excerpt[0].index("}") + 1


def test_an_unknown_prefix_is_named(store):
    with pytest.raises(QuerySyntaxError, match=r"line 1, column \d+: unknown prefix 'foaf:' \(predeclared: kg, "):
        run_query(store, "SELECT ?s WHERE { ?s foaf:name ?n }")


def test_a_broken_query_file_is_named(store, tmp_path):
    path = tmp_path / "broken.rq"
    path.write_text("# Broken.\nSELECT ?s WHERE {\n  ?s foo:bar ?o }\n")
    with pytest.raises(QuerySyntaxError) as caught:
        run_query(store, str(path))
    assert str(caught.value).startswith(f"{path}: SPARQL syntax error at line 3, column 13: unknown prefix 'foo:'")
    assert syntax_error_excerpt(caught.value) == "  3 |   ?s foo:bar ?o }\n    |             ^"


def test_an_error_at_the_end_shows_the_last_line(store):
    with pytest.raises(QuerySyntaxError) as caught:
        run_query(store, "SELECT ?s WHERE {\n  ?s ?p ?o\n\n")
    assert syntax_error_excerpt(caught.value) == "  2 |   ?s ?p ?o\n    |           ^"


def test_an_empty_store_says_so(tmp_path):
    with Store(tmp_path / "empty") as empty:
        with pytest.raises(StoreError, match=r"store .*empty holds no articles; run `kg build ARTICLES` first"):
            run_query(empty, "partners", {"entity": "Stellantis"})


def test_every_error_is_a_kgerror_on_one_line(store):
    for query, params in (("partners", {}), ("nope", {}), ("partners", {"entity": "Nobody"}),
                          ("SELECT ?s WHERE {", {}), ("partners", {"x": "1"})):
        with pytest.raises(KGError) as caught:
            run_query(store, query, params)
        assert "\n" not in str(caught.value)


# -- results and formats ------------------------------------------------------------------------

@pytest.fixture
def partners(store) -> QueryResult:
    return run_query(store, "partners", {"entity": "Stellantis"})


def test_table_is_aligned_with_labels_and_without_parameter_columns(partners):
    lines = partners.to_table().splitlines()
    assert lines[0].split() == ["partner", "status", "articles", "files"]
    assert set(lines[1]) <= {"-", " "}
    starts = [m.start() for m in re.finditer(r"\S+", lines[0])]
    for line in lines[2:-1]:
        assert all(line[i - 1] == " " for i in starts[1:])  # columns line up
    assert any(line.startswith("Microsoft ") and " current " in line for line in lines)
    assert lines[-1] == "(2 rows)" or re.fullmatch(r"\(\d+ rows\)", lines[-1])
    assert "https://" not in partners.to_table()


def test_table_wraps_to_a_width(store):
    result = run_query(store, "evidence", {"entity": "Stellantis"})
    assert max(len(line) for line in result.to_table(width=100).splitlines()) <= 100
    assert max(len(line) for line in result.to_table().splitlines()) > 100


def test_json_csv_tsv_xml_are_sparql_results(partners):
    data = json.loads(partners.serialize("json"))
    assert data["head"]["vars"] == ["entity", "partner", "status", "articles", "files"]
    assert {b["partner"]["value"].rsplit("/", 1)[-1] for b in data["results"]["bindings"]} >= {"Microsoft", "Amazon"}
    rows = list(csv.DictReader(io.StringIO(partners.serialize("csv").decode())))
    assert {r["status"] for r in rows} == {"current", "former"}
    tsv = partners.serialize("tsv").decode().splitlines()
    assert tsv[0] == "?entity\t?partner\t?status\t?articles\t?files" and "<https://" in tsv[1]
    root = ET.fromstring(partners.serialize("xml"))
    assert root.tag == "{http://www.w3.org/2005/sparql-results#}sparql"
    assert len(root.findall(".//{http://www.w3.org/2005/sparql-results#}result")) == len(partners)


def test_ask_results(store):
    yes = run_query(store, "ASK { ?s kg:partnersWith ?o }")
    assert yes.kind == "ask" and bool(yes) and yes.to_table() == "true"
    assert json.loads(yes.serialize("json")) == {"head": {}, "boolean": True}
    assert ET.fromstring(yes.serialize("xml")).find("{http://www.w3.org/2005/sparql-results#}boolean").text == "true"
    assert not run_query(store, "ASK { ?s kg:acquires kg:Nothing }")


def test_construct_results_as_turtle_nt_and_jsonld(store):
    result = run_query(store, "CONSTRUCT { ?s kg:partnersWith ?o } WHERE { ?s kg:partnersWith ?o }")
    assert result.kind == "graph" and result.default_format == "turtle" and len(result) >= 2
    turtle = result.serialize()
    assert b"@prefix kg: <https://w3id.org/kg/ontology#>" in turtle and b"@prefix schema:" not in turtle
    for fmt, rdf in (("turtle", ox.RdfFormat.TURTLE), ("nt", ox.RdfFormat.N_TRIPLES), ("jsonld", ox.RdfFormat.JSON_LD)):
        back = {(q.subject, q.predicate, q.object) for q in ox.parse(result.serialize(fmt), format=rdf)}
        assert back == {(t.subject, t.predicate, t.object) for t in result.triples}
    described = run_query(store, "DESCRIBE ?e WHERE { ?e rdfs:label \"Stellantis\" }")
    assert described.kind == "graph" and any(t.predicate.value == NS + "partnersWith" for t in described)


def test_a_format_that_does_not_fit_is_refused(store, partners):
    with pytest.raises(InputError, match="SELECT results come as table, csv, tsv, json, xml, not turtle"):
        partners.serialize("turtle")
    graph = run_query(store, "CONSTRUCT WHERE { ?s kg:partnersWith ?o }")
    with pytest.raises(InputError, match="CONSTRUCT and DESCRIBE results come as turtle, nt, jsonld, not csv"):
        graph.serialize("csv")
    with pytest.raises(InputError, match="unknown format 'yaml'"):
        partners.serialize("yaml")
    assert set(FORMATS) == {"table", "csv", "tsv", "json", "xml", "turtle", "nt", "jsonld"}


def test_the_python_api_delegates_here(seeds_kg):
    result = seeds_kg.query("partners", params={"entity": "Stellantis"})
    assert "Microsoft" in result.column("partner", labels=True)


# -- exact answers on a hand-made graph (tests/data/graph/seeds-like.trig), whatever extraction does --

@pytest.fixture(scope="module")
def seeds_like() -> Store:
    store = Store(None)
    store.load_articles(GRAPH_DATA / "seeds-like.trig")
    return store


def test_exact_answers_on_the_hand_made_graph(seeds_like):
    def rows(name, params=None, *columns):
        return [tuple(r.get(c, "") for c in columns) for r in labelled(run_query(seeds_like, name, params or {}))]

    assert rows("partners", {"entity": "Stellantis"}, "partner", "status", "articles") == [
        ("Microsoft", "current", "2"), ("Amazon", "former", "1")]
    assert rows("platforms", {"entity": "Stellantis"}, "relation", "product", "class") == [
        ("kg:deploys", "Microsoft 365 Copilot", "Product"), ("kg:usesPlatform", "Azure", "Platform")]
    assert rows("shared-platforms", {}, "platform", "organization", "other") == [("Azure", "Microsoft", "Stellantis")]
    assert rows("people", {}, "person", "title") == [
        ("Ethan Cole", "macroeconomics and central banks specialist"),
        ("Sophie Leclerc", "technology sector specialist")]
    assert rows("tickers", {}, "organization", "ticker", "exchange") == [("Microsoft", "MSFT", "NASDAQ")]
    assert rows("goals", {}, "organization", "metric", "change", "year") == [
        ("Stellantis", "data centre footprint", "-60", "2029")]
    evidence = rows("evidence", {"entity": "Stellantis"}, "subject", "relation", "object", "article")
    assert len(evidence) == len(set(evidence)) == 6  # partnersWith and usesPlatform twice, deploys, formerPartnerOf
    assert evidence.count(("Stellantis", "kg:partnersWith", "Microsoft", "000_ec105b93c477087b.txt")) == 1
    assert rows("corporate-links") == []
