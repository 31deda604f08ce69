"""The dummy cache: implements the API and caches nothing (for development and tests)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from fastjango.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache

__all__ = ["DummyCache"]


class DummyCache(BaseCache):
    """A cache that forgets everything at once; keys are still validated."""

    def __init__(self, host: Any, params: Mapping[str, Any]) -> None:
        super().__init__(params)

    def add(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None
    ) -> bool:
        self.make_and_validate_key(key, version=version)
        return True

    def get(self, key: Any, default: Any = None, version: Any = None) -> Any:
        self.make_and_validate_key(key, version=version)
        return default

    def set(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None
    ) -> None:
        self.make_and_validate_key(key, version=version)

    def touch(self, key: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None) -> bool:
        self.make_and_validate_key(key, version=version)
        return False

    def delete(self, key: Any, version: Any = None) -> bool:
        self.make_and_validate_key(key, version=version)
        return False

    def has_key(self, key: Any, version: Any = None) -> bool:
        self.make_and_validate_key(key, version=version)
        return False

    def clear(self) -> None:
        """Do nothing: there is nothing to clear."""

    async def aadd(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None
    ) -> bool:
        return self.add(key, value, timeout, version)

    async def aget(self, key: Any, default: Any = None, version: Any = None) -> Any:
        return self.get(key, default, version)

    async def aset(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None
    ) -> None:
        self.set(key, value, timeout, version)

    async def atouch(self, key: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None) -> bool:
        return self.touch(key, timeout, version)

    async def adelete(self, key: Any, version: Any = None) -> bool:
        return self.delete(key, version)

    async def ahas_key(self, key: Any, version: Any = None) -> bool:
        return self.has_key(key, version)

    async def aget_many(self, keys: Iterable[Any], version: Any = None) -> dict[Any, Any]:
        return self.get_many(keys, version)

    async def aclear(self) -> None:
        self.clear()
