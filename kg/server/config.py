"""The settings `kg serve` runs with, and their safe defaults."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 7878
DEFAULT_TIMEOUT = 30.0  # seconds a query may run
DEFAULT_MAX_ROWS = 100_000  # rows (or triples) in one result
DEFAULT_MAX_BODY = 1_048_576  # bytes in a request body (1 MiB)
DEFAULT_QUEUE = 64  # requests waiting for a worker beyond those running
TOKEN_ENV = "KG_UPDATE_TOKEN"


def default_workers() -> int:
    """Queries run at once: one per CPU, at least 2 (so one runaway query never blocks all), at most 8."""
    return max(2, min(8, os.cpu_count() or 2))


@dataclass(frozen=True)
class ServerConfig:
    """Everything `kg serve` needs to know; the defaults are the safe ones.

    >>> c = ServerConfig(Path("kg-store"))
    >>> (c.host, c.port, c.timeout, c.update_token, c.allow_hosts, c.cors_origins)
    ('127.0.0.1', 7878, 30.0, None, (), ())
    """

    store: Path
    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    timeout: float = DEFAULT_TIMEOUT
    max_rows: int = DEFAULT_MAX_ROWS
    max_body: int = DEFAULT_MAX_BODY
    workers: int = field(default_factory=default_workers)
    queue: int = DEFAULT_QUEUE
    update_token: str | None = None  # updates and Graph Store writes only with this bearer token
    allow_hosts: tuple[str, ...] = ()  # hosts SERVICE / LOAD / FROM may name
    cors_origins: tuple[str, ...] = ()  # "*" for any origin
    base_iri: str = "https://w3id.org/kg/id/"
    sandbox: bool = True  # keep query workers off the network when no host is allow-listed

    @property
    def updates_enabled(self) -> bool:
        return bool(self.update_token)
