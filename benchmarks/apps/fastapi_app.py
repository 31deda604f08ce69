"""Raw FastAPI: the floor for "FastAPI performance"."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from benchmarks.apps.data import JSON_MESSAGE, ROWS

app = FastAPI()
templates = Jinja2Templates(directory=str(Path(__file__).parent))


@app.get("/json")
async def json_endpoint() -> dict[str, str]:
    return JSON_MESSAGE


@app.get("/html", response_class=HTMLResponse)
async def html_endpoint(request: Request) -> HTMLResponse:
    return templates.TemplateResponse(request, "rows.html", {"rows": ROWS})
