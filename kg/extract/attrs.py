"""The spaCy extension attributes the extraction stages use to hand results to each other."""
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


register()
