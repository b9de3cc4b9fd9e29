"""Content negotiation: which result format a request's Accept header asks for.

Formats are named constants with their exact media type. `choose(accept, offers)` reads the
Accept header as RFC 9110 says: quality values, wildcards, and media-type parameters
(`text/csv;charset=utf-8`, `application/ld+json;profile="..."`) are understood; a charset other
than UTF-8 does not match. The most specific range decides a type's quality; ties go to the
server's order of preference. When nothing offered is acceptable, the first offer (the
default) is used: clients such as rdflib ask for result formats even for CONSTRUCT.

>>> choose("application/sparql-results+xml;q=0.9, text/csv", RESULTS).name
'csv'
>>> choose("text/*;q=0.5, text/tab-separated-values;charset=utf-8", RESULTS).name
'tsv'
>>> choose("application/json", RESULTS).media_type
'application/sparql-results+json'
>>> choose("image/png", GRAPH).name
'turtle'
"""
from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Format:
    name: str
    media_type: str  # what the response's Content-Type says
    aliases: tuple[str, ...] = ()  # other media types that ask for it
    charset: bool = False  # whether Content-Type carries "; charset=utf-8"
    extension: str = ""

    @property
    def content_type(self) -> str:
        return f"{self.media_type}; charset=utf-8" if self.charset else self.media_type


JSON = Format("json", "application/sparql-results+json", ("application/json",), extension="srj")
XML = Format("xml", "application/sparql-results+xml", ("application/xml", "text/xml"), extension="srx")
CSV = Format("csv", "text/csv", (), charset=True, extension="csv")
TSV = Format("tsv", "text/tab-separated-values", (), charset=True, extension="tsv")
TURTLE = Format("turtle", "text/turtle", ("application/x-turtle",), extension="ttl")
NTRIPLES = Format("nt", "application/n-triples", ("text/plain",), extension="nt")
RDFXML = Format("rdfxml", "application/rdf+xml", (), extension="rdf")
JSONLD = Format("jsonld", "application/ld+json", (), extension="jsonld")
NQUADS = Format("nquads", "application/n-quads", (), extension="nq")
TRIG = Format("trig", "application/trig", (), extension="trig")

RESULTS = (JSON, XML, CSV, TSV)  # SELECT and ASK
GRAPH = (TURTLE, NTRIPLES, RDFXML, JSONLD)  # CONSTRUCT, DESCRIBE, a graph of the store
DATASET = (TRIG, NQUADS)  # every graph of the store
BY_NAME = {f.name: f for f in (*RESULTS, *GRAPH, *DATASET)}

_RANGE = re.compile(r'\s*([^\s;,]+)\s*((?:;\s*[^\s;,=]+\s*=\s*(?:"(?:[^"\\]|\\.)*"|[^\s;,]*)\s*)*)\s*(?:,|$)')
_PARAM = re.compile(r';\s*([^\s;,=]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^\s;,]*)')


@dataclass(frozen=True)
class MediaRange:
    type: str
    subtype: str
    params: dict[str, str]
    q: float

    def specificity(self) -> int:
        if self.type == "*":
            return 0
        if self.subtype == "*":
            return 1
        return 3 if self.params else 2

    def matches(self, media_type: str) -> bool:
        t, _, s = media_type.partition("/")
        if self.type not in ("*", t) or self.subtype not in ("*", s):
            return False
        charset = self.params.get("charset")
        return charset is None or charset.lower() in ("utf-8", "utf8")


def parse_accept(header: str | None) -> list[MediaRange]:
    """The media ranges of an Accept header (an absent or empty header accepts anything).

    >>> [(r.type, r.subtype, r.q) for r in parse_accept('text/turtle;q=0.5, application/ld+json; profile="a,b"')]
    [('text', 'turtle', 0.5), ('application', 'ld+json', 1.0)]
    """
    if not header or not header.strip():
        return [MediaRange("*", "*", {}, 1.0)]
    ranges = []
    pos = 0
    while pos < len(header):
        m = _RANGE.match(header, pos)
        if not m or m.end() == pos:
            # unreadable rest: skip to the next comma
            comma = header.find(",", pos)
            if comma < 0:
                break
            pos = comma + 1
            continue
        pos = m.end()
        media = m.group(1).lower()
        if "/" not in media:
            if media == "*":
                media = "*/*"
            else:
                continue
        t, _, s = media.partition("/")
        params: dict[str, str] = {}
        q = 1.0
        for key, value in _PARAM.findall(m.group(2) or ""):
            key = key.lower()
            value = value[1:-1] if value.startswith('"') else value
            if key == "q":
                try:
                    q = min(max(float(value), 0.0), 1.0)
                except ValueError:
                    q = 0.0
                break  # what follows q are accept-extensions, not media-type parameters
            params[key] = value
        ranges.append(MediaRange(t, s, params, q))
    return ranges or [MediaRange("*", "*", {}, 1.0)]


def quality(ranges: list[MediaRange], fmt: Format) -> float:
    """How much the client wants `fmt` (0 = not at all)."""
    best: MediaRange | None = None
    for media_type in (fmt.media_type, *fmt.aliases):
        for r in ranges:
            if media_type != fmt.media_type and r.specificity() < 2:
                continue  # wildcards ask for a format by its own media type, not by an alias
            if r.matches(media_type) and (best is None or r.specificity() > best.specificity()):
                best = r
    return best.q if best is not None else 0.0


def choose(accept: str | None, offers: tuple[Format, ...], *, strict: bool = False) -> Format | None:
    """The offered format the client prefers; the first offer when none is acceptable
    (or None with `strict`)."""
    ranges = parse_accept(accept)
    scored = [(quality(ranges, f), -i, f) for i, f in enumerate(offers)]
    q, _, best = max(scored, key=lambda x: (x[0], x[1]))
    if q <= 0:
        return None if strict else offers[0]
    return best


def prefers_html(accept: str | None) -> bool:
    """True when a browser navigates here (text/html acceptable and preferred to RDF)."""
    ranges = parse_accept(accept)
    html = Format("html", "text/html")
    return quality(ranges, html) > 0 and any(r.type == "text" and r.subtype == "html" for r in ranges) \
        and quality(ranges, html) >= max(quality(ranges, f) for f in GRAPH + RESULTS if f is not NTRIPLES)
