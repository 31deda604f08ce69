"""Django's "Request and response objects" page, example by example."""

from __future__ import annotations

import datetime
import io
import json
import time
from collections.abc import Iterator
from http import HTTPStatus
from pathlib import Path

import pytest

from fastjango.core import signing
from fastjango.core.exceptions import DisallowedRedirect
from fastjango.core.serializers.json import DjangoJSONEncoder
from fastjango.http import (
    BadHeaderError,
    FileResponse,
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
    JsonResponse,
    QueryDict,
    StreamingHttpResponse,
)
from fastjango.test import AsyncClient, Client, RequestFactory, override_settings
from fastjango.utils.datastructures import MultiValueDictKeyError

URLCONF = "tests.parity.http.urls"


@pytest.fixture(autouse=True)
def urlconf() -> Iterator[None]:
    with override_settings(ROOT_URLCONF=URLCONF, ALLOWED_HOSTS=["example.com", "testserver"]):
        yield


# -- HttpRequest attributes and methods ------------------------------------------------------


def test_request_attributes_and_methods() -> None:
    client = Client(HTTP_USER_AGENT="Mozilla/5.0")
    data = client.get(
        "/music/bands/the_beatles/?print=true",
        secure=True,
        headers={"host": "example.com"},
    ).json()
    assert data["scheme"] == "https"
    assert data["secure"] is True
    assert data["method"] == "GET"
    assert data["path"] == data["path_info"] == "/music/bands/the_beatles/"
    assert data["full_path"] == "/music/bands/the_beatles/?print=true"
    assert data["full_path_info"] == "/music/bands/the_beatles/?print=true"
    assert data["host"] == "example.com"
    assert data["port"] == "443"
    assert data["absolute"] == "https://example.com/music/bands/the_beatles/?print=true"
    assert data["absolute_bands"] == "https://example.com/bands/"
    assert data["absolute_other"] == "https://example2.com/bands/"
    assert data["absolute_relative"] == "https://example.com/music/bands/x/"
    assert data["GET"] == {"print": ["true"]}
    assert data["user_agent"] == data["meta_user_agent"] == "Mozilla/5.0"
    assert data["remote_addr"] == "127.0.0.1"
    assert data["query_string"] == "print=true"
    assert data["url_name"] == "describe"


def test_path_info_without_the_script_prefix() -> None:
    request = RequestFactory().get("/music/bands/the_beatles/", SCRIPT_NAME="/minfo")
    assert request.path_info == "/music/bands/the_beatles/"
    assert request.path == "/minfo/music/bands/the_beatles/"
    assert request.get_full_path() == "/minfo/music/bands/the_beatles/"
    assert request.get_full_path_info() == "/music/bands/the_beatles/"


def test_headers_are_case_insensitive() -> None:
    request = RequestFactory().get("/", headers={"User-Agent": "Mozilla/5.0 (Macintosh)"})
    assert "User-Agent" in request.headers
    assert "user-agent" in request.headers
    assert request.headers["User-Agent"] == "Mozilla/5.0 (Macintosh)"
    assert request.headers["user-agent"] == "Mozilla/5.0 (Macintosh)"
    assert request.headers.get("User-Agent") == "Mozilla/5.0 (Macintosh)"
    assert request.headers.get("user-agent") == "Mozilla/5.0 (Macintosh)"
    # Templates use underscores: {{ request.headers.user_agent }}.
    assert request.headers["user_agent"] == "Mozilla/5.0 (Macintosh)"


def test_content_type_and_params() -> None:
    request = RequestFactory().post(
        "/", "x", content_type="text/plain; charset=utf-8; format=flowed"
    )
    assert request.content_type == "text/plain"
    assert request.content_params == {"charset": "utf-8", "format": "flowed"}
    assert request.encoding == "utf-8"


def test_post_and_files_through_the_client() -> None:
    upload = io.BytesIO(b"file contents")
    upload.name = "notes.txt"
    data = Client().post("/form/", {"name": ["a", "b"], "doc": upload}).json()
    assert data["POST"] == {"name": ["a", "b"]}
    assert data["FILES"] == {"doc": [["notes.txt", 13, "file contents"]]}
    # FILES is empty unless the form was multipart.
    urlencoded = (
        Client().post("/form/", "name=a", content_type="application/x-www-form-urlencoded").json()
    )
    assert urlencoded == {"POST": {"name": ["a"]}, "FILES": {}}


def test_request_is_a_file_like_object() -> None:
    response = Client().post("/raw/", "line 1\nline 2\n", content_type="text/plain")
    assert response.json() == {"lines": ["line 1\n", "line 2\n"]}


def test_encoding_can_be_changed_and_reparses_get() -> None:
    request = RequestFactory().get("/", QUERY_STRING="name=caf%E9")
    assert request.GET["name"] == "caf\ufffd"
    request.encoding = "iso-8859-1"
    assert request.GET["name"] == "café"


def test_accepts_and_get_preferred_type() -> None:
    request = RequestFactory().get(
        "/", headers={"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9"}
    )
    assert request.accepts("text/html") is True
    assert request.accepts("application/json") is False
    request = RequestFactory().get("/", headers={"Accept": "text/html,application/json;q=0.8"})
    assert request.get_preferred_type(["text/html", "application/json"]) == "text/html"
    assert request.get_preferred_type(["application/json", "text/plain"]) == "application/json"
    assert request.get_preferred_type(["application/xml", "text/plain"]) is None
    # Most browsers send */*, so the first offered type wins.
    browser = RequestFactory().get("/", headers={"Accept": "*/*"})
    assert browser.get_preferred_type(["application/json", "text/html"]) == "application/json"
    assert browser.accepts("image/png")


# -- signed cookies --------------------------------------------------------------------------


def test_signed_cookies_round_trip() -> None:
    client = Client()
    response = client.get("/set-name/")
    signed = response.cookies["name"].value
    assert signed.startswith("Tony:")
    assert client.get("/read-name/").json() == {
        "name": "Tony",
        "salted": "Tony",
        "wrong_salt": None,
        "missing": False,
    }


def test_get_signed_cookie_errors() -> None:
    response = HttpResponse()
    response.set_signed_cookie("name", "Tony")
    cookie = f"name={response.cookies['name'].coded_value}; tampered=Tony:abc"
    request = RequestFactory().get("/", HTTP_COOKIE=cookie)
    assert request.get_signed_cookie("name") == "Tony"
    with pytest.raises(KeyError, match="nonexistent-cookie"):
        request.get_signed_cookie("nonexistent-cookie")
    assert request.get_signed_cookie("nonexistent-cookie", False) is False
    with pytest.raises(signing.BadSignature):
        request.get_signed_cookie("tampered")
    with pytest.raises(signing.BadSignature):
        request.get_signed_cookie("name", salt="name-salt")
    assert request.get_signed_cookie("name", max_age=60) == "Tony"


def test_get_signed_cookie_max_age(monkeypatch: pytest.MonkeyPatch) -> None:
    response = HttpResponse()
    response.set_signed_cookie("name", "Tony")
    request = RequestFactory().get("/", HTTP_COOKIE=f"name={response.cookies['name'].value}")
    later = time.time() + 1677
    monkeypatch.setattr(time, "time", lambda: later)
    with pytest.raises(signing.SignatureExpired, match=r"Signature age .* > 60 seconds"):
        request.get_signed_cookie("name", max_age=60)
    assert request.get_signed_cookie("name", False, max_age=60) is False
    assert request.get_signed_cookie("name", max_age=datetime.timedelta(hours=1)) == "Tony"


def test_set_signed_cookie_takes_set_cookie_arguments() -> None:
    response = HttpResponse()
    response.set_signed_cookie("name", "Tony", salt="s", max_age=10, httponly=True, secure=True)
    morsel = response.cookies["name"]
    assert morsel["max-age"] == 10
    assert morsel["httponly"] is True and morsel["secure"] is True


# -- QueryDict -------------------------------------------------------------------------------


def test_querydict_examples() -> None:
    assert repr(QueryDict("a=1&a=2&c=3")) == "<QueryDict: {'a': ['1', '2'], 'c': ['3']}>"
    assert repr(QueryDict.fromkeys(["a", "a", "b"], value="val")) == (
        "<QueryDict: {'a': ['val', 'val'], 'b': ['val']}>"
    )
    q = QueryDict("a=1", mutable=True)
    q.update({"a": "2"})
    assert q.getlist("a") == ["1", "2"]
    assert q["a"] == "2"
    q = QueryDict("a=1&a=2&a=3")
    assert list(q.items()) == [("a", "3")]
    assert list(q.values()) == ["3"]
    assert list(q.lists()) == [("a", ["1", "2", "3"])]
    assert QueryDict("a=1&a=2&a=3", mutable=True).pop("a") == ["1", "2", "3"]
    assert QueryDict("a=1&a=2&a=3", mutable=True).popitem() == ("a", ["1", "2", "3"])
    assert QueryDict("a=1&a=3&a=5").dict() == {"a": "5"}
    assert QueryDict("a=2&b=3&b=5").urlencode() == "a=2&b=3&b=5"
    q = QueryDict(mutable=True)
    q["next"] = "/a&b/"
    assert q.urlencode(safe="/") == "next=/a%26b/"


def test_querydict_mutability_and_lookups() -> None:
    q = QueryDict("a=1")
    assert QueryDict().keys() == set() or list(QueryDict().keys()) == []
    with pytest.raises(AttributeError, match="immutable"):
        q["a"] = "2"
    with pytest.raises(AttributeError, match="immutable"):
        q.setlist("a", ["2"])
    copy = q.copy()
    copy["a"] = "2"
    assert copy["a"] == "2" and q["a"] == "1"
    assert "a" in q and "b" not in q
    assert q.get("b") is None and q.get("b", "x") == "x"
    with pytest.raises(MultiValueDictKeyError):
        q["b"]
    with pytest.raises(KeyError):
        q["b"]
    assert q.getlist("b") == [] and q.getlist("b", ["d"]) == ["d"]
    m = QueryDict(mutable=True)
    m.setlist("k", ["1", "2"])
    m.appendlist("k", "3")
    m.setlistdefault("n", ["x"])
    m.setdefault("s", "v")
    assert dict(m.lists()) == {"k": ["1", "2", "3"], "n": ["x"], "s": ["v"]}
    with pytest.raises(KeyError):
        QueryDict(mutable=True).pop("missing")
    with pytest.raises(KeyError):
        QueryDict(mutable=True).popitem()


# -- HttpResponse ----------------------------------------------------------------------------


def test_passing_strings_bytes_memoryview_and_writing() -> None:
    assert HttpResponse("Here's the text of the web page.").content == (
        b"Here's the text of the web page."
    )
    text_only = HttpResponse("Text only, please.", content_type="text/plain")
    assert text_only["Content-Type"] == "text/plain"
    assert HttpResponse(b"Bytestrings are also accepted.").content == (
        b"Bytestrings are also accepted."
    )
    assert HttpResponse(memoryview(b"Memoryview as well.")).content == b"Memoryview as well."
    response = HttpResponse()
    response.write("<p>Here's the text of the web page.</p>")
    response.write("<p>Here's another paragraph.</p>")
    assert response.content == (
        b"<p>Here's the text of the web page.</p><p>Here's another paragraph.</p>"
    )
    assert response.tell() == len(response.content)
    assert response.getvalue() == response.content
    assert response.writable() and not response.readable() and not response.seekable()
    response.writelines(["a", "b"])
    response.flush()
    assert response.content.endswith(b"ab")


def test_passing_iterators_consumes_and_closes_them() -> None:
    closed: list[bool] = []

    def gen() -> Iterator[str]:
        try:
            yield "a"
            yield "b"
        finally:
            closed.append(True)

    response = HttpResponse(gen())
    assert closed == [True]
    assert response.content == b"ab" and response.content == b"ab"


def test_setting_header_fields() -> None:
    response = HttpResponse()
    response.headers["Age"] = 120
    assert response.headers["age"] == "120"
    del response.headers["Age"]
    assert "Age" not in response.headers
    response["Age"] = 120
    assert response["AGE"] == "120" and response.has_header("age")
    del response["Age"]
    del response["Age"]  # no KeyError, unlike a dict
    assert response.get("Age") is None and response.get("Age", "x") == "x"
    assert HttpResponse(headers={"Age": 120})["Age"] == "120"
    response.setdefault("X-Once", "1")
    response.setdefault("X-Once", "2")
    assert response["X-Once"] == "1"
    assert ("X-Once", "1") in list(response.items())
    with pytest.raises(BadHeaderError):
        response["X-Bad"] = "a\nb"
    with pytest.raises(BadHeaderError):
        response["X-Bad"] = "a\rb"


def test_file_attachment_headers() -> None:
    response = HttpResponse(
        b"my_data",
        headers={
            "Content-Type": "application/vnd.ms-excel",
            "Content-Disposition": 'attachment; filename="foo.xls"',
        },
    )
    assert response["Content-Type"] == "application/vnd.ms-excel"
    assert response["Content-Disposition"] == 'attachment; filename="foo.xls"'
    with pytest.raises(ValueError, match="must not contain 'Content-Type'"):
        HttpResponse(content_type="text/plain", headers={"Content-Type": "text/csv"})


def test_attributes() -> None:
    response = HttpResponse("café", content_type="text/plain; charset=latin-1")
    assert response.charset == "latin-1"
    assert response.content == "café".encode("latin-1")
    assert response.text == "café"
    assert HttpResponse().charset == "utf-8"
    assert HttpResponse()["Content-Type"] == "text/html; charset=utf-8"
    response = HttpResponse(status=HTTPStatus.NO_CONTENT)
    assert response.status_code == 204 and response.reason_phrase == "No Content"
    response.status_code = 404
    assert response.reason_phrase == "Not Found"
    response.reason_phrase = "Nope"
    response.status_code = 500
    assert response.reason_phrase == "Nope"
    assert HttpResponse(reason="Custom").reason_phrase == "Custom"
    assert HttpResponse().streaming is False
    response = HttpResponse()
    assert response.closed is False
    response.close()
    assert response.closed is True


def test_set_and_delete_cookie() -> None:
    response = HttpResponse()
    response.set_cookie("a", "1", max_age=datetime.timedelta(hours=1), domain="example.com")
    morsel = response.cookies["a"]
    assert morsel["max-age"] == 3600 and morsel["domain"] == "example.com"
    assert morsel["expires"]  # computed from max_age
    response.set_cookie("b", "2", expires=datetime.datetime(2099, 1, 1), samesite="Strict")
    assert int(response.cookies["b"]["max-age"]) > 0
    assert response.cookies["b"]["samesite"] == "Strict"
    response.set_cookie("c", "3", samesite="None", secure=True, httponly=True)
    assert response.cookies["c"]["samesite"] == "None"
    with pytest.raises(ValueError, match="samesite must be"):
        response.set_cookie("d", samesite="bogus")
    with pytest.raises(ValueError, match="can't be used together"):
        response.set_cookie("e", expires=datetime.datetime(2099, 1, 1), max_age=5)
    response.delete_cookie("a", domain="example.com")
    deleted = response.cookies["a"]
    assert deleted.value == "" and deleted["max-age"] == 0
    assert deleted["expires"] == "Thu, 01 Jan 1970 00:00:00 GMT"
    response.delete_cookie("never-set")  # fails silently
    response.delete_cookie("__Secure-x")
    assert response.cookies["__Secure-x"]["secure"] is True


def test_subclasses() -> None:
    redirect = HttpResponseRedirect("https://www.yahoo.com/search/")
    assert (redirect.status_code, redirect.url) == (302, "https://www.yahoo.com/search/")
    assert HttpResponseRedirect("search/").url == "search/"
    assert HttpResponseRedirect("/search/", preserve_request=True).status_code == 307
    assert HttpResponsePermanentRedirect("/search/").status_code == 301
    assert HttpResponsePermanentRedirect("/x/", preserve_request=True).status_code == 308
    with pytest.raises(DisallowedRedirect):
        HttpResponseRedirect("javascript:alert(1)")
    not_modified = HttpResponseNotModified()
    assert not_modified.status_code == 304 and "Content-Type" not in not_modified
    with pytest.raises(AttributeError):
        not_modified.content = b"x"
    assert HttpResponseBadRequest().status_code == 400
    assert HttpResponseNotFound().status_code == 404
    assert HttpResponseForbidden().status_code == 403
    not_allowed = HttpResponseNotAllowed(["GET", "POST"])
    assert (not_allowed.status_code, not_allowed["Allow"]) == (405, "GET, POST")
    with pytest.raises(TypeError):
        HttpResponseNotAllowed()  # type: ignore[call-arg]
    assert HttpResponseGone().status_code == 410
    assert HttpResponseServerError().status_code == 500
    assert isinstance(HttpResponse(), HttpResponseBase)
    assert isinstance(StreamingHttpResponse(), HttpResponseBase)


def test_custom_response_class() -> None:
    class HttpResponseNoContent(HttpResponse):
        status_code = HTTPStatus.NO_CONTENT

    response = HttpResponseNoContent()
    assert response.status_code == 204
    assert response.reason_phrase == "No Content"


# -- JsonResponse ----------------------------------------------------------------------------


def test_json_response() -> None:
    response = JsonResponse({"foo": "bar"})
    assert response["Content-Type"] == "application/json"
    # FastJango encodes with orjson, compactly (docs/from-django.md); the JSON is the same.
    assert json.loads(response.content) == {"foo": "bar"}
    # json_dumps_params gives json.dumps() output, byte for byte Django's.
    assert JsonResponse({"foo": "bar"}, json_dumps_params={}).content == b'{"foo": "bar"}'
    assert json.loads(JsonResponse([1, 2, 3], safe=False).content) == [1, 2, 3]
    with pytest.raises(TypeError, match="set the safe parameter to False"):
        JsonResponse([1, 2, 3])


def test_json_response_encoders() -> None:
    data = {
        "when": datetime.datetime(2020, 1, 2, 3, 4, 5, 123456),
        "day": datetime.date(2020, 1, 2),
        "delta": datetime.timedelta(days=1, seconds=1),
    }
    assert json.loads(JsonResponse(data).content) == {
        "when": "2020-01-02T03:04:05.123",
        "day": "2020-01-02",
        "delta": "P1DT00H00M01S",
    }

    class MyJSONEncoder(DjangoJSONEncoder):
        def default(self, o: object) -> object:
            if isinstance(o, set):
                return sorted(o)
            return super().default(o)

    assert JsonResponse({"s": {2, 1}}, encoder=MyJSONEncoder).content == b'{"s": [1, 2]}'
    with pytest.raises(TypeError, match="not JSON serializable"):
        JsonResponse({"s": {1}})


# -- StreamingHttpResponse and FileResponse --------------------------------------------------


def test_streaming_response_api() -> None:
    response = StreamingHttpResponse(["a", b"b", memoryview(b"c")])
    assert response.streaming is True and response.is_async is False
    with pytest.raises(AttributeError, match="streaming_content"):
        response.content  # noqa: B018
    with pytest.raises(AttributeError, match="streaming_content"):
        response.text  # noqa: B018
    with pytest.raises(OSError):
        response.write("x")
    with pytest.raises(OSError):
        response.tell()
    assert b"".join(response.streaming_content) == b"abc"


def test_streaming_csv_view_and_async_iterator() -> None:
    response = Client().get("/csv/")
    assert response["Content-Type"] == "text/csv"
    assert response["Content-Disposition"] == 'attachment; filename="somefilename.csv"'
    assert b"".join(response.streaming_content) == b"Row 0,0\r\nRow 1,1\r\nRow 2,2\r\n"


@pytest.mark.anyio
async def test_async_streaming_response() -> None:
    streamed = await AsyncClient().get("/astream/")
    assert streamed.streaming and streamed.is_async
    assert [chunk async for chunk in streamed.streaming_content] == [b"a", b"b", b"c"]


def test_file_response(tmp_path: Path) -> None:
    image = tmp_path / "myfile.png"
    image.write_bytes(b"\x89PNG data")
    response = FileResponse(open(image, "rb"))
    assert response["Content-Type"] == "image/png"
    assert response["Content-Length"] == "9"
    assert response["Content-Disposition"] == 'inline; filename="myfile.png"'
    assert b"".join(response.streaming_content) == b"\x89PNG data"
    response.close()
    buffer = FileResponse(io.BytesIO(b"abc"), as_attachment=True, filename="a b.txt")
    assert buffer["Content-Disposition"] == 'attachment; filename="a b.txt"'
    assert buffer["Content-Type"] == "text/plain"
    assert FileResponse(io.BytesIO(b"abc"))["Content-Type"] == "application/octet-stream"
    downloaded = Client().get("/download/", {"path": str(image)})
    assert downloaded["Content-Disposition"] == 'attachment; filename="report.pdf"'
    assert downloaded["Content-Type"] == "application/pdf"
    assert b"".join(downloaded.streaming_content) == b"\x89PNG data"
