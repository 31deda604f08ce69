"""``OrderWrt``: the hidden ``_order`` column of a model with ``Meta.order_with_respect_to``."""

from __future__ import annotations

from typing import Any

from fastjango.db.models.fields import IntegerField

__all__ = ["OrderWrt"]


class OrderWrt(IntegerField[Any, Any]):
    """The ``_order`` field of ``Meta.order_with_respect_to``: a row's place among siblings."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["name"] = "_order"
        kwargs["editable"] = False
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> tuple[str, str, list[Any], dict[str, Any]]:
        name, _, args, kwargs = super().deconstruct()
        return name, "fastjango.db.models.fields.proxy.OrderWrt", args, kwargs
