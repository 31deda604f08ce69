"""The machinery of the network backends: per-loop async clients and outage logging."""

from __future__ import annotations

import asyncio
import gc
import logging

import pytest

from fastjango.core.cache.backends._network import PerLoop, ServerHealth


class Client:
    instances = 0

    def __init__(self) -> None:
        Client.instances += 1
        self.number = Client.instances
        self.closed = False


async def close(client: Client) -> None:
    await asyncio.sleep(0)  # closing awaits, as a real client's does
    client.closed = True


def test_one_value_per_loop_closed_when_the_loop_shuts_down() -> None:
    clients: PerLoop[Client] = PerLoop(Client, close)
    made: list[Client] = []

    async def use() -> None:
        first = await clients.get()
        assert await clients.get() is first
        assert clients.peek() is first
        made.append(first)

    asyncio.run(use())
    asyncio.run(use())
    assert made[0] is not made[1]
    # asyncio.run() shut each loop down, which closed its client.
    assert all(client.closed for client in made)
    assert len(clients) == 0
    assert clients.peek() is None  # no running loop


def test_aclose_closes_the_running_loops_value_only_once() -> None:
    clients: PerLoop[Client] = PerLoop(Client, close)

    async def use() -> None:
        await clients.aclose()  # nothing yet: no-op
        client = await clients.get()
        await clients.aclose()
        assert client.closed
        assert clients.peek() is None
        again = await clients.get()
        assert again is not client

    asyncio.run(use())
    assert len(clients) == 0


def test_values_of_loops_closed_without_shutdown_are_forgotten() -> None:
    clients: PerLoop[Client] = PerLoop(Client, close)
    loop = asyncio.new_event_loop()
    client = loop.run_until_complete(clients.get())
    loop.close()  # no shutdown_asyncgens(): nothing could close the client
    assert len(clients) == 1
    clients.forget_closed_loops()
    assert len(clients) == 0
    assert not client.closed
    gc.collect()  # the finished watcher must not ask the closed loop for anything

    async def use() -> None:
        await clients.get()

    # A new loop also drops what is left of closed ones.
    loop = asyncio.new_event_loop()
    loop.run_until_complete(clients.get())
    loop.close()
    asyncio.run(use())
    assert len(clients) == 0


def test_a_failing_close_at_shutdown_is_logged(caplog: pytest.LogCaptureFixture) -> None:
    async def broken_close(client: Client) -> None:
        raise OSError("connection already gone")

    clients: PerLoop[Client] = PerLoop(Client, broken_close)
    caplog.set_level(logging.DEBUG, logger="fastjango.cache")

    async def use() -> None:
        await clients.get()

    asyncio.run(use())
    assert "Closing a cache client at event loop shutdown failed" in caplog.text
    assert len(clients) == 0


def test_server_health_logs_each_change_once(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING, logger="fastjango.cache")
    health = ServerHealth("Test cache", ignore_errors=True)
    health.succeeded()
    assert caplog.records == []
    assert health.failed(OSError("refused")) is True
    assert health.failed(OSError("refused")) is True
    assert health.down
    health.succeeded()
    health.succeeded()
    assert not health.down
    messages = [record.getMessage() for record in caplog.records]
    assert messages == [
        "Test cache is unreachable (OSError: refused); cache reads miss and writes are "
        "skipped until it answers again.",
        "Test cache answers again; caching resumed.",
    ]
    strict = ServerHealth("Strict", ignore_errors=False)
    assert strict.failed(OSError("x")) is False
    assert not strict.down
