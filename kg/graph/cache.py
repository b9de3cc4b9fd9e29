"""The projection, cached in a file beside the store and rebuilt only when the store changed.

The file is `<store>.projection` next to the store directory (`kg-store.projection` for
`kg-store/`), never inside it, so Oxigraph's directory stays its own. It holds, written with
`marshal` (plain data: fast to load, no networkx, no code run on loading):

- the store directory's *signature*: name, size and modification time of each RocksDB file
  (the LOCK and LOG files aside). Any write to the store changes it; reading (read-only) does
  not. Checking it costs one directory listing, so an unchanged store is recognised without
  a query.
- the store's *content fingerprint*: sha256 over the number of quads and every article's
  (graph IRI, sha256, ingestion time). A build or remove always changes it. It is computed only
  when the signature differs (a process opened the store for writing), so that opening a store
  read-write without changing it costs a fingerprint (one count of the quads), not a rebuild.
- the projection's state, and results computed from it (centrality), kept while both match.

A read-only Store sees the store as it was when opened, so when the cache has to be
(re)built for one, the projection is read from a fresh read-only snapshot opened after the
signature was taken, and the file is written only if the signature did not change meanwhile:
a file never pairs a signature with older content. An unwritable folder means no file, not an
error; a stale, truncated or foreign file is rebuilt. In-memory stores (path None) are cached
per Store object, by content fingerprint.
"""
from __future__ import annotations

import marshal
import os
import weakref
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from ..ontology import NS, PROV
from .projection import FORMAT, Projection, build_projection

_MAGIC = "kg-projection"
_IGNORED = ("LOCK", "LOG")  # RocksDB's lock and info log change without the data changing


class _Entry:
    __slots__ = ("signature", "fingerprint", "projection", "extras")

    def __init__(self, signature: Any, fingerprint: str, projection: Projection, extras: dict[str, Any]) -> None:
        self.signature = signature
        self.fingerprint = fingerprint
        self.projection = projection
        self.extras = extras


_memo: weakref.WeakKeyDictionary[Any, _Entry] = weakref.WeakKeyDictionary()


def cache_path(store_path: str | Path) -> Path:
    """Where the projection of the store at `store_path` is cached: `<store>.projection` beside it.

    >>> cache_path("/data/kg-store").as_posix()
    '/data/kg-store.projection'
    """
    p = Path(os.path.abspath(store_path))
    return p.with_name(p.name + ".projection")


def signature(store_path: str | Path) -> tuple[tuple[str, int, int], ...] | None:
    """(name, size, mtime_ns) of each file in the store directory: changes on any write."""
    try:
        entries = list(os.scandir(store_path))
        return tuple(sorted(
            (e.name, st.st_size, st.st_mtime_ns)
            for e in entries
            if not e.name.startswith(_IGNORED)
            for st in (e.stat(),)
        ))
    except OSError:
        return None


def fingerprint(raw: ox.Store) -> str:
    """sha256 of the quad count and every article's (graph, sha256, ingestion time)."""
    import hashlib

    h = hashlib.sha256(str(len(raw)).encode())
    rows = raw.query(
        f"SELECT ?g ?sha ?t WHERE {{ GRAPH ?g {{ ?g <{NS}sha256> ?sha . "
        f"OPTIONAL {{ ?g <{PROV}generatedAtTime> ?t }} }} }}"
    )
    lines = (f"{g.value} {sha.value} {t.value if t is not None else ''}" for g, sha, t in rows)  # type: ignore[misc]
    for line in sorted(lines):
        h.update(line.encode())
        h.update(b"\n")
    return h.hexdigest()


def _read(file: Path) -> tuple[Any, str, Any, dict[str, Any]] | None:
    try:
        with open(file, "rb") as f:
            data = marshal.loads(f.read())  # marshal.load(f) reads in tiny pieces: much slower
        magic, version, sig, fp, state, extras = data
        if magic != _MAGIC or version != FORMAT or not isinstance(extras, dict):
            return None
        return sig, fp, state, extras
    except (OSError, EOFError, ValueError, TypeError):
        return None


def _write(file: Path, entry: _Entry) -> None:
    tmp = file.with_name(f".{file.name}.{os.getpid()}.tmp")
    try:
        data = marshal.dumps((_MAGIC, FORMAT, entry.signature, entry.fingerprint, entry.projection.state(),
                              entry.extras))
        with open(tmp, "wb") as f:
            f.write(data)
        os.replace(tmp, file)
    except (OSError, ValueError):
        try:
            tmp.unlink()
        except OSError:
            pass


def _entry(store: Any) -> _Entry:
    """The current cache entry for `store`, loading or rebuilding what is needed."""
    if store.path is None:
        fp = fingerprint(store.raw)
        entry = _memo.get(store)
        if entry is None or entry.fingerprint != fp:
            entry = _Entry(None, fp, build_projection(store.raw), {})
            _memo[store] = entry
        return entry

    sig = signature(store.path)
    entry = _memo.get(store)
    if entry is not None and sig is not None and entry.signature == sig:
        return entry
    file = cache_path(store.path)
    cached = _read(file)
    if cached is not None and sig is not None and cached[0] == sig:
        try:
            entry = _Entry(sig, cached[1], Projection.from_state(cached[2]), cached[3])
        except (ValueError, TypeError):
            entry = None
        if entry is not None:
            _memo[store] = entry
            return entry

    # the store changed (or nothing is cached): read it as it is now
    snapshot = ox.Store.read_only(str(store.path)) if store.read_only else store.raw
    try:
        fp = fingerprint(snapshot)
        if entry is not None and entry.fingerprint == fp:
            entry = _Entry(sig, fp, entry.projection, entry.extras)
        elif cached is not None and cached[1] == fp:
            try:
                entry = _Entry(sig, fp, Projection.from_state(cached[2]), cached[3])
            except (ValueError, TypeError):
                entry = _Entry(sig, fp, build_projection(snapshot), {})
        else:
            entry = _Entry(sig, fp, build_projection(snapshot), {})
    finally:
        del snapshot
    _memo[store] = entry
    if sig is not None and signature(store.path) == sig:
        _write(file, entry)
    return entry


def projection(store: Any) -> Projection:
    """The projection of `store` (a kg.store.Store), from the cache when the store is unchanged.

    >>> from kg.graph import example_store
    >>> store = example_store()
    >>> projection(store) is projection(store)
    True
    """
    return _entry(store).projection


def remembered(store: Any, key: str) -> Any:
    """A result cached with the store's current projection under `key`, or None."""
    return _entry(store).extras.get(key)


def remember(store: Any, key: str, value: Any) -> None:
    """Cache `value` (plain data) with the store's current projection, in the file too."""
    entry = _entry(store)
    entry.extras[key] = value
    if store.path is not None and entry.signature is not None and signature(store.path) == entry.signature:
        _write(cache_path(store.path), entry)
