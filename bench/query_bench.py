"""Query latency of the queries/ library on about a million triples: kg, pyoxigraph, rdflib.

    .venv/bin/python bench/query_bench.py                 # 6,000 articles: ~1M triples (~2.2M quads)
    .venv/bin/python bench/query_bench.py --quick         # 150 articles, short budgets: a smoke run
    .venv/bin/python bench/query_bench.py --no-rdflib     # kg and pyoxigraph only

The store is built through kg's real pipeline (kg.build.build, --jobs 2) from a synthetic corpus
(bench/corpus.py), once, and cached under bench/out/. Its default graph (the union of the article
graphs, what queries see) holds about 165 triples per article, so 6,000 articles give about
a million triples; the store holds about 2.2 quads per default-graph triple.

Every query in queries/*.rq runs with representative parameters read from its `# param:`
header: entity parameters get a busy company (one of the most mentioned ones that has partners,
platforms, goals and people; not the biggest hub), `class` gets Company, `property`
partnersWith, `string` the name of one of that company's partners. A query whose parameters are
all optional also runs without any (the whole-graph listing). Each variant is timed three ways,
on the same data:

  kg        kg.queries.run_query(store, name, params): binds the parameters (finding the entity by
            name; the terms go into the query as VALUES blocks, kg.sparql_values), runs the
            query, serialises the result and looks up display labels
  oxigraph  the same SPARQL text, bound the same way, run directly by pyoxigraph in-process
            (pyoxigraph.Store.query with kg's prefixes), every row read: the engine's share of kg
  substitutions
            pyoxigraph again, the parameters bound by pyoxigraph's substitutions instead (how kg
            bound them before, and how `kg serve`'s /api/run binds them): pyoxigraph joins
            substituted values in after planning, so an index cannot start from a bound entity
  rdflib    the same text, prepared once (parsing not timed), on an rdflib in-memory Dataset
            loaded once with the same quads (N-Quads dump of the store), initBindings for the
            parameters, every row read; a run over --rdflib-budget seconds is stopped
            (SIGALRM) and reported as "timeout"

Runs repeat until --repeat runs or --budget seconds per variant and engine (at least 3 unless a
run exceeds the budget); p50 and p99 are over those runs (with fewer than 100 runs p99 is
interpolated between the slowest ones). Results: a table on stdout, bench/out/query_bench.json.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import signal
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

import pyoxigraph as ox  # noqa: E402

from corpus import OUT, cached_corpus, machine_info, write_results  # noqa: E402


def ensure_store(articles: int, seed: int, words: int, jobs: int, work: Path = OUT) -> tuple[Path, dict]:
    """The store built by kg from the synthetic corpus; built once, reused while its marker exists."""
    path = work / f"query-store-{articles}-s{seed}-w{words}"
    marker = path.with_name(path.name + ".json")
    if path.is_dir() and marker.is_file():
        return path, json.loads(marker.read_text())
    import shutil

    from kg.build import build
    from kg.store import Store

    folder = cached_corpus(articles, seed=seed, words=words, out=work)
    shutil.rmtree(path, ignore_errors=True)
    print(f"building the query store from {articles:,} articles (kg build --jobs {jobs}) ...",
          file=sys.stderr, flush=True)
    with Store(path) as store:
        report = build(store, [folder], jobs=jobs)
    if report.errors:
        raise SystemExit(f"build failed: {report.errors[0]}")
    info = {"articles": report.articles, "words": report.words, "build_seconds": round(report.seconds, 1),
            "build": "kg.build.build (the real pipeline)", "jobs": jobs}
    marker.write_text(json.dumps(info, indent=2))
    return path, info


def pick_params(store) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """A representative busy company, one of its partners, by name."""
    rows = store.select("""
        SELECT ?e ?label (COUNT(DISTINCT ?a) AS ?n) WHERE {
          ?e a kg:Company ; rdfs:label ?label ; kg:mentionedIn ?a .
        } GROUP BY ?e ?label ORDER BY DESC(?n) ?label LIMIT 300""")
    wanted = ("?e kg:partnersWith ?x", "?e kg:usesPlatform|kg:deploys|kg:develops ?x", "?e kg:hasGoal ?x",
              "?x kg:worksFor ?e")
    chosen = None
    for row in rows[10:] + rows[:10]:  # not the biggest hubs first
        e = row["e"]
        if all(store.select(f"SELECT ?e ?x WHERE {{ {w} }} LIMIT 1", substitutions={"e": e}) for w in wanted):
            chosen = row
            break
    chosen = chosen or rows[min(10, len(rows) - 1)]
    partner = store.select("""SELECT ?e ?name WHERE { ?ev rdf:subject ?e ; rdf:predicate kg:partnersWith ;
                                 rdf:object ?o . ?o rdfs:label ?name } ORDER BY ?name LIMIT 1""",
                           substitutions={"e": chosen["e"]})
    return {"entity": chosen["label"].value, "entity_articles": int(chosen["n"].value),
            "partner": partner[0]["name"].value if partner else chosen["label"].value}


def variants(params: dict[str, str]) -> list[tuple[str, object, dict[str, str]]]:
    """(label, NamedQuery, params) for every library query: with parameters, and without when all are optional."""
    from kg.queries import list_queries

    values = {"entity": params["entity"], "class": "Company", "property": "partnersWith",
              "string": params["partner"]}
    out = []
    for q in list_queries():
        given = {p.name: values.get(p.kind, params["entity"]) for p in q.params}
        if q.params:
            out.append((f"{q.name} ({', '.join(f'{k}={v}' for k, v in given.items())})", q, given))
        if all(p.optional for p in q.params):
            out.append((q.name, q, {}))
    return out


class Timeout(Exception):
    pass


def _alarm(signum, frame):  # type: ignore[no-untyped-def]
    raise Timeout


def measure(run, repeat: int, budget: float, hard_limit: float | None = None) -> dict:  # type: ignore[no-untyped-def]
    """Time `run()` (returns a row count) until `repeat` runs or `budget` seconds (at least 3 runs)."""
    times: list[float] = []
    rows = None
    spent = 0.0
    while len(times) < repeat and (len(times) < 3 or spent < budget):
        if hard_limit is not None:
            signal.signal(signal.SIGALRM, _alarm)
            signal.setitimer(signal.ITIMER_REAL, hard_limit)
        started = time.perf_counter()
        try:
            rows = run()
        except Timeout:
            return {"timeout": True, "limit_s": hard_limit, "runs": len(times),
                    "p50_ms": None, "p99_ms": None, "rows": rows}
        except Exception as e:  # rdflib fails on some queries: report it, go on
            return {"timeout": False, "error": f"{type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}"[:120],
                    "runs": len(times), "p50_ms": None, "p99_ms": None, "rows": rows}
        finally:
            if hard_limit is not None:
                signal.setitimer(signal.ITIMER_REAL, 0)
        took = time.perf_counter() - started
        times.append(took)
        spent += took
        if took > budget:
            break
    ms = [t * 1000 for t in times]
    p99 = statistics.quantiles(ms, n=100, method="inclusive")[98] if len(ms) > 1 else ms[0]
    return {"timeout": False, "runs": len(ms), "p50_ms": round(statistics.median(ms), 2), "p99_ms": round(p99, 2),
            "min_ms": round(min(ms), 2), "rows": rows}


def to_rdflib(term):  # type: ignore[no-untyped-def]
    import rdflib

    if isinstance(term, ox.NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return rdflib.Literal(term.value, lang=term.language)
        return rdflib.Literal(term.value, datatype=rdflib.URIRef(term.datatype.value))
    raise TypeError(term)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=6000, help="articles in the store (6,000: ~1M triples)")
    parser.add_argument("--repeat", type=int, default=20, help="most runs per query and engine")
    parser.add_argument("--budget", type=float, default=10.0, help="seconds of runs per query and engine")
    parser.add_argument("--rdflib-budget", type=float, default=30.0,
                        help="rdflib: seconds a single run may take before it is stopped (timeout)")
    parser.add_argument("--no-rdflib", action="store_true", help="skip rdflib")
    parser.add_argument("--substitution-limit", type=float, default=120.0,
                        help="pyoxigraph with substitutions: seconds a single run may take before it is stopped")
    parser.add_argument("--jobs", type=int, default=2, help="--jobs of the build that makes the store")
    parser.add_argument("--words", type=int, default=450)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--only", default="", help="comma-separated query names to run (default: all)")
    parser.add_argument("--quick", action="store_true", help="150 articles, few runs, short budgets")
    parser.add_argument("--from-json", type=Path, help="print the table of an earlier run's JSON and stop")
    parser.add_argument("--json", type=Path, default=OUT / "query_bench.json")
    parser.add_argument("--workdir", type=Path, default=OUT, help="where corpora and stores go (git-ignored)")
    args = parser.parse_args(argv)
    if args.from_json:
        print(table(json.loads(args.from_json.read_text())))
        return 0
    if args.quick:
        args.articles, args.repeat, args.budget, args.rdflib_budget = 150, 5, 1.0, 5.0
    args.workdir.mkdir(parents=True, exist_ok=True)
    machine = machine_info()
    from kg.ontology import PREFIXES
    from kg.queries import bind_params, run_query
    from kg.sparql_values import bind_values
    from kg.store import Store

    path, info = ensure_store(args.articles, args.seed, args.words, args.jobs, args.workdir)
    store = Store(path, read_only=True)
    raw = store.raw
    quads = len(raw)
    triples = int(store.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")[0]["n"].value)
    info.update(quads=quads, default_graph_triples=triples)
    print(f"store: {info['articles']:,} articles, {triples:,} triples in the default graph, {quads:,} quads",
          file=sys.stderr, flush=True)
    params = pick_params(store)
    todo = variants(params)
    if args.only:
        names = set(args.only.split(","))
        todo = [v for v in todo if v[1].name in names]

    ds = None
    rdflib_load: dict = {}
    if not args.no_rdflib:
        import rdflib

        print(f"loading {quads:,} quads into rdflib ...", file=sys.stderr, flush=True)
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        started = time.perf_counter()
        data = raw.dump(format=ox.RdfFormat.N_QUADS)
        ds = rdflib.Dataset()
        ds.parse(data=data, format="nquads")
        del data
        rdflib_load = {"seconds": round(time.perf_counter() - started, 1), "quads": len(ds) + sum(
            len(g) for g in ds.graphs() if g.identifier != rdflib.graph.DATASET_DEFAULT_GRAPH_ID),
            "peak_rss_growth_mb": round((resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024)}
        print(f"  rdflib loaded in {rdflib_load['seconds']} s", file=sys.stderr, flush=True)

    results = []
    for label, q, given in todo:
        print(f"{label} ...", file=sys.stderr, flush=True)
        bindings = bind_params(store, q, given)  # the terms run_query binds
        text = bind_values(q.text, bindings)  # the query as kg's Store.query runs it
        row: dict = {"query": q.name, "variant": label, "params": given}
        row["kg"] = measure(lambda: len(run_query(store, q, given)), args.repeat, args.budget)
        row["oxigraph"] = measure(lambda: sum(1 for _ in raw.query(text, prefixes=PREFIXES)), args.repeat, args.budget)
        if bindings:  # the same query, the parameters bound by pyoxigraph's substitutions instead
            subs = {ox.Variable(k): v for k, v in bindings.items()}
            row["oxigraph_substitutions"] = measure(
                lambda: sum(1 for _ in raw.query(q.text, prefixes=PREFIXES, substitutions=subs)),
                args.repeat, args.budget, hard_limit=args.substitution_limit)
        if ds is not None:
            from rdflib.plugins.sparql import prepareQuery

            prepared = prepareQuery(q.text, initNs=PREFIXES)
            init = {k: to_rdflib(v) for k, v in bindings.items()}
            row["rdflib"] = measure(lambda: sum(1 for _ in ds.query(prepared, initBindings=init)),
                                    min(args.repeat, 5), args.budget, hard_limit=args.rdflib_budget)
        ox_p50 = row["oxigraph"]["p50_ms"]
        row["kg_over_oxigraph"] = round(row["kg"]["p50_ms"] / ox_p50, 2) if ox_p50 else None
        if row.get("oxigraph_substitutions", {}).get("p50_ms") is not None:
            row["substitution_rows_agree"] = row["oxigraph_substitutions"]["rows"] == row["oxigraph"]["rows"]
        if ds is not None and row["rdflib"]["p50_ms"] is not None:
            row["rdflib_over_oxigraph"] = round(row["rdflib"]["p50_ms"] / ox_p50, 1) if ox_p50 else None
            row["rows_agree"] = row["rdflib"]["rows"] == row["oxigraph"]["rows"]
        results.append(row)
        print(f"  kg p50 {row['kg']['p50_ms']} ms, oxigraph p50 {ox_p50} ms, rdflib "
              f"{(row.get('rdflib') or {}).get('p50_ms', '-')}", file=sys.stderr, flush=True)
    store.close()
    result = {"script": "query_bench", "machine": machine, "loadavg_after": [round(x, 2) for x in os.getloadavg()],
              "store": info, "params": params, "rdflib_load": rdflib_load, "repeat": args.repeat,
              "budget_s": args.budget, "rdflib_budget_s": args.rdflib_budget, "rows": results}
    write_results(result, args.json, table(result))
    return 0


def _cell(m: dict | None) -> str:
    if not m:
        return "-"
    if m["timeout"]:
        return f"timeout (>{m['limit_s']:g} s)"
    if m.get("error"):
        return f"error ({m['error'].split(':')[0]})"
    return f"{m['p50_ms']:,.1f} / {m['p99_ms']:,.1f}"


def table(result: dict) -> str:
    m, s = result["machine"], result["store"]
    lines = [f"machine: {m['cpu']}, {m['cores']} cores; load {m['loadavg']}; store: {s['articles']:,} articles, "
             f"{s['default_graph_triples']:,} default-graph triples, {s['quads']:,} quads ({s['build']})",
             f"entity parameter: {result['params']['entity']} (in {result['params']['entity_articles']} articles); "
             f"partner: {result['params']['partner']}",
             ""]
    if result["rdflib_load"]:
        lines += [f"rdflib: loaded in {result['rdflib_load']['seconds']} s, +{result['rdflib_load']['peak_rss_growth_mb']} "
                  "MB peak RSS", ""]
    lines += ["p50 / p99 in ms; runs: kg / pyoxigraph / rdflib (a run longer than the budget is not repeated)", "",
              "| query | rows | kg run_query | pyoxigraph | pyoxigraph, substitutions | rdflib | kg / oxigraph "
              "| rdflib / oxigraph | runs |",
              "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in result["rows"]:
        rows = r["oxigraph"]["rows"]
        agree = "" if r.get("rows_agree", True) else f" (rdflib: {r['rdflib']['rows']})"
        if not r.get("substitution_rows_agree", True):
            agree += f" (substitutions: {r['oxigraph_substitutions']['rows']})"
        lines.append(f"| {r['variant']} | {rows:,}{agree} | {_cell(r['kg'])} | {_cell(r['oxigraph'])} | "
                     f"{_cell(r.get('oxigraph_substitutions'))} | "
                     f"{_cell(r.get('rdflib'))} | {r['kg_over_oxigraph']} | {r.get('rdflib_over_oxigraph', '-')} | "
                     f"{r['kg']['runs']} / {r['oxigraph']['runs']} / {(r.get('rdflib') or {}).get('runs', '-')} |")
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
