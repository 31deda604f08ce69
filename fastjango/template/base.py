"""``Origin`` (where a template came from) and ``Template`` (a template made from a string)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from fastjango.core.exceptions import ImproperlyConfigured

if TYPE_CHECKING:
    from fastjango.http import HttpRequest
    from fastjango.template.backends.base import BaseEngine
    from fastjango.utils.safestring import SafeString

__all__ = ["UNKNOWN_SOURCE", "Origin", "Template"]

UNKNOWN_SOURCE = "<unknown source>"


class Origin:
    """Where a template was (or would have been) loaded from.

    ``name`` is the file path, ``template_name`` the name asked for, and
    ``loader`` the engine that looked.
    """

    def __init__(
        self, name: str, template_name: str | None = None, loader: BaseEngine | None = None
    ) -> None:
        self.name = name
        self.template_name = template_name
        self.loader = loader

    def __str__(self) -> str:
        return self.name

    def __repr__(self) -> str:
        return f"<{type(self).__qualname__} name={self.name!r}>"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Origin) and self.name == other.name and self.loader == other.loader

    def __hash__(self) -> int:
        return hash((self.name, id(self.loader)))

    @property
    def loader_name(self) -> str | None:
        """Return the dotted path of the engine class that looked, if any."""
        if self.loader is None:
            return None
        cls = type(self.loader)
        return f"{cls.__module__}.{cls.__qualname__}"


class Template:
    """A template compiled from a string, as ``fastjango.template.Template(source)``.

    The source is Jinja2 (see docs/templates.md), compiled by the engine named
    ``engine`` (an alias from ``TEMPLATES`` or an engine object), by default
    the first Jinja2 engine configured.
    """

    def __init__(
        self,
        template_string: str,
        origin: Origin | None = None,
        name: str | None = None,
        engine: BaseEngine | str | None = None,
    ) -> None:
        backend = _resolve_engine(engine)
        self.source = str(template_string)
        self.name = name
        self.origin = origin if origin is not None else Origin(UNKNOWN_SOURCE, name, backend)
        self.engine = backend
        self._template = backend.from_string(self.source)

    def __repr__(self) -> str:
        return f'<{type(self).__qualname__} template_string="{self.source[:20]}...">'

    def render(self, context: Any = None, request: HttpRequest | None = None) -> SafeString:
        """Render with a dict (or a context with ``flatten()``) and an optional request."""
        return self._template.render(context, request)  # type: ignore[no-any-return]


def _resolve_engine(engine: BaseEngine | str | None) -> BaseEngine:
    from fastjango.template.backends.jinja2 import Jinja2
    from fastjango.template.utils import engines

    if isinstance(engine, str):
        return engines[engine]
    if engine is not None:
        return engine
    for candidate in engines.all():
        if isinstance(candidate, Jinja2):
            return candidate
    raise ImproperlyConfigured(
        "Template() needs a Jinja2 engine, and settings.TEMPLATES configures none. Add "
        "{'BACKEND': 'fastjango.template.backends.jinja2.Jinja2', 'APP_DIRS': True} to "
        "TEMPLATES, or pass engine=."
    )
