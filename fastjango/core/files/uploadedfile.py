"""Uploaded files, as found in ``request.FILES``."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from io import BytesIO
from typing import IO, Any

from fastjango.conf import settings
from fastjango.core.exceptions import SuspiciousFileOperation
from fastjango.core.files.base import File

__all__ = [
    "InMemoryUploadedFile",
    "SimpleUploadedFile",
    "TemporaryUploadedFile",
    "UploadedFile",
]


def _validate_file_name(name: str) -> str:
    # The name is already a basename here; this refuses the ones that name a directory.
    if os.path.basename(name) in {"", ".", ".."}:
        raise SuspiciousFileOperation(f"Could not derive file name from '{name}'")
    return name


class UploadedFile(File):
    """A file uploaded with a form; its ``name`` is always reduced to a safe basename."""

    def __init__(
        self,
        file: IO[Any] | Any = None,
        name: str | None = None,
        content_type: str | None = None,
        size: int | None = None,
        charset: str | None = None,
        content_type_extra: dict[str, str] | None = None,
    ) -> None:
        super().__init__(file, name)
        self.size = size  # type: ignore[assignment]
        self.content_type = content_type
        self.charset = charset
        self.content_type_extra = content_type_extra

    def __repr__(self) -> str:
        return f"<{type(self).__name__}: {self.name} ({self.content_type})>"

    @property
    def name(self) -> str | None:
        return self._name

    @name.setter
    def name(self, name: str | None) -> None:
        if name is not None:
            # Anything but the basename could escape the upload directory.
            name = os.path.basename(name)
            # Names longer than 255 characters break many file systems; keep the extension.
            if len(name) > 255:
                base, ext = os.path.splitext(name)
                ext = ext[:255]
                name = base[: 255 - len(ext)] + ext
            name = _validate_file_name(name)
        self._name = name


class TemporaryUploadedFile(UploadedFile):
    """An upload streamed to a temporary file in ``FILE_UPLOAD_TEMP_DIR``."""

    def __init__(
        self,
        name: str,
        content_type: str | None,
        size: int,
        charset: str | None,
        content_type_extra: dict[str, str] | None = None,
    ) -> None:
        _, ext = os.path.splitext(name)
        file = tempfile.NamedTemporaryFile(  # closed with the upload
            suffix=".upload" + ext, dir=settings.FILE_UPLOAD_TEMP_DIR
        )
        super().__init__(file, name, content_type, size, charset, content_type_extra)

    def temporary_file_path(self) -> str:
        """Return the full path of the temporary file."""
        return str(self.file.name)

    def close(self) -> None:
        try:
            self.file.close()
        except FileNotFoundError:
            # The file was moved away (e.g. by a storage) before the temp file could unlink it.
            pass


class InMemoryUploadedFile(UploadedFile):
    """An upload held in memory."""

    def __init__(
        self,
        file: IO[Any] | Any,
        field_name: str | None,
        name: str | None,
        content_type: str | None,
        size: int | None,
        charset: str | None,
        content_type_extra: dict[str, str] | None = None,
    ) -> None:
        super().__init__(file, name, content_type, size, charset, content_type_extra)
        self.field_name = field_name

    def open(self, mode: str | None = None, *args: Any, **kwargs: Any) -> InMemoryUploadedFile:
        self.file.seek(0)
        return self

    def chunks(self, chunk_size: int | None = None) -> Iterator[Any]:
        self.file.seek(0)
        yield self.read()

    def multiple_chunks(self, chunk_size: int | None = None) -> bool:
        return False


class SimpleUploadedFile(InMemoryUploadedFile):
    """An in-memory upload built from bytes, handy in tests."""

    def __init__(
        self, name: str, content: bytes | None, content_type: str | None = "text/plain"
    ) -> None:
        content = content or b""
        super().__init__(BytesIO(content), None, name, content_type, len(content), None, None)

    @classmethod
    def from_dict(cls, file_dict: dict[str, Any]) -> SimpleUploadedFile:
        """Build one from a dict with ``filename``, ``content`` and optional ``content-type``."""
        return cls(
            file_dict["filename"],
            file_dict["content"],
            file_dict.get("content-type", "text/plain"),
        )
