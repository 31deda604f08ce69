"""Relations: one-to-one, many-to-many through, self references, on_delete (app ``relations``)."""

from __future__ import annotations

from fastjango.db import models


class Place(models.Model):
    name = models.CharField(max_length=50)
    address = models.CharField(max_length=80)

    class Meta:
        app_label = "relations"

    def __str__(self) -> str:
        return f"{self.name} the place"


class Restaurant(models.Model):
    place = models.OneToOneField(Place, on_delete=models.CASCADE, primary_key=True)
    serves_hot_dogs = models.BooleanField(default=False)
    serves_pizza = models.BooleanField(default=False)

    class Meta:
        app_label = "relations"

    def __str__(self) -> str:
        return f"{self.place.name} the restaurant"


class Waiter(models.Model):
    restaurant = models.ForeignKey(Restaurant, on_delete=models.CASCADE)
    name = models.CharField(max_length=50)

    class Meta:
        app_label = "relations"

    def __str__(self) -> str:
        return f"{self.name} the waiter at {self.restaurant}"


class Person(models.Model):
    name = models.CharField(max_length=128)
    friends = models.ManyToManyField("self")
    followers = models.ManyToManyField("self", symmetrical=False, related_name="following")

    class Meta:
        app_label = "relations"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Group(models.Model):
    name = models.CharField(max_length=128)
    members = models.ManyToManyField(Person, through="Membership", related_name="groups")

    class Meta:
        app_label = "relations"

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE)
    group = models.ForeignKey(Group, on_delete=models.CASCADE)
    date_joined = models.DateField(null=True)
    invite_reason = models.CharField(max_length=64, default="")

    class Meta:
        app_label = "relations"


class Category(models.Model):
    name = models.CharField(max_length=50)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )

    class Meta:
        app_label = "relations"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Owner(models.Model):
    name = models.CharField(max_length=50, unique=True)

    class Meta:
        app_label = "relations"

    def __str__(self) -> str:
        return self.name


def default_owner() -> int | None:
    return None


class Thing(models.Model):
    """One foreign key per ``on_delete`` behaviour (all to ``Owner``)."""

    name = models.CharField(max_length=50)
    cascade = models.ForeignKey(Owner, models.CASCADE, null=True, related_name="cascaded")
    protect = models.ForeignKey(Owner, models.PROTECT, null=True, related_name="protected")
    restrict = models.ForeignKey(Owner, models.RESTRICT, null=True, related_name="restricted")
    set_null = models.ForeignKey(Owner, models.SET_NULL, null=True, related_name="nulled")
    set_default = models.ForeignKey(
        Owner, models.SET_DEFAULT, null=True, default=None, related_name="defaulted"
    )
    set_value = models.ForeignKey(
        Owner, models.SET(default_owner), null=True, related_name="set_to"
    )
    do_nothing = models.ForeignKey(
        Owner, models.DO_NOTHING, null=True, related_name="ignored", db_constraint=False
    )
    by_name = models.ForeignKey(
        Owner,
        models.CASCADE,
        null=True,
        to_field="name",
        related_name="named",
        db_column="owner_name",
    )

    class Meta:
        app_label = "relations"

    def __str__(self) -> str:
        return self.name


class Tag(models.Model):
    label = models.CharField(max_length=30)
    things = models.ManyToManyField(Thing, related_name="tags", blank=True)
    blogs = models.ManyToManyField("queries.Blog", related_query_name="tag")

    class Meta:
        app_label = "relations"
        default_related_name = "%(class)s_items"

    def __str__(self) -> str:
        return self.label


class Review(models.Model):
    """A relation declared with a string to a model defined below."""

    text = models.CharField(max_length=100)
    target = models.ForeignKey("Target", on_delete=models.CASCADE, related_name="reviews")

    class Meta:
        app_label = "relations"


class Target(models.Model):
    name = models.CharField(max_length=50)

    class Meta:
        app_label = "relations"


# Meta.order_with_respect_to ----------------------------------------------------------------


class Answer(models.Model):
    """Declared before ``Question``: its ``get_answer_order()`` comes when Question does."""

    text = models.CharField(max_length=200)
    question = models.ForeignKey("Question", on_delete=models.CASCADE)

    class Meta:
        app_label = "relations"
        order_with_respect_to = "question"

    def __str__(self) -> str:
        return self.text


class Question(models.Model):
    text = models.CharField(max_length=200)

    class Meta:
        app_label = "relations"


class Post(models.Model):
    """Ordered with respect to a foreign key to itself (a thread of replies)."""

    title = models.CharField(max_length=200)
    parent = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, related_name="replies")

    class Meta:
        app_label = "relations"
        order_with_respect_to = "parent"

    def __str__(self) -> str:
        return self.title


class Chapter(models.Model):
    """Ordered with respect to a model of another app."""

    title = models.CharField(max_length=100)
    blog = models.ForeignKey("queries.Blog", on_delete=models.CASCADE, related_name="chapters")

    class Meta:
        app_label = "relations"
        order_with_respect_to = "blog_id"
