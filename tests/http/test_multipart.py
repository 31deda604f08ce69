from __future__ import annotations

import os
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest

from fastjango.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from fastjango.core.files.uploadedfile import (
    InMemoryUploadedFile,
    TemporaryUploadedFile,
    UploadedFile,
)
from fastjango.core.files.uploadhandler import (
    FileUploadHandler,
    MemoryFileUploadHandler,
    SkipFile,
    StopUpload,
)
from fastjango.http import HttpRequest, QueryDict, RawPostDataException
from fastjango.http.multipartparser import MultiPartParser, MultiPartParserError
from fastjango.test.utils import override_settings
from fastjango.utils.datastructures import MultiValueDict
from tests.http.asgi import make_scope, multipart_body, read_request, receive_from

pytestmark = pytest.mark.anyio


async def upload(
    fields: list[tuple[str, str]] | None = None,
    files: list[tuple[str, str, bytes, str]] | None = None,
    **kwargs: Any,
) -> HttpRequest:
    body, content_type = multipart_body(fields or [], files or [])
    return await read_request(body, content_type, **kwargs)


async def test_fields_and_files() -> None:
    request = await upload(
        fields=[("title", "caf\xe9"), ("tag", "a"), ("tag", "b")],
        files=[("doc", "notes.txt", b"hello\r\nworld", "text/plain; charset=utf-8")],
    )
    assert request.POST["title"] == "caf\xe9"
    assert request.POST.getlist("tag") == ["a", "b"]
    with pytest.raises(AttributeError, match="immutable"):
        request.POST["x"] = "1"
    uploaded = request.FILES["doc"]
    assert isinstance(uploaded, InMemoryUploadedFile)
    assert (uploaded.name, uploaded.size) == ("notes.txt", 12)
    assert uploaded.content_type == "text/plain"
    assert uploaded.charset == "utf-8"
    assert uploaded.field_name == "doc"
    assert uploaded.read() == b"hello\r\nworld"
    # The body stream was consumed by the parser, as in Django.
    with pytest.raises(RawPostDataException):
        request.body  # noqa: B018
    request.close()
    assert uploaded.closed


async def test_post_parsed_from_the_cached_body() -> None:
    body, content_type = multipart_body([("a", "1")])
    request = await read_request(body, content_type)
    assert request.body == body
    assert request.POST["a"] == "1"
    assert request.FILES == {}


async def test_file_names_are_sanitised() -> None:
    request = await upload(
        files=[
            ("a", "../../etc/passwd", b"1", "text/plain"),
            ("b", "C:\\Users\\me\\evil.exe", b"2", "application/octet-stream"),
            ("c", "&#x2e;&#x2e;", b"3", "text/plain"),
            ("d", "ta\x07b.txt", b"4", "text/plain"),
            ("e", "", b"", "application/octet-stream"),
        ]
    )
    assert request.FILES["a"].name == "passwd"
    assert request.FILES["b"].name == "evil.exe"
    assert "c" not in request.FILES  # ".." is no file name
    assert request.FILES["d"].name == "tab.txt"
    assert "e" not in request.FILES  # an empty file input
    request.close()


async def test_rfc2231_file_name() -> None:
    boundary = "B"
    body = (
        b"--B\r\nContent-Disposition: form-data; name=\"f\"; filename*=UTF-8''na%C3%AFve.txt"
        b"\r\n\r\ncontent\r\n--B--\r\n"
    )
    request = await read_request(body, f"multipart/form-data; boundary={boundary}")
    assert request.FILES["f"].name == "na\xefve.txt"
    request.close()


async def test_parts_without_a_form_field_are_skipped() -> None:
    body = (
        b'--B\r\nContent-Disposition: attachment; name="x"\r\n\r\nskipped\r\n'
        b"--B\r\nContent-Type: text/plain\r\n\r\nno disposition\r\n"
        b"--B\r\nContent-Disposition: form-data\r\n\r\nno name\r\n"
        b'--B\r\nContent-Disposition: form-data; name="kept"\r\n\r\nyes\r\n--B--\r\n'
    )
    request = await read_request(body, "multipart/form-data; boundary=B")
    assert dict(request.POST.lists()) == {"kept": ["yes"]}


async def test_large_files_go_to_temporary_files(tmp_path: Path) -> None:
    content = os.urandom(5000)
    with override_settings(FILE_UPLOAD_MAX_MEMORY_SIZE=1000, FILE_UPLOAD_TEMP_DIR=str(tmp_path)):
        request = await upload(
            files=[("big", "big.bin", content, "application/octet-stream")], chunk_size=700
        )
        uploaded = request.FILES["big"]
    assert isinstance(uploaded, TemporaryUploadedFile)
    assert uploaded.size == 5000
    assert uploaded.read() == content
    assert os.path.dirname(uploaded.temporary_file_path()) == str(tmp_path)
    request.close()


async def test_file_uploads_are_not_limited_by_data_upload_max_memory_size() -> None:
    content = b"x" * 2000
    with override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1000):
        request = await upload(fields=[("a", "1")], files=[("f", "f.txt", content, "text/plain")])
        assert request.FILES["f"].read() == content
        # The raw body itself is still too big to be held.
        with pytest.raises(RequestDataTooBig):
            (await upload(files=[("f", "f.txt", content, "text/plain")])).body  # noqa: B018
    request.close()


async def test_field_data_is_limited() -> None:
    with override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=50):
        request = await upload(fields=[("a", "x" * 40), ("b", "y" * 20)])
        with pytest.raises(RequestDataTooBig, match="DATA_UPLOAD_MAX_MEMORY_SIZE"):
            request.POST  # noqa: B018


async def test_number_of_fields_and_files_is_limited() -> None:
    with override_settings(DATA_UPLOAD_MAX_NUMBER_FIELDS=2):
        request = await upload(fields=[("a", "1"), ("b", "2"), ("c", "3")])
        with pytest.raises(TooManyFieldsSent):
            request.POST  # noqa: B018
    with override_settings(DATA_UPLOAD_MAX_NUMBER_FILES=1):
        request = await upload(
            files=[("a", "a.txt", b"1", "text/plain"), ("b", "b.txt", b"2", "text/plain")]
        )
        with pytest.raises(TooManyFilesSent, match="DATA_UPLOAD_MAX_NUMBER_FILES"):
            request.FILES  # noqa: B018
        # After a failed parse POST and FILES are empty rather than parsed again.
        assert request.POST == {} and request.FILES == {}
        assert request._post_parse_error


@pytest.mark.parametrize(
    ("content_type", "message"),
    [
        ("multipart/form-data", "Invalid boundary in multipart: None"),
        ("multipart/form-data; boundary=" + "x" * 300, "Invalid boundary"),
        ("multipart/form-data; boundary=caf\xe9", "Invalid non-ASCII Content-Type"),
    ],
)
async def test_bad_content_type(content_type: str, message: str) -> None:
    request = await read_request(b"--x--\r\n", content_type)
    with pytest.raises(MultiPartParserError, match=message):
        request.POST  # noqa: B018


async def test_truncated_and_malformed_bodies() -> None:
    body, content_type = multipart_body([("a", "1")])
    request = await read_request(body[:-10], content_type)
    with pytest.raises(MultiPartParserError, match="ended before its closing boundary"):
        request.POST  # noqa: B018
    request = await read_request(b"garbage without boundary", content_type)
    with pytest.raises(MultiPartParserError, match="Invalid multipart body"):
        request.POST  # noqa: B018


async def test_interrupted_upload_removes_the_partial_file(tmp_path: Path) -> None:
    body, content_type = multipart_body(files=[("f", "f.bin", b"x" * 3000, "text/plain")])
    with override_settings(FILE_UPLOAD_MAX_MEMORY_SIZE=100, FILE_UPLOAD_TEMP_DIR=str(tmp_path)):
        request = await read_request(body[:-100], content_type)
        with pytest.raises(MultiPartParserError):
            request.FILES  # noqa: B018
    request.close()
    assert list(tmp_path.iterdir()) == []


async def test_upload_handlers_can_be_replaced_until_parsing() -> None:
    class Recorder(FileUploadHandler):
        def __init__(self, request: HttpRequest | None = None) -> None:
            super().__init__(request)
            self.chunks: list[bytes] = []
            self.completed = False

        def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
            self.chunks.append(raw_data)
            return None

        def file_complete(self, file_size: int) -> UploadedFile | None:
            return UploadedFile(BytesIO(b"".join(self.chunks)), self.file_name, size=file_size)

        def upload_complete(self) -> bool | None:
            self.completed = True
            return None

    request = await upload(files=[("f", "a.txt", b"data", "text/plain")])
    recorder = Recorder(request)
    request.upload_handlers = [recorder]
    assert request.FILES["f"].read() == b"data"
    assert recorder.completed
    with pytest.raises(AttributeError, match="after the upload has been processed"):
        request.upload_handlers = []
    with pytest.raises(AttributeError, match="cannot alter upload handlers"):
        request.upload_handlers.append(recorder)


async def test_default_upload_handlers_come_from_settings() -> None:
    request = HttpRequest(make_scope())
    assert [type(h).__name__ for h in request.upload_handlers] == [
        "MemoryFileUploadHandler",
        "TemporaryFileUploadHandler",
    ]


class SkippingHandler(FileUploadHandler):
    skip_in = "new_file"

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        if self.skip_in == "new_file" and self.file_name == "skip.txt":
            raise SkipFile()

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        if self.skip_in == "data" and self.file_name == "skip.txt":
            raise SkipFile()
        return raw_data

    def file_complete(self, file_size: int) -> UploadedFile | None:
        return None


@pytest.mark.parametrize("skip_in", ["new_file", "data"])
async def test_skip_file(skip_in: str) -> None:
    request = await upload(
        files=[("a", "skip.txt", b"1", "text/plain"), ("b", "keep.txt", b"2", "text/plain")]
    )
    handler = SkippingHandler(request)
    handler.skip_in = skip_in
    request.upload_handlers = [handler, MemoryFileUploadHandler(request)]
    assert list(request.FILES) == ["b"]
    assert request.FILES["b"].read() == b"2"
    request.close()


@pytest.mark.parametrize("connection_reset", [False, True])
async def test_stop_upload(connection_reset: bool) -> None:
    class Stopper(FileUploadHandler):
        file = BytesIO()
        chunk_size = 16  # so that data is left to drain after the stop

        def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
            raise StopUpload(connection_reset=connection_reset)

        def file_complete(self, file_size: int) -> UploadedFile | None:
            return None

    request = await upload(
        fields=[("a", "1")],
        files=[("f", "f.txt", b"x" * 100, "text/plain"), ("g", "g.txt", b"y", "text/plain")],
    )
    request.upload_handlers = [Stopper(request)]
    assert request.POST["a"] == "1"
    assert request.FILES == {}
    assert Stopper.file.closed


async def test_handler_can_take_over_raw_input() -> None:
    class TakeOver(FileUploadHandler):
        def handle_raw_input(
            self,
            input_data: Any,
            META: dict[str, Any],
            content_length: int,
            boundary: bytes,
            encoding: str | None = None,
        ) -> tuple[Any, Any] | None:
            assert boundary == b"BoUnDaRy"
            return QueryDict("taken=1"), MultiValueDict()

    request = await upload(fields=[("a", "1")])
    request.upload_handlers = [TakeOver(request)]
    assert request.POST == {"taken": ["1"]}


async def test_chunked_multipart_uses_the_body_size_for_memory_handler() -> None:
    body, content_type = multipart_body(files=[("f", "f.txt", b"x" * 300, "text/plain")])
    with override_settings(FILE_UPLOAD_MAX_MEMORY_SIZE=100):
        request = await read_request(body, content_type, chunked=True)
        assert isinstance(request.FILES["f"], TemporaryUploadedFile)
    request.close()


def test_parser_validates_its_input() -> None:
    meta = {"CONTENT_TYPE": "text/plain"}
    with pytest.raises(MultiPartParserError, match="Invalid Content-Type: text/plain"):
        MultiPartParser(meta, BytesIO(), [])
    meta = {"CONTENT_TYPE": "multipart/form-data; boundary=b", "CONTENT_LENGTH": "-1"}
    with pytest.raises(MultiPartParserError, match="Invalid content length: -1"):
        MultiPartParser(meta, BytesIO(), [])
    meta = {"CONTENT_TYPE": "multipart/form-data; boundary=b", "CONTENT_LENGTH": "junk"}
    parser = MultiPartParser(meta, BytesIO(b"--b--\r\n"), [])
    post, files = parser.parse()
    assert post == {} and files == {}
    assert parser.sanitize_file_name("a/b\\c") == "c"
    assert parser.IE_sanitize("..") is None


async def test_receive_channel_for_multipart_request() -> None:
    body, content_type = multipart_body([("a", "1")])
    scope = make_scope(
        method="POST",
        headers=[(b"content-type", content_type.encode()), (b"content-length", b"%d" % len(body))],
    )
    request = HttpRequest(scope, receive_from([body[:5], body[5:]]))
    await request._aread_body()
    assert request.POST["a"] == "1"
