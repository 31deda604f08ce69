"""Django's "Querying JSONField" topic: key, index and path lookups, null handling, KT()."""

from __future__ import annotations

import pytest

from fastjango.core.exceptions import ValidationError
from fastjango.db import NotSupportedError, models
from fastjango.db.models import F, JSONField, Value
from fastjango.db.models.fields.json import KT
from tests.db.models.models_queries import Dog

pytestmark = pytest.mark.usefixtures("using")


@pytest.fixture
def dogs(using: str) -> None:
    Dog.objects.create(
        name="Rufus",
        data={
            "breed": "labrador",
            "owner": {"name": "Bob", "other_pets": [{"name": "Fishy"}]},
            "age": 5,
            "tags": ["good", "big"],
        },
    )
    Dog.objects.create(name="Meg", data={"breed": "collie", "owner": None, "age": 12})
    Dog.objects.create(name="Max", data=None)
    Dog.objects.create(name="Archie", data=Value(None, JSONField()))
    Dog.objects.create(name="Odd", data=[1, "two", {"three": 3}])


def dog_names(qs: models.QuerySet[Dog]) -> list[str]:
    return sorted(d.name for d in qs)


@pytest.mark.usefixtures("dogs")
def test_round_trip_types() -> None:
    rufus = Dog.objects.get(name="Rufus")
    assert rufus.data["owner"]["other_pets"] == [{"name": "Fishy"}]
    assert Dog.objects.get(name="Odd").data == [1, "two", {"three": 3}]
    assert Dog.objects.get(name="Max").data is None
    assert Dog.objects.get(name="Archie").data is None
    for value in ["text", 1.5, True, {"nested": {"deep": [None]}}]:
        dog = Dog.objects.create(name="v", data=value)
        assert Dog.objects.get(pk=dog.pk).data == value


@pytest.mark.usefixtures("dogs")
def test_key_index_and_path_lookups() -> None:
    assert dog_names(Dog.objects.filter(data__breed="collie")) == ["Meg"]
    assert dog_names(Dog.objects.filter(data__owner__name="Bob")) == ["Rufus"]
    assert dog_names(Dog.objects.filter(data__owner__other_pets__0__name="Fishy")) == ["Rufus"]
    assert dog_names(Dog.objects.filter(data__tags__1="big")) == ["Rufus"]
    assert dog_names(Dog.objects.filter(data__1="two")) == ["Odd"]
    assert dog_names(Dog.objects.filter(data__2__three=3)) == ["Odd"]
    assert dog_names(Dog.objects.filter(data__age__gt=6)) == ["Meg"]
    assert dog_names(Dog.objects.filter(data__age__lte=5)) == ["Rufus"]
    assert dog_names(Dog.objects.filter(data__age__in=[5, 12])) == ["Meg", "Rufus"]
    assert dog_names(Dog.objects.filter(data__breed__in=["collie", "poodle"])) == ["Meg"]
    # As in Django, a row without the key is not returned by exclude() (NULL comparison).
    assert dog_names(Dog.objects.exclude(data__breed="collie")) == ["Max", "Rufus"]


@pytest.mark.usefixtures("dogs")
def test_text_lookups_on_keys() -> None:
    assert dog_names(Dog.objects.filter(data__breed__iexact="LABRADOR")) == ["Rufus"]
    assert dog_names(Dog.objects.filter(data__breed__icontains="LAB")) == ["Rufus"]
    assert dog_names(Dog.objects.filter(data__owner__name__startswith="B")) == ["Rufus"]
    assert dog_names(Dog.objects.filter(data__breed__istartswith="COL")) == ["Meg"]
    assert dog_names(Dog.objects.filter(data__breed__endswith="dor")) == ["Rufus"]
    assert dog_names(Dog.objects.filter(data__breed__iendswith="LIE")) == ["Meg"]
    assert dog_names(Dog.objects.filter(data__breed__regex=r"^c.*e$")) == ["Meg"]
    assert dog_names(Dog.objects.filter(data__breed__iregex=r"^LAB")) == ["Rufus"]


@pytest.mark.usefixtures("dogs")
def test_null_semantics() -> None:
    # data=None matches JSON null; isnull=True matches SQL NULL.
    assert dog_names(Dog.objects.filter(data=None)) == ["Archie"]
    assert dog_names(Dog.objects.filter(data__isnull=True)) == ["Max"]
    assert dog_names(Dog.objects.filter(data__owner=None)) == ["Meg"]
    assert dog_names(Dog.objects.filter(data__owner__isnull=True)) == [
        "Archie",
        "Max",
        "Odd",
    ]
    assert dog_names(Dog.objects.filter(data__owner__isnull=False)) == ["Meg", "Rufus"]


@pytest.mark.usefixtures("dogs")
def test_key_presence() -> None:
    assert dog_names(Dog.objects.filter(data__has_key="owner")) == ["Meg", "Rufus"]
    assert dog_names(Dog.objects.filter(data__has_keys=["breed", "tags"])) == ["Rufus"]
    assert dog_names(Dog.objects.filter(data__has_any_keys=["tags", "age"])) == ["Meg", "Rufus"]
    assert dog_names(Dog.objects.filter(data__owner__has_key="other_pets")) == ["Rufus"]


@pytest.mark.usefixtures("dogs")
def test_contains_and_contained_by(using: str) -> None:
    contains = Dog.objects.filter(data__contains={"breed": "collie"})
    contained = Dog.objects.filter(data__contained_by={"breed": "collie", "owner": None, "age": 12})
    if using == "default":
        with pytest.raises(NotSupportedError, match="contains lookup is not supported"):
            list(contains)
        with pytest.raises(NotSupportedError, match="contained_by lookup is not supported"):
            list(contained)
        return
    assert dog_names(contains) == ["Meg"]
    assert dog_names(Dog.objects.filter(data__owner__contains={"name": "Bob"})) == ["Rufus"]
    assert dog_names(contained) == ["Meg"]


@pytest.mark.usefixtures("dogs")
def test_kt_annotations_values_and_ordering() -> None:
    rows = Dog.objects.annotate(
        breed=KT("data__breed"), owner_name=KT("data__owner__name"), first_pet=KT("data__tags__0")
    ).order_by("name")
    assert [(d.name, d.breed, d.owner_name, d.first_pet) for d in rows] == [
        ("Archie", None, None, None),
        ("Max", None, None, None),
        ("Meg", "collie", None, None),
        ("Odd", None, None, None),
        ("Rufus", "labrador", "Bob", "good"),
    ]
    values = Dog.objects.filter(data__has_key="breed").order_by("data__breed")
    assert list(values.values_list("data__breed", flat=True)) == ["collie", "labrador"]
    assert list(Dog.objects.filter(name="Rufus").values("data__owner")) == [
        {"data__owner": {"name": "Bob", "other_pets": [{"name": "Fishy"}]}}
    ]
    assert Dog.objects.annotate(b=F("data__breed")).get(name="Meg").b == "collie"


@pytest.mark.usefixtures("dogs")
def test_update_and_validation() -> None:
    Dog.objects.filter(name="Max").update(data={"breed": "pug"})
    assert Dog.objects.get(data__breed="pug").name == "Max"
    dog = Dog(name="bad", data={"set": {1, 2}})
    with pytest.raises(ValidationError, match="Value must be valid JSON"):
        dog.full_clean()
    with pytest.raises(ValueError, match="The encoder parameter must be a callable object"):
        JSONField(encoder=object())  # type: ignore[arg-type]
