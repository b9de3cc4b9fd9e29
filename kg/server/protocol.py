"""The SPARQL 1.1 Protocol: turn an HTTP request to /sparql into a query or update operation.

https://www.w3.org/TR/sparql11-protocol/ — a query comes by GET (`?query=`), by URL-encoded
POST (`query=` in the body) or by direct POST (`Content-Type: application/sparql-query`); an
update by URL-encoded POST (`update=`) or direct POST (`application/sparql-update`), never by
GET. `default-graph-uri` / `named-graph-uri` (queries) and `using-graph-uri` /
`using-named-graph-uri` (updates) give the dataset. Other URL parameters (SPARQLWrapper adds
`format=` and `output=`) are ignored. Errors are 400 with a readable message (two `query`
parameters, a query and an update at once, an update by GET, a POST without Content-Type), 415
for a media type or charset the protocol doesn't allow, 405 for other methods.

>>> op = parse_sparql_request("GET", "query=ASK%20%7B%7D&default-graph-uri=http%3A%2F%2Fg", {}, b"")
>>> op.kind, op.text, op.default_graphs
('query', 'ASK {}', ['http://g'])
>>> parse_sparql_request("GET", "update=CLEAR%20ALL", {}, b"")
Traceback (most recent call last):
...
kg.server.responses.HTTPError: an update must be sent by POST (update=... as application/x-www-form-urlencoded, or the update itself as application/sparql-update)
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import parse_qs

from .responses import HTTPError

FORM = "application/x-www-form-urlencoded"
SPARQL_QUERY = "application/sparql-query"
SPARQL_UPDATE = "application/sparql-update"


@dataclass
class Operation:
    kind: str  # "query" or "update"; "description" for GET /sparql with neither
    text: str = ""
    default_graphs: list[str] = field(default_factory=list)
    named_graphs: list[str] = field(default_factory=list)
    params: dict[str, str] = field(default_factory=dict)  # kg extension (named-query parameters), unused here


def parse_media_type(value: str | None) -> tuple[str, dict[str, str]]:
    """`"application/sparql-query; charset=UTF-8"` -> ("application/sparql-query", {"charset": "UTF-8"})."""
    if not value:
        return "", {}
    head, *rest = value.split(";")
    params = {}
    for part in rest:
        key, _, v = part.partition("=")
        if key.strip():
            params[key.strip().lower()] = v.strip().strip('"')
    return head.strip().lower(), params


def _decode(body: bytes, charset: str | None, what: str) -> str:
    if charset and charset.lower().replace("_", "-") not in ("utf-8", "utf8"):
        raise HTTPError(415, f"{what} must be UTF-8 (charset={charset} is not supported)")
    if body.startswith(b"\xef\xbb\xbf"):
        body = body[3:]
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as e:
        raise HTTPError(400, f"{what} is not valid UTF-8 (byte {e.start})") from None


def _form(text: str) -> dict[str, list[str]]:
    try:
        return parse_qs(text, keep_blank_values=True, strict_parsing=False, errors="strict")
    except (UnicodeDecodeError, ValueError) as e:
        raise HTTPError(400, f"cannot read the URL-encoded parameters: {e}") from None


def _one(params: Mapping[str, list[str]], name: str) -> str | None:
    values = params.get(name)
    if not values:
        return None
    if len(values) > 1:
        raise HTTPError(400, f"the request has {len(values)} '{name}' parameters; send exactly one")
    return values[0]


def parse_sparql_request(method: str, query_string: str, headers: Mapping[str, str], body: bytes) -> Operation:
    """Read a request to the SPARQL endpoint; raise HTTPError for one the protocol does not allow.

    `headers` keys are lower-case.
    """
    url_params = _form(query_string)
    if method in ("GET", "HEAD"):
        if "update" in url_params:
            raise HTTPError(400, "an update must be sent by POST (update=... as application/x-www-form-urlencoded, "
                                 "or the update itself as application/sparql-update)")
        text = _one(url_params, "query")
        if text is None:
            return Operation("description")
        return Operation("query", text, url_params.get("default-graph-uri", []), url_params.get("named-graph-uri", []))
    if method != "POST":
        raise HTTPError(405, f"{method} is not a SPARQL Protocol operation: use GET or POST",
                        {"Allow": "GET, HEAD, POST, OPTIONS"})
    media, mparams = parse_media_type(headers.get("content-type"))
    if not media:
        raise HTTPError(400, f"a POST to the SPARQL endpoint needs a Content-Type: {FORM} "
                             f"(query=... or update=...), {SPARQL_QUERY} or {SPARQL_UPDATE}")
    if media == FORM:
        form = _form(_decode(body, mparams.get("charset"), "the form body"))
        query, update = _one(form, "query"), _one(form, "update")
        if query is not None and update is not None:
            raise HTTPError(400, "the request has both a 'query' and an 'update' parameter; send one")
        if "query" in url_params or "update" in url_params:
            raise HTTPError(400, "with a URL-encoded POST, put 'query' or 'update' in the body, not in the URL")
        merged = {**url_params, **{k: url_params.get(k, []) + v for k, v in form.items()}}
        if query is not None:
            return Operation("query", query, merged.get("default-graph-uri", []), merged.get("named-graph-uri", []))
        if update is not None:
            return Operation("update", update, merged.get("using-graph-uri", []),
                             merged.get("using-named-graph-uri", []))
        raise HTTPError(400, "the form has neither a 'query' nor an 'update' parameter")
    if media == SPARQL_QUERY:
        if "query" in url_params or "update" in url_params:
            raise HTTPError(400, f"with {SPARQL_QUERY}, the query is the body; don't also pass query= in the URL")
        text = _decode(body, mparams.get("charset"), "the query")
        return Operation("query", text, url_params.get("default-graph-uri", []), url_params.get("named-graph-uri", []))
    if media == SPARQL_UPDATE:
        if "query" in url_params or "update" in url_params:
            raise HTTPError(400, f"with {SPARQL_UPDATE}, the update is the body; don't also pass update= in the URL")
        text = _decode(body, mparams.get("charset"), "the update")
        return Operation("update", text, url_params.get("using-graph-uri", []),
                         url_params.get("using-named-graph-uri", []))
    raise HTTPError(415, f"Content-Type {media} is not one the SPARQL Protocol accepts: use {FORM}, "
                         f"{SPARQL_QUERY} or {SPARQL_UPDATE}",
                    {"Accept-Post": f"{FORM}, {SPARQL_QUERY}, {SPARQL_UPDATE}"})
