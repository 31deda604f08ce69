"""Rows to results: model instances (with ``select_related`` objects), dicts, tuples.

Each factory is built once per evaluation from the compiler's row layout.
Making an instance is ``cls.__new__`` plus one ``__dict__`` zipped from the
row; per-field Python runs only for fields with ``from_db_value``, and
``pre_init``/``post_init`` only when they have receivers.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from fastjango.db.utils import DEFAULT_DB_ALIAS

__all__ = [
    "FlatValuesListRows",
    "KlassInfo",
    "ModelRows",
    "NamedValuesListRows",
    "RowFactory",
    "ValuesListRows",
    "ValuesRows",
]


class KlassInfo:
    """Where one model's columns are in a row, and the models joined under it."""

    def __init__(self, model: Any, attnames: list[str], start: int, end: int) -> None:
        self.model = model
        self.attnames = attnames
        self.start = start
        self.end = end
        self.related: list[KlassInfo] = []
        #: the relation that leads here from the parent model (select_related)
        self.field: Any = None
        self.reverse = False


class RowFactory:
    """Turn a list of rows into results."""

    def __call__(self, rows: Iterable[Sequence[Any]]) -> list[Any]:
        return [self.make(row) for row in rows]

    def make(self, row: Sequence[Any]) -> Any:
        """Return the result for one row."""
        raise NotImplementedError(f"{type(self).__name__} must define make(row).")


def _converters(info: KlassInfo) -> list[tuple[int, Any]]:
    """Return (position, field) of the columns of ``info`` whose values need from_db_value()."""
    model = info.model
    return [
        (index, field)
        for index, field in enumerate(
            model._meta.get_field(name) if name in model._meta._forward_fields_map else None
            for name in info.attnames
        )
        if field is not None and hasattr(field, "from_db_value")
    ]


def _needs_init(model: Any) -> bool:
    """Return whether ``model``'s instances must be made through ``from_db()``/``__init__``."""
    from fastjango.db.models.base import Model
    from fastjango.db.models.signals import post_init, pre_init

    # The documented hook and the signals need the full path through __init__.
    custom_from_db = model.from_db.__func__ is not Model.from_db.__func__  # type: ignore[attr-defined]
    return bool(custom_from_db or pre_init.has_listeners(model) or post_init.has_listeners(model))


def _instance_builder(info: KlassInfo, db: str) -> Callable[[Sequence[Any]], Any]:
    from fastjango.db.models.base import ModelState

    model = info.model
    attnames = tuple(info.attnames)
    start, end = info.start, info.end
    converters = _converters(info)
    if _needs_init(model):
        field_names = list(attnames)

        def slow(row: Sequence[Any]) -> Any:
            values = list(row[start:end])
            for index, field in converters:
                values[index] = field.from_db_value(values[index], None, None)
            return model.from_db(db, field_names, values)

        return slow
    new = object.__new__
    state_class = ModelState
    # Rows from the default database get their _state on first use (Model._state).
    lazy_state = db == DEFAULT_DB_ALIAS
    # The per-row zip() calls here pass no strict=: the keyword alone sends zip down
    # its slow path (about 0.14 us a row on 3.11, a third of building an instance).
    # Rows are longer than attnames when they carry related or annotated columns.

    if converters:

        def convert(row: Sequence[Any]) -> Any:
            values = list(row[start:end])
            for index, field in converters:
                values[index] = field.from_db_value(values[index], None, None)
            obj = new(model)
            data = dict(zip(attnames, values))  # noqa: B905
            if not lazy_state:
                data["_state"] = state_class(db, False)
            obj.__dict__ = data
            return obj

        return convert

    build = _compiled_tree_builder(info, db, related=False)
    assert build is not None  # no converters, no __init__: checked above
    return build


def _cache_names(info: KlassInfo) -> tuple[str, str | None]:
    """Return the cache key of ``info``'s object on its parent, and of the parent on it."""
    field = info.field
    if info.reverse:
        # Reverse one-to-one: the parent caches it under its accessor.
        return field.remote_field.get_cache_name(), field.get_cache_name()
    return field.get_cache_name(), field.remote_field.get_cache_name() if field.unique else None


def _compiled_tree_builder(
    info: KlassInfo, db: str, related: bool = True
) -> Callable[[Sequence[Any]], Any] | None:
    """Return ``make(row)`` for an instance and its ``select_related`` objects, written out.

    A dict display with the attribute names as constants builds each
    ``__dict__`` about 30% faster than ``dict(zip(attnames, row))`` (1,000 rows:
    0.83 -> 0.56 ms), the way dataclasses write their ``__init__``. Each
    object's ``_state`` is made with its related-object cache filled in,
    instead of through one ``set_cached_value()`` call per relation (1,000
    rows joined to their authors: 2.2 -> 1.6 ms). With ``related=False`` only
    ``info``'s own object is built. None when a model in the tree needs
    ``from_db()``/``__init__`` or converted values.
    """
    from fastjango.db.models.base import ModelState

    infos = [info]
    if related:
        for item in infos:
            infos.extend(item.related)
    if any(_needs_init(item.model) or _converters(item) for item in infos):
        return None
    namespace: dict[str, Any] = {"new": object.__new__, "state": ModelState, "db": db}
    lines = ["def make(row):"]
    names = iter(range(len(infos)))

    def emit(item: KlassInfo, var: str, depth: int, back: tuple[str, str] | None) -> None:
        pad = "    " * depth
        namespace[f"M{var}"] = item.model
        lines.append(f"{pad}{var} = new(M{var})")
        cache = [back] if back else []
        for child in item.related if related else ():
            child_var = f"o{next(names)}"
            local_name, remote_name = _cache_names(child)
            pk_index = child.start + child.attnames.index(child.model._meta.pk.attname)
            lines.append(f"{pad}if row[{pk_index}] is None:")
            lines.append(f"{pad}    {child_var} = None")
            lines.append(f"{pad}else:")
            emit(child, child_var, depth + 1, (remote_name, var) if remote_name else None)
            cache.append((local_name, child_var))
        items = [f"{name!r}: row[{item.start + i}]" for i, name in enumerate(item.attnames)]
        if cache:
            entries = ", ".join(f"{name!r}: {value}" for name, value in cache)
            items.append(f"'_state': state(db, False, {{{entries}}})")
        elif db != DEFAULT_DB_ALIAS:
            items.append("'_state': state(db, False)")
        lines.append(f"{pad}{var}.__dict__ = {{{', '.join(items)}}}")

    emit(info, f"o{next(names)}", 1, None)
    lines.append("    return o0")
    source = "\n".join(lines) + "\n"
    label = f"{info.model._meta.label}{' related' if len(infos) > 1 else ''}"
    exec(compile(source, f"<fastjango build {label}>", "exec"), namespace)
    make: Callable[[Sequence[Any]], Any] = namespace["make"]
    return make


class _RelatedPopulator:
    """Build a ``select_related`` object from its columns and cache it on its parent."""

    def __init__(self, info: KlassInfo, db: str) -> None:
        self.info = info
        self.build = _instance_builder(info, db)
        pk_attname = info.model._meta.pk.attname
        self.pk_index = info.start + info.attnames.index(pk_attname)
        self.children = [_RelatedPopulator(child, db) for child in info.related]
        field = info.field
        if info.reverse:
            # Reverse one-to-one: cache the related object under its accessor.
            self.local_setter = field.remote_field.set_cached_value
            self.remote_setter = field.set_cached_value
        else:
            self.local_setter = field.set_cached_value
            self.remote_setter = field.remote_field.set_cached_value if field.unique else None

    def populate(self, row: Sequence[Any], from_obj: Any) -> None:
        if row[self.pk_index] is None:
            obj = None
        else:
            obj = self.build(row)
            for child in self.children:
                child.populate(row, obj)
        self.local_setter(from_obj, obj)
        if obj is not None and self.remote_setter is not None:
            self.remote_setter(obj, from_obj)


class ModelRows(RowFactory):
    """Rows to model instances, with select_related objects and annotations set."""

    def __init__(
        self,
        klass_info: KlassInfo,
        db: str,
        annotation_positions: dict[str, int],
    ) -> None:
        tree = _compiled_tree_builder(klass_info, db) if klass_info.related else None
        if tree is not None:
            self.build = tree
            self.related = []
        else:
            self.build = _instance_builder(klass_info, db)
            self.related = [_RelatedPopulator(info, db) for info in klass_info.related]
        self.annotations = list(annotation_positions.items())

    def __call__(self, rows: Iterable[Sequence[Any]]) -> list[Any]:
        if not self.related and not self.annotations:
            build = self.build
            return [build(row) for row in rows]
        return [self.make(row) for row in rows]

    def make(self, row: Sequence[Any]) -> Any:
        obj = self.build(row)
        for populator in self.related:
            populator.populate(row, obj)
        for name, position in self.annotations:
            setattr(obj, name, row[position])
        return obj


class ValuesRows(RowFactory):
    """Rows to dicts (``values()``)."""

    def __init__(self, names: list[str]) -> None:
        self.names = tuple(names)

    def __call__(self, rows: Iterable[Sequence[Any]]) -> list[Any]:
        names = self.names
        # No strict=: the keyword makes zip() slower per row (see _instance_builder).
        return [dict(zip(names, row)) for row in rows]  # noqa: B905

    def make(self, row: Sequence[Any]) -> Any:
        return dict(zip(self.names, row))  # noqa: B905


class ValuesListRows(RowFactory):
    """Rows to tuples (``values_list()``), in the order the fields were named."""

    def __init__(self, order: list[int] | None = None) -> None:
        self.getter = operator.itemgetter(*order) if order and len(order) > 1 else None
        self.single = order[0] if order and len(order) == 1 else None

    def make(self, row: Sequence[Any]) -> Any:
        if self.getter is not None:
            return self.getter(row)
        if self.single is not None:
            return (row[self.single],)
        return tuple(row)

    def __call__(self, rows: Iterable[Sequence[Any]]) -> list[Any]:
        if self.getter is None and self.single is None:
            return [tuple(row) for row in rows]
        return [self.make(row) for row in rows]


class NamedValuesListRows(RowFactory):
    """Rows to named tuples (``values_list(named=True)``)."""

    def __init__(self, names: list[str], order: list[int] | None = None) -> None:
        from fastjango.db.models.utils import create_namedtuple_class

        self.row_class = create_namedtuple_class(*names)
        self.order = order

    def make(self, row: Sequence[Any]) -> Any:
        if self.order is not None:
            return self.row_class(*(row[i] for i in self.order))
        return self.row_class(*row)


class FlatValuesListRows(RowFactory):
    """Rows to single values (``values_list(flat=True)``)."""

    def __init__(self, index: int = 0) -> None:
        self.index = index

    def __call__(self, rows: Iterable[Sequence[Any]]) -> list[Any]:
        index = self.index
        return [row[index] for row in rows]

    def make(self, row: Sequence[Any]) -> Any:
        return row[self.index]
