"""Choosing what to export: the whole graph, the part around an entity, or a query's result."""
from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from ..errors import InputError
from ..ontology import NS, PROV, RDF
from ._base import Selection

if TYPE_CHECKING:
    import pyoxigraph as ox

    from ..store import Store

TYPE = RDF + "type"
#: Nodes of these classes are provenance, not part of the picture.
PROVENANCE_CLASSES = {NS + "Article", NS + "Evidence"}
#: Links from the picture to provenance nodes.
PROVENANCE_LINKS = {NS + "mentionedIn", NS + "evidence"}


def select(store: Store, *, around: str | None = None, depth: int = 1, construct: str | None = None) -> Selection:
    """What `kg export` writes: the whole graph, or the entities within `depth` hops of the
    entity named `around` (and the relations among them, their evidence and articles), or
    the result of a CONSTRUCT or DESCRIBE query `construct`."""
    import pyoxigraph as ox

    if around is not None and construct is not None:
        raise InputError("give either an entity to export around or a query, not both")
    if next(iter(store.raw.quads_for_pattern(None, None, None, None)), None) is None:
        where = f"{store.path}: " if store.path is not None else ""
        raise InputError(f"{where}the store is empty; build it first with `kg build ARTICLES`")

    if construct is not None:
        return _query(store, construct)

    view = _View(store)
    if around is None:
        nodes = view.all_nodes()
        return Selection(store, "whole", picture=view.triples_among(nodes), title="kg: the whole graph")

    if depth < 0:
        raise InputError(f"depth must be 0 or more, not {depth}")
    focus = _find(store, around)
    nodes = view.within(focus, depth)
    picture = view.triples_among(nodes)
    triples = picture + view.provenance(nodes)
    hops = "hop" if depth == 1 else "hops"
    label = next((t.object.value for t in picture
                  if t.subject == ox.NamedNode(focus) and t.predicate.value.endswith("#label")), around)
    return Selection(store, "around", picture=picture, triples=list(dict.fromkeys(triples)), focus=focus,
                     title=f"kg: {label} and what lies within {depth} {hops}")


def _find(store: Store, name: str) -> str:
    from ..lookup import find_entity

    found = find_entity(store, name)
    return getattr(found, "value", found)


def _query(store: Store, text: str) -> Selection:
    import pyoxigraph as ox

    result = store.query(text)
    if not isinstance(result, ox.QueryTriples):
        kind = "an ASK" if isinstance(result, ox.QueryBoolean) else "a SELECT"
        raise InputError(f"the query is {kind} query; export needs a CONSTRUCT or DESCRIBE query "
                         "(run a SELECT with `kg query`)")
    try:
        triples = list(dict.fromkeys(result))
    except (OSError, ValueError) as e:
        raise InputError(f"the query failed: {str(e).splitlines()[0]}") from None
    return Selection(store, "query", picture=triples, triples=triples, title="kg: query result")


class _View:
    """The entity picture of the store: entities, event nodes, and the relations among them."""

    def __init__(self, store: Store) -> None:
        import pyoxigraph as ox

        self.store = store
        self.raw = store.raw
        self.default = ox.DefaultGraph()
        self._in_view: dict[ox.Term, bool] = {}

    def all_nodes(self) -> list[ox.NamedNode]:
        rows = self.store.select(
            """SELECT DISTINCT ?s WHERE { ?s a ?c .
                 FILTER(STRSTARTS(STR(?c), STR(kg:)) && ?c NOT IN (kg:Article, kg:Evidence)) }"""
        )
        return [r["s"] for r in rows]  # type: ignore[misc]

    def in_view(self, term: ox.Term) -> bool:
        """Is this a picture node: a resource with a kg type other than Article and Evidence?"""
        import pyoxigraph as ox

        if term not in self._in_view:
            found = False
            if isinstance(term, (ox.NamedNode, ox.BlankNode)):
                classes = {q.object.value for q in self.raw.quads_for_pattern(term, ox.NamedNode(TYPE), None, self.default)}
                found = any(c.startswith(NS) and c not in PROVENANCE_CLASSES for c in classes)
            self._in_view[term] = found
        return self._in_view[term]

    def _linked(self, node: ox.NamedNode) -> Iterable[ox.Term]:
        for q in self.raw.quads_for_pattern(node, None, None, self.default):
            if q.predicate.value != TYPE and q.predicate.value not in PROVENANCE_LINKS:
                yield q.object
        for q in self.raw.quads_for_pattern(None, None, node, self.default):
            if q.predicate.value not in PROVENANCE_LINKS:
                yield q.subject

    def within(self, focus: str, depth: int) -> list[ox.NamedNode]:
        """The picture nodes within `depth` hops of `focus`, either way along a relation."""
        import pyoxigraph as ox

        start = ox.NamedNode(focus)
        seen: dict[ox.Term, None] = {start: None}
        frontier = [start]
        for _ in range(depth):
            nxt = []
            for node in frontier:
                for other in self._linked(node):
                    if other not in seen and self.in_view(other):
                        seen[other] = None
                        nxt.append(other)
            frontier = nxt
        return list(seen)  # type: ignore[arg-type]

    def triples_among(self, nodes: list[ox.NamedNode]) -> list[ox.Triple]:
        """What the picture shows of `nodes`: their types, labels and other literals, and
        the relations among them."""
        import pyoxigraph as ox

        members = set(nodes)
        triples = []
        for node in nodes:
            for q in self.raw.quads_for_pattern(node, None, None, self.default):
                p, o = q.predicate.value, q.object
                if p in PROVENANCE_LINKS:
                    continue
                if isinstance(o, ox.Literal) or p == TYPE or o in members:
                    triples.append(q.triple)
        return triples

    def provenance(self, nodes: list[ox.NamedNode]) -> list[ox.Triple]:
        """Where the facts among `nodes` come from: the evidence of relations among them and of
        their events, the articles that mention them, and those articles' descriptions."""
        import pyoxigraph as ox

        members = set(nodes)
        triples: list[ox.Triple] = []
        sources: dict[ox.Term, None] = {}
        evidence: dict[ox.Term, None] = {}
        rdf_subject, rdf_object = ox.NamedNode(RDF + "subject"), ox.NamedNode(RDF + "object")
        for node in nodes:
            for q in self.raw.quads_for_pattern(node, None, None, self.default):
                if q.predicate.value == NS + "mentionedIn":
                    triples.append(q.triple)
                    sources.setdefault(q.object)
                elif q.predicate.value == NS + "evidence":
                    triples.append(q.triple)
                    evidence.setdefault(q.object)
            for q in self.raw.quads_for_pattern(None, rdf_subject, node, self.default):
                objects = [x.object for x in self.raw.quads_for_pattern(q.subject, rdf_object, None, self.default)]
                if objects and all(isinstance(o, ox.Literal) or o in members for o in objects):
                    evidence.setdefault(q.subject)
        for ev in evidence:
            for q in self.raw.quads_for_pattern(ev, None, None, self.default):
                triples.append(q.triple)
                if q.predicate.value == PROV + "wasDerivedFrom":
                    sources.setdefault(q.object)
        for article in sources:
            triples.extend(q.triple for q in self.raw.quads_for_pattern(article, None, None, self.default))
        return triples
