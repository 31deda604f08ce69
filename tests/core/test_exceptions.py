"""``fastjango.core.exceptions``: Django's exception classes and ``ValidationError``."""

from __future__ import annotations

import pickle

import pytest

from fastjango.core import exceptions
from fastjango.core.exceptions import NON_FIELD_ERRORS, ValidationError
from fastjango.utils.functional import lazystr


def test_exports_and_hierarchy() -> None:
    for name in exceptions.__all__:
        assert hasattr(exceptions, name), name
    suspicious = [
        "SuspiciousMultipartForm",
        "SuspiciousFileOperation",
        "DisallowedHost",
        "DisallowedRedirect",
        "TooManyFieldsSent",
        "TooManyFilesSent",
        "RequestDataTooBig",
    ]
    for name in suspicious:
        assert issubclass(getattr(exceptions, name), exceptions.SuspiciousOperation), name
    assert exceptions.ObjectDoesNotExist.silent_variable_failure is True
    assert NON_FIELD_ERRORS == "__all__"


# Construction


def test_single_message() -> None:
    error = ValidationError("message", code="my_code", params={"a": 1})
    assert error.message == "message"
    assert error.code == "my_code"
    assert error.params == {"a": 1}
    assert error.error_list == [error]
    assert error.messages == ["message"]
    assert list(error) == ["message"]
    assert not hasattr(error, "error_dict")
    assert error.args == ("message", "my_code", {"a": 1})


def test_params_are_interpolated() -> None:
    error = ValidationError("%(value)s is not %(kind)s", params={"value": 3, "kind": "even"})
    assert error.messages == ["3 is not even"]
    assert error.message == "%(value)s is not %(kind)s"
    positional = ValidationError("%s items", params=(3,))  # type: ignore[arg-type]
    assert positional.messages == ["3 items"]


def test_lazy_messages() -> None:
    error = ValidationError(lazystr("lazy %(x)s"), params={"x": "message"})
    assert error.messages == ["lazy message"]


def test_list_of_messages_and_errors() -> None:
    inner = ValidationError("E2", code="c2")
    error = ValidationError(["E1", inner, ValidationError(["E3", "E4"])])
    assert not hasattr(error, "message")
    assert [e.message for e in error.error_list] == ["E1", "E2", "E3", "E4"]
    assert error.error_list[1] is inner
    assert error.messages == ["E1", "E2", "E3", "E4"]


def test_list_flattens_dict_errors() -> None:
    error = ValidationError([ValidationError({"field1": ["Field error"]}), "Simple error"])
    assert [str(e.message) for e in error.error_list] == ["Field error", "Simple error"]
    assert ValidationError([]).error_list == []
    assert list(ValidationError([])) == []


def test_dict_of_messages() -> None:
    error = ValidationError(
        {"field1": "message", "field2": ["E1", "E2"], "field3": ValidationError("E3", code="c")}
    )
    assert set(error.error_dict) == {"field1", "field2", "field3"}
    assert error.error_dict["field3"][0].code == "c"
    assert error.message_dict == {"field1": ["message"], "field2": ["E1", "E2"], "field3": ["E3"]}
    assert dict(error) == error.message_dict
    assert sorted(error.messages) == ["E1", "E2", "E3", "message"]


def test_messages_concatenates_error_dict_values() -> None:
    message_dict: dict[str, list[str]] = {}
    assert ValidationError(message_dict).messages == []
    message_dict["field1"] = ["E1", "E2"]
    assert sorted(ValidationError(message_dict).messages) == ["E1", "E2"]
    message_dict["field2"] = ["E3", "E4"]
    assert sorted(ValidationError(message_dict).messages) == ["E1", "E2", "E3", "E4"]


def test_wrapping_another_validation_error() -> None:
    single = ValidationError("message", code="c", params={"p": 1})
    wrapped = ValidationError(single)
    assert (wrapped.message, wrapped.code, wrapped.params) == ("message", "c", {"p": 1})
    as_list = ValidationError(ValidationError(["a", "b"]))
    assert as_list.messages == ["a", "b"]
    as_dict = ValidationError(ValidationError({"f": "x"}))
    assert as_dict.message_dict == {"f": ["x"]}


def test_message_dict_of_a_list_error_raises_attribute_error() -> None:
    for error in (ValidationError("ab"), ValidationError(["ab", "cd"])):
        with pytest.raises(AttributeError):
            error.message_dict  # noqa: B018


# update_error_dict


def test_update_error_dict() -> None:
    error_dict: dict[str, list[ValidationError]] = {}
    ValidationError("non-field").update_error_dict(error_dict)
    ValidationError({"name": "bad", "age": ["low"]}).update_error_dict(error_dict)
    result = ValidationError({"name": "worse"}).update_error_dict(error_dict)
    assert result is error_dict
    assert {k: [e.message for e in v] for k, v in error_dict.items()} == {
        NON_FIELD_ERRORS: ["non-field"],
        "name": ["bad", "worse"],
        "age": ["low"],
    }


# str and repr


def test_str_and_repr() -> None:
    assert str(ValidationError("message")) == "['message']"
    assert repr(ValidationError("message")) == "ValidationError(['message'])"
    assert str(ValidationError(["a", "b"])) == "['a', 'b']"
    assert str(ValidationError({"f": ["a"]})) == "{'f': ['a']}"
    assert repr(ValidationError({"f": "a"})) == "ValidationError({'f': ['a']})"
    assert str(ValidationError("%(n)s!", params={"n": 1})) == "['1!']"


def test_pickle_round_trip() -> None:
    for error in (
        ValidationError("message", code="c", params={"a": 1}),
        ValidationError(["a", "b"]),
        ValidationError({"f": ["a"]}),
    ):
        assert pickle.loads(pickle.dumps(error)) == error


# Equality and hashing (Django's test_validation_error.py cases)

error1 = ValidationError("message")
error2 = ValidationError("message", code="my_code1")
error3 = ValidationError("message", code="my_code2")
error4 = ValidationError(
    "error %(parm1)s %(parm2)s", code="my_code1", params={"parm1": "val1", "parm2": "val2"}
)
error5 = ValidationError({"field1": "message", "field2": "other"})
error6 = ValidationError({"field1": "message"})
error7 = ValidationError([ValidationError({"field1": "field error", "field2": "other"}), "message"])

EQUAL = [
    (error1, ValidationError("message")),
    (error2, ValidationError("message", code="my_code1")),
    (
        error4,
        ValidationError(
            "error %(parm1)s %(parm2)s", code="my_code1", params={"parm1": "val1", "parm2": "val2"}
        ),
    ),
    # params ordering is ignored.
    (
        error4,
        ValidationError(
            "error %(parm1)s %(parm2)s", code="my_code1", params={"parm2": "val2", "parm1": "val1"}
        ),
    ),
    (error5, ValidationError({"field1": "message", "field2": "other"})),
    # fields ordering is ignored.
    (error5, ValidationError({"field2": "other", "field1": "message"})),
    # messages ordering is ignored.
    (error7, ValidationError(list(reversed(error7.error_list)))),
]

NOT_EQUAL = [
    (error1, ValidationError("message2")),
    (error1, error2),
    (error1, error4),
    (error1, error5),
    (error1, error6),
    (error1, error7),
    (error2, ValidationError("other", code="my_code1")),
    (error2, error3),
    (error2, error4),
    (error2, error5),
    (error2, error6),
    (error2, error7),
    (
        error4,
        ValidationError(
            "error %(parm1)s %(parm2)s", code="my_code2", params={"parm1": "val1", "parm2": "val2"}
        ),
    ),
    (
        error4,
        ValidationError("error %(parm1)s %(parm2)s", code="my_code1", params={"parm2": "val2"}),
    ),
    (
        error4,
        ValidationError(
            "error %(parm1)s %(parm2)s", code="my_code1", params={"parm2": "val1", "parm1": "val2"}
        ),
    ),
    (error4, ValidationError("error val1 val2", code="my_code1")),
    (error5, ValidationError({"field1": "message", "field2": "other2"})),
    (error5, ValidationError({"field1": "message", "field3": "other"})),
    (error5, error6),
    (error7, ValidationError(error7.error_list[1:])),
    (ValidationError(["message"]), ValidationError([ValidationError("message", code="my_code")])),
    (error4, ValidationError([error4])),
    (ValidationError([error4]), error4),
    (error4, ValidationError({"field1": error4})),
    (ValidationError({"field1": error4}), error4),
]


@pytest.mark.parametrize(("left", "right"), EQUAL)
def test_equal_errors_have_equal_hashes(left: ValidationError, right: ValidationError) -> None:
    assert left == right
    assert hash(left) == hash(right)


@pytest.mark.parametrize(("left", "right"), NOT_EQUAL)
def test_unequal_errors(left: ValidationError, right: ValidationError) -> None:
    assert left != right
    assert hash(left) != hash(right)


def test_comparison_with_other_types() -> None:
    assert ValidationError("message") != "message"
    assert ValidationError("message").__eq__("message") is NotImplemented


NESTED = {
    "field1": ValidationError(
        "error %(parm1)s %(parm2)s", code="my_code", params={"parm1": "val1", "parm2": "val2"}
    ),
    "field2": "other",
}


def test_eq_and_hash_nested() -> None:
    error = ValidationError(NESTED)
    same = ValidationError(
        {
            "field1": ValidationError(
                "error %(parm1)s %(parm2)s",
                code="my_code",
                params={"parm2": "val2", "parm1": "val1"},
            ),
            "field2": "other",
        }
    )
    assert error == ValidationError(dict(NESTED))
    assert error == same and hash(error) == hash(same)
    other_message = ValidationError({**NESTED, "field2": "message"})
    assert error != other_message and hash(error) != hash(other_message)
    other_params = ValidationError(
        {
            "field1": ValidationError(
                "error %(parm1)s val2", code="my_code", params={"parm1": "val1"}
            ),
            "field2": "other",
        }
    )
    assert error != other_params and hash(error) != hash(other_params)


def test_hash_with_unhashable_params() -> None:
    error = ValidationError("%(items)s", params={"items": ["a", "b"], "opts": {"x": [1]}})
    same = ValidationError("%(items)s", params={"opts": {"x": [1]}, "items": ["a", "b"]})
    assert hash(error) == hash(same)
    assert error == same
    assert error != ValidationError("%(items)s", params={"items": ["b", "a"], "opts": {"x": [1]}})
    with pytest.raises(TypeError):
        hash(ValidationError("x", params={"bad": object.__new__(_Unhashable)}))


class _Unhashable:
    __hash__ = None  # type: ignore[assignment]
