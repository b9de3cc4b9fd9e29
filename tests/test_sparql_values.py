"""kg.sparql_values: variables bound by VALUES blocks give what pyoxigraph's substitutions give."""
from __future__ import annotations

import pyoxigraph as ox
import pytest

from kg.errors import QuerySyntaxError
from kg.sparql_values import bind_values, scan, values_block
from kg.store import Store

EX = "http://example.org/"
ACME, GLOBEX, INITECH = (ox.NamedNode(EX + n) for n in ("Acme", "Globex", "Initech"))
P, Q, LABEL = ox.NamedNode(EX + "p"), ox.NamedNode(EX + "q"), ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")


@pytest.fixture(scope="module")
def store() -> ox.Store:
    s = ox.Store()
    g1, g2 = ox.NamedNode(EX + "g1"), ox.NamedNode(EX + "g2")
    for subject, predicate, obj, graph in [
        (ACME, P, GLOBEX, g1), (GLOBEX, P, INITECH, g1), (INITECH, P, ACME, g2), (ACME, Q, INITECH, g2),
        (ACME, LABEL, ox.Literal("Acme"), g1), (GLOBEX, LABEL, ox.Literal('Globex "the } brace" # co'), g1),
    ]:
        s.add(ox.Quad(subject, predicate, obj, graph))
        s.add(ox.Quad(subject, predicate, obj, ox.DefaultGraph()))
    return s


def rows(result) -> list[tuple[str, ...]]:
    if isinstance(result, ox.QueryBoolean):
        return [(str(bool(result)),)]
    if isinstance(result, ox.QueryTriples):
        return sorted((str(t),) for t in result)
    names = [v.value for v in result.variables]
    return sorted(tuple(str(row[n]) if row[n] is not None else "-" for n in names) for row in result)


# each binds ?e: a FILTER in a UNION branch, a GRAPH group and an OPTIONAL, subqueries, EXISTS,
# BIND, a CONSTRUCT WHERE, an ASK, strings and comments that look like query text
SAME_AS_SUBSTITUTION = [
    "SELECT ?e ?x WHERE { { ?e <http://example.org/p> ?x } UNION { ?x <http://example.org/p> ?y FILTER(?y = ?e) } }",
    "SELECT ?e ?g ?x WHERE { GRAPH ?g { ?x ?p ?y FILTER(?y != ?e) } }",
    "SELECT ?e ?x ?z WHERE { ?x <http://example.org/p> ?y OPTIONAL { ?y ?p ?z FILTER(?z = ?e) } }",
    "SELECT ?e ?n WHERE { { SELECT ?e (COUNT(*) AS ?n) WHERE { ?e ?p ?o FILTER(?o != ?e) } GROUP BY ?e } }",
    "SELECT ?e ?n WHERE { { SELECT (COUNT(*) AS ?n) WHERE { ?e ?p ?o } } }",  # a ?e of the subquery's own
    "SELECT ?e ?x WHERE { ?e ?p ?x { SELECT * WHERE { ?x ?q ?e } } }",
    "SELECT ?e ?x WHERE { ?x ?p ?y FILTER EXISTS { ?y ?q ?e } }",
    "SELECT ?e ?x WHERE { ?x ?p ?y . BIND(?y = ?e AS ?same) FILTER(?same) }",
    "CONSTRUCT WHERE { ?e ?p ?o }",
    "ASK { ?e <http://example.org/q> ?o }",
    'SELECT ?e ?name WHERE { ?e rdfs:label ?name FILTER(?name != "?e { # }") } # ?e {',
]


@pytest.mark.parametrize("query", SAME_AS_SUBSTITUTION)
@pytest.mark.parametrize("term", [ACME, INITECH])
def test_values_give_what_substitutions_give(store, query, term):
    prefixes = {"rdfs": "http://www.w3.org/2000/01/rdf-schema#"}
    expected = rows(store.query(query, prefixes=prefixes, substitutions={ox.Variable("e"): term}))
    assert rows(store.query(bind_values(query, {"e": term}), prefixes=prefixes)) == expected


def test_the_block_goes_to_the_top_and_where_an_expression_needs_it():
    query = ("SELECT ?e WHERE { ?e ?p ?o . { ?o ?q ?e } UNION { ?o ?q ?x FILTER(?x = ?e) }"
             " { SELECT ?o ?e WHERE { ?o ?r ?e } } { SELECT ?o WHERE { ?o ?s ?e } } OPTIONAL { ?o ?t ?u } }")
    groups = scan(query, ["e"]).groups
    top, union_filter, subquery = (query.index("{"), query.index("{ ?o ?q ?x"), query.index("{ ?o ?r ?e"))
    assert groups == {top: ["e"], union_filter: ["e"], subquery: ["e"]}
    # a group that only joins on the variable is left to the join with the top; a subquery that
    # does not project it has an ?e of its own


def test_only_the_variables_a_group_uses_are_bound_there():
    query = "SELECT * WHERE { ?a ?p ?b { ?b ?q ?c FILTER(?c != ?b) } }"
    text = bind_values(query, {"a": ACME, "b": GLOBEX})
    assert text.count("VALUES (?a ?b)") == 1 and text.count("VALUES (?b) {") == 1


def test_strings_iris_and_comments_are_not_read_as_query_text():
    query = 'SELECT ?e WHERE { ?e ?p "{ FILTER(?e) }" . ?e ?q <http://example.org/{?e}> # { ?e\n }'
    assert list(scan(query, ["e"]).groups) == [query.index("{")]


@pytest.mark.parametrize("value", ['x" } ; DROP ALL #', "x' } DELETE WHERE { ?s ?p ?o } #", "}}}",
                                   '\\" . ?s ?p ?o . "', "a\nb", 'Globex "the } brace" # co'])
def test_a_value_cannot_change_the_query(store, value):
    query = "SELECT ?name ?e WHERE { ?e rdfs:label ?name }"
    prefixes = {"rdfs": "http://www.w3.org/2000/01/rdf-schema#"}
    found = rows(store.query(bind_values(query, {"name": ox.Literal(value)}), prefixes=prefixes))
    assert found == ([(str(ox.Literal(value)), str(GLOBEX))] if value.startswith("Globex") else [])


def test_only_plain_names_and_iris_or_literals_can_be_bound():
    with pytest.raises(ValueError, match="bad variable name"):
        values_block({"e) } DROP ALL { (": ACME})
    with pytest.raises(ValueError, match="only IRIs and literals"):
        values_block({"e": ox.BlankNode("b1")})
    assert values_block({}) == ""


def test_a_query_without_a_where_pattern_gets_one():
    text = bind_values("DESCRIBE ?e", {"e": ACME})
    assert text.startswith("DESCRIBE ?e\nWHERE {") and "<http://example.org/Acme>" in text


# -- the embedded store binds this way ----------------------------------------------------------

def test_the_store_binds_by_values_and_blank_nodes_by_substitution():
    store = Store(None)
    store.add_articles([(EX + "g1", [ox.Triple(ACME, P, GLOBEX), ox.Triple(GLOBEX, P, INITECH)])])
    # a bound variable need not be selected: pyoxigraph's substitutions refuse that, VALUES do not
    assert [r["x"] for r in store.select("SELECT ?x WHERE { ?e ?p ?x }", substitutions={"e": ACME})] == [GLOBEX]
    assert store.select("SELECT ?b ?x WHERE { ?b ?p ?x }", substitutions={"b": ox.BlankNode("b1")}) == []


def test_a_syntax_error_is_placed_in_the_query_as_given():
    store = Store(None)
    with pytest.raises(QuerySyntaxError) as caught:
        store.query("SELECT ?e WHERE {\n  ?e ?p ?o ?x }", substitutions={"e": ACME})
    assert caught.value.line == 2 and caught.value.column is not None and caught.value.column <= 16
