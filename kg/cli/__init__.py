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

    store: Path
    base_iri: str


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
@click.option("--store", "store", type=click.Path(path_type=Path), envvar="KG_STORE", default="kg-store",
              show_default=True, help="Oxigraph store directory (or set KG_STORE).")
@click.option("--base-iri", default=None, metavar="IRI",
              help="Namespace for minted entity and article IRIs [default: https://w3id.org/kg/id/].")
@click.version_option(package_name="kg")
@click.pass_context
def main(ctx: click.Context, store: Path, base_iri: str | None) -> None:
    """kg: build a knowledge graph from news articles and ask it questions.

    \b
    Example:
      kg build seeds/
      kg query partners --param entity=Stellantis
      kg lookup Stellantis
    """
    from ..rdf import DEFAULT_BASE_IRI

    ctx.obj = Settings(store=store, base_iri=base_iri or DEFAULT_BASE_IRI)


def _load_commands() -> None:
    for module in pkgutil.iter_modules(__path__):
        if not module.name.startswith("_"):
            importlib.import_module(f"{__name__}.{module.name}")


_load_commands()
