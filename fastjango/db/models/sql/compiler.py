"""``SQLCompiler``: a resolved ``Query`` → a SQLAlchemy ``select()`` and its row layout.

Aliases of the query become SQLAlchemy ``FromClause``s here: the outermost
query uses the plain ``Table`` for the first use of each table, so
``queryset.statement`` composes with ``Book.c.title``; subqueries use
anonymous aliases, which SQLAlchemy names uniquely and correlates with the
outer query's columns (``OuterRef``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import distinct_on as pg_distinct_on
from sqlalchemy.sql import ClauseElement

from fastjango.core.exceptions import EmptyResultSet, FieldError, FullResultSet
from fastjango.db.models.constants import LOOKUP_SEP
from fastjango.db.models.expressions import Col, OrderBy, Ref, Value
from fastjango.db.models.query_utils import select_related_descend
from fastjango.db.models.sql import vendor
from fastjango.db.models.sql.datastructures import LOUTER, BaseTable
from fastjango.db.models.sql.hydration import KlassInfo
from fastjango.db.models.sql.qualify import export_columns, qualify_select
from fastjango.db.models.sql.query import AggregateQuery, Query, get_order_dir
from fastjango.db.models.sql.where import NothingNode, WhereNode
from fastjango.db.utils import DatabaseError, NotSupportedError

if TYPE_CHECKING:
    from fastjango.db.backends.base.base import BaseDatabaseWrapper

__all__ = ["SQLCompiler"]


class SQLCompiler:
    """Compile one ``Query`` for one connection (``parent`` set for subqueries)."""

    def __init__(
        self,
        query: Query,
        connection: BaseDatabaseWrapper | None,
        parent: SQLCompiler | None = None,
    ) -> None:
        self.query = query
        self.connection = connection
        self.vendor: str = connection.vendor if connection is not None else ""
        self.parent = parent
        self._froms: dict[str, Any] = {}
        self._plain_tables: set[str] = set()
        #: the FROM subquery whose columns ``Ref``s read (aggregation over a subquery)
        self.ref_source: Any = None
        self.select_labels: dict[str, Any] = {}
        #: how rows map to instances, for model queries
        self.klass_info: KlassInfo | None = None
        #: the name of each selected value, in order (values queries)
        self.column_names: list[str] = []
        self.annotation_positions: dict[str, int] = {}
        self.ddl = False
        #: id(lookup) -> bind parameter name, for values bound by name (statement_cache)
        self.bind_slots: dict[int, str] = {}
        #: the names of ``bind_slots`` that compiling actually bound
        self.slots_bound: set[str] = set()
        # Filtering on window functions (sql.qualify): set on the inner query's compiler,
        # what the outer one reads and where; on the outer one, the columns it reads.
        self.qualify_exports: list[Any] | None = None
        self.export_positions: list[int] = []
        self.exported_order: list[tuple[int, OrderBy]] = []
        self.visible_names: list[str | None] = []
        self.qualify_columns: dict[Any, Any] | None = None

    @classmethod
    def standalone(cls, model: Any) -> SQLCompiler:
        """Return a compiler for expressions on ``model``'s plain table (DDL, checks)."""
        compiler = cls(Query(model), None)
        compiler.ddl = True
        return compiler

    # -- tables ------------------------------------------------------------------

    def from_clause(self, alias: str) -> Any:
        """Return the SQLAlchemy table (or alias) standing for query alias ``alias``."""
        found = self._froms.get(alias)
        if found is not None:
            return found
        entry = self.query.alias_map.get(alias)
        if entry is None:
            if self.ddl:
                table = self.query.model._meta.table
                self._froms[alias] = table
                return table
            raise FieldError(f"The query has no table alias {alias!r}.")
        table = entry.model._meta.table
        if table is None:
            raise FieldError(
                f"{entry.model._meta.label} has no table (it is abstract or not ready yet)."
            )
        if (self.parent is None or self.ddl) and entry.table_name not in self._plain_tables:
            self._plain_tables.add(entry.table_name)
            found = table
        else:
            found = table.alias()
        self._froms[alias] = found
        return found

    def column(self, alias: str, field: Any) -> Any:
        """Return the column of ``field`` on table alias ``alias``."""
        table = self.from_clause(alias)
        try:
            return table.c[field.attname]
        except KeyError:
            raise FieldError(
                f"Column {field.attname!r} isn't on table {alias!r} "
                f"({field.model._meta.label if field.model else field})."
            ) from None

    def build_from(self) -> Any:
        """Return the FROM clause: the base table and its joins."""
        aliases = list(self.query.alias_map)
        if not aliases:
            return None
        frm = self.from_clause(aliases[0])
        for alias in aliases[1:]:
            join = self.query.alias_map[alias]
            if isinstance(join, BaseTable):
                continue
            parent = self.from_clause(join.parent_alias)
            child = self.from_clause(alias)
            conditions = [
                parent.c[lhs.attname] == child.c[rhs.attname] for lhs, rhs in join.join_fields
            ]
            filtered = join.filtered_relation
            if filtered is not None and filtered.condition:
                # Built against the joins the relation made (its path), so it adds none.
                where = self.query.build_filtered_relation_q(
                    filtered.condition, reuse=set(filtered.path)
                )
                try:
                    conditions.append(self.condition(where))
                except FullResultSet:
                    pass
                except EmptyResultSet:
                    conditions.append(sa.false())
            frm = frm.join(child, sa.and_(*conditions), isouter=join.join_type == LOUTER)
        return frm

    # -- expressions --------------------------------------------------------------

    def sa(self, node: Any) -> Any:
        """Compile an expression to a SQLAlchemy element (vendor and Django hooks honoured)."""
        if isinstance(node, ClauseElement):
            return node
        if isinstance(node, Query):
            return self.subquery(node).scalar_subquery()
        if self.qualify_columns is not None:
            column = self.qualify_columns.get(_group_key(node))
            if column is not None:
                return column
        if self.vendor:
            vendor_impl = getattr(node, "as_" + self.vendor, None)
            if vendor_impl is not None:
                sql, params = vendor_impl(self, self.connection)
                return self.from_django_sql(sql, params, node)
        as_sql = getattr(type(node), "as_sql", None)
        if as_sql is not None and not getattr(as_sql, "_fastjango_native", False):
            sql, params = node.as_sql(self, self.connection)
            return self.from_django_sql(sql, params, node)
        if isinstance(node, Ref) and self.ref_source is not None:
            return self.ref_source.c[node.refs]
        return node.as_sqlalchemy(self)

    def condition(self, node: Any) -> Any:
        """Compile a condition; raise EmptyResultSet/FullResultSet as the tree decides."""
        if isinstance(node, WhereNode | NothingNode):
            return node.as_sqlalchemy(self)
        return self.sa(node)

    def compile(self, node: Any) -> tuple[str, list[Any]]:
        """Return Django's ``(sql, params)`` for ``node`` (for custom ``as_sql()`` code)."""
        return self.marker(self.sa(node))

    @staticmethod
    def marker(element: Any) -> tuple[str, list[Any]]:
        """Return ``("%s", [element])``: how compiled elements travel through Django's API."""
        return "%s", [vendor.SQLMarker(element)]

    def from_django_sql(self, sql: str, params: Iterable[Any], node: Any = None) -> Any:
        """Turn Django-style ``(sql, params)`` into a SQLAlchemy element."""
        elements = [
            p.element if isinstance(p, vendor.SQLMarker) else sa.bindparam(None, p, unique=True)
            for p in params
        ]
        type_ = node.sa_type() if node is not None and hasattr(node, "sa_type") else None
        try:
            return vendor.template(vendor.split_template(sql), elements, type_)
        except ValueError as exc:
            raise ValueError(f"{exc} In {type(node).__name__}.as_sql(): {sql!r}") from None

    def subquery(self, query: Query) -> Any:
        """Compile ``query`` as a subquery of this one (its OuterRefs read our columns)."""
        return SQLCompiler(query, self.connection, parent=self).as_select()

    def quote_name_unless_alias(self, name: str) -> str:
        """Return ``name`` quoted (Django's compiler API)."""
        if self.connection is None:
            return name
        return self.connection.ops.quote_name(name)

    # -- ordering -----------------------------------------------------------------------

    def order_element(self, orderby: OrderBy) -> Any:
        """Return what ``orderby`` orders by (a selected annotation's label, if it is one)."""
        expr = orderby.expression
        if isinstance(expr, Ref) and expr.refs in self.select_labels and self.ref_source is None:
            return self.select_labels[expr.refs]
        return self.sa(expr)

    def order_clauses(self, orderby: OrderBy, element: Any = None) -> list[Any]:
        """Return the ORDER BY items for one ``OrderBy`` (NULLS placement emulated on MySQL)."""
        if element is None:
            element = self.order_element(orderby)
        clause = element.desc() if orderby.descending else element.asc()
        if orderby.nulls_first or orderby.nulls_last:
            if self.vendor == "mysql":
                is_null = element.is_(None)
                placement = is_null.desc() if orderby.nulls_first else is_null.asc()
                return [placement, clause]
            clause = clause.nulls_first() if orderby.nulls_first else clause.nulls_last()
        return [clause]

    def get_order_by(self) -> list[OrderBy]:
        """Return the resolved orderings (adding the joins they need)."""
        query = self.query
        if not query.default_ordering:
            ordering: Iterable[Any] = query.order_by
        elif query.order_by:
            ordering = query.order_by
        elif query.get_meta().ordering and not query.group_by:
            ordering = query.get_meta().ordering
        else:
            ordering = ()
        default_order = "ASC" if query.standard_ordering else "DESC"
        result: list[OrderBy] = []
        for field in ordering:
            if hasattr(field, "resolve_expression"):
                if isinstance(field, Value):
                    from fastjango.db.models.functions import Cast

                    field = Cast(field, field.output_field)
                if not isinstance(field, OrderBy):
                    field = field.asc()
                field = field.copy()
                if not query.standard_ordering:
                    field.reverse_ordering()
                resolved = field.resolve_expression(query, allow_joins=True, reuse=None)
                result.append(self._as_ref(resolved))
                continue
            if field == "?":
                result.append(OrderBy(_Random()))
                continue
            col, order = get_order_dir(field, default_order)
            descending = order == "DESC"
            if col in query.annotation_select:
                result.append(
                    OrderBy(Ref(col, query.annotation_select[col]), descending=descending)
                )
                continue
            if col in query.annotations:
                annotation = query.annotations[col]
                result.append(OrderBy(annotation, descending=descending))
                continue
            result.extend(self.find_ordering_name(field, query.get_meta(), None, default_order))
        return result

    def _as_ref(self, orderby: OrderBy) -> OrderBy:
        # An ordering equal to a selected annotation orders by its label.
        for alias, annotation in self.query.annotation_select.items():
            if annotation == orderby.expression:
                orderby = orderby.copy()
                orderby.expression = Ref(alias, annotation)
                break
        return orderby

    def find_ordering_name(
        self,
        name: str,
        opts: Any,
        alias: str | None = None,
        default_order: str = "ASC",
        already_seen: set[Any] | None = None,
    ) -> list[OrderBy]:
        """Return the orderings for a field path; a relation orders by its model's ordering."""
        name, order = get_order_dir(name, default_order)
        descending = order == "DESC"
        pieces = name.split(LOOKUP_SEP)
        alias = alias or self.query.get_initial_alias()
        join_info = self.query.setup_joins(pieces, opts, alias)
        field = join_info.final_field
        target_opts = join_info.opts
        if (
            field.is_relation
            and target_opts.ordering
            and getattr(field, "attname", None) != pieces[-1]
            and name != "pk"
            and not getattr(join_info.transform_function, "has_transforms", False)
        ):
            already_seen = already_seen or set()
            join_tuple = tuple(
                getattr(self.query.alias_map[j], "join_cols", None) for j in join_info.joins
            )
            if join_tuple in already_seen:
                raise FieldError("Infinite loop caused by ordering.")
            already_seen.add(join_tuple)
            results: list[OrderBy] = []
            for item in target_opts.ordering:
                if hasattr(item, "resolve_expression") and not isinstance(item, OrderBy):
                    item = item.desc() if descending else item.asc()
                if isinstance(item, OrderBy):
                    prefixed = _prefix_references(item, f"{name}{LOOKUP_SEP}")
                    results.append(prefixed.resolve_expression(self.query))
                    continue
                results.extend(
                    self.find_ordering_name(
                        item, target_opts, join_info.joins[-1], order, already_seen
                    )
                )
            return results
        targets, final_alias, _ = self.query.trim_joins(
            join_info.targets, join_info.joins, join_info.path
        )
        return [
            OrderBy(join_info.transform_function(t, final_alias), descending=descending)
            for t in targets
        ]

    # -- select -----------------------------------------------------------------------------

    def get_default_columns(self, model: Any, alias: str, loaded: set[str] | None) -> list[Col]:
        """Return the column references of ``model``'s concrete fields (minus deferred)."""
        opts = model._meta
        if opts.concrete_model._meta.parents:
            return self._inherited_columns(opts, alias, loaded)
        columns = []
        for field in opts.concrete_fields:
            if loaded is not None and field.attname not in loaded:
                continue
            columns.append(Col(alias, field))
        return columns

    def _inherited_columns(self, opts: Any, alias: str, loaded: set[str] | None) -> list[Col]:
        # Multi-table inheritance: each parent's fields are read from its joined table.
        seen: dict[Any, str] = {}
        columns = []
        for field in opts.concrete_fields:
            if loaded is not None and field.attname not in loaded:
                continue
            owner = field.model._meta.concrete_model
            if owner is opts.model or owner is opts.concrete_model:
                columns.append(Col(alias, field))
            else:
                columns.append(Col(self.query.join_parent_model(opts, owner, alias, seen), field))
        return columns

    def _setup_model_select(self, select: list[tuple[Any, str | None]]) -> None:
        query = self.query
        loaded_by_model = query.get_loaded_field_names()
        alias = query.get_initial_alias()
        model = query.model
        loaded = _loaded_for(loaded_by_model, model)
        columns = self.get_default_columns(model, alias, loaded)
        start = len(select)
        select.extend((col, None) for col in columns)
        self.klass_info = KlassInfo(model, [c.target.attname for c in columns], start, len(select))
        if query.select_related:
            self.get_related_selections(
                select, self.klass_info, model._meta, alias, loaded_by_model
            )

    def get_related_selections(
        self,
        select: list[tuple[Any, str | None]],
        klass_info: KlassInfo,
        opts: Any,
        root_alias: str,
        loaded_by_model: dict[Any, set[str]],
        cur_depth: int = 1,
        requested: Any = None,
        restricted: bool | None = None,
    ) -> None:
        """Add the columns of ``select_related()`` models, joined, to ``select``."""
        if not restricted and cur_depth > self.query.max_depth:
            return
        if requested is None:
            restricted = isinstance(self.query.select_related, dict)
            requested = self.query.select_related if restricted else {}
        fields_found: set[str] = set()

        def field_choices() -> list[str]:
            direct = [f.name for f in opts.fields if f.is_relation]
            reverse = [f.field.related_query_name() for f in opts.related_objects if f.field.unique]
            return direct + reverse

        for f in opts.fields:
            fields_found.add(f.name)
            if restricted:
                next_requested = requested.get(f.name, {})
                if not f.is_relation:
                    if next_requested or f.name in requested:
                        raise FieldError(
                            f"Non-relational field given in select_related: '{f.name}'. "
                            f"Choices are: {', '.join(field_choices()) or '(none)'}"
                        )
            else:
                next_requested = {}
            if not select_related_descend(f, bool(restricted), requested):
                continue
            related_model = f.remote_field.model
            join_info = self.query.setup_joins([f.name], opts, root_alias)
            alias = join_info.joins[-1]
            columns = self.get_default_columns(
                related_model, alias, _loaded_for(loaded_by_model, related_model)
            )
            start = len(select)
            select.extend((col, None) for col in columns)
            info = KlassInfo(related_model, [c.target.attname for c in columns], start, len(select))
            info.field = f
            info.reverse = False
            klass_info.related.append(info)
            self.get_related_selections(
                select,
                info,
                related_model._meta,
                alias,
                loaded_by_model,
                cur_depth + 1,
                next_requested,
                restricted,
            )
        if restricted:
            for rel in opts.related_objects:
                if not rel.field.unique:
                    continue
                related_name = rel.field.related_query_name()
                fields_found.add(related_name)
                if not select_related_descend(rel.field, True, requested, reverse=True):
                    continue
                related_model = rel.related_model
                join_info = self.query.setup_joins([related_name], opts, root_alias)
                alias = join_info.joins[-1]
                columns = self.get_default_columns(
                    related_model, alias, _loaded_for(loaded_by_model, related_model)
                )
                start = len(select)
                select.extend((col, None) for col in columns)
                info = KlassInfo(
                    related_model, [c.target.attname for c in columns], start, len(select)
                )
                info.field = rel.field
                info.reverse = True
                klass_info.related.append(info)
                self.get_related_selections(
                    select,
                    info,
                    related_model._meta,
                    alias,
                    loaded_by_model,
                    cur_depth + 1,
                    requested.get(related_name, {}),
                    restricted,
                )
            fields_not_found = set(requested).difference(fields_found)
            if fields_not_found:
                invalid = ", ".join(f"'{name}'" for name in sorted(fields_not_found))
                raise FieldError(
                    f"Invalid field name(s) given in select_related: {invalid}. Choices are: "
                    f"{', '.join(field_choices()) or '(none)'}"
                )

    def get_select(self) -> list[tuple[Any, str | None]]:
        """Return the select list as ``(expression, label)`` and set up the row layout."""
        query = self.query
        select: list[tuple[Any, str | None]] = []
        if query.default_cols:
            self._setup_model_select(select)
        else:
            names = list(query.values_select)
            for index, expr in enumerate(query.select):
                label = names[index] if index < len(names) else None
                select.append((expr, label))
                self.column_names.append(label or f"col{index}")
        for alias, annotation in query.annotation_select.items():
            self.annotation_positions[alias] = len(select)
            select.append((annotation, alias))
            self.column_names.append(alias)
        return select

    def get_group_by(
        self, select: list[tuple[Any, str | None]], order_by: list[OrderBy]
    ) -> list[Any]:
        """Return the GROUP BY expressions: explicit ones, selected and ordered non-aggregates."""
        query = self.query
        if query.group_by is None:
            return []
        expressions: list[Any] = []
        if query.group_by is not True:
            for expr in query.group_by:  # type: ignore[union-attr]
                expressions.extend(
                    expr.get_group_by_cols() if hasattr(expr, "get_group_by_cols") else [expr]
                )
        for expr, _ in select:
            if isinstance(expr, Ref):
                expr = expr.source
            if not getattr(expr, "contains_aggregate", False):
                expressions.extend(expr.get_group_by_cols())
        for orderby in order_by:
            expr = orderby.expression
            if isinstance(expr, Ref):
                expr = expr.source
            if not getattr(expr, "contains_aggregate", False):
                expressions.extend(expr.get_group_by_cols())
        seen: list[Any] = []
        result = []
        for expr in expressions:
            key = _group_key(expr)
            if key in seen:
                continue
            seen.append(key)
            result.append(expr)
        return result

    # -- the statement ---------------------------------------------------------------------

    def as_select(self, with_limits: bool = True) -> Any:
        """Return the SQLAlchemy ``Select`` (raise EmptyResultSet if it can match nothing)."""
        query = self.query
        if isinstance(query, AggregateQuery):
            return self._aggregate_select(query)
        if query.combinator:
            return self._combinator_select()
        self.query = query = query.clone()
        if query.model is not None:
            query.get_initial_alias()
        where, having, qualify = query.where.split_having_qualify(
            must_group_by=query.group_by is not None
        )
        if qualify is not None:
            return qualify_select(self, where, having, qualify, with_limits)
        select = self.get_select()
        order_by = self.get_order_by()
        where_sa = self._compile_where(where)
        having_sa = self._compile_where(having)
        exporting = self.qualify_exports is not None
        columns = []
        for index, (expr, label) in enumerate(select):
            element = self._select_element(expr)
            if exporting:
                # Named by position: names the outer query reads can't clash. The outer
                # query gives each column its own name back.
                self.visible_names.append(label or getattr(element, "name", None))
                element = element.label(f"col{index}")
                if label is not None:
                    self.select_labels[label] = element
            elif label is not None:
                element = element.label(label)
                self.select_labels[label] = element
            columns.append(element)
        group_by = self.get_group_by(select, order_by)
        if exporting:
            columns = export_columns(self, columns, order_by)
            if not query.distinct_fields:
                order_by = []
        order_clauses = []
        for orderby in order_by:
            order_clauses.extend(self.order_clauses(orderby))
        if (
            query.distinct
            and not query.distinct_fields
            and order_clauses
            and not query.exists_query
        ):
            # DISTINCT needs the ORDER BY expressions in the select list.
            selected = {_group_key(expr) for expr, _ in select}
            for orderby in order_by:
                expr = orderby.expression
                if isinstance(expr, Ref) or _group_key(expr) in selected:
                    continue
                columns.append(self.sa(expr))
        if not columns:
            columns = [sa.literal_column("1")]
        stmt = sa.select(*columns)
        frm = self.build_from()
        if frm is not None:
            stmt = stmt.select_from(frm)
        if self.parent is not None:
            # SQLAlchemy auto-correlates with the enclosing SELECT only; OuterRef(OuterRef())
            # reads tables further out.
            outer: list[Any] = []
            ancestor: SQLCompiler | None = self.parent
            while ancestor is not None:
                outer.extend(ancestor._froms.values())
                ancestor = ancestor.parent
            if outer:
                stmt = stmt.correlate(*outer)
        if where_sa is not None:
            stmt = stmt.where(where_sa)
        if group_by:
            # A selected expression is grouped by its position, as Django does: its bound
            # parameters would make PostgreSQL see GROUP BY and SELECT as different.
            positions: dict[Any, int] = {}
            for position, (expr, _) in enumerate(select, start=1):
                source = expr.source if isinstance(expr, Ref) else expr
                if not isinstance(source, Col):
                    positions.setdefault(_group_key(source), position)
            stmt = stmt.group_by(
                *(
                    sa.literal_column(str(positions[_group_key(g)]))
                    if not isinstance(g, Col | Ref) and _group_key(g) in positions
                    else self._group_element(g)
                    for g in group_by
                )
            )
        if having_sa is not None:
            stmt = stmt.having(having_sa)
        if order_clauses:
            stmt = stmt.order_by(*order_clauses)
        if query.distinct:
            if query.distinct_fields:
                if self.vendor and self.vendor != "postgresql":
                    raise NotSupportedError(
                        "DISTINCT ON fields is not supported by this database backend"
                    )
                stmt = stmt.ext(pg_distinct_on(*self._distinct_columns()))
            else:
                stmt = stmt.distinct()
        if with_limits:
            if query.high_mark is not None:
                stmt = stmt.limit(query.high_mark - query.low_mark)
            if query.low_mark:
                stmt = stmt.offset(query.low_mark)
        if query.select_for_update and self.parent is None:
            stmt = self._for_update(stmt)
        return stmt

    def _select_element(self, expr: Any) -> Any:
        try:
            element = self.sa(expr)
        except EmptyResultSet:
            # A selected condition that matches nothing is false (or the expression's
            # empty value, like Count's 0), as in Django.
            empty = getattr(expr, "empty_result_set_value", NotImplemented)
            element = sa.false() if empty is NotImplemented else self.sa(Value(empty))
        except FullResultSet:
            element = sa.true()
        if isinstance(expr, WhereNode | NothingNode):
            return sa.type_coerce(element, sa.Boolean())
        return element

    def _group_element(self, expr: Any) -> Any:
        if isinstance(expr, Ref) and expr.refs in self.select_labels:
            return self.sa(expr.source)
        return self.sa(expr)

    def _compile_where(self, node: WhereNode | None) -> Any:
        if node is None:
            return None
        try:
            return self.condition(node)
        except FullResultSet:
            return None

    def _distinct_columns(self) -> list[Any]:
        columns: list[Any] = []
        for name in self.query.distinct_fields:
            parts = name.split(LOOKUP_SEP)
            join_info = self.query.setup_joins(
                parts, self.query.get_meta(), self.query.get_initial_alias()
            )
            targets, alias, _ = self.query.trim_joins(
                join_info.targets, join_info.joins, join_info.path
            )
            columns.extend(self.column(alias, t) for t in targets)
        return columns

    def _for_update(self, stmt: Any) -> Any:
        query = self.query
        features = self.connection.features if self.connection is not None else None
        if features is not None and not features.has_select_for_update:
            return stmt
        if (
            query.select_for_update_nowait
            and features
            and not features.has_select_for_update_nowait
        ):
            raise NotSupportedError("NOWAIT is not supported on this database backend.")
        if (
            query.select_for_update_skip_locked
            and features
            and not (features.has_select_for_update_skip_locked)
        ):
            raise NotSupportedError("SKIP LOCKED is not supported on this database backend.")
        of = None
        if query.select_for_update_of:
            if features and not features.has_select_for_update_of:
                raise NotSupportedError("FOR UPDATE OF is not supported on this database backend.")
            of = [self._for_update_of_table(name) for name in query.select_for_update_of]
        return stmt.with_for_update(
            nowait=query.select_for_update_nowait,
            skip_locked=query.select_for_update_skip_locked,
            of=of,
            key_share=False,
        )

    def _for_update_of_table(self, name: str) -> Any:
        if name == "self":
            return self.from_clause(self.query.get_initial_alias())
        join_info = self.query.setup_joins(
            name.split(LOOKUP_SEP), self.query.get_meta(), self.query.get_initial_alias()
        )
        if not join_info.final_field.is_relation:
            raise FieldError(
                f"Invalid field name(s) given in select_for_update(of=(...)): '{name}'. Only "
                "relational fields followed in the query are allowed."
            )
        return self.from_clause(join_info.joins[-1])

    def _combinator_select(self) -> Any:
        query = self.query
        features = self.connection.features if self.connection is not None else None
        parts: list[Any] = []
        first: SQLCompiler | None = None
        for part_query in query.combined_queries:
            part_query = part_query.clone()
            if query.values_select and not part_query.values_select:
                part_query.set_values((*query.values_select, *query.annotation_select))
            if self.vendor == "sqlite" or (
                features is not None
                and not getattr(features, "supports_slicing_ordering_in_compound", True)
            ):
                if part_query.is_sliced:
                    raise DatabaseError(
                        "LIMIT/OFFSET not allowed in subqueries of compound statements."
                    )
                if part_query.order_by:
                    raise DatabaseError(
                        "ORDER BY not allowed in subqueries of compound statements."
                    )
            if not part_query.is_sliced:
                part_query.clear_ordering(force=True)
            compiler = SQLCompiler(part_query, self.connection, parent=self.parent)
            try:
                part = compiler.as_select()
            except EmptyResultSet:
                # An empty part adds nothing to a UNION, and takes nothing from the first
                # part of a difference.
                if query.combinator == "union" or (query.combinator == "difference" and parts):
                    continue
                raise
            if first is None:
                first = compiler
            if part_query.is_sliced and self.vendor != "sqlite":
                part = part.subquery().select()
            parts.append(part)
        if not parts:
            raise EmptyResultSet
        assert first is not None
        self.klass_info = first.klass_info
        self.column_names = first.column_names
        self.annotation_positions = first.annotation_positions
        stmt = parts[0] if len(parts) == 1 else _compound(query, parts)
        if query.order_by:
            stmt = stmt.order_by(*self._compound_ordering(query, stmt))
        if query.high_mark is not None:
            stmt = stmt.limit(query.high_mark - query.low_mark)
        if query.low_mark:
            stmt = stmt.offset(query.low_mark)
        return stmt

    def _compound_ordering(self, query: Query, stmt: Any) -> list[Any]:
        # A compound statement orders by the names of its result columns.
        columns = stmt.selected_columns
        opts = query.get_meta()
        clauses = []
        for item in query.order_by:
            name: str | None
            if isinstance(item, str):
                name, order = get_order_dir(item)
                descending = order == "DESC"
            else:
                expression = getattr(item, "expression", item)
                name = getattr(expression, "name", None)
                descending = bool(getattr(item, "descending", False))
            if not query.standard_ordering:
                descending = not descending
            if name == "pk":
                name = opts.pk.attname
            column_name = None
            if name is not None:
                if name in columns:
                    column_name = name
                else:
                    try:
                        column_name = opts.get_field(name).column
                    except Exception:
                        column_name = None
            if column_name is None or column_name not in columns:
                raise DatabaseError(
                    f"ORDER BY term {item!r} does not match any column in the result set."
                )
            element: Any = sa.literal_column(column_name)
            clauses.append(element.desc() if descending else element.asc())
        return clauses

    def _aggregate_select(self, query: AggregateQuery) -> Any:
        inner = SQLCompiler(query.inner_query, self.connection, parent=self.parent).as_select()
        self.ref_source = inner.subquery()
        columns: list[Any] = []
        for alias, aggregate in query.annotations.items():
            self.annotation_positions[alias] = len(columns)
            self.column_names.append(alias)
            columns.append(self.sa(aggregate).label(alias))
        return sa.select(*columns).select_from(self.ref_source)


class _Random(Value):
    """``RANDOM()`` (``RAND()`` on MySQL), for ``order_by("?")``."""

    def __init__(self) -> None:
        super().__init__(None)

    def as_sqlalchemy(self, compiler: SQLCompiler) -> Any:
        return vendor.random(compiler)

    def resolve_expression(self, *args: Any, **kwargs: Any) -> Any:
        return self


def _compound(query: Query, parts: list[Any]) -> Any:
    every = query.combinator_all
    if query.combinator == "union":
        return sa.union_all(*parts) if every else sa.union(*parts)
    if query.combinator == "intersection":
        return sa.intersect_all(*parts) if every else sa.intersect(*parts)
    return sa.except_all(*parts) if every else sa.except_(*parts)


def _loaded_for(loaded_by_model: dict[Any, set[str]], model: Any) -> set[str] | None:
    if not loaded_by_model:
        return None
    return loaded_by_model.get(model) or loaded_by_model.get(model._meta.concrete_model)


def _group_key(expr: Any) -> Any:
    if isinstance(expr, Col):
        return ("col", expr.alias, expr.target.attname)
    try:
        return ("expr", expr.identity)
    except Exception:
        return ("id", id(expr))


def _prefix_references(orderby: OrderBy, prefix: str) -> OrderBy:
    from fastjango.db.models.expressions import F

    def prefixed(expr: Any) -> Any:
        if isinstance(expr, F):
            return F(prefix + expr.name)
        if hasattr(expr, "get_source_expressions") and expr.get_source_expressions():
            clone = expr.copy()
            clone.set_source_expressions(
                [prefixed(e) if e is not None else None for e in expr.get_source_expressions()]
            )
            return clone
        return expr

    return prefixed(orderby)  # type: ignore[no-any-return]
