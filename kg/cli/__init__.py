"""The `kg` command line: parses arguments, calls the library, prints.

Each module in this package adds its commands to `main`; adding a command is adding a file.
Modules keep their top-level imports light (heavy libraries load inside the command), so
that quick commands start quickly.
"""
from __future__ import annotations

import importlib
import pkgutil
import sys
from dataclasses import dataclass
from pathlib import Path

import click

from ..errors import KGError


@dataclass
class Settings:
    """Options given before the command."""

    store: Path | StoreURL
    base_iri: str


class StoreURL(str):
    """A SPARQL endpoint URL given as --store, without credentials in its text (so that it
    prints safely); the user and password ride along as attributes, for kg.remote."""

    user: str | None
    password: str | None

    def __new__(cls, url: str, user: str | None = None, password: str | None = None) -> StoreURL:
        self = super().__new__(cls, url)
        self.user = user
        self.password = password
        return self


def _store_location(ctx: click.Context, store: str, user: str | None, password: str | None) -> Path | StoreURL:
    """A directory for a local store, or the endpoint URL (credentials from the options or its userinfo)."""
    from urllib.parse import unquote, urlsplit, urlunsplit

    if not store.lower().startswith(("http://", "https://")):
        for name in ("store_user", "store_password"):
            if ctx.get_parameter_source(name) == click.core.ParameterSource.COMMANDLINE:
                raise click.UsageError(f"--{name.replace('_', '-')} is for a SPARQL endpoint URL as --store, "
                                       f"not a directory ({store})")
        return Path(store)
    parts = urlsplit(store)
    if parts.username is not None or parts.password is not None:
        user = user or unquote(parts.username or "") or None
        password = password or unquote(parts.password or "") or None
        netloc = parts.netloc.rsplit("@", 1)[-1]
        store = urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))
    return StoreURL(store, user, password)


class _Group(click.Group):
    """Turns kg's own errors into one line on stderr and exit status 1."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except KGError as e:
            click.echo(f"kg: error: {e}", err=True)
            sys.exit(1)
        except BrokenPipeError:
            sys.exit(1)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--store", "store", envvar="KG_STORE", default="kg-store", show_default=True, metavar="DIR|URL",
              help="Oxigraph store directory, or the URL of a SPARQL endpoint holding the graph "
                   "(http[s]://…, SPARQL 1.1 Query and Update: Virtuoso, GraphDB, Fuseki, ...) (or set KG_STORE).")
@click.option("--store-user", envvar="KG_STORE_USER", default=None, metavar="NAME",
              help="User for a --store URL that asks for one (HTTP Basic or Digest) (or set KG_STORE_USER).")
@click.option("--store-password", envvar="KG_STORE_PASSWORD", default=None, metavar="SECRET",
              help="Password of --store-user (better: set KG_STORE_PASSWORD, which others cannot see in ps).")
@click.option("--base-iri", default=None, metavar="IRI",
              help="Namespace for minted entity and article IRIs [default: https://w3id.org/kg/id/].")
@click.version_option(package_name="kg")
@click.pass_context
def main(ctx: click.Context, store: str, store_user: str | None, store_password: str | None,
         base_iri: str | None) -> None:
    """kg: build a knowledge graph from news articles and ask it questions.

    --store is a directory (an embedded Oxigraph store) or a SPARQL endpoint URL: every
    command works the same against either.

    \b
    Example:
      kg build seeds/
      kg query partners --param entity=Stellantis
      kg lookup Stellantis
      KG_STORE_PASSWORD=secret kg --store http://db.example.org:8890/sparql-auth --store-user dba build news/
    """
    from ..rdf import DEFAULT_BASE_IRI

    location = _store_location(ctx, store, store_user, store_password)
    ctx.obj = Settings(store=location, base_iri=base_iri or DEFAULT_BASE_IRI)


def _load_commands() -> None:
    for module in pkgutil.iter_modules(__path__):
        if not module.name.startswith("_"):
            importlib.import_module(f"{__name__}.{module.name}")


_load_commands()
