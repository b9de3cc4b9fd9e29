"""Articles in, graph out: read, extract, map to RDF and load, incrementally and in batches.

An article is identified by its content (sha256). Building the same article again changes
nothing; an article whose file changed replaces its old graph; the same text under a second
name is reported and skipped. Bad articles are reported and skipped; the rest are built.
"""
from __future__ import annotations

import time
from concurrent.futures import Future, ThreadPoolExecutor
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from .errors import ArticleError, InputError
from .extract.read import DEFAULT_MAX_BYTES, discover, read_path
from .identity import EntityIndex, Known
from .lexicon import load_lexicon
from .model import Article, Extraction
from .ontology import superclasses
from .rdf import DEFAULT_BASE_IRI, article_triples
from .spool import Spool
from .store import Store

BATCH_QUADS = 100_000
"""Quads per store write. The size barely changes the store's CPU (bench/load_bench.py
--batch-quads: the 3.7M quads of 10,000 articles cost about the same in batches of 50,000 or
1,000,000), but Oxigraph's bulk loader holds about 0.85 KB per quad of a batch while it loads
it, and readers see new articles once per batch."""


@dataclass
class Progress:
    """Reported after each article: how far the build is."""

    done: int
    name: str
    status: str  # "added" | "replaced" | "unchanged" | "error"
    words: int = 0


@dataclass
class BuildReport:
    """What a build did."""

    added: int = 0
    replaced: int = 0
    unchanged: int = 0
    errors: list[ArticleError] = field(default_factory=list)
    entities: int = 0
    relations: int = 0
    events: int = 0
    quads_written: int = 0
    words: int = 0
    seconds: float = 0.0

    @property
    def articles(self) -> int:
        return self.added + self.replaced + self.unchanged

    @property
    def ok(self) -> bool:
        return not self.errors


def build(
    store: Store,
    paths: Iterable[str | Path],
    *,
    lexicon_files: Iterable[str | Path] = (),
    spacy_model: str | None = None,
    jobs: int = 1,
    base_iri: str = DEFAULT_BASE_IRI,
    max_bytes: int = DEFAULT_MAX_BYTES,
    progress: Callable[[Progress], None] | None = None,
    batch_quads: int = BATCH_QUADS,
    executor: str | None = None,
    executor_options: dict | None = None,
) -> BuildReport:
    """Build (or update) the graph in `store` from the articles under `paths`.

    Extraction runs where `executor` says (kg.executors: "local", "processes" with `jobs`
    processes, "dask" with `executor_options={"scheduler": ADDRESS}`; default: local for
    one job, processes for more); the store is written from this process only.
    """
    started = time.perf_counter()
    report = BuildReport()
    lexicon_files = list(lexicon_files)
    load_lexicon(lexicon_files)  # fail early, before any article is read, on a bad lexicon file
    if jobs < 1:
        raise InputError(f"--jobs must be at least 1, got {jobs}")
    stored = store.articles()
    by_sha = {a.sha256: a for a in stored.values()}
    by_path = {a.path: a for a in stored.values()}
    done = 0

    def note(name: str, status: str, words: int = 0) -> None:
        nonlocal done
        done += 1
        if progress:
            progress(Progress(done, name, status, words))

    def to_extract() -> Iterator[_Item]:
        """Articles to extract, with the graph each replaces; skips and errors pass through."""
        seen: dict[str, str] = {}
        for found in discover(paths):
            if isinstance(found, ArticleError):
                yield _Item(error=found)
                continue
            for item in read_path(found, max_bytes=max_bytes):
                if isinstance(item, ArticleError):
                    yield _Item(error=item)
                    continue
                first = seen.get(item.sha256) or (by_sha[item.sha256].path if item.sha256 in by_sha else None)
                if first is not None and first != item.path:
                    yield _Item(error=ArticleError(item.path, f"same text as {first}; skipped"))
                    continue
                seen[item.sha256] = item.path
                if item.sha256 in by_sha:
                    yield _Item(unchanged=item.name)
                    continue
                old = by_path.get(item.path)
                yield _Item(article=item, replaces=old.iri if old else None)

    index = _load_index(store, base_iri)
    spool = store.spool()  # the batch being gathered, as N-Quads on disk (kg.spool)
    ingested_at = datetime.now(timezone.utc)

    # Writes run on one background thread (pyoxigraph releases the GIL while it writes), so
    # extraction of the next batch overlaps the write of this one; at most one write is in flight.
    writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kg-writer")
    in_flight: list[Future[int]] = []

    def settle() -> None:
        while in_flight:
            report.quads_written += in_flight.pop().result()

    def flush() -> None:
        nonlocal spool
        if spool.graphs:
            settle()
            in_flight.append(writer.submit(_write, store, spool))
            spool = store.spool()

    try:
        for item in _extract_all(to_extract(), lexicon_files, spacy_model, jobs, executor, executor_options):
            if item.error is not None:
                report.errors.append(item.error)
                note(item.error.path, "error")
                continue
            if item.unchanged is not None:
                report.unchanged += 1
                note(item.unchanged, "unchanged")
                continue
            result = item.extraction
            assert result is not None
            graph, triples = article_triples(result, index, base_iri=base_iri, ingested_at=ingested_at)
            if item.replaces is not None:
                flush()
                settle()  # the removal must see every article written before it
                store.remove_article(item.replaces)
                report.replaced += 1
            else:
                report.added += 1
            spool.add(graph, triples)
            report.relations += len(result.relations)
            report.events += len(result.events)
            words = len(result.article.text.split())
            report.words += words
            note(result.article.name, "replaced" if item.replaces else "added", words)
            if spool.quads >= batch_quads:
                flush()
        flush()
        settle()
    finally:
        writer.shutdown(wait=True)
        spool.discard()
    store.flush()
    report.entities = _count_entities(store)
    report.seconds = time.perf_counter() - started
    return report


def _write(store: Store, batch: Spool) -> int:
    """Write one batch and flush it, so memory stays flat however large the build (RocksDB
    otherwise keeps everything written since the store was opened in memory)."""
    written = store.write_spool(batch)
    store.flush()
    return written


@dataclass
class _Item:
    """One unit flowing through extraction: an article (and the graph it replaces), or a skip."""

    article: Article | None = None
    replaces: str | None = None
    extraction: Extraction | None = None
    unchanged: str | None = None
    error: ArticleError | None = None


def remove(store: Store, article: str) -> list[str]:
    """Remove the article(s) named by path, file name or graph IRI; returns the IRIs removed."""
    stored = store.articles()
    wanted = str(Path(article).resolve()) if Path(article).exists() else article
    matches = [a.iri for a in stored.values() if article in (a.iri, a.name, a.path) or a.path == wanted
               or a.sha256.startswith(article.lower()) and len(article) >= 8]
    if not matches:
        raise InputError(f"{article}: no such article in the store")
    for iri in matches:
        store.remove_article(iri)
    store.flush()
    return matches


# -- extraction, in this process or in a pool --------------------------------------------

_worker_extractor = None


def _init_worker(lexicon_files: list[str | Path], spacy_model: str | None) -> None:
    global _worker_extractor
    from .extract.pipeline import Extractor

    _worker_extractor = Extractor(load_lexicon(lexicon_files), spacy_model=spacy_model)


def _extract_one(item: _Item) -> _Item:
    if item.article is None:
        return item
    try:
        item.extraction = _worker_extractor.extract(item.article)  # type: ignore[union-attr]
    except Exception as e:  # one bad article must not stop the others
        item.error = ArticleError(item.article.path, f"extraction failed: {type(e).__name__}: {e}")
    item.article = None  # the extraction carries it; don't send the text back twice
    return item


def _extract_all(
    items: Iterator[_Item], lexicon_files: list[str | Path], spacy_model: str | None, jobs: int,
    executor: str | None = None, options: dict | None = None,
) -> Iterator[_Item]:
    from .executors import run

    name = executor or ("local" if jobs == 1 else "processes")
    yield from run(name, _extract_one, items, initializer=_init_worker, initargs=(lexicon_files, spacy_model),
                   jobs=jobs, **(options or {}))


# -- what the store already knows ---------------------------------------------------------

def _load_index(store: Store, base_iri: str) -> EntityIndex:
    """Every entity in the store, under its label and aliases, for cross-article resolution."""
    index = EntityIndex(base_iri)
    rows = store.select(
        """SELECT ?e ?label ?type ?alt WHERE {
             ?e rdfs:label ?label ; a ?type ; kg:mentionedIn ?article .
             OPTIONAL { ?e skos:altLabel ?alt } }"""
    )
    entities: dict[str, dict] = {}
    for r in rows:
        e = entities.setdefault(r["e"].value, {"label": r["label"].value, "types": set(), "alts": set()})
        e["types"].add(r["type"].value.rsplit("#", 1)[-1])
        if "alt" in r:
            e["alts"].add(r["alt"].value)
    for iri, e in entities.items():
        leaf = max(e["types"], key=lambda t: len(superclasses(t)))
        index.add(Known(iri, e["label"], leaf), e["alts"])
    return index


def _count_entities(store: Store) -> int:
    rows = store.select("SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e kg:mentionedIn ?a }")
    return int(rows[0]["n"].value) if rows else 0
