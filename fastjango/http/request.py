"""``HttpRequest`` over an ASGI scope, ``QueryDict`` and ``HttpHeaders``."""

from __future__ import annotations

import codecs
import copy
import datetime
import operator
import re
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from io import BytesIO
from itertools import chain
from typing import IO, TYPE_CHECKING, Any
from urllib.parse import parse_qsl, quote, urljoin, urlsplit
from urllib.parse import urlencode as _urlencode

import anyio.to_thread

from fastjango.conf import settings
from fastjango.core.exceptions import (
    BadRequest,
    DisallowedHost,
    ImproperlyConfigured,
    RequestAborted,
    RequestDataTooBig,
    TooManyFieldsSent,
)
from fastjango.core.files import uploadhandler
from fastjango.http._settings import per_request_setting
from fastjango.http.cookie import parse_cookie
from fastjango.http.multipartparser import MultiPartParser, MultiPartParserError, TooManyFilesSent
from fastjango.utils.datastructures import (
    CaseInsensitiveMapping,
    ImmutableList,
    MultiValueDict,
)
from fastjango.utils.encoding import escape_uri_path, iri_to_uri, repercent_broken_unicode
from fastjango.utils.functional import cached_property
from fastjango.utils.http import is_same_domain, parse_header_parameters

if TYPE_CHECKING:
    from starlette.requests import Request as StarletteRequest
    from starlette.types import Message, Receive, Scope

__all__ = [
    "RAISE_ERROR",
    "HttpHeaders",
    "HttpRequest",
    "MediaType",
    "QueryDict",
    "RawPostDataException",
    "UnreadablePostError",
    "bytes_to_text",
    "split_domain_port",
    "validate_host",
]

host_validation_re = re.compile(r"^([a-z0-9.-]+|\[[a-f0-9]*:[a-f0-9.:]+\])(?::([0-9]+))?$")

_HTTP1 = frozenset({"1.0", "1.1"})


_BODY_NOT_READ = (
    "The request body has not been read yet: await request._aread_body() before using "
    "request.body, request.POST or request.FILES (the request handler does this before "
    "calling a view)."
)


# The default of ``get_signed_cookie()``: raise instead of returning a default.
RAISE_ERROR = object()


class UnreadablePostError(OSError):
    """The request body could not be read."""


class RawPostDataException(Exception):
    """``request.body`` was accessed after the body stream had been read (e.g. by ``POST``)."""


class HttpHeaders(CaseInsensitiveMapping[str]):
    """The request headers, case-insensitive; ``_`` and ``-`` are interchangeable in lookups."""

    HTTP_PREFIX = "HTTP_"
    # PEP 3333 puts these two in the environ without the HTTP_ prefix.
    UNPREFIXED_HEADERS = {"CONTENT_TYPE", "CONTENT_LENGTH"}

    def __init__(self, environ: Mapping[str, Any]) -> None:
        headers = {}
        for header, value in environ.items():
            name = self.parse_header_name(header)
            if name:
                headers[name] = value
        super().__init__(headers)

    def __getitem__(self, key: str) -> str:
        return super().__getitem__(key.replace("_", "-"))

    @classmethod
    def parse_header_name(cls, header: str) -> str | None:
        """Turn a META key such as ``HTTP_USER_AGENT`` into ``User-Agent``; ``None`` if not one."""
        if header.startswith(cls.HTTP_PREFIX):
            header = header.removeprefix(cls.HTTP_PREFIX)
        elif header not in cls.UNPREFIXED_HEADERS:
            return None
        return header.replace("_", "-").title()

    @classmethod
    def to_wsgi_name(cls, header: str) -> str:
        """Turn ``User-Agent`` into the META key ``HTTP_USER_AGENT``."""
        header = header.replace("-", "_").upper()
        if header in cls.UNPREFIXED_HEADERS:
            return header
        return f"{cls.HTTP_PREFIX}{header}"

    @classmethod
    def to_asgi_name(cls, header: str) -> str:
        return header.replace("-", "_").upper()

    @classmethod
    def to_wsgi_names(cls, headers: Mapping[str, Any]) -> dict[str, Any]:
        return {cls.to_wsgi_name(header_name): value for header_name, value in headers.items()}

    @classmethod
    def to_asgi_names(cls, headers: Mapping[str, Any]) -> dict[str, Any]:
        return {cls.to_asgi_name(header_name): value for header_name, value in headers.items()}


class HttpRequest:
    """An HTTP request, built from an ASGI HTTP ``scope`` and its ``receive`` channel.

    ``HttpRequest()`` without a scope is an empty request, as in Django.
    ``META``, ``headers``, ``COOKIES`` and ``GET`` are built on first use. The
    body is read once by ``await request._aread_body()``; after that ``body``,
    ``POST`` and ``FILES`` work synchronously and parse lazily.
    """

    _encoding: str | None = None
    _upload_handlers: list[uploadhandler.FileUploadHandler] | ImmutableList = []

    def __init__(self, scope: Scope | None = None, receive: Receive | None = None) -> None:
        self._receive = receive
        self._read_started = False
        self._post_parse_error = False
        self._stream: IO[bytes] | None = None
        self._body_bytes: bytes | None = None
        self._body_file: IO[bytes] | None = None
        self._body_size = 0
        self.resolver_match: Any = None
        if scope is None:
            self._empty = True
            self.scope: Scope = {"type": "http", "headers": [], "query_string": b""}
            self.method: str | None = None
            self.path = ""
            self.path_info = ""
            self._script_name = ""
            self._body_loaded = True
            self._announces_no_body = True
            self._content_length: int | None = None
            self._chunked = False
            self.content_type: str | None = None
            self.content_params: dict[str, str] | None = None
            self.META: dict[str, Any] = {}
            self.COOKIES: dict[str, str] = {}
            self._get: QueryDict = QueryDict(mutable=True)
            self._post: QueryDict = QueryDict(mutable=True)
            self._files: MultiValueDict = MultiValueDict()
            return
        self._empty = False
        self.scope = scope
        self._body_loaded = False
        self.method = str(scope["method"]).upper()
        script_name = per_request_setting("FORCE_SCRIPT_NAME") or scope.get("root_path", "") or ""
        self._script_name = script_name
        scope_path: str = scope["path"]
        if not scope_path.isascii():
            scope_path = _repercent_surrogates(scope_path)
        if script_name:
            self.path_info = scope_path.removeprefix(script_name) or "/"
            self.path = "{}/{}".format(script_name.rstrip("/"), self.path_info.replace("/", "", 1))
        else:
            self.path_info = scope_path
            self.path = scope_path
        content_type = ""
        self._content_length = None
        self._chunked = False
        length_header: bytes | None = None
        for name, value in scope.get("headers", ()):
            if name == b"content-type":
                content_type = value.decode("latin-1")
            elif name == b"content-length":
                length_header = value
                try:
                    self._content_length = int(value)
                except ValueError:
                    self._content_length = None
            elif name == b"transfer-encoding":
                self._chunked = True
        # HTTP/1.x: without Content-Length or chunked encoding a request has no body,
        # so there is nothing to receive (an unusable Content-Length still is read).
        self._announces_no_body = (
            not self._chunked
            and (length_header is None or self._content_length == 0)
            and scope.get("http_version", "1.1") in _HTTP1
        )
        self._set_content_type_params(content_type)

    def __repr__(self) -> str:
        if self.method is None or not self.get_full_path():
            return f"<{type(self).__name__}>"
        return f"<{type(self).__name__}: {self.method} {self.get_full_path()!r}>"

    def _set_content_type_params(self, content_type: str) -> None:
        if not content_type:
            # The common case (GET): skip the parser.
            self.content_type, self.content_params = "", {}
            return
        self.content_type, self.content_params = parse_header_parameters(content_type)
        if "charset" in self.content_params:
            try:
                codecs.lookup(self.content_params["charset"])
            except LookupError:
                pass
            else:
                self._encoding = self.content_params["charset"]

    # -- headers, META and cookies --------------------------------------------------------

    @cached_property
    def META(self) -> dict[str, Any]:
        """Return the CGI-style environment Django views expect, built from the scope."""
        scope = self.scope
        query_string = scope.get("query_string", b"")
        if isinstance(query_string, bytes):
            # Percent-encoded ASCII normally; raw UTF-8 from sloppy clients is kept readable.
            try:
                query_string = query_string.decode()
            except UnicodeDecodeError:
                query_string = query_string.decode("latin-1")
        meta: dict[str, Any] = {
            "REQUEST_METHOD": self.method,
            "QUERY_STRING": query_string,
            "SCRIPT_NAME": self._script_name,
            "PATH_INFO": self.path_info,
        }
        if client := scope.get("client"):
            meta["REMOTE_ADDR"] = client[0]
            meta["REMOTE_HOST"] = client[0]
            meta["REMOTE_PORT"] = client[1]
        if server := scope.get("server"):
            meta["SERVER_NAME"] = server[0]
            meta["SERVER_PORT"] = str(server[1])
        else:
            meta["SERVER_NAME"] = "unknown"
            meta["SERVER_PORT"] = "0"
        for raw_name, raw_value in scope.get("headers", ()):
            name = raw_name.decode("latin-1")
            # "X_Forwarded_Host" would land on the same key as "X-Forwarded-Host" and could
            # spoof what a proxy set; drop such names as Django's runserver and nginx do.
            if "_" in name:
                continue
            if name == "content-length":
                key = "CONTENT_LENGTH"
            elif name == "content-type":
                key = "CONTENT_TYPE"
            else:
                key = "HTTP_" + name.upper().replace("-", "_")
            value = raw_value.decode("latin-1")
            if key == "HTTP_COOKIE":
                value = value.rstrip("; ")
                if key in meta:
                    value = meta[key] + "; " + value
            elif key in meta:
                value = meta[key] + "," + value
            meta[key] = value
        return meta

    @cached_property
    def headers(self) -> HttpHeaders:
        """Return the request headers, case-insensitive."""
        return HttpHeaders(self.META)

    @cached_property
    def COOKIES(self) -> dict[str, str]:
        """Return the request cookies as a dict."""
        return parse_cookie(self.META.get("HTTP_COOKIE", ""))

    def get_signed_cookie(
        self,
        key: str,
        default: Any = RAISE_ERROR,
        salt: str = "",
        max_age: int | float | datetime.timedelta | None = None,
    ) -> Any:
        """Return the value of a cookie set with ``HttpResponse.set_signed_cookie()``.

        Raise ``KeyError`` for a missing cookie, ``signing.BadSignature`` for a
        tampered one and ``signing.SignatureExpired`` for one signed more than
        ``max_age`` seconds ago, unless ``default`` is given: then return it.
        """
        from fastjango.core import signing

        try:
            cookie_value = self.COOKIES[key]
        except KeyError:
            if default is not RAISE_ERROR:
                return default
            raise
        try:
            return signing.get_cookie_signer(salt=key + salt).unsign(cookie_value, max_age=max_age)
        except signing.BadSignature:
            if default is not RAISE_ERROR:
                return default
            raise

    @property
    def starlette(self) -> StarletteRequest:
        """Return a Starlette ``Request`` on the same scope; it sees the body read here."""
        request: StarletteRequest | None = self.__dict__.get("_starlette")
        if request is None:
            from starlette.requests import Request

            receive = self._replay_receive if self._receive is not None else _empty_receive
            request = Request(self.scope, receive)
            self.__dict__["_starlette"] = request
        return request

    async def _replay_receive(self) -> Message:
        assert self._receive is not None  # only installed when there is a receive channel
        if not self._body_loaded:
            return await self._receive()
        offset = self.__dict__.setdefault("_replay_offset", 0)
        if offset < 0:
            # The body was replayed already; what is left is the client's disconnect.
            return await self._receive()
        if self._body_file is None:
            self.__dict__["_replay_offset"] = -1
            data = self._body_bytes or b""
            return {"type": "http.request", "body": data, "more_body": False}
        chunk = await anyio.to_thread.run_sync(_pread, self._body_file, offset, 2**16)
        more = offset + len(chunk) < self._body_size
        self.__dict__["_replay_offset"] = offset + len(chunk) if more else -1
        return {"type": "http.request", "body": chunk, "more_body": more}

    # -- host, scheme and URLs ------------------------------------------------------------

    def _get_raw_host(self) -> str:
        meta = self.META
        if settings.USE_X_FORWARDED_HOST and "HTTP_X_FORWARDED_HOST" in meta:
            host: str = meta["HTTP_X_FORWARDED_HOST"]
        elif "HTTP_HOST" in meta:
            host = meta["HTTP_HOST"]
        else:
            # Rebuild the host from the server address, as PEP 3333 describes.
            host = meta["SERVER_NAME"]
            server_port = self.get_port()
            if server_port != ("443" if self.is_secure() else "80"):
                host = f"{host}:{server_port}"
        return host

    def get_host(self) -> str:
        """Return the host the client asked for, checked against ``ALLOWED_HOSTS``.

        Raise ``DisallowedHost`` for a host that is not allowed. With ``DEBUG``
        and an empty ``ALLOWED_HOSTS``, localhost names are allowed.
        """
        host = self._get_raw_host()
        allowed_hosts = settings.ALLOWED_HOSTS
        if settings.DEBUG and not allowed_hosts:
            allowed_hosts = [".localhost", "127.0.0.1", "[::1]"]
        domain, _port = split_domain_port(host)
        if domain and validate_host(domain, allowed_hosts):
            return host
        msg = f"Invalid HTTP_HOST header: {host!r}."
        if domain:
            msg += f" You may need to add {domain!r} to ALLOWED_HOSTS."
        else:
            msg += " The domain name provided is not valid according to RFC 1034/1035."
        raise DisallowedHost(msg)

    def get_port(self) -> str:
        """Return the port the request came to, from the server or ``X-Forwarded-Port``."""
        if settings.USE_X_FORWARDED_PORT and "HTTP_X_FORWARDED_PORT" in self.META:
            port = self.META["HTTP_X_FORWARDED_PORT"]
        else:
            port = self.META["SERVER_PORT"]
        return str(port)

    def get_full_path(self, force_append_slash: bool = False) -> str:
        """Return the path plus the query string, e.g. ``/music/bands/?print=true``."""
        return self._get_full_path(self.path, force_append_slash)

    def get_full_path_info(self, force_append_slash: bool = False) -> str:
        """Like ``get_full_path()``, but with ``path_info`` (no script prefix)."""
        return self._get_full_path(self.path_info, force_append_slash)

    def _get_full_path(self, path: str, force_append_slash: bool) -> str:
        query_string = self.META.get("QUERY_STRING", "")
        return "{}{}{}".format(
            escape_uri_path(path),
            "/" if force_append_slash and not path.endswith("/") else "",
            ("?" + iri_to_uri(query_string)) if query_string else "",
        )

    def build_absolute_uri(self, location: str | None = None) -> str:
        """Return the absolute URI of ``location`` (default: this request's full path).

        An absolute ``location`` is returned as is; a relative one is joined
        to this request's scheme, host and path.
        """
        if location is None:
            # "//" keeps a path that starts with "//" from being read as a host.
            location = f"//{self.get_full_path()}"
        else:
            location = str(location)
        bits = urlsplit(location)
        if not (bits.scheme and bits.netloc):
            if (
                bits.path.startswith("/")
                and not bits.scheme
                and not bits.netloc
                and "/./" not in bits.path
                and "/../" not in bits.path
            ):
                # Skip urljoin() for the common case of an absolute path.
                location = self._current_scheme_host + location.removeprefix("//")
            else:
                location = urljoin(self._current_scheme_host + self.path, location)
        return str(iri_to_uri(location))

    @cached_property
    def _current_scheme_host(self) -> str:
        return f"{self.scheme}://{self.get_host()}"

    def _get_scheme(self) -> str:
        scheme: str = self.scope.get("scheme") or "http"
        return scheme

    @property
    def scheme(self) -> str:
        """Return ``"http"`` or ``"https"``, trusting ``SECURE_PROXY_SSL_HEADER`` if set."""
        if settings.SECURE_PROXY_SSL_HEADER:
            try:
                header, secure_value = settings.SECURE_PROXY_SSL_HEADER
            except ValueError:
                raise ImproperlyConfigured(
                    "The SECURE_PROXY_SSL_HEADER setting must be a tuple containing two values."
                ) from None
            header_value = self.META.get(header)
            if header_value is not None:
                header_value, *_ = header_value.split(",", 1)
                return "https" if header_value.strip() == secure_value else "http"
        return self._get_scheme()

    def is_secure(self) -> bool:
        """Return whether the request came over HTTPS."""
        return self.scheme == "https"

    # -- content negotiation --------------------------------------------------------------

    @cached_property
    def accepted_types(self) -> list[MediaType]:
        """Return the ``Accept`` header's media types, most preferred first."""
        header_value = self.headers.get("Accept", "*/*")
        return sorted(
            (
                media_type
                for token in header_value.split(",")
                if token.strip() and (media_type := MediaType(token)).quality != 0
            ),
            key=operator.attrgetter("quality", "specificity"),
            reverse=True,
        )

    def accepted_type(self, media_type: str) -> MediaType | None:
        """Return the most preferred accepted type that matches ``media_type``, if any."""
        wanted = MediaType(media_type)
        return next((accepted for accepted in self.accepted_types if wanted.match(accepted)), None)

    def get_preferred_type(self, media_types: Iterable[str]) -> str | None:
        """Return the one of ``media_types`` the client prefers, or ``None``."""
        if not media_types or not self.accepted_types:
            return None
        desired = [
            (accepted, media_type)
            for media_type in media_types
            if (accepted := self.accepted_type(media_type)) is not None
        ]
        if not desired:
            return None
        return min(desired, key=lambda pair: self.accepted_types.index(pair[0]))[1]

    def accepts(self, media_type: str) -> bool:
        """Return whether the ``Accept`` header allows a response of ``media_type``."""
        return self.accepted_type(media_type) is not None

    # -- GET, POST, FILES -----------------------------------------------------------------

    @property
    def encoding(self) -> str | None:
        """Return the charset used to decode GET/POST (``None``: ``DEFAULT_CHARSET``)."""
        return self._encoding

    @encoding.setter
    def encoding(self, val: str | None) -> None:
        # GET and POST were decoded with the old charset: decode them again on next use.
        self._encoding = val
        if not self._empty:
            self.__dict__.pop("_get", None)
            self.__dict__.pop("_post", None)

    @property
    def GET(self) -> QueryDict:
        """Return the query string parameters (an immutable ``QueryDict``)."""
        try:
            return self._get
        except AttributeError:
            self._get = QueryDict(self.META["QUERY_STRING"], encoding=self._encoding)
            return self._get

    @GET.setter
    def GET(self, value: QueryDict) -> None:
        self._get = value

    @property
    def POST(self) -> QueryDict:
        """Return the form fields of a POST (urlencoded or multipart), parsed on first use."""
        if not hasattr(self, "_post"):
            self._load_post_and_files()
        return self._post

    @POST.setter
    def POST(self, value: QueryDict) -> None:
        self._post = value

    @property
    def FILES(self) -> MultiValueDict:
        """Return the uploaded files of a multipart POST, by field name."""
        if not hasattr(self, "_files"):
            self._load_post_and_files()
        return self._files

    @property
    def upload_handlers(self) -> list[uploadhandler.FileUploadHandler] | ImmutableList:
        """Return the upload handlers, built from ``FILE_UPLOAD_HANDLERS`` on first use."""
        if not self._upload_handlers:
            self._upload_handlers = [
                uploadhandler.load_handler(handler, self)
                for handler in settings.FILE_UPLOAD_HANDLERS
            ]
        return self._upload_handlers

    @upload_handlers.setter
    def upload_handlers(
        self, upload_handlers: list[uploadhandler.FileUploadHandler] | ImmutableList
    ) -> None:
        if hasattr(self, "_files"):
            raise AttributeError(
                "You cannot set the upload handlers after the upload has been processed."
            )
        self._upload_handlers = upload_handlers

    def parse_file_upload(
        self, META: Mapping[str, Any], post_data: IO[bytes] | HttpRequest
    ) -> tuple[QueryDict, MultiValueDict]:
        """Parse a multipart body with the upload handlers; return ``(POST, FILES)``."""
        self.upload_handlers = ImmutableList(
            self.upload_handlers,
            warning="You cannot alter upload handlers after the upload has been processed.",
        )
        parser = MultiPartParser(META, post_data, self.upload_handlers, self.encoding)
        return parser.parse()

    def _mark_post_parse_error(self) -> None:
        self._post = QueryDict()
        self._files = MultiValueDict()

    def _load_post_and_files(self) -> None:
        if self.method != "POST":
            self._post, self._files = QueryDict(encoding=self._encoding), MultiValueDict()
            return
        if self._read_started and "_body" not in self.__dict__:
            self._mark_post_parse_error()
            return
        if self.content_type == "multipart/form-data":
            data: IO[bytes] | HttpRequest
            if "_body" in self.__dict__:
                data = BytesIO(self.__dict__["_body"])
            else:
                self._require_body()
                data = self
            meta = self.META
            if "CONTENT_LENGTH" not in meta:
                # A chunked body has no Content-Length; the handlers size it by what was read.
                meta = {**meta, "CONTENT_LENGTH": str(self._body_size)}
            try:
                self._post, self._files = self.parse_file_upload(meta, data)
            except (MultiPartParserError, TooManyFilesSent):
                # Keep the handler's error page from parsing again; repr() shows the failure.
                self._mark_post_parse_error()
                self._post_parse_error = True
                raise
        elif self.content_type == "application/x-www-form-urlencoded":
            # RFC 1866: this content type has no charset and is always UTF-8.
            if self._encoding is not None and self._encoding.lower() != "utf-8":
                raise BadRequest(
                    "HTTP requests with the 'application/x-www-form-urlencoded' content type "
                    "must be UTF-8 encoded."
                )
            self._post = QueryDict(self.body, encoding="utf-8")
            self._files = MultiValueDict()
        else:
            self._post, self._files = QueryDict(encoding=self._encoding), MultiValueDict()

    # -- the body -------------------------------------------------------------------------

    def _has_body(self) -> bool:
        return self._chunked or bool(self._content_length)

    def _require_body(self) -> IO[bytes]:
        """Return the body stream, or raise if the body was announced but not read."""
        if self._stream is None:
            if not self._body_loaded and self._has_body():
                raise RuntimeError(_BODY_NOT_READ)
            self._body_loaded = True
            self._body_bytes = b""
            self._stream = BytesIO(b"")
        return self._stream

    async def _aread_body(self) -> None:
        """Read the whole body from ``receive`` once, so that it can be used synchronously.

        A body that is not multipart may not exceed ``DATA_UPLOAD_MAX_MEMORY_SIZE``
        (``RequestDataTooBig``); a body over ``FILE_UPLOAD_MAX_MEMORY_SIZE`` is
        spooled to a temporary file. A client that disconnects first raises
        ``RequestAborted``.
        """
        if self._body_loaded:
            return
        if self._receive is None or self._announces_no_body:
            self._require_body()
            return
        limit: int | None = None
        if self.content_type != "multipart/form-data":
            limit = per_request_setting("DATA_UPLOAD_MAX_MEMORY_SIZE")
        if limit is not None and self._content_length is not None and self._content_length > limit:
            raise RequestDataTooBig("Request body exceeded settings.DATA_UPLOAD_MAX_MEMORY_SIZE.")
        spool_after: int = per_request_setting("FILE_UPLOAD_MAX_MEMORY_SIZE")
        chunks: list[bytes] = []
        size = 0
        spool: IO[bytes] | None = None
        try:
            while True:
                message = await self._receive()
                if message["type"] == "http.disconnect":
                    raise RequestAborted("The client disconnected before the body was read.")
                chunk: bytes = message.get("body", b"")
                if chunk:
                    size += len(chunk)
                    if limit is not None and size > limit:
                        raise RequestDataTooBig(
                            "Request body exceeded settings.DATA_UPLOAD_MAX_MEMORY_SIZE."
                        )
                    if spool is not None:
                        await anyio.to_thread.run_sync(spool.write, chunk)
                    else:
                        chunks.append(chunk)
                        if size > spool_after:
                            spool = tempfile.SpooledTemporaryFile(  # kept open as the body
                                max_size=spool_after, dir=settings.FILE_UPLOAD_TEMP_DIR
                            )
                            await anyio.to_thread.run_sync(spool.write, b"".join(chunks))
                            chunks.clear()
                if not message.get("more_body", False):
                    break
        except BaseException:
            if spool is not None:
                spool.close()
            raise
        self._body_size = size
        if spool is not None:
            spool.seek(0)
            self._body_file = spool
            self._stream = spool
        else:
            self._body_bytes = b"".join(chunks)
            self._stream = BytesIO(self._body_bytes)
        self._body_loaded = True

    def _set_body(self, body: bytes) -> None:
        """Install ``body`` as the body already read, synchronously (``RequestFactory``).

        ``POST``/``FILES`` parse it on next use; the size limits apply as for a
        body read from ``receive``.
        """
        if self._body_file is not None:
            self._body_file.close()
            self._body_file = None
        for cached in ("_body", "_post", "_files"):
            self.__dict__.pop(cached, None)
        self._body_bytes = body
        self._body_size = len(body)
        self._stream = BytesIO(body)
        self._read_started = False
        self._body_loaded = True

    @property
    def body(self) -> bytes:
        """Return the raw request body as bytes.

        Raise ``RawPostDataException`` once the body stream has been read
        (``read()`` or a multipart ``POST``), and ``RequestDataTooBig`` when it
        exceeds ``DATA_UPLOAD_MAX_MEMORY_SIZE``.
        """
        try:
            body: bytes = self.__dict__["_body"]
        except KeyError:
            pass
        else:
            return body
        if self._read_started:
            raise RawPostDataException(
                "You cannot access body after reading from request's data stream"
            )
        stream = self._require_body()
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if limit is not None and self._body_size > limit:
            raise RequestDataTooBig("Request body exceeded settings.DATA_UPLOAD_MAX_MEMORY_SIZE.")
        if self._body_bytes is not None:
            body = self._body_bytes
        else:
            try:
                body = stream.read()
            except OSError as e:
                raise UnreadablePostError(*e.args) from e
            # The body is in memory now: let the spooled file go.
            stream.close()
            self._body_file = None
            self._body_bytes = body
        self.__dict__["_body"] = body
        self._stream = BytesIO(body)
        return body

    def close(self) -> None:
        """Close the uploaded files and the spooled body."""
        if "_files" in self.__dict__:
            for f in chain.from_iterable(values for _, values in self._files.lists()):
                f.close()
        if self._body_file is not None:
            self._body_file.close()

    def read(self, size: int = -1) -> bytes:
        """Read from the body stream, as from a file."""
        stream = self._require_body()
        self._read_started = True
        try:
            return stream.read(size)
        except OSError as e:
            raise UnreadablePostError(*e.args) from e

    def readline(self, size: int = -1) -> bytes:
        """Read one line from the body stream."""
        stream = self._require_body()
        self._read_started = True
        try:
            return stream.readline(size)
        except OSError as e:
            raise UnreadablePostError(*e.args) from e

    def __iter__(self) -> Iterator[bytes]:
        return iter(self.readline, b"")

    def readlines(self) -> list[bytes]:
        return list(self)


def _repercent_surrogates(path: str) -> str:
    """Return ``path`` with undecodable bytes a server passed as surrogates re-percent-encoded.

    Django's WSGI handler turns such bytes into ``%XX``; doing the same keeps the
    path printable (404 pages, logs) instead of failing to encode.
    """
    try:
        path.encode()
    except UnicodeEncodeError:
        return str(repercent_broken_unicode(path.encode("utf-8", "surrogateescape")).decode())
    return path


def _pread(file: IO[bytes], offset: int, size: int) -> bytes:
    # Read at an offset without moving the position a view may be reading from.
    position = file.tell()
    try:
        file.seek(offset)
        return file.read(size)
    finally:
        file.seek(position)


async def _empty_receive() -> Message:
    return {"type": "http.request", "body": b"", "more_body": False}


class QueryDict(MultiValueDict):
    """A ``MultiValueDict`` parsed from a query string; immutable unless ``mutable=True``.

    ``copy()`` always returns a mutable copy. Keys and values are ``str``,
    decoded with ``encoding`` (default ``DEFAULT_CHARSET``).
    """

    # Class-level defaults so unpickled instances have them before __setstate__.
    _mutable = True
    _encoding: str | None = None

    def __init__(
        self,
        query_string: str | bytes | None = None,
        mutable: bool = False,
        encoding: str | None = None,
    ) -> None:
        super().__init__()
        self.encoding = encoding or settings.DEFAULT_CHARSET
        query_string = query_string or ""
        if isinstance(query_string, bytes):
            raw = query_string
            # Normally ASCII (it is URL-encoded), but some clients send raw bytes.
            try:
                query_string = raw.decode(self.encoding)
            except UnicodeDecodeError:
                query_string = raw.decode("iso-8859-1")
        if query_string:
            try:
                pairs = parse_qsl(
                    query_string,
                    keep_blank_values=True,
                    encoding=self.encoding,
                    max_num_fields=settings.DATA_UPLOAD_MAX_NUMBER_FIELDS,
                )
            except ValueError as e:
                # strict_parsing is off, so max_num_fields is the only cause of a ValueError.
                raise TooManyFieldsSent(
                    "The number of GET/POST parameters exceeded "
                    "settings.DATA_UPLOAD_MAX_NUMBER_FIELDS."
                ) from e
            for key, value in pairs:
                self.appendlist(key, value)
        self._mutable = mutable

    @classmethod
    def fromkeys(  # type: ignore[override]
        cls,
        iterable: Iterable[Any],
        value: Any = "",
        mutable: bool = False,
        encoding: str | None = None,
    ) -> QueryDict:
        """Return a ``QueryDict`` with each key of ``iterable`` set to ``value``."""
        q = cls("", mutable=True, encoding=encoding)
        for key in iterable:
            q.appendlist(key, value)
        if not mutable:
            q._mutable = False
        return q

    @property
    def encoding(self) -> str:
        if self._encoding is None:
            self._encoding = settings.DEFAULT_CHARSET
        return self._encoding

    @encoding.setter
    def encoding(self, value: str) -> None:
        self._encoding = value

    def _assert_mutable(self) -> None:
        if not self._mutable:
            raise AttributeError("This QueryDict instance is immutable")

    def __setitem__(self, key: Any, value: Any) -> None:
        self._assert_mutable()
        key = bytes_to_text(key, self.encoding)
        value = bytes_to_text(value, self.encoding)
        super().__setitem__(key, value)

    def __delitem__(self, key: Any) -> None:
        self._assert_mutable()
        super().__delitem__(key)

    def __copy__(self) -> QueryDict:
        result = type(self)("", mutable=True, encoding=self.encoding)
        for key, value in self.lists():
            result.setlist(key, value)
        return result

    def __deepcopy__(self, memo: dict[int, Any]) -> QueryDict:
        result = type(self)("", mutable=True, encoding=self.encoding)
        memo[id(self)] = result
        for key, value in self.lists():
            result.setlist(copy.deepcopy(key, memo), copy.deepcopy(value, memo))
        return result

    def setlist(self, key: Any, list_: list[Any]) -> None:
        self._assert_mutable()
        key = bytes_to_text(key, self.encoding)
        list_ = [bytes_to_text(elt, self.encoding) for elt in list_]
        super().setlist(key, list_)

    def setlistdefault(self, key: Any, default_list: list[Any] | None = None) -> Any:
        self._assert_mutable()
        return super().setlistdefault(key, default_list)

    def appendlist(self, key: Any, value: Any) -> None:
        self._assert_mutable()
        key = bytes_to_text(key, self.encoding)
        value = bytes_to_text(value, self.encoding)
        super().appendlist(key, value)

    def pop(self, key: Any, *args: Any) -> Any:
        self._assert_mutable()
        return super().pop(key, *args)

    def popitem(self) -> tuple[Any, list[Any]]:
        self._assert_mutable()
        return super().popitem()

    def clear(self) -> None:
        self._assert_mutable()
        super().clear()

    def setdefault(self, key: Any, default: Any = None) -> Any:
        self._assert_mutable()
        key = bytes_to_text(key, self.encoding)
        default = bytes_to_text(default, self.encoding)
        return super().setdefault(key, default)

    def copy(self) -> QueryDict:
        """Return a mutable deep copy."""
        return self.__deepcopy__({})

    def urlencode(self, safe: str | None = None) -> str:
        """Return the query string; characters in ``safe`` are left unquoted.

        ``QueryDict("next=/a&b/").urlencode(safe="/")`` gives ``"next=/a%26b/"``.
        """
        output: list[str] = []
        if safe:
            safe_bytes = safe.encode(self.encoding)

            def encode(k: bytes, v: bytes) -> str:
                return f"{quote(k, safe_bytes)}={quote(v, safe_bytes)}"

        else:

            def encode(k: bytes, v: bytes) -> str:
                return _urlencode({k: v})

        for k, list_ in self.lists():
            key = k.encode(self.encoding)
            output.extend(encode(key, str(v).encode(self.encoding)) for v in list_)
        return "&".join(output)


class MediaType:
    """A media range from an ``Accept`` header, e.g. ``text/html;q=0.9``."""

    def __init__(self, media_type_raw_line: str | None) -> None:
        full_type, self.params = parse_header_parameters(media_type_raw_line or "")
        self.main_type, _, self.sub_type = full_type.partition("/")

    def __str__(self) -> str:
        params_str = "".join(f"; {k}={v}" for k, v in self.params.items())
        sub_type = f"/{self.sub_type}" if self.sub_type else ""
        return f"{self.main_type}{sub_type}{params_str}"

    def __repr__(self) -> str:
        return f"<{type(self).__qualname__}: {self}>"

    @cached_property
    def range_params(self) -> dict[str, str]:
        """Return the parameters other than the quality ``q``."""
        params = self.params.copy()
        params.pop("q", None)
        return params

    def match(self, other: MediaType | str | None) -> bool:
        """Return whether ``other`` falls in this range or this type falls in ``other``."""
        if not other:
            return False
        if not isinstance(other, MediaType):
            other = MediaType(other)
        main_types = [self.main_type, other.main_type]
        sub_types = [self.sub_type, other.sub_type]
        if not all((*main_types, *sub_types)):
            return False
        for this_type, other_type in (main_types, sub_types):
            if this_type != other_type and this_type != "*" and other_type != "*":
                return False
        if bool(self.range_params) == bool(other.range_params):
            # Both or neither have parameters: they must be identical.
            return self.range_params == other.range_params
        # Extra parameters on this side only narrow it, which still matches.
        return bool(self.range_params)

    @cached_property
    def quality(self) -> float:
        """Return the ``q`` parameter (1 when missing or invalid)."""
        try:
            quality = float(self.params.get("q", 1))
        except ValueError:
            return 1
        if quality < 0 or quality > 1:
            return 1
        return round(quality, 3)

    @property
    def specificity(self) -> int:
        """Return 0 for ``*/*``, 1 for ``type/*``, 2 for ``type/sub``, 3 with parameters."""
        if self.main_type == "*":
            return 0
        if self.sub_type == "*":
            return 1
        if not self.range_params:
            return 2
        return 3


def bytes_to_text(s: Any, encoding: str) -> Any:
    """Decode ``s`` with ``encoding`` (invalid bytes replaced) if it is bytes; else return it."""
    if isinstance(s, bytes):
        return str(s, encoding, "replace")
    return s


def split_domain_port(host: str) -> tuple[str, str]:
    """Split ``host`` into ``(domain, port)``; both empty when ``host`` is not valid.

    The domain is lowercased and loses a trailing dot.
    """
    if match := host_validation_re.fullmatch(host.lower()):
        domain, port = match.groups(default="")
        return domain.removesuffix("."), port
    return "", ""


def validate_host(host: str, allowed_hosts: Iterable[str]) -> bool:
    """Return whether the domain ``host`` matches one of ``allowed_hosts``.

    ``"*"`` matches anything, ``".example.com"`` matches example.com and its
    subdomains, and anything else must match exactly (case-insensitively).
    """
    return any(pattern == "*" or is_same_domain(host, pattern) for pattern in allowed_hosts)
