"""Build speed: words/s of `kg build` with one process and with --jobs 2, against a baseline.

    python bench/build_bench.py [--sizes 100,1000] [--jobs 1,2] [--words 350]

For each corpus size (synthetic articles from bench/corpus.py, generated once and cached under
bench/out/) it builds a fresh store and reports words/s, articles/s, quads/s and peak memory.
The baseline, measured in the same run on the same texts, is spaCy's blank English tokenizer
alone (`nlp.pipe`): the floor any spaCy-based extractor pays. Results go to stdout as a table
and to bench/out/build_bench.json.
"""
from __future__ import annotations

import argparse
import json
import platform
import resource
import shutil
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from corpus import generate  # noqa: E402

OUT = HERE / "out"


def corpus(size: int, words: int) -> Path:
    folder = OUT / f"corpus-{size}-{words}w"
    if not (folder / f"{size - 1:06d}.txt").exists():
        shutil.rmtree(folder, ignore_errors=True)
        generate(size, folder, seed=11, words=words)
    return folder


def tokenizer_baseline(folder: Path) -> float:
    """Words/s of spaCy's blank English tokenizer over the same texts."""
    import spacy

    nlp = spacy.blank("en")
    texts = [p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.txt"))]
    words = sum(len(t.split()) for t in texts)
    started = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=64):
        pass
    return words / (time.perf_counter() - started)


def build_once(folder: Path, jobs: int) -> dict[str, float]:
    from kg.build import build
    from kg.store import Store

    target = OUT / f"store-bench-{jobs}"
    shutil.rmtree(target, ignore_errors=True)
    with Store(target) as store:
        report = build(store, [folder], jobs=jobs)
        quads = len(store)
    assert report.ok, report.errors[:3]
    disk = sum(f.stat().st_size for f in target.rglob("*") if f.is_file())
    shutil.rmtree(target, ignore_errors=True)
    return {
        "articles": report.articles,
        "words": report.words,
        "seconds": round(report.seconds, 3),
        "words_per_s": round(report.words / report.seconds),
        "articles_per_s": round(report.articles / report.seconds, 1),
        "quads": quads,
        "quads_per_s": round(report.quads_written / report.seconds),
        "bytes_on_disk_per_quad": round(disk / max(quads, 1), 1),
    }


def peak_rss_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return round(max(own, children) / 1024, 1)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="100,1000")
    parser.add_argument("--jobs", default="1,2")
    parser.add_argument("--words", type=int, default=350)
    args = parser.parse_args(argv)
    OUT.mkdir(parents=True, exist_ok=True)
    rows = []
    for size in (int(s) for s in args.sizes.split(",")):
        folder = corpus(size, args.words)
        baseline = tokenizer_baseline(folder)
        for jobs in (int(j) for j in args.jobs.split(",")):
            result = build_once(folder, jobs)
            result.update(size=size, jobs=jobs, tokenizer_words_per_s=round(baseline),
                          ratio_to_tokenizer=round(result["words_per_s"] / baseline, 3), peak_rss_mb=peak_rss_mb())
            rows.append(result)
            print(f"size {size:>6} jobs {jobs}: {result['words_per_s']:>8,} words/s", file=sys.stderr)
    single = {r["size"]: r["words_per_s"] for r in rows if r["jobs"] == 1}
    for r in rows:
        r["speedup_vs_1_job"] = round(r["words_per_s"] / single[r["size"]], 2) if r["size"] in single else None
    print(f"\n{'articles':>8} {'jobs':>4} {'words/s':>9} {'speedup':>7} {'tokenizer w/s':>13} {'ratio':>6} "
          f"{'quads/s':>8} {'B/quad':>6} {'peak MB':>8} {'seconds':>8}")
    for r in rows:
        print(f"{r['size']:>8} {r['jobs']:>4} {r['words_per_s']:>9,} {r['speedup_vs_1_job']:>7} "
              f"{r['tokenizer_words_per_s']:>13,} {r['ratio_to_tokenizer']:>6} {r['quads_per_s']:>8,} "
              f"{r['bytes_on_disk_per_quad']:>6} {r['peak_rss_mb']:>8} {r['seconds']:>8}")
    machine = {"python": platform.python_version(), "machine": platform.machine(), "cpus": __import__("os").cpu_count(),
               "platform": platform.platform()}
    (OUT / "build_bench.json").write_text(json.dumps({"machine": machine, "rows": rows}, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
