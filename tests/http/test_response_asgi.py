from __future__ import annotations

import threading
from collections.abc import AsyncIterator, Iterator, MutableMapping
from pathlib import Path
from typing import Any

import anyio
import httpx
import pytest

from fastjango.http import (
    FileResponse,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    HttpResponseNotModified,
    HttpResponseRedirect,
    JsonResponse,
    StreamingHttpResponse,
)
from fastjango.http import response as response_module
from tests.http.asgi import make_scope, multipart_body

pytestmark = pytest.mark.anyio

Message = MutableMapping[str, Any]


def serve(response: HttpResponseBase) -> httpx.AsyncClient:
    """Return a client whose every request is answered with ``response``."""

    async def app(scope: Any, receive: Any, send: Any) -> None:
        await response(scope, receive, send)

    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver")


class Recorder:
    """An ASGI channel pair that records what the app sends."""

    def __init__(self, disconnect: bool = False) -> None:
        self.messages: list[Message] = []
        self.disconnect = disconnect

    async def receive(self) -> Message:
        if self.disconnect:
            return {"type": "http.disconnect"}
        await anyio.sleep_forever()
        raise AssertionError("unreachable")

    async def send(self, message: Message) -> None:
        self.messages.append(message)

    @property
    def start(self) -> Message:
        return self.messages[0]

    @property
    def body(self) -> bytes:
        return b"".join(m.get("body", b"") for m in self.messages[1:])


async def test_http_response_over_asgi() -> None:
    response = HttpResponse("caf\xe9", status=201, headers={"X-Custom": "yes"})
    response.set_cookie("a", "1")
    response.set_cookie("b", "2", httponly=True)
    async with serve(response) as client:
        reply = await client.get("/")
    assert reply.status_code == 201
    assert reply.content == "caf\xe9".encode()
    assert reply.headers["content-type"] == "text/html; charset=utf-8"
    assert reply.headers["content-length"] == "5"
    assert reply.headers["x-custom"] == "yes"
    assert reply.headers.get_list("set-cookie") == ["a=1; Path=/", "b=2; HttpOnly; Path=/"]
    assert response.closed


async def test_raw_asgi_messages() -> None:
    response = HttpResponse(["a", "b"], headers={"Content-Length": "2"})
    recorder = Recorder()
    await response(make_scope(), recorder.receive, recorder.send)
    assert recorder.start == {
        "type": "http.response.start",
        "status": 200,
        "headers": [(b"content-length", b"2"), (b"content-type", b"text/html; charset=utf-8")],
    }
    assert recorder.messages[1] == {"type": "http.response.body", "body": b"ab"}


async def test_head_gets_headers_but_no_body() -> None:
    recorder = Recorder()
    await HttpResponse("hello")(make_scope(method="HEAD"), recorder.receive, recorder.send)
    assert (b"content-length", b"5") in recorder.start["headers"]
    assert recorder.body == b""

    consumed: list[str] = []

    def gen() -> Iterator[bytes]:
        consumed.append("started")
        yield b"never"

    class Closable:
        closed = False

        def __iter__(self) -> Iterator[bytes]:
            return gen()

        def close(self) -> None:
            self.closed = True

    source = Closable()
    recorder = Recorder()
    streaming = StreamingHttpResponse(source)
    await streaming(make_scope(method="HEAD"), recorder.receive, recorder.send)
    assert recorder.body == b"" and consumed == []
    assert source.closed


async def test_no_content_length_without_a_body() -> None:
    for response in (HttpResponse(status=204), HttpResponseNotModified(), HttpResponse(status=101)):
        recorder = Recorder()
        await response(make_scope(), recorder.receive, recorder.send)
        assert b"content-length" not in dict(recorder.start["headers"])


async def test_redirect_and_json_over_asgi() -> None:
    async with serve(HttpResponseRedirect("/next/")) as client:
        reply = await client.get("/")
    assert (reply.status_code, reply.headers["location"]) == (302, "/next/")
    async with serve(JsonResponse({"ok": True})) as client:
        reply = await client.get("/")
    assert reply.json() == {"ok": True}
    assert reply.headers["content-type"] == "application/json"


async def test_sync_iterators_run_in_the_threadpool() -> None:
    loop_thread = threading.get_ident()
    threads: list[int] = []

    def gen() -> Iterator[Any]:
        for part in ("a", b"", b"b", 3):
            threads.append(threading.get_ident())
            yield part

    async with serve(StreamingHttpResponse(gen())) as client:
        reply = await client.get("/")
    assert reply.content == b"ab3"
    assert "content-length" not in reply.headers
    assert threads and all(t != loop_thread for t in threads)


async def test_async_iterators_stream_on_the_loop() -> None:
    async def gen() -> AsyncIterator[Any]:
        yield "x"
        yield b""
        yield b"y"

    recorder = Recorder()
    response = StreamingHttpResponse(gen(), content_type="text/plain")
    await response(make_scope(), recorder.receive, recorder.send)
    assert [m.get("more_body", False) for m in recorder.messages[1:]] == [True, True, False]
    assert recorder.body == b"xy"


async def test_streaming_stops_when_the_client_disconnects() -> None:
    produced = 0
    finished: list[bool] = []

    async def endless() -> AsyncIterator[bytes]:
        nonlocal produced
        try:
            while True:
                produced += 1
                yield b"tick"
                await anyio.sleep(0.01)
        finally:
            finished.append(True)

    recorder = Recorder(disconnect=True)
    response = StreamingHttpResponse(endless())
    with anyio.fail_after(5):
        await response(make_scope(), recorder.receive, recorder.send)
    assert response.closed
    assert produced < 10
    assert finished == [True]


async def test_asgi_2_4_servers_need_no_disconnect_listener() -> None:
    scope = make_scope()
    scope["asgi"]["spec_version"] = "2.4"

    async def receive() -> Message:
        raise AssertionError("receive must not be called")

    messages: list[Message] = []

    async def send(message: Message) -> None:
        messages.append(message)

    await StreamingHttpResponse([b"a", b"b"])(scope, receive, send)
    assert b"".join(m.get("body", b"") for m in messages[1:]) == b"ab"

    async def failing_send(message: Message) -> None:
        if message["type"] == "http.response.body":
            raise OSError("client gone")

    response = StreamingHttpResponse([b"a"])
    with pytest.raises(OSError, match="client gone"):
        await response(scope, receive, failing_send)
    assert response.closed


async def test_file_response_streams_in_blocks(tmp_path: Path) -> None:
    path = tmp_path / "big.bin"
    data = bytes(range(256)) * 1000  # 256 000 bytes
    path.write_bytes(data)
    fh = open(path, "rb")  # the response closes it
    response = FileResponse(fh, as_attachment=True)
    recorder = Recorder()
    await response(make_scope(), recorder.receive, recorder.send)
    headers = dict(recorder.start["headers"])
    assert headers[b"content-length"] == b"256000"
    assert headers[b"content-disposition"] == b'attachment; filename="big.bin"'
    assert recorder.body == data
    sizes = [len(m["body"]) for m in recorder.messages[1:-1]]
    assert sizes[0] == 64 * 1024 and len(sizes) == 4
    assert fh.closed
    iterable = FileResponse([b"from ", b"iterable"])
    recorder = Recorder()
    await iterable(make_scope(), recorder.receive, recorder.send)
    assert recorder.body == b"from iterable"


async def test_sending_closes_resources_without_request_finished() -> None:
    # The outermost request handler sends request_finished, once per request.
    received: list[Any] = []

    async def receiver(sender: Any, **kwargs: Any) -> None:
        received.append(sender)

    request_finished = vars(response_module)["signals"].request_finished
    request_finished.connect(receiver)
    closed: list[bool] = []
    try:
        response = HttpResponse("x")
        response._resource_closers.append(lambda: closed.append(True))
        recorder = Recorder()
        await response(make_scope(), recorder.receive, recorder.send)
    finally:
        request_finished.disconnect(receiver)
    assert received == []
    assert closed == [True] and response.closed


async def test_base_response_sends_an_empty_body() -> None:
    recorder = Recorder()
    await HttpResponseBase(status=202)(make_scope(), recorder.receive, recorder.send)
    assert recorder.start["status"] == 202
    assert recorder.body == b""


async def echo_app(scope: Any, receive: Any, send: Any) -> None:
    """A tiny app that uses HttpRequest the way the request handler does."""
    request = HttpRequest(scope, receive)
    await request._aread_body()
    try:
        files = {name: f.read().decode() for name, f in request.FILES.items()}
        response = JsonResponse(
            {
                "method": request.method,
                "path": request.path,
                "get": request.GET.dict(),
                "post": {k: v for k, v in request.POST.lists()},
                "files": files,
                "cookies": request.COOKIES,
                "host": request.get_host(),
                "secure": request.is_secure(),
            }
        )
    finally:
        request.close()
    await response(scope, receive, send)


async def test_end_to_end_request_and_response() -> None:
    transport = httpx.ASGITransport(app=echo_app)
    async with httpx.AsyncClient(
        transport=transport, base_url="http://testserver", cookies={"c": "v"}
    ) as client:
        reply = await client.post(
            "/echo/?q=1",
            data={"a": ["1", "2"]},
            files={"upload": ("a.txt", b"file body", "text/plain")},
        )
        assert reply.status_code == 200
        assert reply.json() == {
            "method": "POST",
            "path": "/echo/",
            "get": {"q": "1"},
            "post": {"a": ["1", "2"]},
            "files": {"upload": "file body"},
            "cookies": {"c": "v"},
            "host": "testserver",
            "secure": False,
        }
        body, content_type = multipart_body([("x", "y")])
        reply = await client.post("/", content=body, headers={"Content-Type": content_type})
        assert reply.json()["post"] == {"x": ["y"]}
        reply = await client.post("/", data={"k": "v"})
        assert reply.json()["post"] == {"k": ["v"]}
