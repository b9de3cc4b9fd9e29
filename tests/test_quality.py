"""What the extractor must achieve, end to end through a real build: scores and well-formedness.

The floors sit below today's scores so that a regression fails here, not in a user's hands.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from kg.build import build
from kg.evaluate import evaluate
from kg.store import Store
from kg.validate import validate_store

from .conftest import DEVSET, ROOT, SEEDS_GOLD

DEVSET2 = ROOT / "tests" / "data" / "devset2"
HELD_OUT = [ROOT / "tests" / "data" / "holdout", ROOT / "tests" / "data" / "holdout2"]


@pytest.fixture(scope="module")
def devset_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("devset") / "store"
    with Store(path) as store:
        report = build(store, [DEVSET / "articles", DEVSET2 / "articles"])
    assert report.ok, report.errors
    return path


def test_the_seeds_score_at_least_0_90_with_both_events_and_all_their_attributes(seeds_store_path):
    with Store(seeds_store_path, read_only=True) as store:
        report = evaluate(store, SEEDS_GOLD)
    assert report.overall.f1 >= 0.90, report.as_dict()["relations"]
    assert len(report.events) == 2
    for event in report.events:
        assert event.found and all(event.attributes.values()), (event.type, event.attributes)


@pytest.mark.parametrize("gold, floor", [(DEVSET / "gold.json", 0.90), (DEVSET2 / "gold.json", 0.80)],
                         ids=["devset", "devset2"])
def test_the_development_sets_keep_their_scores(devset_store, gold, floor):
    with Store(devset_store, read_only=True) as store:
        report = evaluate(store, gold)
    assert report.overall.f1 >= floor, (report.overall.as_dict(), report.false_negatives[:10])
    assert report.overall.precision >= 0.85


@pytest.fixture(scope="module")
def held_out_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("held-out") / "store"
    with Store(path) as store:
        report = build(store, [folder / "articles" for folder in HELD_OUT])
    assert report.ok, report.errors
    return path


@pytest.mark.parametrize("folder", HELD_OUT, ids=lambda f: f.name)
def test_articles_nobody_tuned_on_keep_a_useful_score(held_out_store, folder):
    """A floor, not a target: these sets measure unseen news, so the extractor is never tuned on them."""
    with Store(held_out_store, read_only=True) as store:
        report = evaluate(store, folder / "gold.json")
    assert report.overall.f1 >= 0.70, report.overall.as_dict()
    assert report.overall.precision >= 0.85, report.false_positives[:10]


def test_the_seeds_build_conforms_to_the_shapes(seeds_store_path):
    with Store(seeds_store_path, read_only=True) as store:
        result = validate_store(store)
    assert result.conforms, result.text


def test_the_development_set_builds_conform_to_the_shapes(devset_store):
    with Store(devset_store, read_only=True) as store:
        result = validate_store(store)
    assert result.conforms, result.text
