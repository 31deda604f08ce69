"""The same project with no middleware at all."""

from fj_project.settings import *  # noqa: F403

MIDDLEWARE: list[str] = []
