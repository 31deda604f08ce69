"""The test client and request factories, against Django's documented behaviour."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest

from fastjango.http import HttpRequest, HttpResponse
from fastjango.test import AsyncClient, AsyncRequestFactory, Client, RequestFactory
from fastjango.test.client import (
    BOUNDARY,
    MULTIPART_CONTENT,
    ContextList,
    RedirectCycleError,
    _cookie_expired,
    encode_multipart,
)
from fastjango.test.utils import override_settings
from fastjango.urls import reverse_lazy
from tests.core.handlers import views


@pytest.fixture(autouse=True)
def urls() -> Iterator[None]:
    with override_settings(ROOT_URLCONF="tests.core.handlers.urls", TEMPLATES=views.TEMPLATES):
        yield


@pytest.fixture
def client() -> Client:
    return Client()


# -- RequestFactory ------------------------------------------------------------------


def test_get_data_becomes_the_query_string() -> None:
    rf = RequestFactory()
    request = rf.get("/path/?ignored=1", {"a": ["1", "2"], "b": "x y"})
    assert request.method == "GET"
    assert request.path == "/path/"
    assert request.GET.getlist("a") == ["1", "2"]
    assert "ignored" not in request.GET  # as in Django, data replaces the URL's query
    assert rf.get("/path/?kept=1").GET["kept"] == "1"
    assert rf.get("/p/", query_params={"q": "1"}).META["QUERY_STRING"] == "q=1"
    with pytest.raises(ValueError, match="mutually exclusive"):
        rf.get("/p/", {"a": 1}, query_params={"b": 2})
    assert rf.head("/p/", {"h": 1}).GET["h"] == "1"


def test_factory_defaults_headers_and_query_params() -> None:
    rf = RequestFactory(
        headers={"X-Team": "blue"}, query_params={"page": 2}, REMOTE_ADDR="10.0.0.1"
    )
    request = rf.get("/")
    assert request.headers["X-Team"] == "blue"
    assert request.GET["page"] == "2"
    assert request.META["REMOTE_ADDR"] == "10.0.0.1"
    assert rf.get("/?page=3").GET["page"] == "3"
    assert rf.get("/", query_params={"page": 4}).GET["page"] == "4"


def test_headers_extra_environ_keys_and_secure() -> None:
    rf = RequestFactory()
    request = rf.get(
        "/secure/",
        secure=True,
        headers={"Accept-Language": "fr"},
        HTTP_X_FOO="bar",
        SERVER_NAME="example.com",
        REMOTE_USER="ada",
    )
    assert request.is_secure()
    assert request.scheme == "https"
    assert request.META["HTTP_ACCEPT_LANGUAGE"] == "fr"
    assert request.headers["X-Foo"] == "bar"
    assert request.META["REMOTE_USER"] == "ada"
    assert request.META["SERVER_NAME"] == "example.com"
    assert request.META["SERVER_PORT"] == "443"
    with override_settings(ALLOWED_HOSTS=["example.com"]):
        assert request.build_absolute_uri() == "https://example.com/secure/"
    assert "HTTP_HOST" not in request.META  # the sync factory names no host, as Django's


def test_post_multipart_fields_lists_and_files() -> None:
    upload = io.BytesIO(b"file content")
    upload.name = "notes.txt"
    request = RequestFactory().post("/up/", {"title": "T", "tags": ["a", "b"], "doc": upload})
    assert request.content_type == "multipart/form-data"
    assert request.POST["title"] == "T"
    assert request.POST.getlist("tags") == ["a", "b"]
    doc = request.FILES["doc"]
    assert doc.name == "notes.txt"
    assert doc.read() == b"file content"
    assert doc.content_type == "text/plain"
    with pytest.raises(TypeError, match="Cannot encode None for key 'x'"):
        RequestFactory().post("/", {"x": None})
    with pytest.raises(TypeError, match="Cannot encode None for key 'x'"):
        RequestFactory().post("/", {"x": ["ok", None]})


def test_encode_multipart_file_without_name_or_type() -> None:
    raw = io.BytesIO(b"\x00\x01")
    body = encode_multipart(BOUNDARY, {"blob": raw})
    assert b'filename=""' in body
    assert b"Content-Type: application/octet-stream" in body


def test_post_json_form_and_raw_bodies() -> None:
    rf = RequestFactory()
    as_json = rf.post("/", {"price": Decimal("1.50"), "n": [1]}, "application/json")
    assert json.loads(as_json.body) == {"price": "1.50", "n": [1]}
    assert rf.post("/", [1, 2], "application/vnd.api+json").body == b"[1, 2]"
    form = rf.post("/", {"a": "1", "b": ["2", "3"]}, "application/x-www-form-urlencoded")
    assert form.POST.getlist("b") == ["2", "3"]
    raw = rf.post("/", "caf\u00e9", "text/plain; charset=latin-1")
    assert raw.body == b"caf\xe9"
    assert rf.post("/", b"bytes", "application/octet-stream").body == b"bytes"


def test_custom_json_encoder() -> None:
    class Encoder(json.JSONEncoder):
        def default(self, o: Any) -> Any:
            if isinstance(o, set):
                return sorted(o)
            return super().default(o)

    request = RequestFactory(json_encoder=Encoder).put("/", {"s": {2, 1}}, "application/json")
    assert request.body == b'{"s": [1, 2]}'


def test_other_methods() -> None:
    rf = RequestFactory()
    put = rf.put("/", {"a": 1}, content_type="application/json")
    assert (put.method, put.body) == ("PUT", b'{"a": 1}')
    patch = rf.patch("/", "a=1&a=2", content_type="application/x-www-form-urlencoded")
    assert patch.method == "PATCH"
    assert patch.body == b"a=1&a=2"
    assert rf.patch("/", {"x": "1"}, "application/x-www-form-urlencoded").body == b"x=1"
    delete = rf.delete("/", query_params={"force": 1})
    assert (delete.method, delete.body, delete.GET["force"]) == ("DELETE", b"", "1")
    options = rf.options("/", {"not": "json"}, "application/json")
    assert options.body == b"{'not': 'json'}"  # OPTIONS bodies aren't JSON-encoded
    trace = rf.trace("/t/", secure=True)
    assert (trace.method, trace.is_secure()) == ("TRACE", True)
    generic = rf.generic("PURGE", reverse_lazy("echo"), b"xyz", "text/plain", HTTP_X_Y="1")
    assert (generic.method, generic.path, generic.body) == ("PURGE", "/echo/", b"xyz")
    assert generic.META["CONTENT_TYPE"] == "text/plain"
    assert rf.generic("GET", "/caf%C3%A9/").path == "/caf\u00e9/"


def test_request_from_environ_keys() -> None:
    rf = RequestFactory()
    rf.cookies["session"] = "s1"
    request = rf.request(
        PATH_INFO="/raw/",
        REQUEST_METHOD="POST",
        CONTENT_TYPE="application/x-www-form-urlencoded",
        **{"wsgi.input": io.BytesIO(b"k=v")},
    )
    assert isinstance(request, HttpRequest)
    assert request.POST["k"] == "v"
    assert request.COOKIES == {"session": "s1"}
    assert request.META["CONTENT_LENGTH"] == "3"
    script = rf.get("/inner/", SCRIPT_NAME="/app/")
    assert (script.path, script.path_info) == ("/app/inner/", "/inner/")


def test_async_request_factory_takes_headers_as_extra() -> None:
    arf = AsyncRequestFactory(root_path="", headers={"X-Default": "d"})
    request = arf.get("/a/", {"q": 1}, ACCEPT="application/json", HTTP_X_OLD_STYLE="ok")
    assert request.headers["Accept"] == "application/json"
    assert request.headers["X-Old-Style"] == "ok"
    assert request.headers["X-Default"] == "d"
    assert request.META["HTTP_HOST"] == "testserver"
    assert request.GET["q"] == "1"
    post = arf.post("/a/", {"a": "b"}, "application/json", REMOTE_ADDR="1.2.3.4")
    assert post.body == b'{"a": "b"}'
    assert post.META["REMOTE_ADDR"] == "1.2.3.4"


# -- Client: requests and responses ---------------------------------------------------


def test_response_attributes(client: Client) -> None:
    response = client.get("/echo/", {"x": "1"}, HTTP_X_FOO="bar")
    assert response.status_code == 200
    assert response.client is client
    assert response.request["PATH_INFO"] == "/echo/"
    assert response.request["QUERY_STRING"] == "x=1"
    assert isinstance(response.wsgi_request, HttpRequest)
    assert response.asgi_request is response.wsgi_request
    assert response.wsgi_request.GET["x"] == "1"
    assert response.resolver_match.url_name == "echo"
    assert response.templates == []
    assert response.context is None
    assert response.exc_info is None
    assert response.headers["Content-Type"] == "application/json"
    assert client.extra == {"HTTP_X_FOO": "bar"}
    assert response.json()["headers"]["X-Foo"] == "bar"
    assert response.json() is response.json()  # parsed once
    with pytest.raises(ValueError, match=r'Content-Type header is "text/html; charset=utf-8"'):
        client.get("/").json()
    assert not hasattr(response, "redirect_chain")


def test_response_is_the_views_own_object(client: Client) -> None:
    response = client.get("/template/", {"word": "hi"})
    assert type(response).__name__ == "TemplateResponse"
    assert response.context_data == {"word": "hi"}
    assert response.content == b"<p>hi</p>"
    assert response.context["word"] == "hi"
    assert [t.name for t in response.templates] == ["page.html"]
    many = client.get("/async-template/")
    assert isinstance(many.context, ContextList)
    assert many.context["word"] == "async"
    assert "word" in many.context
    assert many.context.get("missing", 5) == 5
    assert "word" in many.context.keys()
    with pytest.raises(KeyError):
        many.context["missing"]
    assert many.context[0]["word"] == "async"


def test_post_put_patch_delete_options_through_the_app(client: Client) -> None:
    posted = client.post("/echo/", {"name": "Ada"}).json()
    assert posted["POST"] == {"name": ["Ada"]}
    as_json = client.post("/echo/", {"a": 1}, content_type="application/json").json()
    assert as_json["body"] == '{"a": 1}'
    for method in ("put", "patch", "delete", "options"):
        echoed = getattr(client, method)("/echo/", "payload", "text/plain").json()
        assert (echoed["method"], echoed["body"]) == (method.upper(), "payload")
    assert client.head("/echo/").content == b""
    assert client.trace("/echo/", {"t": 1}).json()["GET"] == {"t": ["1"]}
    assert client.generic("PURGE", "/echo/").json()["method"] == "PURGE"
    assert client.request(PATH_INFO="/echo/", REQUEST_METHOD="GET").status_code == 200


def test_client_defaults_headers_and_query_params() -> None:
    client = Client(
        enforce_csrf_checks=True, headers={"X-Client": "1"}, query_params={"lang": "en"}
    )
    assert client.enforce_csrf_checks
    echoed = client.get("/echo/").json()
    assert echoed["headers"]["X-Client"] == "1"
    assert echoed["GET"] == {"lang": ["en"]}
    assert client.get("/echo/", query_params={"lang": "fr"}).json()["GET"] == {"lang": ["fr"]}


def test_meta_only_keys_reach_the_view(client: Client) -> None:
    echoed = client.get("/echo/", REMOTE_USER="ada", REMOTE_ADDR="10.1.1.1").json()
    assert echoed["meta"]["REMOTE_USER"] == "ada"
    assert echoed["meta"]["REMOTE_ADDR"] == "10.1.1.1"


def test_secure_requests(client: Client) -> None:
    echoed = client.get("/echo/", secure=True).json()
    assert echoed["secure"] is True
    assert echoed["host"] == "testserver"


def test_streaming_responses(client: Client) -> None:
    response = client.get("/stream/")
    assert response.streaming
    assert b"".join(response.streaming_content) == b"one,two"
    asynchronous = client.get("/astream/")
    assert asynchronous.streaming


@pytest.mark.anyio
async def test_async_streaming_content() -> None:
    response = await AsyncClient().get("/astream/")
    assert [chunk async for chunk in response.streaming_content] == [b"a", b"b"]


def test_cookies_are_kept_and_expired_ones_removed(client: Client) -> None:
    set_response = client.get("/cookies/set/")
    assert set_response.cookies["flavour"].value == "ginger"
    assert set(client.cookies) == {"flavour", "size"}
    assert client.get("/echo/").json()["cookies"] == {"flavour": "ginger", "size": "large"}
    client.get("/cookies/delete/")
    assert set(client.cookies) == set()
    assert client.get("/echo/").json()["cookies"] == {}


def test_cookie_expiry_rules() -> None:
    from http.cookies import SimpleCookie

    jar: SimpleCookie = SimpleCookie()
    for key, attribute, value in [
        ("a", "max-age", "bogus"),
        ("b", "expires", "not a date"),
        ("c", "expires", "Fri, 01 Jan 2100 00:00:00 GMT"),
        ("d", "max-age", "-1"),
    ]:
        jar[key] = "1"
        jar[key][attribute] = value
    assert [_cookie_expired(jar[k]) for k in "abcd"] == [False, False, False, True]


def test_raise_request_exception(client: Client) -> None:
    with pytest.raises(ValueError, match="boom in view"):
        client.get("/raise/500/")
    quiet = Client(raise_request_exception=False)
    response = quiet.get("/raise/500/", headers={"Accept": "application/json"})
    assert response.status_code == 500
    assert response.exc_info[0] is ValueError
    assert str(response.exc_info[1]) == "boom in view"
    assert quiet.get("/echo/").exc_info is None


def test_app_is_rebuilt_when_settings_change(client: Client) -> None:
    assert client.get("/echo/").status_code == 200
    with override_settings(ROOT_URLCONF="tests.core.handlers.urls_alt"):
        assert client.get("/alt/").content == b"from the other urlconf"
    assert client.get("/alt/").status_code == 404


def test_a_pure_asgi_answer_replaces_the_views_response(client: Client) -> None:
    with override_settings(MIDDLEWARE=["tests.test.test_client.TeapotASGI"]):
        response = client.get("/template/")
    assert response.status_code == 418
    assert type(response) is HttpResponse
    assert response.content == b"short and stout"


class TeapotASGI:
    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        async def ignore(message: Any) -> None:
            return None

        await self.app(scope, receive, ignore)
        headers = [(b"content-length", b"15")]
        await send({"type": "http.response.start", "status": 418, "headers": headers})
        await send({"type": "http.response.body", "body": b"short and stout"})


# -- Client: redirects ----------------------------------------------------------------


def test_follow_records_the_redirect_chain(client: Client) -> None:
    response = client.get("/redirect/2/", follow=True)
    assert response.status_code == 200
    assert response.redirect_chain == [
        ("/redirect/1/", 302),
        ("/redirect/0/", 302),
        ("/echo/?done=1", 302),
    ]
    assert response.json()["GET"] == {"done": ["1"]}
    assert response.request["PATH_INFO"] == "/echo/"
    not_followed = client.get("/redirect/0/")
    assert not_followed.status_code == 302
    assert not_followed.url == "/echo/?done=1"


def test_follow_positional_argument_is_follow_as_in_django(client: Client) -> None:
    response = client.get("/redirect/0/", None, True)
    assert response.redirect_chain == [("/echo/?done=1", 302)]


def test_follow_relative_absolute_and_other_hosts(client: Client) -> None:
    relative = client.get("/relative/here/", follow=True)
    assert relative.request["PATH_INFO"] == "/relative/echo/"
    assert relative.status_code == 404
    absolute = client.get("/absolute/", follow=True)
    echoed = absolute.json()
    assert echoed["secure"] is True
    assert echoed["GET"] == {"x": ["1"]}
    with override_settings(ALLOWED_HOSTS=["testserver", "elsewhere.example"]):
        other = Client().get("/other-host/", follow=True)
    assert other.json()["host"] == "elsewhere.example:8080"


def test_post_follow_becomes_get_but_307_and_308_repeat(client: Client) -> None:
    posted = client.post("/redirect/0/", {"a": "1"}, follow=True)
    assert posted.json()["method"] == "GET"
    kept = client.post("/r307/", {"a": "1"}, follow=True)
    echoed = kept.json()
    assert (echoed["method"], echoed["POST"], echoed["GET"]) == (
        "POST",
        {"a": ["1"]},
        {"kept": ["1"]},
    )
    assert kept.redirect_chain == [("/echo/?kept=1", 307)]
    put = client.put("/r308/", "body", "text/plain", follow=True).json()
    assert (put["method"], put["body"]) == ("PUT", "body")
    got = client.get("/r307/", follow=True).json()
    assert (got["method"], got["GET"]) == ("GET", {"kept": ["1"]})
    head = client.head("/redirect/0/", follow=True)
    assert head.request["REQUEST_METHOD"] == "GET"  # Django follows with GET
    for method in ("patch", "delete", "options"):
        assert getattr(client, method)("/r307/", follow=True).json()["method"] == method.upper()
    custom = client.generic("PURGE", "/r307/")
    assert custom.status_code == 307
    trace = client.trace("/redirect/0/", follow=True)
    assert trace.redirect_chain == [("/echo/?done=1", 302)]


def test_redirect_loops_and_too_many_redirects(client: Client) -> None:
    with pytest.raises(RedirectCycleError, match="Redirect loop detected.") as loop:
        client.get("/loop/", follow=True)
    assert loop.value.redirect_chain == [("/loop/", 302), ("/loop/", 302)]
    assert loop.value.last_response.status_code == 302
    with pytest.raises(RedirectCycleError, match="Too many redirects."):
        client.get("/grow/0/", follow=True)


# -- AsyncClient ------------------------------------------------------------------------


@pytest.mark.anyio
async def test_async_client_requests_and_attributes() -> None:
    client = AsyncClient(headers={"X-Default": "d"})
    response = await client.get("/echo/", {"q": "1"}, ACCEPT="application/json")
    echoed = response.json()
    assert echoed["headers"]["Accept"] == "application/json"
    assert echoed["headers"]["X-Default"] == "d"
    assert echoed["host"] == "testserver"
    assert response.request["path"] == "/echo/"  # the ASGI scope, as Django's
    assert response.asgi_request.GET["q"] == "1"
    posted = await client.post("/echo/", {"a": "b"}, "application/json")
    assert posted.json()["body"] == '{"a": "b"}'
    for method in ("put", "patch", "delete", "options"):
        echoed = (await getattr(client, method)("/echo/", "x", "text/plain")).json()
        assert echoed["method"] == method.upper()
    assert (await client.head("/echo/")).content == b""
    assert (await client.trace("/echo/")).json()["method"] == "TRACE"
    raw = await client.request(PATH_INFO="/echo/", REQUEST_METHOD="GET")
    assert raw.status_code == 200


@pytest.mark.anyio
async def test_async_client_follow_cookies_and_exceptions() -> None:
    client = AsyncClient()
    followed = await client.get("/redirect/1/", follow=True, X_TRACE="t")
    assert followed.redirect_chain == [("/redirect/0/", 302), ("/echo/?done=1", 302)]
    assert followed.json()["headers"]["X-Trace"] == "t"
    kept = await client.post("/r307/", {"a": "1"}, follow=True)
    assert kept.json()["POST"] == {"a": ["1"]}
    assert (await client.head("/redirect/0/", follow=True)).status_code == 200
    assert (await client.trace("/redirect/0/", follow=True)).status_code == 200
    assert (await client.put("/r308/", "b", "text/plain", follow=True)).json()["body"] == "b"
    await client.get("/cookies/set/")
    assert (await client.get("/echo/")).json()["cookies"]["flavour"] == "ginger"
    with pytest.raises(LookupError, match="async boom"):
        await client.get("/async-raise/")
    quiet = AsyncClient(raise_request_exception=False)
    response = await quiet.get("/async-raise/")
    assert response.status_code == 500
    with pytest.raises(RedirectCycleError):
        await client.get("/loop/", follow=True)


@pytest.mark.anyio
async def test_async_client_scope_defaults() -> None:
    client = AsyncClient(client=("192.0.2.1", 4000))
    echoed = (await client.get("/echo/")).json()
    assert echoed["meta"]["REMOTE_ADDR"] == "192.0.2.1"


def test_multipart_content_constant() -> None:
    assert MULTIPART_CONTENT == f"multipart/form-data; boundary={BOUNDARY}"


def test_odd_values_and_files() -> None:
    rf = RequestFactory()
    assert rf.put("/", memoryview(b"mv")).body == b"mv"
    upload = io.BytesIO(b"{}")
    upload.name = "data.bin"
    upload.content_type = "application/json"  # type: ignore[attr-defined]
    assert rf.post("/", {"f": upload}).FILES["f"].content_type == "application/json"
    contexts = ContextList([{"a": 1}, None])
    assert {"a": 1} in contexts
    assert "a" in contexts
    assert "b" not in contexts


def test_fastapi_route_responses_get_a_request_and_resolver_match(client: Client) -> None:
    response = client.get("/api/items/4")
    assert response.json() == {"item_id": 4}
    assert response.wsgi_request.path == "/api/items/4"
    assert response.resolver_match.kwargs == {"item_id": 4}
    assert response.templates == []


def test_redirects_without_location_or_with_a_bare_host(client: Client) -> None:
    with override_settings(MIDDLEWARE=["tests.test.test_client.BareRedirectASGI"]):
        bare = Client().get("/echo/", follow=True, HTTP_X_MODE="bare")
        assert bare.redirect_chain == [("http://testserver", 302)]
        assert bare.request["PATH_INFO"] == "/"
        nowhere = Client().get("/echo/", follow=True, HTTP_X_MODE="none")
        assert nowhere.status_code == 302
        assert nowhere.redirect_chain == []
        streamed = Client().get("/echo/", HTTP_X_MODE="stream")
        assert streamed.streaming
        assert b"".join(streamed.streaming_content) == b"ab"
        assert streamed["X-Twice"] == "1, 2"


class BareRedirectASGI:
    """Answers by the X-Mode header, ignoring the app when asked to."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        mode = dict(scope["headers"]).get(b"x-mode")
        if mode == b"bare" and scope["path"] == "/echo/":
            headers = [(b"location", b"http://testserver"), (b"content-length", b"0")]
            await send({"type": "http.response.start", "status": 302, "headers": headers})
            await send({"type": "http.response.body", "body": b""})
        elif mode == b"none":
            await send({"type": "http.response.start", "status": 302, "headers": []})
            await send({"type": "http.response.body", "body": b""})
        elif mode == b"stream":
            headers = [(b"x-twice", b"1"), (b"x-twice", b"2")]
            await send({"type": "http.response.start", "status": 200, "headers": headers})
            await send({"type": "http.response.body", "body": b"a", "more_body": True})
            await send({"type": "http.response.body", "body": b"b"})
        else:
            await self.app(scope, receive, send)


def test_exception_signal_without_an_exception_argument(client: Client) -> None:

    with override_settings(MIDDLEWARE=["tests.test.test_client.signal_sender"]):
        with pytest.raises(KeyError, match="sent by hand"):
            Client().get("/echo/")


def signal_sender(get_response: Any) -> Any:
    from fastjango.core.signals import got_request_exception

    def middleware(request: Any) -> Any:
        try:
            raise KeyError("sent by hand")
        except KeyError:
            got_request_exception.send(sender=None, request=request)
        got_request_exception.send(sender=None, request=request)  # nothing being handled
        return get_response(request)

    return middleware


def test_a_script_using_the_client_exits(tmp_path: Any) -> None:
    import subprocess
    import sys

    script = tmp_path / "script.py"
    script.write_text(
        "import os\n"
        "os.environ['FASTJANGO_SETTINGS_MODULE'] = 'tests.settings'\n"
        "import fastjango\n"
        "fastjango.setup()\n"
        "from fastjango.test import Client\n"
        "print(Client().get('/').status_code)\n"
    )
    import pathlib

    root = pathlib.Path(__file__).resolve().parents[2]
    done = subprocess.run(
        [sys.executable, str(script)],
        cwd=root,
        env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == b"200"


def test_client_on_a_given_app_sees_routes_added_to_it() -> None:
    from fastjango.core.asgi import get_asgi_application

    # A project's asgi.py may add FastAPI routes to its application; a client built
    # from the settings alone wouldn't have them.
    application = get_asgi_application(run_checks=False)

    @application.get("/health")
    def health() -> dict[str, str]:
        return {"status": "ok"}

    assert Client().get("/health").status_code == 404
    given = Client(app=application)
    assert given.get("/health").json() == {"status": "ok"}
    # The urlconf's views are there too, and test-only recording (templates) still works.
    page = given.get("/template/")
    assert page.status_code == 200
    assert page.templates


@pytest.mark.anyio
async def test_async_client_on_a_given_app() -> None:
    from fastjango.core.asgi import get_asgi_application

    application = get_asgi_application(run_checks=False)

    @application.get("/health")
    async def health() -> dict[str, str]:
        return {"status": "ok"}

    response = await AsyncClient(app=application).get("/health")
    assert response.json() == {"status": "ok"}


def test_client_app_must_be_an_asgi_application() -> None:
    with pytest.raises(TypeError, match=r"Client\(app=...\) takes an ASGI application"):
        Client(app="mysite.asgi.application")
    with pytest.raises(TypeError, match="not str"):
        AsyncClient(app="mysite.asgi.application")
