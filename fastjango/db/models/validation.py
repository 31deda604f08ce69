"""Model validation against the database: unique fields, unique_together, constraints."""

from __future__ import annotations

from typing import Any

from fastjango.core.exceptions import NON_FIELD_ERRORS, ValidationError
from fastjango.utils.text import capfirst, get_text_list

__all__ = [
    "constraint_errors",
    "get_unique_checks",
    "unique_error_message",
    "unique_errors",
]


def get_unique_checks(instance: Any, exclude: set[str]) -> tuple[list[Any], list[Any]]:
    """Return the unique checks (model, field names) and unique_for_date checks to run."""
    # A multi-table child checks its parents' unique fields too, each in its parent's rows.
    with_class = [instance.__class__, *instance._meta.all_parents]
    unique_checks: list[tuple[Any, tuple[str, ...]]] = []
    date_checks: list[tuple[Any, str, str, str]] = []
    for model_class in with_class:
        for check in model_class._meta.unique_together:
            if not any(name in exclude for name in check):
                unique_checks.append((model_class, tuple(check)))
    for model_class in with_class:
        for field in model_class._meta.local_fields:
            name = field.name
            if name in exclude:
                continue
            if field.unique:
                unique_checks.append((model_class, (name,)))
            for kind in ("date", "year", "month"):
                other = getattr(field, f"unique_for_{kind}", None)
                if other and other not in exclude:
                    date_checks.append((model_class, kind, name, other))
    return unique_checks, date_checks


def unique_error_message(
    instance: Any, model_class: Any, unique_check: tuple[str, ...]
) -> ValidationError:
    """Return Django's ValidationError for a taken unique value or combination."""
    opts = model_class._meta
    params: dict[str, Any] = {
        "model": instance,
        "model_class": model_class,
        "model_name": capfirst(opts.verbose_name),
        "unique_check": unique_check,
    }
    if len(unique_check) == 1:
        field = opts.get_field(unique_check[0])
        params["field_label"] = capfirst(field.verbose_name)
        return ValidationError(message=field.error_messages["unique"], code="unique", params=params)
    labels = [capfirst(opts.get_field(name).verbose_name) for name in unique_check]
    params["field_labels"] = get_text_list(labels, "and")
    return ValidationError(
        message="%(model_name)s with this %(field_labels)s already exists.",
        code="unique_together",
        params=params,
    )


def _perform_unique_checks(instance: Any, checks: list[Any]) -> dict[str, list[Any]]:
    errors: dict[str, list[Any]] = {}
    for model_class, unique_check in checks:
        lookup: dict[str, Any] = {}
        for name in unique_check:
            field = instance._meta.get_field(name)
            value = getattr(instance, field.attname)
            if value is None:
                continue
            if field.primary_key and not instance._state.adding:
                continue
            lookup[str(name)] = value
        if len(unique_check) != len(lookup):
            continue
        qs = model_class._default_manager.filter(**lookup)
        pk = instance._get_pk_val(model_class._meta)
        if not instance._state.adding and pk is not None:
            qs = qs.exclude(pk=pk)
        if qs.exists():
            key = unique_check[0] if len(unique_check) == 1 else NON_FIELD_ERRORS
            errors.setdefault(key, []).append(
                unique_error_message(instance, model_class, unique_check)
            )
    return errors


def _perform_date_checks(instance: Any, checks: list[Any]) -> dict[str, list[Any]]:
    errors: dict[str, list[Any]] = {}
    for model_class, lookup_type, field, unique_for in checks:
        date = getattr(instance, unique_for)
        if date is None:
            continue
        lookup: dict[str, Any] = {}
        if lookup_type == "date":
            lookup[f"{unique_for}__day"] = date.day
            lookup[f"{unique_for}__month"] = date.month
            lookup[f"{unique_for}__year"] = date.year
        else:
            lookup[f"{unique_for}__{lookup_type}"] = getattr(date, lookup_type)
        lookup[field] = getattr(instance, field)
        qs = model_class._default_manager.filter(**lookup)
        if not instance._state.adding and instance.pk is not None:
            qs = qs.exclude(pk=instance.pk)
        if qs.exists():
            opts = instance._meta
            field_obj = opts.get_field(field)
            errors.setdefault(field, []).append(
                ValidationError(
                    message=field_obj.error_messages["unique_for_date"],
                    code="unique_for_date",
                    params={
                        "model": instance,
                        "model_name": capfirst(opts.verbose_name),
                        "lookup_type": lookup_type,
                        "field": field,
                        "field_label": capfirst(field_obj.verbose_name),
                        "date_field": unique_for,
                        "date_field_label": capfirst(opts.get_field(unique_for).verbose_name),
                    },
                )
            )
    return errors


def unique_errors(instance: Any, exclude: set[str]) -> dict[str, list[Any]]:
    """Return the errors of every unique and unique_for_date check (queries the database)."""
    unique_checks, date_checks = get_unique_checks(instance, exclude)
    errors = _perform_unique_checks(instance, unique_checks)
    for key, value in _perform_date_checks(instance, date_checks).items():
        errors.setdefault(key, []).extend(value)
    return errors


def constraint_errors(instance: Any, exclude: set[str]) -> dict[str, list[Any]]:
    """Return the errors of ``Meta.constraints`` (queries the database)."""
    from fastjango.db import router

    using = router.db_for_write(instance.__class__, instance=instance)
    errors: dict[str, list[Any]] = {}
    checks = [(instance.__class__, instance._meta.constraints)]
    checks += [(parent, parent._meta.constraints) for parent in instance._meta.all_parents]
    for model_class, constraint in (
        (model_class, constraint)
        for model_class, constraints in checks
        for constraint in constraints
    ):
        try:
            constraint.validate(model_class, instance, exclude=exclude, using=using)
        except ValidationError as e:
            fields: tuple[str, ...] = tuple(getattr(constraint, "fields", ()))
            if getattr(e, "code", None) == "unique" and len(fields) == 1:
                errors.setdefault(fields[0], []).append(e)
            else:
                errors = e.update_error_dict(errors)
    return errors
