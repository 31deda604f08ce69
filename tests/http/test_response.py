from __future__ import annotations

import datetime
import io
import pickle
import time
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

import pytest

from fastjango.core.exceptions import DisallowedRedirect
from fastjango.http import (
    BadHeaderError,
    FileResponse,
    Http404,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseBase,
    HttpResponseForbidden,
    HttpResponseGone,
    HttpResponseNotAllowed,
    HttpResponseNotFound,
    HttpResponseNotModified,
    HttpResponsePermanentRedirect,
    HttpResponseRedirect,
    HttpResponseServerError,
    StreamingHttpResponse,
)
from fastjango.http import response as response_module
from fastjango.http.response import ResponseHeaders
from fastjango.test.utils import override_settings
from fastjango.utils.functional import lazystr


def test_defaults() -> None:
    response = HttpResponse()
    assert response.status_code == 200
    assert response.reason_phrase == "OK"
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert response.charset == "utf-8"
    assert response.content == b""
    assert not response.streaming
    assert repr(response) == '<HttpResponse status_code=200, "text/html; charset=utf-8">'
    assert isinstance(response, HttpResponseBase)


def test_status_and_reason() -> None:
    assert HttpResponse(status=201).reason_phrase == "Created"
    assert HttpResponse(status="404").status_code == 404
    assert HttpResponse(status=599).reason_phrase == "Unknown Status Code"
    assert HttpResponse(status=200, reason="Fine").reason_phrase == "Fine"
    response = HttpResponse()
    response.reason_phrase = "Custom"
    assert response.reason_phrase == "Custom"
    with pytest.raises(TypeError, match="HTTP status code must be an integer."):
        HttpResponse(status="abc")
    with pytest.raises(ValueError, match="must be an integer from 100 to 599"):
        HttpResponse(status=600)


def test_content_type_and_charset() -> None:
    response = HttpResponse(content_type="text/plain; charset=latin-1")
    assert response.charset == "latin-1"
    response = HttpResponse(content_type='text/plain; charset="koi8-r"')
    assert response.charset == "koi8-r"
    response = HttpResponse("caf\xe9", charset="latin-1")
    assert response.content == b"caf\xe9"
    assert response["Content-Type"] == "text/html; charset=latin-1"
    response.charset = "utf-16"
    assert response.charset == "utf-16"
    with override_settings(DEFAULT_CHARSET="latin-1"):
        assert HttpResponse(content_type="text/plain").charset == "latin-1"
    with pytest.raises(ValueError, match="'headers' must not contain 'Content-Type'"):
        HttpResponse(content_type="a/b", headers={"Content-Type": "c/d"})
    assert HttpResponse(headers={"content-type": "c/d"})["Content-Type"] == "c/d"


def test_content_from_various_values() -> None:
    assert HttpResponse("caf\xe9").content == b"caf\xc3\xa9"
    assert HttpResponse(b"bytes").content == b"bytes"
    assert HttpResponse(memoryview(b"mem")).content == b"mem"
    assert HttpResponse(12345).content == b"12345"
    assert HttpResponse(lazystr("lazy")).content == b"lazy"
    assert HttpResponse(["a", b"b", 1]).content == b"ab1"

    class Closing:
        closed = False

        def __iter__(self) -> Any:
            return iter([b"x", b"y"])

        def close(self) -> None:
            self.closed = True
            raise OSError("closing fails, but the content is set")

    source = Closing()
    response = HttpResponse(source)
    assert response.content == b"xy"
    assert source.closed
    # An iterator is consumed once, so the content can be read again.
    response = HttpResponse(iter([b"a", b"b"]))
    assert response.content == b"ab" and response.content == b"ab"
    assert list(response) == [b"ab"]


def test_text() -> None:
    assert HttpResponse("caf\xe9").text == "caf\xe9"
    assert HttpResponse("caf\xe9".encode("latin-1"), charset="latin-1").text == "caf\xe9"


def test_file_like_api() -> None:
    response = HttpResponse("a")
    response.write("b")
    response.writelines([b"c", "d"])
    response.flush()
    assert response.content == b"abcd"
    assert response.getvalue() == b"abcd"
    assert response.tell() == 4
    assert response.writable() and not response.readable() and not response.seekable()
    assert response.serialize() == (b"Content-Type: text/html; charset=utf-8\r\n\r\nabcd")
    assert bytes(response) == response.serialize()
    response.content = "new"
    assert response.content == b"new"


def test_base_file_like_api_is_not_writable() -> None:
    response = HttpResponseBase()
    with pytest.raises(OSError, match="This HttpResponseBase instance is not writable"):
        response.write(b"x")
    with pytest.raises(OSError, match="is not writable"):
        response.writelines([b"x"])
    with pytest.raises(OSError, match="cannot tell its position"):
        response.tell()
    assert not response.writable()
    assert response.serialize_headers() == b"Content-Type: text/html; charset=utf-8"


def test_headers_mapping_api() -> None:
    response = HttpResponse(headers={"X-Foo": "1", "Cache-Control": "no-cache"})
    assert response["x-foo"] == "1"
    assert response.has_header("X-FOO") and "x-foo" in response
    assert response.get("missing") is None
    assert response.get("missing", "alt") == "alt"
    response["X-Bar"] = 2
    response.setdefault("X-Bar", "ignored")
    response.setdefault("X-Baz", "set")
    assert response.headers["X-Bar"] == "2"
    assert response["X-Baz"] == "set"
    del response["x-foo"]
    del response["not-there"]
    assert "X-Foo" not in response
    assert dict(response.items())["Cache-Control"] == "no-cache"
    assert list(response.headers) == ["Cache-Control", "Content-Type", "X-Bar", "X-Baz"]
    response.headers = ResponseHeaders([("A", "b")])
    assert response["a"] == "b"


def test_header_values_are_checked_and_encoded() -> None:
    response = HttpResponse()
    response["X-Bytes"] = b"bytes"
    assert response["X-Bytes"] == "bytes"
    response["X-Latin"] = "caf\xe9"
    assert response["X-Latin"] == "caf\xe9"
    response["X-Unicode"] = "\u2603"
    assert response["X-Unicode"] == "=?utf-8?b?4piD?="
    for value in ("a\nb", "a\rb", b"a\nb", "\u2603\n"):
        with pytest.raises(BadHeaderError, match="Header values can't contain newlines"):
            response["X-Bad"] = value
    with pytest.raises(UnicodeError, match="HTTP response headers must be in ascii format"):
        response["X-N\xe4me"] = "v"
    assert ResponseHeaders(None) == {}
    assert ResponseHeaders({"A": "1"}).pop("a") == ("A", "1")


def test_set_cookie_basic_and_flags() -> None:
    response = HttpResponse()
    response.set_cookie(
        "name", "value", path="/p/", domain=".example.com", secure=True, httponly=True,
        samesite="Lax",
    )  # fmt: skip
    morsel = response.cookies["name"]
    assert morsel.value == "value"
    assert morsel["path"] == "/p/"
    assert morsel["domain"] == ".example.com"
    assert morsel["secure"] is True and morsel["httponly"] is True
    assert morsel["samesite"] == "Lax"
    assert morsel["expires"] == "" and morsel["max-age"] == ""
    response.set_cookie("nopath", path=None)
    assert response.cookies["nopath"]["path"] == ""
    with pytest.raises(ValueError, match='samesite must be "lax", "none", or "strict".'):
        response.set_cookie("x", samesite="bogus")


def test_set_cookie_max_age() -> None:
    response = HttpResponse()
    response.set_cookie("a", max_age=10)
    morsel = response.cookies["a"]
    assert morsel["max-age"] == 10
    expires = parsedate_to_datetime(morsel["expires"])
    assert abs(expires.timestamp() - (time.time() + 10)) < 2
    response.set_cookie("b", max_age=datetime.timedelta(hours=1, seconds=0.5))
    assert response.cookies["b"]["max-age"] == 3600
    response.set_cookie("c", max_age=1.9)
    assert response.cookies["c"]["max-age"] == 1


def test_set_cookie_expires() -> None:
    response = HttpResponse()
    future = datetime.datetime.now(tz=datetime.UTC) + datetime.timedelta(seconds=100)
    response.set_cookie("aware", expires=future)
    assert response.cookies["aware"]["max-age"] in (100, 101)
    naive = datetime.datetime.now(tz=datetime.UTC).replace(tzinfo=None)
    response.set_cookie("naive", expires=naive + datetime.timedelta(seconds=30))
    assert response.cookies["naive"]["max-age"] in (30, 31)
    response.set_cookie("past", expires=naive - datetime.timedelta(days=1))
    assert response.cookies["past"]["max-age"] == 0
    response.set_cookie("text", expires="Fri, 01 Jan 2038 00:00:00 GMT")
    assert response.cookies["text"]["expires"] == "Fri, 01 Jan 2038 00:00:00 GMT"
    with pytest.raises(ValueError, match="'expires' and 'max_age' can't be used together."):
        response.set_cookie("both", expires=future, max_age=10)


def test_delete_cookie() -> None:
    response = HttpResponse()
    response.delete_cookie("c", path="/p/", domain="example.com")
    morsel = response.cookies["c"]
    assert morsel.value == ""
    assert morsel["expires"] == "Thu, 01 Jan 1970 00:00:00 GMT"
    assert morsel["max-age"] == 0
    assert (morsel["path"], morsel["domain"]) == ("/p/", "example.com")
    assert not morsel["secure"]
    response.delete_cookie("__Secure-c")
    response.delete_cookie("__Host-c")
    response.delete_cookie("s", samesite="None")
    assert response.cookies["__Secure-c"]["secure"] is True
    assert response.cookies["__Host-c"]["secure"] is True
    assert response.cookies["s"]["secure"] is True
    assert response.cookies["s"]["samesite"] == "None"


def test_close_runs_closers_and_sends_request_finished() -> None:
    calls: list[str] = []
    received: list[Any] = []

    def receiver(sender: Any, **kwargs: Any) -> None:
        received.append(sender)

    # The signal object the response module sends (coverage with dotted --cov targets can
    # import fastjango.core.signals twice, so don't rely on this module's import).
    finished = vars(response_module)["signals"].request_finished
    finished.connect(receiver)
    try:
        response = HttpResponse()
        response._handler_class = "handler"

        def failing() -> None:
            calls.append("failing")
            raise RuntimeError("ignored")

        response._resource_closers.extend([failing, lambda: calls.append("second")])
        response.close()
    finally:
        finished.disconnect(receiver)
    assert calls == ["failing", "second"]
    assert response.closed
    assert received == ["handler"]
    assert response._resource_closers == []


def test_pickling_drops_request_attributes() -> None:
    response = HttpResponse("x")
    response.request = object()  # type: ignore[attr-defined]
    restored = pickle.loads(pickle.dumps(response))
    assert restored.content == b"x"
    assert not hasattr(restored, "request")


def test_error_classes() -> None:
    for cls, status in (
        (HttpResponseBadRequest, 400),
        (HttpResponseNotFound, 404),
        (HttpResponseForbidden, 403),
        (HttpResponseGone, 410),
        (HttpResponseServerError, 500),
    ):
        assert cls().status_code == status
    response = HttpResponseNotAllowed(["GET", "POST"], content="no")
    assert response.status_code == 405
    assert response["Allow"] == "GET, POST"
    assert repr(response) == (
        '<HttpResponseNotAllowed [GET, POST] status_code=405, "text/html; charset=utf-8">'
    )
    assert issubclass(Http404, Exception)


def test_not_modified() -> None:
    response = HttpResponseNotModified()
    assert response.status_code == 304
    assert "Content-Type" not in response
    assert response.content == b""
    response.content = b""
    with pytest.raises(AttributeError, match="cannot set content to a 304"):
        response.content = b"x"
    assert repr(response) == "<HttpResponseNotModified status_code=304>"


def test_redirects() -> None:
    response = HttpResponseRedirect("/caf\xe9/?q=a b")
    assert response.status_code == 302
    assert response.url == response["Location"] == "/caf%C3%A9/?q=a%20b"
    assert repr(response) == (
        '<HttpResponseRedirect status_code=302, "text/html; charset=utf-8", '
        'url="/caf%C3%A9/?q=a%20b">'
    )
    assert HttpResponseRedirect(lazystr("/lazy/")).url == "/lazy/"
    assert HttpResponsePermanentRedirect("https://example.com/").status_code == 301
    assert HttpResponseRedirect("/", preserve_request=True).status_code == 307
    assert HttpResponsePermanentRedirect("/", preserve_request=True).status_code == 308
    assert HttpResponseRedirect("ftp://example.com/f").url == "ftp://example.com/f"
    response = HttpResponseRedirect("/x", content="moved", status=303)
    assert (response.status_code, response.content) == (303, b"moved")
    for url in ("javascript:alert(1)", "data:text/html,x", "file:///etc/passwd"):
        with pytest.raises(DisallowedRedirect, match="Unsafe redirect to URL with protocol"):
            HttpResponseRedirect(url)

    class Custom(HttpResponseRedirect):
        allowed_schemes = ["myapp"]

    assert Custom("myapp://open").url == "myapp://open"


def test_streaming_response_sync() -> None:
    response = StreamingHttpResponse(iter(["a", b"b", 1]))
    assert response.streaming and not response.is_async
    assert repr(response) == '<StreamingHttpResponse status_code=200, "text/html; charset=utf-8">'
    with pytest.raises(AttributeError, match="has no `content` attribute"):
        response.content  # noqa: B018
    with pytest.raises(AttributeError, match="has no `text` attribute"):
        response.text  # noqa: B018
    assert list(response) == [b"a", b"b", b"1"]
    assert list(response) == []  # an iterator runs once
    assert StreamingHttpResponse([b"x", b"y"]).getvalue() == b"xy"
    response = StreamingHttpResponse(["old"])
    response.streaming_content = ["new"]
    assert list(response.streaming_content) == [b"new"]
    assert list(StreamingHttpResponse()) == []


def test_streaming_response_closes_its_source() -> None:
    class Source:
        closed = False

        def __iter__(self) -> Any:
            return iter([b"x"])

        def close(self) -> None:
            self.closed = True

    source = Source()
    response = StreamingHttpResponse(source)
    response.close()
    assert source.closed


def test_async_streaming_response_consumed_synchronously_warns() -> None:
    async def gen() -> Any:
        yield "a"
        yield b"b"

    response = StreamingHttpResponse(gen())
    assert response.is_async
    with pytest.warns(Warning, match="must consume asynchronous iterators"):
        assert list(response) == [b"a", b"b"]


@pytest.mark.anyio
async def test_streaming_response_async_iteration() -> None:
    async def gen() -> Any:
        yield "a"
        yield b"b"

    response = StreamingHttpResponse(gen())
    assert [chunk async for chunk in response] == [b"a", b"b"]
    sync_response = StreamingHttpResponse(["x", "y"])
    with pytest.warns(Warning, match="must consume synchronous iterators"):
        assert [chunk async for chunk in sync_response] == [b"x", b"y"]


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def test_file_response_headers_from_a_real_file(tmp_path: Path) -> None:
    path = tmp_path / "report.pdf"
    path.write_bytes(b"%PDF" + b"x" * 10_000)
    with open(path, "rb") as fh:
        response = FileResponse(fh)
        assert response["Content-Length"] == "10004"
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"] == 'inline; filename="report.pdf"'
        assert response.file_to_stream is fh
        chunks = list(response)
        assert len(chunks[0]) == FileResponse.block_size
        assert b"".join(chunks) == path.read_bytes()
        response.close()
        assert fh.closed


def test_file_response_attachment_and_explicit_names(tmp_path: Path) -> None:
    buffer = io.BytesIO(b"binary data")
    response = FileResponse(buffer, as_attachment=True, filename="caf\xe9.txt")
    assert response["Content-Disposition"] == "attachment; filename*=utf-8''caf%C3%A9.txt"
    assert response["Content-Type"].startswith("text/plain")
    assert response["Content-Length"] == "11"
    response = FileResponse(io.BytesIO(b"x"), as_attachment=True)
    assert response["Content-Disposition"] == "attachment"
    assert response["Content-Type"] == "application/octet-stream"
    response = FileResponse(io.BytesIO(b"x"))
    assert "Content-Disposition" not in response
    response = FileResponse(io.BytesIO(b"x"), content_type="video/webm", filename="a.txt")
    assert response["Content-Type"] == "video/webm"
    for name, expected in (
        ("a.tar.gz", "application/gzip"),
        ("a.tar.bz2", "application/x-bzip"),
        ("a.tar.xz", "application/x-xz"),
        ("a.unknownext", "application/octet-stream"),
    ):
        assert FileResponse(io.BytesIO(b""), filename=name)["Content-Type"] == expected


def test_file_response_partially_read_and_unusual_files(tmp_path: Path) -> None:
    buffer = io.BytesIO(b"0123456789")
    buffer.seek(4)
    assert FileResponse(buffer)["Content-Length"] == "6"

    class Unseekable(io.BytesIO):
        def seekable(self) -> bool:
            return False

    unseekable = Unseekable(b"0123456789")
    unseekable.read(2)
    assert FileResponse(unseekable)["Content-Length"] == "8"

    path = tmp_path / "f.bin"
    path.write_bytes(b"abcdef")

    class NoSeek:
        name = str(path)

        def __init__(self) -> None:
            self.pos = 1

        def tell(self) -> int:
            return self.pos

        def read(self, size: int = -1) -> bytes:
            return b""

    assert FileResponse(NoSeek())["Content-Length"] == "5"

    class NoTell:
        def __init__(self) -> None:
            self.inner = io.BytesIO(b"abc")

        def read(self, size: int = -1) -> bytes:
            return self.inner.read(size)

        def seek(self, offset: int, whence: int = 0) -> int:
            return self.inner.seek(offset, whence)

    no_tell = NoTell()
    response = FileResponse(no_tell)
    assert response["Content-Length"] == "3"
    assert b"".join(response) == b"abc"

    class NameIsNotText(io.BytesIO):
        name = 3

    assert FileResponse(NameIsNotText(b"z"))["Content-Type"] == "application/octet-stream"


def test_file_response_from_an_iterable() -> None:
    response = FileResponse([b"a", b"b"], filename="x.txt")
    assert response.file_to_stream is None
    assert b"".join(response) == b"ab"


def test_default_charset_follows_override_settings() -> None:
    binary = "application/octet-stream"
    assert HttpResponse(content_type=binary).charset == "utf-8"  # now remembered
    with override_settings(DEFAULT_CHARSET="iso-8859-1"):
        response = HttpResponse("é", content_type=binary)
        assert response.charset == "iso-8859-1"
        assert response.content == "é".encode("iso-8859-1")
    assert HttpResponse(content_type=binary).charset == "utf-8"
