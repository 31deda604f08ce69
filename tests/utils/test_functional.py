"""``lazy``, ``LazyObject``, ``SimpleLazyObject`` and friends (Django's utils_tests, as pytest)."""

from __future__ import annotations

import copy
import pickle
from typing import Any

import pytest

from fastjango.utils.functional import (
    LazyObject,
    Promise,
    SimpleLazyObject,
    cached_property,
    classproperty,
    empty,
    keep_lazy,
    keep_lazy_text,
    lazy,
    lazystr,
    partition,
)


def is_lazy(value: object) -> bool:
    """``isinstance(value, Promise)``, without narrowing the type for the checks after it."""
    return isinstance(value, Promise)


# lazy()


def test_lazy_evaluates_on_every_use() -> None:
    calls: list[int] = []

    def make() -> str:
        calls.append(1)
        return f"call {len(calls)}"

    value = lazy(make, str)()
    assert calls == []
    assert is_lazy(value)
    assert not isinstance(value, str)
    assert str(value) == "call 1"
    assert str(value) == "call 2"


def test_lazy_proxies_methods_of_the_result_class() -> None:
    t = lazy(lambda: "Hello world", str)()
    assert t.upper() == "HELLO WORLD"
    assert t.split() == ["Hello", "world"]
    assert t.startswith("Hello")
    assert t[0] == "H"
    assert t[-5:] == "world"
    assert len(t) == 11
    assert "world" in t
    assert list(iter(lazy(lambda: "ab", str)())) == ["a", "b"]


def test_lazy_base_class_methods() -> None:
    class Base:
        def base_method(self) -> str:
            return "base"

    class Klazz(Base):
        pass

    t = lazy(lambda: Klazz(), Klazz)()
    assert t.base_method() == "base"


def test_lazy_without_result_classes_still_casts() -> None:
    t = lazy(lambda: 3)()
    assert t == 3
    assert str(t) == "3"
    with pytest.raises(AttributeError):
        t.bit_length()


def test_lazy_repr() -> None:
    assert repr(lazy(lambda: "text", str)()) == "'text'"
    assert repr(lazy(lambda: 1, int)()) == "1"


def test_lazy_str_and_format() -> None:
    t = lazy(lambda: "x", str)()
    assert str(t) == "x"
    assert f"<{t}>" == "<x>"
    assert f"{t:>3}" == "  x"
    assert f"{lazy(lambda: 3.14159, float)():.2f}" == "3.14"


def test_lazy_equality_and_ordering() -> None:
    one, two = lazy(lambda: 1, int)(), lazy(lambda: 2, int)()
    assert one == 1
    assert one == lazy(lambda: 1, int)()
    assert one != two
    assert one != 2
    assert one < two and one < 2
    assert one <= two and one <= 1
    assert two > one and two > 1
    assert two >= one and two >= 2
    assert not (one == "1")
    assert lazystr("a") == lazystr("a")
    assert lazystr("a") < lazystr("b")
    assert sorted([lazystr("b"), lazystr("a")]) == ["a", "b"]


def test_lazy_hash() -> None:
    assert hash(lazystr("text")) == hash("text")
    assert {lazystr("a"): 1}["a"] == 1
    assert "a" in {lazystr("a")}


def test_lazy_arithmetic() -> None:
    assert lazy(lambda: 1, int)() + 1 == 2
    assert 1 + lazy(lambda: 1, int)() == 2
    assert lazystr("a") + "b" == "ab"
    assert "b" + lazystr("a") == "ba"
    assert lazystr("ab") * 2 == "abab"
    assert 2 * lazystr("ab") == "abab"
    assert lazy(lambda: 7, int)() - 2 == 5


def test_lazy_string_formatting() -> None:
    assert lazystr("%s!") % "hi" == "hi!"
    assert lazystr("%(a)s-%(b)s") % {"a": 1, "b": 2} == "1-2"
    assert "%s" % lazystr("x") == "x"  # noqa: UP031 - %-formatting is what's tested
    assert "{}".format(lazystr("y")) == "y"


def test_lazy_bytes() -> None:
    b = lazy(lambda: b"bytes", bytes)()
    assert b.decode() == "bytes"
    assert b + b"!" == b"bytes!"
    assert bytes(b) == b"bytes"


def test_lazy_object_to_string_and_bool() -> None:
    class Klazz:
        def __str__(self) -> str:
            return "Î am ā Ǩlâzz."

    t = lazy(lambda: Klazz(), Klazz)()
    assert str(t) == "Î am ā Ǩlâzz."
    assert bool(lazy(lambda: "", str)()) is False
    assert bool(lazy(lambda: 0, int)()) is False


def test_lazy_follows_changes_in_its_inputs() -> None:
    state = {"value": "first"}
    t = lazy(lambda: state["value"], str)()
    assert t == "first"
    state["value"] = "second"
    assert t == "second"


def _lazy_source() -> str:
    return "pickled"


def test_lazy_pickle_and_deepcopy() -> None:
    t = lazy(_lazy_source, str)()
    restored = pickle.loads(pickle.dumps(t))
    assert is_lazy(restored)
    assert restored == "pickled"
    assert copy.deepcopy(t) is t
    assert pickle.loads(pickle.dumps(lazystr("text"))) == "text"


def test_lazystr() -> None:
    t = lazystr("Hello")
    assert is_lazy(t)
    assert t.lower() == "hello"
    assert lazystr(42) == "42"


def test_keep_lazy() -> None:
    calls: list[str] = []

    @keep_lazy(str)
    def shout(text: str, end: str = "!") -> str:
        calls.append(text)
        return f"{str(text).upper()}{end}"

    assert shout("hi") == "HI!"
    assert calls == ["hi"]
    lazy_result = shout(lazystr("hi"))
    assert is_lazy(lazy_result)
    assert calls == ["hi"]
    assert lazy_result == "HI!"
    assert is_lazy(shout("hi", end=lazystr("?")))
    assert shout.__name__ == "shout"


def test_keep_lazy_needs_a_result_class() -> None:
    with pytest.raises(TypeError) as info:
        keep_lazy()
    assert str(info.value) == "You must pass at least one argument to keep_lazy()."


def test_keep_lazy_text() -> None:
    @keep_lazy_text
    def first(text: str) -> str:
        return str(text)[0]

    assert first("abc") == "a"
    result = first(lazystr("xyz"))
    assert is_lazy(result)
    assert result == "x"


# LazyObject subclasses and SimpleLazyObject


class Foo:
    """A wrapped object with data, methods and container behaviour."""

    foo = "bar"

    def __init__(self, items: list[int] | None = None) -> None:
        self.items = items if items is not None else [1, 2, 3]

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Foo) and self.items == other.items

    def __hash__(self) -> int:
        return hash(tuple(self.items))

    def __repr__(self) -> str:
        return f"Foo({self.items})"


class FooLazy(LazyObject):
    """The LazyObject subclass contract: ``_setup`` stores the object in ``_wrapped``."""

    setups = 0

    def _setup(self) -> None:
        type(self).setups += 1
        self._wrapped = Foo()


def test_empty_marker() -> None:
    assert repr(empty) == "<empty>"
    assert LazyObject.__dict__["_wrapped"] is None


def test_lazy_object_subclass_sets_up_once_on_first_use() -> None:
    FooLazy.setups = 0
    obj = FooLazy()
    assert obj._wrapped is empty
    assert FooLazy.setups == 0
    assert obj.foo == "bar"
    assert obj.items == [1, 2, 3]
    assert FooLazy.setups == 1
    assert isinstance(obj, Foo)
    assert obj.__class__ is Foo


def test_lazy_object_without_setup() -> None:
    class Incomplete(LazyObject):
        pass

    with pytest.raises(NotImplementedError, match="must provide a _setup"):
        Incomplete().anything  # noqa: B018


def test_lazy_object_attribute_setting_and_deleting() -> None:
    obj = FooLazy()
    obj.new_attribute = 1
    assert obj._wrapped.new_attribute == 1
    del obj.new_attribute
    assert not hasattr(obj._wrapped, "new_attribute")
    fresh = FooLazy()
    del fresh.items  # sets up first, then deletes on the wrapped object
    assert not hasattr(fresh._wrapped, "items")
    with pytest.raises(TypeError, match="^can't delete _wrapped.$"):
        del obj._wrapped


def test_lazy_object_magic_methods() -> None:
    wrapped_list = SimpleLazyObject(lambda: [3, 1, 2])
    assert len(wrapped_list) == 3
    assert 1 in wrapped_list
    assert list(iter(wrapped_list)) == [3, 1, 2]
    assert wrapped_list[0] == 3
    wrapped_list[0] = 4
    assert wrapped_list[0] == 4
    del wrapped_list[0]
    assert wrapped_list == [1, 2]
    assert wrapped_list != [1]
    assert SimpleLazyObject(lambda: 1) < 2
    assert SimpleLazyObject(lambda: 3) > 2
    assert hash(SimpleLazyObject(lambda: "x")) == hash("x")
    assert bool(SimpleLazyObject(lambda: [])) is False
    assert str(SimpleLazyObject(lambda: 12)) == "12"
    assert bytes(SimpleLazyObject(lambda: b"raw")) == b"raw"
    assert "items" in dir(SimpleLazyObject(Foo))
    wrapped_dict = SimpleLazyObject(lambda: {"a": 1})
    wrapped_dict["b"] = 2
    assert wrapped_dict == {"a": 1, "b": 2}


def test_lazy_object_proxy_methods_are_the_wrapped_objects_own() -> None:
    obj = SimpleLazyObject(lambda: "text")
    # Explicit access to a dunder goes to the wrapped object's method.
    assert obj.__len__() == 4
    assert obj.upper() == "TEXT"


def test_simple_lazy_object_add_and_radd() -> None:
    assert SimpleLazyObject(lambda: 1) + 1 == 2
    assert 1 + SimpleLazyObject(lambda: 1) == 2
    assert [0] + SimpleLazyObject(lambda: [1, 3, 5]) == [0, 1, 3, 5]


def test_simple_lazy_object_repr_does_not_evaluate() -> None:
    def make() -> Foo:
        return Foo([7])

    obj = SimpleLazyObject(make)
    assert repr(obj) == f"<SimpleLazyObject: {make!r}>"
    assert obj._wrapped is empty
    obj.items  # noqa: B018
    assert repr(obj) == "<SimpleLazyObject: Foo([7])>"


def test_simple_lazy_object_evaluates_once() -> None:
    calls: list[int] = []

    def make() -> Foo:
        calls.append(1)
        return Foo()

    obj = SimpleLazyObject(make)
    obj.items  # noqa: B018
    obj.foo  # noqa: B018
    assert calls == [1]


def test_copy_of_unevaluated_objects_stays_lazy() -> None:
    calls: list[int] = []

    def make() -> Foo:
        calls.append(1)
        return Foo()

    obj = SimpleLazyObject(make)
    copied = copy.copy(obj)
    assert type(copied) is SimpleLazyObject
    assert copied._wrapped is empty
    deep = copy.deepcopy(obj)
    assert type(deep) is SimpleLazyObject
    assert deep._wrapped is empty
    assert calls == []
    assert copied.items == [1, 2, 3]
    lazy_sub = FooLazy()
    assert type(copy.copy(lazy_sub)) is FooLazy
    assert type(copy.deepcopy(lazy_sub)) is FooLazy


def test_copy_of_evaluated_objects_copies_the_wrapped_object() -> None:
    obj = SimpleLazyObject(lambda: Foo([1, [2]]))  # type: ignore[list-item]
    obj.items  # noqa: B018
    copied: Any = copy.copy(obj)
    assert type(copied) is Foo
    assert copied == obj._wrapped and copied is not obj._wrapped
    assert copied.items is obj.items
    deep: Any = copy.deepcopy(obj)
    assert type(deep) is Foo
    assert deep.items == obj.items and deep.items is not obj.items
    lazy_sub = FooLazy()
    lazy_sub.items  # noqa: B018
    copies: list[Any] = [copy.copy(lazy_sub), copy.deepcopy(lazy_sub)]
    assert [type(c) for c in copies] == [Foo, Foo]


def test_pickle_unpickles_as_the_wrapped_object() -> None:
    obj = SimpleLazyObject(lambda: Foo([4, 5]))
    # Pickling evaluates the object; it comes back as itself, not as a proxy.
    restored = pickle.loads(pickle.dumps(obj))
    assert type(restored) is Foo
    assert restored.items == [4, 5]
    for protocol in range(pickle.HIGHEST_PROTOCOL + 1):
        assert pickle.loads(pickle.dumps(SimpleLazyObject(lambda: [1]), protocol)) == [1]
    restored_sub = pickle.loads(pickle.dumps(FooLazy()))
    assert type(restored_sub) is Foo
    evaluated = SimpleLazyObject(lambda: Foo([6]))
    evaluated.items  # noqa: B018
    assert pickle.loads(pickle.dumps(evaluated)) == Foo([6])


def test_lazy_object_as_a_dict_key() -> None:
    obj = SimpleLazyObject(lambda: "key")
    assert {obj: 1} == {"key": 1}


# classproperty, cached_property, partition


def test_classproperty() -> None:
    class Foo:
        foo_attr = 123

        def __init__(self) -> None:
            self.foo_attr = 456

        @classproperty
        def foo(cls: Any) -> int:
            return int(cls.foo_attr)

    class Bar:
        bar = classproperty()

        @bar.getter  # type: ignore[no-redef]
        def bar(cls: Any) -> int:
            return 123

    assert Foo.foo == 123
    assert Foo().foo == 123
    assert Bar.bar == 123
    assert Bar().bar == 123
    with pytest.raises(AttributeError, match="no getter"):
        classproperty().__get__(None, Foo)


def test_cached_property() -> None:
    class Counter:
        def __init__(self) -> None:
            self.calls = 0

        @cached_property
        def value(self) -> int:
            """The value."""
            self.calls += 1
            return self.calls

        @cached_property
        def __private(self) -> int:
            return 42

        def read_private(self) -> int:
            return self.__private

    counter = Counter()
    assert counter.value == 1
    assert counter.value == 1
    assert counter.calls == 1
    del counter.value
    assert counter.value == 2
    counter.value = 10
    assert counter.value == 10
    assert counter.read_private() == 42
    assert counter.__dict__["_Counter__private"] == 42
    assert isinstance(Counter.value, cached_property)
    assert Counter.value.__doc__ == "The value."
    assert Counter.value.name == "value"


def test_cached_property_reused_under_another_name() -> None:
    def value(self: Any) -> int:
        return 1

    prop = cached_property(value)

    class A:
        a = prop

    class C:
        a = prop  # the same name in another class is fine

    with pytest.raises((RuntimeError, TypeError)) as info:

        class B:
            b = prop

    # Python wraps errors from __set_name__ in RuntimeError before 3.12.
    cause = info.value.__cause__ if isinstance(info.value, RuntimeError) else info.value
    assert str(cause) == (
        "Cannot assign the same cached_property to two different names ('a' and 'b')."
    )
    assert A().a == 1
    assert C().a == 1


def test_cached_property_without_set_name() -> None:
    prop = cached_property(lambda self: 1)

    class Foo:
        pass

    Foo.cp = prop  # type: ignore[attr-defined]
    with pytest.raises(TypeError) as info:
        Foo().cp  # type: ignore[attr-defined]  # noqa: B018
    assert str(info.value) == (
        "Cannot use cached_property instance without calling __set_name__() on it."
    )


def test_partition() -> None:
    assert partition(lambda x: x > 3, range(5)) == ([0, 1, 2, 3], [4])
    assert partition(bool, []) == ([], [])
