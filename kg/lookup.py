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
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pyoxigraph as ox

from .errors import AmbiguousEntityError, InputError, UnknownEntityError
from .ontology import NS, RDF, RDFS, SKOS, XSD, classes, superclasses, symmetric_properties
from .queries import require_articles, shorten
from .store import Store

_TYPE, _LABEL, _ALT = RDF + "type", RDFS + "label", SKOS + "altLabel"
_MENTIONED, _HAS_GOAL = NS + "mentionedIn", NS + "hasGoal"
_EVENT_LINKS = {NS + "participant": "participant", NS + "focusesOn": "focus"}
_FIELD_ORDER = ("durationYears", "initiativeCount", "announcedOn", "metric", "changePercent", "targetYear")
_LABEL_AND_TYPE = re.compile(r"^(?P<label>.+?)\s*\((?P<type>[A-Za-z]+)\)$")


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
    ...   <https://example.org/entity/Microsoft> a kg:Company ; rdfs:label "Microsoft" ;
    ...       skos:altLabel "MSFT", "Microsoft Corporation" ; kg:mentionedIn <https://example.org/article/1> .
    ...   ''', format=ox.RdfFormat.TURTLE))])
    >>> find_entity(store, "msft")
    'https://example.org/entity/Microsoft'
    >>> find_entity(store, "Microsoft Corp")
    Traceback (most recent call last):
    ...
    kg.errors.UnknownEntityError: no entity named 'Microsoft Corp'; did you mean Microsoft?
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
    if not rows:
        rows = store.select(
            """SELECT DISTINCT ?q ?e ?how WHERE {
                 { ?e rdfs:label ?n BIND("label" AS ?how) } UNION { ?e skos:altLabel ?n BIND("alias" AS ?how) }
                 FILTER(LCASE(STR(?n)) = ?q)
                 FILTER EXISTS { ?e kg:mentionedIn ?article }
               }""",
            substitutions={"q": ox.Literal(text.lower())},
        )
    refs = {ref.iri: ref for ref in _refs(store, sorted({r["e"].value for r in rows}))}
    return [(refs[r["e"].value], r["how"].value) for r in rows if r["e"].value in refs]


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
        rows = store.select(
            f"""SELECT ?x ?label ?type WHERE {{ VALUES ?x {{ {_values(iris[start:start + 500])} }}
                  ?x rdfs:label ?label . OPTIONAL {{ ?x a ?type }} }}"""
        )
        for r in rows:
            x = r["x"].value
            if x not in labels or r["label"].value < labels[x]:
                labels[x] = r["label"].value
            if "type" in r and r["type"].value.startswith(NS):
                types.setdefault(x, set()).add(r["type"].value[len(NS):])
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
    default = ox.DefaultGraph()
    labels = {q.subject: q.object.value for q in store.raw.quads_for_pattern(None, ox.NamedNode(_LABEL), None, default)}
    names: dict[str, set[str]] = {}
    for subject, label in labels.items():
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

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"iri": self.other_iri, "label": self.other, "type": self.other_type} \
            if self.other_iri is not None else {"value": self.other}
        if self.symmetric:
            d["symmetric"] = True
        d["evidence"] = [s.to_dict() for s in self.sources]
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
    """Everything the graph says about one entity (see the module docs)."""

    iri: str
    label: str
    type: str
    types: list[str] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)
    articles: list[str] = field(default_factory=list)
    outgoing: dict[str, list[Fact]] = field(default_factory=dict)
    incoming: dict[str, list[Fact]] = field(default_factory=dict)
    events: list[Event] = field(default_factory=list)

    @property
    def facts(self) -> list[Fact]:
        """Every relation, out then in."""
        return [f for group in (self.outgoing, self.incoming) for facts in group.values() for f in facts]

    def related(self, prop: str, direction: str | None = None) -> list[str]:
        """Labels (or values) on the other end of `prop`, e.g. card.related("partnersWith")."""
        return [f.other for f in self.facts if f.property == prop and direction in (None, f.direction)]

    def to_dict(self) -> dict[str, Any]:
        return {
            "iri": self.iri, "label": self.label, "type": self.type, "types": self.types,
            "aliases": self.aliases, "articles": self.articles,
            "relations": {
                "out": {p: [f.to_dict() for f in facts] for p, facts in self.outgoing.items()},
                "in": {p: [f.to_dict() for f in facts] for p, facts in self.incoming.items()},
            },
            "events": [e.to_dict() for e in self.events],
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False)

    def to_text(self, *, width: int = 100) -> str:
        """The card for people: header, then one block per property, then events."""
        lines = [f"{self.label} ({self.type})" if self.type else self.label,
                 f"  iri       {self.iri}",
                 f"  types     {', '.join(self.types) or '-'}",
                 f"  aliases   {', '.join(self.aliases) or '-'}",
                 f"  articles  {', '.join(self.articles) or '-'}"]
        if not self.facts and not self.events:
            lines += ["", "no relations"]
        for group, heading in ((self.outgoing, "{p} {arrow}"), (self.incoming, "<- {p}")):
            for prop, facts in group.items():
                arrow = "<->" if facts and facts[0].symmetric else "->"
                lines += ["", heading.format(p=prop, arrow=arrow)]
                for f in facts:
                    other = (f"{f.other} ({f.other_type})" if f.other_type else f.other) if f.other_iri is not None \
                        else json.dumps(f.other, ensure_ascii=False)
                    lines.append(f"  {other}")
                    lines += _source_lines(f.sources, width)
        if self.events:
            lines += ["", "events"]
            for event in self.events:
                lines += textwrap.wrap(event.summary(), width, initial_indent="  ", subsequent_indent="    ")
                lines += _source_lines(event.sources, width)
        return "\n".join(lines)


def _source_lines(sources: list[Source], width: int) -> list[str]:
    lines: list[str] = []
    for s in sources:
        text = f'{s.article}: "{" ".join(s.sentence.split())}"'
        lines += textwrap.wrap(text, width, initial_indent="      ", subsequent_indent="        ") or [""]
    return lines


def lookup(store: Store, name: str) -> EntityCard:
    """The entity card of the entity `name` names (any alias, case-insensitively)."""
    return entity_card(store, find_entity(store, name))


def entity_card(store: Store, iri: str) -> EntityCard:
    """The entity card of the entity with IRI `iri`."""
    node = ox.NamedNode(iri)
    symmetric = {NS + p for p in symmetric_properties()}
    out_rows = store.select("SELECT ?e ?p ?o WHERE { ?e ?p ?o }", substitutions={"e": node})
    in_rows = store.select(
        "SELECT DISTINCT ?e ?s ?p WHERE { ?s ?p ?e . FILTER EXISTS { ?s kg:mentionedIn ?article } }",
        substitutions={"e": node},
    )
    label, types, aliases, article_iris, goals = "", set(), [], [], []
    out: list[tuple[str, ox.NamedNode | ox.Literal | ox.BlankNode]] = []
    for r in out_rows:
        p, o = r["p"].value, r["o"]
        if p == _TYPE:
            if o.value.startswith(NS):
                types.add(o.value[len(NS):])
        elif p == _LABEL:
            label = min(label, o.value) if label else o.value
        elif p == _ALT:
            aliases.append(o.value)
        elif p == _MENTIONED:
            article_iris.append(o.value)
        elif p == _HAS_GOAL:
            goals.append(o.value)
        else:
            out.append((p, o))
    others = sorted({o.value for _, o in out if isinstance(o, ox.NamedNode)} | {r["s"].value for r in in_rows})
    refs = {ref.iri: ref for ref in _refs(store, others)}
    articles = _article_names(store, article_iris)
    evidence = _evidence(store, node)

    def sources(s: str, p: str, o: ox.Term) -> list[Source]:
        key = (s, p, _term_key(o))
        found = list(evidence.get(key, []))
        if p in symmetric and isinstance(o, ox.NamedNode):
            found += [x for x in evidence.get((o.value, p, ("iri", s)), []) if x not in found]
        return sorted(found, key=lambda x: (x.article, x.start or 0))

    def fact(p: str, direction: str, other: ox.Term, subject: str, obj: ox.Term) -> Fact:
        if isinstance(other, ox.NamedNode):
            ref = refs.get(other.value)
            name, kind, other_iri = (ref.label, ref.type, ref.iri) if ref else (shorten(other.value), "", other.value)
        else:
            name, kind, other_iri = other.value, "", None
        return Fact(_prop_name(p), direction, name, other_iri, kind, p in symmetric, sources(subject, p, obj))

    outgoing: dict[str, list[Fact]] = {}
    shown: set[tuple[str, str]] = set()
    for p, o in out:
        outgoing.setdefault(_prop_name(p), []).append(fact(p, "out", o, iri, o))
        shown.add((p, o.value))
    incoming: dict[str, list[Fact]] = {}
    for r in in_rows:
        p, s = r["p"].value, r["s"].value
        if p in symmetric and (p, s) in shown:
            continue  # the same fact, stored both ways
        incoming.setdefault(_prop_name(p), []).append(fact(p, "in", r["s"], s, node))
    kinds = [t for t in types if t in classes()] or sorted(types)
    return EntityCard(
        iri=iri, label=label, type=leaf_type(kinds),
        types=sorted(kinds, key=lambda t: (len(superclasses(t)) * -1, t)),
        aliases=sorted(set(aliases) - {label}, key=str.casefold),
        articles=[articles.get(a, a) for a in sorted(article_iris, key=lambda a: articles.get(a, a))],
        outgoing=_sorted_groups(outgoing), incoming=_sorted_groups(incoming),
        events=_events(store, node, goals),
    )


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


def _article_names(store: Store, iris: list[str]) -> dict[str, str]:
    if not iris:
        return {}
    values = _values(sorted(set(iris)))
    rows = store.select(f"SELECT ?a ?name WHERE {{ VALUES ?a {{ {values} }} ?a kg:fileName ?name }}")
    return {r["a"].value: r["name"].value for r in rows}


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


def _evidence(store: Store, node: ox.NamedNode) -> dict[tuple[str, str, tuple[str, ...]], list[Source]]:
    """Evidence nodes naming the entity as subject or object, keyed by (s, p, o)."""
    rows = store.select(
        """SELECT DISTINCT ?e ?ev ?s ?p ?o ?sentence ?article ?file ?rule ?confidence ?start ?end WHERE {
             { ?ev rdf:subject ?e } UNION { ?ev rdf:object ?e }
             ?ev rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; kg:sentence ?sentence .
             OPTIONAL { ?ev prov:wasDerivedFrom ?article OPTIONAL { ?article kg:fileName ?file } }
             OPTIONAL { ?ev kg:rule ?rule } OPTIONAL { ?ev kg:confidence ?confidence }
             OPTIONAL { ?ev kg:charStart ?start } OPTIONAL { ?ev kg:charEnd ?end }
           }""",
        substitutions={"e": node},
    )
    found: dict[tuple[str, str, tuple[str, ...]], list[Source]] = {}
    for r in rows:
        source = _source(r)
        key = (r["s"].value, r["p"].value, _term_key(r["o"]))
        if source not in found.setdefault(key, []):
            found[key].append(source)
    return found


def _source(r: dict[str, Any]) -> Source:
    article_iri = r["article"].value if "article" in r else ""
    confidence = _number(r["confidence"]) if "confidence" in r else None
    return Source(
        article=r["file"].value if "file" in r else article_iri,
        sentence=r["sentence"].value,
        article_iri=article_iri,
        rule=r["rule"].value if "rule" in r else None,
        confidence=float(confidence) if isinstance(confidence, (int, float)) else None,
        start=_number(r["start"]) if "start" in r else None,
        end=_number(r["end"]) if "end" in r else None,
    )


def _events(store: Store, node: ox.NamedNode, goals: list[str]) -> list[Event]:
    rows = store.select(
        """SELECT DISTINCT ?e ?event ?p WHERE { ?event ?p ?e .
             FILTER(?p IN (kg:participant, kg:focusesOn))
             FILTER NOT EXISTS { ?event kg:mentionedIn ?article } }""",
        substitutions={"e": node},
    )
    roles: dict[str, str] = {g: "agent" for g in goals}
    for r in rows:
        roles.setdefault(r["event"].value, _EVENT_LINKS[r["p"].value])
    if not roles:
        return []
    values = _values(sorted(roles))
    details = store.select(f"SELECT ?event ?p ?o WHERE {{ VALUES ?event {{ {values} }} ?event ?p ?o }}")
    agents = store.select(f"SELECT ?event ?agent WHERE {{ VALUES ?event {{ {values} }} ?agent kg:hasGoal ?event }}")
    sources = store.select(
        f"""SELECT ?event ?sentence ?article ?file ?rule ?confidence ?start ?end WHERE {{
              VALUES ?event {{ {values} }} ?event kg:evidence ?ev . ?ev kg:sentence ?sentence .
              OPTIONAL {{ ?ev prov:wasDerivedFrom ?article OPTIONAL {{ ?article kg:fileName ?file }} }}
              OPTIONAL {{ ?ev kg:rule ?rule }} OPTIONAL {{ ?ev kg:confidence ?confidence }}
              OPTIONAL {{ ?ev kg:charStart ?start }} OPTIONAL {{ ?ev kg:charEnd ?end }} }}"""
    )
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
    for r in sources:
        source = _source(r)
        if source not in events[r["event"].value].sources:
            events[r["event"].value].sources.append(source)
    for e in events.values():
        e.fields = dict(sorted(e.fields.items(), key=lambda kv: (
            _FIELD_ORDER.index(kv[0]) if kv[0] in _FIELD_ORDER else len(_FIELD_ORDER), kv[0])))
        e.participants.sort(key=str.casefold)
        e.focuses.sort(key=str.casefold)
        e.agents.sort(key=str.casefold)
        e.sources.sort(key=lambda s: (s.article, s.start or 0))
        e.type = e.type or "Event"
    return sorted(events.values(), key=lambda e: (e.type, e.sources[0].article if e.sources else "", e.iri))

