"""Django's tutorial, parts 1, 3 and 5 (the parts that need no database), as a new user runs it.

Every step is a command in a fresh directory, run the way the tutorial runs it:
``startproject``, ``startapp``, editing files, ``runserver`` and a browser (an
HTTP client here), ``manage.py shell`` with the test client, and the app's tests.
The only changes from the tutorial: ``django`` is ``fastjango`` in imports,
templates use Jinja2 syntax, and the questions live in a list instead of a model.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

PYTHON = sys.executable


def run(*args: str, cwd: Path, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    env.pop("FASTJANGO_SETTINGS_MODULE", None)
    result = subprocess.run(
        [PYTHON, *args],
        cwd=cwd,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, (args, result.stdout, result.stderr)
    return result


def write(path: Path, source: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(source).lstrip())


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Part 1: create the project and the polls app, and write the first view."""
    root = tmp_path_factory.mktemp("tutorial")
    run("-m", "fastjango", "startproject", "mysite", cwd=root)
    site = root / "mysite"
    assert {p.name for p in site.iterdir()} >= {"manage.py", "mysite"}
    run("manage.py", "startapp", "polls", cwd=site)
    write(
        site / "polls" / "views.py",
        """
        from fastjango.http import HttpResponse


        def index(request):
            return HttpResponse("Hello, world. You're at the polls index.")
        """,
    )
    write(
        site / "polls" / "urls.py",
        """
        from fastjango.urls import path

        from . import views

        urlpatterns = [
            path("", views.index, name="index"),
        ]
        """,
    )
    write(
        site / "mysite" / "urls.py",
        """
        from fastjango.urls import include, path

        urlpatterns = [
            path("polls/", include("polls.urls")),
        ]
        """,
    )
    return site


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def part1_server(project: Path) -> Iterator[str]:
    port = free_port()
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    env.pop("FASTJANGO_SETTINGS_MODULE", None)
    log = project.parent / "runserver.log"
    with open(log, "w") as output:
        server = subprocess.Popen(
            [PYTHON, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
            cwd=project,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(url + "/polls/", timeout=1)
                break
            except httpx.TransportError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(log.read_text()) from None
                time.sleep(0.1)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_part1_runserver_serves_the_polls_index(project: Path, part1_server: str) -> None:
    assert (
        "System check identified no issues (0 silenced)."
        in run("manage.py", "check", cwd=project).stdout
    )
    response = httpx.get(part1_server + "/polls/")
    assert response.status_code == 200
    assert response.text == "Hello, world. You're at the polls index."
    # No pattern for the site root: a 404 (the debug page, DEBUG being on).
    assert httpx.get(part1_server + "/").status_code == 404
    # CommonMiddleware adds the missing slash.
    no_slash = httpx.get(part1_server + "/polls")
    assert (no_slash.status_code, no_slash.headers["location"]) == (301, "/polls/")


def write_part3(site: Path) -> None:
    """Part 3: more views, templates (Jinja2), 404s, namespaced URLs."""
    settings = site / "mysite" / "settings.py"
    text = settings.read_text()
    assert "INSTALLED_APPS = [\n" in text
    settings.write_text(
        text.replace(
            "INSTALLED_APPS = [\n", 'INSTALLED_APPS = [\n    "polls.apps.PollsConfig",\n', 1
        )
    )
    write(
        site / "polls" / "data.py",
        """
        # The tutorial's Question model, as plain data (the database is part 2).
        QUESTIONS = [
            {"id": 1, "question_text": "What's new?"},
            {"id": 2, "question_text": "What's up?"},
        ]
        """,
    )
    write(
        site / "polls" / "views.py",
        """
        from fastjango.http import Http404, HttpResponse
        from fastjango.shortcuts import render
        from fastjango.template import loader

        from .data import QUESTIONS


        def index(request):
            latest_question_list = QUESTIONS[:5]
            template = loader.get_template("polls/index.html")
            context = {"latest_question_list": latest_question_list}
            return HttpResponse(template.render(context, request))


        def detail(request, question_id):
            try:
                question = next(q for q in QUESTIONS if q["id"] == question_id)
            except StopIteration:
                raise Http404("Question does not exist")
            return render(request, "polls/detail.html", {"question": question})


        def results(request, question_id):
            response = "You're looking at the results of question %s."
            return HttpResponse(response % question_id)


        def vote(request, question_id):
            return HttpResponse("You're voting on question %s." % question_id)
        """,
    )
    write(
        site / "polls" / "urls.py",
        """
        from fastjango.urls import path

        from . import views

        app_name = "polls"
        urlpatterns = [
            # ex: /polls/
            path("", views.index, name="index"),
            # ex: /polls/5/
            path("<int:question_id>/", views.detail, name="detail"),
            # ex: /polls/5/results/
            path("<int:question_id>/results/", views.results, name="results"),
            # ex: /polls/5/vote/
            path("<int:question_id>/vote/", views.vote, name="vote"),
        ]
        """,
    )
    write(
        site / "polls" / "templates" / "polls" / "index.html",
        """
        {% if latest_question_list %}
            <ul>
            {% for question in latest_question_list %}
                <li><a href="{{ url('polls:detail', question.id) }}">
                    {{- question.question_text }}</a></li>
            {% endfor %}
            </ul>
        {% else %}
            <p>No polls are available.</p>
        {% endif %}
        """,
    )
    write(
        site / "polls" / "templates" / "polls" / "detail.html",
        """
        <h1>{{ question.question_text }}</h1>
        <a href="{{ url('polls:results', question.id) }}">Results</a>
        """,
    )
    write(
        site / "polls" / "tests.py",
        """
        from fastjango.test import Client, SimpleTestCase
        from fastjango.urls import reverse


        class QuestionIndexViewTests(SimpleTestCase):
            def test_index_lists_the_questions(self):
                response = self.client.get(reverse("polls:index"))
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, "What&#39;s up?")
                self.assertContains(response, 'href="/polls/1/"')
                self.assertTemplateUsed(response, "polls/index.html")
                self.assertEqual(len(response.context["latest_question_list"]), 2)


        class QuestionDetailViewTests(SimpleTestCase):
            def test_unknown_question_is_404(self):
                url = reverse("polls:detail", args=(99,))
                response = self.client.get(url)
                self.assertEqual(response.status_code, 404)

            def test_known_question(self):
                response = self.client.get(reverse("polls:detail", args=(1,)))
                self.assertContains(response, "<h1>What&#39;s new?</h1>", html=True)
                self.assertContains(response, reverse("polls:results", args=(1,)))


        def test_results_and_vote_with_a_pytest_function():
            client = Client()
            assert client.get("/polls/34/results/").content == (
                b"You're looking at the results of question 34."
            )
            assert client.get("/polls/34/vote/").content == b"You're voting on question 34."
            assert client.get("/polls/abc/").status_code == 404
        """,
    )


def test_part3_and_part5(project: Path, part1_server: str) -> None:
    write_part3(project)
    # Part 5: the app's own tests.
    tests = run("-m", "pytest", "-q", "-p", "no:cacheprovider", cwd=project)
    assert "4 passed" in tests.stdout
    # Part 5: the test client in the shell, as the tutorial types it.
    session = run(
        "manage.py",
        "shell",
        cwd=project,
        stdin=textwrap.dedent(
            """
            from fastjango.test.utils import setup_test_environment
            setup_test_environment()
            from fastjango.test import Client
            client = Client()
            response = client.get("/")
            print(response.status_code)
            from fastjango.urls import reverse
            response = client.get(reverse("polls:index"))
            print(response.status_code)
            print(response.content)
            print(response.context["latest_question_list"])
            """
        ),
    )
    lines = session.stdout.strip().splitlines()
    assert lines[:2] == ["404", "200"]
    assert '<a href="/polls/1/">What&#39;s new?</a>' in lines[2]
    assert "'question_text': \"What's up?\"" in lines[3]
    # And the URLs the app declares, listed as Django-extensions' show_urls does.
    urls = run("manage.py", "show_urls", cwd=project).stdout
    assert "polls/<int:question_id>/\tpolls.views.detail\tpolls:detail" in urls
