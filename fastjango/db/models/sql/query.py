"""``Query``: what a QuerySet will ask the database, resolved but not yet compiled.

It holds the tables (``alias_map``: the base table and its joins), the where
tree of resolved lookups, annotations, ordering, limits and the select mode.
Filters resolve names at once (a bad name raises ``FieldError`` at the
``filter()`` call); the compiler (``sql.compiler``) turns it into SQLAlchemy.
"""

from __future__ import annotations

import copy
import difflib
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from fastjango.core.exceptions import FieldDoesNotExist, FieldError
from fastjango.db.models.constants import LOOKUP_SEP
from fastjango.db.models.expressions import (
    BaseExpression,
    Col,
    F,
    OuterCol,
    OuterRef,
    Ref,
    ResolvedOuterRef,
    Value,
)
from fastjango.db.models.lookups import Lookup
from fastjango.db.models.query_utils import (
    PathInfo,
    Q,
    check_rel_lookup_compatibility,
    get_field_names_from_opts,
)
from fastjango.db.models.sql.datastructures import INNER, LOUTER, BaseTable, Join, MultiJoin
from fastjango.db.models.sql.where import AND, NothingNode, WhereNode

if TYPE_CHECKING:
    from fastjango.db.models.options import Options

__all__ = ["AggregateQuery", "JoinInfo", "Query", "get_order_dir"]

ORDER_DIR = {"ASC": ("ASC", "DESC"), "DESC": ("DESC", "ASC")}


def get_order_dir(field: str, default: str = "ASC") -> tuple[str, str]:
    """Return ``(name, "ASC"|"DESC")`` for an ordering like ``"-pub_date"``."""
    dirn = ORDER_DIR[default]
    if field[0] == "-":
        return field[1:], dirn[1]
    return field, dirn[0]


class JoinInfo(NamedTuple):
    """What ``setup_joins()`` found: the final field, its columns and the joins made."""

    final_field: Any
    targets: tuple[Any, ...]
    opts: Options
    joins: list[str]
    path: list[PathInfo]
    transform_function: Any


def _final_transformer(field: Any, alias: str) -> Any:
    return field.get_col(alias)


def _copy_tree(tree: dict[str, Any]) -> dict[str, Any]:
    # select_related's nested dict of names: copy.deepcopy was a third of clone().
    return {name: _copy_tree(branch) for name, branch in tree.items()}


class Query(BaseExpression):
    """A single SELECT being built (also a subquery when used as a value)."""

    alias_prefix = "T"
    empty_result_set_value = None
    subq_aliases = frozenset([alias_prefix])
    contains_over_clause = False
    contains_aggregate = False

    def __init__(self, model: Any, alias_cols: bool = True) -> None:
        self.model = model
        self.alias_refcount: dict[str, int] = {}
        self.alias_map: dict[str, BaseTable | Join] = {}
        self.table_map: dict[str, list[str]] = {}
        self.alias_cols = alias_cols
        self.where: WhereNode = WhereNode()
        self.is_empty_query = False
        self.annotations: dict[str, Any] = {}
        self.annotation_select_mask: list[str] | None = None
        self._filtered_relations: dict[str, Any] = {}
        self.default_cols = True
        self.default_ordering = True
        self.standard_ordering = True
        self.order_by: tuple[Any, ...] = ()
        self.distinct = False
        self.distinct_fields: tuple[str, ...] = ()
        self.select_for_update = False
        self.select_for_update_nowait = False
        self.select_for_update_skip_locked = False
        self.select_for_update_of: tuple[str, ...] = ()
        self.select_for_no_key_update = False
        self.select_related: bool | dict[str, Any] = False
        self.max_depth = 5
        self.values_select: tuple[str, ...] = ()
        self.select: tuple[Any, ...] = ()
        self.group_by: bool | tuple[Any, ...] | None = None
        self.low_mark = 0
        self.high_mark: int | None = None
        self.combinator: str | None = None
        self.combinator_all = False
        self.combined_queries: tuple[Query, ...] = ()
        self.deferred_loading: tuple[frozenset[str], bool] = (frozenset(), True)
        self.filter_is_sticky = False
        self.subquery = False
        self.used_aliases: set[str] = set()
        self.explain_info: Any = None
        self.exists_query = False

    def __str__(self) -> str:
        from fastjango.db import DEFAULT_DB_ALIAS

        return self.sql_with_params(DEFAULT_DB_ALIAS)

    def sql_with_params(self, using: str) -> str:
        """Return the SQL (bound values shown) this query runs on ``using``."""
        from fastjango.db import connections
        from fastjango.db.models.sql.compiler import SQLCompiler

        connection = connections[using]
        stmt = SQLCompiler(self, connection).as_select()
        return str(stmt.compile(dialect=connection.dialect, compile_kwargs={"literal_binds": True}))

    def __deepcopy__(self, memo: dict[int, Any]) -> Query:
        result = self.clone()
        memo[id(self)] = result
        return result

    # -- cloning ------------------------------------------------------------------

    def clone(self) -> Query:
        """Return a copy that can be changed without touching this one."""
        obj = self.__class__.__new__(self.__class__)
        obj.__dict__ = self.__dict__.copy()
        obj.alias_refcount = self.alias_refcount.copy()
        obj.alias_map = self.alias_map.copy()
        obj.table_map = {k: v[:] for k, v in self.table_map.items()}
        obj.where = self.where.copy()
        obj.annotations = self.annotations.copy()
        if self.annotation_select_mask is not None:
            obj.annotation_select_mask = self.annotation_select_mask[:]
        if self.combined_queries:
            obj.combined_queries = tuple(q.clone() for q in self.combined_queries)
        if isinstance(self.select_related, dict):
            obj.select_related = _copy_tree(self.select_related)
        obj._filtered_relations = self._filtered_relations.copy()
        obj.used_aliases = self.used_aliases.copy()
        obj.__dict__.pop("output_field", None)
        obj.__dict__.pop("_output_field_or_none", None)
        result: Query = obj
        return result

    def chain(self) -> Query:
        """Return a clone for the next QuerySet in a chain."""
        obj = self.clone()
        if not obj.filter_is_sticky:
            obj.used_aliases = set()
        obj.filter_is_sticky = False
        return obj

    def copy(self) -> Query:
        return self.clone()

    def get_meta(self) -> Options:
        """Return the model's ``_meta`` (None for a query without a model)."""
        meta: Any = self.model._meta if self.model is not None else None
        return meta  # type: ignore[no-any-return]

    # -- the select --------------------------------------------------------------

    @property
    def annotation_select(self) -> dict[str, Any]:
        """Return the annotations that are selected (not ``alias()``-only)."""
        if self.annotation_select_mask is None:
            return self.annotations
        return {
            k: self.annotations[k] for k in self.annotation_select_mask if k in self.annotations
        }

    @property
    def has_select_fields(self) -> bool:
        """Return whether specific columns are selected (``values()``, subquery columns)."""
        return bool(self.select or self.annotation_select_mask)

    @property
    def output_field(self) -> Any:
        """Return the field of the single selected column (a subquery used as a value)."""
        if len(self.select) == 1:
            select = self.select[0]
            return getattr(select, "target", None) or select.output_field
        annotations = self.annotation_select
        if len(annotations) == 1:
            return next(iter(annotations.values())).output_field
        if not self.select and not annotations and self.default_cols:
            return self.model._meta.pk
        raise FieldError("Cannot resolve expression type, unknown output_field")

    @property
    def _output_field_or_none(self) -> Any:
        try:
            return self.output_field
        except FieldError:
            return None

    def set_annotation_mask(self, names: Iterable[str] | None) -> None:
        """Select only the annotations in ``names`` (None selects them all)."""
        self.annotation_select_mask = None if names is None else list(dict.fromkeys(names))

    def append_annotation_mask(self, names: Iterable[str]) -> None:
        """Select these annotations too."""
        if self.annotation_select_mask is not None:
            self.set_annotation_mask([*self.annotation_select_mask, *names])

    def clear_select_clause(self) -> None:
        """Select nothing (the caller adds what it needs)."""
        self.select = ()
        self.values_select = ()
        self.default_cols = False
        self.select_related = False
        self.set_annotation_mask(())

    def clear_select_fields(self) -> None:
        """Forget the explicitly selected columns."""
        self.select = ()
        self.values_select = ()

    def add_fields(self, field_names: Iterable[str], allow_m2m: bool = True) -> None:
        """Select these field paths (joins are added as needed)."""
        alias = self.get_initial_alias()
        opts = self.get_meta()
        cols = []
        try:
            for name in field_names:
                join_info = self.setup_joins(
                    name.split(LOOKUP_SEP), opts, alias, allow_many=allow_m2m
                )
                targets, final_alias, joins = self.trim_joins(
                    join_info.targets, join_info.joins, join_info.path
                )
                for target in targets:
                    cols.append(join_info.transform_function(target, final_alias))
        except MultiJoin:
            raise FieldError(f"Invalid field name: '{name}'") from None
        except FieldError:
            if LOOKUP_SEP in name:
                raise
            if name in self.annotation_select:
                raise FieldError(
                    f"Cannot select the '{name}' alias. Use annotate() to promote it."
                ) from None
            names = sorted(
                [
                    *get_field_names_from_opts(opts),
                    *self.annotation_select,
                    *self._filtered_relations,
                ]
            )
            raise FieldError(
                f"Cannot resolve keyword {name!r} into field. Choices are: {', '.join(names)}"
            ) from None
        self.select = (*self.select, *cols)
        self.default_cols = False

    def set_values(self, fields: Sequence[str]) -> None:
        """Switch to ``values()`` mode selecting ``fields`` (and the selected annotations)."""
        self.select_related = False
        self.clear_deferred_loading()
        self.clear_select_fields()
        if fields:
            field_names: list[str] = []
            annotation_names: list[str] = []
            if not self.annotations:
                field_names = list(fields)
            else:
                self.default_cols = False
                for f in fields:
                    if f in self.annotation_select:
                        annotation_names.append(f)
                    elif f in self.annotations:
                        raise FieldError(
                            f"Cannot select the '{f}' alias. Use annotate() to promote it."
                        )
                    else:
                        field_names.append(f)
            self.set_annotation_mask(annotation_names)
        else:
            field_names = [f.attname for f in self.model._meta.concrete_fields]
        if self.group_by is True:
            self.add_fields((f.attname for f in self.model._meta.concrete_fields), False)
            self.set_group_by(allow_aliases=False)
            self.clear_select_fields()
        self.values_select = tuple(field_names)
        self.add_fields(field_names, True)

    def set_group_by(self, allow_aliases: bool = True) -> None:
        """Group by the selected columns and the non-aggregate annotations."""
        group_by: list[Any] = list(self.select)
        for alias, annotation in self.annotation_select.items():
            if not getattr(annotation, "contains_aggregate", False):
                group_by.extend(annotation.get_group_by_cols())
            del alias
        self.group_by = tuple(group_by)

    # -- deferred loading ------------------------------------------------------------

    def clear_deferred_loading(self) -> None:
        """Load every field."""
        self.deferred_loading = (frozenset(), True)

    def add_deferred_loading(self, field_names: Iterable[str]) -> None:
        """Defer these fields (``defer()``)."""
        existing, defer = self.deferred_loading
        if defer:
            self.deferred_loading = existing.union(field_names), True
        else:
            new_existing = existing.difference(field_names)
            if new_existing:
                self.deferred_loading = frozenset(new_existing), False
            else:
                self.clear_deferred_loading()
                if new_only := set(field_names).difference(existing):
                    self.deferred_loading = frozenset(new_only), True

    def add_immediate_loading(self, field_names: Iterable[str]) -> None:
        """Load only these fields (``only()``); the primary key is always loaded."""
        existing, defer = self.deferred_loading
        field_names = set(field_names)
        if "pk" in field_names:
            field_names.remove("pk")
            field_names.add(self.get_meta().pk.name)
        if defer:
            self.deferred_loading = frozenset(field_names.difference(existing)), False
        else:
            self.deferred_loading = frozenset(field_names), False

    def get_loaded_field_names(self) -> dict[Any, set[str]]:
        """Return, per model, the attnames to load (empty dict: load everything)."""
        field_names, defer = self.deferred_loading
        if not field_names:
            return {}
        result: dict[Any, set[str]] = {}
        opts = self.get_meta()
        for model, names in self._deferred_by_model(field_names).items():
            meta = model._meta
            attnames = {meta.get_field(n).attname for n in names}
            if defer:
                loaded = {f.attname for f in meta.concrete_fields} - attnames
            else:
                loaded = attnames
            loaded.add(meta.pk.attname)
            result[model] = loaded
        if opts.concrete_model not in result and self.model not in result and not defer:
            result[self.model] = {opts.pk.attname}
        return result

    def _deferred_by_model(self, field_names: Iterable[str]) -> dict[Any, set[str]]:
        by_model: dict[Any, set[str]] = {}
        for name in field_names:
            parts = name.split(LOOKUP_SEP)
            opts = self.get_meta()
            model = self.model
            for part in parts[:-1]:
                field = opts.get_field(part)
                model = field.related_model
                opts = model._meta
                by_model.setdefault(model, set())
            last = parts[-1]
            try:
                field = opts.get_field(last)
            except FieldDoesNotExist:
                raise FieldError(f"{model._meta.object_name} has no field named '{last}'") from None
            if field.is_relation and (field.many_to_many or field.one_to_many):
                raise FieldError(
                    f"Field {model._meta.object_name}.{field.name} can't be deferred or loaded "
                    "alone: it is a many-to-many or reverse relation."
                )
            by_model.setdefault(model, set()).add(last)
        return by_model

    # -- tables and joins ---------------------------------------------------------------

    def get_initial_alias(self) -> str:
        """Return the alias of the base table, creating it if needed."""
        if self.alias_map:
            alias = next(iter(self.alias_map))
            self.ref_alias(alias)
            return alias
        alias = self.table_alias(self.get_meta().db_table, create=True)[0]
        self.alias_map[alias] = BaseTable(self.get_meta().db_table, alias, self.model)
        return alias

    def table_alias(self, table_name: str, create: bool = False) -> tuple[str, bool]:
        """Return an alias for ``table_name`` and whether it is new."""
        alias_list = self.table_map.get(table_name)
        if not create and alias_list:
            alias = alias_list[0]
            self.alias_refcount[alias] += 1
            return alias, False
        if alias_list:
            alias = f"{self.alias_prefix}{len(self.alias_map) + 1}"
            alias_list.append(alias)
        else:
            alias = table_name
            self.table_map[table_name] = [alias]
        self.alias_refcount[alias] = 1
        return alias, True

    def ref_alias(self, alias: str) -> None:
        """Count one more use of ``alias``."""
        self.alias_refcount[alias] = self.alias_refcount.get(alias, 0) + 1

    def count_active_tables(self) -> int:
        """Return how many tables the query uses."""
        return len([1 for count in self.alias_refcount.values() if count])

    def join(self, join: Join, reuse: set[str] | None = None) -> str:
        """Return the alias of ``join``: an equal existing join's if reusable, else a new one.

        ``reuse`` limits which existing aliases may be reused (None: any).
        """
        reuse_aliases = [
            a for a, j in self.alias_map.items() if (reuse is None or a in reuse) and j == join
        ]
        if reuse_aliases:
            alias = join.table_alias if join.table_alias in reuse_aliases else reuse_aliases[-1]
            self.ref_alias(alias)
            return alias
        alias, _ = self.table_alias(join.table_name, create=True)
        if join.join_type:
            parent = self.alias_map[join.parent_alias]
            if parent.join_type == LOUTER or join.nullable or join.m2m:
                join_type = LOUTER
            else:
                join_type = INNER
            join.join_type = join_type
        join.table_alias = alias
        self.alias_map[alias] = join
        return alias

    def promote_joins(self, aliases: Iterable[str]) -> None:
        """Make these joins (and the joins under them) LEFT OUTER."""
        aliases = list(aliases)
        while aliases:
            alias = aliases.pop(0)
            join = self.alias_map.get(alias)
            if join is None or join.join_type is None:
                continue
            if join.join_type != LOUTER:
                self.alias_map[alias] = join.promote()  # type: ignore[union-attr]
                aliases.extend(
                    a
                    for a, j in self.alias_map.items()
                    if j.parent_alias == alias and a not in aliases
                )

    def names_to_path(
        self,
        names: Sequence[str],
        opts: Options | None,
        allow_many: bool = True,
        fail_on_missing: bool = False,
    ) -> tuple[list[PathInfo], Any, tuple[Any, ...], list[str]]:
        """Walk ``names`` through fields and relations.

        Return the relation hops, the final field, its target columns and the
        names left over (lookups and transforms).
        """
        path: list[PathInfo] = []
        names_with_path: list[tuple[str, list[PathInfo]]] = []
        final_field: Any = None
        targets: tuple[Any, ...] = ()
        pos = -1
        for pos, name in enumerate(names):
            cur_names_with_path: tuple[str, list[PathInfo]] = (name, [])
            if name == "pk" and opts is not None:
                name = opts.pk.name
            field = None
            filtered_relation = None
            try:
                if opts is None:
                    raise FieldDoesNotExist
                field = opts.get_field(name)
            except FieldDoesNotExist:
                if name in self.annotation_select:
                    field = self.annotation_select[name].output_field
                elif name in self._filtered_relations and pos == 0:
                    filtered_relation = self._filtered_relations[name]
                    if LOOKUP_SEP in filtered_relation.relation_name:
                        parts = filtered_relation.relation_name.split(LOOKUP_SEP)
                        filtered_relation_path, field, _, _ = self.names_to_path(
                            parts, opts, allow_many, fail_on_missing
                        )
                        path.extend(filtered_relation_path[:-1])
                    else:
                        assert opts is not None
                        field = opts.get_field(filtered_relation.relation_name)
            if field is None:
                pos -= 1
                if pos == -1 or fail_on_missing:
                    available = sorted(
                        [
                            *get_field_names_from_opts(opts),
                            *self.annotation_select,
                            *self._filtered_relations,
                        ]
                    )
                    raise FieldError(
                        f"Cannot resolve keyword '{name}' into field. Choices are: "
                        f"{', '.join(available)}"
                    )
                break
            if field.is_relation and not field.related_model:
                raise FieldError(
                    f"Field {name!r} does not generate an automatic reverse relation and "
                    "therefore cannot be used for reverse querying."
                )
            if opts is not None and opts.all_parents and filtered_relation is None:
                # A field of a multi-table parent: join up to the parent's table first.
                owner = getattr(field, "model", None)
                if owner is not None and hasattr(owner, "_meta"):
                    owner = owner._meta.concrete_model
                    if owner is not opts.model:
                        path_to_parent = opts.get_path_to_parent(owner)
                        if path_to_parent:
                            path.extend(path_to_parent)
                            cur_names_with_path[1].extend(path_to_parent)
                            opts = path_to_parent[-1].to_opts
            if hasattr(field, "path_infos"):
                if filtered_relation is not None:
                    pathinfos = field.get_path_info(filtered_relation)
                else:
                    pathinfos = field.path_infos
                if not allow_many:
                    for inner_pos, p in enumerate(pathinfos):
                        if p.m2m:
                            cur_names_with_path[1].extend(pathinfos[0 : inner_pos + 1])
                            names_with_path.append(cur_names_with_path)
                            raise MultiJoin(pos + 1, names_with_path)
                last = pathinfos[-1]
                path.extend(pathinfos)
                final_field = last.join_field
                opts = last.to_opts
                targets = last.target_fields
                cur_names_with_path[1].extend(pathinfos)
                names_with_path.append(cur_names_with_path)
            else:
                final_field = field
                targets = (field,)
                if fail_on_missing and pos + 1 != len(names):
                    raise FieldError(
                        f"Cannot resolve keyword {names[pos + 1]!r} into field. Join on "
                        f"'{name}' not permitted."
                    )
                break
        return path, final_field, targets, list(names[pos + 1 :])

    def setup_joins(
        self,
        names: Sequence[str],
        opts: Options,
        alias: str,
        can_reuse: set[str] | None = None,
        allow_many: bool = True,
    ) -> JoinInfo:
        """Add the joins ``names`` needs and return where they lead.

        Names past the last field are transforms, applied by the returned
        ``transform_function``.
        """
        joins = [alias]
        # The first names that resolve are fields; the rest are transforms.
        last_field_exception = None
        path: list[PathInfo] = []
        final_field = targets = None
        names_with_path: list[str] = []
        for pivot in range(len(names), 0, -1):
            try:
                path, final_field, targets, rest = self.names_to_path(
                    names[:pivot], opts, allow_many, fail_on_missing=True
                )
            except FieldError as exc:
                if pivot == 1:
                    raise
                last_field_exception = exc
            else:
                transforms = list(names[pivot:])
                break
        else:  # pragma: no cover - the loop always breaks or raises
            raise last_field_exception  # type: ignore[misc]
        del names_with_path, rest

        final_transformer: Any = _final_transformer
        for name in transforms:

            def transform(
                field: Any, alias: str, *, name: str = name, previous: Any = final_transformer
            ) -> Any:
                try:
                    wrapped = previous(field, alias)
                    return self.try_transform(wrapped, name)
                except FieldError:
                    if isinstance(final_field, Lookup) or last_field_exception is None:
                        raise
                    raise last_field_exception from None

            final_transformer = transform
            final_transformer.has_transforms = True

        for join in path:
            if join.filtered_relation:
                filtered_relation = join.filtered_relation.clone()
                table_alias = filtered_relation.alias
            else:
                filtered_relation = None
                table_alias = None
            opts = join.to_opts
            nullable = self.is_nullable_join(join)
            connection = Join(
                opts.db_table,
                alias,
                table_alias,
                INNER,
                join.join_field,
                nullable,
                model=opts.model,
                m2m=join.m2m,
                filtered_relation=filtered_relation,
            )
            reuse = can_reuse if join.m2m else None
            alias = self.join(connection, reuse=reuse)
            joins.append(alias)
            if filtered_relation:
                filtered_relation.path = joins[:]
        return JoinInfo(final_field, targets, opts, joins, path, final_transformer)

    def join_parent_model(self, opts: Options, model: Any, alias: str, seen: dict[Any, str]) -> str:
        """Join the tables from ``opts``'s model up to its ancestor ``model``; return its alias.

        ``seen`` maps the ancestors already joined to their aliases.
        """
        if model in seen:
            return seen[model]
        curr_opts = opts
        for int_model in opts.get_base_chain(model):
            # An ancestor joined already is found again by setup_joins() (joins are reused).
            if not curr_opts.parents[int_model]:
                # A proxy's parent: the same table.
                curr_opts = int_model._meta
                continue
            link_field = curr_opts.get_ancestor_link(int_model)
            join_info = self.setup_joins([link_field.name], curr_opts, alias)
            curr_opts = int_model._meta
            alias = seen[int_model] = join_info.joins[-1]
        return alias

    @staticmethod
    def is_nullable_join(path: PathInfo) -> bool:
        """Return whether a hop may find no row (a reverse or nullable relation)."""
        if path.m2m or not path.direct:
            return True
        return bool(getattr(path.join_field, "null", False))

    def trim_joins(
        self, targets: tuple[Any, ...], joins: list[str], path: list[PathInfo]
    ) -> tuple[tuple[Any, ...], str, list[str]]:
        """Drop trailing joins whose target columns are on the previous table.

        ``author__id=1`` needs no join: it is ``author_id = 1``.
        """
        joins = joins[:]
        for info in reversed(path):
            if len(joins) == 1 or not info.direct:
                break
            if info.filtered_relation:
                break
            join_targets = {t.column for t in info.join_field.foreign_related_fields}
            cur_targets = {t.column for t in targets}
            if not cur_targets.issubset(join_targets):
                break
            targets_dict = {
                r[1].column: r[0]
                for r in info.join_field.related_fields
                if r[1].column in cur_targets
            }
            targets = tuple(targets_dict[t.column] for t in targets)
            self.unref_alias(joins.pop())
        return targets, joins[-1], joins

    def unref_alias(self, alias: str, amount: int = 1) -> None:
        """Count one use of ``alias`` less; a join nobody uses is dropped."""
        self.alias_refcount[alias] -= amount
        if self.alias_refcount[alias] <= 0:
            join = self.alias_map.get(alias)
            still_parent = any(j.parent_alias == alias for j in self.alias_map.values())
            if isinstance(join, Join) and not still_parent:
                del self.alias_map[alias]
                del self.alias_refcount[alias]
                aliases = self.table_map.get(join.table_name, [])
                if alias in aliases:
                    aliases.remove(alias)
                    if not aliases:
                        del self.table_map[join.table_name]

    def is_nullable(self, field: Any) -> bool:
        """Return whether ``field``'s column may hold NULL."""
        return bool(field.null)

    def _get_col(self, target: Any, field: Any, alias: str) -> Col:
        return target.get_col(alias, field if field is not target else None)  # type: ignore[no-any-return]

    # -- filters -----------------------------------------------------------------------

    def add_q(self, q_object: Q) -> None:
        """AND ``q_object`` into the where tree."""
        clause, _ = self._add_q(q_object, self.used_aliases)
        if clause:
            self.where.add(clause, AND)

    def add_filter(self, filter_lhs: str, filter_rhs: Any) -> None:
        """AND one ``name=value`` condition."""
        self.add_q(Q((filter_lhs, filter_rhs)))

    def _add_q(
        self,
        q_object: Q,
        used_aliases: set[str] | None,
        branch_negated: bool = False,
        current_negated: bool = False,
        allow_joins: bool = True,
        split_subq: bool = True,
        check_filterable: bool = True,
        summarize: bool = False,
    ) -> tuple[WhereNode, set[str]]:
        connector = q_object.connector
        current_negated ^= q_object.negated
        branch_negated = branch_negated or q_object.negated
        target_clause = WhereNode(connector=connector, negated=q_object.negated)
        needed_inner: set[str] = set()
        for child in q_object.children:
            child_clause, needed = self.build_filter(
                child,
                can_reuse=used_aliases,
                branch_negated=branch_negated,
                current_negated=current_negated,
                allow_joins=allow_joins,
                split_subq=split_subq,
                check_filterable=check_filterable,
                summarize=summarize,
            )
            if child_clause:
                target_clause.add(child_clause, connector)
            needed_inner |= set(needed)
        return target_clause, needed_inner

    def solve_lookup_type(
        self, lookup: str, summarize: bool = False
    ) -> tuple[list[str], list[str], Any]:
        """Split ``"author__name__icontains"`` into lookups, field parts and an annotation."""
        lookup_splitted = lookup.split(LOOKUP_SEP)
        if self.annotations:
            for n in range(1, len(lookup_splitted) + 1):
                level_n_lookup = LOOKUP_SEP.join(lookup_splitted[0:n])
                if level_n_lookup in self.annotations:
                    expression = self.annotations[level_n_lookup]
                    if summarize:
                        expression = Ref(level_n_lookup, expression)
                    return lookup_splitted[n:], [], expression
        _, field, _, lookup_parts = self.names_to_path(lookup_splitted, self.get_meta())
        field_parts = lookup_splitted[0 : len(lookup_splitted) - len(lookup_parts)]
        return lookup_parts, field_parts, False

    def check_filterable(self, expression: Any) -> None:
        """Raise NotSupportedError for expressions that can't be filtered on."""
        from fastjango.db.utils import NotSupportedError

        if hasattr(expression, "resolve_expression") and not getattr(
            expression, "filterable", True
        ):
            raise NotSupportedError(
                f"{expression.__class__.__name__} is disallowed in the filter clause."
            )
        if hasattr(expression, "get_source_expressions"):
            for expr in expression.get_source_expressions():
                if expr is not None:
                    self.check_filterable(expr)

    def resolve_lookup_value(
        self, value: Any, can_reuse: set[str] | None, allow_joins: bool, summarize: bool = False
    ) -> Any:
        """Resolve expressions (and querysets) in a filter's value."""
        if hasattr(value, "resolve_expression"):
            return value.resolve_expression(
                self, reuse=can_reuse, allow_joins=allow_joins, summarize=summarize
            )
        if isinstance(value, list | tuple):
            values = (
                self.resolve_lookup_value(sub_value, can_reuse, allow_joins, summarize)
                for sub_value in value
            )
            type_ = type(value)
            if hasattr(type_, "_make"):
                return type_(*values)
            return type_(values)
        return value

    def check_related_objects(self, field: Any, value: Any, opts: Options) -> None:
        """Raise ValueError when a model instance of the wrong model is compared to a relation."""
        if not field.is_relation:
            return
        if isinstance(value, Query) and not value.has_select_fields:
            if not check_rel_lookup_compatibility(value.model, opts, field):
                raise ValueError(
                    f'Cannot use QuerySet for "{value.model._meta.object_name}": Use a QuerySet '
                    f'for "{opts.object_name}".'
                )
        elif hasattr(value, "_meta"):
            self._check_query_object_type(value, opts, field)
        elif isinstance(value, list | tuple | set | frozenset):
            for v in value:
                self._check_query_object_type(v, opts, field)

    @staticmethod
    def _check_query_object_type(value: Any, opts: Options, field: Any) -> None:
        if hasattr(value, "_meta"):
            if not check_rel_lookup_compatibility(value._meta.model, opts, field):
                raise ValueError(f'Cannot query "{value}": Must be "{opts.object_name}" instance.')

    def build_filter(
        self,
        filter_expr: Any,
        branch_negated: bool = False,
        current_negated: bool = False,
        can_reuse: set[str] | None = None,
        allow_joins: bool = True,
        split_subq: bool = True,
        check_filterable: bool = True,
        summarize: bool = False,
    ) -> tuple[Any, Iterable[str]]:
        """Resolve one condition (``(name, value)``, a ``Q`` or an expression) into a node."""
        if isinstance(filter_expr, dict):
            raise FieldError("Cannot parse keyword query as dict")
        if isinstance(filter_expr, Q):
            return self._add_q(
                filter_expr,
                branch_negated=branch_negated,
                current_negated=current_negated,
                used_aliases=can_reuse,
                allow_joins=allow_joins,
                split_subq=split_subq,
                check_filterable=check_filterable,
                summarize=summarize,
            )
        if hasattr(filter_expr, "resolve_expression"):
            if not getattr(filter_expr, "conditional", False):
                raise TypeError("Cannot filter against a non-conditional expression.")
            condition = filter_expr.resolve_expression(
                self, allow_joins=allow_joins, reuse=can_reuse, summarize=summarize
            )
            if not isinstance(condition, Lookup | WhereNode):
                condition = self.build_lookup(["exact"], condition, True)
            return WhereNode([condition], connector=AND), []
        arg, value = filter_expr
        if not arg:
            raise FieldError(f"Cannot parse keyword query {arg!r}")
        lookups, parts, reffed_expression = self.solve_lookup_type(arg, summarize)
        if check_filterable:
            self.check_filterable(reffed_expression)
        if not allow_joins and len(parts) > 1:
            raise FieldError("Joined field references are not permitted in this query")
        original_value = value
        value = self.resolve_lookup_value(value, can_reuse, allow_joins, summarize)
        if check_filterable:
            self.check_filterable(value)
        if reffed_expression:
            condition = self.build_lookup(lookups, reffed_expression, value)
            return WhereNode([condition], connector=AND), []
        opts = self.get_meta()
        alias = self.get_initial_alias()
        allow_many = not branch_negated or not split_subq
        try:
            join_info = self.setup_joins(
                parts, opts, alias, can_reuse=can_reuse, allow_many=allow_many
            )
            if isinstance(value, Iterator):
                value = list(value)
            self.check_related_objects(join_info.final_field, value, join_info.opts)
        except MultiJoin:
            return self.split_exclude((arg, original_value)), ()
        targets, alias, join_list = self.trim_joins(
            join_info.targets, join_info.joins, join_info.path
        )
        if can_reuse is not None:
            can_reuse.update(join_list)
        final_field = join_info.final_field
        if final_field.is_relation:
            value = self._normalize_related_value(final_field, targets[0], value)
            if getattr(final_field, "concrete", False) and targets[0] is final_field:
                # A foreign key's own column: lookups (and errors) are the key's, as in Django.
                col = Col(alias, targets[0], final_field)
            else:
                col = targets[0].get_col(alias)
        else:
            col = self._get_col(targets[0], final_field, alias)
        condition = self.build_lookup(lookups, col, value)
        lookup_type = condition.lookup_name
        clause = WhereNode([condition], connector=AND)
        require_outer = lookup_type == "isnull" and condition.rhs is True and not current_negated
        if (
            current_negated
            and (lookup_type != "isnull" or condition.rhs is False)
            and condition.rhs is not None
        ):
            require_outer = True
            if lookup_type != "isnull":
                join = self.alias_map[join_list[-1]]
                if self.is_nullable(targets[0]) or join.join_type == LOUTER:
                    lookup_class = targets[0].get_lookup("isnull")
                    col = self._get_col(targets[0], join_info.targets[0], alias)
                    clause.add(lookup_class(col, False), AND)
                if isinstance(value, Col) and self.is_nullable(value.target):
                    lookup_class = value.target.get_lookup("isnull")
                    clause.add(lookup_class(value, False), AND)
        return clause, (() if require_outer else join_list)

    def _normalize_related_value(self, field: Any, target: Any, value: Any) -> Any:
        """Turn model instances (and querysets) compared with a relation into column values."""
        if isinstance(value, Query):
            if not value.has_select_fields:
                value = value.clone()
                value.clear_select_clause()
                remote = target
                # The subquery selects what the relation's column holds.
                target_field = getattr(field, "target_field", None)
                if getattr(field, "many_to_one", False) and target_field is not None:
                    remote = target_field
                value.add_fields([remote.attname if remote.model is value.model else "pk"])
            return value
        if hasattr(value, "_meta"):
            return self._instance_value(field, target, value)
        if isinstance(value, list | tuple | set | frozenset):
            return (
                type(value)(
                    self._instance_value(field, target, v) if hasattr(v, "_meta") else v
                    for v in value
                )
                if not hasattr(type(value), "_make")
                else value
            )
        return value

    @staticmethod
    def _instance_value(field: Any, target: Any, instance: Any) -> Any:
        if instance.pk is None:
            raise ValueError("Model instances passed to related filters must be saved.")
        # Compare with the column the relation points at (the pk unless to_field says).
        if getattr(field, "many_to_one", False) or getattr(field, "one_to_one", False):
            if getattr(field, "concrete", False):
                return getattr(instance, field.target_field.attname)
        remote_field = getattr(field, "target_field", None)
        if remote_field is not None and remote_field.model is type(instance)._meta.concrete_model:
            return getattr(instance, remote_field.attname)
        return instance.pk

    def split_exclude(self, filter_expr: tuple[str, Any]) -> WhereNode:
        """Return ``pk IN (rows matching filter_expr)`` for a negated multi-valued filter.

        ``exclude(entry__headline="x")`` excludes blogs with *any* such entry,
        including blogs reached through several entries.
        """
        inner = Query(self.model)
        inner.add_filter(*filter_expr)
        inner.clear_ordering(force=True)
        inner.clear_select_clause()
        inner.add_fields(["pk"])
        inner.subquery = True
        pk = self.get_meta().pk
        col = pk.get_col(self.get_initial_alias())
        lookup_class = pk.get_lookup("in")
        return WhereNode([lookup_class(col, inner)], connector=AND)

    def build_lookup(self, lookups: Sequence[str], lhs: Any, rhs: Any) -> Any:
        """Return the lookup for ``lhs <lookups> rhs``; ``exact=None`` becomes ``isnull``."""
        *transforms, lookup_name = lookups or ["exact"]
        for name in transforms:
            lhs = self.try_transform(lhs, name)
        lookup_class = lhs.get_lookup(lookup_name)
        if not lookup_class:
            lhs = self.try_transform(lhs, lookup_name)
            lookup_name = "exact"
            lookup_class = lhs.get_lookup(lookup_name)
            if not lookup_class:
                return None
        lookup = lookup_class(lhs, rhs)
        if lookup.rhs is None and not lookup.can_use_none_as_rhs:
            if lookup_name not in ("exact", "iexact"):
                raise ValueError("Cannot use None as a query value")
            return lhs.get_lookup("isnull")(lhs, True)
        return lookup

    def try_transform(self, lhs: Any, name: str) -> Any:
        """Return ``lhs`` transformed by ``name``; raise FieldError suggesting real lookups."""
        transform_class = lhs.get_transform(name)
        if transform_class:
            return transform_class(lhs)
        output_field = lhs.output_field.__class__
        suggested = difflib.get_close_matches(name, list(lhs.output_field.get_lookups()))
        suggestion = f", perhaps you meant {' or '.join(suggested)}?" if suggested else "."
        raise FieldError(
            f"Unsupported lookup '{name}' for {output_field.__name__} or join on the field not "
            f"permitted{suggestion}"
        )

    def set_empty(self) -> None:
        """Make the query match nothing (``none()``)."""
        self.where.add(NothingNode(), AND)
        for query in self.combined_queries:
            query.set_empty()

    def is_empty(self) -> bool:
        """Return whether the query can match nothing."""
        return any(isinstance(c, NothingNode) for c in self.where.children)

    # -- references ---------------------------------------------------------------------

    def resolve_ref(
        self,
        name: str,
        allow_joins: bool = True,
        reuse: set[str] | None = None,
        summarize: bool = False,
    ) -> Any:
        """Resolve ``F(name)``: an annotation, or a column (joining as needed)."""
        annotation = self.annotations.get(name)
        if annotation is not None:
            if not allow_joins:
                for alias in self._gen_col_aliases([annotation]):
                    if isinstance(self.alias_map.get(alias), Join):
                        raise FieldError("Joined field references are not permitted in this query")
            if summarize:
                if name not in self.annotation_select:
                    raise FieldError(
                        f"Cannot aggregate over the '{name}' alias. Use annotate() to promote it."
                    )
                return Ref(name, self.annotation_select[name])
            return annotation
        field_list = name.split(LOOKUP_SEP)
        annotation = self.annotations.get(field_list[0])
        if annotation is not None:
            for transform in field_list[1:]:
                annotation = self.try_transform(annotation, transform)
            return annotation
        join_info = self.setup_joins(
            field_list, self.get_meta(), self.get_initial_alias(), can_reuse=reuse
        )
        targets, final_alias, join_list = self.trim_joins(
            join_info.targets, join_info.joins, join_info.path
        )
        if not allow_joins and len(join_list) > 1:
            raise FieldError("Joined field references are not permitted in this query")
        if len(targets) > 1:
            raise FieldError("Referencing multicolumn fields with F() objects isn't supported")
        transform = join_info.transform_function(targets[0], final_alias)
        if reuse is not None:
            reuse.update(join_list)
        return transform

    @staticmethod
    def _gen_cols(exprs: Iterable[Any], include_external: bool = False) -> Iterator[Col]:
        for expr in exprs:
            if isinstance(expr, Col):
                yield expr
            elif include_external and isinstance(expr, OuterCol):
                yield from Query._gen_cols([expr.col], include_external)
            elif hasattr(expr, "get_source_expressions"):
                if isinstance(expr, Query):
                    continue
                yield from Query._gen_cols(
                    [e for e in expr.get_source_expressions() if e is not None], include_external
                )

    @classmethod
    def _gen_col_aliases(cls, exprs: Iterable[Any]) -> Iterator[str]:
        yield from (expr.alias for expr in cls._gen_cols(exprs))

    def add_annotation(self, annotation: Any, alias: str, select: bool = True) -> None:
        """Resolve ``annotation`` and add it as ``alias`` (selected unless ``select=False``)."""
        annotation = annotation.resolve_expression(self, allow_joins=True, reuse=None)
        if select:
            self.append_annotation_mask([alias])
        else:
            self.set_annotation_mask(set(self.annotation_select).difference({alias}))
        self.annotations[alias] = annotation

    def add_filtered_relation(self, filtered_relation: Any, alias: str) -> None:
        """Register a ``FilteredRelation`` under ``alias`` (for ``alias__field`` lookups)."""
        filtered_relation.alias = alias
        relation_lookup_parts, relation_field_parts, _ = self.solve_lookup_type(
            filtered_relation.relation_name
        )
        if relation_lookup_parts:
            raise ValueError(
                "FilteredRelation's relation_name cannot contain lookups (got "
                f"{filtered_relation.relation_name!r})."
            )
        relation_name = filtered_relation.relation_name
        for lookup in _q_lookups(filtered_relation.condition):
            lookup_parts, lookup_field_parts, _ = self.solve_lookup_type(lookup)
            shift = 2 if not lookup_parts else 1
            for index, part in enumerate(lookup_field_parts[:-shift]):
                if index >= len(relation_field_parts):
                    raise ValueError(
                        "FilteredRelation's condition doesn't support nested relations deeper "
                        f"than the relation_name (got {lookup!r} for {relation_name!r})."
                    )
                if relation_field_parts[index] != part:
                    raise ValueError(
                        "FilteredRelation's condition doesn't support relations outside the "
                        f"{relation_name!r} (got {lookup!r})."
                    )
        filtered_relation.condition = _rename_prefix(
            relation_name, alias, filtered_relation.condition
        )
        self._filtered_relations[filtered_relation.alias] = filtered_relation

    def build_filtered_relation_q(self, q_object: Q, reuse: set[str]) -> WhereNode:
        """Return a FilteredRelation's condition on its join (the ON clause addition)."""
        where, _ = self._add_q(q_object, used_aliases=reuse, split_subq=False)
        return where

    # -- aggregation ------------------------------------------------------------------------

    def get_aggregation_query(self, aggregate_exprs: dict[str, Any]) -> tuple[Any, list[Any]]:
        """Return the query computing ``aggregate_exprs`` and the values for an empty result.

        A query that is grouped, sliced, distinct, combined or already
        aggregated is wrapped: ``SELECT agg(...) FROM (this query) subquery``.
        """
        if not aggregate_exprs:
            raise TypeError("aggregate() needs at least one aggregate expression.")
        aggregates: dict[str, Any] = {}
        saved = (self.annotations, self.annotation_select_mask)
        inline: dict[Any, Any] = {}
        try:
            for alias, aggregate_expr in aggregate_exprs.items():
                aggregate = aggregate_expr.resolve_expression(
                    self, allow_joins=True, reuse=None, summarize=True
                )
                if not getattr(aggregate, "contains_aggregate", False):
                    raise TypeError(f"{alias} is not an aggregate expression")
                # Later expressions may use this one (``F("total") * 2``): inline it.
                aggregate = aggregate.replace_expressions(inline)
                self.annotations = {**self.annotations, alias: aggregate}
                if self.annotation_select_mask is not None:
                    self.annotation_select_mask = [*self.annotation_select_mask, alias]
                inline[Ref(alias, aggregate)] = aggregate
                aggregates[alias] = aggregate
        finally:
            self.annotations, self.annotation_select_mask = saved
        _, having = self.where.split_having()
        has_existing_aggregation = (
            any(getattr(a, "contains_aggregate", True) for a in self.annotations.values())
            or having is not None
        )
        outer: Any
        if (
            isinstance(self.group_by, tuple)
            or self.is_sliced
            or has_existing_aggregation
            or self.where.contains_over_clause
            or self.distinct
            or self.combinator
        ):
            inner = self.clone()
            inner.subquery = True
            outer = AggregateQuery(self.model, inner)
            inner.select_for_update = False
            inner.select_related = False
            inner.set_annotation_mask(self.annotation_select)
            inner.clear_ordering(force=False)
            if not inner.distinct:
                if inner.default_cols and has_existing_aggregation:
                    inner.group_by = (self.model._meta.pk.get_col(inner.get_initial_alias()),)
                inner.default_cols = False
                annotation_mask: set[str] = set()
                if isinstance(self.group_by, tuple):
                    for expr in self.group_by:
                        annotation_mask |= expr.get_refs() if hasattr(expr, "get_refs") else set()
                for aggregate in aggregates.values():
                    annotation_mask |= aggregate.get_refs()
                inner.set_annotation_mask(annotation_mask)
            col_refs: dict[Any, Ref] = {}
            for alias, aggregate in aggregates.items():
                replacements: dict[Any, Any] = {}
                for col in _gen_cols_no_refs([aggregate]):
                    col_ref = col_refs.get(col)
                    if col_ref is None:
                        col_alias = f"__col{len(col_refs) + 1}"
                        col_ref = Ref(col_alias, col)
                        col_refs[col] = col_ref
                        inner.add_annotation(col, col_alias)
                    replacements[col] = col_ref
                outer.annotations[alias] = aggregate.replace_expressions(replacements)
            if not inner.select and not inner.default_cols and not inner.annotation_select_mask:
                inner.select = (self.model._meta.pk.get_col(inner.get_initial_alias()),)
        else:
            outer = self.clone()
            outer.select = ()
            outer.values_select = ()
            outer.default_cols = False
            if self.annotations:
                replacements = {
                    Ref(alias, annotation): annotation
                    for alias, annotation in self.annotations.items()
                }
                outer.annotations = {
                    alias: aggregate.replace_expressions(replacements)
                    for alias, aggregate in aggregates.items()
                }
            else:
                outer.annotations = aggregates
            outer.set_annotation_mask(aggregates)
            outer.clear_ordering(force=True)
            outer.clear_limits()
            outer.select_for_update = False
            outer.select_related = False
        empty = [
            None
            if getattr(a, "empty_result_set_value", NotImplemented) is NotImplemented
            else a.empty_result_set_value
            for a in outer.annotation_select.values()
        ]
        return outer, empty

    # -- subqueries -------------------------------------------------------------------------

    def resolve_expression(self, query: Any = None, *args: Any, **kwargs: Any) -> Query:
        """Return a copy used as a subquery of ``query`` (its OuterRefs resolved there)."""
        clone = self.clone()
        clone.subquery = True
        if not clone.is_sliced and not clone.distinct_fields:
            clone.clear_ordering(force=True)
        if query is not None:
            clone = clone.resolve_outer_refs(query, depth=1)
        return clone

    def resolve_outer_refs(self, outer: Query, depth: int) -> Query:
        """Return a copy where ``OuterRef``s ``depth`` levels up read columns of ``outer``."""
        clone = self.clone()
        clone.where = _replace_outer(clone.where, outer, depth)
        clone.annotations = {
            k: _replace_outer(v, outer, depth) for k, v in clone.annotations.items()
        }
        clone.select = tuple(_replace_outer(s, outer, depth) for s in clone.select)
        clone.order_by = tuple(
            _replace_outer(o, outer, depth) if not isinstance(o, str) else o for o in clone.order_by
        )
        if clone.combined_queries:
            clone.combined_queries = tuple(
                q.resolve_outer_refs(outer, depth) for q in clone.combined_queries
            )
        return clone

    def get_external_cols(self) -> list[Any]:
        """Return the outer columns this query reads (for GROUP BY of the outer query)."""
        exprs = [self.where, *self.annotations.values(), *self.select]
        return [expr for expr in self._gen_outer(exprs)]

    @staticmethod
    def _gen_outer(exprs: Iterable[Any]) -> Iterator[Any]:
        for expr in exprs:
            if isinstance(expr, OuterCol):
                if expr.depth == 1:
                    yield expr.col
            elif isinstance(expr, Query):
                continue
            elif hasattr(expr, "get_source_expressions"):
                yield from Query._gen_outer(
                    [e for e in expr.get_source_expressions() if e is not None]
                )

    def has_limit_one(self) -> bool:
        """Return whether the query is sliced to one row."""
        return self.high_mark is not None and (self.high_mark - self.low_mark) == 1

    def exists(self, limit: bool = True) -> Query:
        """Return a copy that selects ``1`` (at most one row): for ``EXISTS``."""
        q = self.clone()
        if not (q.distinct and q.is_sliced):
            if q.group_by is True:
                q.add_fields((f.attname for f in self.model._meta.concrete_fields), False)
                q.set_group_by(allow_aliases=False)
            q.clear_select_clause()
        if q.combined_queries and q.combinator == "union":
            q.combined_queries = tuple(cq.exists(limit=False) for cq in q.combined_queries)
        q.clear_ordering(force=True)
        if limit:
            q.set_limits(high=1)
        q.add_annotation(Value(1), "a")
        q.exists_query = True
        return q

    # -- ordering, limits, distinct --------------------------------------------------------

    def add_ordering(self, *ordering: Any) -> None:
        """Append orderings (validated now, resolved by the compiler)."""
        errors = []
        for item in ordering:
            if isinstance(item, str):
                if item == "?":
                    continue
                item = item.removeprefix("-")
                if item in self.annotations:
                    continue
                if "." in item:
                    raise FieldError(
                        f"Ordering by raw table.column names ('{item}') isn't supported; use an "
                        "expression."
                    )
                self.names_to_path(item.split(LOOKUP_SEP), self.model._meta)
            elif not hasattr(item, "resolve_expression"):
                errors.append(item)
            if getattr(item, "contains_aggregate", False):
                raise FieldError(
                    "Using an aggregate in order_by() without also including it in annotate() "
                    f"is not allowed: {item}"
                )
        if errors:
            raise FieldError(f"Invalid order_by arguments: {errors}")
        if ordering:
            self.order_by += ordering
        else:
            self.default_ordering = False

    def clear_ordering(self, force: bool = False, clear_default: bool = True) -> None:
        """Drop the ordering (kept on a sliced query unless ``force``)."""
        if not force and (self.is_sliced or self.distinct_fields or self.select_for_update):
            return
        self.order_by = ()
        if clear_default:
            self.default_ordering = False

    def set_limits(self, low: int | None = None, high: int | None = None) -> None:
        """Narrow the slice of rows (offsets relative to the current slice)."""
        if high is not None:
            if self.high_mark is not None:
                self.high_mark = min(self.high_mark, self.low_mark + high)
            else:
                self.high_mark = self.low_mark + high
        if low is not None:
            if self.high_mark is not None:
                self.low_mark = min(self.high_mark, self.low_mark + low)
            else:
                self.low_mark = self.low_mark + low
        if self.low_mark == self.high_mark:
            self.set_empty()

    def clear_limits(self) -> None:
        """Forget the slice."""
        self.low_mark, self.high_mark = 0, None

    @property
    def is_sliced(self) -> bool:
        """Return whether a slice was taken."""
        return self.low_mark != 0 or self.high_mark is not None

    def can_filter(self) -> bool:
        """Return whether filters may still be added (not after slicing)."""
        return not self.is_sliced

    def add_distinct_fields(self, *field_names: str) -> None:
        """``DISTINCT ON (fields)`` (PostgreSQL)."""
        self.distinct_fields = field_names
        self.distinct = True

    def add_select_related(self, fields: Iterable[str]) -> None:
        """Follow these relations with JOINs (``select_related()``)."""
        if isinstance(self.select_related, bool):
            field_dict: dict[str, Any] = {}
        else:
            field_dict = self.select_related
        for field in fields:
            d = field_dict
            for part in field.split(LOOKUP_SEP):
                d = d.setdefault(part, {})
        self.select_related = field_dict

    # -- combining ----------------------------------------------------------------------------

    def combine(self, rhs: Query, connector: str) -> None:
        """Merge ``rhs`` into this query (``qs1 & qs2``, ``qs1 | qs2``, ``qs1 ^ qs2``)."""
        if self.model != rhs.model:
            raise TypeError("Cannot combine queries on two different base models.")
        if self.is_sliced:
            raise TypeError("Cannot combine queries once a slice has been taken.")
        if self.distinct != rhs.distinct:
            raise TypeError("Cannot combine a unique query with a non-unique query.")
        if self.distinct_fields != rhs.distinct_fields:
            raise TypeError("Cannot combine queries with different distinct fields.")
        # Re-resolve rhs's conditions on this query: its joins and aliases.
        rhs_where = rhs.where.copy()
        relabels = self._adopt_joins(rhs, connector)
        rhs_where = _relabel(rhs_where, relabels)
        w = WhereNode(connector=connector)
        w.add(self.where, connector)
        w.add(rhs_where, connector)
        self.where = w
        self.where.connector = connector
        if rhs.select_related:
            if isinstance(rhs.select_related, dict) and isinstance(self.select_related, dict):
                self.select_related.update(rhs.select_related)
            elif rhs.select_related is True or not self.select_related:
                self.select_related = rhs.select_related
        if rhs.order_by:
            self.order_by = rhs.order_by
        for alias, annotation in rhs.annotations.items():
            self.annotations.setdefault(alias, _relabel(annotation, relabels))

    def _adopt_joins(self, rhs: Query, connector: str) -> dict[str, str]:
        relabels: dict[str, str] = {}
        rhs_base = next(iter(rhs.alias_map), None)
        base = self.get_initial_alias()
        if rhs_base is not None:
            relabels[rhs_base] = base
        for alias, join in list(rhs.alias_map.items())[1:]:
            assert isinstance(join, Join)
            new = join.copy()
            new.parent_alias = relabels.get(join.parent_alias, join.parent_alias)
            new.table_alias = None
            # An OR must not lose rows of either side: its joins are outer joins.
            reuse: set[str] | None = None if not join.m2m or connector != AND else set()
            new_alias = self.join(new, reuse=reuse)
            if connector != AND:
                self.promote_joins([new_alias])
            relabels[alias] = new_alias
        return relabels


def _gen_cols_no_refs(exprs: Iterable[Any]) -> Iterator[Col]:
    """Yield the columns under ``exprs`` without entering annotation references."""
    for expr in exprs:
        if isinstance(expr, Col):
            yield expr
        elif isinstance(expr, Ref | Query | OuterCol):
            continue
        elif hasattr(expr, "get_source_expressions"):
            yield from _gen_cols_no_refs(
                [e for e in expr.get_source_expressions() if e is not None]
            )


def _replace_outer(node: Any, outer: Query, depth: int) -> Any:
    """Return ``node`` with ``ResolvedOuterRef``s at ``depth`` resolved against ``outer``."""
    if isinstance(node, OuterRef):
        # OuterRef(OuterRef(...)): one level is used up by each enclosing query.
        return node.resolve_expression()
    if isinstance(node, ResolvedOuterRef):
        if depth == 1:
            col = F(node.name).resolve_expression(outer, allow_joins=True, reuse=None)
            if getattr(col, "contains_over_clause", False):
                from fastjango.db.utils import NotSupportedError

                raise NotSupportedError(
                    f"Referencing outer query window expression is not supported: {node.name}."
                )
            resolved = OuterCol(col, depth)
            resolved.possibly_multivalued = LOOKUP_SEP in node.name
            return resolved
        col = F(node.name).resolve_expression(outer, allow_joins=True, reuse=None)
        return OuterCol(col, depth)
    if isinstance(node, Query):
        return node.resolve_outer_refs(outer, depth + 1)
    if isinstance(node, WhereNode):
        clone = node.copy()
        clone.children = [_replace_outer(child, outer, depth) for child in node.children]
        return clone
    if isinstance(node, Lookup):
        lookup = copy.copy(node)
        lookup.lhs = _replace_outer(node.lhs, outer, depth)
        if isinstance(node.rhs, list):
            lookup.rhs = [_replace_outer(v, outer, depth) for v in node.rhs]
        elif hasattr(node.rhs, "resolve_expression") or isinstance(node.rhs, Query):
            lookup.rhs = _replace_outer(node.rhs, outer, depth)
        return lookup
    if hasattr(node, "query") and isinstance(getattr(node, "query", None), Query):
        clone = copy.copy(node)
        clone.query = node.query.resolve_outer_refs(outer, depth + 1)
        clone.__dict__.pop("identity", None)
        return clone
    if hasattr(node, "get_source_expressions") and hasattr(node, "set_source_expressions"):
        sources = node.get_source_expressions()
        if not sources:
            return node
        new_sources = [_replace_outer(s, outer, depth) if s is not None else None for s in sources]
        if all(a is b for a, b in zip(sources, new_sources, strict=True)):
            return node
        clone = node.copy() if hasattr(node, "copy") else copy.copy(node)
        clone.set_source_expressions(new_sources)
        return clone
    return node


def _relabel(node: Any, relabels: dict[str, str]) -> Any:
    """Return ``node`` with column aliases renamed per ``relabels``."""
    if not relabels or all(k == v for k, v in relabels.items()):
        return node
    if isinstance(node, Col):
        if node.alias in relabels:
            return Col(relabels[node.alias], node.target, node.__dict__.get("output_field"))
        return node
    if isinstance(node, WhereNode):
        clone = node.copy()
        clone.children = [_relabel(child, relabels) for child in node.children]
        return clone
    if isinstance(node, Lookup):
        lookup = copy.copy(node)
        lookup.lhs = _relabel(node.lhs, relabels)
        if hasattr(node.rhs, "resolve_expression") and not isinstance(node.rhs, Query):
            lookup.rhs = _relabel(node.rhs, relabels)
        return lookup
    if isinstance(node, Query | OuterCol):
        return node
    if hasattr(node, "get_source_expressions") and hasattr(node, "set_source_expressions"):
        sources = node.get_source_expressions()
        if not sources:
            return node
        clone = node.copy() if hasattr(node, "copy") else copy.copy(node)
        clone.set_source_expressions(
            [_relabel(s, relabels) if s is not None else None for s in sources]
        )
        return clone
    return node


class AggregateQuery:
    """``SELECT aggregates FROM (inner query) subquery``: aggregating over a grouped query."""

    def __init__(self, model: Any, inner_query: Query) -> None:
        self.model = model
        self.inner_query = inner_query
        self.annotations: dict[str, Any] = {}

    @property
    def annotation_select(self) -> dict[str, Any]:
        """Return the aggregates."""
        return self.annotations


def _q_lookups(q: Q) -> Iterator[str]:
    for child in q.children:
        if isinstance(child, Q):
            yield from _q_lookups(child)
        elif isinstance(child, tuple):
            yield child[0]


def _rename_prefix(prefix: str, replacement: str, q: Q) -> Q:
    """Return ``q`` with lookups starting ``prefix`` rewritten to start ``replacement``."""
    children: list[Any] = []
    for child in q.children:
        if isinstance(child, Q):
            children.append(_rename_prefix(prefix, replacement, child))
        elif isinstance(child, tuple):
            children.append((child[0].replace(prefix, replacement, 1), child[1]))
        else:
            children.append(child)
    return Q(*children, _connector=q.connector, _negated=q.negated)
