"""Backend signals, with Django's names."""

from __future__ import annotations

from fastjango.dispatch import Signal

__all__ = ["connection_created"]

#: Sent for every new DB-API connection a pool opens, sync or async, with
#: ``sender`` the wrapper class, ``connection`` the wrapper, ``dbapi_connection``
#: the driver's connection (async drivers: SQLAlchemy's sync adapter of it) and
#: ``is_async``. Receivers must be sync: they run inside the pool's checkout.
connection_created = Signal()
