"""Load and render templates by name: get_template, select_template, render_to_string."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from fastjango.template.exceptions import TemplateDoesNotExist
from fastjango.template.utils import engines

if TYPE_CHECKING:
    from fastjango.http import HttpRequest
    from fastjango.template.backends.base import BaseEngine
    from fastjango.utils.safestring import SafeString

__all__ = ["get_template", "render_to_string", "select_template"]


def _engine_list(using: str | None = None) -> list[BaseEngine]:
    return engines.all() if using is None else [engines[using]]


def get_template(template_name: str, using: str | None = None) -> Any:
    """Return the template ``template_name`` from the first engine that has it.

    ``using`` restricts the search to one engine alias. Raise
    ``TemplateDoesNotExist`` (with every place tried) if none has it.
    """
    if not isinstance(template_name, str):
        raise TypeError(
            f"A template name must be a string such as 'polls/index.html' (or, for "
            f"render() and render_to_string(), a list of them), not {template_name!r}."
        )
    chain: list[TemplateDoesNotExist] = []
    for engine in _engine_list(using):
        try:
            return engine.get_template(template_name)
        except TemplateDoesNotExist as exc:
            chain.append(exc)
    raise TemplateDoesNotExist(template_name, chain=chain)


def select_template(template_name_list: Sequence[str], using: str | None = None) -> Any:
    """Return the first template of the list that exists."""
    if isinstance(template_name_list, str):
        raise TypeError(
            "select_template() takes an iterable of template names but got a string: "
            f"{template_name_list!r}. Use get_template() if you want to load a single template "
            "by name."
        )
    chain: list[TemplateDoesNotExist] = []
    engines_to_try = _engine_list(using)
    for template_name in template_name_list:
        for engine in engines_to_try:
            try:
                return engine.get_template(template_name)
            except TemplateDoesNotExist as exc:
                chain.append(exc)
    if template_name_list:
        raise TemplateDoesNotExist(", ".join(template_name_list), chain=chain)
    raise TemplateDoesNotExist("No template names provided")


def render_to_string(
    template_name: str | Sequence[str],
    context: Any = None,
    request: HttpRequest | None = None,
    using: str | None = None,
) -> SafeString:
    """Load a template (the first existing one, given a list) and render it."""
    if isinstance(template_name, list | tuple):
        template = select_template(template_name, using=using)
    else:
        template = get_template(template_name, using=using)  # type: ignore[arg-type]
    return template.render(context, request)  # type: ignore[no-any-return]
