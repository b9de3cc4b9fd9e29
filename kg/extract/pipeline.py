"""The extraction pipeline: a blank English spaCy pipeline plus kg's own stages.

    nlp = spacy.blank("en") + kg_sentences + kg_names + kg_types + kg_resolve

then `kg.extract.relations.find_relations(doc)` and `kg.extract.events.find_events(doc)` read
the Doc and the results become a `kg.model.Extraction`. No trained model is needed; with
`spacy_model=NAME` (an installed package or a path) that pipeline's tokenizer, tagger, parser
and NER run first and their entities are extra evidence for names and types.

>>> from kg.lexicon import Lexicon, LexiconEntry
>>> from kg.model import Article
>>> lexicon = Lexicon([LexiconEntry("Initech", "Company", ("Initech Corporation",), ("ITCH",))])
>>> extractor = Extractor(lexicon)
>>> text = "Initech Corporation (NASDAQ:ITCH) hired Jane Doe, a cloud specialist. The company said so."
>>> result = extractor.extract(Article(text=text, name="a.txt", path="/a.txt", sha256="0"))
>>> sorted((e.label, e.type, sorted(e.aliases)) for e in result.entities)
[('Initech', 'Company', ['ITCH', 'Initech Corporation']), ('Jane Doe', 'Person', []), ('NASDAQ', 'Organization', [])]
>>> [(m.text, m.entity) for m in result.mentions if m.text == "The company"]
[('The company', 'Initech')]
"""
from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from ..errors import InputError
from ..lexicon import Lexicon, load_lexicon
from ..model import Article, Entity, Event, Extraction, Mention, Relation
from . import attrs  # noqa: F401  (registers the extension attributes)
from . import names as _names  # noqa: F401  (registers kg_sentences, kg_names)
from . import resolve as _resolve  # noqa: F401  (registers kg_resolve)
from . import types as _types  # noqa: F401  (registers kg_types)
from .resolve import MAKERS_GROUP, REFS_GROUP

DEFAULT_BATCH_SIZE = 32


def build_nlp(lexicon: Lexicon, *, spacy_model: str | None = None) -> Language:
    """The spaCy pipeline for extraction (blank English, or `spacy_model` first when given)."""
    if spacy_model:
        nlp = _load_model(spacy_model)
        disable = [name for name in ("lemmatizer", "textcat", "textcat_multilabel") if name in nlp.pipe_names]
        for name in disable:
            nlp.disable_pipe(name)
        if not ({"parser", "senter", "sentencizer"} & set(nlp.pipe_names)):
            nlp.add_pipe("kg_sentences")
    else:
        nlp = spacy.blank("en")
        nlp.add_pipe("kg_sentences")
    _split_slashes(nlp)
    nlp.add_pipe("kg_names", config={"publish": False}).set_lexicon(lexicon)
    nlp.add_pipe("kg_types", config={"publish": False})
    nlp.add_pipe("kg_resolve").set_lexicon(lexicon)
    return nlp


def _split_slashes(nlp: Language) -> None:
    """Let the tokenizer split slashes off word edges (`/PRNewswire/` -> `/ PRNewswire /`), and a
    full stop off a name ending in an ampersand and capitals (`AT&T.`)."""
    prefixes = [*nlp.Defaults.prefixes, r"/"]
    # "AT&T." closing a sentence: the full stop is no part of the name
    suffixes = [*nlp.Defaults.suffixes, r"/", r"(?<=&[A-Z])\.", r"(?<=&[A-Z][A-Z])\."]
    nlp.tokenizer.prefix_search = spacy.util.compile_prefix_regex(prefixes).search
    nlp.tokenizer.suffix_search = spacy.util.compile_suffix_regex(suffixes).search


def _load_model(name: str) -> Language:
    path = Path(name).expanduser()
    if not path.exists() and not spacy.util.is_package(name):
        raise InputError(
            f"spaCy pipeline {name!r} is not installed; kg works without it (leave out --spacy-model), "
            f"or install that pipeline first"
        )
    try:
        return spacy.load(path if path.exists() else name)
    except (OSError, ValueError, KeyError) as e:
        reason = (str(e).strip().splitlines() or [type(e).__name__])[0]
        raise InputError(
            f"spaCy pipeline {name!r} cannot be loaded ({reason}); kg works without it (leave out --spacy-model)"
        ) from None


def _stage(module: str, function: str) -> Callable[[Doc], list] | None:
    try:
        return getattr(importlib.import_module(f"kg.extract.{module}"), function)
    except ModuleNotFoundError as e:
        if e.name == f"kg.extract.{module}":
            return None
        raise


class Extractor:
    """Article in, Extraction out (entities, mentions, relations, events).

    `lexicon` defaults to the shipped lexicon (`kg.lexicon.load_lexicon()`); `spacy_model`
    names an installed trained pipeline (or a path to one) to use as extra evidence.
    """

    def __init__(self, lexicon: Lexicon | None = None, *, spacy_model: str | None = None) -> None:
        self.lexicon = lexicon if lexicon is not None else load_lexicon()
        self.spacy_model = spacy_model
        self.nlp = build_nlp(self.lexicon, spacy_model=spacy_model)
        self._find_relations = _stage("relations", "find_relations")
        self._find_events = _stage("events", "find_events")

    def extract(self, article: Article) -> Extraction:
        """Extract one article."""
        doc = self.nlp(article.text)
        return self._finish(doc, article)

    def extract_many(self, articles: Iterable[Article], *, batch_size: int = DEFAULT_BATCH_SIZE) -> Iterator[Extraction]:
        """Extract many articles, streaming them through `nlp.pipe` in batches."""
        pairs = ((a.text, a) for a in articles)
        for doc, article in self.nlp.pipe(pairs, as_tuples=True, batch_size=batch_size):
            yield self._finish(doc, article)

    def doc(self, article: Article) -> Doc:
        """The processed spaCy Doc for an article (stages 2-4 done; for inspection and tests)."""
        doc = self.nlp(article.text)
        doc._.kg_article = article
        return doc

    def _finish(self, doc: Doc, article: Article) -> Extraction:
        doc._.kg_article = article
        warnings: list[str] = []
        relations: list[Relation] = []
        events: list[Event] = []
        if self._find_relations is not None:
            relations = list(self._find_relations(doc))
        else:
            warnings.append("relation stage (kg.extract.relations) is not available; no relations extracted")
        if self._find_events is not None:
            events = list(self._find_events(doc))
        else:
            warnings.append("event stage (kg.extract.events) is not available; no events extracted")
        entities: dict[str, Entity] = doc._.kg_entities or {}
        used = _labels_used(relations, events)
        kept = {label: e for label, e in entities.items() if e.type != "Technology" or label in used}
        text = article.text if len(doc) and len(article.text) == doc[-1].idx + len(doc[-1].text_with_ws) else doc.text
        mentions = [
            Mention(text=text[span.start_char:span.end_char], start=span.start_char, end=span.end_char, entity=label)
            for group in (doc.ents, doc.spans.get(REFS_GROUP, ()), doc.spans.get(MAKERS_GROUP, ()))
            for span in group
            for label in (span.kb_id_ or span._.kg_entity,)
            if label in kept
        ]
        mentions.sort(key=lambda m: (m.start, m.end))
        return Extraction(
            article=article,
            entities=tuple(sorted(kept.values(), key=lambda e: e.label.casefold())),
            mentions=tuple(mentions),
            relations=tuple(relations),
            events=tuple(events),
            warnings=tuple(warnings),
        )


def _labels_used(relations: Iterable[Relation], events: Iterable[Event]) -> set[str]:
    used: set[str] = set()
    for r in relations:
        used.add(r.subject)
        if not r.literal:
            used.add(r.object)
    for ev in events:
        used.update(ev.participants)
        used.update(ev.focuses)
        if ev.agent:
            used.add(ev.agent)
    return used
