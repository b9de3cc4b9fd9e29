"""What the CLI tests share: an in-process `kg` runner on the seeds store, and the error check."""
from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import main


@pytest.fixture
def kg(seeds_store_path: Path):
    """Run `kg --store SEEDS ARGS...` in-process (or `store=` another); returns click's Result."""
    runner = CliRunner()

    def run(*args: str, store: Path | None = None, input: str | None = None):
        return runner.invoke(main, ["--store", str(store or seeds_store_path), *args], input=input)

    return run


def one_line_error(result, *fragments: str) -> None:
    """The command failed with exit status 1 and one `kg: error:` line holding every fragment."""
    assert result.exit_code == 1, result.output
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("kg: error: "), result.stderr
    for fragment in fragments:
        assert fragment in lines[0]
