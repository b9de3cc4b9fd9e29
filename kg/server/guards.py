"""The server's rules: who may write, which outside places a request may name, which Host it may use.

- Writes (SPARQL Update, Graph Store PUT/POST/DELETE) need the server to have been started with
  an update token, and the request to carry `Authorization: Bearer TOKEN`: 403 when updates are
  off or the token is wrong, 401 when it is missing.
- No request makes the server fetch anything. SERVICE and LOAD must name a host on the
  allow-list given at start-up; SERVICE with a variable is refused. FROM, FROM NAMED, USING and
  USING NAMED must name a graph already in the store (they select from the store, they never
  fetch) unless their host is allow-listed. Refusals are 400 with the place in the text.
- Bound to a loopback address, the server answers only requests whose Host header names a
  loopback host, so a web page cannot reach it through a DNS name rebound to 127.0.0.1.
"""
from __future__ import annotations

import hmac
import ipaddress
from collections.abc import Iterable
from urllib.parse import urlsplit

from .responses import HTTPError
from .sparql_text import Analysis, Ref

_DEFAULT_PORTS = {"http": 80, "https": 443}


def host_allowed(iri: str, allow_hosts: Iterable[str]) -> bool:
    """Whether `iri` is an http(s) IRI whose host (and port, when the entry gives one) is allow-listed.

    >>> host_allowed("https://query.wikidata.org/sparql", ["query.wikidata.org"])
    True
    >>> host_allowed("http://query.wikidata.org@127.0.0.1:8080/", ["query.wikidata.org"])
    False
    >>> host_allowed("http://localhost:8080/x", ["localhost:9090"])
    False
    """
    try:
        parts = urlsplit(iri)
        host = (parts.hostname or "").lower()
        port = parts.port or _DEFAULT_PORTS.get(parts.scheme.lower())
    except ValueError:
        return False
    if parts.scheme.lower() not in _DEFAULT_PORTS or not host:
        return False
    for entry in allow_hosts:
        entry = entry.strip().lower()
        if not entry:
            continue
        if entry.startswith("["):  # [v6]:port
            name, _, rest = entry[1:].partition("]")
            entry_port = rest[1:] if rest.startswith(":") else ""
        elif entry.count(":") == 1:
            name, _, entry_port = entry.partition(":")
        else:
            name, entry_port = entry, ""
        if name == host and (not entry_port or entry_port == str(port)):
            return True
    return False


def _refuse(ref: Ref, why: str) -> HTTPError:
    return HTTPError(400, f"{ref.keyword} {ref.text} at {ref.where()}: {why}")


def check_references(analysis: Analysis, allow_hosts: tuple[str, ...]) -> list[str]:
    """Refuse SERVICE and LOAD outside the allow-list; return the FROM/USING IRIs that must be
    graphs of the store (the worker checks them)."""
    hint = "start kg serve with --allow-host HOST to let queries name it" if not allow_hosts else \
        f"allowed hosts: {', '.join(allow_hosts)}"
    for ref in analysis.services:
        if ref.iri is None:
            raise _refuse(ref, "kg cannot tell where this SERVICE call would go; name the endpoint by IRI")
        if not host_allowed(ref.iri, allow_hosts):
            raise _refuse(ref, f"kg serve does not call remote services that are not allow-listed ({hint})")
    for ref in analysis.loads:
        if ref.iri is None or not host_allowed(ref.iri, allow_hosts):
            raise _refuse(ref, f"kg serve does not fetch remote data that is not allow-listed ({hint})")
    must_exist = []
    for ref in analysis.datasets:
        if ref.iri is None:
            raise _refuse(ref, "cannot resolve this graph name")
        if not host_allowed(ref.iri, allow_hosts):
            must_exist.append(ref.iri)
    return must_exist


def missing_graph_message(iri: str, keyword: str = "FROM") -> str:
    return (f"{keyword} <{iri}>: no such graph in the store, and kg serve never fetches remote data; "
            "name a graph of the store (GET /store lists them) or allow-list its host with --allow-host")


def check_write_access(authorization: str | None, token: str | None) -> None:
    """Let a write through only with the right bearer token."""
    if not token:
        raise HTTPError(403, "this server is read-only: start kg serve with --update-token "
                             "(or KG_UPDATE_TOKEN) to accept updates")
    if not authorization:
        raise HTTPError(401, "updates need an Authorization: Bearer TOKEN header",
                        {"WWW-Authenticate": 'Bearer realm="kg"'})
    scheme, _, given = authorization.strip().partition(" ")
    if scheme.lower() != "bearer":
        raise HTTPError(401, "updates need an Authorization: Bearer TOKEN header",
                        {"WWW-Authenticate": 'Bearer realm="kg"'})
    if not hmac.compare_digest(given.strip().encode(), token.encode()):
        raise HTTPError(403, "wrong update token", {"WWW-Authenticate": 'Bearer realm="kg", error="invalid_token"'})


def is_loopback(host: str) -> bool:
    """Whether a bind address or Host name is this machine only.

    >>> is_loopback("127.0.0.1"), is_loopback("localhost"), is_loopback("::1"), is_loopback("0.0.0.0")
    (True, True, True, False)
    """
    name = host.strip("[]").lower()
    if name in ("localhost", "localhost.") or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def check_host_header(host_header: str | None, bind_host: str) -> None:
    """On a loopback bind, refuse a Host header naming anything but a loopback host."""
    if not is_loopback(bind_host) or host_header is None:
        return
    value = host_header.strip()
    name = value[1:].partition("]")[0] if value.startswith("[") else value.rpartition(":")[0] or value
    if value.count(":") > 1 and not value.startswith("["):
        name = value  # a bare IPv6 address
    if not is_loopback(name):
        raise HTTPError(403, f"Host {value!r} is not this machine's loopback name; kg serve bound to {bind_host} "
                             "answers only requests for localhost (protection against DNS rebinding). "
                             "Use --host to serve other names.")
