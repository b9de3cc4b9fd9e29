"""`kg serve`: the store behind HTTP, as a SPARQL 1.1 Protocol endpoint with query and entity pages."""
from __future__ import annotations

from pathlib import Path

import click

from . import Settings, main


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. The default keeps the server on this machine.")
@click.option("--port", "-p", default=7878, show_default=True, type=click.IntRange(0, 65535),
              help="Port to listen on (0: any free port; the URL is printed).")
@click.option("--timeout", default=30.0, show_default=True, type=click.FloatRange(0, min_open=True),
              help="Seconds a query may run before it is stopped and answered 503.")
@click.option("--max-rows", default=100_000, show_default=True, type=click.IntRange(1),
              help="Rows (or triples) in one result; a cut result says so in X-KG-Truncated.")
@click.option("--max-body", default=1_048_576, show_default=True, type=click.IntRange(1),
              help="Largest request body, in bytes.")
@click.option("--workers", "-w", default=None, type=click.IntRange(1),
              help="Queries run at once, each in its own process [default: CPUs, 2 to 8].")
@click.option("--queue", default=64, show_default=True, type=click.IntRange(0),
              help="Requests that may wait for a worker; more are answered 503.")
@click.option("--update-token", envvar="KG_UPDATE_TOKEN", default=None, metavar="TOKEN",
              help="Accept SPARQL Update and Graph Store writes with 'Authorization: Bearer TOKEN' "
                   "(or set KG_UPDATE_TOKEN). Without it the server is read-only.")
@click.option("--allow-host", "allow_hosts", multiple=True, metavar="HOST[:PORT]",
              help="A host SERVICE, LOAD and FROM may name; repeatable. None by default: no query makes "
                   "the server fetch anything.")
@click.option("--cors-origin", "cors_origins", multiple=True, metavar="ORIGIN",
              help="Let web pages from ORIGIN (or '*') read results; repeatable. Off by default.")
@click.option("--access-log", is_flag=True, help="Log every request on stderr.")
@click.pass_obj
def serve(settings: Settings, host: str, port: int, timeout: float, max_rows: int, max_body: int,
          workers: int | None, queue: int, update_token: str | None, allow_hosts: tuple[str, ...],
          cors_origins: tuple[str, ...], access_log: bool) -> None:
    """Serve the store: a SPARQL 1.1 endpoint at /sparql, a query page at /, entity pages at /entity/NAME.

    Read-only and on 127.0.0.1 unless told otherwise. Queries run in worker processes that
    hold the store read-only, so `kg build` can run beside the server; each query sees what
    builds have committed when it starts. Stop with Ctrl+C.

    \b
    Example:
      kg serve
      kg --store /data/kg serve --port 8080 --timeout 10
      KG_UPDATE_TOKEN=s3cret kg serve --allow-host query.wikidata.org
      curl -H 'Accept: text/csv' --data-urlencode 'query=SELECT * { ?s ?p ?o } LIMIT 5' http://127.0.0.1:7878/sparql
    """
    import sys

    from ..errors import InputError, StoreError
    from ..server import ServerConfig, default_workers, serve as run_server
    from ..store import remote_url

    if remote_url(settings.store):
        raise InputError(f"{remote_url(settings.store)}: kg serve serves a local store; "
                         "that --store is a SPARQL endpoint already, use it directly")
    store = Path(settings.store)
    if not store.is_dir():
        raise StoreError(f"{store}: no store here; build one first with `kg build ARTICLES` (or pass --store)")
    config = ServerConfig(store=store, host=host, port=port, timeout=timeout, max_rows=max_rows, max_body=max_body,
                          workers=workers or default_workers(), queue=queue, update_token=update_token or None,
                          allow_hosts=tuple(allow_hosts), cors_origins=tuple(cors_origins), base_iri=settings.base_iri)

    def ready(server: object) -> None:
        url = server.url  # type: ignore[attr-defined]
        pool = server.pool  # type: ignore[attr-defined]
        mode = "updates with bearer token" if config.updates_enabled else "read-only"
        net = "workers sandboxed from the network" if pool.sandboxed else \
            (f"SERVICE/LOAD allowed to {', '.join(config.allow_hosts)}" if config.allow_hosts else "no network sandbox")
        click.echo(f"kg serve: SPARQL endpoint {url}/sparql · query page {url}/", err=True)
        click.echo(f"kg serve: store {store} ({mode}), {pool.size} workers, {config.timeout:g} s time limit, "
                   f"{config.max_rows:,} rows max, {net}", err=True)
        sys.stderr.flush()

    try:
        run_server(config, access_log=access_log, ready=ready)
    except RuntimeError as e:
        raise StoreError(str(e)) from None
    except OSError as e:
        from ..errors import KGError

        raise KGError(f"cannot listen on {host}:{port}: {e.strerror or e}") from None
