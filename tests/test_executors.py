"""Extraction executors: local, processes, and a Dask cluster (a real LocalCluster, two worker
processes on loopback) all build the same graph, the store written from one place."""
from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from kg.build import build
from kg.errors import InputError
from kg.executors import EXECUTORS, ExecutorError, run
from kg.store import Store

from .conftest import ROOT, SEEDS

distributed = pytest.importorskip("distributed", reason="Dask's distributed is not installed (pip install 'kg[dask]')")

GENERATED = "http://www.w3.org/ns/prov#generatedAtTime"


@pytest.fixture(scope="module")
def scheduler():
    """The address of a Dask LocalCluster: two single-threaded worker processes on loopback."""
    import cloudpickle

    cloudpickle.register_pickle_by_value(sys.modules[__name__])  # workers cannot import this test module
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=None, worker_dashboard_address=None) as cluster:
        yield cluster.scheduler_address


def default_graph(store: Store) -> list[str]:
    """The default graph as sorted N-Quads lines, ingestion times left out."""
    return sorted(str(ox.Quad(q.subject, q.predicate, ox.Literal("<time>") if q.predicate.value == GENERATED
                              else q.object)) for q in store.quads(None))


def article_graphs(store: Store) -> list[str]:
    return sorted(str(q) for q in store.raw.quads_for_pattern(None, None, None, None)
                  if not isinstance(q.graph_name, ox.DefaultGraph) and q.predicate.value != GENERATED)


def synthetic(folder: Path, n: int) -> Path:
    spec = importlib.util.spec_from_file_location("kg_bench_corpus", ROOT / "bench" / "corpus.py")
    module = sys.modules.get("kg_bench_corpus")
    if module is None:
        module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
        sys.modules["kg_bench_corpus"] = module
        spec.loader.exec_module(module)  # type: ignore[union-attr]
    module.generate(n, folder)
    return folder


@pytest.mark.parametrize("corpus", ["seeds", "synthetic"])
def test_dask_builds_the_same_graph_as_a_local_build(scheduler, tmp_path, corpus):
    folder = SEEDS if corpus == "seeds" else synthetic(tmp_path / "corpus", 20)
    with Store(tmp_path / "dask") as on_dask, Store(tmp_path / "local") as local:
        a = build(on_dask, [folder], executor="dask", executor_options={"scheduler": scheduler, "batch": 3})
        b = build(local, [folder])
        assert a.ok and b.ok, a.errors + b.errors
        assert (a.added, a.relations, a.events, a.entities) == (b.added, b.relations, b.events, b.entities)
        assert a.added == (2 if corpus == "seeds" else 20)
        assert default_graph(on_dask) == default_graph(local)
        assert article_graphs(on_dask) == article_graphs(local)


def test_local_processes_build_the_same_graph_too(tmp_path):
    with Store(tmp_path / "processes") as pool, Store(tmp_path / "local") as local:
        build(pool, [SEEDS], executor="processes", jobs=2)
        build(local, [SEEDS], executor="local")
        assert default_graph(pool) == default_graph(local)


# -- the executors themselves ----------------------------------------------------------------

_initialised = 0


def _count_init() -> None:
    global _initialised
    _initialised += 1


def _where(x: int) -> tuple[int, int, int]:
    return x, os.getpid(), _initialised


def test_results_come_in_input_order_and_each_worker_initialises_once(scheduler):
    results = list(run("dask", _where, iter(range(40)), initializer=_count_init, scheduler=scheduler, batch=3, window=4))
    assert [x for x, _, _ in results] == list(range(40))
    assert {count for _, _, count in results} == {1}  # once per worker process, not per item or batch
    assert len({pid for _, pid, _ in results}) == 2 and os.getpid() not in {pid for _, pid, _ in results}


def test_work_is_submitted_in_windows(scheduler):
    taken = 0

    def source():
        nonlocal taken
        for i in range(1000):
            taken += 1
            yield i

    results = run("dask", _where, source(), scheduler=scheduler, batch=5, window=2)
    assert next(results)[0] == 0
    assert taken <= 3 * 5  # two batches in flight, one more submitted as the first came back
    assert [x for x, _, _ in results] == list(range(1, 1000))


def test_local_processes_read_their_input_in_windows_too():
    taken = 0

    def source():
        nonlocal taken
        for i in range(1000):
            taken += 1
            yield i

    results = run("processes", _where, source(), jobs=2, chunksize=5, window=2)
    assert next(results)[0] == 0
    assert taken <= 3 * 5  # not the whole input read ahead, as Pool.imap does
    assert [x for x, _, _ in results] == list(range(1, 1000))


def test_every_executor_keeps_the_order():
    items = list(range(25))
    assert list(run("local", _where, iter(items)))[-1][0] == 24
    assert [x for x, _, _ in run("processes", _where, iter(items), jobs=2)] == items
    assert sorted(EXECUTORS) == ["dask", "local", "processes"]


def test_bad_executor_settings_are_clear_errors():
    with pytest.raises(InputError, match="unknown executor 'spark'"):
        list(run("spark", _where, iter([1])))
    with pytest.raises(InputError, match="needs --scheduler"):
        list(run("dask", _where, iter([1])))


def test_an_unreachable_scheduler_is_one_clear_error():
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(ExecutorError, match=f"tcp://127.0.0.1:{port}: cannot reach the Dask scheduler"):
        list(run("dask", _where, iter([1]), scheduler=f"tcp://127.0.0.1:{port}", timeout=3))


# -- the command line -------------------------------------------------------------------------

def test_kg_build_on_a_dask_cluster(scheduler, tmp_path, seeds_store_path):
    from kg.cli import main

    result = CliRunner().invoke(main, ["--store", str(tmp_path / "store"), "build", str(SEEDS),
                                       "--executor", "dask", "--scheduler", scheduler, "--quiet"])
    assert result.exit_code == 0, result.output
    assert "2 articles (2 added" in result.stdout
    with Store(tmp_path / "store", read_only=True) as on_dask, Store(seeds_store_path, read_only=True) as local:
        assert default_graph(on_dask) == default_graph(local)


@pytest.mark.parametrize("args, message", [
    (["--executor", "dask"], "--executor dask needs --scheduler ADDRESS"),
    (["--executor", "local", "--scheduler", "tcp://127.0.0.1:1"], "--scheduler is for --executor dask"),
    (["--scheduler", "tcp://127.0.0.1:1", "--jobs", "2"], "--jobs is for --executor processes, not dask"),
])
def test_kg_build_executor_options_misused(tmp_path, args, message):
    from kg.cli import main

    result = CliRunner().invoke(main, ["--store", str(tmp_path / "store"), "build", str(SEEDS), *args])
    assert result.exit_code == 2 and message in result.output
