"""One IRI per real entity across articles: match new entities to ones the store already has.

Extraction resolves names inside one article; this index carries that across articles.
An entity whose label or any alias equals (case-insensitively) a name already known for a
compatible type reuses that entity's IRI, label and type. A name that two known entities carry
(a ticker two exchanges share, say) names neither: which one claimed it first is not in the
store, so a build that resumes from the store would otherwise merge differently from one that
ran in one go.
"""
from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from .model import Entity
from .ontology import superclasses

_FAMILY_ROOTS = ("Organization", "Product")


def _family(type_: str) -> str:
    """Types that may name the same thing: all organisations, products with platforms."""
    chain = [type_, *superclasses(type_)]
    return next((root for root in _FAMILY_ROOTS if root in chain), type_)


@dataclass(frozen=True)
class Known:
    """An entity as the store knows it."""

    iri: str
    label: str
    type: str


class EntityIndex:
    """Names (case-folded) -> known entities, grown as articles are mapped."""

    def __init__(self, base_iri: str) -> None:
        self.base_iri = base_iri
        self._by_name: dict[tuple[str, str], Known | None] = {}  # None: carried by two entities
        self._iris: set[str] = set()

    def add(self, known: Known, names: set[str] | frozenset[str]) -> None:
        """Record `known` under its label and every name in `names`, in any order."""
        self._iris.add(known.iri)
        family = _family(known.type)
        for name in {known.label, *names}:
            key = (name.casefold(), family)
            held = self._by_name.get(key, known)
            self._by_name[key] = known if held is not None and held.iri == known.iri else None

    def resolve(self, entity: Entity) -> Known:
        """The known entity `entity` is, or a newly minted one (then remembered)."""
        family = _family(entity.type)
        for name in (entity.label, *sorted(entity.aliases)):
            known = self._by_name.get((name.casefold(), family))
            if known is not None:
                self.add(known, {entity.label, *entity.aliases})
                return known
        known = Known(self._mint(entity), entity.label, entity.type)
        self.add(known, {entity.label, *entity.aliases})
        return known

    def _mint(self, entity: Entity) -> str:
        iri = self.base_iri + "entity/" + quote(entity.label.replace(" ", "_"), safe="")
        if iri in self._iris:
            iri += "_" + entity.type
        n = 2
        candidate = iri
        while candidate in self._iris:
            candidate, n = f"{iri}_{n}", n + 1
        return candidate
