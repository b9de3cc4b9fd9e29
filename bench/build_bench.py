"""Build speed and memory: words/s of a kg build with one process and with --jobs 2, against a baseline.

    .venv/bin/python bench/build_bench.py                  # 100, 1,000 and 10,000 articles (the real run)
    .venv/bin/python bench/build_bench.py --quick          # 100 articles, ~1 minute
    .venv/bin/python bench/build_bench.py --sizes 1000 --jobs 1 --profile-size 1000

For each corpus size (synthetic news from bench/corpus.py, generated once and cached under
bench/out/), each build runs in a fresh Python process (`kg.build.build` into a new on-disk
store, exactly what `kg build DIR --jobs N` does), so one size's memory cannot leak into the
next. Per build it reports words/s, articles/s and quads/s; peak memory three ways: the main
process's ru_maxrss and the largest worker's (getrusage, read inside the child), and the peak of
the summed PSS of the whole process tree, sampled from /proc every 0.2 s by this script (PSS
counts the pages forked workers share once); and the store's size on disk per quad (SST files
and the write-ahead log apart: the log is replayed and dropped on the next open).

The baseline, measured in the same run, on the same files, in its own fresh process, is spaCy's
blank English tokenizer alone (read each file, `nlp.pipe`): the floor any spaCy-based extractor
pays. `ratio` is build words/s over tokenizer words/s; `speedup` is words/s over the one-job
build of the same size. The tokenizer also runs split over each --jobs value's processes
(forked, each a share of the files): its `tokenizer speedup` over itself in one process is the
most that many processes give on this machine at that moment (memory bandwidth and caches are
shared; on a virtual machine the host's other tenants too), the yardstick for the build's. With --profile-size N the one-job build of N articles runs once more
under cProfile, and the top costs and a per-stage breakdown are reported.

Results go to stdout as a table and to bench/out/build_bench.json (bench/plot.py draws them).
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from corpus import OUT, cached_corpus, cpu_seconds, machine_info, write_results  # noqa: E402

AIM_WORDS_PER_S = 50_000
AIM_SPEEDUP_2_JOBS = 1.7
AIM_PEAK_MB_10K = 1024

# the stages of a build, as cProfile names them: (label, file suffix, function name)
STAGES = (
    ("extract: Extractor.extract", "kg/extract/pipeline.py", "extract"),
    ("  spaCy Language.__call__ (tokenizer + kg pipes)", "spacy/language.py", "__call__"),
    ("    spaCy tokenizer", "spacy/tokenizer.pyx", "__call__"),
    ("    kg_sentences", "kg/extract/names.py", "split_sentences"),
    ("    kg_names", "kg/extract/names.py", "find_names"),
    ("    kg_types", "kg/extract/types.py", "type_names"),
    ("    kg_resolve", "kg/extract/resolve.py", "resolve"),
    ("  relations (find_relations)", "kg/extract/relations.py", "find_relations"),
    ("  events (find_events)", "kg/extract/events.py", "find_events"),
    ("read files (read_path)", "kg/extract/read.py", "read_path"),
    ("RDF mapping (article_triples)", "kg/rdf.py", "article_triples"),
    ("N-Quads to the batch file (Spool.add)", "kg/spool.py", "add"),
    ("waiting for the writer thread (settle)", "kg/build.py", "settle"),
    ("store flush", "~", "<method 'flush' of 'pyoxigraph.Store' objects>"),
    ("pipeline set-up, imports (_init_worker)", "kg/build.py", "_init_worker"),
    ("entity index from store (_load_index)", "kg/build.py", "_load_index"),
)


# -- children: what runs in the fresh process ------------------------------------------------------

def _usage() -> dict[str, float]:
    import resource

    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {"maxrss_main_mb": round(own.ru_maxrss / 1024, 1), "maxrss_worker_mb": round(kids.ru_maxrss / 1024, 1),
            "cpu_s": round(own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime, 2)}


_NLP = None


def _tokenize_files(paths: list[Path]) -> int:
    """Tokenize the files with the blank pipeline made before the fork; returns their words."""
    words = 0

    def texts():  # type: ignore[no-untyped-def]
        nonlocal words
        for p in paths:
            text = p.read_text(encoding="utf-8")
            words += len(text.split())
            yield text

    for _ in _NLP.pipe(texts(), batch_size=64):  # type: ignore[union-attr]
        pass
    return words


def child_tokenize(folder: Path, jobs: int = 1) -> dict:
    """The baseline: spaCy's blank tokenizer over the corpus, in this process, or split over
    `jobs` forked processes (perfectly parallel work: the most a second process can give here)."""
    import multiprocessing

    import spacy

    global _NLP
    _NLP = spacy.blank("en")
    paths = sorted(folder.glob("*.txt"))
    if jobs == 1:
        started, cpu = time.perf_counter(), cpu_seconds()
        words = _tokenize_files(paths)
        seconds = time.perf_counter() - started
    else:
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            pool.map(abs, range(jobs))  # the workers are up before the clock starts
            started, cpu = time.perf_counter(), cpu_seconds()
            words = sum(pool.map(_tokenize_files, [paths[i::jobs] for i in range(jobs)], chunksize=1))
            seconds = time.perf_counter() - started
            pool.close()
            pool.join()  # so the workers' CPU is counted
    return {"words": words, "seconds": round(seconds, 3), "build_cpu_s": round(cpu_seconds() - cpu, 2), **_usage()}


def _timed(owner: object, name: str, totals: dict[str, float]) -> None:
    """Wrap owner.name to add its wall and thread-CPU seconds to totals[name], totals[name + "_cpu"]."""
    original = getattr(owner, name)
    totals[name] = totals[name + "_cpu"] = 0.0

    def wrapper(*args, **kwargs):  # type: ignore[no-untyped-def]
        wall, cpu = time.perf_counter(), time.thread_time()
        try:
            return original(*args, **kwargs)
        finally:
            totals[name] += time.perf_counter() - wall
            totals[name + "_cpu"] += time.thread_time() - cpu

    setattr(owner, name, wrapper)


def child_build(folder: Path, store_path: Path, jobs: int, profile: Path | None) -> dict:
    import kg.build
    from kg.build import build
    from kg.store import Store

    # the store writes run on kg's writer thread, which cProfile does not see: time them here
    totals: dict[str, float] = {}
    _timed(Store, "write_spool", totals)
    _timed(kg.build, "article_triples", totals)

    with Store(store_path) as store:
        cpu = cpu_seconds()
        if profile is not None:
            import cProfile

            profiler = cProfile.Profile()
            report = profiler.runcall(build, store, [folder], jobs=jobs)
            profiler.dump_stats(str(profile))
        else:
            report = build(store, [folder], jobs=jobs)
        cpu = cpu_seconds() - cpu
        usage = _usage()  # before closing: the pool is gone, the build is done
    if report.errors:
        raise SystemExit(f"build failed on {len(report.errors)} articles: {report.errors[0]}")
    return {"articles": report.articles, "words": report.words, "seconds": round(report.seconds, 3),
            "quads_written": report.quads_written, "entities": report.entities, "relations": report.relations,
            "events": report.events, "build_cpu_s": round(cpu, 2),
            "store_write_s": round(totals["write_spool"], 2), "store_write_cpu_s": round(totals["write_spool_cpu"], 2),
            "rdf_mapping_s": round(totals["article_triples"], 2), **usage}


# -- the parent: run children, sample their memory, measure the store -----------------------------

class TreeMemory(threading.Thread):
    """Peak summed PSS and RSS of a process and its descendants, sampled from /proc."""

    def __init__(self, pid: int, interval: float = 0.2) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.interval = interval
        self.peak_pss_mb = 0.0
        self.peak_rss_mb = 0.0
        self.peak_processes = 0
        self._halt = threading.Event()

    def _tree(self) -> list[int]:
        found, todo = [], [self.pid]
        while todo:
            pid = todo.pop()
            found.append(pid)
            try:
                for task in os.listdir(f"/proc/{pid}/task"):
                    with open(f"/proc/{pid}/task/{task}/children") as f:
                        todo.extend(int(c) for c in f.read().split())
            except OSError:
                pass
        return found

    def run(self) -> None:
        while not self._halt.is_set():
            pss = rss = 0
            tree = self._tree()
            for pid in tree:
                try:
                    with open(f"/proc/{pid}/smaps_rollup") as f:
                        for line in f:
                            if line.startswith("Pss:"):
                                pss += int(line.split()[1])
                            elif line.startswith("Rss:"):
                                rss += int(line.split()[1])
                except OSError:
                    pass
            self.peak_pss_mb = max(self.peak_pss_mb, pss / 1024)
            self.peak_rss_mb = max(self.peak_rss_mb, rss / 1024)
            self.peak_processes = max(self.peak_processes, len(tree))
            self._halt.wait(self.interval)

    def stop(self) -> None:
        self._halt.set()
        self.join()


def run_child(args: list[str]) -> dict:
    """Run this script as a child with `args`; its last stdout line is JSON. Adds wall time and tree memory."""
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, str(Path(__file__).resolve()), "--child", *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    sampler = TreeMemory(proc.pid)
    sampler.start()
    out, err = proc.communicate()
    sampler.stop()
    if proc.returncode != 0:
        raise SystemExit(f"child {args} failed ({proc.returncode}):\n{err[-3000:]}")
    result = json.loads(out.strip().splitlines()[-1])
    result.update(wall_s=round(time.perf_counter() - started, 2), peak_pss_tree_mb=round(sampler.peak_pss_mb, 1),
                  peak_rss_tree_mb=round(sampler.peak_rss_mb, 1))
    return result


def store_measures(path: Path) -> dict:
    """Quads, default-graph triples and bytes on disk (all, SST files, write-ahead log)."""
    files = [f for f in path.rglob("*") if f.is_file()]
    total = sum(f.stat().st_size for f in files)
    sst = sum(f.stat().st_size for f in files if f.suffix == ".sst")
    wal = sum(f.stat().st_size for f in files if f.suffix == ".log")
    import pyoxigraph as ox

    store = ox.Store.read_only(str(path))
    quads = len(store)
    triples = int(next(iter(store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")))[0].value)
    del store
    return {"quads": quads, "triples": triples, "disk_mb": round(total / 2**20, 1), "sst_mb": round(sst / 2**20, 1),
            "wal_mb": round(wal / 2**20, 1), "bytes_per_quad": round(total / max(quads, 1), 1),
            "sst_bytes_per_quad": round(sst / max(quads, 1), 1)}


def profile_summary(path: Path, top: int = 15) -> dict:
    import pstats

    stats = pstats.Stats(str(path))
    total = stats.total_tt  # type: ignore[attr-defined]
    entries = stats.stats  # type: ignore[attr-defined]
    stages = []
    for label, suffix, name in STAGES:
        cum = sum(ct for (file, _, func), (_, _, _, ct, _) in entries.items()
                  if func == name and (file == suffix or file.endswith(suffix)))
        stages.append({"stage": label, "seconds": round(cum, 2), "share": round(cum / total, 3)})
    rows = sorted(entries.items(), key=lambda kv: -kv[1][2])[:top]
    tops = [{"function": f"{Path(file).name}:{line}({func})" if file != "~" else func, "calls": nc,
             "tottime": round(tt, 2), "cumtime": round(ct, 2), "share": round(tt / total, 3)}
            for (file, line, func), (_, nc, tt, ct, _) in rows]
    return {"total_s": round(total, 2), "stages": stages, "top_tottime": tops}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="100,1000,10000", help="corpus sizes, in articles")
    parser.add_argument("--jobs", default="1,2", help="--jobs values to build with")
    parser.add_argument("--words", type=int, default=450, help="mean words per article")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--profile-size", type=int, default=1000,
                        help="profile the one-job build of this many articles (0: no profile)")
    parser.add_argument("--quick", action="store_true", help="100 articles, no profile: a smoke run")
    parser.add_argument("--json", type=Path, default=OUT / "build_bench.json", help="where to write the results")
    parser.add_argument("--workdir", type=Path, default=OUT, help="where corpora and stores go (git-ignored)")
    parser.add_argument("--from-json", type=Path, help="print the tables of an earlier run's JSON and stop")
    parser.add_argument("--child", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.child:
        kind, *rest = args.child
        if kind == "tokenize":
            result = child_tokenize(Path(rest[0]), int(rest[1]) if len(rest) > 1 else 1)
        else:
            result = child_build(Path(rest[0]), Path(rest[1]), int(rest[2]), Path(rest[3]) if len(rest) > 3 else None)
        print(json.dumps(result))
        return 0

    if args.from_json:
        data = json.loads(args.from_json.read_text())
        print(table(data["rows"], data["profile"], data["aims"], data["machine"]))
        return 0
    if args.quick:
        args.sizes, args.profile_size = "100", 0
    sizes = [int(s) for s in args.sizes.split(",")]
    jobs_list = [int(j) for j in args.jobs.split(",")]
    work = args.workdir
    work.mkdir(parents=True, exist_ok=True)
    machine = machine_info()
    rows, baselines = [], []
    for size in sizes:
        print(f"corpus of {size:,} articles ...", file=sys.stderr, flush=True)
        folder = cached_corpus(size, seed=args.seed, words=args.words, out=work)
        load = os.getloadavg()[0]
        base = run_child(["tokenize", str(folder)])
        base.update(size=size, words_per_s=round(base["words"] / base["seconds"]), loadavg=round(load, 2),
                    words_per_cpu_s=round(base["words"] / base["build_cpu_s"]))
        baselines.append(base)
        print(f"  tokenizer baseline: {base['words_per_s']:,} words/s", file=sys.stderr, flush=True)
        parallel = {}
        for jobs in jobs_list:
            if jobs > 1:  # the machine's own ceiling for `jobs` processes, measured now
                tok = run_child(["tokenize", str(folder), str(jobs)])
                parallel[jobs] = round(tok["words"] / tok["seconds"] / base["words_per_s"], 2)
                print(f"  tokenizer in {jobs} processes: {parallel[jobs]}x", file=sys.stderr, flush=True)
        base["parallel_speedup"] = parallel
        for jobs in jobs_list:
            target = work / f"build-store-{size}-j{jobs}"
            shutil.rmtree(target, ignore_errors=True)
            load = os.getloadavg()[0]
            r = run_child(["build", str(folder), str(target), str(jobs)])
            r.update(store_measures(target))
            shutil.rmtree(target, ignore_errors=True)
            r.update(size=size, jobs=jobs, loadavg=round(load, 2),
                     words_per_s=round(r["words"] / r["seconds"]),
                     words_per_cpu_s=round(r["words"] / r["build_cpu_s"]),
                     tokenizer_words_per_cpu_s=base["words_per_cpu_s"],
                     cpu_ratio_to_tokenizer=round(r["words"] / r["build_cpu_s"] / base["words_per_cpu_s"], 3),
                     articles_per_s=round(r["articles"] / r["seconds"], 1),
                     quads_per_s=round(r["quads_written"] / r["seconds"]),
                     tokenizer_words_per_s=base["words_per_s"],
                     tokenizer_speedup=parallel.get(jobs, 1.0),
                     ratio_to_tokenizer=round(r["words"] / r["seconds"] / base["words_per_s"], 3))
            rows.append(r)
            print(f"  jobs {jobs}: {r['words_per_s']:,} words/s, {r['seconds']} s, "
                  f"tree PSS {r['peak_pss_tree_mb']} MB", file=sys.stderr, flush=True)
    single = {r["size"]: r["words_per_s"] for r in rows if r["jobs"] == 1}
    for r in rows:
        r["speedup_vs_1_job"] = round(r["words_per_s"] / single[r["size"]], 2) if r["size"] in single else None

    profile = None
    if args.profile_size:
        print(f"profiling the one-job build of {args.profile_size:,} articles ...", file=sys.stderr, flush=True)
        folder = cached_corpus(args.profile_size, seed=args.seed, words=args.words, out=work)
        target = work / f"build-store-profile-{args.profile_size}"
        shutil.rmtree(target, ignore_errors=True)
        stats_path = work / "build-profile.pstats"
        r = run_child(["build", str(folder), str(target), "1", str(stats_path)])
        shutil.rmtree(target, ignore_errors=True)
        profile = {"size": args.profile_size, "words_per_s_under_profile": round(r["words"] / r["seconds"]),
                   "writer_thread_store_write_s": r["store_write_s"],
                   "pstats": str(stats_path), **profile_summary(stats_path)}

    aims = aims_report(rows)
    result = {"script": "build_bench", "machine": machine, "loadavg_after": [round(x, 2) for x in os.getloadavg()],
              "words_per_article": args.words, "seed": args.seed, "baselines": baselines, "rows": rows,
              "profile": profile, "aims": aims}
    write_results(result, args.json, table(rows, profile, aims, machine))
    return 0


def aims_report(rows: list[dict]) -> list[dict]:
    aims = []
    ones = [r for r in rows if r["jobs"] == 1]
    if ones:
        best = max(ones, key=lambda r: r["size"])
        aims.append({"aim": f"build >= {AIM_WORDS_PER_S:,} words/s per process (wall, one job)",
                     "size": best["size"], "measured": best["words_per_s"],
                     "met": best["words_per_s"] >= AIM_WORDS_PER_S})
        aims.append({"aim": f"build >= {AIM_WORDS_PER_S:,} words per CPU-second (load-independent)",
                     "size": best["size"], "measured": best["words_per_cpu_s"],
                     "met": best["words_per_cpu_s"] >= AIM_WORDS_PER_S})
    twos = [r for r in rows if r["jobs"] == 2 and r["speedup_vs_1_job"] is not None]
    if twos:
        best = max(twos, key=lambda r: r["size"])
        aims.append({"aim": f">= {AIM_SPEEDUP_2_JOBS}x with --jobs 2", "size": best["size"],
                     "measured": best["speedup_vs_1_job"], "met": best["speedup_vs_1_job"] >= AIM_SPEEDUP_2_JOBS})
        if "tokenizer_speedup" in best:
            aims.append({"aim": "(the tokenizer alone in 2 processes, same run: this machine's ceiling)",
                         "size": best["size"], "measured": best["tokenizer_speedup"],
                         "met": best["tokenizer_speedup"] >= AIM_SPEEDUP_2_JOBS})
    for r in rows:
        if r["size"] >= 10_000:
            aims.append({"aim": f"peak memory for {r['size']:,} articles under 1 GB (jobs {r['jobs']}, tree PSS)",
                         "size": r["size"], "measured": r["peak_pss_tree_mb"],
                         "met": r["peak_pss_tree_mb"] < AIM_PEAK_MB_10K})
    return aims


def table(rows: list[dict], profile: dict | None, aims: list[dict], machine: dict) -> str:
    lines = [f"machine: {machine['cpu']}, {machine['cores']} cores, {machine['ram_gb']} GB; load {machine['loadavg']}",
             "", "speed (ratio: build words per CPU-second over the tokenizer's, both in the same run; "
             "speedup: wall words/s over the one-job build; tokenizer speedup: the tokenizer split over as many "
             "processes, against itself in one, the same run's ceiling for perfectly parallel work; "
             "cores busy: build CPU-s / wall s)", "",
             "| articles | jobs | words | wall s | words/s | words/CPU-s | tokenizer words/CPU-s | ratio | speedup "
             "| tokenizer speedup | cores busy | quads/s | RDF mapping s | store write s | load |",
             "|" + "---:|" * 15]
    for r in rows:
        lines.append(
            f"| {r['size']:,} | {r['jobs']} | {r['words']:,} | {r['seconds']:.1f} | {r['words_per_s']:,} | "
            f"{r['words_per_cpu_s']:,} | {r['tokenizer_words_per_cpu_s']:,} | {r['cpu_ratio_to_tokenizer']:.3f} | "
            f"{r['speedup_vs_1_job']} | {r.get('tokenizer_speedup', '-')} | {r['build_cpu_s'] / r['seconds']:.2f} | "
            f"{r['quads_per_s']:,} | "
            f"{r['rdf_mapping_s']} | {r['store_write_s']} | {r['loadavg']} |")
    lines += ["", "memory and disk (RSS: getrusage peak of the main process and of the largest worker; "
                  "tree PSS: sampled peak of the summed PSS of all the build's processes)", "",
              "| articles | jobs | quads | triples | main RSS MB | worker RSS MB | tree PSS MB | disk MB | SST MB "
              "| WAL MB | B/quad | SST B/quad |",
              "|" + "---:|" * 12]
    for r in rows:
        lines.append(
            f"| {r['size']:,} | {r['jobs']} | {r['quads']:,} | {r['triples']:,} | {r['maxrss_main_mb']:.0f} | "
            f"{r['maxrss_worker_mb'] if r['jobs'] > 1 else 0:.0f} | {r['peak_pss_tree_mb']:.0f} | {r['disk_mb']:.0f} | "
            f"{r['sst_mb']:.0f} | {r['wal_mb']:.0f} | {r['bytes_per_quad']:.0f} | {r['sst_bytes_per_quad']:.0f} |")
    if profile:
        lines += ["", f"profile: one-job build of {profile['size']:,} articles under cProfile "
                      f"({profile['total_s']} s profiled, {profile['words_per_s_under_profile']:,} words/s)", "",
                  "| stage (main thread) | seconds (cumulative) | share |", "|---|---:|---:|"]
        lines += [f"| {s['stage']} | {s['seconds']} | {s['share']:.1%} |" for s in profile["stages"]]
        lines += [f"| (writer thread, overlapped: Store.write_spool) | {profile['writer_thread_store_write_s']} | |"]
        lines += ["", "| top functions by own time | calls | tottime s | cumtime s | share |", "|---|---:|---:|---:|---:|"]
        lines += [f"| `{t['function']}` | {t['calls']:,} | {t['tottime']} | {t['cumtime']} | {t['share']:.1%} |"
                  for t in profile["top_tottime"]]
    if aims:
        lines += ["", "| aim | size | measured | met |", "|---|---:|---:|---|"]
        lines += [f"| {a['aim']} | {a['size']:,} | {a['measured']:,} | {'yes' if a['met'] else 'NO'} |" for a in aims]
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
