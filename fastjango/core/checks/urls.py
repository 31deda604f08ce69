"""URL checks (tag ``urls``): the URLconf's problems, and URL settings."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from fastjango.conf import settings
from fastjango.core.checks.messages import CheckMessage, Error, Warning
from fastjango.core.checks.registry import Tags, register

if TYPE_CHECKING:
    from fastjango.apps.config import AppConfig

__all__ = ["check_url_config", "check_url_settings", "problem_to_message"]

# The id given to a URLconf problem that does not name its own.
DEFAULT_PROBLEM_ID = "urls.E004"
_ID_PREFIX = re.compile(r"^\(?(?P<id>urls\.[EW]\d{3})\)?:?\s*(?P<msg>.*)$", re.DOTALL)


def problem_to_message(problem: str | CheckMessage) -> CheckMessage:
    """Turn one problem reported by the URL resolver into a check message.

    A problem may already be a ``CheckMessage``. A string may carry ``id`` and
    ``hint`` attributes (the resolver's ``URLProblem``) or start with its id
    (``"urls.W002: ..."``); an id with ``W`` makes a ``Warning``, else an
    ``Error``. A string with no id is an ``Error`` with id ``urls.E004``
    (Django's "your URL pattern is invalid").
    """
    if isinstance(problem, CheckMessage):
        return problem
    message = str(problem)
    problem_id = getattr(problem, "id", None)
    hint = getattr(problem, "hint", None)
    if not problem_id:
        match = _ID_PREFIX.match(message)
        if match is None:
            return Error(message, hint=hint, id=DEFAULT_PROBLEM_ID)
        problem_id, message = match["id"], match["msg"]
    level_letter = str(problem_id).rpartition(".")[2][:1]
    if level_letter == "W":
        return Warning(message, hint=hint, id=problem_id)
    return Error(message, hint=hint, id=problem_id)


@register(Tags.urls)
def check_url_config(
    app_configs: Sequence[AppConfig] | None = None, **kwargs: Any
) -> list[CheckMessage]:
    """Report every problem the URL resolver finds in ``ROOT_URLCONF``."""
    if not getattr(settings, "ROOT_URLCONF", None):
        return []
    # Imported here: loading the URL machinery (and the URLconf) is the check's job,
    # not something importing the checks framework should do.
    from fastjango.urls.resolvers import check_resolver, get_resolver

    return [problem_to_message(problem) for problem in check_resolver(get_resolver())]


@register(Tags.urls)
def check_url_settings(
    app_configs: Sequence[AppConfig] | None = None, **kwargs: Any
) -> list[CheckMessage]:
    """Fail when STATIC_URL or MEDIA_URL does not end with a slash (E006)."""
    errors: list[CheckMessage] = []
    for name in ("STATIC_URL", "MEDIA_URL"):
        value = getattr(settings, name, None)
        if value and not str(value).endswith("/"):
            errors.append(Error(f"The {name} setting must end with a slash.", id="urls.E006"))
    return errors
