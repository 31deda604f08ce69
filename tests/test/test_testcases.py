"""SimpleTestCase: Django's assertions, run as pytest runs unittest classes."""

from __future__ import annotations

import unittest
import warnings
from typing import Any

import pytest

from fastjango.conf import settings
from fastjango.http import HttpResponse, JsonResponse, StreamingHttpResponse
from fastjango.template.response import TemplateResponse
from fastjango.test import AsyncClient, RequestFactory, SimpleTestCase, override_settings
from tests.core.handlers import views

URLS = "tests.core.handlers.urls"


@override_settings(ROOT_URLCONF=URLS, TEMPLATES=views.TEMPLATES)
class ClientAssertionTests(SimpleTestCase):
    def test_class_override_and_client(self) -> None:
        self.assertEqual(settings.ROOT_URLCONF, URLS)
        response = self.client.get("/echo/")
        self.assertEqual(response.status_code, 200)
        with self.settings(ROOT_URLCONF="tests.core.handlers.urls_alt"):
            self.assertContains(self.client.get("/alt/"), "other urlconf")
        with self.modify_settings(ALLOWED_HOSTS={"append": "added.example"}):
            self.assertIn("added.example", settings.ALLOWED_HOSTS)
        self.assertNotIn("added.example", settings.ALLOWED_HOSTS)

    def test_assert_contains(self) -> None:
        response = self.client.get("/template/", {"word": "hello"})
        self.assertContains(response, "hello")
        self.assertContains(response, b"<p>hello</p>", count=1)
        self.assertContains(response, "<p> hello </p>", html=True)
        self.assertNotContains(response, "bye")
        self.assertNotContains(response, "<p>bye</p>", html=True)
        with self.assertRaisesMessage(AssertionError, "prefix: Couldn't find 'bye'"):
            self.assertContains(response, "bye", msg_prefix="prefix")
        with self.assertRaisesMessage(AssertionError, "Found 1 instances of 'hello' (expected 2)"):
            self.assertContains(response, "hello", count=2)
        with self.assertRaisesMessage(AssertionError, "Response code was 200 (expected 404)"):
            self.assertContains(response, "hello", status_code=404)
        with self.assertRaisesMessage(AssertionError, "b'hello' unexpectedly found"):
            self.assertNotContains(response, b"hello")
        with self.assertRaisesMessage(AssertionError, "Second argument is not valid HTML:"):
            self.assertContains(response, "</div>", html=True)

    def test_assert_contains_streaming_and_unrendered(self) -> None:
        stream = StreamingHttpResponse([b"abc", b"def"])
        self.assertContains(stream, "cd")
        unrendered = TemplateResponse(RequestFactory().get("/"), "page.html", {"word": "late"})
        self.assertContains(unrendered, "late")

    def test_assert_redirects(self) -> None:
        response = self.client.get("/redirect/0/")
        self.assertRedirects(response, "/echo/?done=1")
        followed = self.client.get("/redirect/1/", follow=True)
        self.assertRedirects(followed, "/echo/?done=1")
        relative = self.client.get("/relative/here/")
        self.assertRedirects(relative, "/relative/echo/", target_status_code=404)
        self.assertRedirects(self.client.get("/r307/"), "/echo/?kept=1", status_code=307)
        absolute = self.client.get("/absolute/")
        self.assertRedirects(absolute, "https://testserver/echo/?x=1")
        with self.assertRaisesMessage(ValueError, "unable to fetch remote URLs"):
            self.assertRedirects(self.client.get("/other-host/"), "/x/")
        self.assertRedirects(
            self.client.get("/other-host/"),
            "http://elsewhere.example:8080/echo/",
            fetch_redirect_response=False,
        )

    def test_assert_redirects_failures(self) -> None:
        with self.assertRaisesMessage(
            AssertionError, "p: Response didn't redirect as expected: Response code was 200"
        ):
            self.assertRedirects(self.client.get("/echo/"), "/x/", msg_prefix="p")
        with self.assertRaisesMessage(AssertionError, "Couldn't retrieve redirection page"):
            self.assertRedirects(self.client.get("/to-404/"), "/nowhere/")
        with self.assertRaisesMessage(AssertionError, "Response redirected to '/echo/?done=1'"):
            self.assertRedirects(self.client.get("/redirect/0/"), "/elsewhere/")
        with self.assertRaisesMessage(AssertionError, "Initial response didn't redirect"):
            self.assertRedirects(self.client.get("/r307/", follow=True), "/echo/?kept=1")
        with self.assertRaisesMessage(AssertionError, "Final Response code was 404"):
            self.assertRedirects(self.client.get("/to-404/", follow=True), "/nowhere/")
        with self.assertRaisesMessage(AssertionError, "Response didn't redirect as expected"):
            self.assertRedirects(self.client.get("/echo/", follow=True), "/echo/")

    def test_assert_url_equal(self) -> None:
        self.assertURLEqual("/a/?x=1&y=2", "/a/?y=2&x=1")
        with self.assertRaisesMessage(AssertionError, "m: Expected '/a/' to equal '/b/'."):
            self.assertURLEqual("/a/", "/b/", msg_prefix="m")

    def test_assert_template_used(self) -> None:
        response = self.client.get("/async-template/")
        self.assertTemplateUsed(response, "child.html")
        self.assertTemplateUsed(response, "base.html", count=1)
        self.assertTemplateNotUsed(response, "page.html")
        with self.assertTemplateUsed("page.html"):
            self.client.get("/template/")
        with self.assertTemplateUsed(template_name="page.html", count=2):
            self.client.get("/template/")
            self.client.get("/template/")
        with self.assertTemplateNotUsed("page.html"):
            self.client.get("/echo/")
        with self.assertRaisesMessage(AssertionError, "Actual template(s) used: child.html"):
            self.assertTemplateUsed(response, "page.html")
        with self.assertRaisesMessage(AssertionError, "expected to be rendered 2 time(s)"):
            self.assertTemplateUsed(response, "child.html", count=2)
        with self.assertRaisesMessage(AssertionError, "No templates used to render"):
            self.assertTemplateUsed(self.client.get("/echo/"), "page.html")
        with self.assertRaisesMessage(AssertionError, "m: Template 'child.html' was used"):
            self.assertTemplateNotUsed(response, "child.html", msg_prefix="m")
        with self.assertRaisesMessage(AssertionError, "m: No templates used"):
            with self.assertTemplateUsed("page.html", msg_prefix="m"):
                pass
        with self.assertRaisesMessage(AssertionError, "was used unexpectedly"):
            with self.assertTemplateNotUsed("page.html"):
                self.client.get("/template/")
        with self.assertRaisesMessage(ValueError, "only usable on responses fetched"):
            self.assertTemplateUsed(HttpResponse(), "page.html")
        with self.assertRaisesMessage(TypeError, "must be provided"):
            self.assertTemplateUsed()
        with self.assertRaisesMessage(TypeError, "must be provided"):
            self.assertTemplateNotUsed()
        # The block's own error wins over the assertion.
        with self.assertRaisesMessage(KeyError, "own error"):
            with self.assertTemplateUsed("page.html"):
                raise KeyError("own error")

    async def test_async_method_with_the_async_client(self) -> None:
        self.assertIsInstance(self.async_client, AsyncClient)
        response = await self.async_client.get("/template/")
        self.assertContains(response, "sync")


class HTMLAndJSONAssertionTests(SimpleTestCase):
    def test_assert_html_equal(self) -> None:
        self.assertHTMLEqual(
            '<div  class="b a" id="x"><p>Hi   there</p><br/></div>',
            "<div id='x' class='a b'>\n <p>Hi there</p>\n <br>\n</div>",
        )
        self.assertHTMLNotEqual("<p>a</p>", "<p>b</p>")
        with self.assertRaisesMessage(AssertionError, "<p>a</p> != <p>b</p>"):
            self.assertHTMLEqual("<p>a</p>", "<p>b</p>")
        with self.assertRaisesMessage(AssertionError, "== "):
            self.assertHTMLNotEqual("<p>a</p>", "<p> a </p>")
        with self.assertRaisesMessage(AssertionError, "First argument is not valid HTML:"):
            self.assertHTMLEqual("</p>", "<p></p>")
        with self.assertRaisesMessage(AssertionError, "Second argument is not valid HTML:"):
            self.assertHTMLNotEqual("<p></p>", "</p>")

    def test_assert_in_html(self) -> None:
        page = "<ul><li>One</li><li class='x'>Two</li><li>One</li></ul>"
        self.assertInHTML("<li>One</li>", page, count=2)
        self.assertInHTML('<li class="x">Two</li>', page)
        self.assertNotInHTML("<li>Three</li>", page)
        with self.assertRaisesMessage(AssertionError, "Couldn't find '<li>Three</li>'"):
            self.assertInHTML("<li>Three</li>", page)
        with self.assertRaisesMessage(AssertionError, "Found 2 instances of '<li>One</li>'"):
            self.assertInHTML("<li>One</li>", page, count=1, msg_prefix="m")
        with self.assertRaisesMessage(AssertionError, "<li>One</li> unexpectedly found"):
            self.assertNotInHTML("<li>One</li>", page)

    def test_assert_json(self) -> None:
        self.assertJSONEqual('{"a": [1, 2]}', {"a": [1, 2]})
        self.assertJSONEqual(b'{"a": 1}', '{"a": 1}')
        self.assertJSONNotEqual('{"a": 1}', {"a": 2})
        self.assertJSONNotEqual('{"a": 1}', '{"a": 2}')
        self.assertJSONEqual(JsonResponse({"k": "v"}).content, {"k": "v"})
        with self.assertRaisesMessage(AssertionError, "First argument is not valid JSON: 'nope'"):
            self.assertJSONEqual("nope", {})
        with self.assertRaisesMessage(AssertionError, "Second argument is not valid JSON: '{'"):
            self.assertJSONEqual("{}", "{")
        with self.assertRaisesMessage(AssertionError, "Second argument is not valid JSON"):
            self.assertJSONNotEqual("{}", "{")
        with self.assertRaisesMessage(AssertionError, "First argument is not valid JSON"):
            self.assertJSONNotEqual("{", {})

    def test_assert_raises_and_warns_message(self) -> None:
        with self.assertRaisesMessage(ValueError, "bad value") as cm:
            raise ValueError("a bad value here")
        self.assertEqual(str(cm.exception), "a bad value here")

        def fail(kind: str) -> None:
            raise TypeError(f"wrong {kind}")

        self.assertRaisesMessage(TypeError, "wrong type", fail, "type")
        self.assertRaisesMessage(TypeError, "wrong type", fail, kind="type")
        with self.assertRaises(AssertionError):
            with self.assertRaisesMessage(ValueError, "expected text"):
                raise ValueError("other text")
        with self.assertWarnsMessage(DeprecationWarning, "going away"):
            warnings.warn("this is going away", DeprecationWarning, stacklevel=1)
        self.assertWarnsMessage(
            UserWarning, "careful", warnings.warn, "be careful", UserWarning, stacklevel=1
        )


class LifecycleProbe(SimpleTestCase):
    events: list[str] = []
    fail_pre_setup = False
    fail_post_teardown = False

    def _pre_setup(self) -> None:
        self.events.append("pre_setup")
        if self.fail_pre_setup:
            raise RuntimeError("pre_setup failed")
        super()._pre_setup()

    def _post_teardown(self) -> None:
        self.events.append("post_teardown")
        if self.fail_post_teardown:
            raise RuntimeError("post_teardown failed")

    def test_runs(self) -> None:
        self.events.append("test")

    @unittest.skip("skipped on purpose")
    def test_skipped(self) -> None:
        self.events.append("never")  # pragma: no cover


# The probe is run by the tests below, not collected on its own.
LifecycleProbe.__test__ = False  # type: ignore[attr-defined]


def run_probe(name: str, **flags: Any) -> unittest.TestResult:
    probe = type("Probe", (LifecycleProbe,), {"events": [], **flags})
    result = unittest.TestResult()
    probe(name)(result)
    return result


def test_pre_setup_and_post_teardown_wrap_the_test() -> None:
    result = run_probe("test_runs")
    assert result.wasSuccessful()
    assert result.testsRun == 1


@pytest.mark.parametrize("flag", ["fail_pre_setup", "fail_post_teardown"])
def test_lifecycle_errors_are_reported(flag: str) -> None:
    result = run_probe("test_runs", **{flag: True})
    assert len(result.errors) == 1
    assert "failed" in result.errors[0][1]


def test_skipped_tests_skip_the_lifecycle() -> None:
    probe: Any = type("Probe", (LifecycleProbe,), {"events": []})
    result = unittest.TestResult()
    probe("test_skipped")(result)
    assert probe.events == []
    assert len(result.skipped) == 1


def test_debug_runs_the_lifecycle_and_raises() -> None:
    probe: Any = type("Probe", (LifecycleProbe,), {"events": []})
    probe("test_runs").debug()
    assert probe.events == ["pre_setup", "test", "post_teardown"]
    for flag in ("fail_pre_setup", "fail_post_teardown"):
        failing = type("Probe", (LifecycleProbe,), {"events": [], flag: True})
        with pytest.raises(RuntimeError, match="failed"):
            failing("test_runs").debug()


def test_fetch_redirect_with_an_async_clients_response() -> None:
    import anyio

    case = HTMLAndJSONAssertionTests("test_assert_json")
    with override_settings(ROOT_URLCONF=URLS):
        client = AsyncClient()

        async def get() -> Any:
            return await client.get("/redirect/0/")

        response = anyio.run(get)
        case.assertRedirects(response, "/echo/?done=1")

        async def relative() -> Any:
            return await client.get("/relative/here/")

        case.assertRedirects(anyio.run(relative), "/relative/echo/", target_status_code=404)
