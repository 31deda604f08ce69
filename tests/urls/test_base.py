"""Per-request URL state (script prefix, urlconf), caches, exports and helpers."""

from __future__ import annotations

import importlib
import os
import pkgutil
import subprocess
import sys
from pathlib import Path

import anyio
import pytest

import fastjango.urls
from fastjango.core.exceptions import ViewDoesNotExist
from fastjango.urls import (
    clear_script_prefix,
    clear_url_caches,
    get_callable,
    get_mod_func,
    get_resolver,
    get_script_prefix,
    get_urlconf,
    resolve,
    reverse,
    set_script_prefix,
    set_urlconf,
)
from tests.urls import views

DOCS = "tests.urls.urlconf_docs"


def test_public_api() -> None:
    assert set(fastjango.urls.__all__) == {
        "NoReverseMatch",
        "Resolver404",
        "ResolverMatch",
        "URLMount",
        "URLPattern",
        "URLResolver",
        "clear_script_prefix",
        "clear_url_caches",
        "get_callable",
        "get_mod_func",
        "get_ns_resolver",
        "get_resolver",
        "get_script_prefix",
        "get_urlconf",
        "include",
        "is_valid_path",
        "path",
        "re_path",
        "register_converter",
        "resolve",
        "reverse",
        "reverse_lazy",
        "set_script_prefix",
        "set_urlconf",
    }
    for name in fastjango.urls.__all__:
        assert getattr(fastjango.urls, name) is not None


def test_every_module_imports_and_declares_its_exports() -> None:
    for info in pkgutil.iter_modules(fastjango.urls.__path__, "fastjango.urls."):
        module = importlib.import_module(info.name)
        for name in module.__all__:
            assert hasattr(module, name), (info.name, name)


def test_importing_fastjango_urls_loads_no_urlconf() -> None:
    code = (
        "import sys, fastjango.urls\n"
        "assert 'tests.urls.urlconf_docs' not in sys.modules\n"
        "fastjango.urls.resolve('/articles/2003/')\n"
        "assert 'tests.urls.urlconf_docs' in sys.modules\n"
    )
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "FASTJANGO_SETTINGS_MODULE": "tests.urls.settings_docs"}
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=root, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


def test_script_prefix_defaults_and_normalizes() -> None:
    assert get_script_prefix() == "/"
    set_script_prefix("/app")
    assert get_script_prefix() == "/app/"
    clear_script_prefix()
    assert get_script_prefix() == "/"


@pytest.mark.anyio
async def test_concurrent_requests_keep_their_own_script_prefix() -> None:
    seen: dict[str, list[str]] = {}

    async def request(prefix: str) -> None:
        set_script_prefix(prefix)
        await anyio.sleep(0.01)  # let the other request run and set its prefix
        urls = [reverse("special-2003", DOCS)]
        # A sync view runs in a worker thread, with the request's context.
        urls.append(await anyio.to_thread.run_sync(reverse, "special-2003", DOCS))
        seen[prefix] = urls

    async with anyio.create_task_group() as tg:
        tg.start_soon(request, "/one/")
        tg.start_soon(request, "/two/")
    assert seen == {
        "/one/": ["/one/articles/2003/"] * 2,
        "/two/": ["/two/articles/2003/"] * 2,
    }
    assert get_script_prefix() == "/"


def test_set_urlconf_overrides_root_urlconf() -> None:
    assert get_urlconf() is None
    assert get_urlconf("fallback") == "fallback"
    set_urlconf("tests.urls.urlconf_blog")
    assert get_urlconf() == "tests.urls.urlconf_blog"
    assert resolve("/").url_name == "blog-index"
    assert reverse("blog-entry", args=[3]) == "/3/"
    set_urlconf(None)
    assert get_urlconf() is None


def test_clear_url_caches() -> None:
    first = get_resolver(DOCS)
    assert get_resolver(DOCS) is first
    clear_url_caches()
    assert get_resolver(DOCS) is not first


def test_get_mod_func() -> None:
    assert get_mod_func("a.b.view") == ("a.b", "view")
    assert get_mod_func("view") == ("view", "")


def test_get_callable() -> None:
    assert get_callable(views.empty_view) is views.empty_view
    assert get_callable("tests.urls.views.empty_view") is views.empty_view


@pytest.mark.parametrize(
    ("lookup", "error", "message"),
    [
        (42, ViewDoesNotExist, "'42' is not a callable or a dot-notation path"),
        (
            "empty_view",
            ImportError,
            "Could not import 'empty_view'. The path must be fully qualified.",
        ),
        (
            "tests.urls.views.nope",
            ViewDoesNotExist,
            "Could not import 'tests.urls.views.nope'. View does not exist in module "
            "tests.urls.views.",
        ),
        (
            "tests.urls.views.__all__",
            ViewDoesNotExist,
            "Could not import 'tests.urls.views.__all__'. View is not callable.",
        ),
        (
            "tests.urls.nomodule.view",
            ViewDoesNotExist,
            "Could not import 'tests.urls.nomodule.view'. Parent module tests.urls.nomodule does "
            "not exist.",
        ),
        ("nopackage.view", ModuleNotFoundError, "No module named 'nopackage'"),
    ],
)
def test_get_callable_errors(lookup: object, error: type[Exception], message: str) -> None:
    with pytest.raises(error) as info:
        get_callable(lookup)
    assert str(info.value) == message


def test_get_callable_reraises_errors_inside_the_module() -> None:
    with pytest.raises(ModuleNotFoundError, match="tests.urls.no_such_module"):
        get_callable("tests.urls.urlconf_import_error.urlpatterns")
