"""``BaseEngine``: what every template engine provides."""

from __future__ import annotations

import functools
import os
from collections.abc import Iterator
from typing import Any

from fastjango.core.exceptions import ImproperlyConfigured

__all__ = ["BaseEngine"]


class BaseEngine:
    """A template engine built from one ``TEMPLATES`` entry.

    Subclasses pop ``OPTIONS`` before calling ``__init__``, and implement
    ``from_string`` and ``get_template``.
    """

    def __init__(self, params: dict[str, Any]) -> None:
        params = dict(params)
        self.name: str | None = params.pop("NAME", None)
        self.dirs: list[str | os.PathLike[str]] = list(params.pop("DIRS", []))
        self.app_dirs: bool = bool(params.pop("APP_DIRS", False))
        if params:
            raise ImproperlyConfigured(
                f"Unknown parameters: {', '.join(params)} in the TEMPLATES entry of "
                f"{type(self).__name__}. Engine settings go under OPTIONS."
            )

    @property
    def app_dirname(self) -> str:
        """Return the folder name looked for in each installed app."""
        raise ImproperlyConfigured(
            f"{type(self).__name__} doesn't support loading templates from installed applications."
        )

    def from_string(self, template_code: str) -> Any:
        """Return a template compiled from a string."""
        raise NotImplementedError("subclasses of BaseEngine should provide a from_string() method")

    def get_template(self, template_name: str) -> Any:
        """Return the template named ``template_name``; raise ``TemplateDoesNotExist``."""
        raise NotImplementedError("subclasses of BaseEngine must provide a get_template() method")

    @functools.cached_property
    def template_dirs(self) -> tuple[str, ...]:
        """Return the folders searched: ``DIRS``, then each app's folder if ``APP_DIRS``."""
        from fastjango.template.utils import get_app_template_dirs

        dirs = [os.fspath(directory) for directory in self.dirs]
        if self.app_dirs:
            dirs.extend(os.fspath(d) for d in get_app_template_dirs(self.app_dirname))
        return tuple(dirs)

    def iter_template_filenames(self, template_name: str) -> Iterator[str]:
        """Yield the file each template folder would hold for ``template_name``.

        Names that would escape a folder (``../x``) are skipped.
        """
        for template_dir in self.template_dirs:
            base = os.path.abspath(template_dir)
            path = os.path.abspath(os.path.join(base, *template_name.split("/")))
            if path == base or path.startswith(base + os.sep):
                yield path
