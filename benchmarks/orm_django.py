"""ORM suite, Django side: run with the Django venv's Python (``benchmarks/.venvs/django``).

``python benchmarks/orm_django.py --sqlite FILE`` prints each operation's median
seconds as JSON, the same operations as ``orm_bench.fastjango_ops`` written with
Django's ORM, on the same tables (the Django project's ``bench`` app).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks" / "apps" / "django_project")]

from benchmarks.apps.data import PAGE  # noqa: E402 (needs the path above)
from benchmarks.orm_common import CLEANUP_SQL, COUNT_NEW_SQL, NEW_ROWS, Op, side_main  # noqa: E402


def django_ops(path: str) -> dict[str, Op]:
    """Return Django's operations on the SQLite file ``path``."""
    import django
    from django.conf import settings

    settings.configure(
        DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": path}},
        INSTALLED_APPS=["bench"],
        USE_TZ=True,
        DEFAULT_AUTO_FIELD="django.db.models.BigAutoField",
    )
    django.setup()
    from bench.models import Book, World
    from django.db import connection, transaction

    def cleanup() -> None:
        with connection.cursor() as cursor:
            cursor.execute(CLEANUP_SQL)

    def count_new(_: object) -> list[tuple[Any, ...]]:
        with connection.cursor() as cursor:
            cursor.execute(COUNT_NEW_SQL)
            return [tuple(row) for row in cursor.fetchall()]

    def insert_each() -> None:
        with transaction.atomic():
            for row in NEW_ROWS:
                World.objects.create(**row)

    async def fetch_20_async() -> list[Any]:
        return [w async for w in World.objects.order_by("id")[:PAGE]]

    def worlds(rows: list[Any]) -> list[tuple[Any, ...]]:
        return [(w.id, w.title) for w in rows]

    def books(rows: list[Any]) -> list[tuple[Any, ...]]:
        return [(b.id, b.title, b.author.name) for b in rows]

    return {
        "fetch_20": Op(lambda: list(World.objects.order_by("id")[:PAGE]), worlds),
        "fetch_1000": Op(lambda: list(World.objects.order_by("id")), worlds),
        "join_20": Op(
            lambda: list(Book.objects.select_related("author").order_by("id")[:PAGE]), books
        ),
        "join_1000": Op(lambda: list(Book.objects.select_related("author").order_by("id")), books),
        "insert_bulk": Op(
            lambda: World.objects.bulk_create([World(**row) for row in NEW_ROWS]),
            count_new,
            cleanup,
        ),
        "insert_each": Op(insert_each, count_new, cleanup),
        "fetch_20_async": Op(fetch_20_async, worlds),
    }


if __name__ == "__main__":
    side_main("django", django_ops, sys.argv[1:])
