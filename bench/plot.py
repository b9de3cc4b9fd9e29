"""Plot build time and peak memory against corpus size, from bench/out/build_bench.json.

    .venv/bin/python bench/plot.py [--json bench/out/build_bench.json] [--out bench/build-scaling.png]

Left: build wall time (and the tokenizer baseline's) against articles, log-log, one line per
--jobs. Right: peak memory of the build (summed PSS of its processes, and the main process's
RSS) against articles, with the 1 GB aim. Needs matplotlib (`pip install -e '.[bench]'`).
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def plot(data: dict, out: Path) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rows = data["rows"]
    fig, (left, right) = plt.subplots(1, 2, figsize=(9, 3.4), dpi=100)
    for jobs in sorted({r["jobs"] for r in rows}):
        rs = sorted((r for r in rows if r["jobs"] == jobs), key=lambda r: r["size"])
        sizes = [r["size"] for r in rs]
        left.plot(sizes, [r["seconds"] for r in rs], "o-", label=f"kg build, --jobs {jobs}")
        right.plot(sizes, [r["peak_pss_tree_mb"] for r in rs], "o-", label=f"--jobs {jobs}: all processes (PSS)")
        if jobs > 1:
            right.plot(sizes, [r["maxrss_main_mb"] for r in rs], "x--", label=f"--jobs {jobs}: main process (RSS)")
    base = sorted(data["baselines"], key=lambda b: b["size"])
    left.plot([b["size"] for b in base], [b["seconds"] for b in base], "s:", color="grey",
              label="spaCy tokenizer alone")
    for ax in (left, right):
        ax.set_xscale("log")
        ax.set_xlabel("articles")
        ax.grid(True, which="both", alpha=0.3)
    left.set_yscale("log")
    left.set_ylabel("wall time (s)")
    left.set_title("build time")
    right.axhline(1024, color="red", lw=0.8, ls="--", label="aim: 1 GB")
    right.set_ylabel("peak memory (MB)")
    right.set_title("peak memory")
    right.set_ylim(bottom=0)
    left.legend(fontsize=7)
    right.legend(fontsize=7)
    m = data["machine"]
    fig.suptitle(f"{m['cpu']}, {m['cores']} cores; ~{data.get('words_per_article', 450)} words per article",
                 fontsize=8)
    fig.tight_layout()
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out)
    plt.close(fig)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--json", type=Path, default=HERE / "out" / "build_bench.json")
    parser.add_argument("--out", type=Path, default=HERE / "build-scaling.png")
    args = parser.parse_args(argv)
    if not args.json.exists():
        print(f"{args.json}: no results; run bench/build_bench.py first", file=sys.stderr)
        return 1
    path = plot(json.loads(args.json.read_text()), args.out)
    print(f"wrote {path} ({path.stat().st_size / 1024:.0f} KB)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
