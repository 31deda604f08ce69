"""The Jinja2 template engine, ``fastjango.template.backends.jinja2.Jinja2``.

Like Django's Jinja2 backend, with these differences: templates are looked
up in each installed app's ``templates/`` folder (Django's Jinja2 backend
uses ``jinja2/``), every environment gets Django's filters and the ``url()``
and ``static()`` globals, and the ``{% cache %}`` tag is enabled.
"""

from __future__ import annotations

import functools
import importlib.util
import inspect
import os
import re
import sys
from collections.abc import Callable, Mapping
from contextvars import ContextVar
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import jinja2

from fastjango.conf import settings
from fastjango.core.exceptions import ImproperlyConfigured
from fastjango.template import defaultfilters
from fastjango.template import globals as template_globals
from fastjango.template.backends.base import BaseEngine
from fastjango.template.base import UNKNOWN_SOURCE, Origin
from fastjango.template.exceptions import TemplateDoesNotExist, TemplateSyntaxError
from fastjango.utils.module_loading import import_string
from fastjango.utils.safestring import SafeString

if TYPE_CHECKING:
    from fastjango.http import HttpRequest

__all__ = ["Jinja2", "Template", "get_exception_info"]

CACHE_EXTENSION = "fastjango.templatetags.cache.CacheExtension"

_UNEXPECTED_KWARG_RE = re.compile(r"unexpected keyword argument '(\w+)'")


class Jinja2(BaseEngine):
    """A Jinja2 ``Environment`` built once from a ``TEMPLATES`` entry.

    ``OPTIONS``: ``environment`` (dotted path to a callable returning an
    Environment), ``context_processors`` (dotted paths, run when a request is
    given), and any ``jinja2.Environment`` argument (``extensions``,
    ``autoescape`` (default True), ``undefined`` (default ``DebugUndefined``
    when ``DEBUG``), ``auto_reload`` (default ``DEBUG``), ``bytecode_cache``, ...).
    """

    app_dirname = "templates"

    def __init__(self, params: dict[str, Any]) -> None:
        params = dict(params)
        options = dict(params.pop("OPTIONS", None) or {})
        super().__init__(params)

        environment = options.pop("environment", "jinja2.Environment")
        environment_factory = (
            import_string(environment) if isinstance(environment, str) else environment
        )
        self.context_processors: list[str | Callable[..., Any]] = list(
            options.pop("context_processors", [])
        )
        options.setdefault("autoescape", True)
        options.setdefault("loader", jinja2.FileSystemLoader(self.template_dirs))
        options.setdefault("auto_reload", settings.DEBUG)
        options.setdefault(
            "undefined", jinja2.DebugUndefined if settings.DEBUG else jinja2.Undefined
        )
        if isinstance(options["undefined"], str):
            options["undefined"] = import_string(options["undefined"])
        if isinstance(options.get("bytecode_cache"), str):
            options["bytecode_cache"] = import_string(options["bytecode_cache"])()
        options["extensions"] = _with_cache_extension(options.get("extensions", ()))

        self.env: jinja2.Environment = self._build_environment(environment_factory, options)
        self._load_template: Callable[..., jinja2.Template] = self.env.get_template
        defaultfilters.install(self.env)
        self.env.globals.setdefault("url", template_globals.url)
        self.env.globals.setdefault("static", template_globals.static)
        _report_sub_templates(self)

    def _build_environment(
        self, factory: Callable[..., jinja2.Environment], options: dict[str, Any]
    ) -> jinja2.Environment:
        try:
            parameters = inspect.signature(factory).parameters
        except (TypeError, ValueError):
            parameters = None
        if parameters is not None and not any(
            p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters.values()
        ):
            for key in options:
                if key not in parameters:
                    self._unknown_option(key)
        try:
            environment = factory(**options)
        except TypeError as exc:
            match = _UNEXPECTED_KWARG_RE.search(str(exc))
            if match:
                self._unknown_option(match[1], exc)
            raise
        if not isinstance(environment, jinja2.Environment):
            raise ImproperlyConfigured(
                f"The 'environment' option of template engine {self.name!r} must return a "
                f"jinja2.Environment, got {type(environment).__name__}."
            )
        return environment

    def _unknown_option(self, key: str, cause: BaseException | None = None) -> NoReturn:
        raise ImproperlyConfigured(
            f"Unknown option {key!r} in the OPTIONS of template engine {self.name!r} in "
            "settings.TEMPLATES. OPTIONS takes 'environment', 'context_processors' and the "
            "arguments of jinja2.Environment (extensions, autoescape, undefined, auto_reload, "
            "bytecode_cache, trim_blocks, ...)."
        ) from cause

    def from_string(self, template_code: str) -> Template:
        """Compile a template from a string."""
        try:
            return Template(self.env.from_string(template_code), self)
        except jinja2.TemplateSyntaxError as exc:
            raise _syntax_error(exc) from exc

    def get_template(self, template_name: str) -> Template:
        """Return the named template; raise ``TemplateDoesNotExist`` listing the paths tried."""
        try:
            return Template(self._load_template(template_name), self)
        except jinja2.TemplateNotFound as exc:
            raise self._does_not_exist(exc) from exc
        except jinja2.TemplateSyntaxError as exc:
            raise _syntax_error(exc) from exc

    def _does_not_exist(self, exc: jinja2.TemplateNotFound) -> TemplateDoesNotExist:
        name = str(exc.name)
        return TemplateDoesNotExist(name, tried=self._tried(name), backend=self)

    def _tried(self, template_name: str) -> list[tuple[Origin, str]]:
        loader = self.env.loader
        if not isinstance(loader, jinja2.FileSystemLoader):
            return []
        paths = (
            os.path.join(os.fspath(directory), *template_name.split("/"))
            for directory in loader.searchpath
        )
        return [
            (Origin(path, template_name=template_name, loader=self), "Source does not exist")
            for path in paths
        ]

    @functools.cached_property
    def template_context_processors(self) -> list[Callable[[Any], Mapping[str, Any]]]:
        """Return the context processor callables named in ``OPTIONS``."""
        return [
            import_string(path) if isinstance(path, str) else path
            for path in self.context_processors
        ]


class Template:
    """A Jinja2 template with Django's ``render(context=None, request=None)``."""

    def __init__(self, template: jinja2.Template, backend: Jinja2) -> None:
        self.template = template
        self.backend = backend
        self.origin = Origin(
            name=template.filename or UNKNOWN_SOURCE,
            template_name=template.name,
            loader=backend,
        )

    @property
    def name(self) -> str | None:
        """Return the name the template was loaded by (None for one made from a string)."""
        return self.template.name

    def __repr__(self) -> str:
        return f"<{type(self).__qualname__} {self.name or UNKNOWN_SOURCE}>"

    def render(self, context: Any = None, request: HttpRequest | None = None) -> SafeString:
        """Render with a dict of variables and, optionally, the request.

        With a request, the template also gets ``request``, ``csrf_token``,
        ``csrf_input`` and whatever the engine's context processors return.
        """
        ctx = _make_context(context)
        if request is not None:
            ctx["request"] = request
            ctx["csrf_input"] = template_globals.CsrfInput(request)
            ctx["csrf_token"] = template_globals.CsrfToken(request)
            for processor in self.backend.template_context_processors:
                ctx.update(processor(request))
        else:
            ctx.setdefault("csrf_input", "")
            ctx.setdefault("csrf_token", "")
        # The signal module is only loaded by test tools: if it isn't, nobody listens.
        token = None
        signal = _template_rendered_signal()
        if signal is not None:
            signal.send(sender=self, template=self, context=ctx)
            # Templates pulled in by {% extends %} and {% include %} are reported too.
            token = _rendering_context.set(ctx)
        try:
            return SafeString(self.template.render(ctx))
        except jinja2.TemplateNotFound as exc:
            # A missing {% extends %} or {% include %} target.
            raise self.backend._does_not_exist(exc) from exc
        except jinja2.TemplateSyntaxError as exc:
            raise _syntax_error(exc) from exc
        finally:
            if token is not None:
                _rendering_context.reset(token)


# The context of the render in progress, set only while template_rendered has listeners.
_rendering_context: ContextVar[dict[str, Any] | None] = ContextVar(
    "fastjango_rendering_context", default=None
)


def _template_rendered_signal() -> Any:
    """Return ``template_rendered`` if anyone listens to it, else None.

    The signal module is only loaded by test tools: if it isn't, nobody listens.
    """
    signals = sys.modules.get("fastjango.test.signals")
    if signals is not None and signals.template_rendered.receivers:
        return signals.template_rendered
    return None


def _report_sub_templates(engine: Jinja2) -> None:
    """Make the environment send ``template_rendered`` for extended and included templates."""
    load = engine._load_template = engine.env.get_template

    def get_template(name: Any, parent: str | None = None, globals: Any = None) -> Any:
        template = load(name, parent, globals)
        context = _rendering_context.get()
        signal = _template_rendered_signal() if context is not None else None
        if signal is not None:
            wrapper = Template(template, engine)
            signal.send(sender=wrapper, template=wrapper, context=context)
        return template

    engine.env.get_template = get_template  # type: ignore[method-assign]


def _make_context(context: Any) -> dict[str, Any]:
    if context is None:
        return {}
    if hasattr(context, "flatten"):
        # A Django-style Context object.
        return dict(context.flatten())
    if isinstance(context, Mapping):
        return dict(context)
    raise TypeError(f"context must be a dict rather than {type(context).__name__}.")


def _syntax_error(exc: jinja2.TemplateSyntaxError) -> TemplateSyntaxError:
    error = TemplateSyntaxError(
        exc.message or str(exc), template_name=exc.name or exc.filename, lineno=exc.lineno
    )
    error.template_debug = get_exception_info(exc)
    return error


def get_exception_info(exception: jinja2.TemplateSyntaxError) -> dict[str, Any]:
    """Return the source lines around a Jinja2 syntax error, for the debug page."""
    context_lines = 10
    lineno = exception.lineno
    source = exception.source
    if source is None and exception.filename and Path(exception.filename).is_file():
        source = Path(exception.filename).read_text(encoding="utf-8")
    if source is not None:
        lines = list(enumerate(source.strip().split("\n"), start=1))
        during = lines[lineno - 1][1] if 0 < lineno <= len(lines) else ""
        total = len(lines)
        top = max(0, lineno - context_lines - 1)
        bottom = min(total, lineno + context_lines)
    else:
        during, lines, total, top, bottom = "", [], 0, 0, 0
    return {
        "name": exception.filename,
        "message": exception.message,
        "source_lines": lines[top:bottom],
        "line": lineno,
        "before": "",
        "during": during,
        "after": "",
        "total": total,
        "top": top,
        "bottom": bottom,
    }


def _with_cache_extension(extensions: Any) -> list[Any]:
    """Return the extensions plus ``{% cache %}`` when the cache framework provides it."""
    result = list(extensions)
    names = {
        ext if isinstance(ext, str) else f"{ext.__module__}.{ext.__qualname__}" for ext in result
    }
    module_name = CACHE_EXTENSION.rpartition(".")[0]
    if CACHE_EXTENSION not in names and importlib.util.find_spec(module_name) is not None:
        result.append(CACHE_EXTENSION)
    return result
