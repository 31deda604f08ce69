from __future__ import annotations

import datetime
import decimal
import json
import uuid
from dataclasses import dataclass
from typing import Any

import pytest

from fastjango.core.serializers.json import DjangoJSONEncoder
from fastjango.http import JsonResponse
from fastjango.utils.functional import lazystr

UUID = uuid.UUID("12345678-1234-5678-1234-567812345678")
SPECIAL: dict[str, Any] = {
    "datetime": datetime.datetime(2024, 1, 2, 3, 4, 5, 678901),
    "datetime_utc": datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=datetime.UTC),
    "datetime_tz": datetime.datetime(
        2024, 1, 2, 3, 4, 5, 123000, tzinfo=datetime.timezone(datetime.timedelta(hours=2))
    ),
    "date": datetime.date(2024, 1, 2),
    "time": datetime.time(3, 4, 5, 678901),
    "time_plain": datetime.time(3, 4, 5),
    "duration": datetime.timedelta(days=1, hours=2, minutes=3, seconds=4, microseconds=5),
    "negative_duration": -datetime.timedelta(minutes=90),
    "plain_duration": datetime.timedelta(seconds=30),
    "decimal": decimal.Decimal("1.10"),
    "uuid": UUID,
    "lazy": lazystr("lazy text"),
}


def test_encoder_formats() -> None:
    assert json.loads(json.dumps(SPECIAL, cls=DjangoJSONEncoder)) == {
        "datetime": "2024-01-02T03:04:05.678",
        "datetime_utc": "2024-01-02T03:04:05Z",
        "datetime_tz": "2024-01-02T03:04:05.123+02:00",
        "date": "2024-01-02",
        "time": "03:04:05.678",
        "time_plain": "03:04:05",
        "duration": "P1DT02H03M04.000005S",
        "negative_duration": "-P0DT01H30M00S",
        "plain_duration": "P0DT00H00M30S",
        "decimal": "1.10",
        "uuid": "12345678-1234-5678-1234-567812345678",
        "lazy": "lazy text",
    }


def test_encoder_refusals() -> None:
    with pytest.raises(ValueError, match="JSON can't represent timezone-aware times."):
        json.dumps(datetime.time(1, tzinfo=datetime.UTC), cls=DjangoJSONEncoder)
    with pytest.raises(TypeError, match="Object of type set is not JSON serializable"):
        json.dumps({1}, cls=DjangoJSONEncoder)


def test_json_response_matches_django_values() -> None:
    response = JsonResponse(SPECIAL)
    assert response["Content-Type"] == "application/json"
    expected = json.loads(json.dumps(SPECIAL, cls=DjangoJSONEncoder))
    assert json.loads(response.content) == expected
    # orjson output is compact.
    assert JsonResponse({"a": [1, 2]}).content == b'{"a":[1,2]}'
    assert JsonResponse({"t": "caf\xe9"}).content == '{"t":"caf\xe9"}'.encode()


def test_json_response_fallbacks_keep_django_semantics() -> None:
    # Non-string keys and huge ints are beyond orjson: json.dumps answers as in Django.
    assert json.loads(JsonResponse({1: "a", "big": 2**70}).content) == {"1": "a", "big": 2**70}
    with pytest.raises(ValueError, match="timezone-aware times"):
        JsonResponse({"t": datetime.time(1, tzinfo=datetime.UTC)})

    @dataclass
    class Point:
        x: int

    with pytest.raises(TypeError, match="Object of type Point is not JSON serializable"):
        JsonResponse({"p": Point(1)})


def test_json_response_safe_and_params() -> None:
    with pytest.raises(
        TypeError,
        match="In order to allow non-dict objects to be serialized set the safe parameter to False",
    ):
        JsonResponse([1, 2])
    assert JsonResponse([1, 2], safe=False).content == b"[1,2]"
    assert JsonResponse("text", safe=False).content == b'"text"'
    response = JsonResponse({"a": 1}, json_dumps_params={"indent": 2})
    assert response.content == b'{\n  "a": 1\n}'

    class Custom(json.JSONEncoder):
        def default(self, o: Any) -> Any:
            return "custom"

    assert JsonResponse({"o": object()}, encoder=Custom).content == b'{"o": "custom"}'
    response = JsonResponse({}, status=201, content_type="application/vnd.api+json")
    assert (response.status_code, response["Content-Type"]) == (201, "application/vnd.api+json")
