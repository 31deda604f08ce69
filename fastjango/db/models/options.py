"""``Options``: a model's ``_meta`` (its fields, table, ordering and the rest of ``Meta``)."""

from __future__ import annotations

import bisect
import copy
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from fastjango.core.exceptions import FieldDoesNotExist, ImproperlyConfigured
from fastjango.utils.datastructures import ImmutableList
from fastjango.utils.functional import cached_property
from fastjango.utils.text import camel_case_to_spaces

if TYPE_CHECKING:
    import sqlalchemy as sa

    from fastjango.db.models.base import Model

__all__ = ["DEFAULT_NAMES", "IMMUTABLE_WARNING", "Options", "normalize_together"]

PROXY_PARENTS = object()

IMMUTABLE_WARNING = (
    "The return type of '%s' should never be mutated. If you want to manipulate this list for "
    "your own use, make a copy first."
)

DEFAULT_NAMES = (
    "verbose_name",
    "verbose_name_plural",
    "db_table",
    "db_table_comment",
    "ordering",
    "unique_together",
    "permissions",
    "get_latest_by",
    "order_with_respect_to",
    "app_label",
    "db_tablespace",
    "abstract",
    "managed",
    "proxy",
    "swappable",
    "auto_created",
    "apps",
    "default_permissions",
    "select_on_save",
    "default_related_name",
    "required_db_features",
    "required_db_vendor",
    "base_manager_name",
    "default_manager_name",
    "indexes",
    "constraints",
)


def normalize_together(option_together: Any) -> tuple[tuple[str, ...], ...]:
    """Return ``unique_together`` as a tuple of tuples (one tuple of names is allowed)."""
    try:
        if not option_together:
            return ()
        if not isinstance(option_together, tuple | list):
            raise TypeError
        first = option_together[0]
        if not isinstance(first, tuple | list):
            option_together = (option_together,)
        return tuple(tuple(ot) for ot in option_together)
    except TypeError:
        return option_together  # type: ignore[no-any-return]


def make_immutable_fields_list(name: str, data: Iterable[Any]) -> ImmutableList:
    """Return ``data`` as a list that refuses to be changed."""
    return ImmutableList(data, warning=IMMUTABLE_WARNING % name)


class Options:
    """Everything about a model that isn't per-instance: ``Model._meta``."""

    FORWARD_PROPERTIES = {
        "fields",
        "many_to_many",
        "concrete_fields",
        "local_concrete_fields",
        "_non_pk_concrete_field_names",
        "_forward_fields_map",
        "managers",
        "managers_map",
        "base_manager",
        "default_manager",
        "db_returning_fields",
        "_insert_fields",
        "_insert_fields_without_auto",
        "_update_fields",
        "_generated_attnames",
        "_init_related_fields",
        "_init_from_attnames",
        "_has_db_defaults",
        "all_parents",
    }
    REVERSE_PROPERTIES = {"related_objects", "fields_map", "_relation_tree"}

    default_apps: Any = None

    def __init__(self, meta: Any, app_label: str | None = None) -> None:
        from fastjango.apps import apps

        self._get_fields_cache: dict[Any, Any] = {}
        self.local_fields: list[Any] = []
        self.local_many_to_many: list[Any] = []
        self.private_fields: list[Any] = []
        self.local_managers: list[Any] = []
        self.base_manager_name: str | None = None
        self.default_manager_name: str | None = None
        self.model_name: str | None = None
        self.verbose_name: Any = None
        self.verbose_name_plural: Any = None
        self.db_table = ""
        self.db_table_comment = ""
        self.ordering: Sequence[Any] = []
        self._ordering_clash = False
        self.indexes: list[Any] = []
        self.constraints: list[Any] = []
        self.unique_together: Any = []
        self.select_on_save = False
        self.default_permissions = ("add", "change", "delete", "view")
        self.permissions: list[tuple[str, str]] = []
        self.object_name: str | None = None
        self.app_label = app_label
        self.get_latest_by: Any = None
        self.order_with_respect_to: Any = None
        self.db_tablespace = ""
        self.required_db_features: list[str] = []
        self.required_db_vendor: str | None = None
        self.meta = meta
        self.pk: Any = None
        self.auto_field: Any = None
        self.abstract = False
        self.managed = True
        self.proxy = False
        self.proxy_for_model: Any = None
        self.concrete_model: Any = None
        self.swappable: str | None = None
        #: concrete parent model -> the OneToOneField linking to it (None for a proxy's)
        self.parents: dict[Any, Any] = {}
        #: the models that have this one as a multi-table parent
        self._mti_children: list[Any] = []
        self.auto_created: Any = False
        self.related_fkey_lookups: list[Any] = []
        self.apps = self.default_apps or apps
        self.default_related_name: str | None = None
        #: reverse relations pointing at this model, recorded as relations resolve
        self._related_objects: list[Any] = []
        self.table: sa.Table | None = None
        self.model: Any = None
        self.original_attrs: dict[str, Any] = {}

    # -- names ----------------------------------------------------------------

    @property
    def label(self) -> str:
        """Return ``"app_label.ModelName"``."""
        return f"{self.app_label}.{self.object_name}"

    @property
    def label_lower(self) -> str:
        """Return ``"app_label.modelname"``."""
        return f"{self.app_label}.{self.model_name}"

    @property
    def app_config(self) -> Any:
        """Return the AppConfig of the model's app (None if it isn't installed)."""
        return self.apps.app_configs.get(self.app_label or "")

    @property
    def verbose_name_raw(self) -> str:
        """Return the untranslated verbose name."""
        return str(self.verbose_name)

    def __repr__(self) -> str:
        return f"<Options for {self.object_name}>"

    def __str__(self) -> str:
        return self.label_lower

    # -- building ---------------------------------------------------------------

    def contribute_to_class(self, cls: type[Model], name: str) -> None:
        """Attach to ``cls`` as ``_meta`` and read the ``Meta`` attributes."""
        from fastjango.db.models.metadata import MAX_NAME_LENGTH

        cls._meta = self
        self.model = cls
        self.object_name = cls.__name__
        self.model_name = self.object_name.lower()
        self.verbose_name = camel_case_to_spaces(self.object_name)
        self.original_attrs = {}
        if self.meta:
            meta_attrs = self.meta.__dict__.copy()
            for name_ in self.meta.__dict__:
                # Ignore private names like __module__ and __doc__.
                if name_.startswith("_"):
                    del meta_attrs[name_]
            for attr_name in DEFAULT_NAMES:
                if attr_name in meta_attrs:
                    setattr(self, attr_name, meta_attrs.pop(attr_name))
                    self.original_attrs[attr_name] = getattr(self, attr_name)
                elif hasattr(self.meta, attr_name):
                    setattr(self, attr_name, getattr(self.meta, attr_name))
                    self.original_attrs[attr_name] = getattr(self, attr_name)
            self.unique_together = normalize_together(self.unique_together)
            # Constraints and indexes are copied: each model names its own.
            if not getattr(cls._meta, "abstract", False):
                for attr_name in ("constraints", "indexes"):
                    objs = getattr(self, attr_name, [])
                    setattr(self, attr_name, self._format_names(objs))
            if self.verbose_name_plural is None:
                self.verbose_name_plural = f"{self.verbose_name}s"
            self._ordering_clash = bool(self.ordering and self.order_with_respect_to)
            if meta_attrs:
                raise TypeError(
                    "'class Meta' got invalid attribute(s): " + ",".join(sorted(meta_attrs))
                )
        else:
            self.verbose_name_plural = f"{self.verbose_name}s"
        del self.meta
        if not self.db_table:
            self.db_table = f"{self.app_label}_{self.model_name}"
            if len(self.db_table) > MAX_NAME_LENGTH:
                from fastjango.db.models.metadata import names_digest

                digest = names_digest(self.db_table, length=4)
                self.db_table = f"{self.db_table[: MAX_NAME_LENGTH - 4]}{digest}"

    def _format_names(self, objs: list[Any]) -> list[Any]:
        new_objs = []
        for obj in objs:
            obj = obj.clone()
            if getattr(obj, "name", None):
                obj.name = obj.name % {
                    "app_label": str(self.app_label).lower(),
                    "class": str(self.model_name).lower(),
                }
            new_objs.append(obj)
        return new_objs

    def _prepare(self, model: type[Model]) -> None:
        """Finish the options once every field is attached (add the implicit ``id``)."""
        if self.order_with_respect_to:
            from fastjango.db.models.fields.proxy import OrderWrt

            # The app registry may not be ready: look the field up among the local ones.
            query = self.order_with_respect_to
            try:
                self.order_with_respect_to = next(
                    f for f in self._get_fields(reverse=False) if query in (f.name, f.attname)
                )
            except StopIteration:
                raise FieldDoesNotExist(
                    f"{self.object_name} has no field named '{query}'"
                ) from None
            self.ordering = ("_order",)
            if not any(isinstance(f, OrderWrt) for f in self.local_fields):
                model.add_to_class("_order", OrderWrt())
        else:
            self.order_with_respect_to = None
        if self.pk is None and self.parents:
            # The first parent link is the primary key, rather than adding yet another field.
            field = next(iter(self.parents.values()))
            already_created = [f for f in self.local_fields if f.name == field.name]
            if already_created:
                field = already_created[0]
            field.primary_key = True
            self.setup_pk(field)
        if self.pk is None:
            pk_class = self._get_default_pk_class()
            auto = pk_class(verbose_name="ID", primary_key=True, auto_created=True)
            model.add_to_class("id", auto)

    def _get_default_pk_class(self) -> type:
        from fastjango.conf import settings
        from fastjango.utils.module_loading import import_string

        pk_class_path = getattr(self.app_config, "default_auto_field", settings.DEFAULT_AUTO_FIELD)
        if self.app_config and getattr(self.app_config, "_is_default_auto_field_overridden", False):
            app_config_class = type(self.app_config)
            source = (
                f"{app_config_class.__module__}.{app_config_class.__qualname__}.default_auto_field"
            )
        else:
            source = "DEFAULT_AUTO_FIELD"
        if not pk_class_path:
            raise ImproperlyConfigured(f"{source} must not be empty.")
        path = str(pk_class_path).replace("django.db.models", "fastjango.db.models")
        try:
            pk_class = import_string(path)
        except ImportError as e:
            raise ImproperlyConfigured(
                f"{source} refers to the module '{pk_class_path}' that could not be imported."
            ) from e
        from fastjango.db.models.fields import AutoFieldMixin

        if not (isinstance(pk_class, type) and issubclass(pk_class, AutoFieldMixin)):
            raise ValueError(
                f"Primary key '{pk_class_path}' referred by {source} must subclass AutoField."
            )
        return pk_class

    def add_manager(self, manager: Any) -> None:
        """Record a manager declared on this model."""
        self.local_managers.append(manager)
        self._expire_cache()

    def add_field(self, field: Any, private: bool = False) -> None:
        """Record ``field`` (in declaration order) and clear the cached field lists."""
        if private:
            self.private_fields.append(field)
        elif field.is_relation and field.many_to_many:
            bisect.insort(self.local_many_to_many, field)
        else:
            bisect.insort(self.local_fields, field)
            self.setup_pk(field)
        # A relation added after the model was ready changes the other model too.
        if (
            field.is_relation
            and field.related_model is not None
            and not isinstance(field.related_model, str)
        ):
            try:
                field.remote_field.model._meta._expire_cache(forward=False)
            except AttributeError:
                pass
        self._expire_cache()

    def setup_pk(self, field: Any) -> None:
        """Make ``field`` the primary key if it says so and there is none yet."""
        if not self.pk and field.primary_key:
            self.pk = field
            field.serialize = False

    def add_related_object(self, rel: Any) -> None:
        """Record a reverse relation (a ``ForeignObjectRel``) that points at this model."""
        if rel not in self._related_objects:
            self._related_objects.append(rel)
        self._expire_cache(forward=False)

    # -- properties ---------------------------------------------------------------

    @property
    def swapped(self) -> str | None:
        """Return the model that replaces this one (a swappable setting), or None."""
        if self.swappable:
            from fastjango.conf import settings

            swapped_for = getattr(settings, self.swappable, None)
            if swapped_for:
                try:
                    swapped_label, swapped_object = swapped_for.split(".")
                except ValueError:
                    return str(swapped_for)
                if f"{swapped_label}.{swapped_object.lower()}" != self.label_lower:
                    return str(swapped_for)
        return None

    def can_migrate(self, connection: Any) -> bool:
        """Return whether the model's table belongs on ``connection`` (managed, vendor)."""
        if self.proxy or self.swapped or not self.managed:
            return False
        if isinstance(connection, str):
            from fastjango.db import connections

            connection = connections[connection]
        if self.required_db_vendor:
            return bool(self.required_db_vendor == connection.vendor)
        if self.required_db_features:
            return all(
                getattr(connection.features, feat, False) for feat in self.required_db_features
            )
        return True

    @cached_property
    def managers(self) -> ImmutableList:
        """Return the managers of the model and its abstract parents, in declaration order."""
        managers = []
        seen_managers = set()
        bases = (b for b in self.model.mro() if hasattr(b, "_meta"))
        for depth, base in enumerate(bases):
            for manager in base._meta.local_managers:
                if manager.name in seen_managers:
                    continue
                manager = copy.copy(manager)
                manager.model = self.model
                seen_managers.add(manager.name)
                managers.append((depth, manager.creation_counter, manager))
        return make_immutable_fields_list(
            "managers", (m[2] for m in sorted(managers, key=lambda m: (m[0], m[1])))
        )

    @cached_property
    def managers_map(self) -> dict[str, Any]:
        """Return the managers by name."""
        return {manager.name: manager for manager in self.managers}

    @cached_property
    def base_manager(self) -> Any:
        """Return the manager used for related-object access (``Meta.base_manager_name``)."""
        from fastjango.db.models.manager import Manager

        base_manager_name = self.base_manager_name
        if not base_manager_name:
            for parent in self.model.mro()[1:]:
                if hasattr(parent, "_meta"):
                    # A parent's automatic base manager isn't one of ours by name.
                    if parent._base_manager.name != "_base_manager":
                        base_manager_name = parent._base_manager.name
                    break
        if base_manager_name:
            try:
                return self.managers_map[base_manager_name]
            except KeyError:
                raise ValueError(
                    f"{self.object_name} has no manager named {base_manager_name!r}"
                ) from None
        manager = Manager()
        manager.name = "_base_manager"
        manager.model = self.model
        manager.auto_created = True
        return manager

    @cached_property
    def default_manager(self) -> Any:
        """Return ``Meta.default_manager_name``'s manager, or the first declared one."""
        default_manager_name = self.default_manager_name
        if not default_manager_name and not self.local_managers:
            for parent in self.model.mro()[1:]:
                if hasattr(parent, "_meta"):
                    default_manager_name = parent._meta.default_manager_name
                    break
        if default_manager_name:
            try:
                return self.managers_map[default_manager_name]
            except KeyError:
                raise ValueError(
                    f"{self.object_name} has no manager named {default_manager_name!r}"
                ) from None
        if self.managers:
            return self.managers[0]
        return None

    @cached_property
    def fields(self) -> ImmutableList:
        """Return the forward fields that aren't many-to-many (foreign keys included)."""

        def is_not_an_m2m_field(f: Any) -> bool:
            return not (f.is_relation and f.many_to_many)

        def is_not_a_generic_relation(f: Any) -> bool:
            return not (f.is_relation and f.one_to_many)

        def is_not_a_generic_foreign_key(f: Any) -> bool:
            return not (
                f.is_relation
                and f.many_to_one
                and not (hasattr(f.remote_field, "model") and f.remote_field.model)
            )

        return make_immutable_fields_list(
            "fields",
            (
                f
                for f in self._get_fields(reverse=False)
                if is_not_an_m2m_field(f)
                and is_not_a_generic_relation(f)
                and is_not_a_generic_foreign_key(f)
            ),
        )

    @cached_property
    def concrete_fields(self) -> ImmutableList:
        """Return the fields that have a column."""
        return make_immutable_fields_list("concrete_fields", (f for f in self.fields if f.concrete))

    @cached_property
    def local_concrete_fields(self) -> ImmutableList:
        """Return the fields with a column declared on this model."""
        return make_immutable_fields_list(
            "local_concrete_fields", (f for f in self.local_fields if f.concrete)
        )

    @cached_property
    def many_to_many(self) -> ImmutableList:
        """Return the many-to-many fields."""
        return make_immutable_fields_list(
            "many_to_many",
            (f for f in self._get_fields(reverse=False) if f.is_relation and f.many_to_many),
        )

    @cached_property
    def related_objects(self) -> ImmutableList:
        """Return the reverse relations to this model (hidden ones only for many-to-many)."""
        all_related_fields = self._get_fields(forward=False, reverse=True, include_hidden=True)
        return make_immutable_fields_list(
            "related_objects",
            (obj for obj in all_related_fields if not obj.hidden or obj.field.many_to_many),
        )

    @cached_property
    def _forward_fields_map(self) -> dict[str, Any]:
        res: dict[str, Any] = {}
        for field in self._get_fields(reverse=False):
            res[field.name] = field
            # The attname works too: get_field("author_id").
            try:
                res[field.attname] = field
            except AttributeError:
                pass
        return res

    @cached_property
    def fields_map(self) -> dict[str, Any]:
        """Return every field and reverse relation by name."""
        res: dict[str, Any] = {}
        for field in self._get_fields(forward=False, include_hidden=True):
            res[field.name] = field
            try:
                res[field.attname] = field
            except AttributeError:
                pass
        return res

    def get_field(self, field_name: str) -> Any:
        """Return the field (or reverse relation) named ``field_name``.

        Raise ``FieldDoesNotExist`` otherwise.
        """
        try:
            return self._forward_fields_map[field_name]
        except KeyError:
            pass
        try:
            return self.fields_map[field_name]
        except KeyError:
            raise FieldDoesNotExist(
                f"{self.object_name} has no field named '{field_name}'"
            ) from None

    # -- multi-table inheritance ----------------------------------------------------------

    @cached_property
    def all_parents(self) -> tuple[Any, ...]:
        """Return every concrete ancestor (and a proxy's model), closest first, once each."""
        result: dict[Any, None] = dict.fromkeys(self.parents)
        for parent in self.parents:
            result.update(dict.fromkeys(parent._meta.all_parents))
        return tuple(result)

    def get_base_chain(self, model: Any) -> list[Any]:
        """Return the parents leading to ``model``, closest first (empty if not an ancestor)."""
        if not self.parents:
            return []
        if model in self.parents:
            return [model]
        for parent in self.parents:
            chain = parent._meta.get_base_chain(model)
            if chain:
                return [parent, *chain]
        return []

    def get_parent_list(self) -> list[Any]:
        """Return every ancestor model, closest first (Django's MRO-like order)."""
        return list(self.all_parents)

    def get_ancestor_link(self, ancestor: Any) -> Any:
        """Return the field of this model that leads to ``ancestor`` (None if it doesn't)."""
        if ancestor in self.parents:
            return self.parents[ancestor]
        for parent in self.parents:
            parent_link = parent._meta.get_ancestor_link(ancestor)
            if parent_link:
                # From a proxy, the chain starts at its concrete model's link.
                return self.parents[parent] or parent_link
        return None

    def get_path_to_parent(self, parent: Any) -> list[Any]:
        """Return the ``PathInfo`` hops (parent links) from this model up to ``parent``."""
        from fastjango.db.models.query_utils import PathInfo

        if self.model is parent:
            return []
        proxied_model = self.concrete_model
        path: list[Any] = []
        opts = self
        for int_model in self.get_base_chain(parent):
            if int_model is proxied_model:
                opts = int_model._meta
                continue
            final_field = opts.parents[int_model]
            targets = (final_field.remote_field.get_related_field(),)
            opts = int_model._meta
            path.append(
                PathInfo(
                    from_opts=final_field.model._meta,
                    to_opts=opts,
                    target_fields=targets,
                    join_field=final_field,
                    m2m=False,
                    direct=True,
                    filtered_relation=None,
                )
            )
        return path

    def get_path_from_parent(self, parent: Any) -> list[Any]:
        """Return the ``PathInfo`` hops from ``parent`` down to this model."""
        if self.model is parent:
            return []
        model = self.concrete_model
        chain = model._meta.get_base_chain(parent)
        chain.reverse()
        chain.append(model)
        path: list[Any] = []
        for ancestor, child in zip(chain, chain[1:], strict=False):
            link = child._meta.get_ancestor_link(ancestor)
            path.extend(link.reverse_path_infos)
        return path

    def _expire_cache(self, forward: bool = True, reverse: bool = True) -> None:
        if forward:
            for cache_key in self.FORWARD_PROPERTIES:
                self.__dict__.pop(cache_key, None)
        if reverse and not self.abstract:
            for cache_key in self.REVERSE_PROPERTIES:
                self.__dict__.pop(cache_key, None)
        self._get_fields_cache = {}
        # A multi-table child lists its parents' fields and relations as its own.
        for child in self._mti_children:
            child._meta._expire_cache(forward, reverse)

    def get_fields(
        self, include_parents: bool = True, include_hidden: bool = False
    ) -> ImmutableList:
        """Return the forward fields and the reverse relations (hidden ones if asked)."""
        if include_parents is False:
            include_parents = PROXY_PARENTS  # type: ignore[assignment]
        return self._get_fields(include_parents=include_parents, include_hidden=include_hidden)

    def _get_fields(
        self,
        forward: bool = True,
        reverse: bool = True,
        include_parents: Any = True,
        include_hidden: bool = False,
        seen_models: Any = None,
    ) -> ImmutableList:
        cache_key = (forward, reverse, include_parents, include_hidden, seen_models is None)
        try:
            return self._get_fields_cache[cache_key]  # type: ignore[no-any-return]
        except KeyError:
            pass
        if self.proxy and self.concrete_model is not None and self.concrete_model is not self.model:
            fields = list(
                self.concrete_model._meta._get_fields(
                    forward, reverse, include_parents, include_hidden
                )
            )
        else:
            topmost_call = seen_models is None
            if topmost_call:
                seen_models = set()
            seen_models.add(self.model)
            fields = []
            if include_parents is True:
                # Parents' fields first, as Django lists them; their parent links' reverse
                # relations (``place.restaurant``) aren't the child's.
                for parent in self.parents:
                    if parent in seen_models:
                        continue
                    for obj in parent._meta._get_fields(
                        forward, reverse, include_parents, include_hidden, seen_models
                    ):
                        if not getattr(obj, "parent_link", False) or obj.model == self.model:
                            fields.append(obj)
            if reverse:
                for rel in self._related_objects:
                    if include_hidden or not rel.hidden:
                        fields.append(rel)
            if forward:
                fields += self.local_fields
                fields += self.local_many_to_many
                if topmost_call:
                    fields += self.private_fields
        result = make_immutable_fields_list("get_fields()", fields)
        self._get_fields_cache[cache_key] = result
        return result

    @cached_property
    def total_unique_constraints(self) -> list[Any]:
        """Return the unconditional UniqueConstraints on plain fields."""
        from fastjango.db.models.constraints import UniqueConstraint

        return [
            constraint
            for constraint in self.constraints
            if isinstance(constraint, UniqueConstraint)
            and constraint.condition is None
            and not constraint.contains_expressions
        ]

    @cached_property
    def _property_names(self) -> frozenset[str]:
        names = set()
        for klass in self.model.__mro__:
            for name, value in klass.__dict__.items():
                if isinstance(value, property):
                    names.add(name)
        return frozenset(names)

    @cached_property
    def _non_pk_concrete_field_names(self) -> frozenset[str]:
        names = set()
        for field in self.concrete_fields:
            if not field.primary_key:
                names.add(field.name)
                if field.name != field.attname:
                    names.add(field.attname)
        return frozenset(names)

    @cached_property
    def _insert_fields(self) -> list[Any]:
        """Return the columns an INSERT sets (the database computes generated ones)."""
        return [f for f in self.local_concrete_fields if not f.generated]

    @cached_property
    def _insert_fields_without_auto(self) -> list[Any]:
        """Return the columns an INSERT sets when the database picks the key."""
        return [f for f in self._insert_fields if f is not self.auto_field]

    @cached_property
    def _update_fields(self) -> list[Any]:
        """Return the columns save() may UPDATE: not the key, not generated ones."""
        return [f for f in self.local_concrete_fields if not (f.primary_key or f.generated)]

    @cached_property
    def _generated_attnames(self) -> tuple[str, ...]:
        return tuple(f.attname for f in self.local_concrete_fields if f.generated)

    @cached_property
    def _init_related_fields(self) -> frozenset[str]:
        """Return the attnames of fields Model() also accepts a related object for."""
        return frozenset(
            f.attname
            for f in self.fields
            if (f.is_relation and f.many_to_one) or (f.one_to_one and f.concrete)
        )

    @cached_property
    def _init_from_attnames(self) -> Any:
        """Return ``Model.__init__``'s keyword-only fast path for this model, or None."""
        from fastjango.db.models.base import keyword_init

        return keyword_init(self.model)

    @cached_property
    def _init_calls_super(self) -> bool:
        """Return whether a class after ``Model`` in the MRO has an ``__init__`` to call."""
        from fastjango.db.models.base import Model

        after = self.model.__mro__[self.model.__mro__.index(Model) + 1 :]
        owner = next(klass for klass in after if "__init__" in klass.__dict__)
        return owner is not object

    @cached_property
    def _has_db_defaults(self) -> bool:
        return any(f.has_db_default() for f in self.local_concrete_fields)

    @cached_property
    def db_returning_fields(self) -> list[Any]:
        """Return the fields the database fills on INSERT (auto primary key, db_default)."""
        return [field for field in self.local_concrete_fields if field.db_returning]
