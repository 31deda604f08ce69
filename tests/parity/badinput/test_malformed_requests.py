"""Malformed requests get Django's 4xx answer, never a 500, with DEBUG on or off.

Requests go in as an ASGI server hands them over (raw scope and body
messages), so nothing the test client normalises hides a problem.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from typing import Any

import pytest

from fastjango.core.asgi import get_asgi_application
from fastjango.test import override_settings

pytestmark = pytest.mark.anyio

Message = dict[str, Any]
FORM = b"application/x-www-form-urlencoded"
MULTIPART = b"multipart/form-data; boundary=xyz"


@pytest.fixture(params=[False, True], ids=["production", "debug"])
def debug(request: pytest.FixtureRequest) -> bool:
    return bool(request.param)


@pytest.fixture
async def app(debug: bool) -> AsyncIterator[Any]:
    with override_settings(
        ROOT_URLCONF="tests.parity.badinput.urls",
        DEBUG=debug,
        ALLOWED_HOSTS=["testserver"],
        DATA_UPLOAD_MAX_MEMORY_SIZE=1000,
        DATA_UPLOAD_MAX_NUMBER_FIELDS=10,
        MIDDLEWARE=[
            "fastjango.middleware.security.SecurityMiddleware",
            "fastjango.middleware.common.CommonMiddleware",
        ],
    ):
        yield get_asgi_application(run_checks=False)


@pytest.fixture(autouse=True)
def quiet_logs(caplog: pytest.LogCaptureFixture) -> None:
    # 400s are logged on fastjango.security.*; keep them out of the test output.
    caplog.set_level(logging.CRITICAL)


async def call(
    app: Any,
    *,
    method: str = "GET",
    path: str = "/echo/",
    query: bytes = b"",
    headers: list[tuple[bytes, bytes]] | None = None,
    chunks: list[bytes] | None = None,
    host: bytes | None = b"testserver",
) -> tuple[int, bytes]:
    header_list = list(headers or [])
    if host is not None:
        header_list.insert(0, (b"host", host))
    body_chunks = chunks if chunks is not None else [b""]
    if chunks and not any(
        name in (b"content-length", b"transfer-encoding") for name, _ in header_list
    ):
        header_list.append((b"content-length", str(sum(map(len, chunks))).encode()))
    scope = {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.3"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode("utf-8", "surrogateescape"),
        "root_path": "",
        "query_string": query,
        "headers": header_list,
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
    }
    messages: list[Message] = [
        {"type": "http.request", "body": chunk, "more_body": index < len(body_chunks) - 1}
        for index, chunk in enumerate(body_chunks)
    ]

    async def receive() -> Message:
        return messages.pop(0) if messages else {"type": "http.disconnect"}

    status = 0
    body = b""

    async def send(message: Message) -> None:
        nonlocal status, body
        if message["type"] == "http.response.start":
            status = message["status"]
        else:
            body += message.get("body", b"")

    await app(scope, receive, send)
    return status, body


def multipart(*parts: bytes) -> list[bytes]:
    return [b"".join(parts)]


@pytest.mark.parametrize(
    "host",
    [b"evil.com", b"exa mple.com", b"[::1", b"t\xebst", b"testserver:abc", b"", b"a" * 300],
)
async def test_bad_host_is_400(app: Any, debug: bool, host: bytes) -> None:
    status, body = await call(app, host=host)
    assert status == 400
    assert debug or b"Traceback" not in body  # DEBUG shows Django's technical page


async def test_no_host_header_uses_the_server_name(app: Any) -> None:
    assert (await call(app, host=None))[0] == 200


@pytest.mark.parametrize(
    "query",
    [b"a=%ff%fe", b"a=\xff", "a=é".encode(), b"a=1&&&b", b"a", b"=x", b"%", b"a=%zz", b";;&;"],
)
async def test_odd_query_strings_are_read_leniently(app: Any, query: bytes) -> None:
    status, _ = await call(app, query=query)
    assert status == 200


async def test_too_many_query_fields_is_400(app: Any, debug: bool) -> None:
    status, body = await call(app, query=b"&".join(b"f%d=1" % i for i in range(11)))
    assert status == 400
    assert debug or b"Traceback" not in body  # DEBUG shows Django's technical page


@pytest.mark.parametrize(
    "cookie",
    [b'a=b; ;; =;c="d', b"\x00\x01=\x02", b"a=\xff", b";", b"=", b"a=" + b"x" * 5000],
)
async def test_bad_cookies_never_fail(app: Any, cookie: bytes) -> None:
    assert (await call(app, headers=[(b"cookie", cookie)]))[0] == 200


@pytest.mark.parametrize(
    "path",
    ["/echo/\udcff", "/item/\ufffd/", "/item/" + "9" * 5000 + "/", "/item/-1/", "//echo/", "/%"],
)
async def test_undecodable_or_odd_paths_are_404(app: Any, debug: bool, path: str) -> None:
    status, body = await call(app, path=path)
    assert status == 404
    assert debug or b"Traceback" not in body  # DEBUG shows Django's technical page


async def test_huge_bodies_are_400(app: Any) -> None:
    announced = await call(
        app,
        method="POST",
        path="/body/",
        headers=[(b"content-type", b"text/plain")],
        chunks=[b"x" * 1001],
    )
    assert announced[0] == 400
    chunked = await call(
        app,
        method="POST",
        path="/body/",
        headers=[(b"content-type", b"text/plain"), (b"transfer-encoding", b"chunked")],
        chunks=[b"x" * 600, b"x" * 600],
    )
    assert chunked[0] == 400
    form = await call(
        app, method="POST", headers=[(b"content-type", FORM)], chunks=[b"a=" + b"x" * 1000]
    )
    assert form[0] == 400


async def test_too_many_form_fields_is_400(app: Any) -> None:
    for path in ("/echo/", "/async-echo/"):
        body = b"&".join(b"f%d=1" % i for i in range(11))
        status, _ = await call(
            app, method="POST", path=path, headers=[(b"content-type", FORM)], chunks=[body]
        )
        assert status == 400


async def test_urlencoded_form_in_another_charset_is_400(app: Any) -> None:
    status, _ = await call(
        app,
        method="POST",
        headers=[(b"content-type", FORM + b"; charset=latin-1")],
        chunks=[b"a=1"],
    )
    assert status == 400


async def test_undecodable_form_values_are_replaced(app: Any) -> None:
    status, body = await call(
        app, method="POST", headers=[(b"content-type", FORM)], chunks=[b"a=1&b=%ff"]
    )
    assert status == 200 and b'"b":"\xef\xbf\xbd"' in body


@pytest.mark.parametrize(
    ("content_type", "chunks"),
    [
        (b"multipart/form-data", [b"garbage"]),
        (b'multipart/form-data; boundary=""', [b"garbage"]),
        (MULTIPART, [b"garbage"]),
        (MULTIPART, [b'--xyz\r\nContent-Disposition: form-data; name="a"\r\n\r\nunterminated']),
        (b"multipart/form-data; boundary=" + b"x" * 100, [b"--x"]),
    ],
)
async def test_broken_multipart_is_400(
    app: Any, debug: bool, content_type: bytes, chunks: list[bytes]
) -> None:
    for path in ("/echo/", "/async-echo/"):
        status, body = await call(
            app, method="POST", path=path, headers=[(b"content-type", content_type)], chunks=chunks
        )
        assert status == 400, (path, content_type)
        assert debug or b"Traceback" not in body  # DEBUG shows Django's technical page


async def test_multipart_part_without_a_name_is_skipped(app: Any) -> None:
    status, body = await call(
        app,
        method="POST",
        headers=[(b"content-type", MULTIPART)],
        chunks=[b"--xyz\r\n\r\nvalue\r\n--xyz--\r\n"],
    )
    assert status == 200 and b'"POST":{}' in body


async def test_negative_content_length_multipart_is_400(app: Any) -> None:
    status, _ = await call(
        app,
        method="POST",
        headers=[(b"content-type", MULTIPART), (b"content-length", b"-5")],
        chunks=[b"--xyz--\r\n"],
    )
    assert status == 400


async def test_unparseable_content_length_is_not_a_500(app: Any) -> None:
    status, body = await call(
        app,
        method="POST",
        path="/body/",
        headers=[(b"content-type", b"text/plain"), (b"content-length", b"abc")],
        chunks=[b"xyz"],
    )
    assert (status, body) == (200, b"xyz")


async def test_odd_headers_and_methods(app: Any) -> None:
    assert (await call(app, headers=[(b"accept", b";;;q=abc,,/")]))[0] == 200
    assert (await call(app, headers=[(b"x_forwarded_host", b"evil.com")]))[0] == 200
    assert (await call(app, method="BREW"))[0] == 200
    assert (await call(app, headers=[(b"content-type", b";;=;")]))[0] == 200
