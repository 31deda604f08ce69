from __future__ import annotations

import copy
import pickle
from collections.abc import Callable
from typing import Any

import pytest

from fastjango.utils.datastructures import (
    CaseInsensitiveMapping,
    DictWrapper,
    ImmutableList,
    MultiValueDict,
    MultiValueDictKeyError,
    OrderedSet,
)


def test_ordered_set_keeps_insertion_order() -> None:
    s = OrderedSet([3, 1, 3, 2])
    assert list(s) == [3, 1, 2]
    s.add(0)
    s.remove(1)
    s.discard(42)
    s.discard(3)
    assert list(s) == [2, 0]
    assert list(reversed(s)) == [0, 2]
    assert 2 in s and 1 not in s
    assert len(s) == 2 and bool(s)
    assert repr(s) == "OrderedSet([2, 0])"
    assert repr(OrderedSet()) == "OrderedSet()"
    assert not OrderedSet()
    with pytest.raises(KeyError):
        s.remove(99)


def test_multivaluedict_last_value_and_lists() -> None:
    d = MultiValueDict({"name": ["Adrian", "Simon"], "position": ["Developer"], "empty": []})
    assert d["name"] == "Simon"
    assert d.get("name") == "Simon"
    assert d.getlist("name") == ["Adrian", "Simon"]
    assert d.getlist("missing") == []
    assert d.getlist("missing", ["x"]) == ["x"]
    assert d["empty"] == []
    assert d.get("empty", "default") == "default"
    assert d.get("missing", "default") == "default"
    assert list(d.items()) == [("name", "Simon"), ("position", "Developer"), ("empty", [])]
    assert list(d.values()) == ["Simon", "Developer", []]
    assert list(d.lists())[0] == ("name", ["Adrian", "Simon"])
    assert d.dict() == {"name": "Simon", "position": "Developer", "empty": []}
    assert repr(d).startswith("<MultiValueDict: {'name': ['Adrian', 'Simon']")
    with pytest.raises(MultiValueDictKeyError) as exc_info:
        d["lastname"]
    assert isinstance(exc_info.value, KeyError)
    assert exc_info.value.args == ("lastname",)


def test_multivaluedict_getlist_returns_a_copy() -> None:
    d = MultiValueDict({"a": [1]})
    d.getlist("a").append(2)
    assert d.getlist("a") == [1]


def test_multivaluedict_setters() -> None:
    d = MultiValueDict()
    d["a"] = 1
    d.appendlist("a", 2)
    d.setlist("b", [3, 4])
    assert d.setdefault("c", 5) == 5
    assert d.setdefault("c", 6) == 5
    assert d.setlistdefault("d") == []
    assert d.setlistdefault("b", [9]) == [3, 4]
    assert dict(d.lists()) == {"a": [1, 2], "b": [3, 4], "c": [5], "d": []}


def test_multivaluedict_update_extends() -> None:
    d = MultiValueDict({"a": [1]})
    d.update(MultiValueDict({"a": [2, 3]}))
    d.update({"a": 4, "b": 5})
    d.update([("b", 6)], c=7)
    assert d.getlist("a") == [1, 2, 3, 4]
    assert d.getlist("b") == [5, 6]
    assert d.getlist("c") == [7]
    with pytest.raises(TypeError, match="update expected at most 1 argument, got 2"):
        d.update({}, {})


def test_multivaluedict_copy_and_deepcopy() -> None:
    inner = ["x"]
    d = MultiValueDict({"a": [inner]})
    shallow = d.copy()
    shallow.appendlist("a", "y")
    assert d.getlist("a") == [inner]
    assert shallow.getlist("a")[0] is inner
    deep = copy.deepcopy(d)
    assert deep.getlist("a")[0] == inner
    assert deep.getlist("a")[0] is not inner


def test_multivaluedict_pickles_with_its_lists() -> None:
    d = MultiValueDict({"a": [1, 2]})
    d.extra = "kept"  # type: ignore[attr-defined]
    restored = pickle.loads(pickle.dumps(d))
    assert restored.getlist("a") == [1, 2]
    assert restored.extra == "kept"


def test_immutable_list_refuses_changes() -> None:
    items: Any = ImmutableList([1, 2], warning="do not touch")
    assert items == (1, 2)
    assert items[0] == 1
    attempts: list[Callable[[], Any]] = [
        lambda: items.append(3),
        lambda: items.extend([3]),
        lambda: items.insert(0, 3),
        lambda: items.pop(),
        lambda: items.remove(1),
        lambda: items.sort(),
        lambda: items.reverse(),
        lambda: items.__setitem__(0, 3),
        lambda: items.__delitem__(0),
    ]
    for attempt in attempts:
        with pytest.raises(AttributeError, match="do not touch"):
            attempt()
    default: Any = ImmutableList([1])
    with pytest.raises(AttributeError, match="ImmutableList object is immutable."):
        default.append(2)


def test_immutable_list_augmented_assignment_complains() -> None:
    items = ImmutableList([1])
    with pytest.raises(AttributeError):
        items += (2,)


def test_dict_wrapper_applies_func_to_prefixed_keys() -> None:
    wrapped = DictWrapper({"a": "b"}, lambda value: f"*{value}*", "xx_")
    assert wrapped["a"] == "b"
    assert wrapped["xx_a"] == "*b*"
    template = "Normal: %(a)s. Modified: %(xx_a)s"
    assert template % wrapped == "Normal: b. Modified: *b*"
    with pytest.raises(KeyError):
        wrapped["xx_missing"]


def test_case_insensitive_mapping() -> None:
    m = CaseInsensitiveMapping({"Accept": "application/json", "content-type": "text/html"})
    assert m["accept"] == m["ACCEPT"] == "application/json"
    assert m.get("Content-Type") == "text/html"
    assert list(m) == ["Accept", "content-type"]
    assert len(m) == 2
    assert "CONTENT-TYPE" in m
    assert m == {"ACCEPT": "application/json", "Content-Type": "text/html"}
    assert m != {"Accept": "other"}
    assert m != ["Accept"]
    assert m.copy() is m
    assert repr(m) == "{'Accept': 'application/json', 'content-type': 'text/html'}"
    with pytest.raises(TypeError):
        hash(m)
    with pytest.raises(TypeError):
        m["x"] = "y"  # type: ignore[index]


def test_case_insensitive_mapping_from_pairs() -> None:
    m = CaseInsensitiveMapping([("Accept", "a"), ("X", "b")])
    assert dict(m) == {"Accept": "a", "X": "b"}
    with pytest.raises(ValueError, match=r"element #0 has length 3; 2 is required"):
        CaseInsensitiveMapping([("a", "b", "c")])  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="Element key 1 invalid, only strings are allowed"):
        CaseInsensitiveMapping([(1, "b")])  # type: ignore[arg-type]
