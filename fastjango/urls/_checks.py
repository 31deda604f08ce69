"""Start-up validation of a urlconf: every problem found, not just the first.

Import ``check_resolver`` and ``validate_urlconf`` from ``fastjango.urls.resolvers``.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from typing import Any

from fastjango.conf import settings
from fastjango.core.exceptions import ImproperlyConfigured, ViewDoesNotExist
from fastjango.urls.patterns import RoutePattern
from fastjango.urls.resolvers import (
    Pattern,
    URLMount,
    URLPattern,
    URLResolver,
    _join_route,
    get_resolver,
)
from fastjango.utils.regex_helper import normalize

__all__ = ["URLProblem", "check_resolver", "is_warning", "validate_urlconf"]

# handlerXXX -> the arguments it is called with.
_HANDLER_ARGS = {
    400: "request, exception",
    403: "request, exception",
    404: "request, exception",
    500: "request",
}


class URLProblem(str):
    """A problem message that also carries a check id (e.g. ``"urls.E008"``) and a hint."""

    id: str
    hint: str | None
    cause: BaseException | None

    def __new__(
        cls, message: str, id: str, hint: str | None = None, cause: BaseException | None = None
    ) -> URLProblem:
        problem = super().__new__(cls, message)
        problem.id = id
        problem.hint = hint
        problem.cause = cause
        return problem


def check_resolver(resolver: URLResolver) -> list[str]:
    """Return every problem in ``resolver``'s urlconf, included ones too; empty when fine.

    Each item is a ``URLProblem`` (a ``str`` with ``id`` and ``hint``): urlconfs
    that don't import or have no ``urlpatterns``, entries that are not patterns,
    regexes that don't compile, class-based views passed without ``as_view()``,
    ``handlerXXX`` views that don't import or take the wrong arguments, names
    that reverse() can't tell apart; and Django's warnings (``is_warning()``):
    a route starting with ``/``, a ``path()`` route written as a regex, an
    include() regex ending in ``$``, a name with ``:``, a repeated namespace.
    """
    problems: list[URLProblem] = []
    _check_structure(resolver, problems)
    problems.extend(_check_duplicate_names(resolver))
    problems.extend(_check_namespaces_unique(resolver))
    # A urlconf included twice would report its problems twice.
    return list(dict.fromkeys(problems))


def is_warning(problem: str) -> bool:
    """Return whether a ``check_resolver()`` problem is only a warning (a ``W`` id)."""
    problem_id = str(getattr(problem, "id", ""))
    return problem_id.rpartition(".")[2].startswith("W")


def validate_urlconf(urlconf: Any = None) -> None:
    """Raise ``ImproperlyConfigured`` listing every problem of ``urlconf`` (or ROOT_URLCONF)."""
    resolver = get_resolver(urlconf)
    # Warnings (a leading slash, a ":" in a name...) are the checks' to report, not errors.
    problems = [problem for problem in check_resolver(resolver) if not is_warning(problem)]
    if not problems:
        return
    lines = []
    for problem in problems:
        hint = getattr(problem, "hint", None)
        lines.append(f"  - {problem}" + (f" HINT: {hint}" if hint else ""))
    causes = [getattr(p, "cause", None) for p in problems]
    causes = [c for c in causes if c is not None]
    message = (
        f"The URLconf '{_urlconf_label(resolver.urlconf_name)}' has {len(problems)} "
        "problem(s):\n" + "\n".join(lines)
    )
    raise ImproperlyConfigured(message) from (causes[0] if causes else None)


def _patterns(resolver: URLResolver, problems: list[URLProblem]) -> list[Any] | None:
    """Return the resolver's patterns, or None after recording why they can't be read."""
    if resolver.urlconf_name is None:
        problems.append(
            URLProblem(
                "No URLconf is configured. Set ROOT_URLCONF to the dotted path of your "
                "urls module, e.g. 'mysite.urls'.",
                "urls.E103",
            )
        )
        return None
    label = _urlconf_label(resolver.urlconf_name)
    try:
        resolver.urlconf_module  # noqa: B018 - importing is the check
    except Exception as err:
        problems.append(
            URLProblem(
                f"The URLconf '{label}' could not be imported: {type(err).__name__}: {err}",
                "urls.E102",
                hint="Check the dotted path in ROOT_URLCONF or include(), and the "
                "imports of that module.",
                cause=err,
            )
        )
        return None
    try:
        patterns = resolver.url_patterns
    except ImproperlyConfigured as err:
        problems.append(URLProblem(str(err), "urls.E103"))
        return None
    if not isinstance(patterns, list | tuple):
        problems.append(
            URLProblem(
                f"The URLconf '{label}' defines urlpatterns as a {type(patterns).__name__}; "
                "it must be a list of path() and/or re_path() instances.",
                "urls.E004",
            )
        )
        return None
    return list(patterns)


def _urlconf_label(urlconf: Any) -> str:
    if isinstance(urlconf, str):
        return urlconf
    if isinstance(urlconf, list | tuple):
        return f"<list of {len(urlconf)} patterns>"
    return str(getattr(urlconf, "__name__", urlconf))


def _check_structure(resolver: URLResolver, problems: list[URLProblem]) -> None:
    patterns = _patterns(resolver, problems)
    if patterns is None:
        return
    for entry in patterns:
        if isinstance(entry, URLPattern | URLResolver | URLMount):
            if _check_regex(entry.pattern, problems):
                _check_route_style(entry.pattern, problems)
        if isinstance(entry, URLPattern):
            _check_callback(entry, problems)
            _check_name(entry, problems)
        elif isinstance(entry, URLResolver):
            _check_structure(entry, problems)
        elif not isinstance(entry, URLMount):
            problems.append(_invalid_entry(entry))
    _check_error_handlers(resolver, problems)


def _check_regex(pattern: Pattern, problems: list[URLProblem]) -> bool:
    """Record a regex that doesn't compile; return whether it compiles."""
    try:
        pattern.regex  # noqa: B018 - compiling is the check
    except ImproperlyConfigured as err:
        problems.append(
            URLProblem(f"Your URL pattern {pattern.describe()} is invalid: {err}", "urls.E101")
        )
        return False
    return True


def _check_route_style(pattern: Pattern, problems: list[URLProblem]) -> None:
    """Warn, as Django does, about the slips people make moving from regexes to path()."""
    source = pattern.regex.pattern
    # A leading slash is useful only without APPEND_SLASH; an include() prefix ending in
    # "/" is fine (the included patterns then start without one).
    if (
        settings.APPEND_SLASH
        and source.startswith(("/", "^/", "^\\/"))
        and not source.endswith("/")
    ):
        problems.append(
            URLProblem(
                f"Your URL pattern {pattern.describe()} has a route beginning with a '/'. "
                "Remove this slash as it is unnecessary. If this pattern is targeted in an "
                "include(), ensure the include() pattern has a trailing '/'.",
                "urls.W002",
            )
        )
    if isinstance(pattern, RoutePattern):
        route = str(pattern)
        if "(?P<" in route or route.startswith("^") or route.endswith("$"):
            problems.append(
                URLProblem(
                    f"Your URL pattern {pattern.describe()} has a route that contains "
                    "'(?P<', begins with a '^', or ends with a '$'. This was likely an "
                    "oversight when migrating to fastjango.urls.path().",
                    "2_0.W001",
                )
            )
    elif not pattern._is_endpoint and source.endswith("$") and not source.endswith("\\$"):
        problems.append(
            URLProblem(
                f"Your URL pattern {pattern.describe()} uses include with a route ending "
                "with a '$'. Remove the dollar from the route to avoid problems including "
                "URLs.",
                "urls.W001",
            )
        )


def _check_name(entry: URLPattern, problems: list[URLProblem]) -> None:
    if entry.name is not None and ":" in entry.name:
        problems.append(
            URLProblem(
                f"Your URL pattern {entry.pattern.describe()} has a name including a ':'. "
                "Remove the colon, to avoid ambiguous namespace references.",
                "urls.W003",
            )
        )


def _check_namespaces_unique(resolver: URLResolver) -> list[URLProblem]:
    seen: dict[str, int] = {}
    for namespace in _all_namespaces(resolver, ()):
        seen[namespace] = seen.get(namespace, 0) + 1
    return [
        URLProblem(
            f"URL namespace '{namespace}' isn't unique. You may not be able to reverse all "
            "URLs in this namespace",
            "urls.W005",
        )
        for namespace, count in seen.items()
        if count > 1
    ]


def _all_namespaces(resolver: URLResolver, parents: tuple[str, ...]) -> Iterator[str]:
    try:
        patterns = list(resolver.url_patterns)
    except Exception:
        return  # reported by _check_structure
    for entry in patterns:
        if isinstance(entry, URLResolver):
            current = parents
            if entry.namespace is not None:
                current = (*parents, entry.namespace)
                yield ":".join(current)
            yield from _all_namespaces(entry, current)


def _check_callback(entry: URLPattern, problems: list[URLProblem]) -> None:
    view = entry.callback
    if inspect.isclass(view) and hasattr(view, "as_view"):
        problems.append(
            URLProblem(
                f"Your URL pattern {entry.pattern.describe()} has an invalid view, pass "
                f"{view.__name__}.as_view() instead of {view.__name__}.",
                "urls.E009",
            )
        )


def _invalid_entry(entry: Any) -> URLProblem:
    hint = None
    if isinstance(entry, str):
        hint = (
            f"Try removing the string '{entry}'. The list of urlpatterns should not have "
            "a prefix string as the first element."
        )
    elif isinstance(entry, tuple):
        hint = "Try using path() instead of a tuple."
    return URLProblem(
        f"Your URL pattern {entry!r} is invalid. Ensure that urlpatterns is a list of "
        "path() and/or re_path() instances.",
        "urls.E004",
        hint=hint,
    )


def _check_error_handlers(resolver: URLResolver, problems: list[URLProblem]) -> None:
    for status_code, arguments in _HANDLER_ARGS.items():
        try:
            handler = resolver.resolve_error_handler(status_code)
        except (ImportError, ViewDoesNotExist) as err:
            path = getattr(resolver.urlconf_module, f"handler{status_code}")
            problems.append(
                URLProblem(
                    f"The custom handler{status_code} view '{path}' could not be imported.",
                    "urls.E008",
                    hint=str(err),
                    cause=err,
                )
            )
            continue
        if handler is None:
            continue
        try:
            signature = inspect.signature(handler)
        except (TypeError, ValueError):
            continue  # a builtin without a signature: nothing to check
        try:
            signature.bind(*[None] * len(arguments.split(", ")))
        except TypeError:
            qualname = getattr(handler, "__qualname__", type(handler).__qualname__)
            problems.append(
                URLProblem(
                    f"The custom handler{status_code} view '{handler.__module__}.{qualname}' "
                    f"does not take the correct number of arguments ({arguments}).",
                    "urls.E007",
                )
            )


def _check_duplicate_names(resolver: URLResolver) -> list[URLProblem]:
    """Find names that reverse() can't tell apart: same namespace, same argument names."""
    seen: dict[tuple[str, str], list[tuple[str, set[frozenset[str]]]]] = {}
    for namespace, name, route, argument_sets in _named_endpoints(resolver, "", "", ()):
        seen.setdefault((namespace, name), []).append((route, argument_sets))
    problems = []
    for (namespace, name), entries in seen.items():
        for index, (route, argument_sets) in enumerate(entries):
            for later_route, later_sets in entries[index + 1 :]:
                shared = argument_sets & later_sets
                if not shared:
                    continue
                arguments = ", ".join(sorted(min(shared, key=sorted))) or "no arguments"
                where = f" in namespace '{namespace}'" if namespace else ""
                problems.append(
                    URLProblem(
                        f"URL name '{name}'{where} is used by '{route}' and '{later_route}' "
                        f"with the same arguments ({arguments}); reverse() can only reach "
                        f"'{later_route}'.",
                        "urls.W104",
                        hint="Give one of the patterns another name.",
                    )
                )
                break
    return problems


def _named_endpoints(
    resolver: URLResolver, prefix: str, route: str, namespaces: tuple[str, ...]
) -> Iterator[tuple[str, str, str, set[frozenset[str]]]]:
    """Yield (namespace, name, route, argument-name sets) for every named endpoint."""
    try:
        patterns = list(resolver.url_patterns)
    except Exception:
        return  # reported by _check_structure
    for entry in patterns:
        if not isinstance(entry, URLPattern | URLResolver):
            continue
        try:
            source = prefix + entry.pattern.regex.pattern.removeprefix("^")
        except ImproperlyConfigured:
            continue
        entry_route = _join_route(route, str(entry.pattern))
        if isinstance(entry, URLResolver):
            inner = (
                (*namespaces, entry.namespace) if entry.app_name and entry.namespace else namespaces
            )
            yield from _named_endpoints(entry, source, entry_route, inner)
        elif entry.name is not None:
            try:
                forms = normalize(source)
            except ValueError:
                continue  # not reversible at all, so it can't shadow anything
            argument_sets = {frozenset(params) for _, params in forms}
            yield ":".join(namespaces), entry.name, entry_route, argument_sets
