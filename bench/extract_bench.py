"""Extraction speed: words per CPU-second of kg's Extractor in this process, against a baseline,
and how extraction alone scales with worker processes.

    .venv/bin/python bench/extract_bench.py                   # 1,000 articles, best of 2 (the real run)
    .venv/bin/python bench/extract_bench.py --quick           # 100 articles, one repeat, a few seconds
    .venv/bin/python bench/extract_bench.py --articles 1000 --profile 20
    .venv/bin/python bench/extract_bench.py --jobs 1,2,4      # the scaling pass with 1, 2 and 4 processes

The first passes are extraction only: no store, no RDF mapping, no pool. The synthetic news of
bench/corpus.py (generated once and cached under bench/out/, the same corpus build_bench.py
reads) is read into memory first; then `kg.extract.pipeline.Extractor.extract` runs on every
article, as one `kg build` process does. Times are CPU seconds of this process
(`time.process_time`), so other work on the machine slows them less than wall time, and the
number that matters is a ratio within one run:

    baseline   spaCy's blank English tokenizer alone, `nlp.pipe` over the same texts
    extract    `Extractor.extract` per article (one Extractor, set up before timing)
    ratio      extract words per CPU-second over the baseline's

Baseline and extraction alternate `--repeat` times and the best (least CPU) of each counts.
The first extraction pass is also reported alone: it meets every word and name for the first
time (spaCy's vocabulary and kg's per-word caches are cold), as a build does, so it is the
figure to compare with build_bench; later passes run on warm caches and are faster.
A further pass splits extraction into its stages: the tokenizer, each pipe of the spaCy
pipeline (kg_sentences, kg_names, kg_types, kg_resolve), `find_relations`, `find_events` and
the rest (assembling the Extraction). With --profile N the extraction runs once more under
cProfile and the N functions with the most own time are listed.

The scaling pass runs extraction exactly as `kg build` does, without the store: for each --jobs
value (default 1,2; 1 is always measured, as the reference; --jobs '' skips the pass),
`kg.executors.run("processes", kg.build._extract_one, ...)` with `kg.build._init_worker` over
`kg.build._Item`s whose articles are read from the corpus files inside the timed region, and
once more with the "local" executor (in this process, as a one-job build runs). Results are
taken and thrown away: no RDF mapping, no store. Each row gives wall seconds (`time.perf_counter`,
so the workers' set-up and the pool's start count, as in a build), the seconds to the first
result, CPU seconds of this process and its workers (`getrusage`) and over wall time the busy
cores, words per wall second, the speedup against the "processes" row with one job, and the
1-minute load average at its start. With busy cores near the jobs but a speedup well under
them, each word costs more CPU in parallel (shared cores, caches, other load); with busy cores
well under the jobs, the workers wait (start-up, the feeding process). Compare with
build_bench.py's speedup, which adds the store's writing on the same cores. --quick keeps the
--jobs given, on its 100 articles.

Results go to stdout as a table and to bench/out/extract_bench.json.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from corpus import OUT, cached_corpus, cpu_seconds, machine_info, write_results  # noqa: E402

AIM_WORDS_PER_CPU_S = 50_000


def load_articles(folder: Path) -> list:
    """Every article under `folder`, read and cleaned as a build reads them."""
    from kg.extract.read import discover, read_path
    from kg.model import Article

    articles = []
    for path in discover([folder]):
        for item in read_path(path):  # type: ignore[arg-type]
            if isinstance(item, Article):
                articles.append(item)
    return articles


def time_tokenizer(texts: list[str]) -> float:
    """CPU seconds of spaCy's blank English tokenizer over `texts` (`nlp.pipe`, as build_bench.py)."""
    import spacy

    nlp = spacy.blank("en")
    started = time.process_time()
    for _ in nlp.pipe(texts, batch_size=64):
        pass
    return time.process_time() - started


def time_extract(extractor: Any, articles: list) -> float:
    """CPU seconds of `extractor.extract` over `articles`."""
    started = time.process_time()
    for article in articles:
        extractor.extract(article)
    return time.process_time() - started


def _timed(function: Callable, totals: dict[str, float], name: str) -> Callable:
    totals[name] = 0.0

    def wrapper(*args, **kwargs):  # type: ignore[no-untyped-def]
        started = time.process_time()
        try:
            return function(*args, **kwargs)
        finally:
            totals[name] += time.process_time() - started

    return wrapper


def time_stages(extractor: Any, articles: list) -> dict[str, float]:
    """CPU seconds per stage: tokenizer, each pipe, find_relations, find_events, the rest of `extract`."""
    nlp = extractor.nlp
    totals: dict[str, float] = {"tokenizer": 0.0}
    pipes = [(name, _timed(proc, totals, name)) for name, proc in nlp.pipeline]
    saved = extractor._find_relations, extractor._find_events
    for attr, name in (("_find_relations", "find_relations"), ("_find_events", "find_events")):
        if getattr(extractor, attr) is not None:
            setattr(extractor, attr, _timed(getattr(extractor, attr), totals, name))
    totals["rest"] = 0.0
    try:
        for article in articles:
            started = time.process_time()
            doc = nlp.make_doc(article.text)
            totals["tokenizer"] += time.process_time() - started
            for _, proc in pipes:
                doc = proc(doc)
            finished = time.process_time()
            extractor._finish(doc, article)
            totals["rest"] += time.process_time() - finished
    finally:
        extractor._find_relations, extractor._find_events = saved
    totals["rest"] -= totals.get("find_relations", 0.0) + totals.get("find_events", 0.0)
    return totals


def profile_top(extractor: Any, articles: list, top: int) -> list[dict]:
    """The `top` functions by own time while extracting `articles` under cProfile."""
    import cProfile
    import pstats

    profiler = cProfile.Profile()
    profiler.runcall(time_extract, extractor, articles)
    stats = pstats.Stats(profiler)
    rows = sorted(stats.stats.items(), key=lambda kv: -kv[1][2])[:top]  # type: ignore[attr-defined]
    total = stats.total_tt  # type: ignore[attr-defined]
    return [{"function": f"{Path(file).name}:{line}({func})" if file != "~" else func, "calls": nc,
             "tottime": round(tt, 3), "cumtime": round(ct, 3), "share": round(tt / total, 3)}
            for (file, line, func), (_, nc, tt, ct, _) in rows]


def scaling_items(folder: Path) -> Iterator[Any]:
    """The corpus as the build feeds its executor: `_Item(article=...)`, files read as they are taken."""
    from kg.build import _Item
    from kg.extract.read import discover, read_path
    from kg.model import Article

    for path in discover([folder]):
        if isinstance(path, Path):
            for item in read_path(path):
                if isinstance(item, Article):
                    yield _Item(article=item)


def time_executor(folder: Path, executor: str, jobs: int) -> dict:
    """Wall seconds of the build's extraction path (`kg.executors.run`) over the corpus; results discarded."""
    from kg.build import _extract_one, _init_worker
    from kg.executors import run

    load = os.getloadavg()[0]
    cpu = cpu_seconds()
    started = time.perf_counter()
    first = None
    articles = errors = words = 0
    for item in run(executor, _extract_one, scaling_items(folder), initializer=_init_worker,
                    initargs=([], None), jobs=jobs):
        if first is None:
            first = time.perf_counter() - started
        if item.error is not None:
            errors += 1
        elif item.extraction is not None:
            articles += 1
            words += len(item.extraction.article.text.split())  # as the build counts its words
    wall = time.perf_counter() - started  # the pool has closed and its workers are reaped
    cpu = cpu_seconds() - cpu
    return {"executor": executor, "jobs": jobs, "articles": articles, "errors": errors, "words": words,
            "wall_s": round(wall, 3), "first_result_s": round(first or 0.0, 3), "cpu_s": round(cpu, 3),
            "busy_cores": round(cpu / wall, 2), "words_per_s": round(words / wall), "loadavg_start": round(load, 2)}


def time_scaling(folder: Path, jobs_list: list[int]) -> list[dict]:
    """The "local" row, then a "processes" row per jobs value; speedups against processes with one job."""
    rows = []
    for executor, jobs in [("local", 1), *(("processes", j) for j in jobs_list)]:
        rows.append(time_executor(folder, executor, jobs))
        r = rows[-1]
        print(f"  {executor} jobs {jobs}: {r['wall_s']:.2f} s wall, {r['words_per_s']:,} words/s, "
              f"{r['busy_cores']} busy cores, load {r['loadavg_start']}", file=sys.stderr, flush=True)
    one = next(r["wall_s"] for r in rows if r["executor"] == "processes" and r["jobs"] == 1)
    for r in rows:
        r["speedup_vs_1_job"] = round(one / r["wall_s"], 3)
    return rows


def parse_jobs(text: str) -> list[int]:
    """'2,4' -> [1, 2, 4] (one job is the reference, always measured); '' -> [] (no scaling pass)."""
    try:
        jobs = {int(j) for j in text.split(",") if j.strip()}
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a comma list of numbers: {text!r}") from None
    if jobs and min(jobs) < 1:
        raise argparse.ArgumentTypeError(f"every value must be at least 1, got {text!r}")
    return sorted(jobs | {1}) if jobs else []


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=1000, help="synthetic articles to extract")
    parser.add_argument("--words", type=int, default=450, help="mean words per article")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--repeat", type=int, default=2, help="alternate baseline and extraction this many times")
    parser.add_argument("--profile", type=int, default=0, metavar="N", help="list the N top functions by own time")
    parser.add_argument("--jobs", type=parse_jobs, default="1,2",
                        help="worker processes for the scaling pass, a comma list (1 is always added; '' skips it)")
    parser.add_argument("--quick", action="store_true", help="100 articles, one repeat")
    parser.add_argument("--json", type=Path, default=OUT / "extract_bench.json", help="where to write the results")
    parser.add_argument("--workdir", type=Path, default=OUT, help="where the corpus is cached (git-ignored)")
    parser.add_argument("--from-json", type=Path, help="print the table of an earlier run's JSON and stop")
    args = parser.parse_args(argv)

    if args.from_json:
        print(table(json.loads(args.from_json.read_text())))
        return 0
    if args.quick:
        args.articles, args.repeat = 100, 1
    args.workdir.mkdir(parents=True, exist_ok=True)
    machine = machine_info()
    folder = cached_corpus(args.articles, seed=args.seed, words=args.words, out=args.workdir)
    articles = load_articles(folder)
    texts = [a.text for a in articles]
    words = sum(len(t.split()) for t in texts)

    from kg.extract.pipeline import Extractor

    started = time.process_time()
    extractor = Extractor()
    setup_cpu = time.process_time() - started
    extractor.extract(articles[0])  # warm up: lazy set-up in the pipes is not per-article cost
    load = os.getloadavg()[0]
    base_runs, extract_runs = [], []
    for i in range(args.repeat):
        base_runs.append(time_tokenizer(texts))
        extract_runs.append(time_extract(extractor, articles))
        print(f"  run {i + 1}: tokenizer {base_runs[-1]:.2f} CPU-s, extract {extract_runs[-1]:.2f} CPU-s",
              file=sys.stderr, flush=True)
    base_cpu, extract_cpu = min(base_runs), min(extract_runs)
    cold_cpu = extract_runs[0]  # the first pass meets every word and name for the first time, as a build does
    stages = time_stages(extractor, articles)
    staged = sum(stages.values())
    profile = profile_top(extractor, articles, args.profile) if args.profile else None
    scaling = time_scaling(folder, args.jobs) if args.jobs else None

    result = {
        "script": "extract_bench", "machine": machine, "loadavg_before": round(load, 2),
        "loadavg_after": [round(x, 2) for x in os.getloadavg()],
        "articles": len(articles), "words": words, "words_per_article": args.words, "seed": args.seed,
        "repeat": args.repeat, "setup_cpu_s": round(setup_cpu, 3),
        "baseline": {"what": "spaCy blank English tokenizer, nlp.pipe", "cpu_s": round(base_cpu, 3),
                     "runs_cpu_s": [round(x, 3) for x in base_runs], "words_per_cpu_s": round(words / base_cpu)},
        "extract": {"what": "Extractor.extract per article, best pass (warm caches)", "cpu_s": round(extract_cpu, 3),
                    "runs_cpu_s": [round(x, 3) for x in extract_runs], "words_per_cpu_s": round(words / extract_cpu),
                    "articles_per_cpu_s": round(len(articles) / extract_cpu, 1),
                    "ratio_to_tokenizer": round(base_cpu / extract_cpu, 3)},
        "extract_first_pass": {"what": "Extractor.extract per article, first pass (cold caches)",
                               "cpu_s": round(cold_cpu, 3), "words_per_cpu_s": round(words / cold_cpu),
                               "ratio_to_tokenizer": round(base_cpu / cold_cpu, 3)},
        "stages": [{"stage": name, "cpu_s": round(cpu, 3), "share": round(cpu / staged, 3),
                    "ms_per_article": round(1000 * cpu / len(articles), 3)} for name, cpu in stages.items()],
        "stages_total_cpu_s": round(staged, 3),
        "profile": profile,
        "scaling": scaling,
        "aims": [{"aim": f"extraction >= {AIM_WORDS_PER_CPU_S:,} words per CPU-second (first pass)",
                  "measured": round(words / cold_cpu), "met": words / cold_cpu >= AIM_WORDS_PER_CPU_S}],
    }
    write_results(result, args.json, table(result))
    return 0


def table(r: dict) -> str:
    """The results as Markdown tables."""
    m = r["machine"]
    lines = [f"machine: {m['cpu']}, {m['cores']} cores; load {r['loadavg_before']} before, "
             f"{r['loadavg_after'][0]} after", "",
             f"{r['articles']:,} synthetic articles (seed {r['seed']}), {r['words']:,} words; CPU seconds, "
             f"best of {r['repeat']}; ratio: extraction words per CPU-second over the tokenizer's", "",
             "| what | CPU s | words/CPU-s | ratio to tokenizer |", "|---|---:|---:|---:|",
             f"| {r['baseline']['what']} | {r['baseline']['cpu_s']} | {r['baseline']['words_per_cpu_s']:,} | 1.000 |",
             *[f"| {e['what']} | {e['cpu_s']} | {e['words_per_cpu_s']:,} | {e['ratio_to_tokenizer']:.3f} |"
               for e in (r.get("extract_first_pass"), r["extract"]) if e],
             "", f"stages (a separate pass, {r['stages_total_cpu_s']} CPU s)", "",
             "| stage | CPU s | share | ms/article |", "|---|---:|---:|---:|"]
    lines += [f"| {s['stage']} | {s['cpu_s']} | {s['share']:.1%} | {s['ms_per_article']} |" for s in r["stages"]]
    if r.get("profile"):
        lines += ["", "| top functions by own time (cProfile) | calls | tottime s | cumtime s | share |",
                  "|---|---:|---:|---:|---:|"]
        lines += [f"| `{t['function']}` | {t['calls']:,} | {t['tottime']} | {t['cumtime']} | {t['share']:.1%} |"
                  for t in r["profile"]]
    if r.get("scaling"):
        lines += ["", "scaling: the build's extraction path (kg.executors.run, kg.build._extract_one), files read "
                  "while timed, no store; wall seconds; speedup against processes with 1 job", "",
                  "| executor | jobs | wall s | first result s | CPU s | busy cores | words/s | speedup "
                  "| load at start |",
                  "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
        lines += [f"| {s['executor']} | {s['jobs']} | {s['wall_s']:.2f} | {s['first_result_s']:.2f} | "
                  f"{s['cpu_s']:.2f} | {s['busy_cores']:.2f} | {s['words_per_s']:,} | {s['speedup_vs_1_job']:.2f} | "
                  f"{s['loadavg_start']} |"
                  for s in r["scaling"]]
    lines += ["", "| aim | measured | met |", "|---|---:|---|"]
    lines += [f"| {a['aim']} | {a['measured']:,} | {'yes' if a['met'] else 'NO'} |" for a in r["aims"]]
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
