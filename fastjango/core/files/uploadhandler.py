"""Upload handlers: where the multipart parser streams uploaded files (``FILE_UPLOAD_HANDLERS``)."""

from __future__ import annotations

import os
from io import BytesIO
from typing import TYPE_CHECKING, Any

from fastjango.conf import settings
from fastjango.core.files.uploadedfile import (
    InMemoryUploadedFile,
    TemporaryUploadedFile,
    UploadedFile,
)
from fastjango.utils.module_loading import import_string

if TYPE_CHECKING:
    from fastjango.http.request import HttpRequest

__all__ = [
    "FileUploadHandler",
    "MemoryFileUploadHandler",
    "SkipFile",
    "StopFutureHandlers",
    "StopUpload",
    "TemporaryFileUploadHandler",
    "UploadFileException",
    "load_handler",
]


class UploadFileException(Exception):
    """Base class of the exceptions upload handlers raise to steer the parser."""


class StopUpload(UploadFileException):
    """Stop the whole upload; ``connection_reset`` skips reading the rest of the body."""

    def __init__(self, connection_reset: bool = False) -> None:
        self.connection_reset = connection_reset

    def __str__(self) -> str:
        if self.connection_reset:
            return "StopUpload: Halt current upload."
        return "StopUpload: Consume request data, then halt."


class SkipFile(UploadFileException):
    """Skip the file being uploaded; the parser moves on to the next part."""


class StopFutureHandlers(UploadFileException):
    """Stop later handlers from seeing the current file."""


class FileUploadHandler:
    """Base class of upload handlers: receive a file's data in chunks and return the file.

    Subclasses implement ``receive_data_chunk()`` and ``file_complete()``.
    """

    chunk_size = 64 * 2**10

    def __init__(self, request: HttpRequest | None = None) -> None:
        self.file_name: str | None = None
        self.content_type: str | None = None
        self.content_length: int | None = None
        self.charset: str | None = None
        self.content_type_extra: dict[str, str] | None = None
        self.request = request

    def handle_raw_input(
        self,
        input_data: Any,
        META: dict[str, Any],
        content_length: int,
        boundary: bytes,
        encoding: str | None = None,
    ) -> tuple[Any, Any] | None:
        """Return ``(POST, FILES)`` to take over parsing entirely, or ``None`` to let it run."""
        return None

    def new_file(
        self,
        field_name: str,
        file_name: str,
        content_type: str,
        content_length: int | None,
        charset: str | None = None,
        content_type_extra: dict[str, str] | None = None,
    ) -> None:
        """Start a new file; raise ``StopFutureHandlers`` to keep it from later handlers."""
        self.field_name = field_name
        self.file_name = file_name
        self.content_type = content_type
        self.content_length = content_length
        self.charset = charset
        self.content_type_extra = content_type_extra

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        """Take a chunk; return it to pass it on to the next handler, or ``None`` to consume it."""
        raise NotImplementedError(
            "subclasses of FileUploadHandler must provide a receive_data_chunk() method"
        )

    def file_complete(self, file_size: int) -> UploadedFile | None:
        """Return the finished ``UploadedFile``, or ``None`` to let a later handler answer."""
        raise NotImplementedError(
            "subclasses of FileUploadHandler must provide a file_complete() method"
        )

    def upload_complete(self) -> bool | None:
        """Called once the whole body has been parsed; a true result skips later handlers."""
        return None

    def upload_interrupted(self) -> None:
        """Called when parsing stops with an error; clean up partial files here."""


class TemporaryFileUploadHandler(FileUploadHandler):
    """Stream each file to a temporary file on disk."""

    file: TemporaryUploadedFile

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.file = TemporaryUploadedFile(
            self.file_name or "", self.content_type, 0, self.charset, self.content_type_extra
        )

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        self.file.write(raw_data)
        return None

    def file_complete(self, file_size: int) -> UploadedFile | None:
        self.file.seek(0)
        self.file.size = file_size
        return self.file

    def upload_interrupted(self) -> None:
        if hasattr(self, "file"):
            temp_location = self.file.temporary_file_path()
            try:
                self.file.close()
                os.remove(temp_location)
            except FileNotFoundError:
                pass


class MemoryFileUploadHandler(FileUploadHandler):
    """Keep files in memory when the whole body fits in ``FILE_UPLOAD_MAX_MEMORY_SIZE``."""

    activated = False

    def handle_raw_input(
        self,
        input_data: Any,
        META: dict[str, Any],
        content_length: int,
        boundary: bytes,
        encoding: str | None = None,
    ) -> tuple[Any, Any] | None:
        self.activated = content_length <= settings.FILE_UPLOAD_MAX_MEMORY_SIZE
        return None

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        if self.activated:
            self.file = BytesIO()
            raise StopFutureHandlers()

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        if self.activated:
            self.file.write(raw_data)
            return None
        return raw_data

    def file_complete(self, file_size: int) -> UploadedFile | None:
        if not self.activated:
            return None
        self.file.seek(0)
        return InMemoryUploadedFile(
            file=self.file,
            field_name=self.field_name,
            name=self.file_name,
            content_type=self.content_type,
            size=file_size,
            charset=self.charset,
            content_type_extra=self.content_type_extra,
        )


def load_handler(path: str, *args: Any, **kwargs: Any) -> FileUploadHandler:
    """Import the upload handler class at dotted ``path`` and instantiate it."""
    handler: FileUploadHandler = import_string(path)(*args, **kwargs)
    return handler
