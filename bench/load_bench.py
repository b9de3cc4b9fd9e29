"""Store loading: kg's write path against pyoxigraph's own loaders, on the same quads.

    .venv/bin/python bench/load_bench.py                  # 2,000 articles (~0.7M quads)
    .venv/bin/python bench/load_bench.py --quick          # 50 articles, seconds
    .venv/bin/python bench/load_bench.py --articles 5000 --repeat 5
    .venv/bin/python bench/load_bench.py --articles 10000 --repeat 3 --skip extend --batch-quads 25000,50000,250000

The quads are the real ones: a synthetic corpus (bench/corpus.py) is built once through kg's
pipeline (kg.build.build), and every batch the build hands to `Store.write_spool` is recorded
(cached under bench/out/ as N-Quads plus the batch sizes). Then, each into a fresh on-disk store,
each timed from open to flush, interleaved round-robin `--repeat` times:

  kg add_articles   kg.store.Store.add_articles with the build's batches (what `kg build` does:
                    per batch, each article's triples serialised as N-Triples into a spool file,
                    in its article graph and in the default graph; the journal; one bulk_load of
                    the file; a flush)
  extend            pyoxigraph Store.extend with the same batches, the Quad objects made beforehand
                    (so kg's cost of making them is the difference to the row above)
  bulk_extend       pyoxigraph Store.bulk_extend of all quads at once, objects made beforehand
  bulk_load         pyoxigraph Store.bulk_load of the same quads serialised as N-Quads bytes (the
                    baseline of the issue: the fastest raw load, no transactions)

With --batch-quads, kg add_articles also runs with the same articles cut into batches of each
size: what `kg build --batch-quads N` costs in the store (RocksDB merges every bulk load into the
store, so the number of loads could matter; the bulk loader holds each batch in memory).

Each reports quads/s (the quads written, named and default graph together), and the ratio to
bulk_load (the aim: kg >= 0.8x). Results go to stdout as a table and to bench/out/load_bench.json.
"""
from __future__ import annotations

import argparse
import gc
import json
import os
import shutil
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

import pyoxigraph as ox  # noqa: E402

from corpus import OUT, cached_corpus, machine_info, write_results  # noqa: E402

AIM_RATIO = 0.8

Batch = list[tuple[str, list[ox.Triple]]]


def capture(articles: int, seed: int, words: int, work: Path = OUT) -> tuple[Path, Path]:
    """Build the corpus once through kg (default batch size), recording the batches it writes; cached."""
    from kg.build import BATCH_QUADS

    stem = work / f"load-capture-{articles}-s{seed}-w{words}-b{BATCH_QUADS}"
    nq, sizes = stem.with_suffix(".nq"), stem.with_suffix(".json")
    if nq.exists() and sizes.exists():
        return nq, sizes
    from kg.build import build
    from kg.store import Store

    folder = cached_corpus(articles, seed=seed, words=words, out=work)
    batch_sizes: list[int] = []
    tmp = nq.with_suffix(".nq.part")

    with tmp.open("wb") as out:
        class Recording(Store):
            def write_spool(self, spool, **kwargs):  # type: ignore[no-untyped-def]
                graphs = list(spool.articles())
                batch_sizes.append(len(graphs))
                quads = [ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(g)) for g, ts in graphs for t in ts]
                out.write(ox.serialize(quads, format=ox.RdfFormat.N_QUADS))
                return super().write_spool(spool, **kwargs)

        print(f"capturing the batches of a build of {articles:,} articles ...", file=sys.stderr, flush=True)
        report = build(Recording(None), [folder], jobs=2, batch_quads=BATCH_QUADS)
    if report.errors:
        raise SystemExit(f"build failed: {report.errors[0]}")
    tmp.rename(nq)
    sizes.write_text(json.dumps({"articles": articles, "batch_articles": batch_sizes}))
    return nq, sizes


def read_batches(nq: Path, sizes: Path) -> list[Batch]:
    """The recorded batches: lists of (article graph IRI, triples), in build order."""
    per_batch = json.loads(sizes.read_text())["batch_articles"]
    graphs: list[tuple[str, list[ox.Triple]]] = []
    for q in ox.parse(path=str(nq), format=ox.RdfFormat.N_QUADS):
        g = q.graph_name.value
        if not graphs or graphs[-1][0] != g:
            graphs.append((g, []))
        graphs[-1][1].append(ox.Triple(q.subject, q.predicate, q.object))
    batches, at = [], 0
    for n in per_batch:
        batches.append(graphs[at:at + n])
        at += n
    assert at == len(graphs), (at, len(graphs))
    return batches


def rebatch(batches: list[Batch], quads: int) -> list[Batch]:
    """The same articles, in the same order, in batches of about `quads` quads (as a build with
    `--batch-quads quads` would cut them)."""
    out: list[Batch] = []
    current: Batch = []
    size = 0
    for batch in batches:
        for graph, triples in batch:
            current.append((graph, triples))
            size += 2 * len(triples)
            if size >= quads:
                out.append(current)
                current, size = [], 0
    if current:
        out.append(current)
    return out


def kg_quads(batch: Batch) -> list[ox.Quad]:
    """The quads kg writes for a batch (each triple in its graph and in the default graph)."""
    out = []
    for g, triples in batch:
        graph = ox.NamedNode(g)
        for t in triples:
            out.append(ox.Quad(t.subject, t.predicate, t.object, graph))
            out.append(ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=2000, help="corpus size whose build's quads are loaded")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each loader (median reported)")
    parser.add_argument("--words", type=int, default=450)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--quick", action="store_true", help="50 articles, 2 runs: a smoke run")
    parser.add_argument("--skip", default="",
                        help="loaders not to run, comma list (e.g. extend,bulk_extend); kg add_articles and bulk_load always run")
    parser.add_argument("--batch-quads", default="",
                        help="also run kg add_articles with the same articles cut into batches of these sizes "
                             "(comma list, e.g. 100000,250000,1000000): what --batch-quads costs in the store")
    parser.add_argument("--from-json", type=Path, help="print the table of an earlier run's JSON and stop")
    parser.add_argument("--json", type=Path, default=OUT / "load_bench.json")
    parser.add_argument("--workdir", type=Path, default=OUT, help="where corpora and stores go (git-ignored)")
    args = parser.parse_args(argv)
    if args.from_json:
        print(table(json.loads(args.from_json.read_text())))
        return 0
    if args.quick:
        args.articles, args.repeat = 50, 2
    work = args.workdir
    work.mkdir(parents=True, exist_ok=True)
    machine = machine_info()
    from kg.store import Store

    nq, sizes = capture(args.articles, args.seed, args.words, work)
    batches = read_batches(nq, sizes)
    prebuilt = [kg_quads(b) for b in batches]
    everything = [q for qs in prebuilt for q in qs]
    nquads = ox.serialize(everything, format=ox.RdfFormat.N_QUADS)
    written = len(everything)
    print(f"{len(batches)} batches, {sum(len(b) for b in batches):,} articles, {written:,} quads "
          f"({len(nquads) / 2**20:.0f} MB of N-Quads)", file=sys.stderr, flush=True)

    def kg_loader(batches: list[Batch]) -> Callable[[str], None]:
        def kg_add_articles(path: str) -> None:
            with Store(path) as store:
                for b in batches:
                    store.add_articles(b)
                store.flush()

        return kg_add_articles

    def extend(path: str) -> None:
        store = ox.Store(path)
        for qs in prebuilt:
            store.extend(qs)
        store.flush()

    def bulk_extend(path: str) -> None:
        store = ox.Store(path)
        store.bulk_extend(everything)
        store.flush()

    def bulk_load(path: str) -> None:
        store = ox.Store(path)
        store.bulk_load(input=nquads, format=ox.RdfFormat.N_QUADS)
        store.flush()

    loaders = {"kg add_articles": kg_loader(batches), "extend": extend, "bulk_extend": bulk_extend,
               "bulk_load": bulk_load}
    for size in [int(x) for x in args.batch_quads.split(",") if x.strip()]:
        cut = rebatch(batches, size)
        loaders[f"kg add_articles, {size:,}-quad batches ({len(cut)})"] = kg_loader(cut)
    skipped = {name.strip() for name in args.skip.split(",") if name.strip()} - {"bulk_load", "kg add_articles"}
    loaders = {name: load for name, load in loaders.items() if name not in skipped}
    runs: dict[str, list[dict]] = {name: [] for name in loaders}
    counts: dict[str, int] = {}
    for rep in range(args.repeat):
        for name, load in loaders.items():
            path = work / f"load-store-{name.replace(' ', '-')}"
            shutil.rmtree(path, ignore_errors=True)
            gc.collect()
            loadavg = os.getloadavg()[0]
            wall, cpu = time.perf_counter(), time.process_time()
            load(str(path))
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
            runs[name].append({"seconds": round(wall, 3), "cpu_s": round(cpu, 3), "loadavg": round(loadavg, 2)})
            counts[name] = len(ox.Store.read_only(str(path)))
            shutil.rmtree(path, ignore_errors=True)
            print(f"  run {rep + 1}: {name}: {wall:.2f} s", file=sys.stderr, flush=True)

    rows = []
    for name, rs in runs.items():
        seconds = statistics.median(r["seconds"] for r in rs)
        cpu = statistics.median(r["cpu_s"] for r in rs)
        rows.append({"loader": name, "quads": written, "stored_quads": counts[name], "seconds_median": seconds,
                     "seconds_min": min(r["seconds"] for r in rs), "cpu_s_median": cpu,
                     "quads_per_s": round(written / seconds), "quads_per_cpu_s": round(written / cpu) if cpu else None,
                     "runs": rs})
    base = next(r for r in rows if r["loader"] == "bulk_load")
    for r in rows:
        r["ratio_to_bulk_load"] = round(r["quads_per_s"] / base["quads_per_s"], 3)
        r["cpu_ratio_to_bulk_load"] = (round(r["quads_per_cpu_s"] / base["quads_per_cpu_s"], 3)
                                       if r["quads_per_cpu_s"] and base["quads_per_cpu_s"] else None)
    kg_row = rows[0]
    aims = [{"aim": f"loading >= {AIM_RATIO}x raw bulk_load", "measured": kg_row["ratio_to_bulk_load"],
             "met": kg_row["ratio_to_bulk_load"] >= AIM_RATIO}]
    result = {"script": "load_bench", "machine": machine, "loadavg_after": [round(x, 2) for x in os.getloadavg()],
              "articles": args.articles, "batches": len(batches), "quads": written,
              "default_graph_triples": counts["bulk_load"] - sum(len(ts) for b in batches for _, ts in b),
              "nquads_mb": round(len(nquads) / 2**20, 1), "rows": rows, "aims": aims}
    write_results(result, args.json, table(result))
    return 0


def table(result: dict) -> str:
    m = result["machine"]
    lines = [f"machine: {m['cpu']}, {m['cores']} cores; load {m['loadavg']}; {result['articles']:,} articles, "
             f"{result['batches']} batches, {result['quads']:,} quads written", "",
             "| loader | seconds (median) | quads/s | ratio to bulk_load | CPU s | ratio by CPU | stored quads |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    for r in result["rows"]:
        lines.append(f"| {r['loader']} | {r['seconds_median']:.2f} | {r['quads_per_s']:,} | {r['ratio_to_bulk_load']:.2f} "
                     f"| {r['cpu_s_median']:.2f} | {r['cpu_ratio_to_bulk_load']} | {r['stored_quads']:,} |")
    a = result["aims"][0]
    lines += ["", f"aim: {a['aim']}: measured {a['measured']:.2f}x: {'met' if a['met'] else 'NOT MET'}"]
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
