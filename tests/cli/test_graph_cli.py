"""`kg neighbors`, `kg path`, `kg central`: tables and JSON, bad input, read-only use."""
from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from .conftest import one_line_error
from kg.cli import main
from kg.graph import load_trig
from kg.store import Store

ROOT = Path(__file__).resolve().parents[2]
KG = ROOT / ".venv" / "bin" / "kg"
FIXTURE = ROOT / "tests" / "data" / "projection" / "graph.trig"


@pytest.fixture(scope="module")
def fixture_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("projection-cli") / "store"
    with Store(path) as store:
        load_trig(store, FIXTURE.read_text())
    return path




# -- neighbors -------------------------------------------------------------------------------

def test_neighbors_table(kg, fixture_store):
    result = kg("neighbors", "Orbital", "Motors", "--depth", "2", store=fixture_store)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "Orbital Motors (Company): 8 entities within 2 hops"
    assert lines[2].split() == ["hop", "entity", "type", "via"]
    rows = [line.split("  ") for line in lines[4:]]
    assert [r[0] for r in rows] == ["1"] * 5 + ["2"] * 3
    assert "1    Ada Park               Person      Orbital Motors ←worksFor—" in lines
    assert any(line.startswith("2    Helix Batteries") and line.endswith(
        "Brightwater Energy —competesWith→; Tarnvale ←headquarteredIn—") for line in lines)


def test_neighbors_json(kg, fixture_store):
    result = kg("neighbors", "cumulus systems", "--format", "json", store=fixture_store)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["center"]["label"] == "Cumulus Systems" and data["depth"] == 1
    orbital = next(n for n in data["neighbors"] if n["entity"]["label"] == "Orbital Motors")
    assert [(v["property"], v["direction"], v["evidence"]) for v in orbital["via"]] == [
        ("investsIn", "forward", 1), ("partnersWith", "symmetric", 2)]
    assert {r["property"] for r in data["relations"]} == {
        "investsIn", "partnersWith", "develops", "worksFor", "usesPlatform"}  # Orbital Motors uses Cumulus Cloud


def test_neighbors_on_the_seeds(kg):
    result = kg("neighbors", "Stellantis")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Stellantis (Company): ")
    assert any(line.split()[1:2] == ["Microsoft"] and line.endswith("Stellantis —partnersWith→")
               for line in result.stdout.splitlines())


@pytest.mark.parametrize("depth", ["0", "-1", "two"])
def test_a_depth_below_one_is_a_usage_error(kg, depth):
    result = kg("neighbors", "Stellantis", "--depth", depth)
    assert result.exit_code == 2
    assert "--depth" in result.stderr and result.stdout == ""


def test_unknown_and_ambiguous_names_are_one_line_errors(kg, fixture_store):
    one_line_error(kg("neighbors", "Stelantis"), "no entity named 'Stelantis'", "did you mean Stellantis")
    one_line_error(kg("path", "HX", "Tarnvale", store=fixture_store), "'HX' names 2 entities",
                   "Helix Batteries (Company)", "Helix One (Product)")
    one_line_error(kg("path", "Stellantis", "Nowhere Inc"), "no entity named 'Nowhere Inc'")


def test_an_empty_store_is_a_one_line_error(kg, tmp_path: Path):
    Store(tmp_path / "empty").close()
    for args in (("neighbors", "Stellantis"), ("path", "A", "B"), ("central",)):
        one_line_error(kg(*args, store=tmp_path / "empty"), "holds no articles", "kg build")
    one_line_error(kg("central", store=tmp_path / "none"), "no store here")


# -- path ------------------------------------------------------------------------------------

def test_path_lists_every_shortest_chain(kg, fixture_store):
    result = kg("path", "Ada Park", "ben okoro", store=fixture_store)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "2 shortest chains of 3 hops from Ada Park (Person) to Ben Okoro (Person):",
        "  Ada Park —worksFor→ Orbital Motors ←investsIn— Cumulus Systems ←worksFor— Ben Okoro",
        "  Ada Park —worksFor→ Orbital Motors —partnersWith→ Cumulus Systems ←worksFor— Ben Okoro",
    ]
    capped = kg("path", "Ada Park", "Ben Okoro", "--max", "1", store=fixture_store)
    assert capped.stdout.splitlines()[0].startswith("1 of 2 shortest chains")
    assert len(capped.stdout.splitlines()) == 2


def test_path_json(kg, fixture_store):
    result = kg("path", "Orbital Motors", "Helix Batteries", "-f", "json", store=fixture_store)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert (data["length"], data["total"]) == (2, 2)
    hops = data["chains"][1]["hops"]
    assert [(h["source"]["label"], h["property"], h["direction"], h["target"]["label"]) for h in hops] == [
        ("Orbital Motors", "headquarteredIn", "forward", "Tarnvale"),
        ("Tarnvale", "headquarteredIn", "backward", "Helix Batteries")]
    assert data["chains"][1]["text"] == (
        "Orbital Motors —headquarteredIn→ Tarnvale ←headquarteredIn— Helix Batteries")


def test_path_on_the_seeds(kg):
    result = kg("path", "Amazon", "Azure")
    assert result.exit_code == 0, result.output
    assert "  Amazon —formerPartnerOf→ Stellantis —usesPlatform→ Azure" in result.stdout.splitlines()


def test_no_path_says_so_and_exits_1(kg, fixture_store):
    result = kg("path", "Quiet Holdings", "Tarnvale", store=fixture_store)
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr == "kg: no chain of relations joins Quiet Holdings (Company) and Tarnvale (Place)\n"
    as_json = kg("path", "Quiet Holdings", "Tarnvale", "--format", "json", store=fixture_store)
    assert as_json.exit_code == 1
    assert json.loads(as_json.stdout)["chains"] == [] and json.loads(as_json.stdout)["length"] is None


def test_max_must_be_at_least_one(kg):
    assert kg("path", "Amazon", "Azure", "--max", "0").exit_code == 2


# -- central ---------------------------------------------------------------------------------

def test_central_table_and_json(kg, fixture_store):
    result = kg("central", "--top", "3", store=fixture_store)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "top 3 of 12 entities (12 relations) by pagerank"
    assert lines[2].split() == ["#", "entity", "type", "degree", "pagerank", "betweenness"]
    assert lines[4].split()[:5] == ["1", "Orbital", "Motors", "Company", "5"]
    assert len(lines) == 7
    data = json.loads(kg("central", "--by", "degree", "-n", "2", "--format", "json", store=fixture_store).stdout)
    assert [c["entity"]["label"] for c in data["ranking"]][0] == "Orbital Motors"
    assert set(data["ranking"][0]) == {"entity", "degree", "pagerank", "betweenness"}


def test_central_on_the_seeds(kg):
    result = kg("central", "--top", "2")
    assert result.exit_code == 0, result.output
    assert {line.split()[1] for line in result.stdout.splitlines()[4:]} == {"Stellantis", "Microsoft"}


# -- every command ---------------------------------------------------------------------------

@pytest.mark.parametrize("command", ["neighbors", "path", "central"])
def test_help_has_an_example(command):
    result = CliRunner().invoke(main, [command, "--help"])
    assert result.exit_code == 0
    assert "  Example:\n    kg " in result.stdout


def test_read_only_commands_work_while_a_build_holds_the_store(seeds_copy: Path):
    with Store(seeds_copy):  # holds the lock, as a running `kg build` would
        for args in (["neighbors", "Stellantis"], ["path", "Stellantis", "Azure"], ["central", "-n", "3"]):
            done = subprocess.run([str(KG), "--store", str(seeds_copy), *args], capture_output=True, text=True,
                                  timeout=120)
            assert done.returncode == 0, done.stderr
            assert done.stdout


def test_an_unchanged_store_is_answered_from_the_cache_without_opening_it(kg, fixture_store, monkeypatch):
    import kg.store as store_module
    from kg.graph import cache

    assert kg("neighbors", "Tarnvale", store=fixture_store).exit_code == 0  # the cache is written

    cache._memo.clear()
    opened = []
    real = store_module.Store

    def counting(*args, **kwargs):
        opened.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(store_module, "Store", counting)
    for args in (("neighbors", "Tarnvale"), ("path", "Ada Park", "Tarnvale"), ("central", "-n", "2")):
        result = kg(*args, store=fixture_store)
        assert result.exit_code == 0, result.output
    assert opened == []
    one_line_error(kg("neighbors", "Tarnvael", store=fixture_store), "did you mean Tarnvale")  # needs the store
    assert len(opened) == 1
