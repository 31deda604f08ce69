from __future__ import annotations

import os
from io import BytesIO, StringIO
from pathlib import Path
from typing import Any

import pytest

from fastjango.core.exceptions import SuspiciousFileOperation
from fastjango.core.files import File
from fastjango.core.files.base import ContentFile
from fastjango.core.files.uploadedfile import (
    InMemoryUploadedFile,
    SimpleUploadedFile,
    TemporaryUploadedFile,
    UploadedFile,
)
from fastjango.core.files.uploadhandler import (
    FileUploadHandler,
    MemoryFileUploadHandler,
    SkipFile,
    StopFutureHandlers,
    StopUpload,
    TemporaryFileUploadHandler,
    load_handler,
)
from fastjango.test.utils import override_settings


def test_file_wraps_a_file_object(tmp_path: Path) -> None:
    path = tmp_path / "data.txt"
    path.write_bytes(b"line 1\nline 2\r\nline 3")
    with open(path, "rb") as fh:
        f = File(fh)
        assert f.name == str(path)
        assert str(f) == str(path)
        assert repr(f) == f"<File: {path}>"
        assert bool(f)
        assert f.mode == "rb"
        assert f.size == len(f) == 21
        assert list(f) == [b"line 1\n", b"line 2\r\n", b"line 3"]
        assert f.readable() and f.seekable() and not f.writable()
        assert not f.closed
        f.seek(0)
        assert f.read(4) == b"line"
        assert f.tell() == 4
        f.seek(0)
        assert f.readline() == b"line 1\n"
    assert f.closed
    assert not f.readable() and not f.writable() and not f.seekable()


def test_file_reopens_by_path(tmp_path: Path) -> None:
    path = tmp_path / "data.txt"
    path.write_text("hello")
    f = File(open(path))
    f.read()
    assert f.open() is f and f.read() == "hello"
    f.close()
    with f.open("rb") as reopened:
        assert reopened.read() == b"hello"
    unnamed = File(BytesIO(b"x"))
    unnamed.close()
    with pytest.raises(ValueError, match="The file cannot be reopened."):
        unnamed.open()


def test_file_size_fallbacks() -> None:
    class Sized:
        size = 7

    assert File(Sized()).size == 7
    stream = BytesIO(b"12345")
    stream.seek(2)
    f = File(stream, name="n")
    assert f.size == 5
    assert stream.tell() == 2

    class Opaque:
        name = "/nonexistent/really"

    with pytest.raises(AttributeError, match="Unable to determine the file's size."):
        File(Opaque()).size  # noqa: B018


def test_file_chunks_and_lines_across_chunk_boundaries() -> None:
    f = File(BytesIO(b"ab\r\ncd\ref\ngh"), name="x")
    assert list(f.chunks(3)) == [b"ab\r", b"\ncd", b"\ref", b"\ngh"]
    assert f.multiple_chunks(3)
    assert not f.multiple_chunks()
    f.DEFAULT_CHUNK_SIZE = 3
    assert list(f) == [b"ab\r\n", b"cd\r", b"ef\n", b"gh"]
    text = File(StringIO("one\ntwo"), name="t")
    assert list(text) == ["one\n", "two"]


def test_file_chunks_on_unseekable_stream() -> None:
    class Pipe:
        def __init__(self) -> None:
            self.data = [b"ab", b""]

        def read(self, size: int) -> bytes:
            return self.data.pop(0)

        def seek(self, pos: int) -> None:
            raise AttributeError("not seekable")

    assert list(File(Pipe(), name="p").chunks()) == [b"ab"]


def test_file_proxies_file_api() -> None:
    stream = BytesIO()
    f = File(stream, name="x")
    f.write(b"abc")
    f.writelines([b"d"])
    f.flush()
    f.truncate(3)
    assert stream.getvalue() == b"abc"
    assert f.isatty() is False
    buf = bytearray(2)
    f.seek(0)
    assert f.readinto(buf) == 2
    assert f.readlines() == [b"c"]
    assert f.fileno == stream.fileno
    text = File(open(os.devnull, "w"))
    assert text.writable()
    assert text.encoding
    assert text.newlines is None
    text.close()

    class Bare:
        closed = False
        mode = "wb"

        def __iter__(self) -> Any:
            return iter([b"x"])

    bare = File(Bare(), name="b")
    assert bare.readable() and bare.seekable() and bare.writable()
    assert list(_proxy_iter(bare)) == [b"x"]


def _proxy_iter(f: File) -> Any:
    # The proxy mixin's own __iter__ (File overrides it with line splitting).
    from fastjango.core.files.base import FileProxyMixin

    return FileProxyMixin.__iter__(f)


def test_content_file() -> None:
    f = ContentFile(b"content", name="c.txt")
    assert f.size == 7
    assert str(f) == "Raw content"
    assert bool(ContentFile(b""))
    assert f.read() == b"content"
    assert f.open() is f and f.read() == b"content"
    f.close()
    assert f.read() == b""
    f.seek(0, 2)
    assert f.write(b"++") == 2
    assert f.size == 9
    text = ContentFile("text")
    assert text.read() == "text"
    assert text.name is None


def test_uploaded_file_names_are_sanitised() -> None:
    f = UploadedFile(BytesIO(b""), name="../../etc/passwd", content_type="text/plain", size=0)
    assert f.name == "passwd"
    assert repr(f) == "<UploadedFile: passwd (text/plain)>"
    long_name = "a" * 300 + ".txt"
    assert UploadedFile(name=long_name).name == "a" * 251 + ".txt"
    assert len(UploadedFile(name="." + "b" * 300).name or "") == 255
    with pytest.raises(SuspiciousFileOperation, match="Could not derive file name from '..'"):
        UploadedFile(name="..")
    assert UploadedFile().name is None


def test_in_memory_and_simple_uploaded_files() -> None:
    f = SimpleUploadedFile("hello.txt", b"hello world")
    assert f.size == 11
    assert f.content_type == "text/plain"
    assert f.field_name is None
    assert list(f.chunks()) == [b"hello world"]
    assert not f.multiple_chunks()
    f.read()
    assert f.open() is f and f.read() == b"hello world"
    assert SimpleUploadedFile("empty.txt", None).size == 0
    from_dict = SimpleUploadedFile.from_dict({"filename": "d.bin", "content": b"x"})
    assert (from_dict.name, from_dict.content_type) == ("d.bin", "text/plain")
    mem = InMemoryUploadedFile(BytesIO(b"z"), "field", "z.txt", "text/plain", 1, "utf-8")
    assert (mem.field_name, mem.charset) == ("field", "utf-8")


def test_temporary_uploaded_file(tmp_path: Path) -> None:
    with override_settings(FILE_UPLOAD_TEMP_DIR=str(tmp_path)):
        f = TemporaryUploadedFile("photo.jpg", "image/jpeg", 0, None)
    path = f.temporary_file_path()
    assert os.path.dirname(path) == str(tmp_path)
    assert path.endswith(".upload.jpg")
    f.write(b"data")
    f.seek(0)
    assert f.read() == b"data"
    os.remove(path)
    f.close()  # the file was moved away: closing must not fail
    assert not os.path.exists(path)


def test_memory_upload_handler_activates_for_small_bodies() -> None:
    handler = MemoryFileUploadHandler()
    handler.handle_raw_input(None, {}, 10, b"boundary")
    with pytest.raises(StopFutureHandlers):
        handler.new_file("f", "a.txt", "text/plain", 3, "utf-8", {"charset": "utf-8"})
    assert handler.receive_data_chunk(b"abc", 0) is None
    uploaded = handler.file_complete(3)
    assert isinstance(uploaded, InMemoryUploadedFile)
    assert (uploaded.name, uploaded.size, uploaded.read()) == ("a.txt", 3, b"abc")
    assert uploaded.content_type_extra == {"charset": "utf-8"}

    big = MemoryFileUploadHandler()
    with override_settings(FILE_UPLOAD_MAX_MEMORY_SIZE=5):
        big.handle_raw_input(None, {}, 10, b"boundary")
    big.new_file("f", "a.txt", "text/plain", None)
    assert big.receive_data_chunk(b"abc", 0) == b"abc"
    assert big.file_complete(3) is None


def test_temporary_upload_handler(tmp_path: Path) -> None:
    handler = TemporaryFileUploadHandler()
    with override_settings(FILE_UPLOAD_TEMP_DIR=str(tmp_path)):
        handler.new_file("f", "a.bin", "application/octet-stream", None)
    assert handler.receive_data_chunk(b"xyz", 0) is None
    uploaded = handler.file_complete(3)
    assert isinstance(uploaded, TemporaryUploadedFile)
    assert uploaded.read() == b"xyz" and uploaded.size == 3
    path = uploaded.temporary_file_path()
    handler.upload_interrupted()
    assert not os.path.exists(path)
    # Interrupting twice, or before any file, is harmless.
    handler.upload_interrupted()
    TemporaryFileUploadHandler().upload_interrupted()


def test_base_handler_contract() -> None:
    handler = FileUploadHandler(request=None)
    assert handler.handle_raw_input(None, {}, 0, b"b") is None
    assert handler.upload_complete() is None
    handler.upload_interrupted()
    with pytest.raises(NotImplementedError, match="receive_data_chunk"):
        handler.receive_data_chunk(b"", 0)
    with pytest.raises(NotImplementedError, match="file_complete"):
        handler.file_complete(0)


def test_load_handler_and_exceptions() -> None:
    handler = load_handler("fastjango.core.files.uploadhandler.MemoryFileUploadHandler", None)
    assert isinstance(handler, MemoryFileUploadHandler)
    assert str(StopUpload()) == "StopUpload: Consume request data, then halt."
    assert str(StopUpload(connection_reset=True)) == "StopUpload: Halt current upload."
    assert issubclass(SkipFile, Exception)
