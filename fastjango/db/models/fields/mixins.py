"""Mixins shared by fields: the per-instance cache of related objects."""

from __future__ import annotations

from typing import Any

__all__ = ["NOT_PROVIDED_CACHE", "FieldCacheMixin"]

NOT_PROVIDED_CACHE = object()


class FieldCacheMixin:
    """Cache a related object on an instance's ``_state.fields_cache``."""

    @property
    def cache_name(self) -> str:
        """Return the key the related object is cached under."""
        return self.get_cache_name()

    def get_cache_name(self) -> str:
        """Return the key the related object is cached under (the field's name)."""
        return str(self.name)  # type: ignore[attr-defined]

    def get_cached_value(self, instance: Any, default: Any = NOT_PROVIDED_CACHE) -> Any:
        """Return the cached related object; raise KeyError when nothing is cached."""
        cache_name = self.get_cache_name()
        try:
            return instance._state.fields_cache[cache_name]
        except KeyError:
            if default is NOT_PROVIDED_CACHE:
                raise
            return default

    def is_cached(self, instance: Any) -> bool:
        """Return whether a related object is cached on ``instance``."""
        return self.get_cache_name() in instance._state.fields_cache

    def set_cached_value(self, instance: Any, value: Any) -> None:
        """Cache ``value`` as the related object of ``instance``."""
        instance._state.fields_cache[self.get_cache_name()] = value

    def delete_cached_value(self, instance: Any) -> None:
        """Forget the cached related object of ``instance``."""
        del instance._state.fields_cache[self.get_cache_name()]
