"""Template errors with Django's names: ``TemplateDoesNotExist``, ``TemplateSyntaxError``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from fastjango.template.backends.base import BaseEngine
    from fastjango.template.base import Origin

__all__ = ["TemplateDoesNotExist", "TemplateSyntaxError"]


class TemplateDoesNotExist(Exception):
    """No engine could find the template.

    ``tried`` lists ``(Origin, reason)`` pairs, one per place looked in;
    ``backend`` is the engine that raised; ``chain`` holds the errors of each
    engine when several were tried. ``str()`` is the template name, as in
    Django; the places tried are added as notes, so tracebacks show them.
    """

    def __init__(
        self,
        msg: str,
        tried: list[tuple[Origin, str]] | None = None,
        backend: BaseEngine | None = None,
        chain: list[TemplateDoesNotExist] | None = None,
    ) -> None:
        self.backend = backend
        self.tried = tried if tried is not None else []
        self.chain = chain if chain is not None else []
        super().__init__(msg)
        for origin, reason in self.tried:
            self.add_note(f"Tried {origin.name} ({reason})")
        for error in self.chain:
            engine = f"engine {error.backend.name!r}" if error.backend is not None else "an engine"
            if not error.tried:
                self.add_note(f"{engine}: {error}")
            for origin, reason in error.tried:
                self.add_note(f"{engine} tried {origin.name} ({reason})")


class TemplateSyntaxError(Exception):
    """A template has a syntax error.

    ``template_name`` and ``lineno`` say where; ``template_debug`` holds the
    source lines around it for the debug page, as Django's Jinja2 backend sets.
    """

    template_debug: dict[str, Any]

    def __init__(
        self, msg: str, template_name: str | None = None, lineno: int | None = None
    ) -> None:
        self.template_name = template_name
        self.lineno = lineno
        if template_name is not None and lineno is not None:
            msg = f"{msg} (in template '{template_name}', line {lineno})"
        super().__init__(msg)
