"""The check registry: ``register`` a check, ``run_checks`` to collect its messages."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable, Sequence
from itertools import chain
from typing import TYPE_CHECKING, Any, TypeVar, overload

if TYPE_CHECKING:
    from fastjango.apps.config import AppConfig
    from fastjango.core.checks.messages import CheckMessage

__all__ = ["CheckRegistry", "Tags", "register", "registry", "run_checks", "tag_exists"]

CheckFunction = Callable[..., Iterable["CheckMessage"]]
F = TypeVar("F", bound=CheckFunction)


class Tags:
    """Built-in tags; ``check --tag`` runs only the checks carrying one of them."""

    admin = "admin"
    async_support = "async_support"
    caches = "caches"
    compatibility = "compatibility"
    database = "database"
    files = "files"
    models = "models"
    security = "security"
    signals = "signals"
    sites = "sites"
    staticfiles = "staticfiles"
    templates = "templates"
    translation = "translation"
    urls = "urls"


def _accepts_kwargs(func: Callable[..., Any]) -> bool:
    try:
        parameters = inspect.signature(func).parameters.values()
    except (TypeError, ValueError):
        return False
    return any(p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters)


class CheckRegistry:
    """Normal checks and deployment checks (run only by ``check --deploy``)."""

    def __init__(self) -> None:
        # Dicts keep registration order, so output is stable from run to run.
        self.registered_checks: dict[CheckFunction, None] = {}
        self.deployment_checks: dict[CheckFunction, None] = {}

    @overload
    def register(self, check: F, *tags: str, deploy: bool = ...) -> F: ...

    @overload
    def register(
        self, check: str | None = ..., *tags: str, deploy: bool = ...
    ) -> Callable[[F], F]: ...

    def register(
        self, check: F | str | None = None, *tags: str, deploy: bool = False
    ) -> F | Callable[[F], F]:
        """Register a check function, directly or as a decorator taking tags.

        ``@register``, ``@register("tag", ...)``, ``@register(Tags.security,
        deploy=True)`` and ``register(func, "tag")`` all work. A check takes
        ``app_configs`` and ``**kwargs`` and returns a list of messages.
        """

        def inner(func: F) -> F:
            if not _accepts_kwargs(func):
                raise TypeError("Check functions must accept keyword arguments (**kwargs).")
            func.tags = tags  # type: ignore[attr-defined]
            target = self.deployment_checks if deploy else self.registered_checks
            target[func] = None
            return func

        if callable(check):
            return inner(check)
        if check:
            tags += (check,)
        return inner

    def run_checks(
        self,
        app_configs: Sequence[AppConfig] | None = None,
        tags: Iterable[str] | None = None,
        include_deployment_checks: bool = False,
        databases: Sequence[str] | None = None,
    ) -> list[CheckMessage]:
        """Run the registered checks (only those with one of ``tags``, if given)."""
        errors: list[CheckMessage] = []
        checks = self.get_checks(include_deployment_checks)
        if tags is not None:
            wanted = set(tags)
            checks = [check for check in checks if not wanted.isdisjoint(_tags_of(check))]
        for check in checks:
            new_errors = check(app_configs=app_configs, databases=databases)
            if isinstance(new_errors, str | bytes) or not isinstance(new_errors, Iterable):
                raise TypeError(
                    f"The function {check!r} did not return a list. All functions "
                    "registered with the checks registry must return a list."
                )
            errors.extend(new_errors)
        return errors

    def tag_exists(self, tag: str, include_deployment_checks: bool = False) -> bool:
        """Return whether any registered check carries ``tag``."""
        return tag in self.tags_available(include_deployment_checks)

    def tags_available(self, deployment_checks: bool = False) -> set[str]:
        """Return every tag carried by a registered check."""
        return set(chain.from_iterable(_tags_of(c) for c in self.get_checks(deployment_checks)))

    def get_checks(self, include_deployment_checks: bool = False) -> list[CheckFunction]:
        """Return the registered checks, with the deployment ones if asked."""
        checks = list(self.registered_checks)
        if include_deployment_checks:
            checks.extend(self.deployment_checks)
        return checks


def _tags_of(check: CheckFunction) -> tuple[str, ...]:
    return tuple(getattr(check, "tags", ()))


registry = CheckRegistry()
register = registry.register
run_checks = registry.run_checks
tag_exists = registry.tag_exists
