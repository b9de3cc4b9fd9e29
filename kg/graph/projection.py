"""The store projected to a graph of entities joined by relations.

Nodes are the entities (every resource with `kg:mentionedIn`), numbered 0..n-1, with IRI,
canonical label, leaf type, aliases, the literal-valued properties whose ontology domain is an
entity class (`hasTicker`, `jobTitle`) and the number of articles mentioning them.

Edges are the triples of kg object properties whose subject and object are both entities
(`partnersWith`, `worksFor`, `develops`, ...): provenance (`mentionedIn`, `evidence`) and the
links of Partnership and Goal event nodes (`participant`, `hasGoal`, a partnership's
`focusesOn`) never join two entities, so they are left out, and event nodes are not nodes.
A symmetric property's two stored directions become one edge, marked symmetric, written from
the IRI that sorts first. Each edge carries how many kg:Evidence nodes state it and which
articles (named graphs) hold it.

Everything is kept in plain lists, tuples and dicts of str/int/bool, so that the cache
(kg.graph.cache) saves and loads it with `marshal` quickly and without networkx; `to_networkx()`
builds the networkx MultiDiGraph when one is wanted.
"""
from __future__ import annotations

import sys
from array import array
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from ..ontology import NS, RDF, RDFS, SKOS, classes, object_properties, superclasses, symmetric_properties
from ..resources import ontology_dir

if TYPE_CHECKING:
    import networkx as nx

    from ..store import Store

FORMAT = 3  # bump when the state layout changes; older caches are then rebuilt
_TYPECODE = "I"
# what `state()` bytes depend on: a cache written elsewhere with another layout is rebuilt
_LAYOUT = f"{FORMAT}/{sys.byteorder}/{array(_TYPECODE).itemsize}"

_NOT_ENTITY_CLASSES = {"Article", "Evidence", "Partnership", "Goal"}
_PROVENANCE = {"mentionedIn", "evidence"}


def _values(names: list[str]) -> str:
    return " ".join(f"<{NS}{n}>" for n in sorted(names))


def entity_classes() -> list[str]:
    """Local names of the classes an entity can have (Company, Person, Place, ...)."""
    return sorted(c for c in classes() if c not in _NOT_ENTITY_CLASSES
                  and not (set(superclasses(c)) & _NOT_ENTITY_CLASSES))


def relation_properties() -> list[str]:
    """Local names of the kg object properties that may join two entities."""
    return sorted(object_properties() - _PROVENANCE)


@lru_cache(maxsize=1)
def attribute_properties() -> tuple[str, ...]:
    """Literal-valued kg properties whose rdfs:domain is an entity class (hasTicker, jobTitle)."""
    from ..ontology import datatype_properties

    entity = set(entity_classes())
    found = set()
    with open(ontology_dir() / "kg.ttl", "rb") as f:
        for t in ox.parse(f, format=ox.RdfFormat.TURTLE):
            if (t.predicate.value == RDFS + "domain" and isinstance(t.object, ox.NamedNode)
                    and t.subject.value.startswith(NS) and t.object.value.startswith(NS)
                    and t.object.value[len(NS):] in entity):
                found.add(t.subject.value[len(NS):])
    return tuple(sorted(found & datatype_properties()))


def _leaf(types: set[str]) -> str:
    return max(sorted(types), key=lambda t: len(superclasses(t)), default="")


def _array(values: Any = ()) -> array:
    return array(_TYPECODE, values)


class Projection:
    """Entities (nodes 0..n-1) and the relations between them (edges 0..m-1), as flat arrays.

    Node `i`: `iris[i]`, `labels[i]`, `types[i]`, `mentions[i]` (articles mentioning it),
    `aliases.get(i, ())`, `attributes.get(i, {})` ({property: tuple of values}).
    Edge `k`: `edge(k)` = (source, target, property, symmetric, evidence, article ids), with
    `articles[id]` the article IRI; `incident(i)` lists the edges touching node `i`.
    Edges and adjacency live in `array`s (compressed sparse rows), so that loading a cached
    projection of a large store takes milliseconds.

    >>> from kg.graph import example_store, projection
    >>> p = projection(example_store())
    >>> len(p), p.edge_count
    (7, 4)
    >>> i = p.index["https://example.org/entity/Acme"]
    >>> p.labels[i], p.types[i], p.aliases[i], p.attributes[i]
    ('Acme', 'Company', ('Acme Corp',), {'hasTicker': ('ACME',)})
    >>> [p.labels[p.other(k, i)] for k in p.incident(i)]
    ['Globex', 'Nimbus', 'Jane Roe']
    """

    __slots__ = ("iris", "labels", "types", "aliases", "attributes", "mentions", "properties", "symmetric",
                 "edge_source", "edge_target", "edge_property", "edge_evidence", "article_offsets",
                 "article_ids", "articles", "adjacency_offsets", "adjacency_edges", "index", "_names")

    def __init__(self, iris: list[str], labels: list[str], types: list[str], aliases: dict[int, tuple[str, ...]],
                 attributes: dict[int, dict[str, tuple[str, ...]]], mentions: array, properties: list[str],
                 symmetric: list[bool], edge_source: array, edge_target: array, edge_property: array,
                 edge_evidence: array, article_offsets: array, article_ids: array, articles: list[str],
                 adjacency_offsets: array | None = None, adjacency_edges: array | None = None) -> None:
        self.iris, self.labels, self.types = iris, labels, types
        self.aliases, self.attributes, self.mentions = aliases, attributes, mentions
        self.properties, self.symmetric = properties, symmetric
        self.edge_source, self.edge_target = edge_source, edge_target
        self.edge_property, self.edge_evidence = edge_property, edge_evidence
        self.article_offsets, self.article_ids, self.articles = article_offsets, article_ids, articles
        if adjacency_offsets is None or adjacency_edges is None:
            adjacency_offsets, adjacency_edges = _adjacency(len(iris), edge_source, edge_target)
        self.adjacency_offsets, self.adjacency_edges = adjacency_offsets, adjacency_edges
        self.index = {iri: i for i, iri in enumerate(iris)}
        self._names: tuple[dict[str, list[int]], dict[str, list[int]]] | None = None

    def named(self, name: str) -> tuple[list[int], list[int]]:
        """The nodes whose label, and those whose alias, is `name` (case-insensitively)."""
        if self._names is None:
            labels: dict[str, list[int]] = {}
            aliases: dict[str, list[int]] = {}
            for i, label in enumerate(self.labels):
                labels.setdefault(label.lower(), []).append(i)
            for i, names in self.aliases.items():
                for alias in names:
                    aliases.setdefault(alias.lower(), []).append(i)
            self._names = (labels, aliases)
        key = name.lower()
        return self._names[0].get(key, []), self._names[1].get(key, [])

    def __len__(self) -> int:
        return len(self.iris)

    @property
    def edge_count(self) -> int:
        """How many relations (a symmetric one counted once)."""
        return len(self.edge_source)

    def incident(self, node: int) -> array:
        """The edges touching `node`, either way."""
        return self.adjacency_edges[self.adjacency_offsets[node]:self.adjacency_offsets[node + 1]]

    def other(self, edge: int, node: int) -> int:
        """The node at the other end of `edge` from `node`."""
        s = self.edge_source[edge]
        return self.edge_target[edge] if s == node else s

    def edge(self, k: int) -> tuple[int, int, str, bool, int, tuple[int, ...]]:
        """(source, target, property, symmetric, evidence count, article ids) of edge `k`."""
        prop = self.edge_property[k]
        return (self.edge_source[k], self.edge_target[k], self.properties[prop], self.symmetric[prop],
                self.edge_evidence[k], tuple(self.article_ids[self.article_offsets[k]:self.article_offsets[k + 1]]))

    @property
    def edges(self) -> list[tuple[int, int, str, bool, int, tuple[int, ...]]]:
        """Every edge as `edge(k)` gives it."""
        return [self.edge(k) for k in range(self.edge_count)]

    # -- cache state -----------------------------------------------------------------------

    def state(self) -> tuple[Any, ...]:
        """Plain data (marshal-able: lists, dicts, bytes) that `from_state` turns back into this."""
        return (_LAYOUT, self.iris, self.labels, self.types, self.aliases, self.attributes,
                self.mentions.tobytes(), self.properties, self.symmetric, self.edge_source.tobytes(),
                self.edge_target.tobytes(), self.edge_property.tobytes(), self.edge_evidence.tobytes(),
                self.article_offsets.tobytes(), self.article_ids.tobytes(), self.articles,
                self.adjacency_offsets.tobytes(), self.adjacency_edges.tobytes())

    @classmethod
    def from_state(cls, state: tuple[Any, ...]) -> Projection:
        if not isinstance(state, tuple) or len(state) != 18 or state[0] != _LAYOUT:
            raise ValueError("not a projection of this version")
        (_, iris, labels, types, aliases, attributes, mentions, properties, symmetric, source, target, prop,
         evidence, art_off, art_ids, articles, adj_off, adj_edges) = state

        def arr(data: bytes, code: str = _TYPECODE) -> array:
            a = array(code)
            a.frombytes(data)
            return a

        return cls(iris, labels, types, aliases, attributes, arr(mentions), properties, symmetric, arr(source),
                   arr(target), arr(prop, "B"), arr(evidence), arr(art_off), arr(art_ids), articles, arr(adj_off),
                   arr(adj_edges))

    # -- networkx --------------------------------------------------------------------------

    def to_networkx(self) -> nx.MultiDiGraph:
        """The projection as a networkx MultiDiGraph keyed by IRI.

        Node attributes: label, type, aliases (list), mentions, and each literal property
        (hasTicker, jobTitle) as a list. Edge key: the property; attributes: property,
        symmetric, evidence, articles (IRIs). A symmetric relation is one edge; use
        `.to_undirected(as_view=True)` to walk edges either way.

        >>> from kg.graph import example_store, projection
        >>> g = projection(example_store()).to_networkx()
        >>> g.number_of_nodes(), g.number_of_edges()
        (7, 4)
        >>> g.edges["https://example.org/entity/Acme", "https://example.org/entity/Globex", "partnersWith"]
        {'property': 'partnersWith', 'symmetric': True, 'evidence': 2, 'articles': ['https://example.org/article/1', 'https://example.org/article/2']}
        """
        import networkx as nx

        g = nx.MultiDiGraph()
        for i, iri in enumerate(self.iris):
            attrs: dict[str, Any] = {"label": self.labels[i], "type": self.types[i],
                                     "aliases": list(self.aliases.get(i, ())), "mentions": self.mentions[i]}
            attrs.update({k: list(v) for k, v in self.attributes.get(i, {}).items()})
            g.add_node(iri, **attrs)
        for s, o, prop, symmetric, evidence, arts in self.edges:
            g.add_edge(self.iris[s], self.iris[o], key=prop, property=prop, symmetric=symmetric,
                       evidence=evidence, articles=[self.articles[a] for a in arts])
        return g


def _adjacency(n: int, source: array, target: array) -> tuple[array, array]:
    lists: list[list[int]] = [[] for _ in range(n)]
    for k, (s, o) in enumerate(zip(source, target)):
        lists[s].append(k)
        if o != s:
            lists[o].append(k)
    offsets = _array([0])
    flat = _array()
    for edges in lists:
        flat.extend(edges)
        offsets.append(len(flat))
    return offsets, flat


def build_projection(store: Store | ox.Store) -> Projection:
    """Read the entities and relations out of a kg Store or a pyoxigraph Store (a few queries)."""
    raw = store.raw if hasattr(store, "raw") else store
    kinds = entity_classes()

    entity_rows = raw.query(
        "SELECT ?e (COUNT(DISTINCT ?a) AS ?n) (MIN(STR(?l)) AS ?label) WHERE { "
        f"?e <{NS}mentionedIn> ?a . OPTIONAL {{ ?e <{RDFS}label> ?l }} }} GROUP BY ?e"
    )
    iris: list[str] = []
    labels: list[str] = []
    mentions: list[int] = []
    for e, n, label in entity_rows:  # type: ignore[misc]
        if not isinstance(e, ox.NamedNode):
            continue
        iris.append(e.value)
        labels.append(label.value if label is not None else e.value.rsplit("/", 1)[-1])
        mentions.append(int(n.value))
    order = sorted(range(len(iris)), key=lambda i: (labels[i].casefold(), iris[i]))
    iris = [iris[i] for i in order]
    labels = [labels[i] for i in order]
    mentions = [mentions[i] for i in order]
    index = {iri: i for i, iri in enumerate(iris)}

    type_sets: list[set[str]] = [set() for _ in iris]
    for e, t in raw.query(f"SELECT ?e ?t WHERE {{ VALUES ?t {{ {_values(kinds)} }} ?e a ?t }}"):  # type: ignore[misc]
        i = index.get(e.value)
        if i is not None:
            type_sets[i].add(t.value[len(NS):])
    interned: dict[str, str] = {}
    types = [interned.setdefault(leaf, leaf) for leaf in (_leaf(ts) for ts in type_sets)]

    alias_lists: list[list[str]] = [[] for _ in iris]
    for e, alt in raw.query(f"SELECT ?e ?alt WHERE {{ ?e <{SKOS}altLabel> ?alt }}"):  # type: ignore[misc]
        i = index.get(e.value)
        if i is not None and alt.value != labels[i]:
            alias_lists[i].append(alt.value)
    aliases = [tuple(sorted(set(a), key=str.casefold)) for a in alias_lists]

    attributes: list[dict[str, tuple[str, ...]]] = [{} for _ in iris]
    attr_props = attribute_properties()
    if attr_props:
        found: dict[tuple[int, str], set[str]] = {}
        query = f"SELECT ?e ?p ?v WHERE {{ VALUES ?p {{ {_values(list(attr_props))} }} ?e ?p ?v }}"
        for e, p, v in raw.query(query):  # type: ignore[misc]
            i = index.get(e.value)
            if i is not None and isinstance(v, ox.Literal):
                found.setdefault((i, p.value[len(NS):]), set()).add(v.value)
        for (i, prop), vals in sorted(found.items()):
            attributes[i][interned.setdefault(prop, prop)] = tuple(sorted(vals))

    symmetric = symmetric_properties()
    rel_values = _values(relation_properties())
    edge_articles: dict[tuple[int, int, str], set[str]] = {}
    for s, p, o, graphs in raw.query(
        "SELECT ?s ?p ?o (GROUP_CONCAT(STR(?g); separator=\" \") AS ?gs) WHERE { "
        f"VALUES ?p {{ {rel_values} }} GRAPH ?g {{ ?s ?p ?o }} }} GROUP BY ?s ?p ?o"
    ):  # type: ignore[misc]
        si, oi = index.get(s.value), index.get(o.value)
        if si is None or oi is None:
            continue
        prop = p.value[len(NS):]
        if prop in symmetric and oi < si:
            si, oi = oi, si
        edge_articles.setdefault((si, oi, interned.setdefault(prop, prop)), set()).update(graphs.value.split())
    evidence: dict[tuple[int, int, str], int] = {}
    for s, p, o, n in raw.query(
        "SELECT ?s ?p ?o (COUNT(DISTINCT ?ev) AS ?n) WHERE { "
        f"VALUES ?p {{ {rel_values} }} ?ev <{RDF}predicate> ?p ; <{RDF}subject> ?s ; <{RDF}object> ?o }} "
        "GROUP BY ?s ?p ?o"
    ):  # type: ignore[misc]
        si, oi = index.get(s.value), index.get(o.value)
        if si is None or oi is None:
            continue
        prop = p.value[len(NS):]
        if prop in symmetric and oi < si:
            si, oi = oi, si
        key = (si, oi, prop)
        evidence[key] = evidence.get(key, 0) + int(n.value)

    ordered = sorted(edge_articles.items())
    articles = sorted({g for _, graphs in ordered for g in graphs})
    article_number = {g: n for n, g in enumerate(articles)}
    properties = sorted({prop for (_, _, prop), _ in ordered})
    prop_number = {prop: n for n, prop in enumerate(properties)}
    source, target, prop_ids, evidence_counts = _array(), _array(), array("B"), _array()
    art_off, art_ids = _array([0]), _array()
    for (si, oi, prop), graphs in ordered:
        source.append(si)
        target.append(oi)
        prop_ids.append(prop_number[prop])
        evidence_counts.append(evidence.get((si, oi, prop), 0))
        art_ids.extend(sorted(article_number[g] for g in graphs))
        art_off.append(len(art_ids))
    return Projection(iris, labels, types, {i: a for i, a in enumerate(aliases) if a},
                      {i: a for i, a in enumerate(attributes) if a}, _array(mentions), properties,
                      [p in symmetric for p in properties], source, target, prop_ids, evidence_counts,
                      art_off, art_ids, articles)
