"""Run a per-item function here, in a pool of worker processes, or on a Dask cluster.

    runner = Runner(workers=2)                   # or Runner(dask="tcp://scheduler:8786")
    for result in runner.map(read_file, jobs, context):
        store(result)                            # in the order of `jobs`, whatever ran them

`fn(context, item)` (or `fn(context, batch)` with `map_batches`) must be a
module-level function (pickled by name) and pure: workers only compute, and
the caller alone writes the index, in input order, so the index is the same
byte for byte whatever ran the work. Work is sent in chunks of `chunk` items
with at most `2 * workers` chunks in flight, so memory stays flat however many
items there are. `context` (entities,
settings, the timezone) goes to each worker once, not with every item.

A job with no more than one chunk of items runs in this process, even with a
cluster: starting workers would cost more than it saves, and the result is
the same.
"""

from __future__ import annotations

import importlib.util
import multiprocessing
import multiprocessing.context
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from contextvars import ContextVar
from dataclasses import dataclass
from functools import partial
from itertools import chain, islice
from typing import Any, Generic, TypeVar

from checker.errors import ClusterUnavailable, DaskNotInstalled

C = TypeVar("C")
T = TypeVar("T")
R = TypeVar("R")

CHUNK = 16  # items per task: amortises the cost of a round trip to a worker
BATCH_WEIGHT = 1 << 20  # ... unless they weigh more (bytes): a big mbox goes alone
# Tasks a local worker runs before it is replaced by a fresh one. spaCy's
# vocabulary keeps every new word it sees, so a worker's memory grows with the
# corpus (165 to 260 MB over 100,000 messages); a fresh worker starts again.
TASKS_PER_WORKER = 1000

_CONTEXT: Any = None  # a pool worker's context, set once by _init


def default_workers() -> int:
    """All the machine's cores."""
    return os.cpu_count() or 1


@dataclass(frozen=True)
class Runner(Generic[C]):
    """Where per-item work runs: `workers` local processes (1: this process), or
    the Dask cluster at `dask` (a scheduler address such as tcp://host:8786)."""

    workers: int = 1
    dask: str | None = None
    chunk: int = CHUNK
    tasks_per_worker: int = TASKS_PER_WORKER

    def __post_init__(self) -> None:
        # Say so at once, not only when a corpus is big enough to go to the cluster.
        if self.dask is not None and importlib.util.find_spec("distributed") is None:
            raise DaskNotInstalled()

    def map(
        self,
        fn: Callable[[C, T], R],
        items: Iterable[T],
        context: C,
        preload: Sequence[str] = (),
        weight: Callable[[T], int] | None = None,
    ) -> Iterator[R]:
        """`fn(context, item)` for each item, yielded in the order of `items`.
        `preload`: modules local workers import before they start (their
        parent imports them once), besides `fn`'s own. `weight`: an item's
        size in bytes; a batch is closed at `BATCH_WEIGHT`, so that a few big
        items do not all land on one worker."""
        each = partial(_each, fn)
        return self.map_batches(each, items, context, [fn.__module__, *preload], weight)

    def map_batches(
        self,
        fn: Callable[[C, list[T]], list[R]],
        items: Iterable[T],
        context: C,
        preload: Sequence[str] = (),
        weight: Callable[[T], int] | None = None,
    ) -> Iterator[R]:
        """`fn(context, batch)` over batches of up to `chunk` items, where `fn`
        gives one result per item: for work that is cheaper in bulk (spaCy's
        `nlp.pipe`). Results are yielded in the order of `items`."""
        it = iter(items)
        first = list(islice(it, self.chunk + 1))
        batches = _chunks(chain(first, it), self.chunk, weight)
        if len(first) <= self.chunk or (self.workers <= 1 and self.dask is None):
            for batch in batches:
                yield from fn(context, batch)
        elif self.dask is not None:
            yield from _on_dask(self.dask, fn, batches, context)
        else:
            modules = [getattr(fn, "__module__", ""), *preload]
            modules = [m for m in dict.fromkeys(modules) if m.startswith("checker.")]
            yield from _on_pool(
                self.workers, fn, batches, context, modules, self.tasks_per_worker
            )


def _chunks(items: Iterator[T], size: int, weight: Callable[[T], int] | None) -> Iterator[list[T]]:
    batch: list[T] = []
    total = 0
    for item in items:
        batch.append(item)
        total += weight(item) if weight else 0
        if len(batch) >= size or total >= BATCH_WEIGHT:
            yield batch
            batch, total = [], 0
    if batch:
        yield batch


def _each(fn: Callable[[C, T], R], context: C, batch: list[T]) -> list[R]:
    return [fn(context, item) for item in batch]


def _init(context: Any) -> None:
    global _CONTEXT
    _CONTEXT = context


def _pool_batch(fn: Callable[[Any, list[T]], list[R]], batch: list[T]) -> list[R]:
    return fn(_CONTEXT, batch)


def _windowed(
    submit: Callable[[list[T]], Any], chunks: Iterator[list[T]], window: int
) -> Iterator[Any]:
    """Submit chunks with at most `window` in flight; yield their futures in order."""
    pending: deque[Any] = deque()
    for chunk in chunks:
        pending.append(submit(chunk))
        if len(pending) >= window:
            yield pending.popleft()
    yield from pending


def _mp_context(preload: list[str]) -> multiprocessing.context.BaseContext:
    """forkserver where there is one: workers start from a clean process that
    has imported `preload` once (when this process first starts it), never from
    a copy of this one, whose threads (the progress bar) may hold locks; else
    spawn."""
    if "forkserver" in multiprocessing.get_all_start_methods():
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(preload)
        return ctx
    return multiprocessing.get_context("spawn")


def _on_pool(
    workers: int,
    fn: Callable[[C, list[T]], list[R]],
    chunks: Iterator[list[T]],
    context: C,
    preload: list[str],
    tasks_per_worker: int = TASKS_PER_WORKER,
) -> Iterator[R]:
    with ProcessPoolExecutor(
        workers,
        mp_context=_mp_context(preload),
        initializer=_init,
        initargs=(context,),
        max_tasks_per_child=tasks_per_worker,
    ) as pool:
        futures: Iterator[Future[list[R]]] = _windowed(
            lambda chunk: pool.submit(_pool_batch, fn, chunk), chunks, 2 * workers
        )
        for future in futures:
            yield from future.result()


def _on_dask(
    address: str, fn: Callable[[C, list[T]], list[R]], chunks: Iterator[list[T]], context: C
) -> Iterator[R]:
    try:
        from distributed import Client
    except ImportError:
        raise DaskNotInstalled() from None
    try:
        client = Client(address, timeout="10s", set_as_default=False)
    except (OSError, TimeoutError, ValueError) as err:
        raise ClusterUnavailable(address, str(err) or type(err).__name__) from None
    try:
        workers = max(1, len(client.scheduler_info().get("workers", {})))
        shared = client.scatter(context, broadcast=True, hash=False)  # once per worker
        futures = _windowed(
            lambda chunk: client.submit(fn, shared, chunk, pure=False),
            chunks,
            2 * workers,
        )
        for future in futures:
            yield from future.result()
            future.release()
    finally:
        client.close()


# The runner for work started deep inside a command (`load_case` refreshing the
# index, extraction), set by the CLI's --workers/--dask; None: this process.
RUNNER: ContextVar[Runner[Any] | None] = ContextVar("checker_runner", default=None)
