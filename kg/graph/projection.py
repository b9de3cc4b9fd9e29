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

from functools import lru_cache
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from ..ontology import NS, RDFS, classes, object_properties, superclasses, symmetric_properties
from ..resources import ontology_dir

if TYPE_CHECKING:
    import networkx as nx

    from ..store import Store

FORMAT = 2  # bump when the state layout changes; older caches are then rebuilt

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


class Projection:
    """Entities (nodes) and the relations between them (edges), with fast lookups.

    Node `i` has `iris[i]`, `labels[i]`, `types[i]`, `aliases[i]` (tuple), `attributes[i]`
    ({property: tuple of values}) and `mentions[i]` (articles). Edge `k` is
    `edges[k] = (source, target, property, symmetric, evidence, article ids)`, with
    `articles[id]` the article IRI; `adjacency[i]` lists the edges touching node `i`.

    >>> from kg.graph import example_store, projection
    >>> p = projection(example_store())
    >>> len(p), p.edge_count
    (7, 4)
    >>> i = p.index["https://example.org/entity/Acme"]
    >>> p.labels[i], p.types[i], p.attributes[i]
    ('Acme', 'Company', {'hasTicker': ('ACME',)})
    """

    __slots__ = ("iris", "labels", "types", "aliases", "attributes", "mentions", "edges", "articles",
                 "adjacency", "index")

    def __init__(self, iris: list[str], labels: list[str], types: list[str], aliases: list[tuple[str, ...]],
                 attributes: list[dict[str, tuple[str, ...]]], mentions: list[int],
                 edges: list[tuple[int, int, str, bool, int, tuple[int, ...]]], articles: list[str],
                 adjacency: list[list[int]] | None = None, index: dict[str, int] | None = None) -> None:
        self.iris = iris
        self.labels = labels
        self.types = types
        self.aliases = aliases
        self.attributes = attributes
        self.mentions = mentions
        self.edges = edges
        self.articles = articles
        if adjacency is None:
            adjacency = [[] for _ in iris]
            for k, (s, o, *_rest) in enumerate(edges):
                adjacency[s].append(k)
                if o != s:
                    adjacency[o].append(k)
        self.adjacency = adjacency
        self.index = index if index is not None else {iri: i for i, iri in enumerate(iris)}

    def __len__(self) -> int:
        return len(self.iris)

    @property
    def edge_count(self) -> int:
        """How many relations (a symmetric one counted once)."""
        return len(self.edges)

    def other(self, edge: int, node: int) -> int:
        """The node at the other end of `edge` from `node`."""
        s, o = self.edges[edge][0], self.edges[edge][1]
        return o if s == node else s

    # -- cache state -----------------------------------------------------------------------

    def state(self) -> tuple[Any, ...]:
        """Plain data (marshal-able) that `from_state` turns back into this projection."""
        return (FORMAT, self.iris, self.labels, self.types, self.aliases, self.attributes, self.mentions,
                self.edges, self.articles, self.adjacency, self.index)

    @classmethod
    def from_state(cls, state: tuple[Any, ...]) -> Projection:
        if not isinstance(state, tuple) or len(state) != 11 or state[0] != FORMAT:
            raise ValueError("not a projection of this version")
        return cls(*state[1:])

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
                                     "aliases": list(self.aliases[i]), "mentions": self.mentions[i]}
            attrs.update({k: list(v) for k, v in self.attributes[i].items()})
            g.add_node(iri, **attrs)
        for s, o, prop, symmetric, evidence, arts in self.edges:
            g.add_edge(self.iris[s], self.iris[o], key=prop, property=prop, symmetric=symmetric,
                       evidence=evidence, articles=[self.articles[a] for a in arts])
        return g


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
    for e, alt in raw.query("SELECT ?e ?alt WHERE { ?e <http://www.w3.org/2004/02/skos/core#altLabel> ?alt }"):  # type: ignore[misc]
        i = index.get(e.value)
        if i is not None and alt.value != labels[i]:
            alias_lists[i].append(alt.value)
    aliases = [tuple(sorted(set(a), key=str.casefold)) for a in alias_lists]

    attributes: list[dict[str, tuple[str, ...]]] = [{} for _ in iris]
    attr_props = attribute_properties()
    if attr_props:
        found: dict[tuple[int, str], set[str]] = {}
        for e, p, v in raw.query(f"SELECT ?e ?p ?v WHERE {{ VALUES ?p {{ {_values(list(attr_props))} }} ?e ?p ?v }}"):  # type: ignore[misc]
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
        f"VALUES ?p {{ {rel_values} }} ?ev <http://www.w3.org/1999/02/22-rdf-syntax-ns#predicate> ?p ; "
        "<http://www.w3.org/1999/02/22-rdf-syntax-ns#subject> ?s ; "
        "<http://www.w3.org/1999/02/22-rdf-syntax-ns#object> ?o } GROUP BY ?s ?p ?o"
    ):  # type: ignore[misc]
        si, oi = index.get(s.value), index.get(o.value)
        if si is None or oi is None:
            continue
        prop = p.value[len(NS):]
        if prop in symmetric and oi < si:
            si, oi = oi, si
        key = (si, oi, prop)
        evidence[key] = evidence.get(key, 0) + int(n.value)

    article_ids: dict[str, int] = {}
    edges: list[tuple[int, int, str, bool, int, tuple[int, ...]]] = []
    for (si, oi, prop), graphs in sorted(edge_articles.items()):
        ids = tuple(sorted(article_ids.setdefault(g, len(article_ids)) for g in graphs))
        edges.append((si, oi, prop, prop in symmetric, evidence.get((si, oi, prop), 0), ids))
    articles = [""] * len(article_ids)
    for g, n in article_ids.items():
        articles[n] = g
    # article ids in IRI order, so the same store always gives the same state
    remap = {old: new for new, old in enumerate(sorted(range(len(articles)), key=articles.__getitem__))}
    articles = sorted(articles)
    edges = [(s, o, p, sym, ev, tuple(sorted(remap[a] for a in arts))) for s, o, p, sym, ev, arts in edges]
    return Projection(iris, labels, types, aliases, attributes, mentions, edges, articles, None, index)
