"""``File`` and ``ContentFile``: Django's wrappers around file-like objects."""

from __future__ import annotations

import os
from collections.abc import Iterator
from functools import cached_property
from io import BytesIO, StringIO, UnsupportedOperation
from typing import IO, Any, AnyStr

__all__ = ["ContentFile", "File", "FileProxyMixin"]


class FileProxyMixin:
    """Forward the file-object API (``read``, ``seek``, ``closed``...) to ``self.file``."""

    file: Any

    @property
    def encoding(self) -> Any:
        return self.file.encoding

    @property
    def fileno(self) -> Any:
        return self.file.fileno

    @property
    def flush(self) -> Any:
        return self.file.flush

    @property
    def isatty(self) -> Any:
        return self.file.isatty

    @property
    def newlines(self) -> Any:
        return self.file.newlines

    @property
    def read(self) -> Any:
        return self.file.read

    @property
    def readinto(self) -> Any:
        return self.file.readinto

    @property
    def readline(self) -> Any:
        return self.file.readline

    @property
    def readlines(self) -> Any:
        return self.file.readlines

    @property
    def seek(self) -> Any:
        return self.file.seek

    @property
    def tell(self) -> Any:
        return self.file.tell

    @property
    def truncate(self) -> Any:
        return self.file.truncate

    @property
    def write(self) -> Any:
        return self.file.write

    @property
    def writelines(self) -> Any:
        return self.file.writelines

    @property
    def closed(self) -> bool:
        return not self.file or bool(self.file.closed)

    def readable(self) -> bool:
        if self.closed:
            return False
        if hasattr(self.file, "readable"):
            return bool(self.file.readable())
        return True

    def writable(self) -> bool:
        if self.closed:
            return False
        if hasattr(self.file, "writable"):
            return bool(self.file.writable())
        return "w" in getattr(self.file, "mode", "")

    def seekable(self) -> bool:
        if self.closed:
            return False
        if hasattr(self.file, "seekable"):
            return bool(self.file.seekable())
        return True

    def __iter__(self) -> Iterator[Any]:
        return iter(self.file)


def _endswith_cr(line: AnyStr) -> bool:
    return line.endswith("\r" if isinstance(line, str) else b"\r")


def _endswith_lf(line: AnyStr) -> bool:
    return line.endswith("\n" if isinstance(line, str) else b"\n")


def _equals_lf(line: AnyStr) -> bool:
    return line == ("\n" if isinstance(line, str) else b"\n")


class File(FileProxyMixin):
    """A named file-like object with ``size``, ``chunks()`` and line iteration."""

    DEFAULT_CHUNK_SIZE = 64 * 2**10

    def __init__(self, file: IO[Any] | Any, name: str | None = None) -> None:
        self.file = file
        if name is None:
            name = getattr(file, "name", None)
        self.name = name
        if hasattr(file, "mode"):
            self.mode = file.mode

    def __str__(self) -> str:
        return self.name or ""

    def __repr__(self) -> str:
        return f"<{type(self).__name__}: {self or 'None'}>"

    def __bool__(self) -> bool:
        return bool(self.name)

    def __len__(self) -> int:
        return int(self.size)

    @cached_property
    def size(self) -> int:
        """Return the size in bytes, from the file object, the file system or by seeking."""
        if hasattr(self.file, "size"):
            return int(self.file.size)
        if hasattr(self.file, "name"):
            try:
                return os.path.getsize(self.file.name)
            except (OSError, TypeError):
                pass
        if hasattr(self.file, "tell") and hasattr(self.file, "seek"):
            pos = self.file.tell()
            self.file.seek(0, os.SEEK_END)
            size = int(self.file.tell())
            self.file.seek(pos)
            return size
        raise AttributeError("Unable to determine the file's size.")

    def chunks(self, chunk_size: int | None = None) -> Iterator[Any]:
        """Read the file from the start and yield it in chunks of ``chunk_size`` bytes."""
        chunk_size = chunk_size or self.DEFAULT_CHUNK_SIZE
        try:
            self.seek(0)
        except (AttributeError, UnsupportedOperation):
            pass
        while True:
            data = self.read(chunk_size)
            if not data:
                break
            yield data

    def multiple_chunks(self, chunk_size: int | None = None) -> bool:
        """Return whether ``chunks()`` would yield more than one chunk."""
        return self.size > (chunk_size or self.DEFAULT_CHUNK_SIZE)

    def __iter__(self) -> Iterator[Any]:
        # Yield lines, joining those split across chunk boundaries (including \r|\n).
        buffer_: Any = None
        for chunk in self.chunks():
            for line in chunk.splitlines(True):
                if buffer_:
                    if _endswith_cr(buffer_) and not _equals_lf(line):
                        yield buffer_
                    else:
                        line = buffer_ + line
                    buffer_ = None
                if _endswith_lf(line):
                    yield line
                else:
                    buffer_ = line
        if buffer_ is not None:
            yield buffer_

    def __enter__(self) -> File:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def open(self, mode: str | None = None, *args: Any, **kwargs: Any) -> File:
        """Rewind an open file, or reopen a closed one from its path."""
        if not self.closed:
            self.seek(0)
        elif self.name and os.path.exists(self.name):
            self.file = open(self.name, mode or self.mode, *args, **kwargs)
        else:
            raise ValueError("The file cannot be reopened.")
        return self

    def close(self) -> None:
        self.file.close()


class ContentFile(File):
    """A ``File`` holding ``str`` or ``bytes`` content in memory."""

    def __init__(self, content: str | bytes, name: str | None = None) -> None:
        stream: IO[Any] = StringIO(content) if isinstance(content, str) else BytesIO(content)
        super().__init__(stream, name=name)
        self.size = len(content)

    def __str__(self) -> str:
        return "Raw content"

    def __bool__(self) -> bool:
        return True

    def open(self, mode: str | None = None, *args: Any, **kwargs: Any) -> ContentFile:
        self.seek(0)
        return self

    def close(self) -> None:
        """Do nothing: the content stays readable, as in Django."""

    def write(self, data: Any) -> int:
        self.__dict__.pop("size", None)  # the cached size is stale now
        return int(self.file.write(data))
