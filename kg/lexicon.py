"""The entity lexicon: well-known names kg recognises without a trained model.

Lexicon files are tab-separated text with a header line::

    label	type	aliases	tickers
    Microsoft	Company	Microsoft Corporation|Microsoft Corp.	MSFT

`type` is a leaf class of the vocabulary (Company, Platform, Place, ...); `aliases` and
`tickers` are `|`-separated and may be empty. Lines starting with `#` are comments.
The files in `ontology/lexicon/` ship with kg; users add theirs with `kg build --lexicon FILE`,
and a later file's entry for the same label replaces the earlier one.
"""
from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from .errors import LexiconError
from .resources import ontology_dir

ENTITY_TYPES = frozenset(
    {"Organization", "Company", "MediaOrganization", "Person", "Product", "Platform", "Technology", "Place"}
)
COLUMNS = ("label", "type", "aliases", "tickers")


@dataclass(frozen=True)
class LexiconEntry:
    """One known entity: canonical label, leaf type, other names, stock tickers."""

    label: str
    type: str
    aliases: tuple[str, ...] = ()
    tickers: tuple[str, ...] = ()

    def names(self) -> tuple[str, ...]:
        """Every surface form that names this entity (label first)."""
        return (self.label, *self.aliases, *self.tickers)


class Lexicon:
    """An ordered collection of entries, looked up by any of their names."""

    def __init__(self, entries: Iterable[LexiconEntry] = ()) -> None:
        self._entries: dict[str, LexiconEntry] = {}
        for entry in entries:
            self.add(entry)

    def add(self, entry: LexiconEntry) -> None:
        """Add an entry, replacing an earlier one with the same label."""
        self._entries[entry.label] = entry

    def __iter__(self) -> Iterator[LexiconEntry]:
        return iter(self._entries.values())

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, label: object) -> bool:
        return label in self._entries

    def get(self, label: str) -> LexiconEntry | None:
        """The entry whose canonical label is `label`."""
        return self._entries.get(label)

    def by_name(self) -> dict[str, LexiconEntry]:
        """Every surface form (case-folded) -> its entry; later entries win on a clash."""
        index: dict[str, LexiconEntry] = {}
        for entry in self._entries.values():
            for name in entry.names():
                index[name.casefold()] = entry
        return index


def read_lexicon_file(path: str | Path) -> list[LexiconEntry]:
    """Parse one lexicon file; a malformed line raises LexiconError naming file and line."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise LexiconError(f"{path}: lexicon file not found") from None
    except UnicodeDecodeError:
        raise LexiconError(f"{path}: lexicon file is not UTF-8 text") from None
    except OSError as e:
        raise LexiconError(f"{path}: cannot read lexicon file ({e.strerror})") from None
    lines = [(n, line) for n, line in enumerate(text.splitlines(), 1) if line.strip() and not line.startswith("#")]
    if not lines:
        return []
    header_no, header = lines[0]
    columns = [c.strip().lower() for c in header.split("\t")]
    if columns[:2] != ["label", "type"]:
        raise LexiconError(f"{path}:{header_no}: header must start with 'label<TAB>type', got {header!r}")
    entries = []
    for number, row in lines[1:]:
        cells = next(csv.reader([row], delimiter="\t", quoting=csv.QUOTE_NONE))
        record = dict(zip(columns, (c.strip() for c in cells)))
        label, type_ = record.get("label", ""), record.get("type", "")
        if not label:
            raise LexiconError(f"{path}:{number}: empty label")
        if type_ not in ENTITY_TYPES:
            raise LexiconError(
                f"{path}:{number}: unknown type {type_!r} for {label!r} (one of {', '.join(sorted(ENTITY_TYPES))})"
            )
        entries.append(
            LexiconEntry(label, type_, _split(record.get("aliases", "")), _split(record.get("tickers", "")))
        )
    return entries


def _split(cell: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in cell.split("|") if part.strip())


def default_lexicon_files() -> list[Path]:
    """The lexicon files shipped in ontology/lexicon/, in name order."""
    return sorted((ontology_dir() / "lexicon").glob("*.tsv"))


def load_lexicon(extra: Iterable[str | Path] = (), *, include_default: bool = True) -> Lexicon:
    """The shipped lexicon plus the user's files (which take precedence)."""
    files = [*(default_lexicon_files() if include_default else []), *map(Path, extra)]
    lexicon = Lexicon()
    for file in files:
        for entry in read_lexicon_file(file):
            lexicon.add(entry)
    return lexicon
