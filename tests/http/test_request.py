from __future__ import annotations

import pytest
from starlette.requests import Request as StarletteRequest

from fastjango.core.exceptions import DisallowedHost, ImproperlyConfigured
from fastjango.http import HttpHeaders, HttpRequest, QueryDict
from fastjango.http.request import MediaType, split_domain_port, validate_host
from fastjango.test.utils import override_settings
from fastjango.utils.datastructures import MultiValueDict
from tests.http.asgi import make_scope


def request_for(**kwargs: object) -> HttpRequest:
    return HttpRequest(make_scope(**kwargs))  # type: ignore[arg-type]


def test_empty_request_as_django_allows() -> None:
    request = HttpRequest()
    assert request.method is None
    assert request.path == request.path_info == ""
    assert request.META == {} and request.COOKIES == {}
    assert request.GET == {} and request.POST == {}
    assert isinstance(request.FILES, MultiValueDict) and not request.FILES
    assert request.body == b""
    assert request.read() == b""
    assert request.resolver_match is None
    assert request.content_type is None and request.content_params is None
    assert repr(request) == "<HttpRequest>"
    # Unlike a parsed request, an empty one's GET/POST can be filled in by hand.
    request.GET["a"] = "1"
    request.POST["b"] = "2"
    request.encoding = "latin-1"
    assert request.GET["a"] == "1" and request.POST["b"] == "2"


def test_basic_attributes_from_scope() -> None:
    request = request_for(method="get", path="/caf\xe9/", query_string=b"a=1&a=2&b=")
    assert request.method == "GET"
    assert request.path == request.path_info == "/caf\xe9/"
    assert request.scope["path"] == "/caf\xe9/"
    assert request.GET.getlist("a") == ["1", "2"]
    assert request.GET["b"] == ""
    assert isinstance(request.GET, QueryDict)
    with pytest.raises(AttributeError, match="This QueryDict instance is immutable"):
        request.GET["c"] = "3"
    assert repr(request) == "<HttpRequest: GET '/caf%C3%A9/?a=1&a=2&b='>"
    request.GET = QueryDict("x=1")
    assert request.GET["x"] == "1"


def test_root_path_is_the_script_prefix() -> None:
    request = request_for(path="/app/books/1/", root_path="/app")
    assert request.path == "/app/books/1/"
    assert request.path_info == "/books/1/"
    assert request.META["SCRIPT_NAME"] == "/app"
    assert request.META["PATH_INFO"] == "/books/1/"
    assert request.get_full_path_info() == "/books/1/"
    # A server that strips root_path from path (older ASGI reading) gets the same result.
    stripped = request_for(path="/books/1/", root_path="/app")
    assert (stripped.path, stripped.path_info) == ("/app/books/1/", "/books/1/")
    assert request_for(path="/app", root_path="/app").path_info == "/"
    with override_settings(FORCE_SCRIPT_NAME="/forced"):
        forced = request_for(path="/forced/x/")
    assert (forced.path, forced.path_info) == ("/forced/x/", "/x/")


def test_meta_from_scope() -> None:
    request = request_for(
        method="POST",
        query_string=b"q=1",
        headers=[
            (b"host", b"example.com"),
            (b"content-type", b"text/plain"),
            (b"content-length", b"0"),
            (b"x-custom", b"a"),
            (b"x-custom", b"b"),
            (b"cookie", b"a=1; "),
            (b"cookie", b"b=2"),
            (b"x_forwarded_host", b"evil.com"),
            (b"user-agent", b"caf\xe9"),
        ],
        client=("10.0.0.1", 1234),
        server=("example.com", 8000),
    )
    meta = request.META
    assert meta["REQUEST_METHOD"] == "POST"
    assert meta["QUERY_STRING"] == "q=1"
    assert meta["PATH_INFO"] == "/" and meta["SCRIPT_NAME"] == ""
    assert meta["REMOTE_ADDR"] == meta["REMOTE_HOST"] == "10.0.0.1"
    assert meta["REMOTE_PORT"] == 1234
    assert (meta["SERVER_NAME"], meta["SERVER_PORT"]) == ("example.com", "8000")
    assert meta["HTTP_HOST"] == "example.com"
    assert meta["CONTENT_TYPE"] == "text/plain"
    assert meta["CONTENT_LENGTH"] == "0"
    assert meta["HTTP_X_CUSTOM"] == "a,b"
    assert meta["HTTP_COOKIE"] == "a=1; b=2"
    assert meta["HTTP_USER_AGENT"] == "caf\xe9"
    # A header spelled with underscores cannot pose as one a proxy set.
    assert "HTTP_X_FORWARDED_HOST" not in meta
    assert request.COOKIES == {"a": "1", "b": "2"}


def test_meta_without_server_or_client() -> None:
    meta = request_for(server=None, client=None, headers=[]).META
    assert (meta["SERVER_NAME"], meta["SERVER_PORT"]) == ("unknown", "0")
    assert "REMOTE_ADDR" not in meta


def test_headers_are_case_insensitive_with_underscores() -> None:
    request = request_for(
        headers=[(b"host", b"h"), (b"content-type", b"text/html"), (b"x-requested-with", b"x")]
    )
    headers = request.headers
    assert isinstance(headers, HttpHeaders)
    assert headers["Content-Type"] == headers["content_type"] == "text/html"
    assert headers["X-Requested-With"] == headers.get("x_requested_with") == "x"
    assert "Host" in headers
    assert dict(headers) == {"Host": "h", "Content-Type": "text/html", "X-Requested-With": "x"}


def test_http_headers_name_conversions() -> None:
    assert HttpHeaders.parse_header_name("HTTP_ACCEPT_LANGUAGE") == "Accept-Language"
    assert HttpHeaders.parse_header_name("CONTENT_LENGTH") == "Content-Length"
    assert HttpHeaders.parse_header_name("REMOTE_ADDR") is None
    assert HttpHeaders.to_wsgi_name("Accept-Language") == "HTTP_ACCEPT_LANGUAGE"
    assert HttpHeaders.to_wsgi_name("content-type") == "CONTENT_TYPE"
    assert HttpHeaders.to_asgi_name("X-Thing") == "X_THING"
    assert HttpHeaders.to_wsgi_names({"X-A": 1}) == {"HTTP_X_A": 1}
    assert HttpHeaders.to_asgi_names({"X-A": 1}) == {"X_A": 1}


def test_content_type_and_encoding_from_header() -> None:
    request = request_for(headers=[(b"content-type", b"text/plain; charset=latin-1")])
    assert request.content_type == "text/plain"
    assert request.content_params == {"charset": "latin-1"}
    assert request.encoding == "latin-1"
    unknown = request_for(headers=[(b"content-type", b"text/plain; charset=nope")])
    assert unknown.encoding is None
    assert request_for().content_type == ""


def test_setting_encoding_redecodes_get() -> None:
    request = request_for(query_string=b"name=%E9")
    assert request.GET["name"] == "\ufffd"
    request.encoding = "iso-8859-1"
    assert request.GET["name"] == "\xe9"
    assert request.GET.encoding == "iso-8859-1"


def test_get_host_validation() -> None:
    with override_settings(DEBUG=False, ALLOWED_HOSTS=["example.com", ".example.org", "[::1]"]):
        for host in (
            "example.com",
            "EXAMPLE.com:8000",
            "example.org",
            "sub.example.org",
            "[::1]:80",
        ):
            request = request_for(headers=[(b"host", host.encode())])
            assert request.get_host() == host
        with pytest.raises(DisallowedHost) as exc_info:
            request_for(headers=[(b"host", b"evil.com")]).get_host()
        assert str(exc_info.value) == (
            "Invalid HTTP_HOST header: 'evil.com'. You may need to add 'evil.com' to ALLOWED_HOSTS."
        )
        with pytest.raises(DisallowedHost) as exc_info:
            request_for(headers=[(b"host", b"bad host!")]).get_host()
        assert str(exc_info.value) == (
            "Invalid HTTP_HOST header: 'bad host!'. The domain name provided is not valid "
            "according to RFC 1034/1035."
        )
    with override_settings(DEBUG=False, ALLOWED_HOSTS=["*"]):
        assert request_for(headers=[(b"host", b"anything.test")]).get_host() == "anything.test"


def test_get_host_in_debug_with_empty_allowed_hosts() -> None:
    with override_settings(DEBUG=True, ALLOWED_HOSTS=[]):
        for host in ("localhost", "sub.localhost:8000", "127.0.0.1", "[::1]"):
            assert request_for(headers=[(b"host", host.encode())]).get_host() == host
        with pytest.raises(DisallowedHost):
            request_for(headers=[(b"host", b"example.com")]).get_host()
    with override_settings(DEBUG=False, ALLOWED_HOSTS=[]):
        with pytest.raises(DisallowedHost):
            request_for(headers=[(b"host", b"localhost")]).get_host()


def test_get_host_forwarded_and_fallback_to_server() -> None:
    headers = [(b"host", b"internal"), (b"x-forwarded-host", b"public.com")]
    with override_settings(ALLOWED_HOSTS=["*"], USE_X_FORWARDED_HOST=True):
        assert request_for(headers=headers).get_host() == "public.com"
    with override_settings(ALLOWED_HOSTS=["*"], USE_X_FORWARDED_HOST=False):
        assert request_for(headers=headers).get_host() == "internal"
    with override_settings(ALLOWED_HOSTS=["*"]):
        assert request_for(headers=[], server=("srv", 80)).get_host() == "srv"
        assert request_for(headers=[], server=("srv", 8080)).get_host() == "srv:8080"
        secure = request_for(headers=[], server=("srv", 443), scheme="https")
        assert secure.get_host() == "srv"


def test_get_port() -> None:
    headers = [(b"host", b"h"), (b"x-forwarded-port", b"8443")]
    assert request_for(headers=headers, server=("h", 8000)).get_port() == "8000"
    with override_settings(USE_X_FORWARDED_PORT=True):
        assert request_for(headers=headers, server=("h", 8000)).get_port() == "8443"


def test_split_domain_port_and_validate_host() -> None:
    assert split_domain_port("Example.COM:8000") == ("example.com", "8000")
    assert split_domain_port("example.com.") == ("example.com", "")
    assert split_domain_port("[::1]:80") == ("[::1]", "80")
    assert split_domain_port("[::ffff:127.0.0.1]") == ("[::ffff:127.0.0.1]", "")
    assert split_domain_port("bad host") == ("", "")
    assert split_domain_port("") == ("", "")
    assert validate_host("example.com", ["*"])
    assert validate_host("a.example.com", [".example.com"])
    assert not validate_host("example.net", ["example.com"])
    assert not validate_host("example.com", [])


def test_scheme_and_is_secure() -> None:
    assert request_for().scheme == "http" and not request_for().is_secure()
    assert request_for(scheme="https").is_secure()
    headers = [(b"host", b"h"), (b"x-forwarded-proto", b"https, http")]
    with override_settings(SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https")):
        assert request_for(headers=headers).is_secure()
        other = [(b"host", b"h"), (b"x-forwarded-proto", b"http")]
        assert request_for(headers=other, scheme="https").scheme == "http"
        assert request_for(scheme="https").is_secure()
    with override_settings(SECURE_PROXY_SSL_HEADER=("just-one",)):
        with pytest.raises(ImproperlyConfigured, match="must be a tuple containing two values"):
            request_for().is_secure()


def test_full_paths() -> None:
    request = request_for(path="/a b/?", query_string=b"x=caf\xc3\xa9&y=%20")
    assert request.get_full_path() == "/a%20b/%3F?x=caf%C3%A9&y=%20"
    assert request_for(query_string=b"x=\xe9").META["QUERY_STRING"] == "x=\xe9"
    request = request_for(path="/p", query_string=b"q=1")
    assert request.get_full_path(force_append_slash=True) == "/p/?q=1"
    assert request_for(path="/p/").get_full_path(force_append_slash=True) == "/p/"


def test_build_absolute_uri() -> None:
    with override_settings(ALLOWED_HOSTS=["testserver"]):
        request = request_for(path="/dir/page", query_string=b"a=1")
        assert request.build_absolute_uri() == "http://testserver/dir/page?a=1"
        assert request.build_absolute_uri("/other/") == "http://testserver/other/"
        assert request.build_absolute_uri("sibling?b=2") == "http://testserver/dir/sibling?b=2"
        assert request.build_absolute_uri("../up") == "http://testserver/up"
        assert request.build_absolute_uri("/x/../y") == "http://testserver/y"
        assert request.build_absolute_uri("//cdn.example.com/a") == "http://cdn.example.com/a"
        assert request.build_absolute_uri("https://ex.com/caf\xe9") == "https://ex.com/caf%C3%A9"
        assert request_for(path="//double").build_absolute_uri() == "http://testserver//double"
        secure = request_for(scheme="https", server=("testserver", 443))
        assert secure.build_absolute_uri("/s") == "https://testserver/s"


def test_accepts_and_preferred_type() -> None:
    accept = b"text/html, application/xhtml+xml, application/xml;q=0.9, */*;q=0.8"
    request = request_for(headers=[(b"accept", accept)])
    assert [str(t) for t in request.accepted_types] == [
        "text/html",
        "application/xhtml+xml",
        "application/xml; q=0.9",
        "*/*; q=0.8",
    ]
    assert request.accepts("text/html")
    assert request.accepts("application/json")  # via */*
    assert request.get_preferred_type(["application/json", "text/html"]) == "text/html"
    assert request.get_preferred_type(["application/json", "application/xml"]) == (
        "application/xml"
    )
    assert request.get_preferred_type([]) is None
    assert request.accepted_type("text/html") is request.accepted_types[0]

    json_only = request_for(headers=[(b"accept", b"application/json; q=0")])
    assert json_only.accepted_types == []
    assert not json_only.accepts("application/json")
    assert json_only.get_preferred_type(["application/json"]) is None

    strict = request_for(headers=[(b"accept", b"text/plain")])
    assert not strict.accepts("text/html")
    assert strict.get_preferred_type(["text/html"]) is None
    assert request_for().accepts("anything/at-all")


def test_media_type() -> None:
    media = MediaType("text/html; charset=utf-8; q=0.5")
    assert (media.main_type, media.sub_type) == ("text", "html")
    assert media.params == {"charset": "utf-8", "q": "0.5"}
    assert media.range_params == {"charset": "utf-8"}
    assert media.quality == 0.5
    assert media.specificity == 3
    assert repr(media) == "<MediaType: text/html; charset=utf-8; q=0.5>"
    assert str(MediaType("")) == ""
    assert str(MediaType(None)) == ""
    assert MediaType("*/*").specificity == 0
    assert MediaType("text/*").specificity == 1
    assert MediaType("text/plain").specificity == 2
    assert MediaType("a/b; q=nope").quality == 1
    assert MediaType("a/b; q=7").quality == 1
    assert MediaType("text/*").match("text/plain")
    assert MediaType("text/plain").match(MediaType("*/*"))
    assert not MediaType("text/plain").match("image/png")
    assert not MediaType("text/plain").match("")
    assert not MediaType("text").match("text/plain")
    assert MediaType("text/plain; charset=utf-8").match("text/plain")
    assert not MediaType("text/plain").match("text/plain; charset=utf-8")
    assert MediaType("text/plain; a=1").match("text/plain; a=1")
    assert not MediaType("text/plain; a=1").match("text/plain; a=2")


def test_starlette_request_shares_the_scope() -> None:
    request = request_for(path="/s/", query_string=b"a=1")
    starlette = request.starlette
    assert isinstance(starlette, StarletteRequest)
    assert starlette.scope is request.scope
    assert starlette.query_params["a"] == "1"
    assert request.starlette is starlette
    assert HttpRequest().starlette.scope["type"] == "http"
