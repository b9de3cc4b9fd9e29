"""Walking the projection: the entities around one, and the shortest chains between two.

Relations are walked either way (a path may go against an arrow); each step (a Hop) says
which way the stored relation points: `A —develops→ B` (forward), `A ←worksFor— B` (backward:
B works for A), and symmetric relations read `—partnersWith→` either way.

Names resolve by kg.lookup.find_entity's rules (any label or alias, case-insensitively;
`Label (Type)`; `<IRI>`): a name that is one entity's label or alias is found in the
projection, without a query; anything else goes to find_entity itself, whose errors
(UnknownEntityError with suggestions, AmbiguousEntityError with candidates) pass through.
"""
from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from ..errors import InputError, UnknownEntityError
from ..lookup import EntityRef, find_entity
from ..store import Store
from .cache import projection
from .projection import Projection

FORWARD, BACKWARD, SYMMETRIC = "forward", "backward", "symmetric"


@dataclass(frozen=True)
class Relation:
    """A relation between two entities, as stored (a symmetric one once, `symmetric` true)."""

    source: EntityRef
    property: str
    target: EntityRef
    symmetric: bool
    evidence: int
    articles: tuple[str, ...]

    def __str__(self) -> str:
        arrow = f"—{self.property}—" if self.symmetric else f"—{self.property}→"
        return f"{self.source.label} {arrow} {self.target.label}"

    def to_dict(self) -> dict[str, Any]:
        return {"source": _ref(self.source), "property": self.property, "target": _ref(self.target),
                "symmetric": self.symmetric, "evidence": self.evidence, "articles": list(self.articles)}


@dataclass(frozen=True)
class Hop:
    """One step of a walk, from `source` to `target` along `property`.

    `direction` is "forward" when the relation is stored source → target, "backward" when it
    is stored target → source, "symmetric" when it holds both ways.
    """

    source: EntityRef
    property: str
    direction: str
    target: EntityRef
    evidence: int
    articles: tuple[str, ...]

    @property
    def arrow(self) -> str:
        """`—property→` (forward or symmetric) or `←property—` (backward)."""
        return f"←{self.property}—" if self.direction == BACKWARD else f"—{self.property}→"

    def __str__(self) -> str:
        return f"{self.source.label} {self.arrow} {self.target.label}"

    def to_dict(self) -> dict[str, Any]:
        return {"source": _ref(self.source), "property": self.property, "direction": self.direction,
                "target": _ref(self.target), "evidence": self.evidence, "articles": list(self.articles)}


@dataclass(frozen=True)
class Chain:
    """A walk: hops where each one starts at the entity the one before ended at."""

    start: EntityRef
    hops: tuple[Hop, ...]

    @property
    def entities(self) -> list[EntityRef]:
        return [self.start, *(h.target for h in self.hops)]

    def __len__(self) -> int:
        return len(self.hops)

    def __str__(self) -> str:
        return " ".join([self.start.label, *(f"{h.arrow} {h.target.label}" for h in self.hops)])

    def to_dict(self) -> dict[str, Any]:
        return {"text": str(self), "entities": [_ref(e) for e in self.entities],
                "hops": [h.to_dict() for h in self.hops]}


@dataclass(frozen=True)
class Paths:
    """The shortest chains joining `source` to `target` (`length` None when none does).

    `total` counts every shortest chain; `chains` holds the first of them, in label order.
    """

    source: EntityRef
    target: EntityRef
    length: int | None
    total: int
    chains: tuple[Chain, ...]

    @property
    def found(self) -> bool:
        return self.length is not None

    def to_dict(self) -> dict[str, Any]:
        return {"source": _ref(self.source), "target": _ref(self.target), "length": self.length,
                "total": self.total, "chains": [c.to_dict() for c in self.chains]}

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False)

    def to_text(self) -> str:
        if not self.found:
            return f"no chain of relations joins {self.source} and {self.target}"
        shown = f"{len(self.chains)} of {self.total}" if len(self.chains) < self.total else f"{self.total}"
        head = (f"{shown} shortest chain{'s' if self.total != 1 else ''} of {self.length} "
                f"hop{'s' if self.length != 1 else ''} from {self.source} to {self.target}:")
        return "\n".join([head, *(f"  {c}" for c in self.chains)])


@dataclass(frozen=True)
class Neighbor:
    """An entity `hop` steps from the center, and the relations joining it to the step before."""

    hop: int
    entity: EntityRef
    via: tuple[Hop, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"hop": self.hop, "entity": _ref(self.entity),
                "via": [{"from": _ref(h.source), "property": h.property, "direction": h.direction,
                         "evidence": h.evidence, "articles": list(h.articles)} for h in self.via]}


@dataclass(frozen=True)
class Neighborhood:
    """The entities within `depth` hops of `center`, nearest first, and the relations among them.

    `relations` (every relation among the center and its neighbors) is gathered when first used.
    """

    center: EntityRef
    depth: int
    neighbors: tuple[Neighbor, ...]
    gather: Callable[[], tuple[Relation, ...]] = field(default=tuple, repr=False, compare=False)

    @cached_property
    def relations(self) -> tuple[Relation, ...]:
        return self.gather()

    def to_dict(self) -> dict[str, Any]:
        return {"center": _ref(self.center), "depth": self.depth,
                "neighbors": [n.to_dict() for n in self.neighbors],
                "relations": [r.to_dict() for r in self.relations]}

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False)

    def to_text(self) -> str:
        head = (f"{self.center}: {len(self.neighbors)} entit{'y' if len(self.neighbors) == 1 else 'ies'} "
                f"within {self.depth} hop{'s' if self.depth != 1 else ''}")
        if not self.neighbors:
            return head
        rows = [(str(n.hop), n.entity.label, n.entity.type,
                 "; ".join(f"{h.source.label} {h.arrow}" for h in n.via)) for n in self.neighbors]
        return head + "\n\n" + _table(("hop", "entity", "type", "via"), rows)


def _ref(ref: EntityRef) -> dict[str, str]:
    return {"iri": ref.iri, "label": ref.label, "type": ref.type}


def _table(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> str:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    lines = ["  ".join(str(c).ljust(w) for c, w in zip(row, widths)).rstrip() for row in [header, *rows]]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


# -- helpers over a projection --------------------------------------------------------------

def entity_ref(p: Projection, i: int) -> EntityRef:
    """The EntityRef of node `i`."""
    return EntityRef(p.iris[i], p.labels[i], p.types[i])


class _Reader:
    """Makes result objects from a projection, one EntityRef per node."""

    def __init__(self, p: Projection) -> None:
        self.p = p
        self.refs: dict[int, EntityRef] = {}
        self.sources: dict[int, tuple[str, ...]] = {}

    def ref(self, i: int) -> EntityRef:
        r = self.refs.get(i)
        if r is None:
            r = self.refs[i] = entity_ref(self.p, i)
        return r

    def articles(self, k: int) -> tuple[str, ...]:
        found = self.sources.get(k)
        if found is None:
            p = self.p
            names = p.articles
            ids = p.article_ids[p.article_offsets[k]:p.article_offsets[k + 1]]
            found = self.sources[k] = tuple([names[a] for a in ids])
        return found

    def hop(self, k: int, start: int) -> Hop:
        p = self.p
        s, o, prop = p.edge_source[k], p.edge_target[k], p.edge_property[k]
        direction = SYMMETRIC if p.symmetric[prop] else FORWARD if s == start else BACKWARD
        return Hop(self.ref(start), p.properties[prop], direction, self.ref(o if s == start else s),
                   p.edge_evidence[k], self.articles(k))

    def relation(self, k: int) -> Relation:
        p = self.p
        prop = p.edge_property[k]
        return Relation(self.ref(p.edge_source[k]), p.properties[prop], self.ref(p.edge_target[k]),
                        p.symmetric[prop], p.edge_evidence[k], self.articles(k))


def relation(p: Projection, edge: int) -> Relation:
    """Edge `edge` of the projection as a Relation."""
    return _Reader(p).relation(edge)


def resolve(store: Store, p: Projection, name: str) -> int:
    """The node of the entity `name` names, by kg.lookup.find_entity's rules.

    The projection answers when the name is one entity's label, or else one entity's alias
    (case-insensitively), or an entity's IRI; anything else (several entities, none, `Label
    (Type)`) goes to find_entity, which resolves it or raises with suggestions or candidates.
    """
    text = " ".join(str(name).split())
    if text.startswith("<") and text.endswith(">") or text.startswith(("http://", "https://")):
        i = p.index.get(text[1:-1] if text.startswith("<") else text)
        if i is not None:
            return i
    else:
        by_label, by_alias = p.named(text)
        if len(by_label) == 1 or not by_label and len(by_alias) == 1:
            return (by_label or by_alias)[0]
    i = p.index.get(find_entity(store, name))
    if i is None:  # the store changed between reading the projection and finding the name
        raise UnknownEntityError(name)
    return i


# -- neighbors -------------------------------------------------------------------------------

def neighbors(store: Store, name: str, *, depth: int = 1) -> Neighborhood:
    """The entities within `depth` hops of the entity `name`, with the relations joining them.

    Each neighbor lists (`via`) every relation joining it to an entity one hop nearer the
    center; `relations` holds every relation among the center and its neighbors.

    >>> from kg.graph import example_store, neighbors
    >>> around = neighbors(example_store(), "acme corp", depth=2)
    >>> [(n.hop, n.entity.label) for n in around.neighbors]
    [(1, 'Globex'), (1, 'Jane Roe'), (1, 'Nimbus'), (2, 'Initech')]
    >>> print(around.neighbors[1].via[0])
    Acme ←worksFor— Jane Roe
    >>> print(around.to_text())
    Acme (Company): 4 entities within 2 hops
    <BLANKLINE>
    hop  entity    type      via
    ---  --------  --------  ---------------------
    1    Globex    Company   Acme —partnersWith→
    1    Jane Roe  Person    Acme ←worksFor—
    1    Nimbus    Platform  Acme —develops→
    2    Initech   Company   Globex —competesWith→
    """
    if depth < 1:
        raise InputError(f"depth must be 1 or more, not {depth}")
    p = projection(store)
    center = resolve(store, p, name)
    dist = {center: 0}
    via: dict[int, list[tuple[int, int]]] = {}
    level = [center]
    for d in range(1, depth + 1):
        found: list[int] = []
        for u in level:
            for k in p.incident(u):
                v = p.other(k, u)
                dv = dist.get(v)
                if dv is None:
                    dist[v] = d
                    via[v] = [(u, k)]
                    found.append(v)
                elif dv == d:
                    via[v].append((u, k))
        if not found:
            break
        level = found
    read = _Reader(p)
    labels, iris, props, kinds = p.labels, p.iris, p.properties, p.edge_property
    order = sorted(via, key=lambda v: (dist[v], labels[v].casefold(), iris[v]))
    result = []
    for v in order:
        steps = via[v]
        if len(steps) > 1:
            steps.sort(key=lambda uk: (labels[uk[0]].casefold(), iris[uk[0]], props[kinds[uk[1]]]))
        result.append(Neighbor(dist[v], read.ref(v), tuple(read.hop(k, u) for u, k in steps)))

    def gather() -> tuple[Relation, ...]:
        inside = sorted({k for v in dist for k in p.incident(v) if p.other(k, v) in dist})
        return tuple(read.relation(k) for k in inside)

    return Neighborhood(read.ref(center), depth, tuple(result), gather)


# -- paths -----------------------------------------------------------------------------------

def paths(store: Store, source: str, target: str, *, limit: int | None = 10) -> Paths:
    """All shortest chains of relations joining two entities, walking relations either way.

    Two relations between the same pair of entities make two chains. `limit` caps how many
    chains are listed (None: all); `total` always counts them all.

    >>> from kg.graph import example_store, paths
    >>> found = paths(example_store(), "Jane Roe", "Initech")
    >>> found.length, found.total
    (3, 1)
    >>> print(found.chains[0])
    Jane Roe —worksFor→ Acme —partnersWith→ Globex —competesWith→ Initech
    >>> [h.direction for h in found.chains[0].hops]
    ['forward', 'symmetric', 'symmetric']
    >>> paths(example_store(), "Initech", "Lone Corp").found
    False
    """
    if limit is not None and limit < 1:
        raise InputError(f"the number of chains to list must be 1 or more, not {limit}")
    p = projection(store)
    a, b = resolve(store, p, source), resolve(store, p, target)
    read = _Reader(p)
    if a == b:
        return Paths(read.ref(a), read.ref(b), 0, 1, (Chain(read.ref(a), ()),))
    dag = shortest_path_dag(p, a, b)
    if dag is None:
        return Paths(read.ref(a), read.ref(b), None, 0, ())
    succ, position = dag
    counts = {b: 1}
    for u in sorted(succ, key=position.__getitem__, reverse=True):
        counts[u] = sum(counts[v] for v, _ in succ[u])
    for u in succ:
        succ[u].sort(key=lambda vk: (p.labels[vk[0]].casefold(), p.iris[vk[0]], p.properties[p.edge_property[vk[1]]]),
                     reverse=True)

    chains: list[Chain] = []
    stack: list[tuple[int, tuple[tuple[int, int], ...]]] = [(a, ())]
    while stack and (limit is None or len(chains) < limit):
        u, trail = stack.pop()
        if u == b:
            chains.append(Chain(read.ref(a), tuple(read.hop(k, w) for w, k in trail)))
            continue
        stack.extend((v, (*trail, (u, k))) for v, k in succ[u])
    total = counts[a]
    return Paths(read.ref(a), read.ref(b), len(chains[0]), total, tuple(chains))


def shortest_path_dag(p: Projection, a: int, b: int) -> tuple[dict[int, list[tuple[int, int]]], dict[int, int]] | None:
    """Every shortest walk from `a` to `b` (a != b), as a DAG: node -> [(next node, edge)].

    Also gives each DAG node's distance from `a`; None when no walk joins them. Breadth-first
    from both ends, a level at a time on the side with fewer edges to follow, until the two
    meet: on a graph with hubs this visits far fewer entities than a search from one end.
    """
    dist = ({a: 0}, {b: 0})
    preds: tuple[dict[int, list[tuple[int, int]]], dict[int, list[tuple[int, int]]]] = ({a: []}, {b: []})
    frontier = ([a], [b])
    depth = [0, 0]
    offsets = p.adjacency_offsets
    meet: list[int] = []
    length = 0
    while frontier[0] and frontier[1]:
        work = [sum(offsets[u + 1] - offsets[u] for u in f) for f in frontier]
        side = 0 if work[0] <= work[1] else 1
        mine, theirs, pred = dist[side], dist[1 - side], preds[side]
        depth[side] += 1
        d = depth[side]
        found: list[int] = []
        for u in frontier[side]:
            for k in p.incident(u):
                v = p.other(k, u)
                dv = mine.get(v)
                if dv is None:
                    mine[v] = d
                    pred[v] = [(u, k)]
                    found.append(v)
                elif dv == d:
                    pred[v].append((u, k))
        frontier = (found, frontier[1]) if side == 0 else (frontier[0], found)
        touching = [v for v in found if v in theirs]
        if touching:
            length = d + min(theirs[v] for v in touching)
            meet = [v for v in touching if d + theirs[v] == length]
            break
    if not meet:
        return None
    succ: dict[int, list[tuple[int, int]]] = {}
    position = {b: length}
    # from the meeting nodes back to a (preds[0] point towards a) ...
    todo, seen = list(meet), set(meet)
    while todo:
        v = todo.pop()
        position[v] = dist[0][v]
        for u, k in preds[0][v]:
            succ.setdefault(u, []).append((v, k))
            if u not in seen:
                seen.add(u)
                todo.append(u)
    # ... and on to b (preds[1] point towards b)
    todo, seen = list(meet), set(meet)
    while todo:
        v = todo.pop()
        for u, k in preds[1][v]:
            succ.setdefault(v, []).append((u, k))
            if u not in seen:
                seen.add(u)
                position[u] = length - dist[1][u]
                todo.append(u)
    return succ, position
