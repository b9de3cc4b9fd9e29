"""How fast `kg lookup`, `kg neighbors`, `kg path` (and `kg central`) answer on a large store.

Builds (once; reused from bench/out/) a store of about a million triples from the synthetic
corpus of bench/synthetic_graph.py, then times each command as a subprocess, the way a user
runs it:

- rebuild: the projection cache file removed before each run (neighbors, path, central build
  the projection from the store, then write the cache);
- cold: the first run after that (cache file present, a new process);
- warm: further runs, the p50 of --repeat; wall time, and CPU time (user + system) of the
  process, which a busy machine disturbs less.

Baselines, measured in the same run: `python -c 'import kg'` as a subprocess (interpreter and
package start-up), and the same lookups done in-process as raw pyoxigraph SPARQL (open the store
read-only; find the entity by label; its relations in and out). Results print as a table and
go to bench/out/graph_bench.json.

    .venv/bin/python bench/graph_bench.py                 # ~1M triples (7,300 articles)
    .venv/bin/python bench/graph_bench.py --articles 500  # a quick run
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

import pyoxigraph as ox  # noqa: E402

import synthetic_graph  # noqa: E402
from kg.graph.cache import cache_path  # noqa: E402

KG = Path(sys.executable).with_name("kg")


def ensure_store(out: Path, articles: int, seed: int) -> tuple[Path, dict]:
    """The synthetic store for these arguments, built unless bench/out already has it."""
    store = out / f"graph-store-{articles}-{seed}"
    marker = store.with_name(store.name + ".json")
    if store.is_dir() and marker.is_file():
        return store, json.loads(marker.read_text())
    if store.exists():
        import shutil

        shutil.rmtree(store)
    print(f"building the synthetic store ({articles:,} articles) at {store} ...", file=sys.stderr, flush=True)
    info = synthetic_graph.load(store, articles_count=articles, seed=seed, progress=True)
    marker.write_text(json.dumps(info, indent=2))
    return store, info


def pick_names(store: Path) -> dict[str, str]:
    """A busy entity (the lookup and neighbors target), and a pair a few hops apart for path."""
    from kg.graph import build_projection
    from kg.store import Store

    with Store(store, read_only=True) as s:
        p = build_projection(s)
    by_mentions = sorted(range(len(p)), key=lambda i: (-p.mentions[i], p.labels[i]))
    # not the very biggest hub (its neighbor list is the whole graph), a well-known one
    busy = next(i for i in by_mentions[20:] if p.types[i] == "Company")
    person = next(i for i in by_mentions[200:] if p.types[i] == "Person")
    # the farthest entity from the person, breadth-first (a long path)
    dist = {person: 0}
    level = [person]
    while level:
        nxt = []
        for u in level:
            for k in p.incident(u):
                v = p.other(k, u)
                if v not in dist:
                    dist[v] = dist[u] + 1
                    nxt.append(v)
        if not nxt:
            break
        level = nxt
    far = min(level, key=lambda i: p.labels[i])
    return {"busy": p.labels[busy], "busy_degree": len(p.incident(busy)), "from": p.labels[person],
            "to": p.labels[far], "hops": dist[far], "entities": len(p), "relations": p.edge_count}


# the commands run as a user's would: with byte-code caching (kept under bench/out/, out of the tree)
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def run(args: list[str]) -> tuple[float, subprocess.CompletedProcess]:
    """Wall seconds and the finished process; its CPU seconds (user + system) in `.cpu`."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(args, capture_output=True, text=True, env=ENV)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    done.cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)  # type: ignore[attr-defined]
    return wall, done


def p50(xs: list[float]) -> float:
    return statistics.median(xs) if xs else float("nan")


def time_command(name: str, args: list[str], store: Path, repeat: int, projection: bool) -> dict:
    cache = cache_path(store)
    result: dict = {"command": "kg " + " ".join(args[3:]), "uses_projection": projection}
    if projection:
        rebuild = []
        for _ in range(max(1, repeat // 2)):
            cache.unlink(missing_ok=True)
            seconds, done = run(args)
            if done.returncode != 0:
                raise SystemExit(f"{name} failed: {done.stderr.strip()}")
            rebuild.append(seconds)
        result["rebuild_p50"] = p50(rebuild)
        result["rebuild_runs"] = rebuild
    seconds, done = run(args)
    if done.returncode != 0:
        raise SystemExit(f"{name} failed: {done.stderr.strip()}")
    result["cold"] = seconds
    result["cold_cpu"] = done.cpu  # type: ignore[attr-defined]
    warm, cpu = [], []
    for _ in range(repeat):
        seconds, again = run(args)
        if again.returncode != 0:
            raise SystemExit(f"{name} failed: {again.stderr.strip()}")
        warm.append(seconds)
        cpu.append(again.cpu)  # type: ignore[attr-defined]
    result["warm_p50"] = p50(warm)
    result["warm_cpu_p50"] = p50(cpu)
    result["warm_runs"] = warm
    result["warm_cpu_runs"] = cpu
    result["output_lines"] = done.stdout.count("\n")
    return result


def raw_lookup(store: Path, label: str, repeat: int) -> dict:
    """The lookup done in-process with raw pyoxigraph: open read-only, find by label, relations."""
    query = f"""
      PREFIX kg: <https://w3id.org/kg/ontology#>
      PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
      SELECT ?p ?o ?dir WHERE {{
        ?e rdfs:label {ox.Literal(label)} .
        FILTER EXISTS {{ ?e kg:mentionedIn ?any }}
        {{ ?e ?p ?o BIND("out" AS ?dir) }} UNION {{ ?o ?p ?e BIND("in" AS ?dir) }}
        FILTER(STRSTARTS(STR(?p), STR(kg:)) && ?p != kg:mentionedIn)
      }}"""
    opened, queried, rows = [], [], 0
    for _ in range(repeat):
        t0 = time.perf_counter()
        s = ox.Store.read_only(str(store))
        t1 = time.perf_counter()
        rows = len(list(s.query(query)))
        t2 = time.perf_counter()
        del s
        opened.append(t1 - t0)
        queried.append(t2 - t1)
    return {"open_p50": p50(opened), "query_p50": p50(queried), "open_and_query_p50": p50(
        [a + b for a, b in zip(opened, queried)]), "rows": rows}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=7300, help="synthetic articles (7,300: ~1M triples)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=7, help="warm runs per command")
    parser.add_argument("--out", type=Path, default=HERE / "out")
    parser.add_argument("--no-central", action="store_true", help="skip kg central")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    ENV["PYTHONPYCACHEPREFIX"] = str((args.out / "pycache").resolve())

    store, info = ensure_store(args.out, args.articles, args.seed)
    names = pick_names(store)
    print(f"store: {store} ({info['default_graph_triples']:,} triples, {info['quads']:,} quads, "
          f"{info['articles']:,} articles; {names['entities']:,} entities, {names['relations']:,} relations)")
    print(f"lookup/neighbors: {names['busy']!r} ({names['busy_degree']} relations); "
          f"path: {names['from']!r} -> {names['to']!r} ({names['hops']} hops)\n", flush=True)

    base = [str(KG), "--store", str(store)]

    has_lookup = run([str(KG), "lookup", "--help"])[1].returncode == 0
    for warm_up in (["lookup", names["busy"]], ["neighbors", "--help"]):  # byte-compile kg once, untimed
        run([*base, *warm_up])
    commands: list[tuple[str, list[str], bool]] = [
        ("lookup", [*base, "lookup", names["busy"]], False),
        ("neighbors", [*base, "neighbors", names["busy"]], True),
        ("neighbors --depth 2", [*base, "neighbors", names["busy"], "--depth", "2"], True),
        ("path", [*base, "path", names["from"], names["to"]], True),
    ]
    if not args.no_central:
        commands.append(("central", [*base, "central"], True))
    startup_runs = [run([sys.executable, "-c", "import kg"]) for _ in range(args.repeat)]
    startup = [wall for wall, _ in startup_runs]
    startup_cpu = [done.cpu for _, done in startup_runs]  # type: ignore[attr-defined]
    raw = raw_lookup(store, names["busy"], args.repeat)
    results: dict[str, dict] = {}
    for name, argv, projection in commands:
        if name == "lookup" and not has_lookup:
            results[name] = {"command": "kg lookup", "pending": True}
            continue
        print(f"timing kg {name} ...", file=sys.stderr, flush=True)
        results[name] = time_command(name, argv, store, args.repeat, projection)

    startup_p50 = p50(startup)
    for r in results.values():
        if "warm_p50" in r:
            r["warm_vs_import_kg"] = r["warm_p50"] / startup_p50
            r["warm_vs_raw_open_and_query"] = r["warm_p50"] / raw["open_and_query_p50"]

    ms = lambda x: f"{x * 1000:9.0f}"  # noqa: E731
    print(f"{'':<24}{'rebuild':>9}{'cold':>9}{'warm p50':>9}{'warm cpu':>9}{'x import':>9}{'x raw':>7}")
    print(f"{'(ms; x: warm p50 over)':<24}{'wall':>9}{'wall':>9}{'wall':>9}{'p50':>9}{'kg':>9}{'query':>7}")
    for name, r in results.items():
        if r.get("pending"):
            print(f"{'kg ' + name:<24}  pending (kg lookup not available yet)")
            continue
        rebuild = ms(r["rebuild_p50"]) if "rebuild_p50" in r else f"{'-':>9}"
        print(f"{'kg ' + name:<24}{rebuild}{ms(r['cold'])}{ms(r['warm_p50'])}{ms(r['warm_cpu_p50'])}"
              f"{r['warm_vs_import_kg']:>9.1f}{r['warm_vs_raw_open_and_query']:>7.1f}")
    print(f"\nbaselines: python -c 'import kg' p50 {startup_p50 * 1000:.0f} ms wall, "
          f"{p50(startup_cpu) * 1000:.0f} ms cpu; raw pyoxigraph in-process: "
          f"open {raw['open_p50'] * 1000:.0f} ms + lookup query {raw['query_p50'] * 1000:.0f} ms "
          f"({raw['rows']} rows)")

    report = {
        "store": {"path": str(store), **info, **{k: names[k] for k in ("entities", "relations")}},
        "names": names,
        "repeat": args.repeat,
        "machine": {"python": platform.python_version(), "platform": platform.platform(),
                    "cpus": os.cpu_count(), "load_average": os.getloadavg()},
        "baseline": {"import_kg_p50": startup_p50, "import_kg_cpu_p50": p50(startup_cpu), "import_kg_runs": startup,
                     "raw_pyoxigraph": raw},
        "commands": results,
    }
    out = args.out / "graph_bench.json"
    out.write_text(json.dumps(report, indent=2))
    print(f"\nwrote {out}")


if __name__ == "__main__":
    main()
