"""The benchmark scripts run end to end on tiny inputs and write the JSON they promise.

Each script runs as a user runs it (`python bench/X.py ...`), with a handful of articles and
its caches in a temporary folder. No time is asserted: only that the results are there.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BENCH = ROOT / "bench"
sys.path.insert(0, str(BENCH))

import corpus  # noqa: E402


def run(script: str, *args: str | Path, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    done = subprocess.run([sys.executable, str(BENCH / script), *map(str, args)], cwd=cwd,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    return done


def test_the_corpus_is_the_same_for_the_same_seed_and_differs_for_another():
    first = [a["text"] for a in corpus.iter_articles(12, seed=3)]
    again = [a["text"] for a in corpus.iter_articles(12, seed=3)]
    other = [a["text"] for a in corpus.iter_articles(12, seed=4)]
    assert first == again
    assert first != other


def test_the_corpus_mixes_styles_and_writes_files_and_sharded_jsonl(tmp_path):
    articles = list(corpus.iter_articles(60, seed=7, words=300))
    assert {a["style"] for a in articles} == set(corpus.STYLES)
    mean = sum(len(a["text"].split()) for a in articles) / len(articles)
    assert 150 < mean < 600

    run("corpus.py", "--articles", 15, "--out", tmp_path / "txt")
    assert len(list((tmp_path / "txt").glob("*.txt"))) == 15

    run("corpus.py", "--articles", 15, "--out", tmp_path / "jsonl", "--jsonl", "--shard", 6)
    files = sorted((tmp_path / "jsonl").glob("*.jsonl"))
    records = [json.loads(line) for f in files for line in f.read_text().splitlines()]
    assert len(files) == 3 and len(records) == 15
    assert set(records[0]) == {"id", "style", "title", "date", "source", "text"}


@pytest.fixture(scope="module")
def work(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("bench")


def test_build_bench_reports_speed_memory_and_disk_per_size_and_jobs(work):
    out = work / "build.json"
    done = run("build_bench.py", "--sizes", 8, "--jobs", "1,2", "--profile-size", 8, "--words", 150,
               "--workdir", work, "--json", out)
    result = json.loads(out.read_text())
    assert {"machine", "baselines", "rows", "profile", "aims"} <= set(result)
    assert "loadavg" in result["machine"]
    assert [(r["size"], r["jobs"]) for r in result["rows"]] == [(8, 1), (8, 2)]
    for r in result["rows"]:
        assert r["articles"] == 8 and r["words"] > 0
        for key in ("words_per_s", "words_per_cpu_s", "ratio_to_tokenizer", "speedup_vs_1_job", "peak_pss_tree_mb",
                    "maxrss_main_mb", "quads", "triples", "bytes_per_quad", "loadavg"):
            assert r[key] is not None, key
    assert result["profile"]["stages"] and result["profile"]["top_tottime"]
    assert "| articles | jobs |" in done.stdout
    # the yardstick for --jobs 2: the tokenizer split over two processes, in the same run
    assert set(result["baselines"][0]["parallel_speedup"]) == {"2"}
    assert result["rows"][1]["tokenizer_speedup"] > 0 and result["rows"][0]["tokenizer_speedup"] == 1.0

    pytest.importorskip("matplotlib")
    png = work / "plot.png"
    run("plot.py", "--json", out, "--out", png)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_extract_bench_reports_words_per_cpu_second_stages_and_scaling_with_jobs(work):
    out = work / "extract.json"
    done = run("extract_bench.py", "--articles", 8, "--repeat", 1, "--words", 150, "--jobs", "1,2",
               "--workdir", work, "--json", out)
    result = json.loads(out.read_text())
    assert result["articles"] == 8 and result["words"] > 0
    assert result["baseline"]["words_per_cpu_s"] > 0 and result["extract"]["words_per_cpu_s"] > 0
    assert {"find_relations", "kg_resolve"} <= {row["stage"] for row in result["stages"]}

    rows = result["scaling"]
    assert [(r["executor"], r["jobs"]) for r in rows] == [("local", 1), ("processes", 1), ("processes", 2)]
    for r in rows:
        assert r["articles"] == 8 and r["errors"] == 0 and r["words"] == result["words"]
        assert r["wall_s"] > 0 and r["words_per_s"] > 0 and r["speedup_vs_1_job"] > 0
        assert r["loadavg_start"] is not None
    assert rows[1]["speedup_vs_1_job"] == 1.0
    assert "| executor | jobs |" in done.stdout

    old = work / "extract-old.json"  # a run from before the scaling pass still prints
    old.write_text(json.dumps({k: v for k, v in result.items() if k != "scaling"}))
    assert "| executor | jobs |" not in run("extract_bench.py", "--from-json", old).stdout


def test_load_bench_compares_kg_with_pyoxigraph_loaders_on_the_same_quads(work):
    out = work / "load.json"
    run("load_bench.py", "--articles", 8, "--repeat", 1, "--words", 150, "--workdir", work, "--json", out,
        "--batch-quads", "500")
    result = json.loads(out.read_text())
    assert {"machine", "rows", "aims", "quads"} <= set(result)
    loaders = {r["loader"]: r for r in result["rows"]}
    rebatched = [name for name in loaders if name.startswith("kg add_articles, 500-quad batches")]
    assert len(rebatched) == 1  # the same articles in smaller batches, for --batch-quads
    assert set(loaders) - set(rebatched) == {"kg add_articles", "extend", "bulk_extend", "bulk_load"}
    assert loaders["bulk_load"]["ratio_to_bulk_load"] == 1.0
    stored = {r["stored_quads"] for r in result["rows"]}
    assert len(stored) == 1 and stored.pop() > 0  # every loader ends with the same store


def test_query_bench_times_library_queries_in_kg_oxigraph_and_rdflib(work):
    out = work / "query.json"
    run("query_bench.py", "--articles", 8, "--repeat", 2, "--budget", 0.1, "--rdflib-budget", 5,
        "--words", 150, "--only", "tickers,mentions", "--workdir", work, "--json", out)
    result = json.loads(out.read_text())
    assert {"machine", "store", "params", "rdflib_load", "rows"} <= set(result)
    assert {r["query"] for r in result["rows"]} == {"tickers", "mentions"}
    for r in result["rows"]:
        for engine in ("kg", "oxigraph", "rdflib"):
            m = r[engine]
            assert m["timeout"] or m.get("error") or (m["p50_ms"] is not None and m["p99_ms"] is not None)
