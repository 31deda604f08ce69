"""``FileField`` and ``ImageField``: they store the file's name (storage comes with files).

Reading the field gives a ``FieldFile`` (a ``str``-like wrapper of the name);
operations that need the file itself (``url``, ``open()``, ``save()``) need a
storage backend and raise ``ImproperlyConfigured`` until one is available.
"""

from __future__ import annotations

import datetime
import posixpath
from typing import TYPE_CHECKING, Any, Literal, overload

import sqlalchemy as sa

from fastjango.core.exceptions import ImproperlyConfigured
from fastjango.db.models.fields import Field

if TYPE_CHECKING:
    from typing_extensions import TypeVar

    from fastjango.db.models.expressions import Combinable

    _ST = TypeVar("_ST", default=Any)
    _GT = TypeVar("_GT", default=Any)
else:
    from typing import TypeVar

    _ST = TypeVar("_ST")
    _GT = TypeVar("_GT")

__all__ = ["FieldFile", "FileDescriptor", "FileField", "ImageField", "ImageFieldFile"]


class FieldFile:
    """The value of a FileField on an instance: the stored name, plus the file API."""

    def __init__(self, instance: Any, field: Any, name: str | None) -> None:
        self.instance = instance
        self.field = field
        self.name = name
        self._committed = True

    def __str__(self) -> str:
        return self.name or ""

    def __repr__(self) -> str:
        return f"<{self.__class__.__name__}: {self}>"

    def __bool__(self) -> bool:
        return bool(self.name)

    def __eq__(self, other: object) -> bool:
        if hasattr(other, "name"):
            return bool(self.name == other.name)
        return bool(self.name == other)

    def __hash__(self) -> int:
        return hash(self.name)

    def _storage_required(self, what: str) -> ImproperlyConfigured:
        return ImproperlyConfigured(
            f"FieldFile.{what} needs a file storage backend, which FastJango doesn't provide "
            "yet; the field stores the file name only."
        )

    @property
    def url(self) -> str:
        """Return the file's URL (needs a storage backend)."""
        raise self._storage_required("url")

    @property
    def path(self) -> str:
        """Return the file's path (needs a storage backend)."""
        raise self._storage_required("path")

    @property
    def size(self) -> int:
        """Return the file's size (needs a storage backend)."""
        raise self._storage_required("size")

    def open(self, mode: str = "rb") -> Any:
        """Open the file (needs a storage backend)."""
        raise self._storage_required("open()")

    def save(self, name: str, content: Any, save: bool = True) -> None:
        """Store ``content`` (needs a storage backend)."""
        raise self._storage_required("save()")

    def delete(self, save: bool = True) -> None:
        """Delete the file (needs a storage backend)."""
        raise self._storage_required("delete()")


class ImageFieldFile(FieldFile):
    """The value of an ImageField."""


class FileDescriptor:
    """Wrap the stored name in a ``FieldFile`` on access; accept names and files on assignment."""

    def __init__(self, field: Any) -> None:
        self.field = field

    def __get__(self, instance: Any, cls: Any = None) -> Any:
        if instance is None:
            return self
        attname = self.field.attname
        if attname not in instance.__dict__:
            from fastjango.db.models.query_utils import load_deferred

            load_deferred(instance, self.field)
        value = instance.__dict__[attname]
        if isinstance(value, FieldFile) and value.instance is instance:
            return value
        name = getattr(value, "name", value)
        wrapped = self.field.attr_class(instance, self.field, name)
        instance.__dict__[attname] = wrapped
        return wrapped

    def __set__(self, instance: Any, value: Any) -> None:
        instance.__dict__[self.field.attname] = value


class FileField(Field[_ST, _GT]):
    """A file, stored as its name (``upload_to`` prefixes it)."""

    attr_class: type[FieldFile] = FieldFile
    descriptor_class: Any = FileDescriptor
    description = "File"

    if TYPE_CHECKING:

        @overload
        def __init__(
            self: FileField[str | FieldFile | Combinable, FieldFile],
            verbose_name: str | None = ...,
            name: str | None = ...,
            upload_to: Any = ...,
            storage: Any = ...,
            *,
            null: Literal[False] = False,
            **kwargs: Any,
        ) -> None: ...

        @overload
        def __init__(
            self: FileField[str | FieldFile | Combinable | None, FieldFile | None],
            verbose_name: str | None = ...,
            name: str | None = ...,
            upload_to: Any = ...,
            storage: Any = ...,
            *,
            null: Literal[True],
            **kwargs: Any,
        ) -> None: ...

    def __init__(
        self,
        verbose_name: str | None = None,
        name: str | None = None,
        upload_to: Any = "",
        storage: Any = None,
        **kwargs: Any,
    ) -> None:
        self._primary_key_set_explicitly = "primary_key" in kwargs
        self.storage = storage
        self.upload_to = upload_to
        kwargs.setdefault("max_length", 100)
        super().__init__(verbose_name, name, **kwargs)

    def deconstruct(self) -> tuple[str, str, list[Any], dict[str, Any]]:
        name, path, args, kwargs = super().deconstruct()
        if kwargs.get("max_length") == 100:
            del kwargs["max_length"]
        kwargs["upload_to"] = self.upload_to
        return name, path, args, kwargs

    def get_internal_type(self) -> str:
        return "FileField"

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or hasattr(value, "resolve_expression"):
            return value
        if isinstance(value, FieldFile):
            # As in Django, a FieldFile (even without a name) is stored as its name or "".
            return str(value)
        name = getattr(value, "name", value)
        return str(name) if name is not None else None

    def pre_save(self, model_instance: Any, add: bool) -> Any:
        value = model_instance.__dict__.get(self.attname)
        name = getattr(value, "name", value)
        if value is not None and not isinstance(value, str | FieldFile) and name:
            # A file object: only its name is kept until storage exists.
            return self.generate_filename(model_instance, str(name))
        return value

    def generate_filename(self, instance: Any, filename: str) -> str:
        """Return the name to store for ``filename`` (``upload_to`` applied)."""
        if callable(self.upload_to):
            return str(self.upload_to(instance, filename))
        dirname = datetime.datetime.now().strftime(str(self.upload_to))
        return posixpath.join(dirname, posixpath.basename(filename))

    def sa_type(self) -> Any:
        return sa.String(self.max_length)

    def value_to_string(self, obj: Any) -> str:
        return str(self.value_from_object(obj) or "")


class ImageField(FileField[_ST, _GT]):
    """An image file, stored as its name (``width_field``/``height_field`` kept as given)."""

    attr_class = ImageFieldFile
    description = "Image"

    def get_internal_type(self) -> str:
        return "ImageField"

    if TYPE_CHECKING:

        @overload
        def __init__(
            self: ImageField[str | FieldFile | Combinable, ImageFieldFile],
            verbose_name: str | None = ...,
            name: str | None = ...,
            width_field: str | None = ...,
            height_field: str | None = ...,
            *,
            null: Literal[False] = False,
            **kwargs: Any,
        ) -> None: ...

        @overload
        def __init__(
            self: ImageField[str | FieldFile | Combinable | None, ImageFieldFile | None],
            verbose_name: str | None = ...,
            name: str | None = ...,
            width_field: str | None = ...,
            height_field: str | None = ...,
            *,
            null: Literal[True],
            **kwargs: Any,
        ) -> None: ...

    def __init__(
        self,
        verbose_name: str | None = None,
        name: str | None = None,
        width_field: str | None = None,
        height_field: str | None = None,
        **kwargs: Any,
    ) -> None:
        self.width_field, self.height_field = width_field, height_field
        super().__init__(verbose_name, name, **kwargs)  # type: ignore[misc]

    def deconstruct(self) -> tuple[str, str, list[Any], dict[str, Any]]:
        name, path, args, kwargs = super().deconstruct()
        if self.width_field:
            kwargs["width_field"] = self.width_field
        if self.height_field:
            kwargs["height_field"] = self.height_field
        return name, path, args, kwargs
