"""The file-based cache: one file per key in a directory, shared by every process using it.

Each file holds the pickled expiry time followed by the zlib-compressed
pickled value. Writes go to a temporary file renamed into place, so a reader
never sees half a value. The async twins run the file work in the threadpool.
"""

from __future__ import annotations

import glob
import hashlib
import os
import pickle
import random
import tempfile
import time
import zlib
from collections.abc import Callable, Iterable, Mapping
from typing import IO, Any

import anyio.to_thread

from fastjango.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache
from fastjango.core.exceptions import ImproperlyConfigured

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows has no fcntl; touch() then runs unlocked
    fcntl = None  # type: ignore[assignment]

__all__ = ["FileBasedCache"]


class FileBasedCache(BaseCache):
    """A cache kept as files in the ``LOCATION`` directory (made on demand, mode 0700)."""

    cache_suffix = ".djcache"
    pickle_protocol = pickle.HIGHEST_PROTOCOL

    def __init__(self, dir: str | os.PathLike[str], params: Mapping[str, Any]) -> None:
        super().__init__(params)
        if not dir:
            raise ImproperlyConfigured(
                "FileBasedCache needs LOCATION: the directory to keep cache files in."
            )
        self._dir = os.path.abspath(dir)
        self._createdir()

    def _createdir(self) -> None:
        os.makedirs(self._dir, 0o700, exist_ok=True)

    def _key_to_file(self, key: Any, version: Any = None) -> str:
        key = self.make_and_validate_key(key, version=version)
        digest = hashlib.md5(key.encode(), usedforsecurity=False).hexdigest()
        return os.path.join(self._dir, digest + self.cache_suffix)

    def _write_content(self, file: IO[bytes], expiry: float | None, value: Any) -> None:
        file.write(pickle.dumps(expiry, self.pickle_protocol))
        file.write(zlib.compress(pickle.dumps(value, self.pickle_protocol)))

    def _is_expired(self, file: IO[bytes]) -> bool:
        """Return whether the open cache file has expired, deleting it if so."""
        try:
            expiry = pickle.load(file)
        except EOFError:
            expiry = 0  # an empty file (a write cut short) counts as expired
        if expiry is not None and expiry < time.time():
            file.close()
            self._delete(file.name)
            return True
        return False

    def _delete(self, fname: str) -> bool:
        if not fname.startswith(self._dir):
            return False
        try:
            os.remove(fname)
        except FileNotFoundError:
            return False  # another process removed it first
        return True

    def _list_cache_files(self) -> list[str]:
        return [
            os.path.join(self._dir, fname)
            for fname in glob.glob(f"*{self.cache_suffix}", root_dir=self._dir)
        ]

    def _cull(self) -> None:
        """Remove a random 1/CULL_FREQUENCY of the files once MAX_ENTRIES is reached."""
        filelist = self._list_cache_files()
        if len(filelist) < self._max_entries:
            return
        if self._cull_frequency == 0:
            self.clear()
            return
        for fname in random.sample(filelist, len(filelist) // self._cull_frequency):
            self._delete(fname)

    def add(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None
    ) -> bool:
        if self.has_key(key, version):
            return False
        self.set(key, value, timeout, version)
        return True

    def get(self, key: Any, default: Any = None, version: Any = None) -> Any:
        fname = self._key_to_file(key, version)
        try:
            with open(fname, "rb") as f:
                if not self._is_expired(f):
                    return pickle.loads(zlib.decompress(f.read()))
        except FileNotFoundError:
            pass
        return default

    def set(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None
    ) -> None:
        self._createdir()  # the directory may have been removed since start-up
        fname = self._key_to_file(key, version)
        self._cull()
        fd, tmp_path = tempfile.mkstemp(dir=self._dir)
        renamed = False
        try:
            with open(fd, "wb") as f:
                self._write_content(f, self.get_backend_timeout(timeout), value)
            os.replace(tmp_path, fname)
            renamed = True
        finally:
            if not renamed:
                os.remove(tmp_path)

    def _rewrite(
        self,
        key: Any,
        version: Any,
        change: Callable[[float | None, Any], tuple[float | None, Any]],
    ) -> bool:
        """Replace a live entry's expiry and value under a file lock; False if there is none."""
        try:
            with open(self._key_to_file(key, version), "r+b") as f:
                if fcntl is not None:
                    fcntl.flock(f, fcntl.LOCK_EX)
                try:
                    if self._is_expired(f):
                        return False
                    f.seek(0)
                    expiry = pickle.load(f)
                    value = pickle.loads(zlib.decompress(f.read()))
                    expiry, value = change(expiry, value)
                    f.seek(0)
                    self._write_content(f, expiry, value)
                    f.truncate()
                    return True
                finally:
                    if fcntl is not None and not f.closed:
                        fcntl.flock(f, fcntl.LOCK_UN)
        except FileNotFoundError:
            return False

    def touch(self, key: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None) -> bool:
        expiry = self.get_backend_timeout(timeout)
        return self._rewrite(key, version, lambda _expiry, value: (expiry, value))

    def incr(self, key: Any, delta: int = 1, version: Any = None) -> Any:
        result: list[Any] = []

        def add_delta(expiry: float | None, value: Any) -> tuple[float | None, Any]:
            result.append(value + delta)
            return expiry, result[0]

        if not self._rewrite(key, version, add_delta):
            raise ValueError(f"Key '{key}' not found")
        return result[0]

    def delete(self, key: Any, version: Any = None) -> bool:
        return self._delete(self._key_to_file(key, version))

    def has_key(self, key: Any, version: Any = None) -> bool:
        try:
            with open(self._key_to_file(key, version), "rb") as f:
                return not self._is_expired(f)
        except FileNotFoundError:
            return False

    def clear(self) -> None:
        for fname in self._list_cache_files():
            self._delete(fname)

    # The primitives' async twins are BaseCache's (file work in the threadpool);
    # the composite ones here take one trip to the threadpool instead of one per key.

    async def ahas_key(self, key: Any, version: Any = None) -> bool:
        return await anyio.to_thread.run_sync(lambda: self.has_key(key, version))

    async def aincr(self, key: Any, delta: int = 1, version: Any = None) -> Any:
        return await anyio.to_thread.run_sync(lambda: self.incr(key, delta, version))

    async def aget_many(self, keys: Iterable[Any], version: Any = None) -> dict[Any, Any]:
        keys = list(keys)
        return await anyio.to_thread.run_sync(lambda: self.get_many(keys, version))

    async def aset_many(
        self, data: Mapping[Any, Any], timeout: Any = DEFAULT_TIMEOUT, version: Any = None
    ) -> list[Any]:
        return await anyio.to_thread.run_sync(lambda: self.set_many(data, timeout, version))

    async def adelete_many(self, keys: Iterable[Any], version: Any = None) -> None:
        keys = list(keys)
        await anyio.to_thread.run_sync(lambda: self.delete_many(keys, version))
