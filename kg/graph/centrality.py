"""Which entities hold the graph together: degree, PageRank and betweenness.

All three are computed on the simple undirected view of the projection: two entities are
neighbors when any relation joins them, either way (a relation's direction says what it
means, not which entity matters more). Both PageRank (damping 0.85, power iteration, isolated
entities spreading their rank evenly) and betweenness (Brandes, normalized) give networkx's
values (tests compare them) but run on the projection's integer lists, without scipy and
faster than on a networkx graph. Above EXACT_BETWEENNESS entities, betweenness is estimated
from BETWEENNESS_SAMPLES source entities drawn with a fixed seed, so it stays repeatable.
The scores are cached with the projection (kg.graph.cache), so asking again is instant.
"""
from __future__ import annotations

import json
import random
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
    p = projection(store)
    if not len(p):
        require_articles(store)  # says so when the store holds no articles at all
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
    return [sorted({p.other(k, i) for k in p.incident(i)} - {i}) for i in range(len(p))]


def _scores(p: Projection, samples: int | None) -> tuple[list[int], list[float], list[float]]:
    nbrs = simple_neighbors(p)
    degree = [len(n) for n in nbrs]
    return degree, pagerank(nbrs), betweenness(nbrs, samples)


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


def betweenness(nbrs: list[list[int]], samples: int | None = None, *, seed: int = 0) -> list[float]:
    """Normalized betweenness of an undirected graph given as neighbor lists (Brandes).

    With `samples`, only that many source nodes (drawn with `seed`) are walked and the sums are
    rescaled as networkx does for `k` samples; None walks from every node (exact).

    >>> betweenness([[1], [0, 2], [1]])
    [0.0, 1.0, 0.0]
    """
    n = len(nbrs)
    scores = [0.0] * n
    if n < 3:
        return scores
    sources = list(range(n)) if samples is None or samples >= n else random.Random(seed).sample(range(n), samples)
    for s in sources:
        dist = [-1] * n
        sigma = [0] * n
        dist[s], sigma[s] = 0, 1
        order = [s]
        preds: dict[int, list[int]] = {}
        i = 0
        while i < len(order):
            v = order[i]
            i += 1
            dw, sv = dist[v] + 1, sigma[v]
            for w in nbrs[v]:
                if dist[w] < 0:
                    dist[w] = dw
                    sigma[w] = sv
                    preds[w] = [v]
                    order.append(w)
                elif dist[w] == dw:
                    sigma[w] += sv
                    preds[w].append(v)
        delta = dict.fromkeys(order, 0.0)
        for w in reversed(order):
            if w == s:
                continue
            coeff = (1.0 + delta[w]) / sigma[w]
            for v in preds[w]:
                delta[v] += sigma[v] * coeff
            scores[w] += delta[w]
    k = len(sources)
    if k == n:
        return [x / ((n - 1) * (n - 2)) for x in scores]
    chosen = set(sources)  # a source is never an inner node of its own walks: one fewer chance
    source_scale = 1 / ((k - 1) * (n - 2)) if k > 1 else 0.0
    return [x * (source_scale if v in chosen else 1 / (k * (n - 2))) for v, x in enumerate(scores)]
