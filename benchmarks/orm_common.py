"""What every side of the ORM suite shares (stdlib only: Django's venv imports it too).

One side (FastJango, raw SQLAlchemy Core, Django) runs in one process:
``python <side script> --sqlite FILE`` prints a JSON object mapping each
operation to its median seconds, after checking each operation's result once.

Each operation runs once untimed (warm-up: statement caches, imports), then up
to ``repeat`` timed times, stopping early once ``budget`` seconds have passed
and at least ``MIN_REPEAT`` timings exist. A cleanup step (untimed) runs after
every repetition, so inserts always start from the same table. The garbage
collector stays on, as in a server; no forced collection between repetitions
(a full collection walks every object and leaves the CPU caches cold: the next
repetition then measures 2-3x slower than a server would run it).
"""

from __future__ import annotations

import argparse
import asyncio
import inspect
import json
import statistics
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any

from benchmarks.apps.data import AUTHORS, PAGE, WORLD_ROWS, world_row, world_rows

MIN_REPEAT = 3

#: operation name -> what it does; the same on every side
OPERATIONS = {
    "fetch_20": "fetch 20 rows",
    "fetch_1000": "fetch 1,000 rows",
    "join_20": "select_related join, 20 rows",
    "join_1000": "select_related join, 1,000 rows",
    "insert_bulk": "insert 1,000 (bulk)",
    "insert_each": "insert 1,000 one by one (one transaction)",
    "fetch_20_async": "fetch 20 rows, async",
}

INSERTS = 1000
#: the id above which rows are the inserts' own, deleted after each repetition
SEEDED_MAX_ID = WORLD_ROWS
#: the rows the insert operations write (ids come from the database)
NEW_ROWS = [
    {k: v for k, v in row.items() if k != "id"}
    for row in world_rows(INSERTS, start=SEEDED_MAX_ID + 1)
]
CLEANUP_SQL = f"DELETE FROM bench_world WHERE id > {SEEDED_MAX_ID}"
COUNT_NEW_SQL = f"SELECT COUNT(*) FROM bench_world WHERE id > {SEEDED_MAX_ID}"


@dataclass
class Op:
    """One operation of one side.

    ``run`` is the timed call (a plain or a coroutine function); ``cleanup``
    runs untimed after each call; ``observe`` turns ``run``'s result (or, for
    writes, the table after it) into the tuples that ``verify`` checks. An
    async operation's ``aclose`` is awaited before its event loop ends.
    """

    run: Callable[[], Any]
    observe: Callable[[Any], list[tuple[Any, ...]]]
    cleanup: Callable[[], object] | None = None
    aclose: Callable[[], Awaitable[object]] | None = None

    @property
    def is_async(self) -> bool:
        return inspect.iscoroutinefunction(self.run)

    def in_loop(self, work: Callable[[], Awaitable[Any]]) -> Any:
        """Run ``work`` on a new event loop, then this operation's ``aclose``."""

        async def main() -> Any:
            try:
                return await work()
            finally:
                if self.aclose:
                    await self.aclose()

        return asyncio.run(main())


def expected(name: str) -> list[tuple[Any, ...]]:
    """Return what ``observe`` must give for operation ``name`` on a freshly seeded table."""
    if name in ("fetch_20", "fetch_20_async"):
        return [(i, world_row(i)["title"]) for i in range(1, PAGE + 1)]
    if name == "fetch_1000":
        return [(i, world_row(i)["title"]) for i in range(1, WORLD_ROWS + 1)]
    if name in ("join_20", "join_1000"):
        count = PAGE if name == "join_20" else WORLD_ROWS
        return [
            (i, world_row(i)["title"], f"Author {i % AUTHORS + 1}") for i in range(1, count + 1)
        ]
    if name in ("insert_bulk", "insert_each"):
        return [(INSERTS,)]
    raise KeyError(f"unknown operation {name!r}; known: {', '.join(OPERATIONS)}")


def verify(side: str, name: str, observed: Sequence[tuple[Any, ...]]) -> None:
    """Fail loudly when a side's operation does not give the expected rows."""
    want = expected(name)
    got = [tuple(row) for row in observed]
    if got != want:
        raise AssertionError(
            f"{side}: {name} gave {len(got)} rows, first {got[:2]!r}; expected {want[:2]!r}..."
        )


def measure(
    op: Callable[[], object],
    cleanup: Callable[[], object] | None = None,
    repeat: int = 30,
    budget: float = 2.0,
) -> float:
    """Return the median seconds of ``op`` over bounded repetitions."""
    op()
    if cleanup:
        cleanup()
    times: list[float] = []
    deadline = time.monotonic() + budget
    while len(times) < repeat and (len(times) < MIN_REPEAT or time.monotonic() < deadline):
        start = time.perf_counter()
        op()
        times.append(time.perf_counter() - start)
        if cleanup:
            cleanup()
    return statistics.median(times)


async def ameasure(
    op: Callable[[], Awaitable[object]], repeat: int = 30, budget: float = 2.0
) -> float:
    """Return the median seconds of the coroutine function ``op`` (on the running loop)."""
    await op()
    times: list[float] = []
    deadline = time.monotonic() + budget
    while len(times) < repeat and (len(times) < MIN_REPEAT or time.monotonic() < deadline):
        start = time.perf_counter()
        await op()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def loop_for(op: Callable[[], object], cleanup: Callable[[], object] | None, seconds: float) -> int:
    """Run ``op`` (and ``cleanup``) over and over for ``seconds``; return how many times."""
    count = 0
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        op()
        if cleanup:
            cleanup()
        count += 1
    return count


def time_side(
    side: str, ops: dict[str, Op], names: Sequence[str], repeat: int, budget: float
) -> dict[str, float]:
    """Check each operation's result once, then return its median seconds."""
    timings: dict[str, float] = {}
    for name in names:
        op = ops[name]
        result = op.in_loop(op.run) if op.is_async else op.run()
        verify(side, name, op.observe(result))
        if op.cleanup:
            op.cleanup()
        if op.is_async:
            timings[name] = op.in_loop(lambda op=op: ameasure(op.run, repeat, budget))
        else:
            timings[name] = measure(op.run, op.cleanup, repeat, budget)
    return timings


def side_main(side: str, build: Callable[[str], dict[str, Op]], argv: Sequence[str]) -> None:
    """Command line of a side: time operations (JSON on stdout) or loop one for a profiler."""
    parser = argparse.ArgumentParser(description=f"ORM suite, {side} side")
    parser.add_argument("--sqlite", required=True, help="the seeded SQLite file")
    parser.add_argument("--ops", nargs="*", default=list(OPERATIONS), choices=list(OPERATIONS))
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--budget", type=float, default=2.0, help="seconds per operation")
    parser.add_argument("--loop", choices=list(OPERATIONS), help="run one operation over and over")
    parser.add_argument("--seconds", type=float, default=5.0, help="how long --loop runs")
    args = parser.parse_args(argv)
    ops = build(args.sqlite)
    if args.loop:
        op = ops[args.loop]
        if op.is_async:

            async def repeat_async() -> int:
                count = 0
                deadline = time.monotonic() + args.seconds
                while time.monotonic() < deadline:
                    await op.run()
                    count += 1
                return count

            count = op.in_loop(repeat_async)
        else:
            count = loop_for(op.run, op.cleanup, args.seconds)
        print(json.dumps({"op": args.loop, "count": count}))
        return
    print(json.dumps(time_side(side, ops, args.ops, args.repeat, args.budget)))
