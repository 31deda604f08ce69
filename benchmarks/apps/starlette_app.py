"""Raw Starlette: the floor for framework overhead."""

from __future__ import annotations

from pathlib import Path

import jinja2
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse
from starlette.routing import Route

from benchmarks.apps.data import JSON_MESSAGE, ROWS

_env = jinja2.Environment(
    loader=jinja2.FileSystemLoader(str(Path(__file__).parent)), autoescape=True
)
_template = _env.get_template("rows.html")


async def json_endpoint(request: Request) -> JSONResponse:
    return JSONResponse(JSON_MESSAGE)


async def html_endpoint(request: Request) -> HTMLResponse:
    return HTMLResponse(_template.render(rows=ROWS))


app = Starlette(routes=[Route("/json", json_endpoint), Route("/html", html_endpoint)])
