"""A database that goes away gives a clear OperationalError; the pool recovers when it's back.

The server "goes down" behind a small TCP proxy on 127.0.0.1: stopping the
proxy cuts the pooled connections and refuses new ones, restarting it on the
same port brings the server back.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Iterator
from typing import Any

import pytest

from fastjango.db import OperationalError
from fastjango.db.utils import ConnectionHandler
from tests.db.conftest import database_settings, require_server


class TCPProxy:
    """Forward 127.0.0.1:<port> to a server; ``stop()`` and ``start()`` simulate an outage."""

    def __init__(self, target_port: int) -> None:
        self.target = ("127.0.0.1", target_port)
        self.port = 0
        self.listener: socket.socket | None = None
        self.sockets: list[socket.socket] = []
        self.lock = threading.Lock()

    def start(self) -> None:
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(16)
        self.port = listener.getsockname()[1]
        self.listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return  # the listener was closed
            upstream = socket.create_connection(self.target, timeout=5)
            with self.lock:
                self.sockets += [client, upstream]
            for src, dst in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(src, dst), daemon=True).start()

    @staticmethod
    def _pump(src: socket.socket, dst: socket.socket) -> None:
        try:
            while data := src.recv(65536):
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (src, dst):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)

    def stop(self) -> None:
        if self.listener is not None:
            # shutdown() wakes the thread blocked in accept(); close() alone doesn't.
            with contextlib.suppress(OSError):
                self.listener.shutdown(socket.SHUT_RDWR)
            self.listener.close()
            self.listener = None
        with self.lock:
            sockets, self.sockets = self.sockets, []
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()


SERVERS = {"postgres": 5432, "mysql": 3306}


def _settings(server: str, port: int, *, health_checks: bool = False) -> dict[str, Any]:
    conn = database_settings()[server]
    conn.pop("TEST")
    conn["PORT"] = port
    conn["OPTIONS"] = {"connect_timeout": 5}
    conn["CONN_HEALTH_CHECKS"] = health_checks
    return {"default": {"ENGINE": "fastjango.db.backends.sqlite3", "NAME": ":memory:"}, "db": conn}


@pytest.fixture(params=list(SERVERS))
def proxy(request: pytest.FixtureRequest) -> Iterator[tuple[str, TCPProxy]]:
    server: str = request.param
    require_server(server)
    tcp = TCPProxy(SERVERS[server])
    tcp.start()
    try:
        yield server, tcp
    finally:
        tcp.stop()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_server_down_then_back(proxy: tuple[str, TCPProxy]) -> None:
    server, tcp = proxy
    handler = ConnectionHandler(_settings(server, tcp.port, health_checks=True))
    db = handler["db"]
    try:
        assert db.execute("SELECT 1").scalar() == 1
        tcp.stop()
        message = f"could not connect to database 'db' at 127.0.0.1:{tcp.port}: "
        with pytest.raises(OperationalError, match=message) as info:
            db.execute("SELECT 1")
        assert info.value.__cause__ is not None
        assert db.is_usable() is False
        tcp.start()
        # The dead pooled connection is replaced: the first call works again.
        assert db.execute("SELECT 1").scalar() == 1
        with db.cursor() as cursor:
            cursor.execute("SELECT 2")
            assert cursor.fetchone() == (2,)
    finally:
        db.close()


def test_restart_with_health_checks_loses_no_statement(proxy: tuple[str, TCPProxy]) -> None:
    server, tcp = proxy
    db = ConnectionHandler(_settings(server, tcp.port, health_checks=True))["db"]
    try:
        assert db.execute("SELECT 1").scalar() == 1
        tcp.stop()
        tcp.start()
        # The pooled connection fails its ping and is replaced before use.
        assert db.execute("SELECT 1").scalar() == 1
    finally:
        db.close()


def test_restart_without_health_checks(proxy: tuple[str, TCPProxy]) -> None:
    # Django's default: no ping, so the first statement on a connection the
    # server dropped fails; the pool then replaces its connections and the
    # next statement works.
    server, tcp = proxy
    db = ConnectionHandler(_settings(server, tcp.port))["db"]
    try:
        assert db.execute("SELECT 1").scalar() == 1
        with db.cursor() as cursor:
            cursor.execute("SELECT 1")
        tcp.stop()
        tcp.start()
        with pytest.raises(OperationalError) as info:
            db.execute("SELECT 1")
        assert info.value.__cause__ is not None
        assert db.execute("SELECT 1").scalar() == 1
        with db.cursor() as cursor:
            cursor.execute("SELECT 2")
            assert cursor.fetchone() == (2,)
    finally:
        db.close()


def test_server_down_without_health_checks(proxy: tuple[str, TCPProxy]) -> None:
    server, tcp = proxy
    db = ConnectionHandler(_settings(server, tcp.port))["db"]
    try:
        assert db.execute("SELECT 1").scalar() == 1
        tcp.stop()
        with pytest.raises(OperationalError):
            db.execute("SELECT 1")  # the pooled connection is found dead
        message = f"could not connect to database 'db' at 127.0.0.1:{tcp.port}: "
        with pytest.raises(OperationalError, match=message):
            db.execute("SELECT 1")  # and a new one can't be made
        assert db.is_usable() is False
        tcp.start()
        assert db.execute("SELECT 1").scalar() == 1
    finally:
        db.close()


@pytest.mark.anyio
@pytest.mark.parametrize("health_checks", [True, False])
async def test_server_down_then_back_async(
    proxy: tuple[str, TCPProxy], health_checks: bool
) -> None:
    server, tcp = proxy
    handler = ConnectionHandler(_settings(server, tcp.port, health_checks=health_checks))
    db = handler["db"]
    try:
        assert (await db.aexecute("SELECT 1")).scalar() == 1
        tcp.stop()
        if not health_checks:
            with pytest.raises(OperationalError):
                await db.aexecute("SELECT 1")  # the pooled connection is found dead
        with pytest.raises(OperationalError, match="could not connect to database 'db'"):
            await db.aexecute("SELECT 1")
        tcp.start()
        assert (await db.aexecute("SELECT 1")).scalar() == 1
    finally:
        await db.aclose()


@pytest.mark.anyio
@pytest.mark.parametrize("health_checks", [True, False])
async def test_restart_async(proxy: tuple[str, TCPProxy], health_checks: bool) -> None:
    server, tcp = proxy
    db = ConnectionHandler(_settings(server, tcp.port, health_checks=health_checks))["db"]
    try:
        assert (await db.aexecute("SELECT 1")).scalar() == 1
        tcp.stop()
        tcp.start()
        if not health_checks:
            with pytest.raises(OperationalError):
                await db.aexecute("SELECT 1")
        assert (await db.aexecute("SELECT 1")).scalar() == 1
    finally:
        await db.aclose()


def test_lost_connection_during_cursor_use(proxy: tuple[str, TCPProxy]) -> None:
    server, tcp = proxy
    handler = ConnectionHandler(_settings(server, tcp.port))
    db = handler["db"]
    try:
        cursor = db.cursor()
        cursor.execute("SELECT 1")
        tcp.stop()
        with pytest.raises(OperationalError):
            cursor.execute("SELECT 1")
        assert cursor.closed  # the broken connection was dropped, not pooled
        tcp.start()
        with db.cursor() as cursor:
            cursor.execute("SELECT 3")
            assert cursor.fetchone() == (3,)
    finally:
        db.close()


@pytest.mark.parametrize("server", list(SERVERS))
def test_closed_port_names_alias_and_host(server: str) -> None:
    port = _free_port()
    handler = ConnectionHandler(_settings(server, port))
    db = handler["db"]
    message = f"could not connect to database 'db' at 127.0.0.1:{port}: "
    with pytest.raises(OperationalError, match=message):
        db.execute("SELECT 1")
    with pytest.raises(OperationalError, match=message):
        db.cursor()
    with pytest.raises(OperationalError, match=message):
        db.ensure_connection()
    db.close()


@pytest.mark.anyio
@pytest.mark.parametrize("server", list(SERVERS))
async def test_closed_port_async(server: str) -> None:
    port = _free_port()
    db = ConnectionHandler(_settings(server, port))["db"]
    with pytest.raises(OperationalError, match=f"'db' at 127.0.0.1:{port}"):
        await db.aexecute("SELECT 1")
    await db.aclose()


def test_outage_inside_atomic(proxy: tuple[str, TCPProxy]) -> None:
    from fastjango.db import transaction

    server, tcp = proxy
    handler = ConnectionHandler(_settings(server, tcp.port))
    db = handler["db"]
    try:
        with pytest.raises(OperationalError):
            db.enter_atomic(transaction.atomic(using="db"))
            try:
                db.execute("SELECT 1")
                tcp.stop()
            finally:
                db.exit_atomic(failed=False)
        assert not db.in_atomic_block
        tcp.start()
        assert db.execute("SELECT 1").scalar() == 1
    finally:
        db.close()


@pytest.mark.anyio
async def test_outage_inside_async_atomic(proxy: tuple[str, TCPProxy]) -> None:
    from fastjango.db import transaction

    server, tcp = proxy
    handler = ConnectionHandler(_settings(server, tcp.port))
    db = handler["db"]
    try:
        with pytest.raises(OperationalError):
            await db.aenter_atomic(transaction.atomic(using="db"))
            try:
                await db.aexecute("SELECT 1")
                tcp.stop()
            finally:
                await db.aexit_atomic(failed=False)
        assert not db.in_atomic_block
        tcp.start()
        assert (await db.aexecute("SELECT 1")).scalar() == 1
    finally:
        await db.aclose()


def _fetchall(cursor: Any) -> list[Any]:
    return list(cursor.fetchall())


def test_lost_connection_on_the_driver_path(proxy: tuple[str, TCPProxy]) -> None:
    # Statements FastJango runs on the driver's cursor (execute_direct) recover as
    # SQLAlchemy's do: the lost connection and the pool's older ones are replaced.
    import sqlalchemy as sa

    from fastjango.db import transaction

    server, tcp = proxy
    db = ConnectionHandler(_settings(server, tcp.port))["db"]
    try:
        direct = db.direct_statement(sa.select(sa.literal_column("1")))
        assert direct is not None
        assert [tuple(row) for row in db.execute_direct(direct, None, _fetchall)] == [(1,)]
        tcp.stop()
        tcp.start()
        with pytest.raises(OperationalError) as info:
            db.execute_direct(direct, None, _fetchall)
        assert info.value.__cause__ is not None
        assert [tuple(row) for row in db.execute_direct(direct, None, _fetchall)] == [(1,)]
        with pytest.raises(OperationalError):
            db.enter_atomic(transaction.atomic(using="db"))
            try:
                db.execute_direct(direct, None, _fetchall)
                tcp.stop()
                db.execute_direct(direct, None, _fetchall)
            finally:
                db.exit_atomic(failed=True)
        assert not db.in_atomic_block
        tcp.start()
        assert [tuple(row) for row in db.execute_direct(direct, None, _fetchall)] == [(1,)]
    finally:
        db.close()
