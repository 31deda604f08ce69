from __future__ import annotations

import ast
import io
import os
import re
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from fastjango.core.management import call_command
from fastjango.core.management.base import CommandError

from .conftest import run_python

PROJECT_FILES = {
    "manage.py",
    "pytest.ini",
    "mysite/__init__.py",
    "mysite/asgi.py",
    "mysite/settings.py",
    "mysite/urls.py",
}
APP_FILES = {
    "polls/__init__.py",
    "polls/apps.py",
    "polls/models.py",
    "polls/views.py",
    "polls/urls.py",
    "polls/tests.py",
    "polls/migrations/__init__.py",
    "polls/templates/polls/index.html",
}


def files_under(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()}


def startproject(*args: str, **options: object) -> str:
    out = io.StringIO()
    call_command("startproject", *args, stdout=out, **options)
    return out.getvalue()


def startapp(*args: str, **options: object) -> str:
    out = io.StringIO()
    call_command("startapp", *args, stdout=out, **options)
    return out.getvalue()


def test_startproject_creates_the_project(in_tmp_path: Path) -> None:
    startproject("mysite")
    root = in_tmp_path / "mysite"
    assert files_under(root) == PROJECT_FILES
    for name in PROJECT_FILES - {"pytest.ini"}:
        ast.parse((root / name).read_text(), filename=name)  # every file is valid Python
    assert os.access(root / "manage.py", os.X_OK)
    # pytest finds the settings and Django's tests.py files with no further setup.
    pytest_ini = (root / "pytest.ini").read_text()
    assert "FASTJANGO_SETTINGS_MODULE = mysite.settings" in pytest_ini
    assert "python_files = tests.py" in pytest_ini


def test_project_settings(in_tmp_path: Path) -> None:
    startproject("mysite")
    source = (in_tmp_path / "mysite" / "mysite" / "settings.py").read_text()
    key = re.search(r'"(fastjango-insecure-[^"]+)"', source)
    assert key is not None and len(key.group(1)) == len("fastjango-insecure-") + 50
    assert 'os.environ.get(\n    "FASTJANGO_SECRET_KEY",' in source
    assert 'ROOT_URLCONF = "mysite.urls"' in source
    assert 'ASGI_APPLICATION = "mysite.asgi.application"' in source
    assert '"BACKEND": "fastjango.template.backends.jinja2.Jinja2"' in source
    assert '"ENGINE": "fastjango.db.backends.sqlite3"' in source
    assert "{{" not in source and "}}" not in source
    # Two projects get two different keys.
    startproject("othersite")
    other = (in_tmp_path / "othersite" / "othersite" / "settings.py").read_text()
    assert re.search(r'"(fastjango-insecure-[^"]+)"', other).group(1) != key.group(1)  # type: ignore[union-attr]


def _load_settings(
    path: Path, env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> dict[str, Any]:
    for name in ("FASTJANGO_SECRET_KEY", "FASTJANGO_DEBUG", "FASTJANGO_ALLOWED_HOSTS"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    namespace: dict[str, Any] = {"__file__": str(path)}
    exec(compile(path.read_text(), str(path), "exec"), namespace)
    return namespace


def test_project_settings_values_and_environment(
    in_tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    startproject("mysite")
    path = in_tmp_path / "mysite" / "mysite" / "settings.py"
    values = _load_settings(path, {}, monkeypatch)
    assert values["DEBUG"] is True
    assert values["SECRET_KEY"].startswith("fastjango-insecure-")
    assert values["ALLOWED_HOSTS"] == []
    assert values["INSTALLED_APPS"] == []
    assert values["MIDDLEWARE"] == [
        "fastjango.middleware.security.SecurityMiddleware",
        "fastjango.middleware.common.CommonMiddleware",
        "fastjango.middleware.clickjacking.XFrameOptionsMiddleware",
    ]
    base_dir = in_tmp_path / "mysite"
    assert values["BASE_DIR"] == base_dir
    assert values["DATABASES"]["default"]["NAME"] == base_dir / "db.sqlite3"
    template = values["TEMPLATES"][0]
    assert template["APP_DIRS"] is True
    assert template["DIRS"] == [base_dir / "templates"]
    assert template["OPTIONS"]["context_processors"] == [
        "fastjango.template.context_processors.debug",
        "fastjango.template.context_processors.request",
    ]
    assert values["DEFAULT_AUTO_FIELD"] == "fastjango.db.models.BigAutoField"
    assert (values["LANGUAGE_CODE"], values["TIME_ZONE"], values["USE_TZ"]) == (
        "en-us",
        "UTC",
        True,
    )
    assert values["STATIC_URL"] == "static/"
    env = {
        "FASTJANGO_SECRET_KEY": "from-env",
        "FASTJANGO_DEBUG": "0",
        "FASTJANGO_ALLOWED_HOSTS": "example.com, www.example.com,",
    }
    values = _load_settings(path, env, monkeypatch)
    assert values["SECRET_KEY"] == "from-env"
    assert values["DEBUG"] is False
    assert values["ALLOWED_HOSTS"] == ["example.com", "www.example.com"]


def test_project_modules(in_tmp_path: Path) -> None:
    startproject("mysite")
    package = in_tmp_path / "mysite" / "mysite"
    urls = (package / "urls.py").read_text()
    assert urls.startswith('"""\nURL configuration for mysite project.')
    assert "urlpatterns = []" in urls
    asgi = (package / "asgi.py").read_text()
    assert "from fastjango.core.asgi import get_asgi_application" in asgi
    assert 'os.environ.setdefault("FASTJANGO_SETTINGS_MODULE", "mysite.settings")' in asgi
    assert "application = get_asgi_application()" in asgi
    manage = (in_tmp_path / "mysite" / "manage.py").read_text()
    assert 'os.environ.setdefault("FASTJANGO_SETTINGS_MODULE", "mysite.settings")' in manage
    assert "execute_from_command_line(sys.argv)" in manage


def test_startproject_into_a_directory(tmp_path: Path) -> None:
    target = tmp_path / "here"
    target.mkdir()
    startproject("mysite", str(target))
    assert files_under(target) == PROJECT_FILES


def test_startproject_verbose_lists_files(tmp_path: Path) -> None:
    out = startproject("mysite", str(tmp_path), verbosity=2)
    assert "Rendering project template files with extensions: .py" in out
    assert f"Creating {tmp_path / 'mysite' / 'settings.py'}" in out


@pytest.mark.parametrize(
    ("name", "message"),
    [
        (
            "7up",
            "'7up' is not a valid project name. Please make sure the name is a valid identifier.",
        ),
        ("my-site", "'my-site' is not a valid project name."),
        (
            "os",
            "'os' conflicts with the name of an existing Python module and cannot be used as a "
            "project name. Please try another name.",
        ),
    ],
)
def test_startproject_name_validation(in_tmp_path: Path, name: str, message: str) -> None:
    with pytest.raises(CommandError, match=re.escape(message)):
        startproject(name)
    assert not (in_tmp_path / name).exists()


def test_startproject_requires_a_name() -> None:
    with pytest.raises(CommandError, match="You must provide a project name."):
        call_command("startproject")


def test_startproject_existing_directory_rules(in_tmp_path: Path) -> None:
    (in_tmp_path / "mysite").mkdir()
    with pytest.raises(CommandError, match=re.escape(f"'{in_tmp_path / 'mysite'}' already exists")):
        startproject("mysite")
    missing = in_tmp_path / "missing"
    with pytest.raises(
        CommandError,
        match=re.escape(
            f"Destination directory '{missing}' does not exist, please create it first."
        ),
    ):
        startproject("othersite", str(missing))
    target = in_tmp_path / "occupied"
    target.mkdir()
    (target / "manage.py").write_text("# mine\n")
    with pytest.raises(CommandError, match="Overlaying a project into an existing directory"):
        startproject("othersite", str(target))
    assert (target / "manage.py").read_text() == "# mine\n"


def test_startproject_name_too_long_for_the_filesystem(in_tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="File name too long"):
        startproject("a" * 300)


def test_validate_name_requires_a_name() -> None:
    from fastjango.core.management.templates import TemplateCommand

    command = TemplateCommand()
    command.app_or_project, command.a_or_an = "app", "an"
    with pytest.raises(CommandError, match="you must provide an app name"):
        command.validate_name(None)


def test_startapp_creates_the_app(in_tmp_path: Path) -> None:
    startapp("polls")
    assert files_under(in_tmp_path) == APP_FILES
    app = in_tmp_path / "polls"
    apps_py = (app / "apps.py").read_text()
    assert "class PollsConfig(AppConfig):" in apps_py
    assert 'name = "polls"' in apps_py
    assert 'default_auto_field = "fastjango.db.models.BigAutoField"' in apps_py
    assert 'app_name = "polls"' in (app / "urls.py").read_text()
    assert 'path("", views.index, name="index")' in (app / "urls.py").read_text()
    assert 'render(request, "polls/index.html"' in (app / "views.py").read_text()
    tests_py = (app / "tests.py").read_text()
    assert "from fastjango.test import Client" in tests_py
    assert 'reverse("polls:index")' in tests_py
    # HTML is copied, not rendered: its Jinja2 placeholders are for request time.
    assert "{{ app_name }}" in (app / "templates" / "polls" / "index.html").read_text()
    for name in APP_FILES:
        if name.endswith(".py"):
            ast.parse((in_tmp_path / name).read_text(), filename=name)


def test_startapp_camel_case_name(in_tmp_path: Path) -> None:
    startapp("blog_posts")
    assert (
        "class BlogPostsConfig(AppConfig):" in (in_tmp_path / "blog_posts" / "apps.py").read_text()
    )


def test_startapp_into_a_directory_validates_its_name(tmp_path: Path) -> None:
    good = tmp_path / "good_dir"
    good.mkdir()
    startapp("polls", str(good))
    assert (good / "apps.py").exists()
    bad = tmp_path / "bad-dir"
    bad.mkdir()
    with pytest.raises(CommandError, match="'bad-dir' is not a valid app directory."):
        startapp("polls", str(bad))


def test_startapp_name_validation(in_tmp_path: Path) -> None:
    with pytest.raises(
        CommandError,
        match="'json' conflicts with the name of an existing Python "
        "module and cannot be used as an app name.",
    ):
        startapp("json")
    with pytest.raises(CommandError, match="You must provide an application name."):
        call_command("startapp")


def _custom_template(root: Path) -> Path:
    template = root / "tpl"
    (template / "app_name").mkdir(parents=True)
    (template / ".hidden").mkdir()
    (template / ".hidden" / "secret.txt").write_text("hidden")
    (template / "__pycache__").mkdir()
    (template / "__pycache__" / "x.pyc").write_bytes(b"")
    (template / "skipme").mkdir()
    (template / "skipme" / "a.txt").write_text("a")
    (template / "app_name" / "mod.py-tpl").write_text("NAME = '{{ app_name }}'\n")
    (template / "notes.txt").write_text("about {{ app_name }} {{ undefined_name }}\n")
    (template / "README.md").write_text("# {{ camel_case_app_name }}\n")
    (template / "run.sh").write_text("#!/bin/sh\n")
    (template / "run.sh").chmod(0o755)
    (template / "stray.pyc").write_bytes(b"")
    return template


def test_custom_template_with_extensions_and_names(in_tmp_path: Path) -> None:
    template = _custom_template(in_tmp_path)
    # As in Django, a keyword argument replaces the default ["py"]; -e on the command
    # line appends to it.
    startapp("shop", template=str(template), extensions=["py", "txt"], files=["README.md"])
    app = in_tmp_path / "shop"
    assert (app / "shop" / "mod.py").read_text() == "NAME = 'shop'\n"
    assert (app / "notes.txt").read_text() == "about shop \n"  # undefined names render empty
    assert (app / "README.md").read_text() == "# Shop\n"
    assert (app / "skipme" / "a.txt").exists()
    assert not (app / ".hidden").exists()
    assert not (app / "__pycache__").exists()
    assert not (app / "stray.pyc").exists()
    assert os.stat(app / "run.sh").st_mode & stat.S_IXUSR


def test_custom_template_exclude(in_tmp_path: Path) -> None:
    template = _custom_template(in_tmp_path)
    startapp("shop", template=f"file://{template}", exclude=["skipme"])
    app = in_tmp_path / "shop"
    assert not (app / "skipme").exists()
    # With --exclude, only .git, __pycache__ and the named ones are left out.
    assert (app / ".hidden" / "secret.txt").exists()
    # Without an extension option, only .py files are rendered.
    assert (app / "notes.txt").read_text() == "about {{ app_name }} {{ undefined_name }}\n"


def test_template_errors(in_tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="Templates from URLs aren't supported"):
        startapp("shop", template="https://example.com/t.zip")
    archive = in_tmp_path / "t.tar.gz"
    archive.write_bytes(b"")
    with pytest.raises(CommandError, match="Archived templates aren't supported"):
        startapp("shop2", template=str(archive))
    with pytest.raises(CommandError, match="couldn't handle app template nowhere: it is not a"):
        startapp("shop3", template="nowhere")
    broken = in_tmp_path / "broken"
    broken.mkdir()
    (broken / "x.py-tpl").write_text("{% if %}\n")
    with pytest.raises(CommandError, match="Couldn't render the template file"):
        startapp("shop4", template=str(broken))


def test_read_only_template_files_become_writable(in_tmp_path: Path) -> None:
    template = in_tmp_path / "ro"
    template.mkdir()
    (template / "data.txt").write_text("x")
    (template / "data.txt").chmod(0o444)
    startapp("shop", template=str(template))
    assert os.access(in_tmp_path / "shop" / "data.txt", os.W_OK)


def test_generated_project_runs_its_commands(make_project: Callable[[str], Path]) -> None:
    root = make_project("mysite")
    result = run_python(["manage.py", "check", "--tag", "security", "--deploy"], root)
    assert result.returncode == 0, result.stderr
    assert "(security.W009)" in result.stderr
    assert "(security.W018)" in result.stderr
    assert "System check identified 5 issues (0 silenced)." in result.stderr
    result = run_python(["manage.py", "startapp", "polls"], root)
    assert result.returncode == 0, result.stderr
    assert (root / "polls" / "apps.py").exists()
