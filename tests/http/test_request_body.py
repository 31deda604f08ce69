from __future__ import annotations

from typing import Any

import pytest

from fastjango.core.exceptions import (
    BadRequest,
    RequestAborted,
    RequestDataTooBig,
    TooManyFieldsSent,
)
from fastjango.http import HttpRequest, RawPostDataException, UnreadablePostError
from fastjango.test.utils import override_settings
from tests.http.asgi import body_headers, make_scope, read_request, receive_from

pytestmark = pytest.mark.anyio

FORM = "application/x-www-form-urlencoded"


async def test_body_before_reading_raises_a_clear_error() -> None:
    scope = make_scope(method="POST", headers=body_headers(b"a=1", FORM))
    request = HttpRequest(scope, receive_from([b"a=1"]))
    for access in (lambda: request.body, lambda: request.POST, lambda: request.read()):
        with pytest.raises(RuntimeError, match=r"await request\._aread_body\(\)"):
            access()
    await request._aread_body()
    assert request.body == b"a=1"
    assert request.POST["a"] == "1"


async def test_chunked_body_also_needs_reading() -> None:
    scope = make_scope(method="POST", headers=body_headers(b"x", chunked=True))
    request = HttpRequest(scope, receive_from([b"x"]))
    with pytest.raises(RuntimeError, match="has not been read"):
        request.body  # noqa: B018
    await request._aread_body()
    await request._aread_body()  # a second call does nothing
    assert request.body == b"x"


async def test_request_without_body_needs_no_reading() -> None:
    request = HttpRequest(make_scope(method="GET"), receive_from([]))
    assert request.body == b""
    assert request.POST == {} and request.FILES == {}
    # Reading afterwards (the handler always does) keeps the empty body.
    await request._aread_body()
    assert request.body == b""
    no_receive = HttpRequest(make_scope(method="GET"))
    await no_receive._aread_body()
    assert no_receive.body == b""


async def test_body_arrives_in_chunks() -> None:
    request = await read_request(b"0123456789", "text/plain", chunk_size=3)
    assert request.body == b"0123456789"
    assert request.body is request.body  # cached


async def test_client_disconnect_while_reading() -> None:
    scope = make_scope(method="POST", headers=body_headers(b"abcdef"))
    request = HttpRequest(scope, receive_from([b"abc"], disconnect_early=True))
    with pytest.raises(RequestAborted):
        await request._aread_body()


async def test_file_like_reading() -> None:
    request = await read_request(b"line 1\nline 2\nline 3", "text/plain")
    assert request.readline() == b"line 1\n"
    assert request.read(4) == b"line"
    assert list(request) == [b" 2\n", b"line 3"]
    with pytest.raises(RawPostDataException, match="after reading from request's data stream"):
        request.body  # noqa: B018
    # POST cannot be parsed from a consumed stream either: it is empty, as in Django.
    assert request.POST == {}

    request = await read_request(b"a\nb", "text/plain")
    assert request.readlines() == [b"a\n", b"b"]
    request = await read_request(b"abc", "text/plain")
    assert request.body == b"abc"
    assert request.read() == b"abc"  # the stream restarts on the cached body


async def test_stream_errors_become_unreadable_post_error() -> None:
    request = await read_request(b"abc", "text/plain")

    class Broken:
        def read(self, *args: object) -> bytes:
            raise OSError("connection reset")

        readline = read

    request._stream = Broken()  # type: ignore[assignment]
    with pytest.raises(UnreadablePostError, match="connection reset"):
        request.read()
    with pytest.raises(UnreadablePostError):
        request.readline()


async def test_urlencoded_post() -> None:
    request = await read_request(b"name=Ada&tags=a&tags=b&empty=", FORM)
    assert request.POST["name"] == "Ada"
    assert request.POST.getlist("tags") == ["a", "b"]
    assert request.POST["empty"] == ""
    assert request.FILES == {}
    with pytest.raises(AttributeError, match="immutable"):
        request.POST["x"] = "y"
    assert request.body == b"name=Ada&tags=a&tags=b&empty="


async def test_post_only_for_post_and_form_types() -> None:
    put = await read_request(b"a=1", FORM, method="PUT")
    assert put.POST == {} and put.body == b"a=1"
    json_post = await read_request(b'{"a": 1}', "application/json")
    assert json_post.POST == {} and json_post.body == b'{"a": 1}'


async def test_urlencoded_must_be_utf8() -> None:
    request = await read_request(b"a=1", FORM + "; charset=latin-1")
    with pytest.raises(BadRequest, match="must be UTF-8 encoded"):
        request.POST  # noqa: B018
    ok = await read_request(b"a=%C3%A9", FORM + "; charset=UTF-8")
    assert ok.POST["a"] == "\xe9"


async def test_post_can_be_replaced() -> None:
    request = await read_request(b"a=1", FORM)
    from fastjango.http import QueryDict

    request.POST = QueryDict("b=2")
    assert request.POST == {"b": ["2"]}
    request.encoding = "utf-8"  # forgets the parsed POST
    assert request.POST["a"] == "1"


async def test_too_many_urlencoded_fields() -> None:
    with override_settings(DATA_UPLOAD_MAX_NUMBER_FIELDS=2):
        request = await read_request(b"a=1&b=2&c=3", FORM)
        with pytest.raises(TooManyFieldsSent, match="DATA_UPLOAD_MAX_NUMBER_FIELDS"):
            request.POST  # noqa: B018


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=10)
async def test_body_size_limit_declared_and_actual() -> None:
    with pytest.raises(RequestDataTooBig, match="DATA_UPLOAD_MAX_MEMORY_SIZE"):
        await read_request(b"x" * 11, "text/plain")
    # A chunked body has no Content-Length: the limit applies while reading.
    with pytest.raises(RequestDataTooBig):
        await read_request(b"x" * 11, "text/plain", chunk_size=4, chunked=True)
    assert (await read_request(b"x" * 10, "text/plain")).body == b"x" * 10


async def test_body_size_limit_can_be_disabled() -> None:
    with override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=None):
        request = await read_request(b"x" * 100, "text/plain")
        assert len(request.body) == 100


async def test_large_bodies_are_spooled(tmp_path: object) -> None:
    payload = b"0123456789" * 100
    with override_settings(FILE_UPLOAD_MAX_MEMORY_SIZE=64, FILE_UPLOAD_TEMP_DIR=str(tmp_path)):
        request = await read_request(payload, "text/plain", chunk_size=50)
    assert request._body_file is not None
    assert request._body_bytes is None
    assert request.read(10) == b"0123456789"
    request.close()
    with override_settings(FILE_UPLOAD_MAX_MEMORY_SIZE=64, FILE_UPLOAD_TEMP_DIR=str(tmp_path)):
        request = await read_request(payload, "text/plain", chunk_size=50)
    assert request.body == payload
    assert request.read(10) == b"0123456789"
    assert request._body_file is None
    assert await request.starlette.body() == payload
    request.close()


async def test_spooled_body_is_closed_on_error(tmp_path: object) -> None:
    with override_settings(FILE_UPLOAD_MAX_MEMORY_SIZE=4, DATA_UPLOAD_MAX_MEMORY_SIZE=None):
        scope = make_scope(method="POST", headers=body_headers(b"x" * 20, chunked=True))
        request = HttpRequest(scope, receive_from([b"x" * 10], disconnect_early=True))
        with pytest.raises(RequestAborted):
            await request._aread_body()
        assert request._body_file is None


async def test_starlette_sees_the_body_read_here() -> None:
    request = await read_request(b"a=1&b=2", FORM)
    assert await request.starlette.body() == b"a=1&b=2"
    form = await request.starlette.form()
    assert form["a"] == "1"


async def test_starlette_replays_a_spooled_body(tmp_path: object) -> None:
    payload = bytes(range(256)) * 600
    with override_settings(FILE_UPLOAD_MAX_MEMORY_SIZE=1024, FILE_UPLOAD_TEMP_DIR=str(tmp_path)):
        request = await read_request(payload, "application/octet-stream", chunk_size=10000)
    assert request.read(3) == payload[:3]
    assert await request.starlette.body() == payload
    # The replay did not move the position a view reads from.
    assert request.read(3) == payload[3:6]
    # Past the body, the channel reports the client's disconnect.
    message = await request._replay_receive()
    assert message["type"] == "http.disconnect"
    request.close()


async def test_starlette_before_the_body_is_read_reads_the_channel() -> None:
    scope = make_scope(method="POST", headers=body_headers(b"abc", "text/plain"))
    request = HttpRequest(scope, receive_from([b"abc"]))
    assert await request.starlette.body() == b"abc"


async def test_invalid_content_length_is_ignored() -> None:
    scope = make_scope(method="POST", headers=[(b"content-length", b"many")])
    request = HttpRequest(scope, receive_from([b"abc"]))
    await request._aread_body()
    assert request.body == b"abc"
    unread = HttpRequest(scope, receive_from([b"abc"]))
    assert unread.body == b""  # without a usable length no body was announced


async def test_starlette_on_an_empty_request() -> None:
    assert await HttpRequest().starlette.body() == b""


async def test_set_body_installs_a_body_synchronously(tmp_path: object) -> None:
    # What RequestFactory uses: no receive channel needs to be awaited.
    scope = make_scope(method="POST", headers=body_headers(b"a=1", FORM))
    request = HttpRequest(scope)
    request._set_body(b"a=1")
    assert request.POST["a"] == "1"
    request._set_body(b"a=2")
    assert request.POST["a"] == "2" and request.body == b"a=2"
    with override_settings(FILE_UPLOAD_MAX_MEMORY_SIZE=2, FILE_UPLOAD_TEMP_DIR=str(tmp_path)):
        spooled = await read_request(b"abcdef", "text/plain")
    spooled._set_body(b"new")
    assert spooled.read() == b"new"
    spooled._set_body(b"newer")
    with override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=2):
        with pytest.raises(RequestDataTooBig):
            spooled.body  # noqa: B018


async def test_request_announcing_no_body_is_not_received() -> None:
    async def receive() -> Any:
        raise AssertionError("nothing to receive for a request without a body")

    for headers in ([], [(b"content-length", b"0")]):
        request = HttpRequest(make_scope(method="POST", headers=headers), receive)
        await request._aread_body()
        assert request.body == b""


async def test_http2_body_without_length_is_received() -> None:
    # Only HTTP/1.x ties a body to Content-Length or chunked encoding.
    scope = {**make_scope(method="POST"), "http_version": "2"}
    request = HttpRequest(scope, receive_from([b"ab", b"c"]))
    await request._aread_body()
    assert request.body == b"abc"


async def test_body_limits_follow_override_settings() -> None:
    scope = make_scope(method="POST", headers=body_headers(b"x" * 10))
    request = HttpRequest(scope, receive_from([b"x" * 10]))
    await request._aread_body()  # the default limit, now remembered
    with override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=5):
        request = HttpRequest(scope, receive_from([b"x" * 10]))
        with pytest.raises(RequestDataTooBig):
            await request._aread_body()
    request = HttpRequest(scope, receive_from([b"x" * 10]))
    await request._aread_body()
    assert request.body == b"x" * 10


async def test_force_script_name_follows_override_settings() -> None:
    assert HttpRequest(make_scope(path="/a/")).path == "/a/"
    with override_settings(FORCE_SCRIPT_NAME="/app"):
        assert HttpRequest(make_scope(path="/a/")).path == "/app/a/"
    assert HttpRequest(make_scope(path="/a/")).path == "/a/"
