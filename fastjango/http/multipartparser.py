"""Parse ``multipart/form-data`` bodies into ``POST`` and ``FILES``, with python-multipart.

The parser streams each file part through the request's upload handlers (see
``fastjango.core.files.uploadhandler``) and enforces Django's limits:
``DATA_UPLOAD_MAX_NUMBER_FIELDS``, ``DATA_UPLOAD_MAX_NUMBER_FILES`` and
``DATA_UPLOAD_MAX_MEMORY_SIZE`` (for the non-file fields).
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Protocol

from python_multipart.exceptions import FormParserError
from python_multipart.multipart import MultipartParser, MultipartState

from fastjango.conf import settings
from fastjango.core.exceptions import (
    RequestDataTooBig,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from fastjango.core.files.uploadhandler import (
    FileUploadHandler,
    SkipFile,
    StopFutureHandlers,
    StopUpload,
)
from fastjango.utils.datastructures import MultiValueDict
from fastjango.utils.http import parse_header_parameters

if TYPE_CHECKING:
    from python_multipart.multipart import MultipartCallbacks

    from fastjango.http.request import QueryDict

__all__ = ["MultiPartParser", "MultiPartParserError", "TooManyFilesSent"]

_FIELD = "field"
_FILE = "file"
_SKIP = "skip"


class MultiPartParserError(Exception):
    """The multipart body is malformed; answered with a 400."""


class _Readable(Protocol):
    def read(self, size: int = ..., /) -> bytes: ...


class MultiPartParser:
    """Parse a ``multipart/form-data`` body; ``parse()`` returns ``(POST, FILES)``."""

    boundary_re = re.compile(r"[ -~]{0,200}[!-~]")

    def __init__(
        self,
        META: Mapping[str, Any],
        input_data: _Readable,
        upload_handlers: Sequence[FileUploadHandler],
        encoding: str | None = None,
    ) -> None:
        content_type = META.get("CONTENT_TYPE", "")
        if not content_type.startswith("multipart/"):
            raise MultiPartParserError(f"Invalid Content-Type: {content_type}")
        if not content_type.isascii():
            raise MultiPartParserError(
                f"Invalid non-ASCII Content-Type in multipart: {content_type}"
            )
        _, opts = parse_header_parameters(content_type)
        boundary = opts.get("boundary")
        if not boundary or not self.boundary_re.fullmatch(boundary):
            raise MultiPartParserError(f"Invalid boundary in multipart: {boundary}")
        try:
            content_length = int(META.get("CONTENT_LENGTH", 0))
        except (ValueError, TypeError):
            content_length = 0
        if content_length < 0:
            raise MultiPartParserError(f"Invalid content length: {content_length!r}")
        self._boundary = boundary.encode("ascii")
        self._input_data = input_data
        # Chunks stay below 2**31 for 32-bit network APIs, and divisible by 4 for base64.
        sizes = [h.chunk_size for h in upload_handlers if h.chunk_size]
        self._chunk_size = min([2**31 - 4, *sizes])
        self._meta = META
        self._encoding = encoding or settings.DEFAULT_CHARSET
        self._content_length = content_length
        self._upload_handlers = upload_handlers

    def parse(self) -> tuple[QueryDict, MultiValueDict]:
        """Parse the body and return ``(POST, FILES)``; close open files on error."""
        try:
            return self._parse()
        except Exception:
            if hasattr(self, "_files"):
                for _, files in self._files.lists():
                    for fileobj in files:
                        fileobj.close()
            raise

    def _parse(self) -> tuple[QueryDict, MultiValueDict]:
        from fastjango.http.request import QueryDict

        handlers = self._upload_handlers
        # A handler may take over the whole body (e.g. to store it elsewhere).
        for handler in handlers:
            result = handler.handle_raw_input(
                self._input_data,
                dict(self._meta),
                self._content_length,
                self._boundary,
                self._encoding,
            )
            if result is not None:
                return result[0], result[1]

        self._post = QueryDict(mutable=True)
        self._files = MultiValueDict()
        self._max_fields = settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
        self._max_files = settings.DATA_UPLOAD_MAX_NUMBER_FILES
        self._max_memory = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        self._num_post_keys = 0
        self._num_files = 0
        self._num_bytes_read = 0
        self._file_open = False
        self._header_field = bytearray()
        self._header_value = bytearray()
        self._part_headers: dict[str, str] = {}
        self._kind = _SKIP
        self._field_name = ""
        self._field_data = bytearray()
        self._counters: list[int] = []

        callbacks: MultipartCallbacks = {
            "on_part_begin": self._on_part_begin,
            "on_header_field": self._on_header_field,
            "on_header_value": self._on_header_value,
            "on_header_end": self._on_header_end,
            "on_headers_finished": self._on_headers_finished,
            "on_part_data": self._on_part_data,
            "on_part_end": self._on_part_end,
        }
        parser = MultipartParser(self._boundary, callbacks)
        try:
            while chunk := self._input_data.read(self._chunk_size):
                parser.write(chunk)
            if parser.state != MultipartState.END:
                raise MultiPartParserError("The multipart body ended before its closing boundary.")
        except StopUpload as e:
            self._close_files()
            if not e.connection_reset:
                _exhaust(self._input_data)
        except FormParserError as e:
            self._interrupt()
            raise MultiPartParserError(f"Invalid multipart body: {e}") from e
        except Exception:
            self._interrupt()
            raise
        # any() stops at the first handler whose upload_complete() returns something.
        any(handler.upload_complete() for handler in handlers)
        self._post._mutable = False
        return self._post, self._files

    # -- parser callbacks -----------------------------------------------------------------

    def _on_part_begin(self) -> None:
        self._part_headers = {}
        self._kind = _SKIP

    def _on_header_field(self, data: bytes, start: int, end: int) -> None:
        self._header_field += data[start:end]

    def _on_header_value(self, data: bytes, start: int, end: int) -> None:
        self._header_value += data[start:end]

    def _on_header_end(self) -> None:
        name = self._header_field.decode("latin-1").strip().lower()
        value = self._header_value.decode(self._encoding, errors="replace").strip()
        self._part_headers[name] = value
        self._header_field.clear()
        self._header_value.clear()

    def _on_headers_finished(self) -> None:
        disposition, params = parse_header_parameters(
            self._part_headers.get("content-disposition", "")
        )
        name = params.get("name")
        if disposition != "form-data" or name is None:
            # Parts that are not form fields carry nothing for POST or FILES.
            self._kind = _SKIP
            return
        self._field_name = name.strip()
        if "filename" not in params:
            self._start_field()
        else:
            self._start_file(params["filename"])

    def _start_field(self) -> None:
        self._num_post_keys += 1
        if self._max_fields is not None and self._num_post_keys > self._max_fields:
            raise TooManyFieldsSent(
                "The number of GET/POST parameters exceeded settings.DATA_UPLOAD_MAX_NUMBER_FIELDS."
            )
        self._kind = _FIELD
        self._field_data.clear()
        # Count "&=" too, so that the limit matches the urlencoded one.
        self._count_field_bytes(len(self._field_name) + 2)

    def _count_field_bytes(self, size: int) -> None:
        self._num_bytes_read += size
        if self._max_memory is not None and self._num_bytes_read > self._max_memory:
            raise RequestDataTooBig("Request body exceeded settings.DATA_UPLOAD_MAX_MEMORY_SIZE.")

    def _start_file(self, raw_file_name: str) -> None:
        self._num_files += 1
        if self._max_files is not None and self._num_files > self._max_files:
            raise TooManyFilesSent(
                "The number of files exceeded settings.DATA_UPLOAD_MAX_NUMBER_FILES."
            )
        file_name = self.sanitize_file_name(raw_file_name)
        if not file_name:
            # An empty file input sends filename="": there is no file.
            self._kind = _SKIP
            return
        content_type, content_type_extra = parse_header_parameters(
            self._part_headers.get("content-type", "")
        )
        try:
            content_length: int | None = int(self._part_headers["content-length"])
        except (KeyError, ValueError):
            content_length = None
        self._counters = [0] * len(self._upload_handlers)
        self._kind = _FILE
        self._file_open = True
        try:
            for handler in self._upload_handlers:
                try:
                    handler.new_file(
                        self._field_name,
                        file_name,
                        content_type.strip(),
                        content_length,
                        content_type_extra.get("charset"),
                        content_type_extra,
                    )
                except StopFutureHandlers:
                    break
        except SkipFile:
            self._skip_file()

    def _skip_file(self) -> None:
        self._close_files()
        self._file_open = False
        self._kind = _SKIP

    def _on_part_data(self, data: bytes, start: int, end: int) -> None:
        if self._kind == _FIELD:
            self._count_field_bytes(end - start)
            self._field_data += data[start:end]
        elif self._kind == _FILE:
            chunk = data[start:end]
            try:
                for i, handler in enumerate(self._upload_handlers):
                    passed_on = handler.receive_data_chunk(chunk, self._counters[i])
                    self._counters[i] += len(chunk)
                    if passed_on is None:
                        # This handler consumed the chunk; later ones don't see it.
                        break
                    chunk = passed_on
            except SkipFile:
                self._skip_file()

    def _on_part_end(self) -> None:
        if self._kind == _FIELD:
            value = self._field_data.decode(self._encoding, errors="replace")
            self._post.appendlist(self._field_name, value)
        elif self._kind == _FILE:
            self._file_open = False
            for i, handler in enumerate(self._upload_handlers):
                file_obj = handler.file_complete(self._counters[i])
                if file_obj:
                    self._files.appendlist(self._field_name, file_obj)
                    break
        self._kind = _SKIP

    # -- helpers --------------------------------------------------------------------------

    def _interrupt(self) -> None:
        # A file was started but never completed: let the handlers remove partial data.
        if self._file_open:
            for handler in self._upload_handlers:
                handler.upload_interrupted()

    def _close_files(self) -> None:
        # Upload handlers keep the file they are writing as ``handler.file``.
        for handler in self._upload_handlers:
            if hasattr(handler, "file"):
                handler.file.close()

    def sanitize_file_name(self, file_name: str) -> str | None:
        """Return a safe basename for an uploaded ``file_name``, or ``None`` if none is left.

        HTML entities are decoded, any directory part (``/`` or ``\\``) is dropped
        and non-printable characters are removed.
        """
        file_name = html.unescape(file_name)
        file_name = file_name.rsplit("/")[-1]
        file_name = file_name.rsplit("\\")[-1]
        file_name = "".join(char for char in file_name if char.isprintable())
        if file_name in {"", ".", ".."}:
            return None
        return file_name

    IE_sanitize = sanitize_file_name


def _exhaust(stream: _Readable) -> None:
    while stream.read(64 * 1024):
        pass
