"""The application: lifespan (checks, the project's lifespan, closing resources), signals."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator
from typing import Any

import anyio
import pytest
from fastapi import FastAPI

from fastjango.core import checks, signals
from fastjango.core.asgi import FastJangoApp, get_asgi_application
from fastjango.core.handlers.asgi import ASGIHandler
from fastjango.test import AsyncClient, Client, override_settings


async def run_lifespan(app: Any) -> list[dict[str, Any]]:
    """Start the app up and shut it down; return what it answered."""
    inbox = [{"type": "lifespan.startup"}, {"type": "lifespan.shutdown"}]
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return inbox.pop(0)

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)
        if message["type"] == "lifespan.startup.failed":
            inbox.clear()
            inbox.append({"type": "lifespan.shutdown"})

    scope = {"type": "lifespan", "asgi": {"version": "3.0"}, "state": {}}
    with contextlib.suppress(Exception):
        await app(scope, receive, send)
    return sent


def test_user_lifespan_runs_inside_fastjangos() -> None:
    events: list[str] = []

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[dict[str, str]]:
        events.append("start")
        yield {"resource": "ready"}
        events.append("stop")

    app = get_asgi_application(lifespan=lifespan, title="Custom")
    assert isinstance(app, FastJangoApp)
    assert app.title == "Custom"
    sent = anyio.run(run_lifespan, app)
    assert [m["type"] for m in sent] == ["lifespan.startup.complete", "lifespan.shutdown.complete"]
    assert events == ["start", "stop"]


def test_start_up_heap_is_frozen_while_serving() -> None:
    import gc

    frozen_while_serving: list[int] = []
    inbox = [{"type": "lifespan.startup"}, {"type": "lifespan.shutdown"}]

    async def receive() -> dict[str, Any]:
        if len(inbox) == 1:  # started up, about to be asked to shut down: serving
            frozen_while_serving.append(gc.get_freeze_count())
        return inbox.pop(0)

    async def send(message: dict[str, Any]) -> None:
        pass

    gc.unfreeze()
    app = get_asgi_application()
    scope = {"type": "lifespan", "asgi": {"version": "3.0"}, "state": {}}
    anyio.run(app, scope, receive, send)
    # What start-up built was kept out of the cyclic GC while the app served...
    assert frozen_while_serving and frozen_while_serving[0] > 1000
    # ...and handed back to it at shutdown.
    assert gc.get_freeze_count() == 0


def test_failing_system_check_stops_start_up(caplog: pytest.LogCaptureFixture) -> None:
    def failing(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
        return [
            checks.Error("broken on purpose", id="tests.E001"),
            checks.Warning("just a warning", id="tests.W001"),
            checks.Warning("silenced", id="tests.W002"),
        ]

    checks.register(failing)
    try:
        with override_settings(SILENCED_SYSTEM_CHECKS=["tests.W002"]):
            app = get_asgi_application()
            with caplog.at_level(logging.WARNING, logger="fastjango.server"):
                sent = anyio.run(run_lifespan, app)
            assert sent[0]["type"] == "lifespan.startup.failed"
            assert "broken on purpose" in sent[0]["message"]
            assert "SystemCheckError" in sent[0]["message"] or "System check" in sent[0]["message"]
            assert [r.getMessage() for r in caplog.records if "tests.W" in r.getMessage()] == [
                "?: (tests.W001) just a warning"
            ]
            skipped = anyio.run(run_lifespan, get_asgi_application(run_checks=False))
            assert skipped[0]["type"] == "lifespan.startup.complete"
    finally:
        del checks.registry.registered_checks[failing]


def test_caches_and_databases_are_closed_at_shutdown(monkeypatch: pytest.MonkeyPatch) -> None:
    import fastjango.core.cache as cache_module
    import fastjango.db as db_module

    closed: list[str] = []

    async def close_caches(**kwargs: Any) -> None:
        closed.append("caches")

    async def close_databases() -> None:
        closed.append("databases")

    monkeypatch.setattr(cache_module, "aclose_caches", close_caches)
    monkeypatch.setattr(db_module.connections, "aclose_all", close_databases)
    anyio.run(run_lifespan, get_asgi_application())
    assert closed == ["caches", "databases"]


def test_request_signals_sync_and_async_receivers() -> None:
    events: list[tuple[str, Any]] = []

    def started(sender: Any, **kwargs: Any) -> None:
        events.append(("started", sender))

    async def finished(sender: Any, **kwargs: Any) -> None:
        events.append(("finished", kwargs["scope"]["path"]))

    signals.request_started.connect(started)
    signals.request_finished.connect(finished)
    try:
        Client().get("/")
    finally:
        signals.request_started.disconnect(started)
        signals.request_finished.disconnect(finished)
    assert events == [("started", ASGIHandler), ("finished", "/")]


@pytest.mark.anyio
async def test_error_after_the_response_started_reaches_the_server(
    caplog: pytest.LogCaptureFixture,
) -> None:
    async def half_sent(scope: Any, receive: Any, send: Any) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": []})
        raise RuntimeError("mid-stream failure")

    handler = ASGIHandler(half_sent)
    sent: list[Any] = []

    async def send(message: Any) -> None:
        sent.append(message)

    scope = {"type": "http", "path": "/", "root_path": "", "headers": []}
    with caplog.at_level(logging.CRITICAL), pytest.raises(RuntimeError, match="mid-stream"):
        await handler(scope, None, send)  # type: ignore[arg-type]
    assert sent == [{"type": "http.response.start", "status": 200, "headers": []}]


@pytest.mark.anyio
async def test_async_client_through_lifespan_less_app() -> None:
    response = await AsyncClient().get("/template/")
    assert response.content == b"<p>sync</p>"


def test_missing_root_urlconf() -> None:
    from fastjango.core.exceptions import ImproperlyConfigured

    with override_settings(ROOT_URLCONF=None), pytest.raises(ImproperlyConfigured):
        get_asgi_application()
