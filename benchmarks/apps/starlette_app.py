"""Raw Starlette with SQLAlchemy 2.0 Core on the async engine: the floor for framework overhead."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import jinja2
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import create_async_engine
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse
from starlette.routing import Route

from benchmarks.apps.data import JSON_MESSAGE, PAGE, sqlalchemy_urls
from benchmarks.apps.tables import world

_env = jinja2.Environment(
    loader=jinja2.FileSystemLoader(str(Path(__file__).parent)), autoescape=True
)
_template = _env.get_template("rows.html")
async_engine = create_async_engine(sqlalchemy_urls()[1])


async def json_endpoint(request: Request) -> JSONResponse:
    return JSONResponse(JSON_MESSAGE)


async def db_endpoint(request: Request) -> JSONResponse:
    async with async_engine.connect() as conn:
        result = await conn.execute(sa.select(world).order_by(world.c.id).limit(PAGE))
        return JSONResponse([dict(row) for row in result.mappings()])


async def html_endpoint(request: Request) -> HTMLResponse:
    async with async_engine.connect() as conn:
        result = await conn.execute(sa.select(world).order_by(world.c.id).limit(PAGE))
        rows = result.all()
    return HTMLResponse(_template.render(rows=rows))


@asynccontextmanager
async def lifespan(app: Starlette) -> AsyncIterator[None]:
    yield
    await async_engine.dispose()


app = Starlette(
    routes=[
        Route("/json", json_endpoint),
        Route("/db", db_endpoint),
        Route("/html", html_endpoint),
    ],
    lifespan=lifespan,
)
