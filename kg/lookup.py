"""Entity cards: find an entity by any of its names, and gather what the graph says about it.

`find_entity(store, name)` turns a name into an entity IRI: the canonical label or any alias
(skos:altLabel), compared case-insensitively; `<IRI>` and `Label (Type)` work too. A name
that is some entity's label wins over the same name used as another entity's alias. No match
raises UnknownEntityError with close names as suggestions; several raise AmbiguousEntityError
listing them as `Label (Type)`, which is itself a name find_entity accepts.

`lookup(store, name)` gives the EntityCard: label, type, aliases, the articles mentioning the
entity, every relation out of and into it grouped by property, each with the article (file
name) and sentence behind it (from the graph's kg:Evidence nodes), and the Partnership and
Goal events it takes part in. Symmetric relations (partnersWith, ...) are stored in both
directions with one evidence node; a card shows each such fact once.

A busy entity's card is cut short, so that it stays readable and quick to make: at most
`max_sources` (3) sentences per fact, taken from different articles where it can, and at most
`max_others` (50) facts per property, those with the most evidence; the articles and the
events are capped at `max_others` too. The card keeps the full counts (`article_count`,
`relation_counts`, `event_count`, each fact's `evidence_count`) and says `truncated`; `None`
lifts a cap. Cards under the caps are complete.

Finding a name costs an index lookup: an exact label through the store's literal index, any
other spelling through the name table of the projection cached beside the store
(kg.graph.cache) when there is a current one, else one scan of the labels and aliases.

>>> import pyoxigraph as ox
>>> from kg.store import Store
>>> store = Store(None)
>>> _ = store.add_articles([("https://example.org/article/1", ox.parse('''
...   @prefix kg: <https://w3id.org/kg/ontology#> . @prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
...   @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> . @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
...   @prefix prov: <http://www.w3.org/ns/prov#> . @prefix e: <https://example.org/entity/> .
...   <https://example.org/article/1> a kg:Article ; kg:fileName "a.txt" .
...   e:Acme a kg:Company, kg:Organization ; rdfs:label "Acme" ; skos:altLabel "Acme Corp" ;
...       kg:mentionedIn <https://example.org/article/1> .
...   e:Globex a kg:Company, kg:Organization ; rdfs:label "Globex" ; kg:mentionedIn <https://example.org/article/1> .
...   e:Acme kg:partnersWith e:Globex . e:Globex kg:partnersWith e:Acme .
...   <https://example.org/article/1/evidence/0> a kg:Evidence ; rdf:subject e:Acme ;
...       rdf:predicate kg:partnersWith ; rdf:object e:Globex ; kg:sentence "Acme Corp teams up with Globex." ;
...       prov:wasDerivedFrom <https://example.org/article/1> .
...   ''', format=ox.RdfFormat.TURTLE))])
>>> card = lookup(store, "acme corp")
>>> card.label, card.type, card.aliases
('Acme', 'Company', ['Acme Corp'])
>>> print(card.to_text())
Acme (Company)
  iri       https://example.org/entity/Acme
  types     Company, Organization
  aliases   Acme Corp
  articles  a.txt
<BLANKLINE>
partnersWith <->
  Globex (Company)
      a.txt: "Acme Corp teams up with Globex."
>>> lookup(store, "Acmee")
Traceback (most recent call last):
...
kg.errors.UnknownEntityError: no entity named 'Acmee'; did you mean Acme?
"""
from __future__ import annotations

import difflib
import json
import re
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from .errors import AmbiguousEntityError, InputError, UnknownEntityError
from .ontology import NS, RDF, RDFS, SKOS, XSD, classes, superclasses, symmetric_properties
from .queries import require_articles, shorten
from .store import Store

_TYPE, _LABEL, _ALT = RDF + "type", RDFS + "label", SKOS + "altLabel"
_HAS_GOAL = NS + "hasGoal"
_EVENT_LINKS = {NS + "participant": "participant", NS + "focusesOn": "focus"}
_FIELD_ORDER = ("durationYears", "initiativeCount", "announcedOn", "metric", "changePercent", "targetYear")
_LABEL_AND_TYPE = re.compile(r"^(?P<label>.+?)\s*\((?P<type>[A-Za-z]+)\)$")

SOURCES_SHOWN = 3  # evidence sentences per fact on a card (None: all)
OTHERS_SHOWN = 50  # facts per property, articles and events on a card (None: all)

if TYPE_CHECKING:
    from .graph.projection import Projection


# -- finding an entity by name ------------------------------------------------------------------

@dataclass(frozen=True)
class EntityRef:
    """An entity as names refer to it: IRI, canonical label, leaf type."""

    iri: str
    label: str
    type: str

    def __str__(self) -> str:
        return f"{self.label} ({self.type})" if self.type else self.label


def find_entity(store: Store, name: str) -> str:
    """The IRI of the entity `name` names: its label or any alias, case-insensitively.

    >>> import pyoxigraph as ox
    >>> store = Store(None)
    >>> _ = store.add_articles([("https://example.org/article/1", ox.parse('''
    ...   @prefix kg: <https://w3id.org/kg/ontology#> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
    ...   @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
    ...   <https://example.org/entity/Initech> a kg:Company ; rdfs:label "Initech" ;
    ...       skos:altLabel "ITCH", "Initech Corporation" ; kg:mentionedIn <https://example.org/article/1> .
    ...   ''', format=ox.RdfFormat.TURTLE))])
    >>> find_entity(store, "itch")
    'https://example.org/entity/Initech'
    >>> find_entity(store, "Initech Corp")
    Traceback (most recent call last):
    ...
    kg.errors.UnknownEntityError: no entity named 'Initech Corp'; did you mean Initech?
    """
    return resolve_entity(store, name).iri


def resolve_entity(store: Store, name: str) -> EntityRef:
    """Like find_entity, but gives the label and type too."""
    require_articles(store)
    text = " ".join(str(name).split())
    if not text:
        raise InputError("empty entity name")
    if text.startswith("<") and text.endswith(">") or re.match(r"^https?://\S+$", text):
        iri = text[1:-1] if text.startswith("<") else text
        refs = _refs(store, [iri]) if _is_entity(store, iri) else []
        if refs:
            return refs[0]
        raise UnknownEntityError(name)
    found = _by_name(store, text)
    if not found:
        m = _LABEL_AND_TYPE.match(text)
        if m and m.group("type") in classes():
            wanted = m.group("type")
            found = [(ref, how) for ref, how in _by_name(store, m.group("label"))
                     if ref.type == wanted or wanted in _types(store, ref.iri)]
    by_label = {ref.iri: ref for ref, how in found if how == "label"}
    chosen = by_label or {ref.iri: ref for ref, how in found}
    if len(chosen) == 1:
        return next(iter(chosen.values()))
    if chosen:
        raise AmbiguousEntityError(name, sorted({str(ref) for ref in chosen.values()}, key=str.casefold))
    raise UnknownEntityError(name, suggest(store, text))


def _by_name(store: Store, text: str) -> list[tuple[EntityRef, str]]:
    """Entities with `text` as label or alias, case-insensitively: (entity, "label" or "alias")."""
    # fast path (an index lookup): a name typed exactly as a canonical label means that entity (or those)
    rows = store.select("SELECT DISTINCT ?q ?e ?how WHERE { ?e rdfs:label ?q . BIND(\"label\" AS ?how) "
                        "FILTER EXISTS { ?e kg:mentionedIn ?article } }", substitutions={"q": ox.Literal(text)})
    found = [(r["e"].value, r["how"].value) for r in rows]
    if not found:
        table = _name_table(store)
        if table is not None:  # any other spelling: the cached table of every entity's names
            by_label, by_alias = table.named(text)
            found = [(table.iris[i], "label") for i in by_label] + [(table.iris[i], "alias") for i in by_alias]
        else:  # no table: scan the labels and aliases
            rows = store.select(
                """SELECT DISTINCT ?q ?e ?how WHERE {
                     { ?e rdfs:label ?n BIND("label" AS ?how) } UNION { ?e skos:altLabel ?n BIND("alias" AS ?how) }
                     FILTER(LCASE(STR(?n)) = ?q)
                     FILTER EXISTS { ?e kg:mentionedIn ?article }
                   }""",
                substitutions={"q": ox.Literal(text.lower())},
            )
            found = [(r["e"].value, r["how"].value) for r in rows]
    refs = {ref.iri: ref for ref in _refs(store, sorted({iri for iri, _ in found}))}
    return [(refs[iri], how) for iri, how in found if iri in refs]


def _name_table(store: Store) -> Projection | None:
    """The projection cached beside an on-disk store (kg.graph.cache), when the file is there
    and current; None otherwise (an in-memory or remote store, no file, a changed store).
    Never builds one: that is for `kg neighbors` and the like."""
    path = getattr(store, "path", None)
    if path is None or not isinstance(store.raw, ox.Store):
        return None
    try:
        from .graph import cache
        from .graph.projection import Projection

        file = cache.cache_path(path)
        if not file.is_file():
            return None
        sig = cache.signature(path)
        memo = cache._memo.get(store)
        if memo is not None and sig is not None and memo.signature == sig:
            return memo.projection
        cached = cache._read(file)
        if sig is None or cached is None or cached[0] != sig:
            return None
        return Projection.from_state(cached[2])
    except (AttributeError, ImportError, OSError, TypeError, ValueError):  # a changed cache module or file
        return None


def _is_entity(store: Store, iri: str) -> bool:
    try:
        node = ox.NamedNode(iri)
    except ValueError:
        return False
    return bool(store.query("ASK { ?e kg:mentionedIn ?article }", substitutions={"e": node}))


def _values(iris: list[str]) -> str:
    """A VALUES body of IRIs, each written by pyoxigraph (escaped), never pasted raw."""
    return " ".join(str(ox.NamedNode(i)) for i in iris)


def _refs(store: Store, iris: list[str]) -> list[EntityRef]:
    """Label and leaf type of each IRI (IRIs without a label are left out)."""
    labels: dict[str, str] = {}
    types: dict[str, set[str]] = {}
    for start in range(0, len(iris), 500):
        rows = _rows(store, f"""SELECT ?x ?label ?type WHERE {{ VALUES ?x {{ {_values(iris[start:start + 500])} }}
                                    ?x rdfs:label ?label . OPTIONAL {{ ?x a ?type }} }}""", ("x", "label", "type"))
        for x_term, label, kind in rows:
            x = x_term.value
            if x not in labels or label.value < labels[x]:
                labels[x] = label.value
            if kind is not None and kind.value.startswith(NS):
                types.setdefault(x, set()).add(kind.value[len(NS):])
    return [EntityRef(i, labels[i], leaf_type(types.get(i, set()))) for i in iris if i in labels]


def _types(store: Store, iri: str) -> set[str]:
    rows = store.select("SELECT ?e ?type WHERE { ?e a ?type }", substitutions={"e": ox.NamedNode(iri)})
    return {r["type"].value[len(NS):] for r in rows if r["type"].value.startswith(NS)}


def leaf_type(types: set[str] | list[str]) -> str:
    """The most specific of an entity's kg types (Company of Company and Organization).

    >>> leaf_type({"Organization", "Company"})
    'Company'
    """
    known = [t for t in types if t not in {"Article", "Evidence"}]
    return max(sorted(known), key=lambda t: len(superclasses(t)), default="")


def suggest(store: Store, text: str, *, limit: int = 5) -> list[str]:
    """Labels of the entities whose label or alias is close to `text` (difflib), best first."""
    names: dict[str, set[str]] = {}
    table = _name_table(store)
    if table is not None:
        for label in table.labels:
            names.setdefault(label.casefold(), set()).add(label)
        for i, aliases in table.aliases.items():
            for alias in aliases:
                names.setdefault(alias.casefold(), set()).add(table.labels[i])
    else:
        default = ox.DefaultGraph()
        labels = {q.subject: q.object.value
                  for q in store.raw.quads_for_pattern(None, ox.NamedNode(_LABEL), None, default)}
        for label in labels.values():
            names.setdefault(label.casefold(), set()).add(label)
        for q in store.raw.quads_for_pattern(None, ox.NamedNode(_ALT), None, default):
            if q.subject in labels:
                names.setdefault(q.object.value.casefold(), set()).add(labels[q.subject])
    wanted = text.casefold()
    pool = list(names)
    if len(pool) > 20000:  # difflib is slow on big stores: there, look among names with the same first letter
        pool = [n for n in pool if n[:1] == wanted[:1]]
    close = difflib.get_close_matches(wanted, pool, n=limit, cutoff=0.6)
    if len(wanted) >= 3:
        close += sorted(n for n in names if n not in close and (wanted in n.split() or n in wanted.split()
                                                              or len(wanted) >= 4 and wanted in n))
    found: list[str] = []
    for n in close:
        for label in sorted(names[n]):
            if label not in found:
                found.append(label)
    return found[:limit]


# -- the entity card ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Source:
    """The sentence of an article that states a fact (a kg:Evidence node)."""

    article: str  # file name
    sentence: str
    article_iri: str = ""
    rule: str | None = None
    confidence: float | None = None
    start: int | None = None
    end: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"article": self.article, "articleIri": self.article_iri, "sentence": self.sentence,
                "rule": self.rule, "confidence": self.confidence, "charStart": self.start, "charEnd": self.end}


@dataclass
class Fact:
    """One relation of the entity: to (or from) another entity, or to a literal value."""

    property: str  # local name (partnersWith) or a prefixed name for non-kg properties
    direction: str  # "out" (entity property other) or "in" (other property entity)
    other: str  # the other entity's label, or the literal value
    other_iri: str | None = None  # None for a literal value
    other_type: str = ""
    symmetric: bool = False
    sources: list[Source] = field(default_factory=list)
    evidence_count: int = 0  # how many sentences state it in all (sources may show fewer)

    @property
    def source_total(self) -> int:
        """How many sentences state the fact, shown or not."""
        return max(self.evidence_count, len(self.sources))

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"iri": self.other_iri, "label": self.other, "type": self.other_type} \
            if self.other_iri is not None else {"value": self.other}
        if self.symmetric:
            d["symmetric"] = True
        d["evidence"] = [s.to_dict() for s in self.sources]
        d["evidenceCount"] = self.source_total
        return d


@dataclass
class Event:
    """A Partnership or Goal the entity takes part in."""

    type: str
    iri: str
    role: str  # "participant", "focus" or "agent"
    participants: list[str] = field(default_factory=list)
    focuses: list[str] = field(default_factory=list)
    agents: list[str] = field(default_factory=list)
    fields: dict[str, Any] = field(default_factory=dict)
    sources: list[Source] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"type": self.type, "iri": self.iri, "role": self.role}
        if self.participants:
            d["participants"] = self.participants
        if self.agents:
            d["agents"] = self.agents
        if self.focuses:
            d["focusesOn"] = self.focuses
        d.update(self.fields)
        d["evidence"] = [s.to_dict() for s in self.sources]
        return d

    def summary(self) -> str:
        parts = []
        if self.participants:
            parts.append("participants " + ", ".join(self.participants))
        if self.agents:
            parts.append("stated by " + ", ".join(self.agents))
        if self.focuses:
            parts.append("focusesOn " + ", ".join(self.focuses))
        parts += [f"{k} {v}" for k, v in self.fields.items()]
        return f"{self.type}: " + "; ".join(parts)


@dataclass
class EntityCard:
    """Everything the graph says about one entity (see the module docs).

    The lists may be cut short (see `truncated`); `article_count`, `relation_counts`
    ({"out"/"in": {property: facts}}) and `event_count` are the full numbers.
    """

    iri: str
    label: str
    type: str
    types: list[str] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)
    articles: list[str] = field(default_factory=list)
    outgoing: dict[str, list[Fact]] = field(default_factory=dict)
    incoming: dict[str, list[Fact]] = field(default_factory=dict)
    events: list[Event] = field(default_factory=list)
    article_count: int = 0
    relation_counts: dict[str, dict[str, int]] = field(default_factory=dict)
    event_count: int = 0

    @property
    def facts(self) -> list[Fact]:
        """Every relation, out then in."""
        return [f for group in (self.outgoing, self.incoming) for facts in group.values() for f in facts]

    def related(self, prop: str, direction: str | None = None) -> list[str]:
        """Labels (or values) on the other end of `prop`, e.g. card.related("partnersWith")."""
        return [f.other for f in self.facts if f.property == prop and direction in (None, f.direction)]

    def relation_count(self, direction: str, prop: str) -> int:
        """How many facts of `prop` the entity has that way ("out" or "in"), shown or not."""
        shown = len((self.outgoing if direction == "out" else self.incoming).get(prop, []))
        return max(self.relation_counts.get(direction, {}).get(prop, 0), shown)

    @property
    def truncated(self) -> bool:
        """Whether the card leaves out articles, facts, sentences or events (the caps)."""
        return (self.article_count > len(self.articles) or self.event_count > len(self.events)
                or any(self.relation_count(d, p) > len(facts)
                       for d, group in (("out", self.outgoing), ("in", self.incoming)) for p, facts in group.items())
                or any(f.source_total > len(f.sources) for f in self.facts))

    def to_dict(self) -> dict[str, Any]:
        return {
            "iri": self.iri, "label": self.label, "type": self.type, "types": self.types,
            "aliases": self.aliases, "articles": self.articles,
            "articleCount": max(self.article_count, len(self.articles)),
            "relations": {
                "out": {p: [f.to_dict() for f in facts] for p, facts in self.outgoing.items()},
                "in": {p: [f.to_dict() for f in facts] for p, facts in self.incoming.items()},
            },
            "relationCounts": {d: {p: self.relation_count(d, p) for p in group}
                               for d, group in (("out", self.outgoing), ("in", self.incoming))},
            "events": [e.to_dict() for e in self.events],
            "eventCount": max(self.event_count, len(self.events)),
            "truncated": self.truncated,
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False)

    def to_text(self, *, width: int = 100) -> str:
        """The card for people: header, then one block per property, then events."""
        articles = ", ".join(self.articles) or "-"
        if self.article_count > len(self.articles):
            articles += f", … and {self.article_count - len(self.articles):,} more"
        lines = [f"{self.label} ({self.type})" if self.type else self.label,
                 f"  iri       {self.iri}",
                 f"  types     {', '.join(self.types) or '-'}",
                 f"  aliases   {', '.join(self.aliases) or '-'}",
                 f"  articles  {articles}"]
        if not self.facts and not self.events:
            lines += ["", "no relations"]
        for group, heading, direction in ((self.outgoing, "{p} {arrow}", "out"), (self.incoming, "<- {p}", "in")):
            for prop, facts in group.items():
                arrow = "<->" if facts and facts[0].symmetric else "->"
                lines += ["", heading.format(p=prop, arrow=arrow)]
                for f in facts:
                    other = (f"{f.other} ({f.other_type})" if f.other_type else f.other) if f.other_iri is not None \
                        else json.dumps(f.other, ensure_ascii=False)
                    lines.append(f"  {other}")
                    lines += _source_lines(f.sources, width)
                    if f.source_total > len(f.sources):
                        lines.append(f"      … and {_more(f.source_total - len(f.sources), 'sentence')}")
                total = self.relation_count(direction, prop)
                if total > len(facts):
                    lines.append(f"  … and {total - len(facts):,} more ({total:,} in all, the most attested shown)")
        if self.events:
            lines += ["", "events"]
            for event in self.events:
                lines += textwrap.wrap(event.summary(), width, initial_indent="  ", subsequent_indent="    ")
                lines += _source_lines(event.sources, width)
            if self.event_count > len(self.events):
                lines.append(f"  … and {_more(self.event_count - len(self.events), 'event')}")
        if self.truncated:
            lines += ["", "(some lists are cut short; `kg lookup --all` shows everything)"]
        return "\n".join(lines)


def _more(n: int, noun: str) -> str:
    return f"{n:,} more {noun}{'' if n == 1 else 's'}"


def _source_lines(sources: list[Source], width: int) -> list[str]:
    lines: list[str] = []
    for s in sources:
        text = f'{s.article}: "{" ".join(s.sentence.split())}"'
        lines += textwrap.wrap(text, width, initial_indent="      ", subsequent_indent="        ") or [""]
    return lines


def lookup(store: Store, name: str, *, max_sources: int | None = SOURCES_SHOWN,
           max_others: int | None = OTHERS_SHOWN) -> EntityCard:
    """The entity card of the entity `name` names (any alias, case-insensitively).

    `max_sources`, `max_others`: the caps of entity_card (None: show everything).
    """
    return entity_card(store, find_entity(store, name), max_sources=max_sources, max_others=max_others)


_Key = tuple[str, str, tuple[str, ...]]  # (subject IRI, property IRI, _term_key(object)) of a fact


def entity_card(store: Store, iri: str, *, max_sources: int | None = SOURCES_SHOWN,
                max_others: int | None = OTHERS_SHOWN) -> EntityCard:
    """The entity card of the entity with IRI `iri`.

    At most `max_sources` sentences per fact (spread over articles) and at most `max_others`
    facts per property (those with the most evidence), articles and events; None: no cap.
    Every query is bound on the entity, so a card costs what the entity has, not what the
    store holds.
    """
    for name, cap in (("max_sources", max_sources), ("max_others", max_others)):
        if cap is not None and cap < 1:
            raise InputError(f"{name} must be at least 1 (or None for no cap), not {cap}")
    node = ox.NamedNode(iri)
    e = str(node)  # written by pyoxigraph (escaped), never pasted raw
    symmetric = {NS + p for p in symmetric_properties()}
    label, types, aliases, goals = "", set(), [], []
    out: list[tuple[str, ox.NamedNode | ox.Literal | ox.BlankNode]] = []
    for p_term, o in _rows(store, f"SELECT ?p ?o WHERE {{ {e} ?p ?o FILTER(?p != kg:mentionedIn) }}", ("p", "o")):
        p = p_term.value
        if p == _TYPE:
            if o.value.startswith(NS):
                types.add(o.value[len(NS):])
        elif p == _LABEL:
            label = min(label, o.value) if label else o.value
        elif p == _ALT:
            aliases.append(o.value)
        elif p == _HAS_GOAL:
            goals.append(o.value)
        else:
            out.append((p, o))
    in_rows = list(_rows(store, f"""SELECT DISTINCT ?s ?p WHERE {{ ?s ?p {e} .
        FILTER(?p NOT IN (rdf:subject, rdf:object)) FILTER EXISTS {{ ?s kg:mentionedIn ?article }} }}""", ("s", "p")))
    article_count, articles = _articles(store, e, max_others)
    evidence = _evidence_index(store, node)

    def evidence_of(s: str, p: str, o: ox.Term) -> list[str]:
        found = dict.fromkeys(evidence.get((s, p, _term_key(o)), ()))
        if p in symmetric and isinstance(o, ox.NamedNode):
            found.update(dict.fromkeys(evidence.get((o.value, p, ("iri", s)), ())))
        return list(found)

    # the facts, grouped by property: (property IRI, the other end, evidence nodes)
    groups: dict[tuple[str, str], list[tuple[str, ox.Term, list[str]]]] = {}
    shown: set[tuple[str, str]] = set()
    for p, o in out:
        groups.setdefault(("out", _prop_name(p)), []).append((p, o, evidence_of(iri, p, o)))
        shown.add((p, o.value))
    for s, p_term in in_rows:
        p = p_term.value
        if p in symmetric and (p, s.value) in shown:
            continue  # the same fact, stored both ways
        groups.setdefault(("in", _prop_name(p)), []).append((p, s, evidence_of(s.value, p, node)))
    counts: dict[str, dict[str, int]] = {"out": {}, "in": {}}
    for (direction, prop), facts in groups.items():
        counts[direction][prop] = len(facts)
        if max_others is not None and len(facts) > max_others:  # keep the best attested, in their order
            keep = {id(f) for f in sorted(facts, key=lambda f: (-len(f[2]), _term_key(f[1])))[:max_others]}
            groups[(direction, prop)] = [f for f in facts if id(f) in keep]

    picked = {id(f): _spread(f[2], max_sources) for facts in groups.values() for f in facts}
    sources = _sources(store, list({ev: None for evs in picked.values() for ev in evs}))
    refs = {ref.iri: ref for ref in _refs(store, sorted({o.value for facts in groups.values() for _, o, _ in facts
                                                         if isinstance(o, ox.NamedNode)}))}

    def fact(direction: str, p: str, other: ox.Term, evs: list[str], chosen: list[str]) -> Fact:
        if isinstance(other, ox.NamedNode):
            ref = refs.get(other.value)
            name, kind, other_iri = (ref.label, ref.type, ref.iri) if ref else (shorten(other.value), "", other.value)
        else:
            name, kind, other_iri = other.value, "", None
        found = list(dict.fromkeys(s for ev in chosen for s in sources.get(ev, ())))
        found.sort(key=lambda x: (x.article, x.start or 0))
        count = len(found) if len(chosen) == len(evs) else len(evs)
        return Fact(_prop_name(p), direction, name, other_iri, kind, p in symmetric, found, count)

    outgoing: dict[str, list[Fact]] = {}
    incoming: dict[str, list[Fact]] = {}
    for (direction, prop), facts in groups.items():
        target = outgoing if direction == "out" else incoming
        target[prop] = [fact(direction, f[0], f[1], f[2], picked[id(f)]) for f in facts]
    kinds = [t for t in types if t in classes()] or sorted(types)
    events, event_count = _events(store, node, goals, max_others)
    return EntityCard(
        iri=iri, label=label, type=leaf_type(kinds),
        types=sorted(kinds, key=lambda t: (len(superclasses(t)) * -1, t)),
        aliases=sorted(set(aliases) - {label}, key=str.casefold),
        articles=articles,
        outgoing=_sorted_groups(outgoing), incoming=_sorted_groups(incoming),
        events=events, article_count=article_count, relation_counts=counts, event_count=event_count,
    )


def _rows(store: Store, sparql: str, names: tuple[str, ...]) -> Iterator[tuple[Any, ...]]:
    """The solutions of a SELECT as tuples of the variables `names` (None where unbound):
    cheaper than Store.select for the thousands of rows of a busy entity."""
    solutions = store.query(sparql)
    variables = [v.value for v in solutions.variables]  # type: ignore[union-attr]
    at = [variables.index(n) for n in names]
    if at == list(range(len(variables))):
        for row in solutions:  # type: ignore[union-attr]
            yield tuple(row)
    else:
        for row in solutions:  # type: ignore[union-attr]
            yield tuple(row[i] for i in at)


def _evidence_order(ev: str) -> tuple[str, int, str]:
    """Evidence nodes in the order of their articles, then of their number in the article
    (an evidence node's IRI is `{article}/evidence/{n}`; other IRIs stand alone)."""
    article, _, n = ev.rpartition("/evidence/")
    return (article, int(n), ev) if article and n.isdigit() else (ev, -1, ev)


def _spread(evidence: list[str], cap: int | None) -> list[str]:
    """At most `cap` of the evidence nodes, from as many articles as possible: the first of each
    article's, then the second, ...

    >>> _spread(["a/evidence/0", "a/evidence/10", "a/evidence/2", "b/evidence/0"], 3)
    ['a/evidence/0', 'b/evidence/0', 'a/evidence/2']
    """
    if cap is None or len(evidence) <= cap:
        return evidence
    by_article: dict[str, list[str]] = {}
    for key in sorted(map(_evidence_order, evidence)):
        by_article.setdefault(key[0], []).append(key[2])
    picked: list[str] = []
    for i in range(cap):
        for evs in by_article.values():
            if i < len(evs):
                picked.append(evs[i])
                if len(picked) == cap:
                    return picked
    return picked


def _sorted_groups(groups: dict[str, list[Fact]]) -> dict[str, list[Fact]]:
    return {p: sorted(groups[p], key=lambda f: f.other.casefold()) for p in sorted(groups, key=str.casefold)}


def _prop_name(iri: str) -> str:
    return iri[len(NS):] if iri.startswith(NS) else shorten(iri)


def _term_key(term: ox.Term) -> tuple[str, ...]:
    if isinstance(term, ox.NamedNode):
        return ("iri", term.value)
    if isinstance(term, ox.Literal):
        return ("literal", term.value)
    return ("other", str(term))


def _articles(store: Store, entity: str, cap: int | None) -> tuple[int, list[str]]:
    """How many articles mention the entity (an IRI written as `<IRI>`), and their file names (else
    IRIs), sorted: all of them, or when there are more than `cap`, `cap` of them."""
    count, limit = None, ""
    if cap is not None:
        count = int(next(_rows(store, f"SELECT (COUNT(?a) AS ?n) WHERE {{ {entity} kg:mentionedIn ?a }}",
                               ("n",)))[0].value)
        limit = f"LIMIT {cap}" if count > cap else ""
    names: dict[str, str] = {}
    query = (f"SELECT ?a ?name WHERE {{ {{ SELECT ?a WHERE {{ {entity} kg:mentionedIn ?a }} {limit} }} "
             "OPTIONAL { ?a kg:fileName ?name } }")
    for a, name in _rows(store, query, ("a", "name")):
        if name is not None or a.value not in names:
            names[a.value] = name.value if name is not None else a.value
    return len(names) if count is None else count, sorted(names.values())


def _number(term: ox.Term) -> Any:
    if isinstance(term, ox.Literal):
        kind = term.datatype.value
        try:
            if kind == XSD + "integer":
                return int(term.value)
            if kind in (XSD + "decimal", XSD + "double", XSD + "float"):
                number = Decimal(term.value)
                return int(number) if number == number.to_integral_value() else float(number)
        except (ValueError, ArithmeticError):
            pass
        return term.value
    return term.value


def _evidence_index(store: Store, node: ox.NamedNode) -> dict[_Key, list[str]]:
    """The evidence nodes naming the entity as subject or object, keyed by the fact they state;
    two queries, each bound on the entity."""
    found: dict[_Key, dict[str, None]] = {}
    for ev, p, o in _rows(store, f"SELECT ?ev ?p ?o WHERE {{ ?ev rdf:subject {node} ; "
                                 "rdf:predicate ?p ; rdf:object ?o }", ("ev", "p", "o")):
        found.setdefault((node.value, p.value, _term_key(o)), {})[ev.value] = None
    for ev, s, p in _rows(store, f"SELECT ?ev ?s ?p WHERE {{ ?ev rdf:object {node} ; "
                                 "rdf:predicate ?p ; rdf:subject ?s }", ("ev", "s", "p")):
        found.setdefault((s.value, p.value, ("iri", node.value)), {})[ev.value] = None
    return {key: sorted(evs) for key, evs in found.items()}


_SOURCE_VARS = ("sentence", "article", "file", "rule", "confidence", "start", "end")
_SOURCE_FIELDS = """OPTIONAL { ?ev prov:wasDerivedFrom ?article OPTIONAL { ?article kg:fileName ?file } }
      OPTIONAL { ?ev kg:rule ?rule } OPTIONAL { ?ev kg:confidence ?confidence }
      OPTIONAL { ?ev kg:charStart ?start } OPTIONAL { ?ev kg:charEnd ?end }"""


def _sources(store: Store, evidence: list[str]) -> dict[str, list[Source]]:
    """The sentence (and article, rule, ...) of each evidence node, 500 nodes a query: first for
    the nodes that have every field (a plain join, much cheaper than OPTIONALs), then for the others."""
    found: dict[str, list[Source]] = {}
    names = ("ev", *_SOURCE_VARS)
    for start in range(0, len(evidence), 500):
        chunk = evidence[start:start + 500]
        rows = list(_rows(store, f"""SELECT {' '.join('?' + v for v in names)} WHERE {{
              VALUES ?ev {{ {_values(chunk)} }} ?ev kg:sentence ?sentence ; prov:wasDerivedFrom ?article ;
                kg:rule ?rule ; kg:confidence ?confidence ; kg:charStart ?start ; kg:charEnd ?end .
              ?article kg:fileName ?file }}""", names))
        complete = {row[0].value for row in rows}
        rest = [ev for ev in chunk if ev not in complete]
        if rest:
            rows += _rows(store, f"""SELECT {' '.join('?' + v for v in names)} WHERE {{
                  VALUES ?ev {{ {_values(rest)} }} ?ev kg:sentence ?sentence .
                  {_SOURCE_FIELDS} }}""", names)
        for ev, *values in rows:
            source = _source(dict(zip(_SOURCE_VARS, values)))
            known = found.setdefault(ev.value, [])
            if source not in known:
                known.append(source)
    return found


def _source(r: dict[str, Any]) -> Source:
    article_iri = r["article"].value if r.get("article") is not None else ""
    confidence = _number(r["confidence"]) if r.get("confidence") is not None else None
    return Source(
        article=r["file"].value if r.get("file") is not None else article_iri,
        sentence=r["sentence"].value,
        article_iri=article_iri,
        rule=r["rule"].value if r.get("rule") is not None else None,
        confidence=float(confidence) if isinstance(confidence, (int, float)) else None,
        start=_number(r["start"]) if r.get("start") is not None else None,
        end=_number(r["end"]) if r.get("end") is not None else None,
    )


def _events(store: Store, node: ox.NamedNode, goals: list[str], cap: int | None) -> tuple[list[Event], int]:
    """The events the entity takes part in (at most `cap`: its own goals first), and how many there are."""
    rows = _rows(store, f"""SELECT ?event ?p WHERE {{ VALUES ?p {{ kg:participant kg:focusesOn }} ?event ?p {node} .
                              FILTER NOT EXISTS {{ ?event kg:mentionedIn ?article }} }}""", ("event", "p"))
    roles: dict[str, str] = {g: "agent" for g in goals}
    for event, p in rows:
        roles.setdefault(event.value, _EVENT_LINKS[p.value])
    count = len(roles)
    if cap is not None and count > cap:
        keep = set(sorted(roles, key=lambda i: (roles[i] != "agent", _evidence_order(i)))[:cap])
        roles = {i: role for i, role in roles.items() if i in keep}
    if not roles:
        return [], count
    values = _values(sorted(roles))
    details = store.select(f"SELECT ?event ?p ?o WHERE {{ VALUES ?event {{ {values} }} ?event ?p ?o }}")
    agents = store.select(f"SELECT ?event ?agent WHERE {{ VALUES ?event {{ {values} }} ?agent kg:hasGoal ?event }}")
    sources = _rows(store, f"""SELECT ?event {' '.join('?' + v for v in _SOURCE_VARS)} WHERE {{
              VALUES ?event {{ {values} }} ?event kg:evidence ?ev . ?ev kg:sentence ?sentence .
              {_SOURCE_FIELDS} }}""", ("event", *_SOURCE_VARS))
    linked = sorted({r["o"].value for r in details if isinstance(r["o"], ox.NamedNode)}
                    | {r["agent"].value for r in agents})
    names = {ref.iri: ref.label for ref in _refs(store, linked)}
    events = {iri: Event(type="", iri=iri, role=role) for iri, role in roles.items()}
    for r in details:
        event, p, o = events[r["event"].value], r["p"].value, r["o"]
        if p == _TYPE:
            if o.value.startswith(NS):
                event.type = o.value[len(NS):]
        elif p == NS + "participant":
            event.participants.append(names.get(o.value, shorten(o.value)))
        elif p == NS + "focusesOn":
            event.focuses.append(names.get(o.value, shorten(o.value)))
        elif p != NS + "evidence" and isinstance(o, ox.Literal):
            event.fields[_prop_name(p)] = _number(o)
    for r in agents:
        events[r["event"].value].agents.append(names.get(r["agent"].value, shorten(r["agent"].value)))
    for event_iri, *values in sources:
        source = _source(dict(zip(_SOURCE_VARS, values)))
        if source not in events[event_iri.value].sources:
            events[event_iri.value].sources.append(source)
    for e in events.values():
        e.fields = dict(sorted(e.fields.items(), key=lambda kv: (
            _FIELD_ORDER.index(kv[0]) if kv[0] in _FIELD_ORDER else len(_FIELD_ORDER), kv[0])))
        e.participants.sort(key=str.casefold)
        e.focuses.sort(key=str.casefold)
        e.agents.sort(key=str.casefold)
        e.sources.sort(key=lambda s: (s.article, s.start or 0))
        e.type = e.type or "Event"
    return sorted(events.values(), key=lambda e: (e.type, e.sources[0].article if e.sources else "", e.iri)), count
