"""`kg eval` and `kg validate`: measure the graph against a gold file, check it against SHACL."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from . import Settings, main


@main.command("eval")
@click.argument("gold", type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option("--errors/--no-errors", default=True, show_default=True,
              help="List the false positives and missed relations.")
@click.pass_obj
def eval_(settings: Settings, gold: Path, fmt: str, errors: bool) -> None:
    """Score the store against a gold file: precision, recall and F1 per relation and overall.

    Only the articles the gold file names (its "doc" fields) are scored, when the store has them.

    \b
    Example:
      kg build seeds/ && kg eval ../shared/spec/seeds-gold.json
    """
    from ..evaluate import evaluate
    from ..store import Store

    with Store(settings.store, read_only=True) as store:
        report = evaluate(store, gold)
    if fmt == "json":
        click.echo(json.dumps(report.as_dict(), indent=2, default=sorted))
        return
    click.echo(f"{'relation':<18} {'P':>6} {'R':>6} {'F1':>6} {'tp':>4} {'fp':>4} {'fn':>4}")
    for name, s in sorted(report.relations.items()):
        click.echo(f"{name:<18} {s.precision:6.2f} {s.recall:6.2f} {s.f1:6.2f} {s.tp:4} {s.fp:4} {s.fn:4}")
    o, e = report.overall, report.entities
    click.echo(f"{'overall':<18} {o.precision:6.2f} {o.recall:6.2f} {o.f1:6.2f} {o.tp:4} {o.fp:4} {o.fn:4}")
    click.echo(f"{'entities':<18} {e.precision:6.2f} {e.recall:6.2f} {e.f1:6.2f} {e.tp:4} {e.fp:4} {e.fn:4}")
    for ev in report.events:
        attrs = ", ".join(f"{k} {'ok' if v else 'MISSING'}" for k, v in ev.attributes.items())
        click.echo(f"event {ev.type}: {'found' if ev.found else 'NOT FOUND'}{' (' + attrs + ')' if attrs else ''}")
    if errors:
        for s, p, o in report.false_positives:
            click.echo(f"  false positive: {s} {p} {o}")
        for s, p, o in report.false_negatives:
            click.echo(f"  missed:         {s} {p} {o}")


@main.command()
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.pass_obj
def validate(settings: Settings, fmt: str) -> None:
    """Check the store against the SHACL shapes in ontology/shapes.ttl; exit 1 on violations.

    \b
    Example:
      kg build seeds/ && kg validate
    """
    from ..store import Store
    from ..validate import validate_store

    with Store(settings.store, read_only=True) as store:
        result = validate_store(store)
    if fmt == "json":
        click.echo(json.dumps({"conforms": result.conforms,
                               "violations": [v.__dict__ for v in result.violations]}, indent=2, default=str))
    elif result.conforms:
        click.echo("conforms: the store satisfies every shape")
    else:
        click.echo(f"{len(result.violations)} violations")
        for v in result.violations:
            click.echo(f"  {v.focus_node} {v.path or ''}: {v.message}")
    if not result.conforms:
        sys.exit(1)
