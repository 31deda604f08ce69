"""Templates, rendered by Jinja2 with Django's API (see docs/templates.md).

``engines`` holds the engines configured by ``settings.TEMPLATES``;
``fastjango.template.loader`` loads and renders templates by name.
"""

from __future__ import annotations

from fastjango.template.base import Origin, Template
from fastjango.template.exceptions import TemplateDoesNotExist, TemplateSyntaxError
from fastjango.template.utils import engines

__all__ = ["Origin", "Template", "TemplateDoesNotExist", "TemplateSyntaxError", "engines"]
