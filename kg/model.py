"""Plain data passed between stages: extraction produces these, the RDF mapping consumes them.

Nothing here knows about spaCy or RDF, so every stage can be tested with hand-made values.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Article:
    """One ingested document: its cleaned text and where it came from.

    `text` keeps the character offsets of the original: markup and citation markers
    are blanked with spaces rather than deleted, so offsets point into what the author wrote.
    """

    text: str
    name: str  # file name (for .jsonl: "file.jsonl#3"), what gold files call "doc"
    path: str  # absolute path of the source file
    sha256: str  # of the cleaned text: the article's identity
    title: str | None = None
    date: str | None = None  # ISO date when the source carries one
    source: str | None = None  # publisher, when the source carries one
    format: str = "txt"  # txt | md | html | jsonl


@dataclass(frozen=True)
class Evidence:
    """Where a fact was read: the sentence and its character span in `Article.text`."""

    sentence: str
    start: int
    end: int
    rule: str  # id of the rule that produced the fact, e.g. "rel.partner.with"
    confidence: float


@dataclass(frozen=True)
class Mention:
    """One occurrence of an entity in the text."""

    text: str
    start: int
    end: int
    entity: str  # the canonical label of the Entity it resolves to


@dataclass(frozen=True)
class Entity:
    """A real-world thing named in an article, after resolution within that article.

    `label` is the canonical name (from the lexicon when it knows the entity);
    `aliases` every other surface form seen or known for it.
    """

    label: str
    type: str  # a leaf class local name of vocabulary.md: Company, Person, Platform, ...
    aliases: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Relation:
    """A fact: `subject --predicate--> object`, labels of entities (or a literal value).

    `predicate` is a local name of vocabulary.md (partnersWith, hasTicker, jobTitle, ...).
    When `literal` is true, `object` is a plain string value, not an entity label.
    """

    subject: str
    predicate: str
    object: str
    evidence: Evidence
    literal: bool = False


@dataclass(frozen=True)
class Event:
    """An n-ary fact: a Partnership or a Goal, with the attributes the text gives."""

    type: str  # "Partnership" | "Goal"
    evidence: Evidence
    participants: tuple[str, ...] = ()  # Partnership: entity labels
    focuses: tuple[str, ...] = ()  # Partnership: Technology labels
    duration_years: int | None = None
    initiative_count: int | None = None
    announced_on: str | None = None  # "2025-04-16" or "--04-16" (year unknown)
    agent: str | None = None  # Goal: the organization stating it
    metric: str | None = None  # Goal
    change_percent: float | None = None  # Goal: signed, a 60 % cut is -60
    target_year: int | None = None  # Goal


@dataclass(frozen=True)
class Extraction:
    """Everything extraction found in one article."""

    article: Article
    entities: tuple[Entity, ...] = ()
    mentions: tuple[Mention, ...] = ()
    relations: tuple[Relation, ...] = ()
    events: tuple[Event, ...] = ()
    warnings: tuple[str, ...] = field(default=())
