"""Data structures with Django's names: ``MultiValueDict``, ``ImmutableList`` and friends."""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any, Generic, NoReturn, TypeVar

__all__ = [
    "CaseInsensitiveMapping",
    "DictWrapper",
    "ImmutableList",
    "MultiValueDict",
    "MultiValueDictKeyError",
    "OrderedSet",
]

T = TypeVar("T")
V = TypeVar("V")


class OrderedSet(Generic[T]):
    """A set that remembers insertion order."""

    def __init__(self, iterable: Iterable[T] | None = None) -> None:
        self.dict: dict[T, None] = dict.fromkeys(iterable or ())

    def add(self, item: T) -> None:
        self.dict[item] = None

    def remove(self, item: T) -> None:
        del self.dict[item]

    def discard(self, item: T) -> None:
        self.dict.pop(item, None)

    def __iter__(self) -> Iterator[T]:
        return iter(self.dict)

    def __reversed__(self) -> Iterator[T]:
        return reversed(self.dict)

    def __contains__(self, item: object) -> bool:
        return item in self.dict

    def __bool__(self) -> bool:
        return bool(self.dict)

    def __len__(self) -> int:
        return len(self.dict)

    def __repr__(self) -> str:
        data = repr(list(self.dict)) if self.dict else ""
        return f"{type(self).__qualname__}({data})"


class MultiValueDictKeyError(KeyError):
    """A key is missing from a ``MultiValueDict``."""


class MultiValueDict(dict[Any, list[Any]]):
    """A dict that keeps every value given for a key; indexing returns the last one.

    ``d["k"]`` gives the last value, ``d.getlist("k")`` all of them. This is
    what holds repeated query-string and form fields.
    """

    def __init__(self, key_to_list_mapping: Mapping[Any, list[Any]] | Iterable[Any] = ()) -> None:
        super().__init__(key_to_list_mapping)

    def __repr__(self) -> str:
        return f"<{type(self).__name__}: {super().__repr__()}>"

    def __getitem__(self, key: Any) -> Any:
        try:
            list_ = super().__getitem__(key)
        except KeyError:
            raise MultiValueDictKeyError(key) from None
        try:
            return list_[-1]
        except IndexError:
            return []

    def __setitem__(self, key: Any, value: Any) -> None:
        super().__setitem__(key, [value])

    def __copy__(self) -> MultiValueDict:
        return type(self)([(k, v[:]) for k, v in self.lists()])

    def __deepcopy__(self, memo: dict[int, Any]) -> MultiValueDict:
        result = type(self)()
        memo[id(self)] = result
        for key, value in dict.items(self):
            dict.__setitem__(result, copy.deepcopy(key, memo), copy.deepcopy(value, memo))
        return result

    def __getstate__(self) -> dict[str, Any]:
        return {**self.__dict__, "_data": {k: self._getlist(k) for k in self}}

    def __setstate__(self, obj_dict: dict[str, Any]) -> None:
        data = obj_dict.pop("_data", {})
        for k, v in data.items():
            self.setlist(k, v)
        self.__dict__.update(obj_dict)

    def get(self, key: Any, default: Any = None) -> Any:
        """Return the last value for ``key``, or ``default`` if it is missing or empty."""
        try:
            val = self[key]
        except KeyError:
            return default
        if val == []:
            return default
        return val

    def _getlist(self, key: Any, default: Any = None, force_list: bool = False) -> Any:
        try:
            values = super().__getitem__(key)
        except KeyError:
            if default is None:
                return []
            return default
        if force_list:
            values = list(values) if values is not None else None
        return values

    def getlist(self, key: Any, default: Any = None) -> Any:
        """Return a new list of every value for ``key`` (``[]`` or ``default`` if missing)."""
        return self._getlist(key, default, force_list=True)

    def setlist(self, key: Any, list_: list[Any]) -> None:
        super().__setitem__(key, list_)

    def setdefault(self, key: Any, default: Any = None) -> Any:
        if key not in self:
            self[key] = default
        # Look the value up again: a subclass's __setitem__ may store something else.
        return self[key]

    def setlistdefault(self, key: Any, default_list: list[Any] | None = None) -> Any:
        if key not in self:
            if default_list is None:
                default_list = []
            self.setlist(key, default_list)
        return self._getlist(key)

    def appendlist(self, key: Any, value: Any) -> None:
        """Append ``value`` to the list of values for ``key``."""
        self.setlistdefault(key).append(value)

    def items(self) -> Iterator[tuple[Any, Any]]:  # type: ignore[override]
        """Yield ``(key, last value)`` pairs."""
        for key in self:
            yield key, self[key]

    def lists(self) -> Iterator[tuple[Any, list[Any]]]:
        """Yield ``(key, list of values)`` pairs."""
        return iter(super().items())

    def values(self) -> Iterator[Any]:  # type: ignore[override]
        """Yield the last value of each key."""
        for key in self:
            yield self[key]

    def copy(self) -> MultiValueDict:
        """Return a shallow copy."""
        return copy.copy(self)

    def update(self, *args: Any, **kwargs: Any) -> None:
        """Extend the value lists with new values instead of replacing them."""
        if len(args) > 1:
            raise TypeError(f"update expected at most 1 argument, got {len(args)}")
        if args:
            arg = args[0]
            if isinstance(arg, MultiValueDict):
                for key, value_list in arg.lists():
                    self.setlistdefault(key).extend(value_list)
            else:
                if isinstance(arg, Mapping):
                    arg = arg.items()
                for key, value in arg:
                    self.setlistdefault(key).append(value)
        for key, value in kwargs.items():
            self.setlistdefault(key).append(value)

    def dict(self) -> dict[Any, Any]:
        """Return a plain dict mapping each key to its last value."""
        return {key: self[key] for key in self}


class ImmutableList(tuple[Any, ...]):
    """A tuple that raises ``AttributeError`` with ``warning`` on any attempt to change it."""

    warning: str

    def __new__(
        cls, *args: Any, warning: str = "ImmutableList object is immutable.", **kwargs: Any
    ) -> ImmutableList:
        self = tuple.__new__(cls, *args, **kwargs)
        self.warning = warning
        return self

    def complain(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AttributeError(self.warning)

    __delitem__ = complain
    __iadd__ = complain
    __imul__ = complain
    __setitem__ = complain
    append = complain
    extend = complain
    insert = complain
    pop = complain
    remove = complain
    sort = complain
    reverse = complain


class DictWrapper(dict[str, V]):
    """A dict whose keys starting with ``prefix`` return ``func(value)`` of the unprefixed key.

    Used to quote values in SQL templates (``%(qn_name)s``) on the fly.
    """

    def __init__(self, data: Mapping[str, V], func: Callable[[V], Any], prefix: str) -> None:
        super().__init__(data)
        self.func = func
        self.prefix = prefix

    def __getitem__(self, key: str) -> Any:
        use_func = key.startswith(self.prefix)
        key = key.removeprefix(self.prefix)
        value = super().__getitem__(key)
        if use_func:
            return self.func(value)
        return value


class CaseInsensitiveMapping(Mapping[str, V]):
    """A read-only mapping with case-insensitive string keys that keeps the original case.

    Iterating yields the keys as first given; ``m["content-type"]`` and
    ``m["Content-Type"]`` are the same lookup.
    """

    _store: dict[str, tuple[str, V]]

    def __init__(self, data: Mapping[str, V] | Iterable[tuple[str, V]]) -> None:
        self._store = {k.lower(): (k, v) for k, v in self._unpack_items(data)}

    def __getitem__(self, key: str) -> V:
        return self._store[key.lower()][1]

    def __len__(self) -> int:
        return len(self._store)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Mapping) and {k.lower(): v for k, v in self.items()} == {
            k.lower(): v for k, v in other.items()
        }

    __hash__ = None  # type: ignore[assignment]

    def __iter__(self) -> Iterator[str]:
        return (original_key for original_key, _ in self._store.values())

    def __repr__(self) -> str:
        return repr(dict(self._store.values()))

    def copy(self) -> CaseInsensitiveMapping[V]:
        """Return the mapping itself: it is immutable."""
        return self

    @staticmethod
    def _unpack_items(data: Any) -> Iterator[tuple[str, Any]]:
        if isinstance(data, Mapping):
            yield from data.items()
            return
        for i, elem in enumerate(data):
            if len(elem) != 2:
                raise ValueError(
                    f"dictionary update sequence element #{i} has length {len(elem)}; "
                    "2 is required."
                )
            if not isinstance(elem[0], str):
                raise ValueError(f"Element key {elem[0]!r} invalid, only strings are allowed")
            yield elem[0], elem[1]
