"""The query workers' store handle: it follows a writer's file churn and tells a deleted store apart."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from kg.errors import StoreError
from kg.server import workers
from kg.store import Store


class _Retired:
    """A directory entry whose file the writer deleted after the folder was listed."""

    def __init__(self, path: str) -> None:
        self.name = os.path.basename(path)
        self.path = path

    def stat(self) -> os.stat_result:
        raise FileNotFoundError(self.path)


def test_a_log_retired_while_listing_the_store_is_not_a_deleted_store(tmp_path: Path, monkeypatch) -> None:
    Store(tmp_path / "store").close()
    state = workers._StoreState(tmp_path / "store")
    real_scandir = os.scandir

    class Listing:
        def __init__(self, path: str) -> None:
            self.inner = real_scandir(path)

        def __enter__(self):  # type: ignore[no-untyped-def]
            entries = list(self.inner)
            return [*entries, _Retired(os.path.join(str(tmp_path / "store"), "000099.log"))]

        def __exit__(self, *exc: object) -> None:
            self.inner.close()

    monkeypatch.setattr(workers.os, "scandir", Listing)
    store = state.get()
    assert store.query("ASK { }") is not None
    assert all(name != "000099.log" for name in state._names)


def test_a_deleted_store_is_reported_as_gone(tmp_path: Path) -> None:
    Store(tmp_path / "store").close()
    state = workers._StoreState(tmp_path / "store")
    state.get()
    shutil.rmtree(tmp_path / "store")
    with pytest.raises(StoreError, match="the store is gone"):
        state.get()
