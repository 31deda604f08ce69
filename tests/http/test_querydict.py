from __future__ import annotations

import copy
import pickle

import pytest

from fastjango.core.exceptions import TooManyFieldsSent
from fastjango.http import QueryDict
from fastjango.http.request import bytes_to_text
from fastjango.test.utils import override_settings
from fastjango.utils.datastructures import MultiValueDictKeyError

IMMUTABLE = "This QueryDict instance is immutable"


def test_empty_and_missing() -> None:
    for q in (QueryDict(), QueryDict(""), QueryDict(None)):
        assert q == {} and not q._mutable
        with pytest.raises(MultiValueDictKeyError):
            q["foo"]
        assert q.get("foo", "default") == "default"
        assert q.getlist("foo") == []
        assert q.urlencode() == ""


def test_parse_repeated_and_blank_values() -> None:
    q = QueryDict("vote=yes&vote=no&blank=&flag")
    assert q["vote"] == "no"
    assert q.getlist("vote") == ["yes", "no"]
    assert q["blank"] == "" and q["flag"] == ""
    assert list(q.items()) == [("vote", "no"), ("blank", ""), ("flag", "")]
    assert list(q.lists())[0] == ("vote", ["yes", "no"])
    assert q.dict() == {"vote": "no", "blank": "", "flag": ""}
    assert "vote" in q and "nope" not in q


def test_immutability_errors() -> None:
    q = QueryDict("a=1")
    for attempt in (
        lambda: q.__setitem__("a", "2"),
        lambda: q.__delitem__("a"),
        lambda: q.setlist("a", ["2"]),
        lambda: q.setlistdefault("b"),
        lambda: q.appendlist("a", "2"),
        lambda: q.pop("a"),
        lambda: q.popitem(),
        lambda: q.clear(),
        lambda: q.setdefault("b", "2"),
        lambda: q.update({"a": "2"}),
    ):
        with pytest.raises(AttributeError, match=IMMUTABLE):
            attempt()
    assert q.getlist("a") == ["1"]


def test_mutable_querydict() -> None:
    q = QueryDict(mutable=True)
    q["name"] = "john"
    q.appendlist("name", b"caf\xc3\xa9")
    q.setlist(b"list", [b"a", "b"])
    assert q.setdefault("d", b"x") == "x"
    assert q.setlistdefault("e", ["y"]) == ["y"]
    assert q.getlist("name") == ["john", "caf\xe9"]
    assert q.getlist("list") == ["a", "b"]
    assert q.pop("d") == ["x"]
    del q["e"]
    assert q.popitem() == ("list", ["a", "b"])
    q.clear()
    assert q == {}


def test_copy_is_mutable_and_deep() -> None:
    q = QueryDict("a=1&a=2")
    for c in (q.copy(), copy.copy(q), copy.deepcopy(q)):
        assert c._mutable
        c.appendlist("a", "3")
        assert c.getlist("a") == ["1", "2", "3"]
        assert q.getlist("a") == ["1", "2"]
        assert c.encoding == q.encoding


def test_fromkeys() -> None:
    q = QueryDict.fromkeys(["a", "a", "b"])
    assert q.getlist("a") == ["", ""] and q["b"] == ""
    assert not q._mutable
    m = QueryDict.fromkeys(["a"], value="v", mutable=True, encoding="latin-1")
    assert m._mutable and m["a"] == "v" and m.encoding == "latin-1"


def test_urlencode() -> None:
    q = QueryDict(mutable=True)
    q["next"] = "/a&b/"
    assert q.urlencode() == "next=%2Fa%26b%2F"
    assert q.urlencode(safe="/") == "next=/a%26b/"
    q = QueryDict(mutable=True)
    q.setlist("n", ["caf\xe9", 1])
    assert q.urlencode() == "n=caf%C3%A9&n=1"
    assert QueryDict("a=1&b=x y").urlencode() == "a=1&b=x+y"


def test_encodings() -> None:
    assert QueryDict("a=%E9", encoding="latin-1")["a"] == "\xe9"
    assert QueryDict(b"a=caf\xc3\xa9")["a"] == "caf\xe9"
    # Invalid UTF-8 bytes fall back to ISO-8859-1 rather than failing.
    assert QueryDict(b"a=\xe9")["a"] == "\xe9"
    q = QueryDict()
    q._encoding = None
    with override_settings(DEFAULT_CHARSET="latin-1"):
        assert q.encoding == "latin-1"
    assert bytes_to_text(b"\xff", "utf-8") == "\ufffd"
    assert bytes_to_text(1, "utf-8") == 1


def test_number_of_fields_is_limited() -> None:
    with override_settings(DATA_UPLOAD_MAX_NUMBER_FIELDS=2):
        assert QueryDict("a=1&b=2")["b"] == "2"
        with pytest.raises(TooManyFieldsSent, match="DATA_UPLOAD_MAX_NUMBER_FIELDS"):
            QueryDict("a=1&b=2&c=3")
    with override_settings(DATA_UPLOAD_MAX_NUMBER_FIELDS=None):
        assert len(QueryDict("&".join(f"k{i}=v" for i in range(2000)))) == 2000


def test_pickling_keeps_values_and_immutability() -> None:
    q = QueryDict("a=1&a=2&b=3")
    restored = pickle.loads(pickle.dumps(q))
    assert restored == q
    assert restored.getlist("a") == ["1", "2"]
    assert not restored._mutable
