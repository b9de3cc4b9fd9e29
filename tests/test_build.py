"""Building the store: incremental updates, removal, and every kind of bad input."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.build import build, remove
from kg.spool import PREFIX as SPOOL_PREFIX
from kg.store import JOURNAL, Store

from .conftest import ROOT, SEEDS

KG = [sys.executable, "-m", "kg"]


def labels(store: Store) -> set[str]:
    return {r["l"].value for r in store.select("SELECT ?l WHERE { ?e kg:mentionedIn ?a ; rdfs:label ?l }")}


def kg_cli(*args: str, cwd: Path | None = None, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([*KG, *args], capture_output=True, text=True, cwd=cwd, timeout=600, **kwargs)


def copy_seeds(tmp_path: Path) -> Path:
    folder = tmp_path / "articles"
    shutil.copytree(SEEDS, folder)
    return folder


def test_building_the_same_articles_twice_changes_nothing(seeds_copy):
    with Store(seeds_copy) as store:
        before = sorted(map(str, store.raw))
        report = build(store, [SEEDS])
        after = sorted(map(str, store.raw))
    assert (report.added, report.unchanged, report.replaced) == (0, 2, 0)
    assert before == after


SHARED_TICKER = {  # three companies listed as VER on three exchanges
    "1.txt": "Verfen Technologies (NYSE: VER) will open a research centre in Austin. "
             "Verfen Technologies is headquartered in Denver.",
    "2.txt": "Verxen Pharmaceuticals has hired a new chief financial officer. "
             "Verxen Pharmaceuticals is headquartered in Boston.",
    "3.txt": "Verxen Pharmaceuticals (NASDAQ: VER) reported higher quarterly sales. "
             "Verxen Pharmaceuticals partners with Pfizer on vaccine research.",
    "4.txt": "Verostnor Technologies (ASX: VER) agreed to acquire a robotics maker. "
             "Verostnor Technologies is headquartered in Sydney.",
}


def graph_without_times(store: Store) -> set[str]:
    return {str(q) for q in store.raw if not q.predicate.value.endswith("generatedAtTime")}


def test_a_build_resumed_from_the_store_makes_the_graph_a_build_in_one_go_makes(tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    for name, text in SHARED_TICKER.items():
        (folder / name).write_text(text + "\n", encoding="utf-8")
    with Store(tmp_path / "one-go") as store:
        build(store, [folder])
        one_go = graph_without_times(store)
    for cut in (2, 3):
        with Store(tmp_path / f"resumed-{cut}") as store:
            build(store, sorted(folder.iterdir())[:cut])
            build(store, [folder])
            assert graph_without_times(store) == one_go, f"resumed after {cut} articles"
        with Store(tmp_path / f"resumed-{cut}", read_only=True) as store:
            assert {"Verfen Technologies", "Verxen Pharmaceuticals", "Verostnor Technologies"} <= labels(store)


def test_each_article_is_a_named_graph_and_the_default_graph_is_their_union(seeds_store_path):
    with Store(seeds_store_path, read_only=True) as store:
        graphs = {str(q.graph_name) for q in store.raw if not str(q.graph_name) == "DEFAULT"}
        union = {(q.subject, q.predicate, q.object) for q in store.raw.quads_for_pattern(None, None, None, None)
                 if q.graph_name.__class__.__name__ != "DefaultGraph"}
        default = {(q.subject, q.predicate, q.object) for q in store.quads(None)}
        assert store.article_count() == 2
        assert default == union
        assert len(graphs) >= 2
    assert not list(seeds_store_path.glob(SPOOL_PREFIX + "*")), "the batches written leave no file behind"


def test_an_edited_article_replaces_its_old_facts(tmp_path):
    folder = copy_seeds(tmp_path)
    with Store(tmp_path / "store") as store:
        build(store, [folder])
        assert "Amazon" in labels(store)
        article = folder / "002_bce34b61fba21d8d.txt"
        text = article.read_text(encoding="utf-8")
        article.write_text(text.replace("including its in-car software collaboration with Amazon", "including some"),
                           encoding="utf-8")
        report = build(store, [folder])
        assert (report.replaced, report.unchanged, report.added) == (1, 1, 0)
        assert store.article_count() == 2
        assert "Amazon" not in labels(store)
        assert not store.select("SELECT ?s WHERE { ?s kg:formerPartnerOf ?o }")


def test_removing_an_article_keeps_entities_other_articles_mention(seeds_copy):
    with Store(seeds_copy) as store:
        removed = remove(store, "002_bce34b61fba21d8d.txt")
        assert len(removed) == 1
        names = labels(store)
        assert "Stellantis" in names and "Microsoft" in names
        assert "Amazon" not in names and "Sophie Leclerc" not in names
        assert not store.select(f"SELECT * WHERE {{ ?s ?p <{removed[0]}> }}")
        assert store.article_count() == 1


def test_the_same_text_under_two_names_is_built_once_and_reported(tmp_path):
    folder = copy_seeds(tmp_path)
    shutil.copy(folder / "000_ec105b93c477087b.txt", folder / "copy-of-000.txt")
    with Store(tmp_path / "store") as store:
        report = build(store, [folder])
    assert report.added == 2
    [error] = report.errors
    assert str(error) == f"{(folder / 'copy-of-000.txt').resolve()}: same text as {(folder / '000_ec105b93c477087b.txt').resolve()}; skipped"


@pytest.fixture
def bad_folder(tmp_path: Path) -> Path:
    """The seeds plus one of each kind of bad input."""
    folder = copy_seeds(tmp_path)
    (folder / "empty.txt").write_text("", encoding="utf-8")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 4)
    (folder / "latin1.txt").write_bytes("Soci\xe9t\xe9 G\xe9n\xe9rale".encode("latin-1"))
    (folder / "huge.txt").write_text("Acme partnered with Globex. " * 800_000, encoding="utf-8")  # ~22 MB
    (folder / "junk.html").write_text(
        "<html><head><script>" + "var x = 'Globex';" * 500 + "</script></head><body><nav>Home | Markets</nav>"
        "<footer>(c) Example</footer></body></html>", encoding="utf-8")
    return folder


def test_bad_articles_are_reported_one_line_each_and_the_rest_still_built(bad_folder, tmp_path):
    store_path = tmp_path / "store"
    result = kg_cli("--store", str(store_path), "build", str(bad_folder), str(tmp_path / "missing"), "--quiet")
    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("kg: error:")]
    expected = {
        "empty.txt": "empty file",
        "binary.txt": "binary file",
        "latin1.txt": "not UTF-8",
        "huge.txt": "over the 5.0 MB limit",
        "junk.html": "no article text",
        "missing": "no such file or directory",
    }
    assert len(errors) == len(expected), result.stderr
    for name, problem in expected.items():
        assert any(name in line and problem in line for line in errors), (name, result.stderr)
    assert "2 articles (2 added" in result.stdout
    with Store(store_path, read_only=True) as store:
        assert store.article_count() == 2


def test_a_folder_with_no_articles_is_an_error(tmp_path):
    (tmp_path / "empty").mkdir()
    result = kg_cli("--store", str(tmp_path / "store"), "build", str(tmp_path / "empty"))
    assert result.returncode == 1
    assert f"kg: error: {tmp_path / 'empty'}: folder holds no articles" in result.stderr


def test_a_store_held_by_another_process_gets_a_clear_message(tmp_path):
    store_path = tmp_path / "store"
    holder = Store(store_path)
    try:
        result = kg_cli("--store", str(store_path), "build", str(SEEDS))
    finally:
        holder.close()
    assert result.returncode == 1
    [line] = result.stderr.strip().splitlines()
    assert line.startswith(f"kg: error: {store_path}: store is in use by another process")


def test_a_build_killed_half_way_leaves_a_consistent_store_and_completes_when_run_again(tmp_path):
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        from corpus import generate
    finally:
        sys.path.pop(0)
    corpus = tmp_path / "corpus"
    generate(300, corpus, seed=3)
    store_path = tmp_path / "store"
    process = subprocess.Popen([*KG, "--store", str(store_path), "build", str(corpus), "--quiet",
                                "--batch-quads", "12000"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 300
    try:
        while time.monotonic() < deadline and process.poll() is None:
            journal = store_path / JOURNAL
            if journal.exists():
                try:
                    in_flight = len(journal.read_text(encoding="utf-8").split())
                    with Store(store_path, read_only=True) as peek:
                        whole_batch_before = peek.article_count() > in_flight
                except Exception:  # the journal or the store changed under us: look again
                    whole_batch_before = False
                if whole_batch_before:
                    break  # killed in the middle of a bulk write, after at least one whole batch
            time.sleep(0.01)
    finally:
        if process.poll() is None:
            os.kill(process.pid, signal.SIGKILL)
        process.wait()
    assert process.returncode == -signal.SIGKILL, "the build finished before it could be killed"

    interrupted = (store_path / JOURNAL).exists()  # almost always: the kill waited for a bulk write
    assert list(store_path.glob(SPOOL_PREFIX + "*")), "the batch being gathered is left on disk"
    result = kg_cli("--store", str(store_path), "build", str(corpus), "--quiet")
    assert result.returncode == 0, result.stderr
    assert ("interrupted write" in result.stderr) == interrupted
    assert "300 articles" in result.stdout and " 0 added" not in result.stdout and "0 unchanged" not in result.stdout
    assert not list(store_path.glob(SPOOL_PREFIX + "*"))

    clean_path = tmp_path / "clean"
    assert kg_cli("--store", str(clean_path), "build", str(corpus), "--quiet").returncode == 0
    with Store(store_path, read_only=True) as resumed, Store(clean_path, read_only=True) as clean:
        assert resumed.article_count() == clean.article_count() == 300
        assert len(resumed) == len(clean)


def test_a_store_that_cannot_be_written_stops_the_build_with_one_line_and_loses_nothing(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from kg.cli import main

    store_path = tmp_path / "store"
    assert kg_cli("--store", str(store_path), "build", str(sorted(SEEDS.glob("*.txt"))[0]), "-q").returncode == 0
    with Store(store_path, read_only=True) as store:
        before = sorted(map(str, store.raw))

    def full(self, *args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(ox.Store, "load", full)
    monkeypatch.setattr(ox.Store, "bulk_load", full)
    result = CliRunner().invoke(main, ["--store", str(store_path), "build", str(SEEDS), "-q"])
    assert result.exit_code == 1, result.output
    assert result.stderr.splitlines() == [f"kg: error: {store_path}: cannot write to the store: No space left on device"]
    monkeypatch.undo()
    with Store(store_path, read_only=True) as store:
        assert sorted(map(str, store.raw)) == before
    assert not list(store_path.glob(SPOOL_PREFIX + "*"))
