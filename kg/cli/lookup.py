"""`kg lookup`: the entity card, found by any name or alias."""
from __future__ import annotations

import sys

import click

from . import Settings, main


@main.command()
@click.argument("name", nargs=-1, required=True)
@click.option("--format", "-f", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="text for people, json for scripts.")
@click.pass_obj
def lookup(settings: Settings, name: tuple[str, ...], fmt: str) -> None:
    """Show the entity card of NAME: label, type, aliases, and every relation in and out.

    NAME is the entity's label or any alias, in any case ("msft", "Microsoft Corporation");
    `Label (Type)` or <IRI> pick one of several entities sharing a name. Each relation comes
    with the article and the sentence that state it; a name that matches nothing gets
    suggestions.

    \b
    Example:
      kg lookup Stellantis
      kg lookup msft --format json
      kg lookup Sophie Leclerc
    """
    from ..lookup import lookup as entity_lookup
    from ..queries import terminal_width
    from ..store import Store

    with Store(settings.store, read_only=True) as store:
        card = entity_lookup(store, " ".join(name))
    if fmt == "json":
        click.echo(card.to_json())
    else:
        click.echo(card.to_text(width=max(terminal_width(), 60) if sys.stdout.isatty() else 100))
