"""The Oxigraph store: clear errors, atomic article graphs, a default graph that is the union."""
from __future__ import annotations

import subprocess
import sys

import pyoxigraph as ox
import pytest

from kg.errors import QuerySyntaxError, StoreError, StoreLockedError
from kg.store import JOURNAL, Store

EX = "https://example.org/"


def t(s: str, p: str, o: str) -> ox.Triple:
    return ox.Triple(ox.NamedNode(EX + s), ox.NamedNode(EX + p), ox.NamedNode(EX + o))


def default_triples(store: Store) -> set[str]:
    return {f"{q.subject.value[len(EX):]} {q.predicate.value[len(EX):]} {q.object.value[len(EX):]}"
            for q in store.quads(None)}


def test_a_syntax_error_names_line_and_column():
    with pytest.raises(QuerySyntaxError) as caught:
        Store(None).query("SELECT *\nWHERE { ?s ?p }")
    # the parser reports the furthest position it reached, at or just past the offending token
    assert caught.value.line == 2 and 14 <= caught.value.column <= 16
    assert str(caught.value).startswith(f"SPARQL syntax error at line 2, column {caught.value.column}: expected")


def test_kg_prefixes_are_predeclared_and_variables_bound_by_substitution():
    store = Store(None)
    store.add_articles([(EX + "g1", [ox.Triple(ox.NamedNode(EX + "a"), ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"),
                                               ox.Literal('tricky " } # name'))])])
    rows = store.select("SELECT * WHERE { ?e rdfs:label ?name }", substitutions={"name": ox.Literal('tricky " } # name')})
    assert [r["e"].value for r in rows] == [EX + "a"]


def test_removing_an_article_keeps_triples_another_article_also_states():
    store = Store(None)
    store.add_articles([(EX + "g1", [t("a", "p", "b"), t("a", "p", "c")]), (EX + "g2", [t("a", "p", "b")])])
    assert default_triples(store) == {"a p b", "a p c"}
    store.remove_article(EX + "g1")
    assert default_triples(store) == {"a p b"}
    assert {g.value for g in store.raw.named_graphs()} == {EX + "g2"}


def test_bulk_and_transactional_writes_give_the_same_store(tmp_path):
    tricky = ox.Triple(ox.NamedNode(EX + "a"), ox.NamedNode(EX + "says"), ox.Literal('line one .\nline "two" .'))
    batch = [(EX + "g1", [t("a", "p", "b"), tricky]), (EX + "g2", [t("a", "p", "b"), t("b", "p", "c")])]
    stores = {}
    for bulk in (True, False):
        with Store(tmp_path / f"bulk-{bulk}") as store:
            assert store.add_articles(batch, bulk=bulk) == 8
            stores[bulk] = sorted(map(str, store.raw))
            assert not (tmp_path / f"bulk-{bulk}" / JOURNAL).exists()
    assert stores[True] == stores[False]
    assert len(stores[True]) == 4 + 3  # each article's triples in its graph, and their union


def test_a_bulk_write_cut_short_is_undone_when_the_store_is_next_opened_for_writing(tmp_path):
    path = tmp_path / "store"
    with Store(path) as store:
        store.add_articles([(EX + "g1", [t("a", "p", "b")])], bulk=True)
        before = sorted(map(str, store.raw))
        # what a bulk write of g2 and g3 killed half-way leaves: its journal, part of g2, and
        # default-graph triples, one of which g1 also states
        (path / JOURNAL).write_text(f"{EX}g2\n{EX}g3\n")
        store.raw.extend([ox.Quad(ox.NamedNode(EX + "a"), ox.NamedNode(EX + "p"), ox.NamedNode(EX + "c"),
                                  ox.NamedNode(EX + "g2")),
                          ox.Quad(ox.NamedNode(EX + "a"), ox.NamedNode(EX + "p"), ox.NamedNode(EX + "d")),
                          ox.Quad(ox.NamedNode(EX + "a"), ox.NamedNode(EX + "p"), ox.NamedNode(EX + "b"))])
    with Store(path, read_only=True) as reader:
        assert reader.recovered == [] and (path / JOURNAL).exists()  # readers leave it to a writer
    with Store(path) as reopened:
        assert reopened.recovered == [EX + "g2", EX + "g3"]
        assert sorted(map(str, reopened.raw)) == before
        assert default_triples(reopened) == {"a p b"}
    assert not (path / JOURNAL).exists()


def test_a_spool_is_loaded_in_one_transaction_when_small_and_by_the_bulk_loader_when_large(tmp_path, monkeypatch):
    batch = [(EX + "g1", [t("a", "p", "b")]), (EX + "g2", [t("a", "p", "b"), t("b", "p", "c")])]
    with Store(tmp_path / "reference") as store:
        store.add_articles(batch, bulk=False)
        reference = sorted(map(str, store.raw))
    for bulk in (False, True):
        path = tmp_path / f"spooled-{bulk}"
        with Store(path) as store:
            spool = store.spool()
            assert spool.path.parent == path  # beside the store, on its disk
            for graph, triples in batch:
                spool.add(graph, triples)
            loads = []
            for method in ("load", "bulk_load"):
                original = getattr(ox.Store, method)
                monkeypatch.setattr(ox.Store, method, lambda self, *a, _o=original, _m=method, **k:
                                    (loads.append(_m), _o(self, *a, **k))[1])
            assert store.write_spool(spool, bulk=bulk) == 6
            monkeypatch.undo()
            assert loads == ["bulk_load" if bulk else "load"]
            assert sorted(map(str, store.raw)) == reference
            assert not spool.path.exists() and not (path / JOURNAL).exists()


def test_spools_a_killed_build_left_are_removed_when_the_store_is_next_opened_for_writing(tmp_path):
    path = tmp_path / "store"
    with Store(path) as store:
        left = store.spool()
        left.add(EX + "g1", [t("a", "p", "b")])
        left.close()
    with Store(path, read_only=True):
        assert left.path.exists()
    with Store(path) as reopened:
        assert not left.path.exists() and len(reopened) == 0


def test_a_full_disk_during_a_bulk_write_is_one_clear_error_and_is_undone_on_the_next_open(tmp_path, monkeypatch):
    path = tmp_path / "store"
    with Store(path) as store:
        store.add_articles([(EX + "g1", [t("a", "p", "b")])])
        before = sorted(map(str, store.raw))

        def full(self, *args, **kwargs):
            # what a write cut short by ENOSPC leaves: some quads in, then the error
            self.extend([ox.Quad(ox.NamedNode(EX + "a"), ox.NamedNode(EX + "p"), ox.NamedNode(EX + "z"),
                                 ox.NamedNode(EX + "g2"))])
            raise OSError(28, "No space left on device")

        monkeypatch.setattr(ox.Store, "bulk_load", full)
        spool = store.spool()
        spool.add(EX + "g2", [t("a", "p", "z")])
        with pytest.raises(StoreError) as caught:
            store.write_spool(spool, bulk=True)
        message = str(caught.value)
        del caught  # its traceback holds the raw store, and with it the store's lock
        assert message.startswith(f"{path}: cannot write to the store: No space left on device")
        assert "undoes the 1 partly written articles" in message and "\n" not in message
        assert not spool.path.exists() and (path / JOURNAL).exists()
        monkeypatch.undo()
    with Store(path) as reopened:
        assert reopened.recovered == [EX + "g2"]
        assert sorted(map(str, reopened.raw)) == before


def test_a_missing_store_is_an_error_for_readers(tmp_path):
    with pytest.raises(StoreError, match="no store here; build one first"):
        Store(tmp_path / "nothing", read_only=True)


def test_a_file_in_place_of_the_store_is_an_error(tmp_path):
    (tmp_path / "file").write_text("x")
    with pytest.raises(StoreError, match="not a directory"):
        Store(tmp_path / "file")


def test_a_store_locked_by_another_process_raises_store_locked(tmp_path):
    path = tmp_path / "store"
    holder = subprocess.Popen([sys.executable, "-c", f"import pyoxigraph, sys; s = pyoxigraph.Store({str(path)!r}); "
                               "print('ready', flush=True); sys.stdin.read()"],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "ready"
        with pytest.raises(StoreLockedError, match="in use by another process"):
            Store(path)
        with Store(path, read_only=True) as reader:  # readers are not blocked
            assert len(reader) == 0
    finally:
        holder.communicate("")


def test_an_export_of_article_graphs_loads_back_as_articles(tmp_path):
    store = Store(None)
    store.add_articles([(EX + "g1", [t("a", "p", "b")]), (EX + "g2", [t("a", "p", "c")])])
    export = tmp_path / "graphs.nq"
    export.write_bytes(store.dump(fmt=ox.RdfFormat.N_QUADS))
    again = Store(None)
    again.load_articles(export)
    assert {g.value for g in again.raw.named_graphs()} == {EX + "g1", EX + "g2"}
    assert default_triples(again) == {"a p b", "a p c"}
