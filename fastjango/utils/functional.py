"""Laziness helpers with Django's names: ``lazy``, ``LazyObject``, ``SimpleLazyObject``."""

from __future__ import annotations

import copy
import functools
import itertools
import operator
from collections.abc import Callable, Iterable
from typing import Any, Generic, TypeVar, overload

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
    "new_method_proxy",
    "partition",
    "unpickle_lazyobject",
]

T = TypeVar("T")


class cached_property(Generic[T]):
    """Turn a method taking only ``self`` into an attribute computed once per instance.

    The value is stored in the instance ``__dict__`` under the property's name,
    so later reads don't call the method; ``del obj.name`` forgets it. Unlike
    ``functools.cached_property`` on Python 3.11, no lock serializes the
    instances of a class.
    """

    name: str | None = None

    def __init__(self, func: Callable[[Any], T]) -> None:
        self.real_func = func
        self.__doc__ = func.__doc__

    def __set_name__(self, owner: type, name: str) -> None:
        if self.name is None:
            self.name = name
        elif name != self.name:
            raise TypeError(
                "Cannot assign the same cached_property to two different names "
                f"({self.name!r} and {name!r})."
            )

    @overload
    def __get__(self, instance: None, cls: type | None = None) -> cached_property[T]: ...

    @overload
    def __get__(self, instance: object, cls: type | None = None) -> T: ...

    def __get__(self, instance: object | None, cls: type | None = None) -> T | cached_property[T]:
        if instance is None:
            return self
        if self.name is None:
            raise TypeError(
                "Cannot use cached_property instance without calling __set_name__() on it."
            )
        value = instance.__dict__[self.name] = self.real_func(instance)
        return value


class classproperty:
    """A read-only property computed on the class (reachable from the class itself)."""

    def __init__(self, method: Callable[[Any], Any] | None = None) -> None:
        self.fget = method

    def __get__(self, instance: Any, cls: type | None = None) -> Any:
        if self.fget is None:
            raise AttributeError("classproperty has no getter; decorate a method with it.")
        return self.fget(cls)

    def getter(self, method: Callable[[Any], Any]) -> classproperty:
        """Set the getter, as ``property.getter`` does, and return this property."""
        self.fget = method
        return self


class Promise:
    """Base class of the proxies that ``lazy()`` returns; test with ``isinstance``."""


def lazy(func: Callable[..., Any], *resultclasses: type) -> Callable[..., Any]:
    """Turn ``func`` into one that returns a proxy evaluating ``func`` on first use.

    The proxy has every method of ``resultclasses`` (string methods on a lazy
    ``str``, and so on); each call evaluates ``func`` again, which is what makes
    ``reverse_lazy`` and ``gettext_lazy`` follow settings changes.
    """

    class __proxy__(Promise):
        def __init__(self, args: tuple[Any, ...], kw: dict[str, Any]) -> None:
            self._args = args
            self._kw = kw

        def __reduce__(self) -> tuple[Any, ...]:
            return (_lazy_proxy_unpickle, (func, self._args, self._kw, *resultclasses))

        def __deepcopy__(self, memo: dict[int, Any]) -> Any:
            # A proxy only holds a function and its arguments, so it is immutable.
            memo[id(self)] = self
            return self

        def __cast(self) -> Any:
            return func(*self._args, **self._kw)

        # Methods defined on ``object`` are not copied from the result classes by
        # the loop below, so the ones that must reach the result are spelled out.
        def __repr__(self) -> str:
            return repr(self.__cast())

        def __str__(self) -> str:
            return str(self.__cast())

        def __eq__(self, other: object) -> bool:
            if isinstance(other, Promise):
                other = other.__cast()  # type: ignore[attr-defined]
            return bool(self.__cast() == other)

        def __ne__(self, other: object) -> bool:
            if isinstance(other, Promise):
                other = other.__cast()  # type: ignore[attr-defined]
            return bool(self.__cast() != other)

        def __lt__(self, other: Any) -> bool:
            if isinstance(other, Promise):
                other = other.__cast()  # type: ignore[attr-defined]
            return bool(self.__cast() < other)

        def __le__(self, other: Any) -> bool:
            if isinstance(other, Promise):
                other = other.__cast()  # type: ignore[attr-defined]
            return bool(self.__cast() <= other)

        def __gt__(self, other: Any) -> bool:
            if isinstance(other, Promise):
                other = other.__cast()  # type: ignore[attr-defined]
            return bool(self.__cast() > other)

        def __ge__(self, other: Any) -> bool:
            if isinstance(other, Promise):
                other = other.__cast()  # type: ignore[attr-defined]
            return bool(self.__cast() >= other)

        def __hash__(self) -> int:
            return hash(self.__cast())

        def __format__(self, format_spec: str) -> str:
            return format(self.__cast(), format_spec)

        def __add__(self, other: Any) -> Any:
            return self.__cast() + other

        def __radd__(self, other: Any) -> Any:
            return other + self.__cast()

        def __mod__(self, other: Any) -> Any:
            return self.__cast() % other

        def __mul__(self, other: Any) -> Any:
            return self.__cast() * other

    for resultclass in resultclasses:
        for type_ in resultclass.mro():
            for method_name in type_.__dict__:
                if not hasattr(__proxy__, method_name):
                    setattr(__proxy__, method_name, _result_method(func, method_name))

    @functools.wraps(func)
    def __wrapper__(*args: Any, **kw: Any) -> Any:
        return __proxy__(args, kw)

    return __wrapper__


def _result_method(func: Callable[..., Any], method_name: str) -> Callable[..., Any]:
    def method(self: Any, *args: Any, **kw: Any) -> Any:
        result = func(*self._args, **self._kw)
        return getattr(result, method_name)(*args, **kw)

    method.__name__ = method_name
    return method


def _lazy_proxy_unpickle(
    func: Callable[..., Any], args: Any, kwargs: Any, *resultclasses: type
) -> Any:
    return lazy(func, *resultclasses)(*args, **kwargs)


def lazystr(text: Any) -> Any:
    """Return a lazy string that evaluates ``str(text)`` when used."""
    return lazy(str, str)(text)


def keep_lazy(*resultclasses: type) -> Callable[[Callable[..., T]], Callable[..., Any]]:
    """Make a function return a lazy result of ``resultclasses`` when any argument is lazy."""
    if not resultclasses:
        raise TypeError("You must pass at least one argument to keep_lazy().")

    def decorator(func: Callable[..., T]) -> Callable[..., Any]:
        lazy_func = lazy(func, *resultclasses)

        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if any(isinstance(arg, Promise) for arg in itertools.chain(args, kwargs.values())):
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


def new_method_proxy(func: Callable[..., Any]) -> Callable[..., Any]:
    """Build a ``LazyObject`` method that sets up the wrapped object, then calls ``func`` on it."""

    def inner(self: LazyObject, *args: Any) -> Any:
        if (wrapped := self._wrapped) is empty:
            self._setup()
            wrapped = self._wrapped
        return func(wrapped, *args)

    # LazyObject.__getattribute__ hides these proxies for explicit attribute
    # access, so ``obj.__str__`` is the wrapped object's own method.
    inner._mask_wrapped = False  # type: ignore[attr-defined]
    return inner


def unpickle_lazyobject(wrapped: T) -> T:
    """Return ``wrapped``: a pickled lazy object unpickles as the object it wrapped."""
    return wrapped


class LazyObject:
    """A proxy that builds the wrapped object on first use; subclasses define ``_setup``.

    A subclass that overrides ``__init__`` may need to override ``__copy__``
    and ``__deepcopy__`` too.
    """

    # A class attribute, so tracing tools reading it before __init__ don't recurse.
    _wrapped: Any = None

    def __init__(self) -> None:
        self._wrapped = empty

    def __getattribute__(self, name: str) -> Any:
        if name == "_wrapped":
            return super().__getattribute__(name)
        value = super().__getattribute__(name)
        # A proxy method (from new_method_proxy) defers to __getattr__, which
        # returns the wrapped object's method instead.
        if not getattr(value, "_mask_wrapped", True):
            raise AttributeError
        return value

    __getattr__ = new_method_proxy(getattr)

    def __setattr__(self, name: str, value: Any) -> None:
        if name == "_wrapped":
            # Through __dict__, or this would recurse into __setattr__.
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
        """Build the wrapped object and store it in ``self._wrapped``; subclasses must."""
        raise NotImplementedError("subclasses of LazyObject must provide a _setup() method")

    # __class__ is proxied, which confuses pickle about the class to rebuild;
    # pickling the wrapped object instead is what the proxy stands for anyway.
    def __reduce__(self) -> tuple[Any, ...]:
        if self._wrapped is empty:
            self._setup()
        return (unpickle_lazyobject, (self._wrapped,))

    def __copy__(self) -> Any:
        if self._wrapped is empty:
            # type(self), not self.__class__, which is proxied.
            return type(self)()
        return copy.copy(self._wrapped)

    def __deepcopy__(self, memo: dict[int, Any]) -> Any:
        if self._wrapped is empty:
            result = type(self)()
            memo[id(self)] = result
            return result
        return copy.deepcopy(self._wrapped, memo)

    __bytes__ = new_method_proxy(bytes)
    __str__ = new_method_proxy(str)
    __bool__ = new_method_proxy(bool)

    __dir__ = new_method_proxy(dir)

    # Pretend to be the wrapped class, for isinstance() and equality checks.
    __class__ = property(new_method_proxy(operator.attrgetter("__class__")))
    __eq__ = new_method_proxy(operator.eq)
    __lt__ = new_method_proxy(operator.lt)
    __gt__ = new_method_proxy(operator.gt)
    __ne__ = new_method_proxy(operator.ne)
    __hash__ = new_method_proxy(hash)

    __getitem__ = new_method_proxy(operator.getitem)
    __setitem__ = new_method_proxy(operator.setitem)
    __delitem__ = new_method_proxy(operator.delitem)
    __iter__ = new_method_proxy(iter)
    __len__ = new_method_proxy(len)
    __contains__ = new_method_proxy(operator.contains)


class SimpleLazyObject(LazyObject):
    """A ``LazyObject`` built by calling ``func`` on first use.

    Copies of an unevaluated object call ``func`` again, so ``func`` must be
    safe to call more than once and return equal values.
    """

    def __init__(self, func: Callable[[], Any]) -> None:
        self.__dict__["_setupfunc"] = func
        super().__init__()

    def _setup(self) -> None:
        self._wrapped = self._setupfunc()

    def __repr__(self) -> str:
        # Show the wrapped object without evaluating it, for debugging.
        target = self._setupfunc if self._wrapped is empty else self._wrapped
        return f"<{type(self).__name__}: {target!r}>"

    def __copy__(self) -> Any:
        if self._wrapped is empty:
            # SimpleLazyObject, not self.__class__, which is proxied.
            return SimpleLazyObject(self._setupfunc)
        return copy.copy(self._wrapped)

    def __deepcopy__(self, memo: dict[int, Any]) -> Any:
        if self._wrapped is empty:
            result = SimpleLazyObject(self._setupfunc)
            memo[id(self)] = result
            return result
        return copy.deepcopy(self._wrapped, memo)

    __add__ = new_method_proxy(operator.add)

    @new_method_proxy
    def __radd__(self, other: Any) -> Any:
        return other + self


def partition(predicate: Callable[[Any], bool], values: Iterable[T]) -> tuple[list[T], list[T]]:
    """Split ``values`` into the items for which ``predicate`` is false, then true."""
    results: tuple[list[T], list[T]] = ([], [])
    for item in values:
        results[int(bool(predicate(item)))].append(item)
    return results
