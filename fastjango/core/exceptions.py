"""Exceptions shared across FastJango, with Django's names."""

from __future__ import annotations

import operator
from collections.abc import Hashable, Iterator, Mapping
from typing import Any

__all__ = [
    "AppRegistryNotReady",
    "BadRequest",
    "DisallowedHost",
    "DisallowedRedirect",
    "EmptyResultSet",
    "FieldDoesNotExist",
    "FieldError",
    "FullResultSet",
    "ImproperlyConfigured",
    "MiddlewareNotUsed",
    "MultipleObjectsReturned",
    "NON_FIELD_ERRORS",
    "ObjectDoesNotExist",
    "PermissionDenied",
    "RequestAborted",
    "RequestDataTooBig",
    "SuspiciousFileOperation",
    "SuspiciousMultipartForm",
    "SuspiciousOperation",
    "SynchronousOnlyOperation",
    "TooManyFieldsSent",
    "TooManyFilesSent",
    "ValidationError",
    "ViewDoesNotExist",
]

NON_FIELD_ERRORS = "__all__"


class FieldDoesNotExist(Exception):
    """The requested model field does not exist."""


class AppRegistryNotReady(Exception):
    """The app registry is not populated yet."""


class ObjectDoesNotExist(Exception):
    """The requested object does not exist."""

    silent_variable_failure = True


class MultipleObjectsReturned(Exception):
    """The query returned multiple objects when only one was expected."""


class SuspiciousOperation(Exception):
    """The user did something suspicious; answered with a 400."""


class SuspiciousMultipartForm(SuspiciousOperation):
    """Suspect MIME request in a multipart form."""


class SuspiciousFileOperation(SuspiciousOperation):
    """A suspicious file operation was attempted."""


class DisallowedHost(SuspiciousOperation):
    """The HTTP Host header is not in ALLOWED_HOSTS."""


class DisallowedRedirect(SuspiciousOperation):
    """A redirect to a scheme that is not allowed."""


class TooManyFieldsSent(SuspiciousOperation):
    """More fields than DATA_UPLOAD_MAX_NUMBER_FIELDS were sent."""


class TooManyFilesSent(SuspiciousOperation):
    """More files than DATA_UPLOAD_MAX_NUMBER_FILES were sent."""


class RequestDataTooBig(SuspiciousOperation):
    """The request body is larger than DATA_UPLOAD_MAX_MEMORY_SIZE."""


class RequestAborted(Exception):
    """The client went away before the request was read, or while it was answered."""


class BadRequest(Exception):
    """The request is malformed and cannot be processed; answered with a 400."""


class PermissionDenied(Exception):
    """The user lacks permission for the requested action; answered with a 403."""


class ViewDoesNotExist(Exception):
    """The requested view does not exist."""


class MiddlewareNotUsed(Exception):
    """Raised by a middleware factory to take itself out of the stack."""


class ImproperlyConfigured(Exception):
    """FastJango is somehow improperly configured; the message names the setting."""


class FieldError(Exception):
    """A problem with a model field, e.g. an unknown field name in a lookup."""


class EmptyResultSet(Exception):
    """A database query predicate is impossible."""


class FullResultSet(Exception):
    """A database query predicate matches everything."""


class SynchronousOnlyOperation(Exception):
    """A synchronous-only operation was called from a running event loop."""


class ValidationError(Exception):
    """An error while validating data.

    Accepts a message string, a list of messages or ``ValidationError``s, or a
    dict mapping field names to those, exactly like Django's.
    """

    error_dict: dict[str, list[ValidationError]]
    error_list: list[ValidationError]
    message: str
    code: str | None
    params: Mapping[str, Any] | None

    def __init__(
        self, message: Any, code: str | None = None, params: Mapping[str, Any] | None = None
    ) -> None:
        super().__init__(message, code, params)
        if isinstance(message, ValidationError):
            if hasattr(message, "error_dict"):
                message = message.error_dict
            elif not hasattr(message, "message"):
                message = message.error_list
            else:
                message, code, params = message.message, message.code, message.params

        if isinstance(message, dict):
            self.error_dict = {}
            for field, messages in message.items():
                if not isinstance(messages, ValidationError):
                    messages = ValidationError(messages)
                self.error_dict[field] = messages.error_list
        elif isinstance(message, list):
            self.error_list = []
            for item in message:
                if not isinstance(item, ValidationError):
                    item = ValidationError(item)
                if hasattr(item, "error_dict"):
                    self.error_list.extend(sum(item.error_dict.values(), []))
                else:
                    self.error_list.extend(item.error_list)
        else:
            self.message = message
            self.code = code
            self.params = params
            self.error_list = [self]

    @property
    def message_dict(self) -> dict[str, list[str]]:
        """Return field names mapped to their messages; raise AttributeError for list errors."""
        self.error_dict  # noqa: B018 - raises AttributeError when there is no error_dict
        return dict(self)

    @property
    def messages(self) -> list[str]:
        """Return every message as a flat list."""
        if hasattr(self, "error_dict"):
            return sum(dict(self).values(), [])
        return list(self)

    def update_error_dict(
        self, error_dict: dict[str, list[ValidationError]]
    ) -> dict[str, list[ValidationError]]:
        """Merge this error into ``error_dict`` and return it."""
        if hasattr(self, "error_dict"):
            for field, error_list in self.error_dict.items():
                error_dict.setdefault(field, []).extend(error_list)
        else:
            error_dict.setdefault(NON_FIELD_ERRORS, []).extend(self.error_list)
        return error_dict

    def __iter__(self) -> Iterator[Any]:
        if hasattr(self, "error_dict"):
            for field, errors in self.error_dict.items():
                yield field, list(ValidationError(errors))
        else:
            for error in self.error_list:
                message = error.message
                if error.params:
                    message %= error.params
                yield str(message)

    def __str__(self) -> str:
        if hasattr(self, "error_dict"):
            return repr(dict(self))
        return repr(list(self))

    def __repr__(self) -> str:
        return f"ValidationError({self})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ValidationError):
            return NotImplemented
        return hash(self) == hash(other)

    def __hash__(self) -> int:
        if hasattr(self, "message"):
            return hash((self.message, self.code, _make_hashable(self.params)))
        if hasattr(self, "error_dict"):
            return hash(_make_hashable(self.error_dict))
        return hash(tuple(sorted(self.error_list, key=operator.attrgetter("message"))))


def _make_hashable(value: Any) -> Hashable:
    """Return ``value`` as a hashable equivalent: dicts as sorted item tuples, lists as tuples.

    Two values that compare equal give equal results, whatever their dict order.
    """
    if isinstance(value, dict):
        return tuple(sorted((key, _make_hashable(item)) for key, item in value.items()))
    try:
        hash(value)
    except TypeError:
        if not hasattr(value, "__iter__"):
            raise
        return tuple(map(_make_hashable, value))
    return value  # type: ignore[no-any-return]
