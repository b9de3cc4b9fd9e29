"""Errors kg raises. The CLI turns any KGError into a one-line message and exit status 1."""
from __future__ import annotations


class KGError(Exception):
    """Base of every error kg raises on purpose."""


class InputError(KGError, ValueError):
    """An input file or argument is unusable; the message names it and says why."""


class ArticleError(InputError):
    """One article cannot be read; the others are still built."""

    def __init__(self, path: str, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = path
        self.problem = problem


class LexiconError(InputError):
    """A lexicon file is malformed (names the file and line)."""


class StoreLockedError(KGError, OSError):
    """The store directory is held by another process."""


class StoreError(KGError, OSError):
    """The store cannot be opened or written."""


class QuerySyntaxError(KGError, SyntaxError):
    """A SPARQL query does not parse; carries line and column when known."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None) -> None:
        where = f" at line {line}, column {column}" if line is not None else ""
        super().__init__(f"SPARQL syntax error{where}: {message}")
        self.line = line
        self.column = column


class UnknownEntityError(KGError, LookupError):
    """No entity has that name; carries suggestions."""

    def __init__(self, name: str, suggestions: list[str] | None = None) -> None:
        self.name = name
        self.suggestions = suggestions or []
        hint = f"; did you mean {', '.join(self.suggestions)}?" if self.suggestions else ""
        super().__init__(f"no entity named {name!r}{hint}")


class AmbiguousEntityError(KGError, LookupError):
    """Several entities share that name; carries the candidates."""

    def __init__(self, name: str, candidates: list[str]) -> None:
        self.name = name
        self.candidates = candidates
        super().__init__(f"{name!r} names {len(candidates)} entities: {'; '.join(candidates)}")
