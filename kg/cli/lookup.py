"""`kg lookup`: the entity card, found by any name or alias."""
from __future__ import annotations

import sys

import click

from . import Settings, main


@main.command()
@click.argument("name", nargs=-1, required=True)
@click.option("--format", "-f", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="text for people, json for scripts.")
@click.option("--all", "show_all", is_flag=True,
              help="Show everything: every article, relation, sentence and event (a busy entity's card is "
                   "otherwise cut short).")
@click.pass_obj
def lookup(settings: Settings, name: tuple[str, ...], fmt: str, show_all: bool) -> None:
    """Show the entity card of NAME: label, type, aliases, and every relation in and out.

    NAME is the entity's label or any alias, in any case ("acme", "Acme Corporation");
    `Label (Type)` or <IRI> pick one of several entities sharing a name. Each relation comes
    with the article and the sentence that state it; a name that matches nothing gets
    suggestions.

    A busy entity's card is cut short unless --all is given: at most 3 sentences per relation
    (from different articles where it can), and at most 50 related entities per property (those
    with the most sentences), 50 articles and 50 events, each list ending in "… and K more".
    JSON has the same lists, plus the full counts: "articleCount", "relationCounts" ({"out"|"in":
    {property: entities}}), "eventCount", each relation's "evidenceCount", and "truncated"
    (true when something was left out).

    \b
    Example:
      kg lookup Stellantis
      kg lookup msft --format json
      kg lookup Sophie Leclerc
      kg lookup Microsoft --all
    """
    from ..lookup import OTHERS_SHOWN, SOURCES_SHOWN
    from ..lookup import lookup as entity_lookup
    from ..queries import terminal_width
    from ..store import Store

    caps = {"max_sources": None, "max_others": None} if show_all else \
        {"max_sources": SOURCES_SHOWN, "max_others": OTHERS_SHOWN}
    with Store(settings.store, read_only=True) as store:
        card = entity_lookup(store, " ".join(name), **caps)
    if fmt == "json":
        click.echo(card.to_json())
    else:
        click.echo(card.to_text(width=max(terminal_width(), 60) if sys.stdout.isatty() else 100))
