"""Raw FastAPI with SQLAlchemy 2.0 Core: the floor for "FastAPI performance".

``/db`` and ``/html`` are ``async def`` on the async engine; ``/db-sync`` and
``/html-sync`` are plain ``def`` endpoints (FastAPI runs them in its threadpool)
on the sync engine, the counterpart of FastJango's sync views.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from sqlalchemy.ext.asyncio import create_async_engine

from benchmarks.apps.data import JSON_MESSAGE, PAGE, sqlalchemy_urls
from benchmarks.apps.tables import world

_sync_url, _async_url = sqlalchemy_urls()
engine = sa.create_engine(_sync_url)
async_engine = create_async_engine(_async_url)
templates = Jinja2Templates(directory=str(Path(__file__).parent))


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    yield
    await async_engine.dispose()
    engine.dispose()


app = FastAPI(lifespan=lifespan)


def _page() -> sa.Select[Any]:
    return sa.select(world).order_by(world.c.id).limit(PAGE)


@app.get("/json")
async def json_endpoint() -> dict[str, str]:
    return JSON_MESSAGE


@app.get("/db")
async def db_endpoint() -> list[dict[str, Any]]:
    async with async_engine.connect() as conn:
        result = await conn.execute(_page())
        return [dict(row) for row in result.mappings()]


@app.get("/html", response_class=HTMLResponse)
async def html_endpoint(request: Request) -> HTMLResponse:
    async with async_engine.connect() as conn:
        rows = (await conn.execute(_page())).all()
    return templates.TemplateResponse(request, "rows.html", {"rows": rows})


@app.get("/db-sync")
def db_sync() -> list[dict[str, Any]]:
    with engine.connect() as conn:
        return [dict(row) for row in conn.execute(_page()).mappings()]


@app.get("/html-sync", response_class=HTMLResponse)
def html_sync(request: Request) -> HTMLResponse:
    with engine.connect() as conn:
        rows = conn.execute(_page()).all()
    return templates.TemplateResponse(request, "rows.html", {"rows": rows})
