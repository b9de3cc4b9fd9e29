"""`kg --store URL ...`: building, asking and exporting against Virtuoso, as against a directory."""
from __future__ import annotations

import json
import socket
import subprocess
import sys

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from kg.cli import main

from ..conftest import ROOT, SEEDS, SEEDS_GOLD
from .conftest import clear

GENERATED = "http://www.w3.org/ns/prov#generatedAtTime"


def canonical(data: bytes, fmt: ox.RdfFormat) -> set[tuple[str, str, str]]:
    return {(str(t.subject), str(t.predicate), "<time>" if t.predicate.value == GENERATED else str(t.object))
            for t in ox.parse(data, format=fmt)}


def one_line_error(result, *fragments: str) -> None:
    assert result.exit_code == 1, result.output
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("kg: error: "), result.stderr
    for fragment in fragments:
        assert fragment in lines[0], lines[0]


@pytest.fixture(scope="module")
def url(virtuoso):
    """Virtuoso with the seeds, built by `kg --store URL build seeds/`."""
    clear(virtuoso)
    result = CliRunner().invoke(main, ["--store", virtuoso.url, "build", str(SEEDS), "--quiet"])
    assert result.exit_code == 0, result.output
    assert "2 articles (2 added, 0 replaced, 0 unchanged, 0 failed)" in result.stdout
    assert f"quads in the store at {virtuoso.url}" in result.stdout
    return virtuoso.url


@pytest.fixture
def kg(monkeypatch):
    monkeypatch.delenv("KG_STORE", raising=False)
    monkeypatch.delenv("KG_STORE_USER", raising=False)
    monkeypatch.delenv("KG_STORE_PASSWORD", raising=False)
    runner = CliRunner()

    def run(store, *args: str, env: dict[str, str] | None = None):
        return runner.invoke(main, ["--store", str(store), *args], env=env)

    return run


@pytest.mark.parametrize("args", [
    ["query", "partners", "--param", "entity=Stellantis", "--format", "json"],
    ["query", "partners", "--param", "entity=Stellantis"],
    ["query", "evidence", "--param", "entity=msft", "--format", "csv"],
    ["lookup", "Stellantis", "--format", "json"],
    ["lookup", "Stellantis"],
    ["lookup", "msft"],
    ["neighbors", "Stellantis", "--format", "json"],
    ["neighbors", "Stellantis", "--depth", "2"],
    ["path", "Stellantis", "Azure"],
    ["central", "--format", "json"],
    ["stats", "--format", "json"],
    ["eval", str(SEEDS_GOLD), "--format", "json"],
], ids=lambda a: " ".join(a[:2]))
def test_reading_commands_answer_as_with_the_embedded_store(kg, url, seeds_store_path, args):
    if args[0] == "eval" and not SEEDS_GOLD.exists():
        pytest.skip(f"no gold file at {SEEDS_GOLD}")
    remote, local = kg(url, *args), kg(seeds_store_path, *args)
    assert local.exit_code == 0, local.output
    assert remote.exit_code == 0, remote.output
    # rows, GROUP_CONCAT lists and ties come in no defined order: compare them as sets
    if "json" in args and args[0] == "query":
        assert rows(remote.stdout) == rows(local.stdout)
    elif "json" in args:
        assert json.loads(remote.stdout) == json.loads(local.stdout)
    elif args[0] == "query":  # a table, whose cells may wrap: the same words
        assert sorted(remote.stdout.replace(",", " ").split()) == sorted(local.stdout.replace(",", " ").split())
    else:
        assert remote.stdout == local.stdout


def unordered(text: str) -> str:
    """A line with its comma-separated list sorted."""
    return ", ".join(sorted(text.strip().split(", ")))


def rows(output: str) -> list[str]:
    def value(term: dict) -> dict:
        return {**term, "value": unordered(term["value"])}

    return sorted(json.dumps({k: value(v) for k, v in b.items()}, sort_keys=True)
                  for b in json.loads(output)["results"]["bindings"])


def test_partners_of_stellantis(kg, url):
    result = kg(url, "query", "partners", "--param", "entity=Stellantis")
    assert result.exit_code == 0, result.output
    assert "Microsoft" in result.stdout and "Amazon" in result.stdout


@pytest.mark.parametrize("fmt, rdf", [("turtle", ox.RdfFormat.TURTLE), ("nt", ox.RdfFormat.N_TRIPLES),
                                      ("nquads", ox.RdfFormat.N_QUADS)])
def test_export_writes_the_same_graph(kg, url, seeds_store_path, fmt, rdf):
    remote, local = kg(url, "export", "--format", fmt), kg(seeds_store_path, "export", "--format", fmt)
    assert remote.exit_code == 0 and local.exit_code == 0, remote.output + local.output
    assert canonical(remote.stdout_bytes, rdf) == canonical(local.stdout_bytes, rdf)
    if fmt == "turtle":
        assert remote.stdout.startswith("@prefix")


def test_export_around_an_entity_and_of_a_query(kg, url, seeds_store_path, tmp_path):
    for args in (["--format", "graphml", "--around", "Stellantis"],
                 ["--format", "turtle", "--query", "CONSTRUCT WHERE { ?a kg:partnersWith ?b }"]):
        remote = kg(url, "export", *args, "-o", str(tmp_path / "remote"))
        local = kg(seeds_store_path, "export", *args, "-o", str(tmp_path / "local"))
        assert remote.exit_code == 0 and local.exit_code == 0, remote.output + local.output
        if "turtle" in args:
            assert canonical((tmp_path / "remote").read_bytes(), ox.RdfFormat.TURTLE) == \
                canonical((tmp_path / "local").read_bytes(), ox.RdfFormat.TURTLE)
        else:
            assert (tmp_path / "remote").read_text().count("<node ") == (tmp_path / "local").read_text().count("<node ")


def test_building_again_is_idempotent(kg, url):
    before = kg(url, "export", "--format", "nquads").stdout_bytes
    result = kg(url, "build", str(SEEDS), "--quiet")
    assert result.exit_code == 0, result.output
    assert "2 articles (0 added, 0 replaced, 2 unchanged, 0 failed)" in result.stdout
    after = kg(url, "export", "--format", "nquads").stdout_bytes
    assert sorted(before.splitlines()) == sorted(after.splitlines())


def test_remove_takes_an_article_out(kg, url, seeds_copy, virtuoso):
    try:
        remote = kg(url, "remove", "002_bce34b61fba21d8d.txt")
        local = kg(seeds_copy, "remove", "002_bce34b61fba21d8d.txt")
        assert remote.exit_code == 0, remote.output
        assert remote.stdout == local.stdout and remote.stdout.startswith("removed https://w3id.org/kg/id/article/")
        for fmt, rdf in (("nquads", ox.RdfFormat.N_QUADS), ("turtle", ox.RdfFormat.TURTLE)):
            assert canonical(kg(url, "export", "--format", fmt).stdout_bytes, rdf) == \
                canonical(kg(seeds_copy, "export", "--format", fmt).stdout_bytes, rdf)
        one_line_error(kg(url, "remove", "002_bce34b61fba21d8d.txt"), "no such article in the store")
    finally:
        assert kg(url, "build", str(SEEDS), "--quiet").exit_code == 0


def test_credentials_from_options_environment_or_url(kg, url, virtuoso):
    auth = virtuoso.auth_url
    options = kg(auth, "--store-user", virtuoso.user, "--store-password", virtuoso.password, "lookup", "Stellantis")
    assert options.exit_code == 0, options.output
    env = kg(auth, "lookup", "Stellantis", env={"KG_STORE_USER": virtuoso.user, "KG_STORE_PASSWORD": virtuoso.password})
    assert env.stdout == options.stdout
    in_url = auth.replace("://", f"://{virtuoso.user}:{virtuoso.password}@")
    built = kg(in_url, "build", str(SEEDS), "--quiet")
    assert built.exit_code == 0, built.output
    assert virtuoso.password not in built.stdout.replace(f"{virtuoso.user}", "") and f"at {auth}\n" in built.stdout


def test_wrong_credentials_are_one_line_and_exit_1(kg, url, virtuoso):
    result = kg(virtuoso.auth_url, "--store-user", virtuoso.user, "--store-password", "wrong", "lookup", "Stellantis")
    one_line_error(result, virtuoso.auth_url, "refused", "'dba'")
    one_line_error(kg(virtuoso.auth_url, "lookup", "Stellantis"), "needs credentials", "--store-user")


def test_an_unreachable_endpoint_is_one_line_and_exit_1(kg):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    where = f"http://127.0.0.1:{port}/sparql"
    for args in (["lookup", "Stellantis"], ["build", str(SEEDS)], ["query", "partners", "-p", "entity=x"]):
        one_line_error(kg(where, *args), f"{where}: cannot reach the SPARQL endpoint (connection refused)")


def test_a_url_that_is_no_sparql_endpoint(kg, virtuoso):
    base = virtuoso.url.rsplit("/", 1)[0]
    one_line_error(kg(f"{base}/no-such-thing", "lookup", "Stellantis"), "no SPARQL endpoint at this URL")


def test_store_credentials_are_for_urls_only(kg, tmp_path):
    result = kg(tmp_path / "store", "--store-user", "dba", "stats")
    assert result.exit_code == 2 and "--store-user is for a SPARQL endpoint URL" in result.output


def test_the_real_command_line(url):
    """The installed entry point, in a process of its own, with KG_STORE naming the endpoint."""
    env = {"KG_STORE": url, "PATH": "/usr/bin:/bin"}
    run = subprocess.run([sys.executable, "-m", "kg", "lookup", "Stellantis"], capture_output=True, text=True,
                         cwd=ROOT, env=env, timeout=300)
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("Stellantis (Company)")
