"""``inspectdb``: write Django-style models for the tables of an existing database.

Point FastJango at a database another application (say, Django) built:
the models come out unmanaged (``managed = False``), named after the tables,
with Django's field types, so queries read the data as it is.
"""

from __future__ import annotations

import keyword
import re
from collections.abc import Iterator
from typing import Any

import sqlalchemy as sa

from fastjango.core.management.base import BaseCommand, CommandError, CommandParser
from fastjango.db import DEFAULT_DB_ALIAS, connections
from fastjango.db.migrations.recorder import VERSION_TABLE

__all__ = ["Command", "field_type", "table2model"]

HEADER = """\
# This is an auto-generated FastJango model module.
# You'll have to do the following manually to clean this up:
#   * Rearrange models' order
#   * Make sure each model has one field with primary_key=True
#   * Make sure each ForeignKey and OneToOneField has `on_delete` set to the desired behavior
#   * Remove `managed = False` lines if you wish to allow FastJango to create, modify, and \
delete the table
# Feel free to rename the models, but don't rename db_table values or field names."""


def table2model(table_name: str) -> str:
    """Return the model class name Django's inspectdb gives a table."""
    return re.sub(r"[^a-zA-Z0-9]", "", table_name.title())


def _is_auto(column: dict[str, Any], vendor: str, pk: list[str]) -> bool:
    if pk != [column["name"]] or not isinstance(column["type"], sa.Integer):
        return False
    if vendor == "sqlite":
        # An INTEGER PRIMARY KEY is the rowid: it always numbers itself.
        return True
    return column.get("autoincrement") is True or column.get("identity") is not None


def field_type(
    column: dict[str, Any], vendor: str, pk: list[str]
) -> tuple[str, dict[str, Any], list[str]]:
    """Return ``(field class, keyword arguments, notes)`` for a reflected column."""
    type_ = column["type"]
    params: dict[str, Any] = {}
    notes: list[str] = []
    auto = _is_auto(column, vendor, pk)
    type_name = type(type_).__name__.upper()
    if isinstance(type_, sa.Boolean) or (
        vendor == "mysql" and type_name == "TINYINT" and getattr(type_, "display_width", None) == 1
    ):
        return "BooleanField", params, notes
    if isinstance(type_, sa.BigInteger):
        return ("BigAutoField" if auto else "BigIntegerField"), params, notes
    if isinstance(type_, sa.SmallInteger):
        return ("SmallAutoField" if auto else "SmallIntegerField"), params, notes
    if isinstance(type_, sa.Integer):
        return ("AutoField" if auto else "IntegerField"), params, notes
    if isinstance(type_, sa.Interval) or type_name == "INTERVAL":
        return "DurationField", params, notes
    if isinstance(type_, sa.Uuid) or type_name == "UUID":
        return "UUIDField", params, notes
    if isinstance(type_, sa.JSON) or type_name in ("JSON", "JSONB"):
        return "JSONField", params, notes
    if isinstance(type_, sa.Numeric) and not isinstance(type_, sa.Float):
        if type_.precision is None or type_.scale is None:
            notes.append(
                "max_digits and decimal_places have been guessed, as this database handles "
                "decimal fields as float"
            )
        params["max_digits"] = type_.precision if type_.precision is not None else 10
        params["decimal_places"] = type_.scale if type_.scale is not None else 5
        return "DecimalField", params, notes
    if isinstance(type_, sa.Float):
        return "FloatField", params, notes
    if isinstance(type_, sa.DateTime):
        return "DateTimeField", params, notes
    if isinstance(type_, sa.Date):
        return "DateField", params, notes
    if isinstance(type_, sa.Time):
        return "TimeField", params, notes
    if isinstance(type_, sa.LargeBinary) or type_name in ("BLOB", "BYTEA", "LONGBLOB"):
        return "BinaryField", params, notes
    if type_name == "INET":
        return "GenericIPAddressField", params, notes
    if isinstance(type_, sa.String):
        length = getattr(type_, "length", None)
        is_text = isinstance(type_, sa.Text) or type_name.endswith("TEXT") or not length
        if is_text:
            return "TextField", params, notes
        params["max_length"] = length
        return "CharField", params, notes
    notes.append("This field type is a guess.")
    return "TextField", params, notes


def normalize_col_name(
    col_name: str, used: set[str], is_relation: bool
) -> tuple[str, dict[str, Any], list[str]]:
    """Return a valid, unused field name for a column, as Django's inspectdb does."""
    params: dict[str, Any] = {}
    notes: list[str] = []
    new_name = col_name.lower()
    if new_name != col_name:
        notes.append("Field name made lowercase.")
    if is_relation:
        if new_name.endswith("_id"):
            new_name = new_name[:-3]
        else:
            params["db_column"] = col_name
    new_name, changed = re.subn(r"\W", "_", new_name)
    if changed:
        notes.append("Field renamed to remove unsuitable characters.")
    if "__" in new_name:
        while "__" in new_name:
            new_name = new_name.replace("__", "_")
        if col_name.lower().find("__") >= 0:
            notes.append("Field renamed because it contained more than one '_' in a row.")
    if new_name.startswith("_"):
        new_name = f"field{new_name}"
        notes.append("Field renamed because it started with '_'.")
    if new_name.endswith("_"):
        new_name = f"{new_name}field"
        notes.append("Field renamed because it ended with '_'.")
    if keyword.iskeyword(new_name):
        new_name += "_field"
        notes.append("Field renamed because it was a Python reserved word.")
    if new_name[:1].isdigit():
        new_name = f"number_{new_name}"
        notes.append("Field renamed because it wasn't a valid Python identifier.")
    if new_name in used:
        number = 0
        while f"{new_name}_{number}" in used:
            number += 1
        new_name = f"{new_name}_{number}"
        notes.append("Field renamed because of name conflict.")
    if col_name != new_name and notes:
        params["db_column"] = col_name
    return new_name, params, notes


def _literal(value: Any) -> str:
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, list | tuple):
        inner = ", ".join(_literal(item) for item in value)
        return f"({inner}{',' if len(value) == 1 else ''})"
    return repr(value)


class Command(BaseCommand):
    help = (
        "Introspects the database tables in the given database and outputs a FastJango model "
        "module."
    )
    requires_system_checks: list[str] = []
    stealth_options = ("table_name_filter",)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "table",
            nargs="*",
            type=str,
            help="Selects what tables or views should be introspected.",
        )
        parser.add_argument(
            "--database",
            default=DEFAULT_DB_ALIAS,
            help='Nominates a database to introspect. Defaults to using the "default" database.',
        )
        parser.add_argument(
            "--include-partitions",
            action="store_true",
            help="Also output models for partition tables.",
        )
        parser.add_argument(
            "--include-views", action="store_true", help="Also output models for database views."
        )

    def handle(self, **options: Any) -> None:
        database = options["database"]
        if database not in connections:
            raise CommandError(f"The database '{database}' isn't in the DATABASES setting.")
        try:
            for line in self.handle_inspection(options):
                self.stdout.write(line)
        except NotImplementedError as exc:
            raise CommandError(
                "Database inspection isn't supported for the currently selected database backend."
            ) from exc

    def handle_inspection(self, options: dict[str, Any]) -> Iterator[str]:
        """Yield the lines of the models module."""
        connection = connections[options["database"]]
        vendor = connection.vendor
        wanted = list(options["table"])
        table_name_filter = options.get("table_name_filter")
        yield HEADER
        yield "from fastjango.db import models"
        with connection.connect() as conn:
            inspector = sa.inspect(conn)
            tables = [(name, False) for name in sorted(inspector.get_table_names())]
            if options["include_views"]:
                tables += [(name, True) for name in sorted(inspector.get_view_names())]
            known = {name for name, _ in tables}
            missing = [name for name in wanted if name not in known]
            defined: set[str] = set()
            for table_name, is_view in tables:
                if table_name == VERSION_TABLE and not wanted:
                    continue
                if wanted and table_name not in wanted:
                    continue
                if table_name_filter is not None and not table_name_filter(table_name):
                    continue
                try:
                    lines = self.model_lines(inspector, table_name, vendor, is_view, defined)
                except Exception as exc:  # pragma: no cover - a broken object in the catalog
                    yield f"# Unable to inspect table '{table_name}'"
                    yield f"# The error was: {exc}"
                    continue
                defined.add(table2model(table_name))
                yield from lines
            for name in missing:
                yield f"# Unable to inspect table '{name}'"
                yield "# The error was: the table doesn't exist."

    def model_lines(
        self,
        inspector: Any,
        table_name: str,
        vendor: str,
        is_view: bool,
        defined: set[str],
    ) -> list[str]:
        """Return the source of one model class."""
        model_name = table2model(table_name)
        columns = inspector.get_columns(table_name)
        pk = list((inspector.get_pk_constraint(table_name) or {}).get("constrained_columns") or [])
        foreign_keys = {
            fk["constrained_columns"][0]: fk
            for fk in inspector.get_foreign_keys(table_name)
            if len(fk["constrained_columns"]) == 1
        }
        unique_sets: list[list[str]] = [
            list(u["column_names"]) for u in inspector.get_unique_constraints(table_name)
        ]
        # SQLite keeps a column's UNIQUE as an automatic index, unnamed.
        extra = {"include_auto_indexes": True} if vendor == "sqlite" else {}
        for index in inspector.get_indexes(table_name, **extra):
            if index.get("unique") and all(index["column_names"]):
                unique_sets.append(list(index["column_names"]))
        unique_columns = {cols[0] for cols in unique_sets if len(cols) == 1}
        together = sorted({tuple(cols) for cols in unique_sets if len(cols) > 1})
        lines = ["", "", f"class {model_name}(models.Model):"]
        used: set[str] = set()
        names_by_column: dict[str, str] = {}
        relations: dict[str, int] = {}
        for fk in foreign_keys.values():
            relations[fk["referred_table"]] = relations.get(fk["referred_table"], 0) + 1
        if len(pk) > 1:
            lines.append(
                "    pk = models.CompositePrimaryKey(" + ", ".join(repr(name) for name in pk) + ")"
            )
        for column in columns:
            name = column["name"]
            fk = foreign_keys.get(name)
            att_name, params, notes = normalize_col_name(name, used, fk is not None)
            used.add(att_name)
            names_by_column[name] = att_name
            if len(pk) == 1 and name == pk[0]:
                params["primary_key"] = True
            elif name in unique_columns:
                params["unique"] = True
            if fk is not None:
                target_table = fk["referred_table"]
                target = (
                    "'self'"
                    if target_table == table_name
                    else table2model(target_table)
                    if table2model(target_table) in defined
                    else repr(table2model(target_table))
                )
                one_to_one = params.pop("unique", None) or params.get("primary_key")
                kind = "OneToOneField" if one_to_one else "ForeignKey"
                referred = fk["referred_columns"][0]
                target_pk = (inspector.get_pk_constraint(target_table) or {}).get(
                    "constrained_columns"
                ) or []
                if [referred] != list(target_pk):
                    params["to_field"] = referred
                if relations.get(target_table, 0) > 1:
                    params["related_name"] = f"{model_name.lower()}_{att_name}_set"
                field = f"{kind}({target}, models.DO_NOTHING"
            else:
                kind, type_params, type_notes = field_type(column, vendor, pk)
                params.update(type_params)
                notes.extend(type_notes)
                if att_name == "id" and kind == "AutoField" and params == {"primary_key": True}:
                    # The model's implicit "id" field is this column.
                    continue
                field = f"{kind}("
            if column.get("nullable") and not params.get("primary_key"):
                params["blank"] = True
                params["null"] = True
            if column.get("comment"):
                params["db_comment"] = column["comment"]
            rendered = ", ".join(f"{key}={_literal(value)}" for key, value in params.items())
            if field.endswith("("):
                field += rendered + ")"
            else:
                field += (", " + rendered if rendered else "") + ")"
            line = f"    {att_name} = models.{field}"
            if notes:
                line += "  # " + " ".join(notes)
            lines.append(line)
        lines += [
            "",
            "    class Meta:",
            "        managed = False",
            f"        db_table = {table_name!r}",
        ]
        if together:
            groups = ", ".join(
                "(" + ", ".join(repr(names_by_column.get(c, c)) for c in cols) + ")"
                for cols in together
            )
            lines.append(f"        unique_together = ({groups},)")
        comment = None
        if not is_view:
            try:
                comment = (inspector.get_table_comment(table_name) or {}).get("text")
            except NotImplementedError:
                comment = None
        if comment:
            lines.append(f"        db_table_comment = {comment!r}")
        if is_view:
            lines.insert(3, "    # Created from a view. Don't remove.")
        return lines
