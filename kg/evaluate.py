"""Score what the store holds against a gold file (format in vocabulary.md).

Triples match when subject and object name the same gold entities (label or any alias,
case-insensitively) and the property's local name is equal, in either direction for
symmetric properties. Relations in "optional" are neither required nor errors.
"""
from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from .errors import InputError
from .ontology import NS, local_name, superclasses, symmetric_properties
from .store import Store

SCORED = (
    "partnersWith", "formerPartnerOf", "competesWith", "usesPlatform", "deploys", "develops", "investsIn",
    "acquires", "subsidiaryOf", "supplies", "headquarteredIn", "worksFor", "listedOn", "focusesOn",
    "hasTicker", "jobTitle",
)
LITERAL = ("hasTicker", "jobTitle")


@dataclass
class Score:
    """Precision, recall and F1 from counts."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0 if not self.fn else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, float | int]:
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn, "precision": round(self.precision, 4),
                "recall": round(self.recall, 4), "f1": round(self.f1, 4)}


@dataclass
class EventResult:
    """One gold event: whether it was found, and which attributes agree."""

    type: str
    gold: dict[str, Any]
    found: bool
    attributes: dict[str, bool] = field(default_factory=dict)


@dataclass
class EvalReport:
    """Scores per relation, overall, for entities, and the events."""

    relations: dict[str, Score]
    overall: Score
    entities: Score
    events: list[EventResult]
    false_positives: list[tuple[str, str, str]]
    false_negatives: list[tuple[str, str, str]]

    def as_dict(self) -> dict[str, Any]:
        return {
            "overall": self.overall.as_dict(),
            "relations": {p: s.as_dict() for p, s in sorted(self.relations.items())},
            "entities": self.entities.as_dict(),
            "events": [asdict(e) for e in self.events],
            "false_positives": [list(t) for t in self.false_positives],
            "false_negatives": [list(t) for t in self.false_negatives],
        }


def _norm(text: str) -> str:
    return " ".join(str(text).replace("’", "'").casefold().split())


def load_gold(path: str | Path) -> dict[str, Any]:
    """Read and check a gold file; a malformed one raises InputError naming it."""
    path = Path(path)
    try:
        gold = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(f"{path}: gold file not found") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as e:
        raise InputError(f"{path}: not a JSON gold file ({e})") from None
    if not isinstance(gold, dict) or not isinstance(gold.get("entities"), list) or not isinstance(
        gold.get("relations"), list
    ):
        raise InputError(f"{path}: a gold file needs \"entities\" and \"relations\" lists")
    return gold


class _Names:
    """Gold entity names (labels and aliases, normalised) -> gold label."""

    def __init__(self, gold: dict[str, Any]) -> None:
        self.to_label: dict[str, str] = {}
        self.types: dict[str, str] = {}
        for e in gold["entities"]:
            self.types[e["label"]] = e.get("type", "")
            for name in [e["label"], *e.get("aliases", [])]:
                self.to_label.setdefault(_norm(name), e["label"])

    def find(self, names: set[str]) -> str | None:
        for name in sorted(names):
            if _norm(name) in self.to_label:
                return self.to_label[_norm(name)]
        return None

    def label_of(self, name: str) -> str:
        return self.to_label.get(_norm(name), name)


def evaluate(store: Store, gold_path: str | Path) -> EvalReport:
    """Score the store against the gold file at `gold_path`."""
    gold = load_gold(gold_path)
    names = _Names(gold)
    docs = {r["doc"] for r in gold["relations"] if r.get("doc")}
    graphs = _graphs_for(store, docs)
    entities = _entities(store, graphs)
    symmetric = symmetric_properties()

    def key(s: str, p: str, o: str) -> tuple[str, str, str]:
        if p in symmetric and o < s:
            s, o = o, s
        return (s, p, o)

    def gold_key(r: dict[str, Any]) -> tuple[str, str, str]:
        o = _norm(r["o"]) if r["p"] in LITERAL else names.label_of(r["o"])
        return key(names.label_of(r["s"]), r["p"], o)

    required = {gold_key(r) for r in gold["relations"]}
    optional = {gold_key(r) for r in gold.get("optional", [])}

    extracted: set[tuple[str, str, str]] = set()
    for s, p, o, o_is_literal in _triples(store, graphs):
        s_label = names.find(entities.get(s, {"names": set()})["names"]) or entities.get(s, {}).get("label", s)
        if o_is_literal:
            o_label = _norm(o)
        else:
            o_label = names.find(entities.get(o, {"names": set()})["names"]) or entities.get(o, {}).get("label", o)
        extracted.add(key(s_label, p, o_label))

    per: dict[str, Score] = defaultdict(Score)
    overall = Score()
    fps, fns = [], []
    for t in sorted(extracted):
        if t in required:
            per[t[1]].tp += 1
            overall.tp += 1
        elif t not in optional:
            per[t[1]].fp += 1
            overall.fp += 1
            fps.append(t)
    for t in sorted(required - extracted):
        per[t[1]].fn += 1
        overall.fn += 1
        fns.append(t)

    return EvalReport(
        relations=dict(per), overall=overall, entities=_entity_score(gold, names, entities),
        events=_events(store, graphs, gold, names, entities), false_positives=fps, false_negatives=fns,
    )


def _graphs_for(store: Store, docs: set[str]) -> list[str] | None:
    """The article graphs the gold file speaks of, or None for all articles."""
    if not docs:
        return None
    chosen = [a.iri for a in store.articles().values() if a.name in docs]
    return chosen or None


def _graph_filter(graphs: list[str] | None) -> str:
    if graphs is None:
        return ""
    return "VALUES ?g { " + " ".join(f"<{g}>" for g in graphs) + " }"


def _entities(store: Store, graphs: list[str] | None) -> dict[str, dict[str, Any]]:
    rows = store.select(f"""SELECT DISTINCT ?e ?label ?type ?alt WHERE {{ {_graph_filter(graphs)}
        GRAPH ?g {{ ?e kg:mentionedIn ?g ; rdfs:label ?label ; a ?type . OPTIONAL {{ ?e skos:altLabel ?alt }} }} }}""")
    out: dict[str, dict[str, Any]] = {}
    for r in rows:
        e = out.setdefault(r["e"].value, {"label": r["label"].value, "names": {r["label"].value}, "types": set()})
        e["types"].add(local_name(r["type"].value))
        if "alt" in r:
            e["names"].add(r["alt"].value)
    for e in out.values():
        e["type"] = max(e["types"], key=lambda t: len(superclasses(t)))
    return out


def _triples(store: Store, graphs: list[str] | None) -> list[tuple[str, str, str, bool]]:
    props = " ".join(f"<{NS}{p}>" for p in SCORED)
    rows = store.select(f"""SELECT DISTINCT ?s ?p ?o WHERE {{ {_graph_filter(graphs)}
        VALUES ?p {{ {props} }} GRAPH ?g {{ ?s ?p ?o . ?s kg:mentionedIn ?g }} }}""")
    return [(r["s"].value, local_name(r["p"].value), r["o"].value, r["o"].__class__.__name__ == "Literal")
            for r in rows]


def _entity_score(gold: dict[str, Any], names: _Names, entities: dict[str, dict[str, Any]]) -> Score:
    score = Score()
    found: set[str] = set()
    for e in entities.values():
        label = names.find(e["names"])
        if label is not None and names.types.get(label) == e["type"]:
            if label not in found:
                score.tp += 1
                found.add(label)
        else:
            score.fp += 1
    score.fn = len([e for e in gold["entities"] if e["label"] not in found])
    return score


def _events(store: Store, graphs: list[str] | None, gold: dict[str, Any], names: _Names,
            entities: dict[str, dict[str, Any]]) -> list[EventResult]:
    rows = store.select(f"""SELECT ?ev ?type ?p ?o WHERE {{ {_graph_filter(graphs)}
        VALUES ?type {{ kg:Partnership kg:Goal }}
        GRAPH ?g {{ ?ev a ?type . {{ ?ev ?p ?o }} UNION {{ ?o kg:hasGoal ?ev . BIND(kg:agent AS ?p) }} }} }}""")
    found: dict[str, dict[str, Any]] = {}
    for r in rows:
        ev = found.setdefault(r["ev"].value, {"type": local_name(r["type"].value)})
        p = local_name(r["p"].value)
        o = r["o"]
        if o.__class__.__name__ == "NamedNode" and o.value in entities:
            value: Any = names.find(entities[o.value]["names"]) or entities[o.value]["label"]
        else:
            value = o.value
        if p in ("participant", "focusesOn"):
            ev.setdefault(p, set()).add(value)
        elif p != "type":
            ev[p] = value
    results = []
    for g in gold.get("events", []):
        candidates = [e for e in found.values() if e["type"] == g["type"]]
        best, best_attrs = None, {}
        for cand in candidates:
            attrs = _compare_event(g, cand, names)
            if best is None or sum(attrs.values()) > sum(best_attrs.values()):
                best, best_attrs = cand, attrs
        ok = best is not None and best_attrs.get("participants", best_attrs.get("agent", False))
        results.append(EventResult(g["type"], g, bool(ok), best_attrs))
    return results


def _number(value: Any) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _words(text: str) -> set[str]:
    return set(re.findall(r"[a-z0-9]+", _norm(text).replace("centre", "center")))


def _compare_event(g: dict[str, Any], e: dict[str, Any], names: _Names) -> dict[str, bool]:
    attrs: dict[str, bool] = {}
    if "participants" in g:
        attrs["participants"] = {names.label_of(p) for p in g["participants"]} <= set(e.get("participant", set()))
    if "agent" in g:
        attrs["agent"] = names.label_of(g["agent"]) == e.get("agent")
    if "focusesOn" in g:
        attrs["focusesOn"] = {names.label_of(f) for f in g["focusesOn"]} <= set(e.get("focusesOn", set()))
    for k in ("durationYears", "initiativeCount", "changePercent", "targetYear"):
        if k in g:
            attrs[k] = _number(e.get(k)) == _number(g[k])
    if "announcedOn" in g:
        got = str(e.get("announcedOn", ""))
        want = str(g["announcedOn"])
        attrs["announcedOn"] = got == want or (got[-5:] == want[-5:] and "--" in (got[:2], want[:2]) and bool(got))
    if "metric" in g:
        want, got = _words(g["metric"]), _words(str(e.get("metric", "")))
        attrs["metric"] = bool(want) and len(want & got) / len(want | got) >= 0.5
    return attrs
