"""``TemplateCommand``: copy a project or app template, rendering its Python files."""

from __future__ import annotations

import argparse
import os
import shutil
import stat
from importlib import import_module
from typing import Any

import jinja2

import fastjango
from fastjango.core.management.base import BaseCommand, CommandError, CommandParser
from fastjango.core.management.utils import handle_extensions

__all__ = ["TemplateCommand"]

TEMPLATE_SUFFIX = "-tpl"
URL_SCHEMES = ("http://", "https://", "ftp://")
ARCHIVE_EXTENSIONS = (".zip", ".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tar.xz", ".txz")


class TemplateCommand(BaseCommand):
    """Copy a template directory to a new project or app, as Django's does.

    Files whose name ends in ``-tpl`` lose that suffix (``settings.py-tpl``
    becomes ``settings.py``); files with a rendered extension (``--extension``,
    default ``py``) or a rendered name (``--name``) go through Jinja2 with the
    names in the context; everything else is copied. Directory and file names
    containing ``project_name``/``app_name`` get the new name instead.
    """

    requires_system_checks: list[str] = []
    app_or_project = "project"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", help="Name of the application or project.")
        parser.add_argument("directory", nargs="?", help="Optional destination directory")
        parser.add_argument("--template", help="The path to a directory to load the template from.")
        parser.add_argument(
            "--extension",
            "-e",
            dest="extensions",
            action="append",
            default=["py"],
            help='The file extension(s) to render (default: "py"). Separate multiple '
            "extensions with commas, or use -e multiple times.",
        )
        parser.add_argument(
            "--name",
            "-n",
            dest="files",
            action="append",
            default=[],
            help="The file name(s) to render. Separate multiple file names with commas, or "
            "use -n multiple times.",
        )
        parser.add_argument(
            "--exclude",
            "-x",
            action="append",
            default=argparse.SUPPRESS,
            nargs="?",
            const="",
            help="The directory name(s) to exclude, in addition to .git and __pycache__. Can "
            "be used multiple times.",
        )

    def handle(
        self, app_or_project: str, name: str | None, target: str | None = None, **options: Any
    ) -> None:
        self.app_or_project = app_or_project
        self.a_or_an = "an" if app_or_project == "app" else "a"
        self.verbosity = options.get("verbosity", 1)
        self.validate_name(name)
        assert name is not None
        top_dir = self._make_top_dir(name, target)
        extensions = tuple(handle_extensions(options.get("extensions") or ["py"]))
        extra_files = [
            part.strip() for option in options.get("files") or [] for part in option.split(",")
        ]
        # Our project template's pytest.ini names the settings module, so it is rendered too.
        extra_files.append("pytest.ini")
        excluded = [".git", "__pycache__"]
        exclude = options.get("exclude")
        if exclude is not None:
            excluded.extend(directory.strip() for directory in exclude)
        if self.verbosity >= 2:
            self.stdout.write(
                f"Rendering {app_or_project} template files with extensions: "
                f"{', '.join(extensions)}"
            )
            self.stdout.write(
                f"Rendering {app_or_project} template files with filenames: "
                f"{', '.join(extra_files)}"
            )

        base_name = f"{app_or_project}_name"
        context = {
            **options,
            base_name: name,
            f"{app_or_project}_directory": top_dir,
            f"camel_case_{app_or_project}_name": "".join(
                part for part in name.title() if part != "_"
            ),
            "fastjango_version": fastjango.get_version(),
            "docs_version": fastjango.get_version(),
        }
        # Undefined names render empty, as in Django's template engine, so a custom
        # template written for Django's variables still renders.
        environment = jinja2.Environment(keep_trailing_newline=True, autoescape=False)
        template_dir = self.handle_template(options.get("template"), f"{app_or_project}_template")
        prefix_length = len(template_dir) + 1
        for root, dirs, files in os.walk(template_dir):
            relative_dir = root[prefix_length:].replace(base_name, name)
            if relative_dir:
                os.makedirs(os.path.join(top_dir, relative_dir), exist_ok=True)
            for dirname in dirs[:]:
                if exclude is None:
                    if dirname.startswith(".") or dirname == "__pycache__":
                        dirs.remove(dirname)
                elif dirname in excluded:
                    dirs.remove(dirname)
            for filename in files:
                if filename.endswith((".pyo", ".pyc", ".py.class")):
                    continue  # compiled leftovers in a template break the new project
                old_path = os.path.join(root, filename)
                new_path = os.path.join(top_dir, relative_dir, filename.replace(base_name, name))
                new_path = new_path.removesuffix(TEMPLATE_SUFFIX)
                if os.path.exists(new_path):
                    raise CommandError(
                        f"{new_path} already exists. Overlaying {self.a_or_an} "
                        f"{app_or_project} into an existing directory won't replace "
                        "conflicting files."
                    )
                if (
                    new_path.endswith(extensions)
                    or filename in extra_files
                    or os.path.basename(new_path) in extra_files
                ):
                    self._render(environment, old_path, new_path, context)
                else:
                    shutil.copyfile(old_path, new_path)
                if self.verbosity >= 2:
                    self.stdout.write(f"Creating {new_path}")
                try:
                    self.apply_umask(old_path, new_path)
                    self.make_writeable(new_path)
                except OSError:  # pragma: no cover - depends on the filesystem
                    self.stderr.write(
                        f"Notice: Couldn't set permission bits on {new_path}. You're probably "
                        "using an uncommon filesystem setup. No problem.",
                        self.style.NOTICE,
                    )

    def _make_top_dir(self, name: str, target: str | None) -> str:
        if target is None:
            top_dir = os.path.join(os.getcwd(), name)
            try:
                os.makedirs(top_dir)
            except FileExistsError:
                raise CommandError(f"'{top_dir}' already exists") from None
            except OSError as exc:
                raise CommandError(exc) from exc
            return top_dir
        top_dir = os.path.abspath(os.path.expanduser(target))
        if self.app_or_project == "app":
            self.validate_name(os.path.basename(top_dir), "directory")
        if not os.path.exists(top_dir):
            raise CommandError(
                f"Destination directory '{top_dir}' does not exist, please create it first."
            )
        return top_dir

    def _render(
        self, environment: jinja2.Environment, old_path: str, new_path: str, context: dict[str, Any]
    ) -> None:
        with open(old_path, encoding="utf-8") as template_file:
            source = template_file.read()
        try:
            content = environment.from_string(source).render(context)
        except jinja2.TemplateError as exc:
            raise CommandError(f"Couldn't render the template file {old_path}: {exc}") from exc
        with open(new_path, "w", encoding="utf-8") as new_file:
            new_file.write(content)

    def handle_template(self, template: str | None, subdir: str) -> str:
        """Return the template directory: FastJango's own, or the ``--template`` one."""
        if template is None:
            return os.path.join(fastjango.__path__[0], "conf", subdir)
        template = template.removeprefix("file://")
        expanded = os.path.normpath(os.path.expanduser(template))
        if os.path.isdir(expanded):
            return expanded
        if template.startswith(URL_SCHEMES):
            raise CommandError(
                f"Templates from URLs aren't supported ({template}). Download and unpack the "
                "template, then pass its directory to --template."
            )
        if template.endswith(ARCHIVE_EXTENSIONS) and os.path.exists(expanded):
            raise CommandError(
                f"Archived templates aren't supported ({template}). Unpack it, then pass its "
                "directory to --template."
            )
        raise CommandError(
            f"couldn't handle {self.app_or_project} template {template}: it is not a directory."
        )

    def validate_name(self, name: str | None, name_or_dir: str = "name") -> None:
        """Raise ``CommandError`` unless ``name`` is an identifier not already importable."""
        if name is None:
            raise CommandError(f"you must provide {self.a_or_an} {self.app_or_project} name")
        if not name.isidentifier():
            raise CommandError(
                f"'{name}' is not a valid {self.app_or_project} {name_or_dir}. Please make "
                f"sure the {name_or_dir} is a valid identifier."
            )
        try:
            import_module(name)
        except ImportError:
            return
        raise CommandError(
            f"'{name}' conflicts with the name of an existing Python module and cannot be "
            f"used as {self.a_or_an} {self.app_or_project} {name_or_dir}. Please try another "
            f"{name_or_dir}."
        )

    def apply_umask(self, old_path: str, new_path: str) -> None:
        """Give ``new_path`` the template file's mode, masked by the process umask."""
        current_umask = os.umask(0)
        os.umask(current_umask)
        current_mode = stat.S_IMODE(os.stat(old_path).st_mode)
        os.chmod(new_path, current_mode & ~current_umask)

    def make_writeable(self, filename: str) -> None:
        """Make ``filename`` writable by its owner (templates may be installed read-only)."""
        if not os.access(filename, os.W_OK):
            st = os.stat(filename)
            os.chmod(filename, stat.S_IMODE(st.st_mode) | stat.S_IWUSR)
