from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from fastjango.middleware import _asgi
from fastjango.middleware._asgi import (
    HostValidator,
    SecureChecker,
    full_path,
    patch_vary_headers,
    path_info,
    remove_header,
    set_header,
    start_headers,
)

from ._apps import scope_for


def hosts(allowed: list[str], debug: bool = False, **flags: bool) -> HostValidator:
    return HostValidator(
        SimpleNamespace(
            ALLOWED_HOSTS=allowed,
            DEBUG=debug,
            USE_X_FORWARDED_HOST=flags.get("x_host", False),
            USE_X_FORWARDED_PORT=flags.get("x_port", False),
        )
    )


@pytest.mark.parametrize(
    ("allowed", "host", "expected"),
    [
        (["example.com"], "example.com", "example.com"),
        (["example.com"], "EXAMPLE.com:8000", "EXAMPLE.com:8000"),
        (["example.com"], "example.com.", "example.com."),
        (["example.com"], "www.example.com", None),
        ([".example.com"], "www.example.com", "www.example.com"),
        ([".example.com"], "example.com", "example.com"),
        ([".example.com"], "badexample.com", None),
        (["*"], "anything.test", "anything.test"),
        (["*"], "bad host", None),
        (["[::1]"], "[::1]:8000", "[::1]:8000"),
        ([], "example.com", None),
        (["example.com"], "example.com@evil", None),
        ([""], "", None),
        (["*"], ".", None),
    ],
)
def test_host_validation(allowed: list[str], host: str, expected: str | None) -> None:
    scope = scope_for(headers=[("host", host)])
    assert hosts(allowed).get_host(scope, False) == expected


@pytest.mark.parametrize("host", ["localhost", "api.localhost", "127.0.0.1:8000", "[::1]"])
def test_debug_with_empty_allowed_hosts_allows_local_names(host: str) -> None:
    scope = scope_for(headers=[("host", host)])
    assert hosts([], debug=True).get_host(scope, False) == host
    assert hosts([], debug=False).get_host(scope, False) is None


def test_host_from_server_address_when_no_host_header() -> None:
    scope = scope_for(headers=[])
    scope["server"] = ("example.com", 8080)
    assert hosts(["example.com"]).get_host(scope, False) == "example.com:8080"
    scope["server"] = ("example.com", 443)
    assert hosts(["example.com"]).get_host(scope, True) == "example.com"
    scope["server"] = ("example.com", 80)
    assert hosts(["example.com"]).get_host(scope, False) == "example.com"
    del scope["server"]
    assert hosts(["*"]).raw_host(scope, False) == "unknown:0"


def test_x_forwarded_port_and_host() -> None:
    scope = scope_for(headers=[("x-forwarded-port", "8443"), ("x-forwarded-host", "b.test")])
    scope["server"] = ("a.test", 80)
    assert hosts(["*"], x_port=True).raw_host(scope, False) == "a.test:8443"
    assert hosts(["*"]).raw_host(scope, False) == "a.test"
    assert hosts(["*"], x_host=True).raw_host(scope, False) == "b.test"
    scope = scope_for(headers=[])
    scope["server"] = ("a.test", 8000)
    assert hosts(["*"], x_port=True).raw_host(scope, False) == "a.test:8000"


def test_secure_checker() -> None:
    checker = SecureChecker(None)
    assert checker(scope_for(scheme="https"))
    assert not checker(scope_for())
    assert checker({"scheme": "wss", "headers": []})


def test_path_info_strips_root_path_only_on_a_segment_boundary() -> None:
    assert path_info(scope_for("/app/x", root_path="/app")) == "/x"
    assert path_info(scope_for("/app", root_path="/app")) == "/"
    assert path_info(scope_for("/apple", root_path="/app")) == "/apple"
    assert path_info(scope_for("/x", root_path="/app")) == "/x"
    assert path_info(scope_for("/x")) == "/x"


def test_full_path_quotes_like_django() -> None:
    scope = scope_for("/a b/ü", query_string=b"q=a%20b&x=\xc3\xbc")
    assert full_path(scope) == "/a%20b/%C3%BC?q=a%20b&x=%C3%BC"
    assert full_path(scope_for("/a/"), force_append_slash=True) == "/a/"
    assert full_path(scope_for("/a"), force_append_slash=True) == "/a/"


def test_header_list_helpers() -> None:
    message: dict[str, Any] = {"headers": [[b"X-A", b"1"], (b"x-b", b"2"), (b"x-a", b"3")]}
    original = message["headers"]
    headers = start_headers(message)
    assert headers is message["headers"] and headers is not original
    assert _asgi.get_header(headers, b"x-a") == b"1"
    assert _asgi.has_header(headers, b"x-b")
    set_header(headers, b"x-a", b"4")
    assert headers == [(b"x-b", b"2"), (b"x-a", b"4")]
    remove_header(headers, b"x-b")
    assert headers == [(b"x-a", b"4")]
    assert _asgi.get_header(headers, b"x-missing") is None
    assert start_headers({}) == []
    headers = [(b"A", b"1"), (b"b", b"2"), (b"a", b"3")]
    _asgi.set_headers(headers, [(b"a", b"9"), (b"c", b"8")])
    assert headers == [(b"b", b"2"), (b"a", b"9"), (b"c", b"8")]


def test_patch_vary_headers_merges_every_vary_header() -> None:
    headers = [(b"vary", b"Cookie"), (b"x", b"1"), (b"Vary", b"accept-encoding")]
    patch_vary_headers(headers, ("Accept-Encoding", "Origin"))
    assert headers == [(b"x", b"1"), (b"vary", b"Cookie, accept-encoding, Origin")]
    headers = [(b"vary", b"*")]
    patch_vary_headers(headers, ("Origin",))
    assert headers == [(b"vary", b"*")]


def test_every_module_declares_its_exports() -> None:
    import importlib

    for name in [
        "fastjango.middleware",
        "fastjango.middleware._asgi",
        "fastjango.middleware.security",
        "fastjango.middleware.clickjacking",
        "fastjango.middleware.gzip",
        "fastjango.middleware.cors",
        "fastjango.middleware.http",
        "fastjango.views.decorators.clickjacking",
        "fastjango.views.decorators.gzip",
    ]:
        module = importlib.import_module(name)
        for export in module.__all__:
            assert hasattr(module, export), f"{name}.{export}"
