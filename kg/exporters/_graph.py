"""The picture the graph formats draw: RDF triples -> a networkx MultiDiGraph.

Nodes are the resources (IRIs, blank nodes), keyed by IRI (`_:id` for a blank node), with
string attributes only, so that every reader (networkx, igraph, Gephi, yEd, Cytoscape) takes
them as they are:

- `label`: rdfs:label; for event nodes a made-up one ("Partnership: Microsoft, Stellantis");
  else the IRI's last segment.
- `type`: the most specific kg class (Company rather than Organization), else a type's
  local name, else "Resource".
- `color`: one colour per type (`TYPE_COLORS`), as `#rrggbb`.
- `iri`, and one attribute per literal-valued property (`aliases` for skos:altLabel,
  `hasTicker`, `jobTitle`, `durationYears`...), several values joined by "; ".

Edges are the triples whose object is a resource (rdf:type excepted): key, `label` and
`property` are the property's short name, `iri` its IRI. A symmetric relation, which a build
writes in both directions, is drawn once, with `symmetric` = "true".

>>> import pyoxigraph as ox
>>> kg = "https://w3id.org/kg/ontology#"
>>> a, b = ox.NamedNode("https://example.org/A"), ox.NamedNode("https://example.org/B")
>>> triples = [
...     ox.Triple(a, ox.NamedNode(kg + "partnersWith"), b),
...     ox.Triple(b, ox.NamedNode(kg + "partnersWith"), a),
...     ox.Triple(a, ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), ox.NamedNode(kg + "Company")),
... ]
>>> g = project(triples)
>>> g.nodes["https://example.org/A"]["type"], g.nodes["https://example.org/B"]["label"]
('Company', 'B')
>>> [(s, o, d["label"], d["symmetric"]) for s, o, d in g.edges(data=True)]
[('https://example.org/A', 'https://example.org/B', 'partnersWith', 'true')]
"""
from __future__ import annotations

import hashlib
import math
from collections import defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING
from urllib.parse import unquote

from ..ontology import DCTERMS, NS, PREFIXES, RDF, RDFS, SKOS, local_name, superclasses, symmetric_properties

if TYPE_CHECKING:
    import networkx as nx
    import pyoxigraph as ox

    from ..store import Store

TYPE = RDF + "type"
LABEL = RDFS + "label"

#: Colour of each kg class (Tableau 10, colour-blind friendly); other types get a stable
#: colour from `EXTRA_COLORS` picked by a hash of their name.
TYPE_COLORS = {
    "Company": "#4e79a7",
    "Organization": "#76b7b2",
    "MediaOrganization": "#b07aa1",
    "Person": "#f28e2b",
    "Product": "#59a14f",
    "Platform": "#2f8f83",
    "Technology": "#edc948",
    "Place": "#e15759",
    "Partnership": "#ff9da7",
    "Goal": "#9c755f",
    "Article": "#bab0ac",
    "Evidence": "#d4d4d4",
}
EXTRA_COLORS = ["#8cd17d", "#b6992d", "#499894", "#86bcb6", "#d37295", "#fabfd2", "#79706e", "#d7b5a6", "#a0cbe8"]
DEFAULT_TYPE = "Resource"

_ATTR_NAMES = {SKOS + "altLabel": "aliases", DCTERMS + "title": "title"}
_RESERVED = {"id", "label", "type", "color", "iri", "name", "source", "target"}


def color_of(type_name: str) -> str:
    """The colour nodes of this type are drawn in, as `#rrggbb`.

    >>> color_of("Company")
    '#4e79a7'
    >>> color_of("Spaceship") == color_of("Spaceship")
    True
    """
    if type_name in TYPE_COLORS:
        return TYPE_COLORS[type_name]
    digest = hashlib.sha256(type_name.encode()).digest()
    return EXTRA_COLORS[digest[0] % len(EXTRA_COLORS)]


def short_name(iri: str) -> str:
    """How a property is shown: its local name (`partnersWith`, `altLabel`)."""
    return local_name(iri) or iri


def attribute_name(iri: str) -> str:
    """The node attribute a literal-valued property becomes (`hasTicker`, `aliases`, `dcterms:date`)."""
    if iri in _ATTR_NAMES:
        return _ATTR_NAMES[iri]
    if iri.startswith(NS) and local_name(iri) not in _RESERVED:
        return local_name(iri)
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns) and len(iri) > len(ns):
            return f"{prefix}:{iri[len(ns):]}"
    return iri


def node_id(term: ox.NamedNode | ox.BlankNode) -> str:
    """A resource's node id: its IRI, or `_:id` for a blank node."""
    import pyoxigraph as ox

    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return term.value if isinstance(term, ox.NamedNode) else str(term)


def leaf_type(types: Iterable[str]) -> str:
    """The most specific of a node's types, as a name (`Company` for Company + Organization).

    >>> leaf_type(["https://w3id.org/kg/ontology#Organization", "https://w3id.org/kg/ontology#Company"])
    'Company'
    >>> leaf_type([])
    'Resource'
    """
    names = sorted({t[len(NS):] if t.startswith(NS) else "" for t in types} - {""})
    if names:
        implied = {parent for n in names for parent in superclasses(n)}
        leaves = [n for n in names if n not in implied]
        return (leaves or names)[0]
    others = sorted(local_name(t) for t in types if local_name(t))
    return others[0] if others else DEFAULT_TYPE


def iri_label(iri: str) -> str:
    """A readable name made from an IRI's last segment (`Silicon_Valley` -> `Silicon Valley`)."""
    tail = iri.rstrip("/#").rsplit("#", 1)[-1].rsplit("/", 1)[-1] or iri
    return unquote(tail).replace("_", " ")


class _Facts:
    """What the picture says about each resource, and what the store says when it does not."""

    def __init__(self, triples: list[ox.Triple], store: Store | None) -> None:
        self.store = store
        self.facts: dict[str, dict[str, list[ox.Term]]] = defaultdict(lambda: defaultdict(list))
        for t in triples:
            self.facts[node_id(t.subject)][t.predicate.value].append(t.object)  # type: ignore[arg-type]
        self._stored: dict[str, dict[str, list[ox.Term]]] = {}

    def stored(self, node: str) -> dict[str, list[ox.Term]]:
        if node in self._stored:
            return self._stored[node]
        import pyoxigraph as ox

        found: dict[str, list[ox.Term]] = defaultdict(list)
        if self.store is not None and not node.startswith("_:"):
            for q in self.store.raw.quads_for_pattern(ox.NamedNode(node), None, None, ox.DefaultGraph()):
                found[q.predicate.value].append(q.object)
        self._stored[node] = found
        return found

    def get(self, node: str, predicate: str) -> list[ox.Term]:
        here = self.facts.get(node, {}).get(predicate)
        return here if here else self.stored(node).get(predicate, [])


def _first_label(values: list[ox.Term]) -> str | None:
    import pyoxigraph as ox

    literals = [v for v in values if isinstance(v, ox.Literal)]
    if not literals:
        return None
    literals.sort(key=lambda v: (v.language not in (None, "en"), v.language or "", v.value))
    return literals[0].value


def _number(value: str) -> str:
    try:
        number = float(value)
    except ValueError:
        return value
    return str(int(number)) if number.is_integer() else value


def _event_label(facts: _Facts, node: str, kind: str, label_of: dict[str, str]) -> str | None:
    def values(name: str) -> list[str]:
        return [v.value for v in facts.get(node, NS + name)]

    if kind == "Partnership":
        who = sorted(label_of.get(p) or _first_label(facts.get(p, LABEL)) or iri_label(p) for p in values("participant"))
        return f"Partnership: {', '.join(who)}" if who else None
    if kind == "Goal":
        parts = values("metric")[:1]
        parts += [f"{_number(v)}%" for v in values("changePercent")[:1]]
        parts += [f"by {v}" for v in values("targetYear")[:1]]
        return f"Goal: {' '.join(parts)}" if parts else None
    if kind == "Article":
        return (_first_label(facts.get(node, DCTERMS + "title")) or _first_label(facts.get(node, NS + "fileName")))
    if kind == "Evidence":
        sentence = _first_label(facts.get(node, NS + "sentence"))
        return f"Evidence: {sentence[:60]}{'…' if len(sentence) > 60 else ''}" if sentence else None
    return None


def project(triples: Iterable[ox.Triple], *, store: Store | None = None, focus: str | None = None,
            title: str = "kg") -> nx.MultiDiGraph:
    """The networkx picture of `triples` (see the module docstring).

    With `store`, resources the triples give no label or type get theirs from the store,
    so that a CONSTRUCT returning bare relations still draws readable, coloured nodes.
    """
    import networkx as nx
    import pyoxigraph as ox

    triples = list(dict.fromkeys(triples))
    facts = _Facts(triples, store)
    graph = nx.MultiDiGraph(name=title)
    if focus:
        graph.graph["focus"] = focus

    order: dict[str, None] = {}
    edges: list[tuple[str, str, str]] = []
    for t in triples:
        if isinstance(t.subject, (ox.NamedNode, ox.BlankNode)):
            order.setdefault(node_id(t.subject))
        if t.predicate.value != TYPE and isinstance(t.object, (ox.NamedNode, ox.BlankNode)):
            order.setdefault(node_id(t.object))
            edges.append((node_id(t.subject), t.predicate.value, node_id(t.object)))  # type: ignore[arg-type]

    types = {n: leaf_type(v.value for v in facts.get(n, TYPE) if isinstance(v, ox.NamedNode)) for n in order}
    label_of = {n: label for n in order if (label := _first_label(facts.get(n, LABEL)))}
    for n in order:
        if n not in label_of:
            label_of[n] = _event_label(facts, n, types[n], label_of) or iri_label(n)

    for n in sorted(order, key=lambda n: (label_of[n].casefold(), n)):
        attrs = {"label": label_of[n], "type": types[n], "color": color_of(types[n]), "iri": n}
        literals: dict[str, list[str]] = defaultdict(list)
        for p, objects in facts.facts.get(n, {}).items():
            if p == LABEL:
                continue
            for o in objects:
                if isinstance(o, ox.Literal):
                    literals[attribute_name(p)].append(o.value)
        for name, values in sorted(literals.items()):
            attrs[name] = "; ".join(sorted(set(values)))
        graph.add_node(n, **attrs)

    symmetric = {NS + name for name in symmetric_properties()}
    present = set(edges)
    for s, p, o in sorted(set(edges), key=lambda e: (label_of[e[0]].casefold(), e[1], label_of[e[2]].casefold(), e)):
        is_symmetric = p in symmetric
        if is_symmetric and (o, p, s) in present and o < s:
            continue  # drawn once, from the other end
        name = short_name(p)
        graph.add_edge(s, o, key=name, label=name, property=name, iri=p,
                       symmetric="true" if is_symmetric else "false")
    return graph


def layout(graph: nx.MultiDiGraph) -> dict[str, tuple[float, float]]:
    """Positions for the nodes, in pixel-like units with y growing downwards, so that tools
    opening a file show a picture: each connected part gets a seeded spring layout (a circle
    when that needs scipy and it is missing), and the parts are packed in rows, biggest first.
    """
    import networkx as nx

    simple = nx.Graph()
    simple.add_nodes_from(graph.nodes)
    simple.add_edges_from((s, o) for s, o in graph.edges() if s != o)
    parts = sorted(nx.connected_components(simple), key=lambda c: (-len(c), min(c)))
    shapes = [_part_layout(simple.subgraph(part)) for part in parts]
    row_limit = max([_GAP] + [_size(shape)[0] for shape in shapes] + [math.sqrt(sum(
        (_size(shape)[0] + _GAP) * (_size(shape)[1] + _GAP) for shape in shapes)) * 1.3])
    positions: dict[str, tuple[float, float]] = {}
    x = y = row_height = 0.0
    for shape in shapes:
        width, height = _size(shape)
        if x > 0 and x + width > row_limit:
            x, y, row_height = 0.0, y + row_height + _GAP, 0.0
        left = min(p[0] for p in shape.values())
        top = min(p[1] for p in shape.values())
        for node, (px, py) in shape.items():
            positions[node] = (round(x + px - left, 1), round(y + py - top, 1))
        x += width + _GAP
        row_height = max(row_height, height)
    return positions


_GAP = 140.0  # room between parts, and roughly what a label needs


def _size(shape: dict[str, tuple[float, float]]) -> tuple[float, float]:
    xs = [p[0] for p in shape.values()]
    ys = [p[1] for p in shape.values()]
    return max(xs) - min(xs), max(ys) - min(ys)


def _part_layout(part: nx.Graph) -> dict[str, tuple[float, float]]:
    n = len(part)
    if n == 1:
        return {next(iter(part.nodes)): (0.0, 0.0)}
    scale = 75.0 * math.sqrt(n)
    try:
        import networkx as nx

        raw = nx.spring_layout(part, seed=7, scale=scale, iterations=100)
        return {k: (float(px), float(-py)) for k, (px, py) in raw.items()}
    except ImportError:  # numpy missing, or scipy for a part of 500 nodes or more
        nodes = sorted(part.nodes)
        return {k: (scale * math.cos(2 * math.pi * i / n), scale * math.sin(2 * math.pi * i / n))
                for i, k in enumerate(nodes)}


def text_color(fill: str) -> str:
    """Black or white, whichever reads better on `fill` (`#rrggbb`).

    >>> text_color("#ffffff"), text_color("#000000")
    ('#000000', '#ffffff')
    """
    r, g, b = (int(fill[i:i + 2], 16) / 255 for i in (1, 3, 5))
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return "#000000" if luminance > 0.5 else "#ffffff"


def rgb(color: str) -> tuple[int, int, int]:
    """`#rrggbb` as three integers."""
    return int(color[1:3], 16), int(color[3:5], 16), int(color[5:7], 16)
