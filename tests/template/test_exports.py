from __future__ import annotations

import importlib

import pytest

MODULES = [
    "fastjango.template",
    "fastjango.template.backends",
    "fastjango.template.backends.base",
    "fastjango.template.backends.jinja2",
    "fastjango.template.base",
    "fastjango.template.context_processors",
    "fastjango.template.defaultfilters",
    "fastjango.template.exceptions",
    "fastjango.template.globals",
    "fastjango.template.humanize",
    "fastjango.template.loader",
    "fastjango.template.response",
    "fastjango.template.utils",
    "fastjango.templatetags",
    "fastjango.templatetags.static",
    "fastjango.test.signals",
    "fastjango.utils.dateformat",
    "fastjango.utils.formats",
    "fastjango.utils.html",
    "fastjango.utils.numberformat",
    "fastjango.utils.safestring",
    "fastjango.utils.text",
    "fastjango.utils.timesince",
    "fastjango.utils.timezone",
]


@pytest.mark.parametrize("name", MODULES)
def test_module_imports_and_exports_what_it_declares(name: str) -> None:
    module = importlib.import_module(name)
    for attr in getattr(module, "__all__", []):
        assert hasattr(module, attr), f"{name}.{attr}"


def test_django_names() -> None:
    from fastjango.template import (  # noqa: F401
        Template,
        TemplateDoesNotExist,
        TemplateSyntaxError,
        engines,
    )
    from fastjango.template.loader import (  # noqa: F401
        get_template,
        render_to_string,
        select_template,
    )
    from fastjango.template.response import (  # noqa: F401
        ContentNotRenderedError,
        SimpleTemplateResponse,
        TemplateResponse,
    )
    from fastjango.test.signals import template_rendered  # noqa: F401
    from fastjango.utils.timezone import (  # noqa: F401
        activate,
        deactivate,
        get_current_timezone,
        get_current_timezone_name,
        get_default_timezone,
        get_default_timezone_name,
        get_fixed_timezone,
        is_aware,
        is_naive,
        localdate,
        localtime,
        make_aware,
        make_naive,
        now,
        override,
        utc,
    )
