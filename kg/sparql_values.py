"""Bind SPARQL variables to RDF terms with `VALUES` blocks written into the query text.

Both stores bind query parameters this way: the embedded store, because pyoxigraph plans a
query without the values of substituted variables (it joins them in afterwards, so an index
cannot start from a bound entity; `VALUES` it plans with), and the remote store, because the
SPARQL protocol has no substitutions. The values are RDF terms serialised by pyoxigraph
(`str(term)`: `<iri>`, `"text"` with quotes and newlines escaped), and variable names must be
plain names, so no value can change the query around it.

Where the block goes (`scan` finds the places without parsing the query: strings, IRIs and
comments are skipped):

- at the top of the WHERE pattern, with every variable: everything joined there sees them;
- at the start of each nested group that uses a variable in an expression of its own (a
  FILTER, BIND or function call directly in that group), since such an expression sees only
  its group's variables (a FILTER in a UNION branch or a GRAPH group, say);
- at the start of the WHERE pattern of a subquery that projects a variable and uses it, so
  that it computes only what joins (a subquery that does not project `?x` has a `?x` of its
  own, which is left alone, as pyoxigraph's substitutions leave it).

A variable used in a nested group's triple patterns only is left to the join with the top,
which gives the same solutions and lets the planner start from the bound term once.

>>> print(bind_values('SELECT ?who ?x WHERE { ?who ?p ?x { ?x ?q ?y FILTER(?y != ?who) } }',
...                   {"who": ox.NamedNode("http://example.org/Acme")}))
SELECT ?who ?x WHERE { VALUES (?who) { (<http://example.org/Acme>) } ?who ?p ?x { VALUES (?who) { (<http://example.org/Acme>) } ?x ?q ?y FILTER(?y != ?who) } }
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import pyoxigraph as ox

Edit = tuple[int, int, str]
"""(start, end, replacement) in a query's text."""

_NAME = re.compile(r"^\w+$")
_IRI = re.compile(r"<[^<>\"{}|^`\\\x00-\x20]*>")
_GRAPH_NAME = re.compile(r"\s*([?$]\w+|<[^<>\"{}|^`\\\x00-\x20]*>|[A-Za-z_][\w.-]*:[\w.\-]*|:[\w.\-]*)\s*\{")
_VARIABLE = re.compile(r"[?$]\w+")
_WORD = re.compile(r"[A-Za-z0-9_][\w.:\-]*|[A-Za-z_]")


@dataclass
class Scan:
    """What the text of a query says about its structure (strings, IRIs and comments skipped)."""

    # each `GRAPH name {`: where the name starts and ends, the name, and where its `{` is
    graphs: list[tuple[int, int, str, int]] = field(default_factory=list)
    has_from: bool = False
    pattern_open: int | None = None  # index of the `{` of the WHERE pattern
    short_construct: bool = False  # CONSTRUCT WHERE { ... }
    where_at: int | None = None
    star_at: int | None = None  # index of the `*` of a top-level SELECT *
    # the `{` of each group that needs variables bound in it, and which (see the module docs)
    groups: dict[int, list[str]] = field(default_factory=dict)


@dataclass
class _Frame:
    at: int
    kind: str  # "group" | "data" | "subselect" | "template"
    parens: int  # open parentheses when the brace opened
    subselect: _Frame | None = None  # the innermost subquery around it (itself for a subselect)
    outer: _Frame | None = None  # a subselect's own innermost subquery around it
    where: int | None = None  # a subselect's WHERE pattern: the first group opened directly in it
    projects: set[str] = field(default_factory=set)  # a subselect's variables, as projected (* for all)

    def sees(self, name: str) -> bool:
        """Whether a subquery's `?name` is the query's own: projected by it and every subquery around it."""
        sub: _Frame | None = self
        while sub is not None:
            if name not in sub.projects and "*" not in sub.projects:
                return False
            sub = sub.outer
        return True


def scan(text: str, names: Iterable[str] = ()) -> Scan:
    """Scan a query: its GRAPH patterns, FROM clauses, where its WHERE pattern opens, and the
    groups `{...}` in which the variables `names` must be bound (see the module docs).

    >>> s = scan('SELECT ?g WHERE { GRAPH ?g { ?s ?p "}{#" } }')
    >>> s.graphs, s.pattern_open
    ([(24, 26, '?g', 27)], 16)
    >>> scan("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }").pattern_open
    29
    >>> scan("SELECT * { ?s ?p ?x { ?o ?q ?x } UNION { BIND(?x AS ?y) } }", ["x"]).groups
    {9: ['x'], 39: ['x']}
    """
    t = Scan()
    wanted = {f"{sigil}{n}": n for n in names for sigil in "?$"}
    stack: list[_Frame] = []
    groups: dict[int, set[str]] = {}
    i, n = 0, len(text)
    parens = 0
    previous = ""
    seen_where = False
    construct = False
    values_head = False  # after VALUES, before its data block
    while i < n:
        after = _skip(text, i)
        if after is not None:
            i, previous = after, "term"
            continue
        c = text[i]
        if c == "{":
            top = stack[-1] if stack else None
            if not stack and t.pattern_open is None and (seen_where or not construct):
                t.pattern_open = i
                kind = "group"
            elif t.pattern_open is None:
                kind = "template"
            elif values_head:
                kind, values_head = "data", False
            else:
                start = _next_token(text, i + 1)
                kind = "subselect" if text[start:start + 6].upper() == "SELECT" and _WORD.match(text, start) else "group"
            frame = _Frame(i, kind, parens, top.subselect if top else None)
            if kind == "subselect":
                frame.outer, frame.subselect = frame.subselect, frame
            elif kind == "group" and top is not None and top.kind == "subselect" and top.where is None:
                top.where = i
            stack.append(frame)
            i, previous = i + 1, "{"
            continue
        if c == "}":
            if stack:
                stack.pop()
            i, previous = i + 1, "}"
            continue
        if c in "()":
            parens += 1 if c == "(" else -1
            i, previous = i + 1, c
            continue
        if c == "*" and previous in ("SELECT", "DISTINCT", "REDUCED"):
            if not stack:
                t.star_at = i
            elif stack[-1].kind == "subselect":
                stack[-1].projects.add("*")
        m = _VARIABLE.match(text, i) or _WORD.match(text, i)
        if not m:
            i += 1
            continue
        word = m.group(0).upper()
        name = wanted.get(m.group(0))
        if name is not None and stack:
            top = stack[-1]
            if top.kind == "subselect":  # its projection, or its modifiers after its pattern
                if top.where is None and parens == top.parens:
                    top.projects.add(name)
            elif top.subselect is None or top.subselect.sees(name):  # else a variable of the subquery's own
                if top.kind == "group" and parens > top.parens:
                    groups.setdefault(top.at, set()).add(name)
                if top.subselect is not None and top.subselect.where is not None:
                    groups.setdefault(top.subselect.where, set()).add(name)
        if word == "VALUES":
            values_head = True
        elif word == "GRAPH":
            g = _GRAPH_NAME.match(text, m.end())
            if g:
                t.graphs.append((g.start(1), g.end(1), g.group(1), g.end() - 1))
        if not stack:
            if word == "CONSTRUCT":
                construct = True
            elif word == "WHERE":
                seen_where = True
                t.where_at = i
                t.short_construct = previous == "CONSTRUCT"
            elif word == "FROM":
                t.has_from = True
        previous = word
        i = m.end()
    if t.pattern_open is not None:
        groups[t.pattern_open] = set(wanted.values())
    order = list(dict.fromkeys(wanted.values()))
    t.groups = {at: [v for v in order if v in groups[at]] for at in sorted(groups)}
    return t


def values_block(bindings: Mapping[str, ox.NamedNode | ox.Literal]) -> str:
    """`VALUES (?a ?b) { (term term) }` binding each variable to its term, or "" for none.

    >>> values_block({"n": ox.Literal("a \\" } b")})
    'VALUES (?n) { ("a \\\\" } b") }'
    """
    if not bindings:
        return ""
    for name, term in bindings.items():
        if not _NAME.match(name):
            raise ValueError(f"bad variable name {name!r}")
        if not isinstance(term, (ox.NamedNode, ox.Literal)):
            raise ValueError(f"?{name}: only IRIs and literals can be bound by VALUES, not {type(term).__name__}")
    return ("VALUES (" + " ".join(f"?{k}" for k in bindings) + ") { ("
            + " ".join(str(v) for v in bindings.values()) + ") }")


def value_edits(scanned: Scan, bindings: Mapping[str, ox.NamedNode | ox.Literal]) -> list[Edit]:
    """The insertions that bind `bindings` in the groups `scanned` found (`scan(text, bindings)`)."""
    edits: list[Edit] = []
    for brace, names in scanned.groups.items():
        block = values_block({k: bindings[k] for k in names})
        if block:
            edits.append((brace + 1, brace + 1, f" {block}"))
    return edits


def apply_edits(text: str, edits: Iterable[Edit]) -> str:
    """The text with each (start, end, replacement) applied (indices refer to the original)."""
    for start, end, replacement in sorted(edits, key=lambda e: (e[0], e[1]), reverse=True):
        text = text[:start] + replacement + text[end:]
    return text


def bind_values(text: str, bindings: Mapping[str, ox.NamedNode | ox.Literal], scanned: Scan | None = None) -> str:
    """The query with `bindings` ({variable name: IRI or literal}) bound by VALUES blocks.

    >>> bind_values("CONSTRUCT WHERE { ?s ?p ?o }", {"s": ox.NamedNode("http://example.org/a")})
    'CONSTRUCT { ?s ?p ?o } WHERE { VALUES (?s) { (<http://example.org/a>) } ?s ?p ?o }'
    """
    if not bindings:
        return text
    scanned = scanned or scan(text, bindings)
    at = scanned.pattern_open
    if at is None:  # DESCRIBE <iri> without a WHERE pattern
        return f"{text}\nWHERE {{ {values_block(bindings)} }}"
    if scanned.short_construct and scanned.where_at is not None:
        close = matching(text, at)
        body = text[at + 1:close]  # a CONSTRUCT WHERE pattern is a template: triples only
        return f"{text[:scanned.where_at]}{{{body}}} WHERE {{ {values_block(bindings)}{body}}}{text[close + 1:]}"
    return apply_edits(text, value_edits(scanned, bindings))


def bind(text: str, bindings: Mapping[str, ox.NamedNode | ox.Literal | ox.BlankNode] | None
         ) -> tuple[str, dict[ox.Variable, ox.NamedNode | ox.Literal | ox.BlankNode] | None]:
    """The query with IRIs and literals of `bindings` bound by VALUES blocks, and the rest
    (blank nodes, odd names) as pyoxigraph substitutions: what to pass to `Store.query`."""
    values: dict[str, ox.NamedNode | ox.Literal] = {}
    subs: dict[ox.Variable, ox.NamedNode | ox.Literal | ox.BlankNode] = {}
    for key, term in (bindings or {}).items():
        name = key.lstrip("?$")
        if isinstance(term, (ox.NamedNode, ox.Literal)) and re.fullmatch(r"\w+", name):
            values[name] = term
        else:
            subs[ox.Variable(name)] = term
    return bind_values(text, values), subs or None


def matching(text: str, at: int) -> int:
    """Index of the `}` closing the `{` at `at` (strings, IRIs and comments skipped)."""
    depth = 0
    i, n = at, len(text)
    while i < n:
        after = _skip(text, i)
        if after is not None:
            i = after
            continue
        c = text[i]
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    return n - 1


def _skip(text: str, i: int) -> int | None:
    """If a string, an IRI or a comment starts at `i`, the index after it."""
    c = text[i]
    if c in "\"'":
        quote = c * 3 if text.startswith(c * 3, i) else c
        j, n = i + len(quote), len(text)
        while j < n and not text.startswith(quote, j):
            j += 2 if text[j] == "\\" else 1
        return j + len(quote)
    if c == "#":
        j = text.find("\n", i)
        return len(text) if j < 0 else j + 1
    if c == "<":
        m = _IRI.match(text, i)
        if m:
            return m.end()
    return None


def _next_token(text: str, i: int) -> int:
    """Index of the next thing after whitespace and comments from `i`."""
    n = len(text)
    while i < n:
        if text[i].isspace():
            i += 1
        elif text[i] == "#":
            j = text.find("\n", i)
            i = n if j < 0 else j + 1
        else:
            break
    return i
