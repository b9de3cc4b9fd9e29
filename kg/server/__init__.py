"""`kg serve`: the store behind HTTP, safe by default.

- kg.server.app: the HTTP server, routes, CORS, the pages' handlers
- kg.server.protocol: the SPARQL 1.1 Protocol (request -> query or update)
- kg.server.negotiation: result formats and the Accept header
- kg.server.results: SPARQL results JSON/XML/CSV/TSV writers with the row cap
- kg.server.sparql_text: a SPARQL tokenizer to find SERVICE/LOAD/FROM/USING before running
- kg.server.guards: write access, the outbound allow-list, the Host check
- kg.server.sandbox: the seccomp filter that keeps workers off the network
- kg.server.workers: worker processes, time limits, reopening the store after builds
- kg.server.pages: the entity page

>>> from pathlib import Path
>>> ServerConfig(Path("kg-store")).port
7878
"""
from __future__ import annotations

from .app import KGServer, make_server, serve
from .config import ServerConfig, default_workers

__all__ = ["KGServer", "ServerConfig", "default_workers", "make_server", "serve"]
