"""Which entities hold the graph together: degree, PageRank and betweenness.

All three are computed on the simple undirected view of the projection: two entities are
neighbors when any relation joins them, either way (a relation's direction says what it
means, not which entity matters more). PageRank (damping 0.85, power iteration, isolated
entities spreading their rank evenly, as networkx does) needs no scipy. Betweenness is
networkx's (normalized); above EXACT_BETWEENNESS entities it is estimated from
BETWEENNESS_SAMPLES source entities drawn with a fixed seed, so it stays repeatable. The
scores are cached with the projection (kg.graph.cache), so asking again is instant.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from ..lookup import EntityRef
from ..queries import require_articles
from ..store import Store
from .cache import projection, remember, remembered
from .projection import Projection
from .traverse import _ref, _table, entity_ref

EXACT_BETWEENNESS = 2000
BETWEENNESS_SAMPLES = 256
MEASURES = ("pagerank", "degree", "betweenness")


@dataclass(frozen=True)
class Centrality:
    """One entity's scores: distinct neighbors, PageRank, betweenness (0..1)."""

    entity: EntityRef
    degree: int
    pagerank: float
    betweenness: float

    def to_dict(self) -> dict[str, Any]:
        return {"entity": _ref(self.entity), "degree": self.degree, "pagerank": self.pagerank,
                "betweenness": self.betweenness}


@dataclass(frozen=True)
class CentralityReport:
    """The `top` entities by `by`, out of `entities` entities joined by `relations` relations.

    `betweenness_samples` is None when betweenness is exact, else how many sources estimated it.
    """

    by: str
    entities: int
    relations: int
    betweenness_samples: int | None
    ranking: tuple[Centrality, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"by": self.by, "entities": self.entities, "relations": self.relations,
                "betweenness_samples": self.betweenness_samples, "ranking": [c.to_dict() for c in self.ranking]}

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False)

    def to_text(self) -> str:
        estimated = (f"; betweenness estimated from {self.betweenness_samples} sources"
                     if self.betweenness_samples else "")
        head = (f"top {len(self.ranking)} of {self.entities} entities ({self.relations} relations) "
                f"by {self.by}{estimated}")
        rows = [(str(n), c.entity.label, c.entity.type, str(c.degree), f"{c.pagerank:.4f}", f"{c.betweenness:.4f}")
                for n, c in enumerate(self.ranking, 1)]
        return head + "\n\n" + _table(("#", "entity", "type", "degree", "pagerank", "betweenness"), rows)


def central(store: Store, *, top: int = 10, by: str = "pagerank") -> CentralityReport:
    """The `top` most central entities, ranked by `by` (pagerank, degree or betweenness).

    >>> from kg.graph import example_store, central
    >>> report = central(example_store(), top=3)
    >>> [(c.entity.label, c.degree) for c in report.ranking]
    [('Acme', 3), ('Globex', 2), ('Initech', 1)]
    >>> round(report.ranking[0].betweenness, 3)
    0.333
    """
    if by not in MEASURES:
        raise ValueError(f"unknown centrality measure {by!r}; use one of {', '.join(MEASURES)}")
    if top < 1:
        from ..errors import InputError

        raise InputError(f"top must be 1 or more, not {top}")
    require_articles(store)
    p = projection(store)
    samples = BETWEENNESS_SAMPLES if len(p) > EXACT_BETWEENNESS else None
    key = f"central:{samples}"
    scores = remembered(store, key)
    if scores is None:
        scores = _scores(p, samples)
        remember(store, key, scores)
    degree, pagerank, betweenness = scores
    metric = {"pagerank": pagerank, "degree": degree, "betweenness": betweenness}[by]
    order = sorted(range(len(p)), key=lambda i: (-metric[i], p.labels[i].casefold(), p.iris[i]))[:top]
    return CentralityReport(by, len(p), p.edge_count, samples, tuple(
        Centrality(entity_ref(p, i), degree[i], pagerank[i], betweenness[i]) for i in order))


def simple_neighbors(p: Projection) -> list[list[int]]:
    """Node -> its distinct neighbors, either way (self-loops dropped)."""
    return [sorted({p.other(k, i) for k in p.adjacency[i]} - {i}) for i in range(len(p))]


def _scores(p: Projection, samples: int | None) -> tuple[list[int], list[float], list[float]]:
    nbrs = simple_neighbors(p)
    degree = [len(n) for n in nbrs]
    return degree, pagerank(nbrs), _betweenness(nbrs, samples)


def pagerank(nbrs: list[list[int]], *, alpha: float = 0.85, tol: float = 1.0e-6, max_iter: int = 100) -> list[float]:
    """PageRank of an undirected graph given as neighbor lists (networkx's power iteration).

    >>> [round(x, 3) for x in pagerank([[1], [0, 2], [1]])]
    [0.257, 0.486, 0.257]
    """
    n = len(nbrs)
    if n == 0:
        return []
    x = [1.0 / n] * n
    deg = [len(a) for a in nbrs]
    dangling = [i for i in range(n) if not deg[i]]
    for _ in range(max_iter):
        last = x
        base = (1.0 - alpha) / n + alpha * sum(last[i] for i in dangling) / n
        x = [base] * n
        for i, around in enumerate(nbrs):
            if around:
                share = alpha * last[i] / deg[i]
                for j in around:
                    x[j] += share
        if sum(abs(x[i] - last[i]) for i in range(n)) < n * tol:
            break
    return x


def _betweenness(nbrs: list[list[int]], samples: int | None) -> list[float]:
    import networkx as nx

    g = nx.Graph()
    g.add_nodes_from(range(len(nbrs)))
    g.add_edges_from((i, j) for i, around in enumerate(nbrs) for j in around if i < j)
    k = samples if samples is not None and samples < len(nbrs) else None
    scores = nx.betweenness_centrality(g, k=k, seed=0 if k else None, normalized=True)
    return [float(scores[i]) for i in range(len(nbrs))]
