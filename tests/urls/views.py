"""Views the test urlconfs point at; they only need to be distinct callables."""

from __future__ import annotations

import functools
from typing import Any

__all__ = [
    "BookView",
    "article_detail",
    "async_view",
    "bad_handler",
    "blog_articles",
    "comments",
    "empty_view",
    "handler400",
    "handler403",
    "handler404",
    "handler500",
    "month_archive",
    "page",
    "partial_view",
    "special_case_2003",
    "year_archive",
]


def empty_view(request: Any, *args: Any, **kwargs: Any) -> None:
    return None


def special_case_2003(request: Any) -> None:
    return None


def year_archive(request: Any, year: Any, **kwargs: Any) -> None:
    return None


def month_archive(request: Any, year: Any, month: Any) -> None:
    return None


def article_detail(request: Any, year: Any, month: Any, slug: str) -> None:
    return None


def blog_articles(request: Any, *args: Any) -> None:
    return None


def comments(request: Any, page_number: str | None = None) -> None:
    return None


def page(request: Any, num: int = 1) -> None:
    return None


async def async_view(request: Any) -> None:
    return None


partial_view = functools.partial(empty_view, template_name="x.html")


class BookView:
    """Shaped like a class-based view: ``as_view()`` returns a function with view_class."""

    @classmethod
    def as_view(cls) -> Any:
        def view(request: Any, *args: Any, **kwargs: Any) -> None:
            return None

        view.view_class = cls  # type: ignore[attr-defined]
        return view


def handler400(request: Any, exception: Exception) -> str:
    return "400"


def handler403(request: Any, exception: Exception) -> str:
    return "403"


def handler404(request: Any, exception: Exception) -> str:
    return "404"


def handler500(request: Any) -> str:
    return "500"


def bad_handler(request: Any, exception: Exception, extra: Any) -> None:
    return None
