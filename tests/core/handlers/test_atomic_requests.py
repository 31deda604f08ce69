"""ATOMIC_REQUESTS: each Django-style view runs in a transaction, committed or rolled back."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from fastjango.db import connections
from fastjango.http import HttpRequest, HttpResponseBase
from fastjango.test import Client, _databases, override_settings
from tests.test.dbapp import APP, database_settings, require_server
from tests.test.dbapp.models import Person

URLS = "tests.test.dbapp.urls"


class UseDatabaseUrls:
    """Serve the request from the database views' urlconf (a per-request urlconf)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        request.urlconf = URLS  # type: ignore[attr-defined]
        return self.get_response(request)


def atomic_settings(vendor: str, *aliases: str) -> dict[str, Any]:
    databases = database_settings(vendor)
    for alias in aliases:
        databases[alias]["ATOMIC_REQUESTS"] = True
    return databases


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def vendor(request: pytest.FixtureRequest) -> Iterator[str]:
    """Return each backend in turn, its test databases made (no ATOMIC_REQUESTS yet)."""
    require_server(request.param)
    override = override_settings(DATABASES=database_settings(request.param), INSTALLED_APPS=[APP])
    override.enable()
    databases = _databases.TestDatabases()
    try:
        databases.ensure(["default", "other"])
        yield request.param
    finally:
        databases.teardown()
        override.disable()


@pytest.fixture
def client_for(vendor: str) -> Iterator[Callable[..., Client]]:
    """Return ``make(*aliases, **settings)``: a client whose ATOMIC_REQUESTS is on for those."""
    active: list[override_settings] = []
    names = {alias: connections[alias].settings_dict["NAME"] for alias in ("default", "other")}

    def make(*aliases: str, **options: Any) -> Client:
        databases = atomic_settings(vendor, *aliases)
        for alias, name in names.items():
            databases[alias]["NAME"] = name
        options.setdefault("ROOT_URLCONF", URLS)
        close_connections()
        override = override_settings(DATABASES=databases, **options)
        override.enable()
        active.append(override)
        return Client(raise_request_exception=False)

    try:
        yield make
    finally:
        for override in reversed(active):
            close_connections()
            override.disable()
        for alias in ("default", "other"):
            _databases.flush_database(alias)


def close_connections() -> None:
    # A new DATABASES setting makes new wrappers; the old ones' pools (the sync
    # client's loop holds async ones) are closed first.
    for alias in ("default", "other"):
        _databases.close_async_engines(connections[alias])
        connections[alias].close()


def people(alias: str = "default") -> list[str]:
    return sorted(Person.objects.using(alias).values_list("name", flat=True))


@pytest.mark.parametrize("kind", ["create", "acreate", "cbv"])
def test_a_view_runs_in_a_transaction(client_for: Callable[..., Client], kind: str) -> None:
    client = client_for("default")
    response = client.get(f"/{kind}/kept/")
    assert response.content == b"True"
    response = client.get(f"/{kind}/failing/")
    assert response.status_code == 500
    assert people() == ["kept"]


def test_non_atomic_requests(client_for: Callable[..., Client]) -> None:
    client = client_for("default")
    assert client.get("/outside/kept/").content == b"False"
    assert client.get("/outside/failing/").status_code == 500
    assert people() == ["failing", "kept"]


def test_without_atomic_requests_nothing_is_wrapped(client_for: Callable[..., Client]) -> None:
    client = client_for()
    assert client.get("/create/a/").content == b"False"
    assert client.get("/create/failing/").status_code == 500
    assert people() == ["a", "failing"]
    assert client._get_app().dispatcher._atomic_views == {}  # type: ignore[attr-defined]


def test_every_database_with_atomic_requests(client_for: Callable[..., Client]) -> None:
    client = client_for("default", "other")
    dispatcher = client._get_app().dispatcher  # type: ignore[attr-defined]
    assert dispatcher._atomic_aliases == ("default", "other")
    assert client.get("/acreate/failing/").status_code == 500
    assert people() == []
    from tests.test.dbapp import urls

    view = dispatcher._atomic_views[id(urls.create)]
    assert view.__name__ == "create" and view.__wrapped__ is urls.create


def test_a_per_request_urlconf(client_for: Callable[..., Client]) -> None:
    client = client_for(
        "default",
        ROOT_URLCONF="tests.core.handlers.urls",
        MIDDLEWARE=[f"{__name__}.UseDatabaseUrls"],
    )
    assert client.get("/acreate/kept/").content == b"True"
    assert client.get("/create/failing/").status_code == 500
    assert people() == ["kept"]


def test_atomic_aliases_come_from_the_setting() -> None:
    from fastjango.core.handlers.dispatch import _atomic_request_aliases

    databases = {"a": {"ATOMIC_REQUESTS": True}, "b": {}, "c": "not a dict"}
    with override_settings(DATABASES=databases):
        assert _atomic_request_aliases() == ("a",)
    with override_settings(DATABASES=None):
        assert _atomic_request_aliases() == ()
