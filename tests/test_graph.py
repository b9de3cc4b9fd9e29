"""kg.graph: the projection to entities and relations, its cache, neighbors, paths, centrality.

Most tests run on tests/data/projection/graph.trig (a hand-written build result; its header
says what it exercises), loaded into a real on-disk store; the last ones run on the seeds build.
"""
from __future__ import annotations

import itertools
import os
import shutil
from pathlib import Path

import networkx as nx
import pyoxigraph as ox
import pytest

from kg.errors import AmbiguousEntityError, InputError, StoreError, UnknownEntityError
from kg.graph import (
    Projection,
    build_projection,
    central,
    cache,
    load_trig,
    neighbors,
    paths,
    projection,
)
from kg.graph.centrality import betweenness, pagerank, simple_neighbors
from kg.store import Store

FIXTURE = Path(__file__).resolve().parent / "data" / "projection" / "graph.trig"
E = "https://w3id.org/kg/id/entity/"
A1 = "https://w3id.org/kg/id/article/a1a1a1a1a1a1a1a1"
A2 = "https://w3id.org/kg/id/article/b2b2b2b2b2b2b2b2"
NEW_ARTICLE = """
@prefix kg: <https://w3id.org/kg/ontology#> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix e: <https://w3id.org/kg/id/entity/> . @prefix art: <https://w3id.org/kg/id/article/> .
art:d4d4d4d4d4d4d4d4 {
  art:d4d4d4d4d4d4d4d4 a kg:Article ; kg:fileName "004.txt" ; kg:sha256 "d4" .
  e:Nova_Labs a kg:Company , kg:Organization ; rdfs:label "Nova Labs" ; kg:mentionedIn art:d4d4d4d4d4d4d4d4 ;
      kg:supplies e:Orbital_Motors .
  e:Orbital_Motors a kg:Company , kg:Organization ; rdfs:label "Orbital Motors" ; kg:mentionedIn art:d4d4d4d4d4d4d4d4 .
}
"""


@pytest.fixture(scope="module")
def fixture_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An on-disk store holding the fixture's three articles (closed)."""
    path = tmp_path_factory.mktemp("projection") / "store"
    with Store(path) as store:
        load_trig(store, FIXTURE.read_text())
    return path


@pytest.fixture(scope="module")
def store(fixture_path: Path):
    with Store(fixture_path, read_only=True) as s:
        yield s


@pytest.fixture
def fresh(fixture_path: Path, tmp_path: Path) -> Path:
    """A writable copy of the fixture store, without any cache file."""
    target = tmp_path / "store"
    shutil.copytree(fixture_path, target)
    return target


def edges_by_label(p: Projection) -> dict[tuple[str, str, str], tuple]:
    return {(p.labels[s], prop, p.labels[o]): (sym, ev, tuple(p.articles[a] for a in arts))
            for s, o, prop, sym, ev, arts in p.edges}


# -- the projection ------------------------------------------------------------------------

def test_every_entity_is_a_node_with_its_label_leaf_type_aliases_and_literal_relations(store):
    p = projection(store)
    assert sorted(p.labels) == sorted([
        "Ada Park", "Ben Okoro", "Brightwater Energy", "Cumulus Cloud", "Cumulus Systems", "Helix Batteries",
        "Helix One", "Orbital Motors", "Quiet Holdings", "Tarnvale", "software-defined vehicles",
        "solid-state batteries"])
    orbital = p.index[E + "Orbital_Motors"]
    assert p.types[orbital] == "Company"  # the leaf, not Organization
    assert p.aliases[orbital] == ("Orbital", "Orbital Motors Inc.", "ORBM")  # case-insensitive order
    assert p.attributes[orbital] == {"hasTicker": ("ORBM",)}
    assert p.mentions[orbital] == 2
    ada = p.index[E + "Ada_Park"]
    assert (p.types[ada], p.attributes[ada]) == ("Person", {"jobTitle": ("chief executive",)})
    assert p.types[p.index[E + "Cumulus_Cloud"]] == "Platform"


def test_edges_are_the_relations_between_entities_and_nothing_else(store):
    edges = edges_by_label(projection(store))
    assert set(edges) == {
        ("Ada Park", "worksFor", "Orbital Motors"),
        ("Ben Okoro", "worksFor", "Cumulus Systems"),
        ("Brightwater Energy", "competesWith", "Helix Batteries"),
        ("Brightwater Energy", "supplies", "Orbital Motors"),
        ("Brightwater Energy", "focusesOn", "solid-state batteries"),  # an organization's own focus
        ("Cumulus Systems", "develops", "Cumulus Cloud"),
        ("Cumulus Systems", "investsIn", "Orbital Motors"),
        ("Cumulus Systems", "partnersWith", "Orbital Motors"),
        ("Helix Batteries", "develops", "Helix One"),
        ("Helix Batteries", "headquarteredIn", "Tarnvale"),
        ("Orbital Motors", "usesPlatform", "Cumulus Cloud"),
        ("Orbital Motors", "headquarteredIn", "Tarnvale"),
    }
    # no participant / hasGoal / the partnership's focusesOn, no provenance
    assert not {prop for _, prop, _ in edges} & {"participant", "hasGoal", "mentionedIn", "evidence"}
    assert not any("software-defined vehicles" in (s, o) for s, _, o in edges)


def test_a_symmetric_relation_stored_both_ways_is_one_edge_with_the_evidence_of_both_articles(store):
    edges = edges_by_label(projection(store))
    assert edges[("Cumulus Systems", "partnersWith", "Orbital Motors")] == (True, 2, (A1, A2))
    assert ("Orbital Motors", "partnersWith", "Cumulus Systems") not in edges
    assert edges[("Cumulus Systems", "investsIn", "Orbital Motors")] == (False, 1, (A2,))
    assert edges[("Brightwater Energy", "competesWith", "Helix Batteries")] == (True, 1, (A2,))


def test_to_networkx_keeps_ids_attributes_and_one_edge_per_relation(store):
    g = projection(store).to_networkx()
    assert g.number_of_nodes() == 12 and g.number_of_edges() == 12
    node = g.nodes[E + "Orbital_Motors"]
    assert (node["label"], node["type"], node["hasTicker"]) == ("Orbital Motors", "Company", ["ORBM"])
    assert set(g[E + "Cumulus_Systems"][E + "Orbital_Motors"]) == {"partnersWith", "investsIn"}
    edge = g.edges[E + "Cumulus_Systems", E + "Orbital_Motors", "partnersWith"]
    assert edge == {"property": "partnersWith", "symmetric": True, "evidence": 2, "articles": [A1, A2]}


def test_the_projection_state_survives_marshal(store):
    import marshal

    p = projection(store)
    again = Projection.from_state(marshal.loads(marshal.dumps(p.state())))
    assert (again.iris, again.edges, again.index) == (p.iris, p.edges, p.index)
    assert [list(again.incident(i)) for i in range(len(p))] == [list(p.incident(i)) for i in range(len(p))]
    with pytest.raises(ValueError):
        Projection.from_state(("something else",))


# -- neighbors -------------------------------------------------------------------------------

def test_neighbors_at_depth_one_list_each_entity_with_the_relations_joining_it(store):
    around = neighbors(store, "orbital motors inc.")  # any alias, any case
    assert around.center.label == "Orbital Motors" and around.depth == 1
    got = [(n.hop, n.entity.label, n.entity.type, [(h.source.label, h.property, h.direction) for h in n.via])
           for n in around.neighbors]
    assert got == [
        (1, "Ada Park", "Person", [("Orbital Motors", "worksFor", "backward")]),
        (1, "Brightwater Energy", "Company", [("Orbital Motors", "supplies", "backward")]),
        (1, "Cumulus Cloud", "Platform", [("Orbital Motors", "usesPlatform", "forward")]),
        (1, "Cumulus Systems", "Company", [("Orbital Motors", "investsIn", "backward"),
                                           ("Orbital Motors", "partnersWith", "symmetric")]),
        (1, "Tarnvale", "Place", [("Orbital Motors", "headquarteredIn", "forward")]),
    ]
    ada = around.neighbors[0].via[0]
    assert str(ada) == "Orbital Motors ←worksFor— Ada Park"
    assert (ada.evidence, ada.articles) == (1, (A1,))


def test_neighbors_at_depth_two_reach_further_and_keep_every_relation_from_the_hop_before(store):
    around = neighbors(store, "Orbital Motors", depth=2)
    second = {n.entity.label: n for n in around.neighbors if n.hop == 2}
    assert set(second) == {"Ben Okoro", "Helix Batteries", "solid-state batteries"}
    assert [str(h) for h in second["Helix Batteries"].via] == [
        "Brightwater Energy —competesWith→ Helix Batteries",
        "Tarnvale ←headquarteredIn— Helix Batteries",
    ]
    # the relations among the center and the neighbors, each once
    assert len(around.relations) == 11
    assert len({(r.source.iri, r.property, r.target.iri) for r in around.relations}) == 11
    assert "Cumulus Cloud" not in second  # already at hop 1 (Cumulus Systems develops it too)


def test_a_large_depth_stops_at_the_edge_of_the_component(store):
    assert len(neighbors(store, "Orbital Motors", depth=50).neighbors) == 9
    assert neighbors(store, "Quiet Holdings").neighbors == ()


def test_neighbors_table_and_json(store):
    around = neighbors(store, "Tarnvale")
    assert around.to_text().splitlines() == [
        "Tarnvale (Place): 2 entities within 1 hop",
        "",
        "hop  entity           type     via",
        "---  ---------------  -------  --------------------------",
        "1    Helix Batteries  Company  Tarnvale ←headquarteredIn—",
        "1    Orbital Motors   Company  Tarnvale ←headquarteredIn—",
    ]
    data = around.to_dict()
    assert data["neighbors"][0]["via"][0] == {
        "from": {"iri": E + "Tarnvale", "label": "Tarnvale", "type": "Place"},
        "property": "headquarteredIn", "direction": "backward", "evidence": 1, "articles": [A2]}


def test_depth_must_be_at_least_one(store):
    with pytest.raises(InputError, match="depth must be 1 or more"):
        neighbors(store, "Orbital Motors", depth=0)


# -- paths -----------------------------------------------------------------------------------

def test_two_relations_between_one_pair_make_two_shortest_chains(store):
    found = paths(store, "Ada Park", "Ben Okoro")
    assert (found.length, found.total) == (3, 2)
    assert [str(c) for c in found.chains] == [
        "Ada Park —worksFor→ Orbital Motors ←investsIn— Cumulus Systems ←worksFor— Ben Okoro",
        "Ada Park —worksFor→ Orbital Motors —partnersWith→ Cumulus Systems ←worksFor— Ben Okoro",
    ]
    hop = found.chains[1].hops[1]
    assert (hop.property, hop.direction, hop.evidence, hop.articles) == ("partnersWith", "symmetric", 2, (A1, A2))


def test_every_shortest_route_is_found_in_label_order(store):
    found = paths(store, "Orbital Motors", "HELIX BATTERIES")
    assert [str(c) for c in found.chains] == [
        "Orbital Motors ←supplies— Brightwater Energy —competesWith→ Helix Batteries",
        "Orbital Motors —headquarteredIn→ Tarnvale ←headquarteredIn— Helix Batteries",
    ]
    assert [e.label for e in found.chains[1].entities] == ["Orbital Motors", "Tarnvale", "Helix Batteries"]


def test_limit_caps_the_chains_listed_not_the_count(store):
    found = paths(store, "Ada Park", "Ben Okoro", limit=1)
    assert (len(found.chains), found.total) == (1, 2)
    assert found.to_text().startswith("1 of 2 shortest chains of 3 hops from Ada Park (Person) to Ben Okoro (Person):")
    with pytest.raises(InputError):
        paths(store, "Ada Park", "Ben Okoro", limit=0)


def test_no_chain_and_the_same_entity(store):
    none = paths(store, "Quiet Holdings", "Orbital Motors")
    assert (none.found, none.length, none.total, none.chains) == (False, None, 0, ())
    assert none.to_text() == "no chain of relations joins Quiet Holdings (Company) and Orbital Motors (Company)"
    same = paths(store, "Orbital", "ORBM")
    assert (same.length, same.total, str(same.chains[0])) == (0, 1, "Orbital Motors")


def test_paths_agree_with_networkx_all_shortest_paths_for_every_pair(store):
    p = projection(store)
    undirected = p.to_networkx().to_undirected(as_view=False)
    for a, b in itertools.permutations(range(len(p)), 2):
        found = paths(store, f"<{p.iris[a]}>", f"<{p.iris[b]}>", limit=None)
        try:
            expected = {tuple(x) for x in nx.all_shortest_paths(undirected, p.iris[a], p.iris[b])}
        except nx.NetworkXNoPath:
            expected = set()
        assert {tuple(e.iri for e in c.entities) for c in found.chains} == expected
        assert found.total == len(found.chains)


@pytest.mark.parametrize("seed", range(4))
def test_the_two_ended_search_finds_the_same_walks_as_networkx_on_random_graphs(seed):
    import random

    from kg.graph.projection import _array
    from kg.graph.traverse import shortest_path_dag

    rng = random.Random(seed)
    graph = nx.barabasi_albert_graph(120, 1, seed=seed)  # a tree with hubs ...
    graph.add_edges_from(rng.sample(list(itertools.combinations(range(120), 2)), 25))  # ... and some cycles
    pairs = list(graph.edges()) + rng.sample(list(graph.edges()), 10)  # some parallel relations
    p = Projection([str(i) for i in range(120)], [str(i) for i in range(120)], ["Company"] * 120, {}, {},
                   _array([1] * 120), ["partnersWith"], [True], _array(s for s, _ in pairs),
                   _array(o for _, o in pairs), property_ids(len(pairs)), _array([1] * len(pairs)),
                   _array(range(len(pairs) + 1)), _array([0] * len(pairs)), ["a"])
    for a, b in rng.sample(list(itertools.permutations(range(120), 2)), 300):
        succ, position = shortest_path_dag(p, a, b)
        walks, todo = set(), [(a, (a,))]
        while todo:
            u, trail = todo.pop()
            if u == b:
                walks.add(trail)
            todo.extend((v, (*trail, v)) for v, _ in succ.get(u, []))
        assert walks == {tuple(x) for x in nx.all_shortest_paths(graph, a, b)}
        assert all(position[v] == i for w in walks for i, v in enumerate(w))


def property_ids(n: int):
    from array import array

    return array("B", [0] * n)


def test_unknown_and_ambiguous_names_raise_with_suggestions_and_candidates(store):
    with pytest.raises(UnknownEntityError, match="did you mean Orbital Motors"):
        neighbors(store, "Orbital Motor")
    with pytest.raises(AmbiguousEntityError) as info:
        paths(store, "HX", "Orbital Motors")
    assert info.value.candidates == ["Helix Batteries (Company)", "Helix One (Product)"]
    assert paths(store, "HX (Product)", "Helix Batteries").length == 1


# -- centrality ------------------------------------------------------------------------------

def test_central_ranks_by_pagerank_and_reports_degree_and_betweenness(store):
    report = central(store, top=3)
    assert [c.entity.label for c in report.ranking] == ["Orbital Motors", "Helix Batteries", "Brightwater Energy"]
    assert (report.entities, report.relations, report.betweenness_samples) == (12, 12, None)
    assert report.ranking[0].degree == 5
    assert [c.entity.label for c in central(store, top=2, by="betweenness").ranking] == [
        "Orbital Motors", "Brightwater Energy"]
    by_degree = central(store, top=4, by="degree").ranking
    assert [c.degree for c in by_degree] == [5, 3, 3, 3]


def test_central_scores_match_networkx(store):
    from networkx.algorithms.link_analysis.pagerank_alg import _pagerank_python

    p = projection(store)
    simple = nx.Graph(p.to_networkx().to_undirected())
    expected_pr = _pagerank_python(simple)
    expected_bc = nx.betweenness_centrality(simple)
    for c in central(store, top=len(p)).ranking:
        assert c.degree == simple.degree[c.entity.iri]
        assert c.pagerank == pytest.approx(expected_pr[c.entity.iri], abs=1e-6)
        assert c.betweenness == pytest.approx(expected_bc[c.entity.iri])
    assert len(simple_neighbors(p)) == len(p)
    assert pagerank([]) == [] and betweenness([[1], [0]]) == [0.0, 0.0]


def test_sampled_betweenness_is_rescaled_as_networkx_does():
    graph = nx.barabasi_albert_graph(300, 2, seed=3)
    nbrs = [sorted(graph[i]) for i in range(300)]
    exact = nx.betweenness_centrality(graph)
    assert betweenness(nbrs) == pytest.approx([exact[i] for i in range(300)])
    sampled = betweenness(nbrs, 150, seed=1)
    assert betweenness(nbrs, 150, seed=1) == sampled  # repeatable
    hubs = sorted(range(300), key=lambda i: -exact[i])[:5]
    assert sum(sampled[i] for i in hubs) == pytest.approx(sum(exact[i] for i in hubs), rel=0.25)


def test_central_on_an_empty_store_says_so(tmp_path: Path):
    Store(tmp_path / "empty").close()
    with Store(tmp_path / "empty", read_only=True) as empty:
        with pytest.raises(StoreError, match="holds no articles"):
            central(empty)
        with pytest.raises(StoreError, match="holds no articles"):
            neighbors(empty, "anything")


# -- the cache -------------------------------------------------------------------------------

def fail_if_built(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(*args, **kwargs):
        raise AssertionError("the projection was rebuilt")

    monkeypatch.setattr(cache, "build_projection", boom)


def test_the_cache_is_a_file_beside_the_store_and_a_new_process_loads_it(fresh: Path, monkeypatch):
    with Store(fresh, read_only=True) as s:
        first = projection(s)
    file = fresh.with_name("store.projection")
    assert file.is_file()
    assert not any(p.name.endswith(".projection") for p in fresh.iterdir())  # nothing inside Oxigraph's folder
    fail_if_built(monkeypatch)
    with Store(fresh, read_only=True) as s:  # a new Store: as a new process would
        again = projection(s)
    assert again is not first and again.edges == first.edges and again.labels == first.labels


def test_a_changed_store_is_projected_again(fresh: Path):
    with Store(fresh, read_only=True) as s:
        assert "Nova Labs" not in projection(s).labels
    with Store(fresh) as w:
        load_trig(w, NEW_ARTICLE)
    with Store(fresh, read_only=True) as s:
        assert "Nova Labs" in projection(s).labels
        assert paths(s, "Nova Labs", "Orbital Motors").length == 1


def test_a_store_opened_for_writing_but_unchanged_is_not_projected_again(fresh: Path, monkeypatch):
    with Store(fresh, read_only=True) as s:
        projection(s)
    file = fresh.with_name("store.projection")
    before = file.read_bytes()
    Store(fresh).close()  # RocksDB rewrites its manifest: the signature changes, the content does not
    fail_if_built(monkeypatch)
    with Store(fresh, read_only=True) as s:
        assert len(projection(s)) == 12
    assert file.read_bytes() != before  # the new signature is remembered
    with Store(fresh, read_only=True) as s:
        cache._memo.clear()
        assert len(projection(s)) == 12


def test_a_read_only_store_opened_before_a_write_still_caches_what_is_on_disk(fresh: Path):
    with Store(fresh, read_only=True) as old:
        with Store(fresh) as w:
            w.remove_article(A2)
        assert "Brightwater Energy" not in projection(old).labels  # read from a fresh snapshot
    with Store(fresh, read_only=True) as s:
        assert "Brightwater Energy" not in projection(s).labels


def test_a_broken_or_foreign_cache_file_is_replaced(fresh: Path):
    file = fresh.with_name("store.projection")
    file.write_bytes(b"not a projection")
    with Store(fresh, read_only=True) as s:
        assert len(projection(s)) == 12
    assert file.read_bytes() != b"not a projection"


def test_no_cache_file_when_the_folder_is_unwritable(fresh: Path, monkeypatch):
    monkeypatch.setattr(cache, "cache_path", lambda path: Path(path).parent / "missing" / "x.projection")
    with Store(fresh, read_only=True) as s:
        assert len(projection(s)) == 12
    assert not (fresh.parent / "missing").exists()


def test_an_in_memory_store_is_projected_again_when_it_changes():
    s = Store(None)
    load_trig(s, FIXTURE.read_text().split("art:b2b2b2b2b2b2b2b2 {")[0])
    first = projection(s)
    assert projection(s) is first
    load_trig(s, FIXTURE.read_text())
    assert len(projection(s)) == 12 > len(first)


def test_build_projection_reads_a_pyoxigraph_store_too(store):
    raw = ox.Store()
    raw.extend(store.raw.quads_for_pattern(None, None, None, None))
    assert build_projection(raw).edges == projection(store).edges


def test_centrality_is_cached_with_the_projection(fresh: Path, monkeypatch):
    with Store(fresh, read_only=True) as s:
        first = central(s)
    monkeypatch.setattr("kg.graph.centrality._scores", lambda *a: (_ for _ in ()).throw(AssertionError("again")))
    cache._memo.clear()
    with Store(fresh, read_only=True) as s:
        assert central(s) == first


# -- on the seeds build ----------------------------------------------------------------------

def test_seeds_neighbors_of_stellantis(seeds_kg):
    around = seeds_kg.neighbors("Stellantis")
    via = {n.entity.label: {(h.property, h.direction) for h in n.via} for n in around.neighbors}
    assert ("partnersWith", "symmetric") in via["Microsoft"]
    assert ("usesPlatform", "forward") in via["Azure"]
    assert ("formerPartnerOf", "symmetric") in via["Amazon"]
    assert ("deploys", "forward") in via["Microsoft 365 Copilot"]
    assert all(n.hop == 1 for n in around.neighbors)


def test_seeds_paths_and_centrality(seeds_kg):
    found = seeds_kg.path("Amazon", "Azure")
    assert found.length == 2
    assert "Amazon —formerPartnerOf→ Stellantis —usesPlatform→ Azure" in [str(c) for c in found.chains]
    assert seeds_kg.path("Stellantis", "Microsoft Corporation").length == 1
    top = [c.entity.label for c in seeds_kg.central(top=2).ranking]
    assert set(top) == {"Stellantis", "Microsoft"}


def test_seeds_projection_has_the_ticker_on_microsoft(seeds_store_path: Path):
    with Store(seeds_store_path, read_only=True) as s:
        p = projection(s)
        assert p.attributes[p.index[next(i for i in p.iris if i.endswith("/Microsoft"))]].get("hasTicker") == ("MSFT",)
    assert os.path.exists(cache.cache_path(seeds_store_path))


def test_names_resolve_exactly_as_find_entity_resolves_them(store):
    from kg.errors import KGError
    from kg.graph.traverse import resolve
    from kg.lookup import find_entity

    p = projection(store)
    names = set(p.labels) | {a for aliases in p.aliases.values() for a in aliases}
    for name in sorted(names | {n.upper() for n in names} | {f"<{iri}>" for iri in p.iris} | {"HX (Company)"}):
        try:
            expected = find_entity(store, name)
        except KGError as e:
            with pytest.raises(type(e)):
                resolve(store, p, name)
            continue
        assert p.iris[resolve(store, p, name)] == expected, name
