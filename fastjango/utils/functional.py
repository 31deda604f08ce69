"""Laziness helpers with Django's names: ``lazy``, ``LazyObject``, ``SimpleLazyObject``."""

from __future__ import annotations

import copy
import functools
import operator
from collections.abc import Callable
from functools import cached_property
from typing import Any, TypeVar

__all__ = [
    "LazyObject",
    "Promise",
    "SimpleLazyObject",
    "cached_property",
    "classproperty",
    "empty",
    "keep_lazy",
    "keep_lazy_text",
    "lazy",
    "lazystr",
]

T = TypeVar("T")


class classproperty:
    """A read-only property computed on the class."""

    def __init__(self, method: Callable[[Any], Any]) -> None:
        self.fget = method

    def __get__(self, instance: Any, cls: type | None = None) -> Any:
        return self.fget(cls)


class Promise:
    """Base class of the proxies that ``lazy()`` returns; test with ``isinstance``."""


def lazy(func: Callable[..., Any], *resultclasses: type) -> Callable[..., Any]:
    """Turn ``func`` into one that returns a proxy evaluating ``func`` on first use.

    The proxy behaves as an instance of ``resultclasses`` (string methods on a
    lazy ``str``, and so on), and is re-evaluated each time it is used, which is
    what makes ``reverse_lazy`` and ``gettext_lazy`` follow settings changes.
    """

    class __proxy__(Promise):
        def __init__(self, args: tuple[Any, ...], kw: dict[str, Any]) -> None:
            self._args = args
            self._kw = kw

        def __reduce__(self) -> tuple[Any, ...]:
            return (_lazy_proxy_unpickle, (func, self._args, self._kw, *resultclasses))

        def __deepcopy__(self, memo: dict[int, Any]) -> Any:
            memo[id(self)] = self
            return self

        def __cast(self) -> Any:
            return func(*self._args, **self._kw)

        def __repr__(self) -> str:
            return repr(self.__cast())

        def __str__(self) -> str:
            return str(self.__cast())

        def __eq__(self, other: object) -> bool:
            if isinstance(other, Promise):
                other = other._Promise__cast()  # type: ignore[attr-defined]
            return bool(self.__cast() == other)

        def __ne__(self, other: object) -> bool:
            return not self.__eq__(other)

        def __lt__(self, other: Any) -> bool:
            if isinstance(other, Promise):
                other = other._Promise__cast()  # type: ignore[attr-defined]
            return bool(self.__cast() < other)

        def __hash__(self) -> int:
            return hash(self.__cast())

        def __mod__(self, other: Any) -> Any:
            return self.__cast() % other

        def __add__(self, other: Any) -> Any:
            return self.__cast() + other

        def __radd__(self, other: Any) -> Any:
            return other + self.__cast()

        def __len__(self) -> int:
            return len(self.__cast())

        def __contains__(self, item: Any) -> bool:
            return item in self.__cast()

        def __iter__(self) -> Any:
            return iter(self.__cast())

        def __getattr__(self, name: str) -> Any:
            if name.startswith("__"):
                raise AttributeError(name)
            return getattr(self.__cast(), name)

    __proxy__._Promise__cast = __proxy__._proxy____cast  # type: ignore[attr-defined]

    @functools.wraps(func)
    def __wrapper__(*args: Any, **kw: Any) -> Any:
        return __proxy__(args, kw)

    return __wrapper__


def _lazy_proxy_unpickle(
    func: Callable[..., Any], args: Any, kwargs: Any, *resultclasses: type
) -> Any:
    return lazy(func, *resultclasses)(*args, **kwargs)


def lazystr(text: Any) -> Any:
    """Return a lazy string that evaluates ``str(text)`` when used."""
    return lazy(str, str)(text)


def keep_lazy(*resultclasses: type) -> Callable[[Callable[..., T]], Callable[..., Any]]:
    """Make a function return a lazy result when any argument is lazy."""

    def decorator(func: Callable[..., T]) -> Callable[..., Any]:
        lazy_func = lazy(func, *resultclasses)

        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if any(isinstance(arg, Promise) for arg in (*args, *kwargs.values())):
                return lazy_func(*args, **kwargs)
            return func(*args, **kwargs)

        return wrapper

    return decorator


def keep_lazy_text(func: Callable[..., T]) -> Callable[..., Any]:
    """``keep_lazy(str)`` as a bare decorator."""
    return keep_lazy(str)(func)


class _Empty:
    def __repr__(self) -> str:
        return "<empty>"


empty: Any = _Empty()


def _new_method_proxy(func: Callable[..., Any]) -> Callable[..., Any]:
    def inner(self: LazyObject, *args: Any) -> Any:
        if (wrapped := self._wrapped) is empty:
            self._setup()
            wrapped = self._wrapped
        return func(wrapped, *args)

    inner._mask_wrapped = False  # type: ignore[attr-defined]
    return inner


class LazyObject:
    """A proxy that builds the wrapped object on first use; subclasses define ``_setup``."""

    _wrapped: Any = None

    def __init__(self) -> None:
        self._wrapped = empty

    def __getattribute__(self, name: str) -> Any:
        if name == "_wrapped":
            return super().__getattribute__(name)
        value = super().__getattribute__(name)
        if not getattr(value, "_mask_wrapped", True):
            raise AttributeError
        return value

    __getattr__ = _new_method_proxy(getattr)

    def __setattr__(self, name: str, value: Any) -> None:
        if name == "_wrapped":
            self.__dict__["_wrapped"] = value
        else:
            if self._wrapped is empty:
                self._setup()
            setattr(self._wrapped, name, value)

    def __delattr__(self, name: str) -> None:
        if name == "_wrapped":
            raise TypeError("can't delete _wrapped.")
        if self._wrapped is empty:
            self._setup()
        delattr(self._wrapped, name)

    def _setup(self) -> None:
        raise NotImplementedError("subclasses of LazyObject must provide a _setup() method")

    def __copy__(self) -> Any:
        if self._wrapped is empty:
            return type(self)()
        return copy.copy(self._wrapped)

    def __deepcopy__(self, memo: dict[int, Any]) -> Any:
        if self._wrapped is empty:
            result = type(self)()
            memo[id(self)] = result
            return result
        return copy.deepcopy(self._wrapped, memo)

    __bytes__ = _new_method_proxy(bytes)
    __str__ = _new_method_proxy(str)
    __bool__ = _new_method_proxy(bool)
    __dir__ = _new_method_proxy(dir)
    __class__ = property(_new_method_proxy(operator.attrgetter("__class__")))
    __eq__ = _new_method_proxy(operator.eq)
    __lt__ = _new_method_proxy(operator.lt)
    __gt__ = _new_method_proxy(operator.gt)
    __ne__ = _new_method_proxy(operator.ne)
    __hash__ = _new_method_proxy(hash)
    __getitem__ = _new_method_proxy(operator.getitem)
    __setitem__ = _new_method_proxy(operator.setitem)
    __delitem__ = _new_method_proxy(operator.delitem)
    __iter__ = _new_method_proxy(iter)
    __len__ = _new_method_proxy(len)
    __contains__ = _new_method_proxy(operator.contains)


class SimpleLazyObject(LazyObject):
    """A ``LazyObject`` built by calling ``func`` on first use."""

    def __init__(self, func: Callable[[], Any]) -> None:
        self.__dict__["_setupfunc"] = func
        super().__init__()

    def _setup(self) -> None:
        self._wrapped = self._setupfunc()

    def __repr__(self) -> str:
        if self._wrapped is empty:
            return f"<{type(self).__name__}: {self._setupfunc!r}>"
        return f"<{type(self).__name__}: {self._wrapped!r}>"

    def __copy__(self) -> Any:
        if self._wrapped is empty:
            return SimpleLazyObject(self._setupfunc)
        return copy.copy(self._wrapped)

    def __deepcopy__(self, memo: dict[int, Any]) -> Any:
        if self._wrapped is empty:
            result = SimpleLazyObject(self._setupfunc)
            memo[id(self)] = result
            return result
        return copy.deepcopy(self._wrapped, memo)
