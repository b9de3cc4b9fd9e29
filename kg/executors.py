"""Where extraction runs: in this process, in a pool of local processes, or on a Dask cluster.

An executor maps a function over an iterator of items and yields the results **in input
order**, whatever order the work finishes in (a build resolves entities across articles in
that order, so every executor builds the same graph). Each process that runs the function
first calls `initializer(*initargs)` once (kg.build loads its Extractor there), so heavy state
is built once per worker, never per item. The function, the initializer and the items must be
picklable (module-level functions, plain data) for the `processes` and `dask` executors.

>>> list(run("local", _square, iter([1, 2, 3])))
[1, 4, 9]
>>> sorted(EXECUTORS)
['dask', 'local', 'processes']
"""
from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from typing import Any

from .errors import InputError, KGError

Executor = Callable[..., Iterator[Any]]


class ExecutorError(KGError):
    """The executor cannot run the work (no cluster at that address, a worker died, ...)."""


def _noop() -> None:
    return None


def _square(x: int) -> int:
    return x * x


def local(fn: Callable[[Any], Any], items: Iterable[Any], *, initializer: Callable[..., None] = _noop,
          initargs: tuple[Any, ...] = (), **_: Any) -> Iterator[Any]:
    """In this process, one item after another."""
    initializer(*initargs)
    yield from map(fn, items)


def processes(fn: Callable[[Any], Any], items: Iterable[Any], *, initializer: Callable[..., None] = _noop,
              initargs: tuple[Any, ...] = (), jobs: int = 2, chunksize: int = 4, window: int | None = None,
              **_: Any) -> Iterator[Any]:
    """In `jobs` local processes (forked: they share what this process has loaded).

    Items go in chunks of `chunksize`, at most `window` chunks in flight (default: four per
    process): unlike `Pool.imap`, which reads all of its input ahead and keeps every result
    the consumer has not taken yet, memory stays bounded when the consumer is the slower side.
    """
    import multiprocessing

    if jobs < 1:
        raise InputError(f"--jobs must be at least 1, got {jobs}")
    window = window or 4 * jobs
    context = multiprocessing.get_context("fork")
    with context.Pool(jobs, initializer=initializer, initargs=initargs) as pool:
        yield from _windowed(lambda chunk: pool.apply_async(_map_chunk, (fn, chunk)), items, chunksize, window,
                             lambda pending: pending.get())


def _map_chunk(fn: Callable[[Any], Any], chunk: list[Any]) -> list[Any]:
    return [fn(item) for item in chunk]


def _windowed(submit: Callable[[list[Any]], Any], items: Iterable[Any], chunksize: int, window: int,
              result: Callable[[Any], list[Any]]) -> Iterator[Any]:
    """Submit chunks of `items` while fewer than `window` are in flight; yield results in order."""
    pending: deque[Any] = deque()
    source = iter(items)

    def fill() -> None:
        while len(pending) < window:
            chunk = list(islice(source, chunksize))
            if not chunk:
                return
            pending.append(submit(chunk))

    fill()
    while pending:
        head = pending.popleft()
        fill()  # keep the workers busy while this chunk's results are taken
        yield from result(head)


def dask(fn: Callable[[Any], Any], items: Iterable[Any], *, initializer: Callable[..., None] = _noop,
         initargs: tuple[Any, ...] = (), scheduler: str | None = None, batch: int = 8, window: int | None = None,
         timeout: float = 30.0, **_: Any) -> Iterator[Any]:
    """On the Dask cluster whose scheduler is at `scheduler` (e.g. tcp://10.0.0.5:8786).

    Items go in batches of `batch` per task; at most `window` tasks are in flight (default:
    twice the cluster's threads), so memory stays bounded however large the input. Results
    come back here, in input order. Workers need kg installed (the same version), and the
    files `initargs` name (lexicons) at the same paths.
    """
    if not scheduler:
        raise InputError("--executor dask needs --scheduler ADDRESS (a running `dask scheduler`, "
                         "e.g. tcp://10.0.0.5:8786)")
    try:
        from distributed import Client
    except ImportError:
        raise InputError("--executor dask needs Dask's distributed package: pip install 'kg[dask]'") from None

    try:
        client = Client(scheduler, timeout=timeout, set_as_default=False)
    except (OSError, TimeoutError) as e:
        raise ExecutorError(f"{scheduler}: cannot reach the Dask scheduler ({str(e).splitlines()[0]})") from None
    try:
        if window is None:
            threads = sum(client.nthreads().values()) or 1
            window = max(2, 2 * threads)

        def collect(future: Any) -> list[Any]:
            try:
                return future.result()
            except Exception as e:  # a worker died, or the function raised
                raise ExecutorError(f"extraction on the Dask cluster failed: {type(e).__name__}: "
                                    f"{str(e).splitlines()[0] if str(e) else ''}") from None
            finally:
                future.release()

        yield from _windowed(lambda chunk: client.submit(_run_batch, fn, initializer, initargs, chunk, pure=False),
                             items, batch, window, collect)
    finally:
        client.close()


# -- on a worker --------------------------------------------------------------------------

_ready: str | None = None  # which initializer (and arguments) this worker process has run
_lock = threading.Lock()


def _run_batch(fn: Callable[[Any], Any], initializer: Callable[..., None], initargs: tuple[Any, ...],
               items: list[Any]) -> list[Any]:
    """Run on a Dask worker: initialise this process once, then map `fn` over the batch.

    One batch at a time per process (a worker with several threads shares one initialised
    state, e.g. one spaCy pipeline, which is not made for concurrent use).
    """
    global _ready
    key = f"{initializer.__module__}.{initializer.__qualname__}{initargs!r}"
    with _lock:
        if _ready != key:
            initializer(*initargs)
            _ready = key
        return [fn(item) for item in items]


EXECUTORS: dict[str, Executor] = {"local": local, "processes": processes, "dask": dask}


def run(name: str, fn: Callable[[Any], Any], items: Iterable[Any], **options: Any) -> Iterator[Any]:
    """Map `fn` over `items` with the executor called `name`; results in input order.

    Options: `initializer`, `initargs` (all executors), `jobs` (processes), `scheduler`,
    `batch`, `window` (dask).
    """
    try:
        executor = EXECUTORS[name]
    except KeyError:
        raise InputError(f"unknown executor {name!r} (executors: {', '.join(sorted(EXECUTORS))})") from None
    return executor(fn, items, **options)
