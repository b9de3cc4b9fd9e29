"""The spaCy extension attributes the extraction stages use to hand results to each other.

`span._.kg_entity` builds an `Underscore` object on every access; the stages that read or
write it for every name use `span_entity` and `set_span_entity`, which go straight to
`doc.user_data`, where spaCy keeps span extension values, keyed by the span's characters:

>>> import spacy
>>> from spacy.tokens import Span
>>> doc = spacy.blank("en")("Initech hired Jane Doe.")
>>> span = Span(doc, 2, 4, label="Person")
>>> span._.kg_entity = "Jane Doe"
>>> span_entity(doc, span.start_char, span.end_char)
'Jane Doe'
>>> set_span_entity(doc, 0, 7, "Initech")
>>> Span(doc, 0, 1)._.kg_entity, span_entity(doc, 0, 3)
('Initech', None)
"""
from __future__ import annotations

from spacy.tokens import Doc, Span


def register() -> None:
    """Register kg's extension attributes (idempotent)."""
    if not Span.has_extension("kg_entity"):
        Span.set_extension("kg_entity", default=None)
    if not Doc.has_extension("kg_entities"):
        Doc.set_extension("kg_entities", default=None)
    if not Doc.has_extension("kg_article"):
        Doc.set_extension("kg_article", default=None)


def span_entity(doc: Doc, start_char: int, end_char: int) -> str | None:
    """`span._.kg_entity` of the span of `doc` at these character offsets."""
    return doc.user_data.get(("._.", "kg_entity", start_char, end_char))


def set_span_entity(doc: Doc, start_char: int, end_char: int, label: str) -> None:
    """Set `span._.kg_entity` of the span of `doc` at these character offsets."""
    doc.user_data[("._.", "kg_entity", start_char, end_char)] = label


register()
