"""``override_settings`` and ``modify_settings`` (Django's settings_tests, as pytest)."""

from __future__ import annotations

import unittest
from collections.abc import Iterator
from typing import Any

import pytest

from fastjango.conf import settings
from fastjango.core.signals import setting_changed
from fastjango.test.utils import TestContextDecorator, modify_settings, override_settings


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def changes() -> Iterator[list[dict[str, Any]]]:
    """Every ``setting_changed`` signal sent during the test, as its keyword arguments."""
    received: list[dict[str, Any]] = []

    def receiver(**kwargs: Any) -> None:
        received.append(kwargs)

    setting_changed.connect(receiver)
    yield received
    setting_changed.disconnect(receiver)


def assert_missing(*names: str) -> None:
    for name in names:
        with pytest.raises(AttributeError):
            getattr(settings, name)


def run_unittest_class(cls: type[unittest.TestCase]) -> unittest.TestResult:
    result = unittest.TestResult()
    unittest.defaultTestLoader.loadTestsFromTestCase(cls).run(result)
    return result


def assert_passed(result: unittest.TestResult) -> None:
    problems = [text for _, text in (*result.errors, *result.failures)]
    assert not problems, "\n".join(problems)
    assert result.testsRun > 0


# As a context manager


def test_context_manager() -> None:
    assert_missing("TEST")
    with override_settings(TEST="override"):
        assert settings.TEST == "override"
    assert_missing("TEST")


def test_enable_and_disable_by_hand() -> None:
    override = override_settings(TEST="override")
    assert_missing("TEST")
    override.enable()
    try:
        assert settings.TEST == "override"
    finally:
        override.disable()
    assert_missing("TEST")


def test_existing_setting_is_restored() -> None:
    settings.TEST = "test"
    try:
        with override_settings(TEST="override"):
            assert settings.TEST == "override"
            # A change made inside the block goes away with it.
            settings.TEST = "test2"
        assert settings.TEST == "test"
    finally:
        del settings.TEST


def test_assignment_inside_does_not_leak() -> None:
    with override_settings(TEST="override"):
        settings.TEST = "test"
    assert_missing("TEST")


def test_nesting_uses_the_settings_at_entry_time() -> None:
    inner = override_settings(TEST2="override")
    with override_settings(TEST="override"):
        assert settings.TEST == "override"
        with inner:
            assert settings.TEST == "override"
            assert settings.TEST2 == "override"
        # inner restored the outer override, not what existed when it was made.
        assert settings.TEST == "override"
        assert_missing("TEST2")
    assert_missing("TEST", "TEST2")


def test_overridden_settings_count_as_overridden() -> None:
    assert not settings.is_overridden("PREPEND_WWW")
    with override_settings(PREPEND_WWW=False):
        assert settings.is_overridden("PREPEND_WWW")


def test_exception_in_block_still_restores() -> None:
    with pytest.raises(ZeroDivisionError):
        with override_settings(TEST="override"):
            1 / 0  # noqa: B018
    assert_missing("TEST")


# setting_changed


def test_setting_changed_is_sent_on_enter_and_exit(changes: list[dict[str, Any]]) -> None:
    settings.TEST_KEPT = "old"
    try:
        with override_settings(TEST="override", TEST_KEPT="new"):
            assert [(c["setting"], c["value"], c["enter"]) for c in changes] == [
                ("TEST", "override", True),
                ("TEST_KEPT", "new", True),
            ]
            changes.clear()
        assert [(c["setting"], c["value"], c["enter"]) for c in changes] == [
            ("TEST", None, False),
            ("TEST_KEPT", "old", False),
        ]
        assert all(c["signal"] is setting_changed for c in changes)
        assert all(c["sender"] is type(settings._wrapped) for c in changes)
    finally:
        del settings.TEST_KEPT


class SettingChangeEnterException(Exception):
    pass


class SettingChangeExitException(Exception):
    pass


def failing(**kwargs: Any) -> None:
    """Fail while some settings change: on enter, on exit, or both."""
    setting, enter = kwargs["setting"], kwargs["enter"]
    if setting in ("SETTING_BOTH", "SETTING_ENTER") and enter:
        raise SettingChangeEnterException
    if setting in ("SETTING_BOTH", "SETTING_EXIT") and not enter:
        raise SettingChangeExitException


@pytest.fixture
def failing_receiver() -> Iterator[list[dict[str, Any]]]:
    """Connect ``failing``, then a spy after it; return what the spy records."""
    received: list[dict[str, Any]] = []

    def spy(**kwargs: Any) -> None:
        received.append(kwargs)

    setting_changed.connect(failing)
    setting_changed.connect(spy)
    yield received
    setting_changed.disconnect(failing)
    setting_changed.disconnect(spy)


def exit_calls(changes: list[dict[str, Any]]) -> int:
    return sum(1 for c in changes if c["enter"] is False)


def check_settings_absent() -> None:
    assert_missing("SETTING_BOTH", "SETTING_ENTER", "SETTING_EXIT", "SETTING_PASS")


def test_receiver_failing_on_enter_and_exit(failing_receiver: list[dict[str, Any]]) -> None:
    with pytest.raises(SettingChangeEnterException):
        with override_settings(SETTING_PASS="BOTH", SETTING_BOTH="BOTH"):
            pass  # pragma: no cover - entering fails
    check_settings_absent()
    # Both settings were touched, so every receiver heard both being undone.
    assert exit_calls(failing_receiver) == 2


def test_receiver_failing_on_enter(failing_receiver: list[dict[str, Any]]) -> None:
    with pytest.raises(SettingChangeEnterException):
        with override_settings(SETTING_PASS="ENTER", SETTING_ENTER="ENTER"):
            pass  # pragma: no cover - entering fails
    check_settings_absent()
    assert exit_calls(failing_receiver) == 2


def test_receiver_failing_on_exit(failing_receiver: list[dict[str, Any]]) -> None:
    with pytest.raises(SettingChangeExitException):
        with override_settings(SETTING_PASS="EXIT", SETTING_EXIT="EXIT"):
            pass
    check_settings_absent()
    assert exit_calls(failing_receiver) == 2


def test_override_is_reusable_after_failing_on_enter(
    failing_receiver: list[dict[str, Any]],
) -> None:
    calls: list[str] = []

    @override_settings(SETTING_ENTER="ENTER")
    def decorated_function() -> None:
        calls.append(settings.SETTING_ENTER)

    with pytest.raises(SettingChangeEnterException):
        decorated_function()
    assert calls == []
    # With the failing receiver gone, no error is left over from the first call.
    setting_changed.disconnect(failing)
    decorated_function()
    assert calls == ["ENTER"]
    check_settings_absent()


# As a function decorator


@override_settings(TEST="override")
def test_function_decorator() -> None:
    assert settings.TEST == "override"


def test_function_decorator_restores_and_keeps_the_function() -> None:
    @override_settings(TEST="override")
    def read(suffix: str) -> str:
        """Read TEST."""
        return f"{settings.TEST}{suffix}"

    assert read("!") == "override!"
    assert read.__name__ == "read"
    assert read.__doc__ == "Read TEST."
    assert_missing("TEST")


@pytest.mark.anyio
@override_settings(TEST="async override")
async def test_coroutine_function_decorator() -> None:
    assert settings.TEST == "async override"


@pytest.mark.anyio
async def test_coroutine_decorator_is_active_only_while_awaited() -> None:
    @override_settings(TEST="override")
    async def read() -> str:
        return str(settings.TEST)

    coroutine = read()
    assert_missing("TEST")  # nothing happens until the coroutine runs
    assert await coroutine == "override"
    assert_missing("TEST")


def test_decorating_something_else_is_an_error() -> None:
    with pytest.raises(TypeError) as info:
        override_settings(TEST="x")(42)
    assert str(info.value) == "Cannot decorate object of type <class 'int'>"


# On classes: a pytest class, here collected and run by pytest itself


@modify_settings(ITEMS={"prepend": ["b"], "append": ["d"], "remove": ["a", "e"]})
@override_settings(ITEMS=["a", "c", "e"], ITEMS_OUTER=[1, 2, 3], TEST="override")
class TestDecoratedPytestClass:
    def test_override(self) -> None:
        # override_settings goes first, whatever the stacking order.
        assert settings.ITEMS == ["b", "c", "d"]
        assert settings.ITEMS_OUTER == [1, 2, 3]
        assert settings.TEST == "override"

    @modify_settings(ITEMS={"append": ["e", "f"], "prepend": ["a"], "remove": ["d", "c"]})
    def test_method_list_override(self) -> None:
        assert settings.ITEMS == ["a", "b", "e", "f"]
        assert settings.ITEMS_OUTER == [1, 2, 3]

    @modify_settings(ITEMS={"append": ["b"], "prepend": ["d"], "remove": ["a", "c", "e"]})
    def test_method_list_override_no_ops(self) -> None:
        assert settings.ITEMS == ["b", "d"]

    @modify_settings(ITEMS={"append": "e", "prepend": "a", "remove": "c"})
    def test_method_list_override_strings(self) -> None:
        assert settings.ITEMS == ["a", "b", "d", "e"]

    @modify_settings(ITEMS={"remove": ["b", "d"]})
    @modify_settings(ITEMS={"append": ["b"], "prepend": ["d"]})
    def test_method_list_override_nested_order(self) -> None:
        assert settings.ITEMS == ["d", "c", "b"]

    @override_settings(TEST="override2")
    def test_method_override(self) -> None:
        assert settings.TEST == "override2"
        assert settings.ITEMS_OUTER == [1, 2, 3]

    def test_fixtures_still_reach_the_method(self, tmp_path: Any) -> None:
        assert tmp_path.exists()
        assert settings.TEST == "override"

    @pytest.mark.anyio
    async def test_async_method(self) -> None:
        assert settings.TEST == "override"

    @staticmethod
    def test_static_method() -> None:
        assert settings.TEST == "override"

    def helper_is_not_wrapped(self) -> str:
        return str(getattr(settings, "TEST", "missing"))


def test_plain_class_decoration_wraps_only_tests() -> None:
    instance = TestDecoratedPytestClass()
    assert instance.helper_is_not_wrapped() == "missing"
    instance.test_override()
    TestDecoratedPytestClass.test_static_method()
    assert_missing("TEST", "ITEMS")


def test_class_overrides_apply_before_modifications_whatever_the_stacking() -> None:
    @override_settings(ITEMS=["a"])
    @modify_settings(ITEMS={"append": "b"})
    class Case:
        def test_items(self) -> list[str]:
            return list(settings.ITEMS)

    assert Case().test_items() == ["a", "b"]


def test_plain_class_inheritance() -> None:
    @modify_settings(ITEMS={"append": "mother"})
    @override_settings(ITEMS=["father"], TEST="override-parent")
    class Parent:
        def test_parent(self) -> list[str]:
            return [settings.TEST, *settings.ITEMS]

    @modify_settings(ITEMS={"append": ["child"]})
    @override_settings(TEST="override-child")
    class Child(Parent):
        def test_child(self) -> list[str]:
            return [settings.TEST, *settings.ITEMS]

    class Grandchild(Child):
        pass

    expected = ["override-child", "father", "mother", "child"]
    assert Child().test_child() == expected
    # An inherited test runs with the settings of the class it runs on.
    assert Child().test_parent() == expected
    assert Grandchild().test_parent() == expected
    assert Parent().test_parent() == ["override-parent", "father", "mother"]
    assert_missing("TEST", "ITEMS")


# On classes: unittest.TestCase subclasses, on from setUpClass to tearDownClass


def test_unittest_class_is_overridden_from_setupclass_to_teardownclass() -> None:
    seen: dict[str, Any] = {}

    class Base(unittest.TestCase):
        def test_max_recursion_error(self) -> None:
            seen["base_test"] = True

    @modify_settings(ITEMS={"prepend": ["b"], "append": ["d"], "remove": ["a", "e"]})
    @override_settings(ITEMS=["a", "c", "e"], TEST="override")
    class Decorated(Base):
        @classmethod
        def setUpClass(cls) -> None:
            super().setUpClass()
            seen["setup"] = getattr(settings, "TEST", "BUG")

        @classmethod
        def tearDownClass(cls) -> None:
            seen["teardown"] = getattr(settings, "TEST", "BUG")
            super().tearDownClass()

        def test_override(self) -> None:
            self.assertEqual(settings.ITEMS, ["b", "c", "d"])
            self.assertEqual(settings.TEST, "override")

        @override_settings(TEST="override2")
        def test_method_override(self) -> None:
            self.assertEqual(settings.TEST, "override2")

        def test_max_recursion_error(self) -> None:
            # Calling the overridden method on the parent must not recurse.
            super().test_max_recursion_error()

    assert_passed(run_unittest_class(Decorated))
    assert seen == {"setup": "override", "teardown": "override", "base_test": True}
    assert Decorated.__name__ == "Decorated"
    assert_missing("TEST", "ITEMS")


def test_unittest_class_inheritance() -> None:
    results: list[list[str]] = []

    @modify_settings(ITEMS={"append": "mother"})
    @override_settings(ITEMS=["father"], TEST="override-parent")
    class Parent(unittest.TestCase):
        def test_settings(self) -> None:
            results.append([settings.TEST, *settings.ITEMS])

    @modify_settings(ITEMS={"append": ["child"]})
    @override_settings(TEST="override-child")
    class Child(Parent):
        @classmethod
        def setUpClass(cls) -> None:
            # super() reaches the parent's hook, which must not apply anything twice.
            super().setUpClass()

        @classmethod
        def tearDownClass(cls) -> None:
            super().tearDownClass()

    class Grandchild(Child):
        pass

    assert_passed(run_unittest_class(Child))
    assert_passed(run_unittest_class(Grandchild))
    assert_passed(run_unittest_class(Parent))
    assert results == [
        ["override-child", "father", "mother", "child"],
        ["override-child", "father", "mother", "child"],
        ["override-parent", "father", "mother"],
    ]
    assert_missing("TEST", "ITEMS")


def test_unittest_class_failing_setupclass_restores_settings() -> None:
    @override_settings(TEST="override")
    class Broken(unittest.TestCase):
        @classmethod
        def setUpClass(cls) -> None:
            raise RuntimeError("setUpClass failed")

        def test_never_runs(self) -> None:  # pragma: no cover - setUpClass fails
            pass

    result = run_unittest_class(Broken)
    assert len(result.errors) == 1
    assert "setUpClass failed" in result.errors[0][1]
    assert_missing("TEST")


# TestContextDecorator hooks: attr_name, kwarg_name, ordering, errors


class Recorder(TestContextDecorator):
    """Records its enable/disable calls; ``enable()`` returns a marker."""

    def __init__(self, log: list[str], tag: str, **kwargs: Any) -> None:
        self.log = log
        self.tag = tag
        super().__init__(**kwargs)

    def enable(self) -> str:
        self.log.append(f"enable {self.tag}")
        if self.tag == "fail":
            raise ValueError("enable failed")
        return f"context {self.tag}"

    def disable(self) -> None:
        self.log.append(f"disable {self.tag}")
        if self.tag.startswith("fail-disable"):
            raise ValueError(f"{self.tag} failed")


def test_kwarg_name_passes_the_context_to_the_function() -> None:
    log: list[str] = []

    @Recorder(log, "k", kwarg_name="ctx")
    def func(ctx: str) -> str:
        return ctx

    assert func() == "context k"
    assert log == ["enable k", "disable k"]


@pytest.mark.anyio
async def test_kwarg_name_with_a_coroutine_function() -> None:
    log: list[str] = []

    @Recorder(log, "k", kwarg_name="ctx")
    async def func(ctx: str) -> str:
        return ctx

    assert await func() == "context k"


def test_attr_name_sets_the_context_on_a_unittest_class() -> None:
    log: list[str] = []
    seen: list[str] = []

    @Recorder(log, "a", attr_name="recorded")
    class Case(unittest.TestCase):
        def test_attribute(self) -> None:
            seen.append(self.recorded)  # type: ignore[attr-defined]

    assert_passed(run_unittest_class(Case))
    assert seen == ["context a"]
    assert log == ["enable a", "disable a"]


def test_class_decorators_enabling_fails_midway_undoes_the_rest() -> None:
    log: list[str] = []

    @Recorder(log, "fail")
    @Recorder(log, "first")
    class Case:
        def test_x(self) -> None:  # pragma: no cover - enabling fails
            pass

    with pytest.raises(ValueError, match="enable failed"):
        Case().test_x()
    assert log == ["enable first", "enable fail", "disable first"]


def test_class_decorators_are_all_disabled_even_if_one_fails() -> None:
    log: list[str] = []

    @Recorder(log, "fail-disable-2")
    @Recorder(log, "fail-disable-1")
    @Recorder(log, "last")
    class Case:
        def test_x(self) -> str:
            return "ran"

    with pytest.raises(ValueError, match="^fail-disable-2 failed$"):
        Case().test_x()
    assert log == [
        "enable last",
        "enable fail-disable-1",
        "enable fail-disable-2",
        "disable fail-disable-2",
        "disable fail-disable-1",
        "disable last",
    ]


def test_base_class_requires_enable_and_disable() -> None:
    decorator = TestContextDecorator()
    with pytest.raises(NotImplementedError):
        decorator.enable()
    with pytest.raises(NotImplementedError):
        decorator.disable()


# modify_settings


def test_modify_settings_as_context_manager() -> None:
    with override_settings(MIDDLEWARE_TEST=["a.B", "c.D"]):
        with modify_settings(
            MIDDLEWARE_TEST={"append": "e.F", "prepend": ["x.Y"], "remove": ["c.D"]}
        ):
            assert settings.MIDDLEWARE_TEST == ["x.Y", "a.B", "e.F"]
        assert settings.MIDDLEWARE_TEST == ["a.B", "c.D"]


def test_modify_missing_setting_starts_from_an_empty_list() -> None:
    with modify_settings(NEW_LIST={"append": ["a"]}):
        assert settings.NEW_LIST == ["a"]
    assert_missing("NEW_LIST")


def test_modify_settings_with_a_list_of_operations() -> None:
    operations = [("ITEMS", {"append": ["b"]}), ("ITEMS", {"prepend": ["z"]})]
    with override_settings(ITEMS=["a"]), modify_settings(operations):
        assert settings.ITEMS == ["z", "a", "b"]


def test_modify_settings_unknown_action() -> None:
    with pytest.raises(ValueError) as info:
        with modify_settings(ITEMS={"insert": ["a"]}):
            pass  # pragma: no cover - entering fails
    assert str(info.value) == "Unsupported action: insert"
    assert_missing("ITEMS")


def test_modify_settings_takes_one_form_of_arguments() -> None:
    with pytest.raises(TypeError, match="either a list of operations or keywords"):
        modify_settings([("ITEMS", {"append": "a"})], ITEMS={"append": "b"})


def test_modify_settings_sends_setting_changed(changes: list[dict[str, Any]]) -> None:
    with override_settings(ITEMS=["a"]):
        with modify_settings(ITEMS={"append": "b"}):
            pass
    assert [(c["setting"], c["value"], c["enter"]) for c in changes] == [
        ("ITEMS", ["a"], True),
        ("ITEMS", ["a", "b"], True),
        ("ITEMS", ["a"], False),
        ("ITEMS", None, False),
    ]
