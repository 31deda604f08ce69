"""The pages shown only when ``DEBUG`` is on: the technical 500 and 404 pages.

Clients that don't accept HTML (``curl``, API clients) get the same report as plain
text. Values whose names look secret (settings, request headers, form fields,
local variables) are replaced by ``CLEANSED_SUBSTITUTE``; cookie values are never
shown.
"""

from __future__ import annotations

import html
import linecache
import re
import sys
import traceback
from collections.abc import Iterator
from types import ModuleType, TracebackType
from typing import TYPE_CHECKING, Any

import fastjango
from fastjango.conf import settings

if TYPE_CHECKING:
    from fastjango.http import HttpRequest, HttpResponse

__all__ = [
    "CLEANSED_SUBSTITUTE",
    "HIDDEN_SETTINGS",
    "cleanse_setting",
    "default_urlconf",
    "technical_404_response",
    "technical_500_response",
]

HIDDEN_SETTINGS = re.compile("API|AUTH|TOKEN|KEY|SECRET|PASS|SIGNATURE|HTTP_COOKIE", flags=re.I)
CLEANSED_SUBSTITUTE = "********************"
_CONTEXT_LINES = 7
_REPR_LIMIT = 4096

_STYLE = """
body{font:14px/1.4 system-ui,sans-serif;margin:0;color:#222}
header{padding:16px 24px;background:#ffc;border-bottom:1px solid #ddd}
h1{margin:0 0 8px;font-size:22px}h2{font-size:17px;margin:24px 0 8px}
section{padding:8px 24px}pre{background:#f6f6f6;padding:8px;overflow:auto;margin:0}
table{border-collapse:collapse;width:100%}td,th{text-align:left;vertical-align:top;
padding:2px 8px;border-bottom:1px solid #eee;font-family:monospace;font-size:12px}
.frame{margin:12px 0;border:1px solid #e5e5e5}.frame h3{margin:0;padding:6px 8px;
background:#eee;font-size:13px;font-family:monospace}.current{background:#fdd}
.lib h3{background:#f6f6f6;color:#777}footer{padding:16px 24px;color:#777}
"""


def cleanse_setting(key: Any, value: Any) -> Any:
    """Return ``value`` with secrets replaced, for settings whose name looks sensitive.

    Dicts are cleansed key by key, lists and tuples item by item.
    """
    if isinstance(key, str) and HIDDEN_SETTINGS.search(key):
        return CLEANSED_SUBSTITUTE
    if isinstance(value, dict):
        return {k: cleanse_setting(k, v) for k, v in value.items()}
    if isinstance(value, list):
        return [cleanse_setting("", v) for v in value]
    if isinstance(value, tuple):
        return tuple(cleanse_setting("", v) for v in value)
    return value


def _safe_repr(value: Any) -> str:
    try:
        text = repr(value)
    except Exception as exc:  # a broken __repr__ must not break the error page
        text = f"<unrepresentable {type(value).__name__}: {exc!r}>"
    if len(text) > _REPR_LIMIT:
        text = text[:_REPR_LIMIT] + f"… <trimmed {len(text)} bytes string>"
    return text


def _exception_chain(exc: BaseException | None) -> list[BaseException]:
    """Return ``exc`` and the exceptions it came from, oldest first, as Python prints them."""
    chain: list[BaseException] = []
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        chain.append(exc)
        seen.add(id(exc))
        if exc.__cause__ is not None:
            exc = exc.__cause__
        elif exc.__suppress_context__:
            exc = None
        else:
            exc = exc.__context__
    return list(reversed(chain))


def _frames(tb: TracebackType | None) -> Iterator[dict[str, Any]]:
    package_dir = fastjango.__path__[0]
    while tb is not None:
        frame = tb.tb_frame
        if frame.f_locals.get("__traceback_hide__"):
            tb = tb.tb_next
            continue
        filename = frame.f_code.co_filename
        lineno = tb.tb_lineno
        start = max(1, lineno - _CONTEXT_LINES)
        lines = [
            (n, linecache.getline(filename, n).rstrip("\n"))
            for n in range(start, lineno + _CONTEXT_LINES + 1)
        ]
        yield {
            "filename": filename,
            "function": frame.f_code.co_name,
            "lineno": lineno,
            "lines": [(n, text) for n, text in lines if text or n <= lineno],
            "locals": {k: cleanse_setting(k, v) for k, v in frame.f_locals.items()},
            "is_library": filename.startswith(package_dir) or "site-packages" in filename,
        }
        tb = tb.tb_next


def _table(rows: dict[str, Any]) -> str:
    if not rows:
        return "<p>No data.</p>"
    cells = "".join(
        f"<tr><td>{html.escape(str(k))}</td><td><pre>{html.escape(_safe_repr(v))}</pre></td></tr>"
        for k, v in sorted(rows.items(), key=lambda item: str(item[0]))
    )
    return f"<table>{cells}</table>"


def _cleansed_items(source: Any) -> dict[str, Any]:
    items = dict(source.lists()) if hasattr(source, "lists") else dict(source)
    return {k: cleanse_setting(k, v) for k, v in items.items()}


def _request_sections(request: HttpRequest) -> dict[str, dict[str, Any]]:
    sections: dict[str, dict[str, Any]] = {"GET": _cleansed_items_of(request, "GET")}
    # POST is only shown when already parsed: parsing here could fail again.
    if "_post" in request.__dict__ and not getattr(request, "_post_parse_error", False):
        sections["POST"] = _cleansed_items_of(request, "POST")
    try:
        cookies = dict(request.COOKIES)
    except Exception:
        cookies = {}
    sections["COOKIES"] = {name: CLEANSED_SUBSTITUTE for name in cookies}
    sections["META"] = _cleansed_items_of(request, "META")
    return sections


def _cleansed_items_of(request: HttpRequest, attribute: str) -> dict[str, Any]:
    try:
        source = getattr(request, attribute)
    except Exception:  # the request itself may be what is broken
        return {}
    return _cleansed_items(source)


def _settings_dict() -> dict[str, Any]:
    return {
        name: cleanse_setting(name, getattr(settings, name, None))
        for name in dir(settings._wrapped)
        if name.isupper()
    }


def _page(title: str, summary: str, body: str, status_code: int) -> HttpResponse:
    from fastjango.http import HttpResponse

    content = (
        f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><meta name='robots' "
        f"content='NONE,NOARCHIVE'><title>{html.escape(title)}</title><style>{_STYLE}</style>"
        f"</head><body><header>{summary}</header>{body}<footer>You're seeing this error because "
        "you have <code>DEBUG = True</code> in your FastJango settings file. Change that to "
        "<code>False</code>, and FastJango will display a standard page.</footer></body></html>"
    )
    return HttpResponse(
        _encode(content), status=status_code, content_type="text/html; charset=utf-8"
    )


def _encode(text: str) -> bytes:
    # A path or a local may hold lone surrogates (undecodable bytes in a URL): show
    # them escaped rather than fail to build the page that explains the error.
    return text.encode("utf-8", "backslashreplace")


def _accepts_html(request: HttpRequest) -> bool:
    try:
        return bool(request.accepts("text/html"))
    except Exception:
        return True


def _request_path(request: HttpRequest) -> str:
    return request.path or "/"


def technical_500_response(
    request: HttpRequest,
    exc_type: type[BaseException] | None,
    exc_value: BaseException | None,
    tb: TracebackType | None,
    status_code: int = 500,
) -> HttpResponse:
    """Return the debug page for an exception: traceback, locals, request and settings."""
    from fastjango.http import HttpResponse

    if exc_type is None and exc_value is not None:
        exc_type = type(exc_value)
    name = exc_type.__name__ if exc_type else "Report"
    message = str(exc_value) if exc_value is not None else "No exception message supplied"
    path = _request_path(request)
    if not _accepts_html(request):
        text = "".join(traceback.format_exception(exc_type, exc_value, tb)) if exc_type else ""
        return HttpResponse(
            _encode(f"{name} at {path}\n{message}\n\n{text}"),
            status=status_code,
            content_type="text/plain; charset=utf-8",
        )
    # Newest first; each earlier exception of the chain follows with its own frames.
    chain: list[BaseException | None] = [*reversed(_exception_chain(exc_value))] or [None]
    frame_html = []
    for position, exc in enumerate(chain):
        exc_tb = tb if position == 0 or exc is None else exc.__traceback__
        if position:
            frame_html.append(
                f"<h3>Which happened while handling {html.escape(type(exc).__name__)}: "
                f"{html.escape(str(exc))}</h3>"
            )
        for frame in reversed(list(_frames(exc_tb))):
            code = "".join(
                f"<div class='{'current' if n == frame['lineno'] else ''}'><pre>{n:>5} "
                f"{html.escape(text)}</pre></div>"
                for n, text in frame["lines"]
            )
            frame_html.append(
                f"<div class='frame{' lib' if frame['is_library'] else ''}'><h3>"
                f"{html.escape(frame['filename'])}, line {frame['lineno']}, in "
                f"{html.escape(frame['function'])}</h3>{code}"
                f"<details><summary>Local vars</summary>{_table(frame['locals'])}</details></div>"
            )
    summary = (
        f"<h1>{html.escape(name)} at {html.escape(path)}</h1>"
        f"<pre>{html.escape(message)}</pre>"
        f"<p>Request Method: {html.escape(request.method or '')} · FastJango "
        f"{fastjango.get_version()} · Python {sys.version.split()[0]}</p>"
    )
    request_html = "".join(
        f"<h3>{title}</h3>{_table(rows)}" for title, rows in _request_sections(request).items()
    )
    body = (
        f"<section><h2>Traceback (most recent call first)</h2>{''.join(frame_html)}</section>"
        f"<section><h2>Request information</h2>{request_html}</section>"
        f"<section><h2>Settings</h2>{_table(_settings_dict())}</section>"
    )
    return _page(f"{name} at {path}", summary, body, status_code)


def _urlconf_name(request: HttpRequest) -> str:
    urlconf = getattr(request, "urlconf", None) or settings.ROOT_URLCONF
    if isinstance(urlconf, ModuleType):
        return urlconf.__name__
    return str(urlconf)


def _raised_by(request: HttpRequest) -> str | None:
    match = getattr(request, "resolver_match", None)
    if match is None:
        return None
    func = match.func
    func = getattr(func, "view_class", func)
    module = getattr(func, "__module__", None)
    name = getattr(func, "__qualname__", None) or type(func).__qualname__
    return f"{module}.{name}" if module else name


def technical_404_response(request: HttpRequest, exception: BaseException) -> HttpResponse:
    """Return the debug 404 page, listing the URL patterns that were tried.

    With an empty urlconf it is the "install worked" welcome page instead.
    """
    from fastjango.http import HttpResponse

    detail = exception.args[0] if exception.args else None
    path = request.path_info.lstrip("/")
    tried: list[Any] = []
    resolved = not (isinstance(detail, dict) and "tried" in detail)
    if resolved:
        reason = str(exception) if exception.args else None
    else:
        assert isinstance(detail, dict)
        tried = list(detail.get("tried") or [])
        path = str(detail.get("path", path))
        reason = None
        if not tried:
            return default_urlconf(request)
    raised_by = _raised_by(request) if resolved else None
    url = request.build_absolute_uri()
    if not _accepts_html(request):
        lines = [f"Page not found (404)\nRequest Method: {request.method}\nRequest URL: {url}"]
        if raised_by:
            lines.append(f"Raised by: {raised_by}")
        if tried:
            lines.append(f"Using the URLconf defined in {_urlconf_name(request)}, FastJango tried:")
            lines.extend(" ".join(_pattern_text(p) for p in entry) for entry in tried)
            lines.append(f"The current path, {path}, didn't match any of these.")
        else:
            lines.append(reason or "No URL pattern matched.")
        return HttpResponse(
            _encode("\n".join(lines)), status=404, content_type="text/plain; charset=utf-8"
        )
    patterns = "".join(
        "<li><code>"
        + html.escape(" ".join(_pattern_text(p) for p in pattern_list))
        + "</code></li>"
        for pattern_list in tried
    )
    if tried:
        explanation = (
            f"<p>Using the URLconf defined in <code>{html.escape(_urlconf_name(request))}"
            f"</code>, FastJango tried these URL patterns, in this order:</p><ol>{patterns}</ol>"
            f"<p>The current path, <code>{html.escape(path)}</code>, didn't match any of these.</p>"
        )
    else:
        explanation = f"<p>{html.escape(reason or 'No URL pattern matched.')}</p>"
    raised = f" · Raised by: <code>{html.escape(raised_by)}</code>" if raised_by else ""
    summary = (
        "<h1>Page not found <span>(404)</span></h1>"
        f"<p>Request Method: {html.escape(request.method or '')} · Request URL: "
        f"{html.escape(url)}{raised}</p>"
    )
    return _page(
        "Page not found at " + _request_path(request),
        summary,
        f"<section>{explanation}</section>",
        404,
    )


def _pattern_text(pattern: Any) -> str:
    return str(getattr(pattern, "pattern", pattern))


def default_urlconf(request: HttpRequest) -> HttpResponse:
    """Return the welcome page of a new project whose urlconf has no patterns yet."""
    from fastjango.http import HttpResponse

    docs = settings.DOCS_URL
    docs_link = (
        f" Your API docs are at <a href='{html.escape(docs)}'>{html.escape(docs)}</a>."
        if docs
        else ""
    )
    content = (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>FastJango: the "
        f"install worked successfully!</title><style>{_STYLE}</style></head><body><header><h1>"
        "The install worked successfully! Congratulations!</h1></header><section><p>You are "
        f"seeing this page because <code>DEBUG = True</code> is in your settings file and you "
        f"have not configured any URLs.{docs_link}</p></section></body></html>"
    )
    return HttpResponse(content, content_type="text/html; charset=utf-8")
