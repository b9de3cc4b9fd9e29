"""Build, by hand, the spaCy Doc that stages 2-4 would hand to relations and events.

Unit tests of stages 5 and 6 need no name finder: they state which names are in the text,
of which type, and which descriptions or pronouns point back to which entity.

>>> doc = make_doc("Acme Corp hired Jane Doe. The company is growing.",
...                {"Acme Corp": ("Company", "Acme"), "Jane Doe": "Person"}, refs={"The company": "Acme"})
>>> [(e.text, e.label_, e._.kg_entity) for e in doc.ents]
[('Acme Corp', 'Company', 'Acme'), ('Jane Doe', 'Person', 'Jane Doe')]
>>> [(r.text, r._.kg_entity) for r in doc.spans["kg_refs"]]
[('The company', 'Acme')]
>>> sorted(doc._.kg_entities["Acme"].aliases)
['Acme Corp']
"""
from __future__ import annotations

import re
from functools import lru_cache

import spacy
from spacy.tokens import Doc, Span

import kg.extract.attrs  # noqa: F401  (registers the extension attributes)
from kg.model import Article, Entity


@lru_cache(maxsize=1)
def _nlp():
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp


def _occurrences(text: str, surface: str) -> list[tuple[int, int]]:
    left = r"(?<!\w)" if surface[0].isalnum() else ""
    right = r"(?!\w)" if surface[-1].isalnum() else ""
    return [(m.start(), m.end()) for m in re.finditer(left + re.escape(surface) + right, text)]


def make_doc(text: str, names: dict[str, str | tuple[str, str]], refs: dict[str, str] | None = None,
             *, date: str | None = None) -> Doc:
    """A Doc of `text` with every occurrence of each name in `names` as an entity.

    `names` maps a surface form to its type, or to (type, canonical label) for an alias.
    `refs` maps a description or pronoun ("the company", "its") to the label it points to.
    `date` becomes the article's date.
    """
    doc = _nlp()(text)
    found = []
    entities: dict[str, str] = {}
    for surface, spec in names.items():
        type_, label = (spec, surface) if isinstance(spec, str) else spec
        entities.setdefault(label, type_)  # declared even when only a description names it
        for a, b in _occurrences(text, surface):
            span = doc.char_span(a, b)
            if span is None:
                raise ValueError(f"{surface!r} does not fall on token boundaries in {text!r}")
            found.append((span.start, span.end, type_, label))
    found.sort(key=lambda f: (f[0], -(f[1] - f[0])))
    ents, end = [], -1
    aliases: dict[str, set[str]] = {}
    for start, stop, type_, label in found:
        if start < end:
            continue  # a shorter name inside a longer one
        span = Span(doc, start, stop, label=type_)
        span._.kg_entity = label
        ents.append(span)
        end = stop
        if span.text != label:
            aliases.setdefault(label, set()).add(span.text)
    doc.ents = ents
    ref_spans = []
    for surface, label in (refs or {}).items():
        for a, b in _occurrences(text, surface):
            span = doc.char_span(a, b)
            span = Span(doc, span.start, span.end, label=entities[label])
            span._.kg_entity = label
            ref_spans.append(span)
    doc.spans["kg_refs"] = sorted(ref_spans, key=lambda s: s.start)
    doc._.kg_entities = {
        label: Entity(label, type_, frozenset(aliases.get(label, ()))) for label, type_ in entities.items()
    }
    doc._.kg_article = Article(text=text, name="test.txt", path="/test.txt", sha256="0", date=date)
    return doc
