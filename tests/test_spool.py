"""A spool holds a batch of whole articles as N-Quads on disk until the store loads it."""
from __future__ import annotations

import pyoxigraph as ox
import pytest

from kg.errors import StoreError
from kg.spool import PREFIX, Spool

EX = "https://example.org/"
A, P = ox.NamedNode(EX + "a"), ox.NamedNode(EX + "p")
TRICKY = ox.Literal('line one .\nline "two" .', language="en")


def test_each_triple_is_written_in_its_article_graph_and_in_the_default_graph(tmp_path):
    with Spool(tmp_path) as spool:
        spool.add(EX + "g1", [ox.Triple(A, P, TRICKY), ox.Triple(A, P, ox.NamedNode(EX + "b"))])
        spool.add(EX + "g2", [ox.Triple(A, P, ox.NamedNode(EX + "b"))])
        assert (spool.graphs, spool.quads) == ([EX + "g1", EX + "g2"], 6)
        quads = list(ox.parse(path=str(spool.close()), format=ox.RdfFormat.N_QUADS))
    graphs = [q.graph_name for q in quads]
    assert graphs.count(ox.NamedNode(EX + "g1")) == 2 and graphs.count(ox.NamedNode(EX + "g2")) == 1
    assert graphs.count(ox.DefaultGraph()) == 3
    assert ox.Quad(A, P, TRICKY, ox.NamedNode(EX + "g1")) in quads  # a literal with " .\n" in it survives


def test_the_articles_read_back_in_the_order_they_were_added(tmp_path):
    g1 = [ox.Triple(A, P, TRICKY), ox.Triple(A, P, ox.Literal("1"))]
    g2 = [ox.Triple(A, P, ox.Literal("2"))]
    with Spool(tmp_path) as spool:
        spool.add(EX + "g2", g2)
        spool.add(EX + "g1", g1)
        assert list(spool.articles()) == [(EX + "g2", g2), (EX + "g1", g1)]


def test_the_file_lives_in_the_given_directory_until_discarded(tmp_path):
    spool = Spool(tmp_path)
    assert spool.path.parent == tmp_path and spool.path.name.startswith(PREFIX)
    spool.add(EX + "g1", [ox.Triple(A, P, A)])
    spool.close()
    with pytest.raises(ValueError, match="closed"):
        spool.add(EX + "g2", [ox.Triple(A, P, A)])
    spool.discard()
    assert list(tmp_path.iterdir()) == []


def test_a_batch_file_that_cannot_be_created_is_a_store_error_naming_the_directory(tmp_path):
    missing = tmp_path / "gone"
    with pytest.raises(StoreError, match=f"^{missing}: cannot create a batch file: No such file or directory$"):
        Spool(missing)
