"""Traversal: the knowledge graph as a graph of entities joined by relations.

`projection(store)` reads the entities and the relations between them out of the store
(kg.graph.projection says exactly what is kept) and caches the result beside the store
(kg.graph.cache), so asking again is fast until the store changes. On it:

- `neighbors(store, name, depth=1)`: the entities within `depth` hops, with the relations
  joining them (a Neighborhood);
- `paths(store, a, b, limit=10)`: all shortest chains of relations between two entities,
  walking relations either way (a Paths of Chains of Hops);
- `central(store, top=10, by="pagerank")`: degree, PageRank and betweenness (a CentralityReport);
- `Projection.to_networkx()`: the networkx MultiDiGraph, for anything else.

Only entities are nodes; Partnership and Goal event nodes are not (their participants are
usually joined by `partnersWith` anyway), and literal relations (`hasTicker`, `jobTitle`)
are node attributes.

>>> from kg.graph import example_store, neighbors, paths
>>> store = example_store()
>>> print(paths(store, "Jane Roe", "Initech").to_text())
1 shortest chain of 3 hops from Jane Roe (Person) to Initech (Company):
  Jane Roe —worksFor→ Acme —partnersWith→ Globex —competesWith→ Initech
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from .cache import projection
from .centrality import Centrality, CentralityReport, central
from .projection import Projection, build_projection
from .traverse import Chain, Hop, Neighbor, Neighborhood, Paths, Relation, neighbors, paths

if TYPE_CHECKING:
    from ..store import Store

__all__ = ["Centrality", "CentralityReport", "Chain", "Hop", "Neighbor", "Neighborhood", "Paths", "Projection",
           "Relation", "build_projection", "central", "example_store", "load_trig", "neighbors", "paths", "projection"]

EXAMPLE_TRIG = """
@prefix kg: <https://w3id.org/kg/ontology#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix a: <https://example.org/article/> .
@prefix e: <https://example.org/entity/> .
@prefix ev1: <https://example.org/article/1/evidence/> .
@prefix ev2: <https://example.org/article/2/evidence/> .

a:1 {
  a:1 a kg:Article ; kg:fileName "1.txt" ; kg:sha256 "1111" .
  e:Acme a kg:Company, kg:Organization ; rdfs:label "Acme" ; skos:altLabel "Acme Corp" ; kg:mentionedIn a:1 ;
      kg:hasTicker "ACME" ; kg:partnersWith e:Globex ; kg:develops e:Nimbus .
  e:Globex a kg:Company, kg:Organization ; rdfs:label "Globex" ; kg:mentionedIn a:1 ; kg:partnersWith e:Acme .
  e:Nimbus a kg:Platform, kg:Product ; rdfs:label "Nimbus" ; kg:mentionedIn a:1 .
  e:Jane_Roe a kg:Person ; rdfs:label "Jane Roe" ; kg:mentionedIn a:1 ; kg:worksFor e:Acme .
  e:robotics a kg:Technology ; rdfs:label "robotics" ; kg:mentionedIn a:1 .
  ev1:0 a kg:Evidence ; rdf:subject e:Acme ; rdf:predicate kg:partnersWith ; rdf:object e:Globex ;
      prov:wasDerivedFrom a:1 ; kg:sentence "Acme Corp partners with Globex." .
  ev1:1 a kg:Evidence ; rdf:subject e:Acme ; rdf:predicate kg:develops ; rdf:object e:Nimbus ;
      prov:wasDerivedFrom a:1 ; kg:sentence "Acme's Nimbus platform." .
  ev1:2 a kg:Evidence ; rdf:subject e:Jane_Roe ; rdf:predicate kg:worksFor ; rdf:object e:Acme ;
      prov:wasDerivedFrom a:1 ; kg:sentence "Jane Roe, chief executive of Acme." .
  <https://example.org/article/1/partnership/0> a kg:Partnership ;
      kg:participant e:Acme, e:Globex ; kg:focusesOn e:robotics .
}
a:2 {
  a:2 a kg:Article ; kg:fileName "2.txt" ; kg:sha256 "2222" .
  e:Acme a kg:Company, kg:Organization ; rdfs:label "Acme" ; kg:mentionedIn a:2 ; kg:partnersWith e:Globex .
  e:Globex a kg:Company, kg:Organization ; rdfs:label "Globex" ; kg:mentionedIn a:2 ;
      kg:partnersWith e:Acme ; kg:competesWith e:Initech .
  e:Initech a kg:Company, kg:Organization ; rdfs:label "Initech" ; kg:mentionedIn a:2 ; kg:competesWith e:Globex .
  e:Lone_Corp a kg:Company, kg:Organization ; rdfs:label "Lone Corp" ; kg:mentionedIn a:2 .
  ev2:0 a kg:Evidence ; rdf:subject e:Globex ; rdf:predicate kg:partnersWith ; rdf:object e:Acme ;
      prov:wasDerivedFrom a:2 ; kg:sentence "Globex and Acme extend their alliance." .
  ev2:1 a kg:Evidence ; rdf:subject e:Globex ; rdf:predicate kg:competesWith ; rdf:object e:Initech ;
      prov:wasDerivedFrom a:2 ; kg:sentence "Globex competes with Initech." .
}
"""


def load_trig(store: Store, data: str | bytes) -> int:
    """Add the article graphs of a TriG document to `store` (default-graph union included).

    Triples outside any named graph are ignored; returns the number of quads written.
    """
    import pyoxigraph as ox

    graphs: dict[str, list[ox.Triple]] = {}
    for q in ox.parse(data.encode() if isinstance(data, str) else data, format=ox.RdfFormat.TRIG):
        if isinstance(q.graph_name, ox.NamedNode):
            graphs.setdefault(q.graph_name.value, []).append(ox.Triple(q.subject, q.predicate, q.object))
    return store.add_articles(graphs.items())


def example_store() -> Store:
    """A small in-memory store for trying the functions (and for their examples).

    Two articles: Jane Roe works for Acme (alias "Acme Corp", ticker ACME), which develops the
    Nimbus platform and partners with Globex (in both articles), which competes with Initech;
    Lone Corp is mentioned but joined to nothing; a partnership event links Acme, Globex and
    robotics.

    >>> example_store().article_count()
    2
    """
    from ..store import Store

    store = Store(None)
    load_trig(store, EXAMPLE_TRIG)
    return store
