"""Read SPARQL text as a parser's tokenizer does, to see what a request would make the engine do.

The server must know, before running anything, whether a request is a query or an update,
and which IRIs it names after SERVICE, LOAD, FROM and USING: those are the places where an
engine may fetch data from elsewhere. A regular expression over the raw text is fooled by
strings, comments and IRIs that contain those words; this tokenizer reads the text the way a
SPARQL parser does (strings, long strings, comments, IRIs, prefixed names, variables), so a
keyword inside a literal is just a literal, and resolves prefixed and relative IRIs as the
engine will.

pyoxigraph's parser also accepts a keyword glued to a prefixed name (`SERVICEex:x` reads as
`SERVICE ex:x` when `ex:` is declared); the tokenizer splits those the same way.

>>> a = analyse('PREFIX ex: <http://example.org/> SELECT * WHERE { ?s ?p "SERVICE <http://x/>" '
...             'SERVICE ex:sparql { ?s ?p ?o } }')
>>> a.kind, a.form, [r.iri for r in a.services]
('query', 'SELECT', ['http://example.org/sparql'])
>>> analyse('# LOAD <http://x/>\\nINSERT DATA { <a:b> <a:c> "FROM <http://y/>" }').loads
[]
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import NamedTuple
from urllib.parse import urljoin

_NAME_CHARS = r"\w\u00B7\u0300-\u036F\u203F-\u2040"
_TOKEN = re.compile(
    rf"""
    (?P<ws>[\x20\t\r\n]+)
   |(?P<comment>\#[^\r\n]*)
   |(?P<iri><(?:[^<>"{{}}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{{4}}|\\U[0-9A-Fa-f]{{8}})*>)
   |(?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
               |'(?:[^'\\\r\n]|\\.)*'|"(?:[^"\\\r\n]|\\.)*")
   |(?P<var>[?$][{_NAME_CHARS}]+)
   |(?P<bnode>_:[{_NAME_CHARS}.\-]*)
   |(?P<pname>(?:[^\W\d_](?:[{_NAME_CHARS}.\-]*[{_NAME_CHARS}\-])?)?:
               (?:(?:[{_NAME_CHARS}:\-]|%[0-9A-Fa-f]{{2}}|\\[_~.\-!$&'()*+,;=/?\#@%])
                  (?:(?:[{_NAME_CHARS}:.\-]|%[0-9A-Fa-f]{{2}}|\\[_~.\-!$&'()*+,;=/?\#@%])*
                     (?:[{_NAME_CHARS}:\-]|%[0-9A-Fa-f]{{2}}|\\[_~.\-!$&'()*+,;=/?\#@%]))?)?)
   |(?P<lang>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
   |(?P<number>\d+\.\d*[eE][+-]?\d+|\d*\.\d+(?:[eE][+-]?\d+)?|\d+(?:[eE][+-]?\d+)?)
   |(?P<name>[A-Za-z_][A-Za-z0-9_]*)
   |(?P<punct>\^\^|\|\||&&|!=|<=|>=|.)
    """,
    re.X | re.S,
)
_UCHAR = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_LOCAL_ESCAPE = re.compile(r"\\([_~.\-!$&'()*+,;=/?#@%])")

QUERY_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
UPDATE_VERBS = ("INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH")
# Keywords after which an engine may fetch, or that may follow them; pyoxigraph reads them
# even when glued to what follows (`FROMex:g`, `SERVICESILENT<...>`).
_GLUABLE = ("SERVICE", "SILENT", "LOAD", "FROM", "NAMED", "USING")


class Token(NamedTuple):
    kind: str  # iri, string, var, bnode, pname, lang, number, name, punct
    text: str
    start: int
    end: int

    @property
    def upper(self) -> str:
        return self.text.upper()


@dataclass(frozen=True)
class Ref:
    """An IRI (or variable) named after SERVICE, LOAD, FROM or USING."""

    keyword: str  # "SERVICE", "LOAD", "FROM", "FROM NAMED", "USING", "USING NAMED"
    iri: str | None  # resolved IRI; None for a variable or an unresolvable prefixed name
    text: str  # as written
    line: int
    column: int

    def where(self) -> str:
        return f"line {self.line}, column {self.column}"


@dataclass
class Analysis:
    """What a SPARQL request is and which outside places it names."""

    kind: str | None = None  # "query" or "update" (None when no keyword says)
    form: str | None = None  # SELECT, ASK, CONSTRUCT or DESCRIBE for a query
    services: list[Ref] = field(default_factory=list)
    loads: list[Ref] = field(default_factory=list)
    datasets: list[Ref] = field(default_factory=list)  # FROM / FROM NAMED / USING / USING NAMED
    has_with: bool = False
    limit: int | None = None  # the outer query's LIMIT, when it has one


def tokenize(text: str) -> list[Token]:
    """The tokens of `text`, without whitespace and comments.

    >>> [t.text for t in tokenize('SELECT ?x { ?x <p> "a # b" } # SERVICE')]
    ['SELECT', '?x', '{', '?x', '<p>', '"a # b"', '}']
    """
    return [Token(m.lastgroup, m.group(), m.start(), m.end())  # type: ignore[arg-type]
            for m in _TOKEN.finditer(text) if m.lastgroup not in ("ws", "comment")]


def _split_glued(token: Token, declared: Mapping[str, str]) -> list[Token]:
    """`FROMNAMED` -> FROM NAMED; `SERVICEex:x` -> SERVICE ex:x when `ex:` is declared."""
    if token.kind == "name":
        parts = _keyword_run(token.text.upper())
        if parts and len(parts) > 1:
            out, start = [], token.start
            for word in parts:
                out.append(Token("name", token.text[start - token.start:start - token.start + len(word)], start,
                                 start + len(word)))
                start += len(word)
            return out
        return [token]
    if token.kind == "pname":
        prefix, _, _local = token.text.partition(":")
        upper = prefix.upper()
        if not upper.startswith(_GLUABLE):
            return [token]
        for cut in range(len(prefix), 0, -1):
            words = _keyword_run(upper[:cut])
            if words and prefix[cut:] in declared:
                out, start = [], token.start
                for word in words:
                    out.append(Token("name", token.text[start - token.start:start - token.start + len(word)], start,
                                     start + len(word)))
                    start += len(word)
                out.append(Token("pname", token.text[cut:], token.start + cut, token.end))
                return out
    return [token]


def _keyword_run(upper: str) -> list[str] | None:
    """Split `upper` into a sequence of glue-able keywords, or None."""
    if not upper:
        return []
    for word in _GLUABLE:
        if upper.startswith(word):
            rest = _keyword_run(upper[len(word):])
            if rest is not None:
                return [word, *rest]
    return None


def _unescape_iri(body: str) -> str:
    return _UCHAR.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), body)


def _position(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, column


def analyse(text: str, *, prefixes: Mapping[str, str] | None = None, base: str | None = None) -> Analysis:
    """Tokenize `text` and report its kind, form and every SERVICE, LOAD, FROM and USING target.

    `prefixes` are predeclared (as the engine is told); `base` resolves relative IRIs when the
    text declares no BASE.

    >>> a = analyse('SELECT * FROM NAMED <g> WHERE { SERVICE SILENT ?where { } }', base='http://h/sparql')
    >>> [(r.keyword, r.iri) for r in a.datasets + a.services]
    [('FROM NAMED', 'http://h/g'), ('SERVICE', None)]
    >>> analyse('SELECT * { { SELECT * { ?s ?p ?o } LIMIT 5 } } ORDER BY ?s LIMIT 20 OFFSET 2').limit
    20
    """
    declared: dict[str, str] = dict(prefixes or {})
    current_base = base
    analysis = Analysis()
    raw = tokenize(text)
    tokens: list[Token] = []
    for t in raw:
        if t.kind in ("name", "pname") and t.text[:1] in "SsLlFfUuNn" and t.text.upper().startswith(_GLUABLE):
            tokens.extend(_split_glued(t, declared))
        else:
            tokens.append(t)
        # keep PREFIX declarations current: they precede their use
        if len(tokens) >= 3 and tokens[-3].kind == "name" and tokens[-3].upper == "PREFIX" \
                and tokens[-2].kind == "pname" and tokens[-2].text.endswith(":") and tokens[-1].kind == "iri":
            iri = _resolve_iri(tokens[-1].text, current_base)
            declared[tokens[-2].text[:-1]] = iri or ""
        elif len(tokens) >= 2 and tokens[-2].kind == "name" and tokens[-2].upper == "BASE" and tokens[-1].kind == "iri":
            current_base = _resolve_iri(tokens[-1].text, current_base) or current_base

    # second pass with the final token list: resolve against the declarations in order
    declared = dict(prefixes or {})
    current_base = base
    i = 0
    n = len(tokens)
    depth = 0

    def ref(keyword: str, t: Token, at: Token) -> Ref:
        line, column = _position(text, at.start)
        if t.kind == "iri":
            iri = _resolve_iri(t.text, current_base)
        elif t.kind == "pname":
            iri = _resolve_pname(t.text, declared)
            if iri is not None and current_base is not None and not re.match(r"[A-Za-z][A-Za-z0-9+.\-]*:", iri):
                iri = urljoin(current_base, iri)
        else:
            iri = None
        return Ref(keyword, iri, t.text, line, column)

    while i < n:
        t = tokens[i]
        up = t.upper if t.kind == "name" else ""
        if up == "PREFIX" and i + 2 < n and tokens[i + 1].kind == "pname" and tokens[i + 2].kind == "iri":
            declared[tokens[i + 1].text[:-1]] = _resolve_iri(tokens[i + 2].text, current_base) or ""
            i += 3
            continue
        if up == "BASE" and i + 1 < n and tokens[i + 1].kind == "iri":
            current_base = _resolve_iri(tokens[i + 1].text, current_base) or current_base
            i += 2
            continue
        if analysis.kind is None and up:
            if up in QUERY_FORMS:
                analysis.kind, analysis.form = "query", up
            elif up in UPDATE_VERBS:
                analysis.kind = "update"
        if up in ("SERVICE", "LOAD", "FROM", "USING"):
            j = i + 1
            keyword = up
            if j < n and tokens[j].kind == "name" and tokens[j].upper in ("SILENT", "NAMED"):
                if tokens[j].upper == "NAMED":
                    keyword = f"{up} NAMED"
                j += 1
            target = tokens[j] if j < n else Token("punct", "", len(text), len(text))
            if target.kind in ("iri", "pname", "var"):
                r = ref(keyword, target, t)
            else:
                line, column = _position(text, t.start)
                r = Ref(keyword, None, target.text, line, column)
            if up == "SERVICE":
                analysis.services.append(r)
            elif up == "LOAD":
                analysis.kind = analysis.kind or "update"
                analysis.loads.append(r)
            else:
                analysis.datasets.append(r)
            i = j + 1 if target.kind in ("iri", "pname", "var") else j
            continue
        if up == "WITH":
            analysis.has_with = True
        if t.kind == "punct" and t.text in "{}":
            depth += 1 if t.text == "{" else -1
        elif up == "LIMIT" and depth == 0 and i + 1 < n and tokens[i + 1].kind == "number" \
                and tokens[i + 1].text.isdigit():
            analysis.limit = int(tokens[i + 1].text)  # at brace depth 0: not a subquery's
        i += 1
    return analysis


_FETCH_WORDS = ("service", "load", "from", "using")
_FIRST_KEYWORD = re.compile(
    r"""(?:[\x20\t\r\n]+|\#[^\r\n]*|(?i:PREFIX)[\x20\t\r\n]*[^\s:<]*:[\x20\t\r\n]*<[^<>"{}|^`\\\x00-\x20]*>
       |(?i:BASE)[\x20\t\r\n]*<[^<>"{}|^`\\\x00-\x20]*>)*([A-Za-z]+)""", re.X)
_TRAILING_LIMIT = re.compile(r"(?:^|[\s}])(?i:LIMIT)\s+(\d+)(?:\s+(?i:OFFSET)\s+\d+)?\s*\Z")


def quick_analyse(text: str, *, prefixes: Mapping[str, str] | None = None, base: str | None = None) -> Analysis:
    """`analyse`, without tokenizing when the text cannot name an outside place.

    Every SERVICE, LOAD, FROM or USING keyword, glued or not, holds its word in the raw text;
    when none of the four words occurs (in any case), there is nothing to check, and the kind,
    the form and a trailing LIMIT are read with two regular expressions. The LIMIT is taken only
    where it is sure to be the outer query's (the end of the text, no comment on that line);
    otherwise it is left unknown, which only means the row cap is applied the slow way.

    >>> a = quick_analyse("PREFIX x: <a:b> SELECT * WHERE { ?s ?p ?o } ORDER BY ?s LIMIT 10")
    >>> a.kind, a.form, a.limit
    ('query', 'SELECT', 10)
    >>> quick_analyse("SELECT * WHERE { ?s ?p ?o } # LIMIT 10").limit is None
    True
    """
    lowered = text.lower()
    if any(word in lowered for word in _FETCH_WORDS):
        return analyse(text, prefixes=prefixes, base=base)
    analysis = Analysis()
    m = _FIRST_KEYWORD.match(text)
    if m:
        word = m.group(1).upper()
        if word in QUERY_FORMS:
            analysis.kind, analysis.form = "query", word
        elif word in UPDATE_VERBS:
            analysis.kind = "update"
    analysis.has_with = "with" in lowered and analysis.kind == "update" and analyse(text).has_with
    last_line = text.rstrip().rsplit("\n", 1)[-1]
    if "#" not in last_line:
        limit = _TRAILING_LIMIT.search(text)
        if limit:
            analysis.limit = int(limit.group(1))
    return analysis


def _resolve_iri(token_text: str, base: str | None) -> str | None:
    body = _unescape_iri(token_text[1:-1])
    if re.match(r"[A-Za-z][A-Za-z0-9+.\-]*:", body):
        return body
    if base is None:
        return None
    return urljoin(base, body)


def _resolve_pname(text: str, declared: Mapping[str, str]) -> str | None:
    prefix, _, local = text.partition(":")
    if prefix not in declared:
        return None
    return declared[prefix] + _LOCAL_ESCAPE.sub(r"\1", local)


# -- the protocol's dataset for updates ---------------------------------------------------------

class DatasetConflict(ValueError):
    """using-graph-uri / using-named-graph-uri given for an update that has USING or WITH."""


def add_using(update: str, default_graphs: Iterable[str], named_graphs: Iterable[str]) -> str:
    """Give each DELETE/INSERT operation of `update` the protocol's dataset as USING clauses.

    The SPARQL 1.1 Protocol's `using-graph-uri` and `using-named-graph-uri` act like USING and
    USING NAMED in every operation; an operation that has its own USING or WITH is an error.

    >>> add_using('INSERT { ?s a <t:T> } WHERE { ?s ?p ?o }', ['http://g/1'], [])
    'INSERT { ?s a <t:T> } USING <http://g/1> WHERE { ?s ?p ?o }'
    >>> add_using('DELETE WHERE { ?s ?p ?o }', [], ['http://g/2'])
    'DELETE { ?s ?p ?o } USING NAMED <http://g/2> WHERE { ?s ?p ?o }'
    """
    default_graphs, named_graphs = list(default_graphs), list(named_graphs)
    if not default_graphs and not named_graphs:
        return update
    clause = " ".join([f"USING <{g}>" for g in default_graphs] + [f"USING NAMED <{g}>" for g in named_graphs])
    tokens = tokenize(update)
    edits: list[tuple[int, int, str]] = []  # (start, end, replacement)
    depth = 0
    op: list[Token] = []

    def finish(op_tokens: list[Token]) -> None:
        names = [t.upper for t in op_tokens if t.kind == "name"]
        verbs = [t for t in op_tokens if t.kind == "name" and t.upper in ("INSERT", "DELETE")]
        if not verbs:
            return
        first = verbs[0]
        after = op_tokens[op_tokens.index(first) + 1] if op_tokens.index(first) + 1 < len(op_tokens) else None
        if after is not None and after.kind == "name" and after.upper == "DATA":
            return
        if "WITH" in names or "USING" in names:
            raise DatasetConflict("the update names its own dataset (USING or WITH) and the request also gives "
                                  "using-graph-uri / using-named-graph-uri: use one or the other")
        level = 0
        for k, t in enumerate(op_tokens):
            if t.kind == "punct" and t.text == "{":
                level += 1
            elif t.kind == "punct" and t.text == "}":
                level -= 1
            elif level == 0 and t.kind == "name" and t.upper == "WHERE":
                if first.upper == "DELETE" and k == op_tokens.index(first) + 1:
                    # DELETE WHERE { P }  ->  DELETE { P } USING ... WHERE { P }
                    body_start = op_tokens[k + 1].start if k + 1 < len(op_tokens) else t.end
                    body_end = _group_end(op_tokens, k + 1)
                    body = update[body_start:body_end]
                    edits.append((t.start, t.end, f"{body} {clause} WHERE"))
                else:
                    edits.append((t.start, t.start, f"{clause} "))
                return

    for t in tokens:
        if t.kind == "punct" and t.text == "{":
            depth += 1
        elif t.kind == "punct" and t.text == "}":
            depth -= 1
        if depth == 0 and t.kind == "punct" and t.text == ";":
            finish(op)
            op = []
            continue
        op.append(t)
    finish(op)
    for start, end, replacement in sorted(edits, reverse=True):
        update = update[:start] + replacement + update[end:]
    return update


def _group_end(tokens: list[Token], k: int) -> int:
    """The end offset of the `{ ... }` group starting at tokens[k]."""
    level = 0
    for t in tokens[k:]:
        if t.kind == "punct" and t.text == "{":
            level += 1
        elif t.kind == "punct" and t.text == "}":
            level -= 1
            if level == 0:
                return t.end
    return tokens[-1].end if tokens else 0
