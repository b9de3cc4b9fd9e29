"""Shared fixtures: a real on-disk store built from the seed articles, once per test session."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SHARED = ROOT.parent / "shared"
SEEDS_GOLD = SHARED / "spec" / "seeds-gold.json"
DEVSET = ROOT / "tests" / "data" / "devset"


@pytest.fixture(scope="session")
def seeds_store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store directory holding the seeds build; closed, so tests may open it read-only."""
    from kg.build import build
    from kg.store import Store

    path = tmp_path_factory.mktemp("seeds") / "store"
    with Store(path) as store:
        report = build(store, [SEEDS])
    assert report.ok and report.added == 2, report.errors
    return path


@pytest.fixture(scope="session")
def seeds_kg(seeds_store_path: Path):
    """A read-only KnowledgeGraph over the seeds build."""
    from kg import KnowledgeGraph

    graph = KnowledgeGraph(seeds_store_path, read_only=True)
    yield graph
    graph.close()


@pytest.fixture
def seeds_copy(seeds_store_path: Path, tmp_path: Path) -> Path:
    """A writable copy of the seeds store, for tests that change it."""
    target = tmp_path / "store"
    shutil.copytree(seeds_store_path, target)
    return target
