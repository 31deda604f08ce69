"""The smaller pieces: recorder, loader options, names, SQL text, runtime helpers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from alembic.operations import ops

from fastjango.db import connections
from fastjango.db.migrations import (
    IrreversibleError,
    MigrationApps,
    RunPython,
)
from fastjango.db.migrations.exceptions import (
    AmbiguityError,
    ConflictingMigrationsError,
    NodeNotFoundError,
)
from fastjango.db.migrations.loader import MigrationLoader
from fastjango.db.migrations.naming import Namer, suggest_name
from fastjango.db.migrations.recorder import MigrationRecorder, app_heads
from fastjango.db.migrations.sqlgen import _inline, _literal
from fastjango.db.migrations.state import NO_DEFAULT, ProjectTables, field_default
from fastjango.test.utils import override_settings
from tests.db.migrations.support import POLLS, Project, run


def test_recorder(project: Project, sqlite_db: None) -> None:
    project.app("polls", POLLS)
    project.install("polls")
    recorder = MigrationRecorder(connections["default"])
    assert not recorder.has_table()
    assert recorder.heads() == ()
    recorder.flush()
    run("makemigrations", interactive=False)
    run("migrate")
    loader = MigrationLoader(recorder.heads())
    assert set(recorder.applied_migrations(loader)) == {("polls", "0001_initial")}
    assert app_heads(loader, recorder.applied_revisions(loader)) == {"polls": "polls_0001_initial"}
    recorder.ensure_schema()
    recorder.flush()
    assert recorder.heads() == ()


def test_loader_queries(project: Project, sqlite_db: None) -> None:
    project.app("polls", POLLS)
    project.install("polls")
    run("makemigrations", interactive=False)
    run("makemigrations", "polls", "--empty", "--name", "second")
    loader = MigrationLoader()
    first = loader.get_migration("polls", "0001_initial")
    assert first.initial and first.number == 1 and repr(first) == "<Migration polls.0001_initial>"
    assert loader.get_migration_by_prefix("polls", "0002").name == "0002_second"
    assert loader.get_migration_by_prefix("polls", "0001_initial") is first
    with pytest.raises(AmbiguityError):
        loader.get_migration_by_prefix("polls", "000")
    with pytest.raises(KeyError):
        loader.get_migration_by_prefix("polls", "9")
    with pytest.raises(NodeNotFoundError, match="Cannot find a migration matching 'x'"):
        loader.get_migration("polls", "x")
    assert loader.dependents_closure([first.revision]) == {
        "polls_0001_initial",
        "polls_0002_second",
    }
    loader.check_conflicts()
    assert str(ConflictingMigrationsError({"a": ["x", "y"]})).startswith("Conflicting")
    assert loader.script_directory().get_current_head() == "polls_0002_second"


def test_migration_modules_setting(project: Project, sqlite_db: None, tmp_path: Path) -> None:
    folder = project.app("polls", POLLS, migrations=False)
    (folder / "db_migrations").mkdir()
    (folder / "db_migrations" / "__init__.py").write_text("")
    with override_settings(MIGRATION_MODULES={"polls": "polls.db_migrations"}):
        project.install("polls")
        run("makemigrations", "polls", interactive=False)
        assert (folder / "db_migrations" / "0001_initial.py").exists()
        assert MigrationLoader().migrated_apps == {"polls"}
        project.uninstall()
    with override_settings(MIGRATION_MODULES={"polls": "polls.other_folder"}):
        project.install("polls")
        out = run("makemigrations", "polls", interactive=False)
        assert (folder / "other_folder" / "0001_initial.py").exists(), out
        project.uninstall()
    with override_settings(MIGRATION_MODULES={"polls": None}):
        project.install("polls")
        loader = MigrationLoader()
        assert "polls" in loader.unmigrated_apps
        assert loader.migrations_dir(loader.apps.get_app_config("polls")) is None
        project.uninstall()
    with override_settings(MIGRATION_MODULES={"polls": "nowhere.at_all"}):
        project.install("polls")
        loader = MigrationLoader()
        assert loader.migrations_dir(loader.apps.get_app_config("polls")) is None
        project.uninstall()


def test_duplicate_revision_ids(project: Project, sqlite_db: None) -> None:
    project.app("polls", POLLS)
    project.install("polls")
    run("makemigrations", interactive=False)
    source = project.migration_source("polls", "0001_initial")
    project.write_migration("polls", "0001_copy", source)
    from fastjango.db.migrations.exceptions import BadMigrationError

    with pytest.raises(BadMigrationError, match="share the revision id 'polls_0001_initial'"):
        MigrationLoader()


def test_cross_app_down_revision_is_refused(project: Project, sqlite_db: None) -> None:
    project.app("polls", POLLS)
    project.app("blog", "")
    project.install("polls", "blog")
    run("makemigrations", interactive=False)
    project.write_migration(
        "blog",
        "0001_initial",
        """
        revision = "blog_0001_initial"
        down_revision = "polls_0001_initial"
        def upgrade(): pass
        def downgrade(): pass
        """,
    )
    from fastjango.db.migrations.exceptions import BadMigrationError

    with pytest.raises(BadMigrationError, match="put cross-app links in depends_on"):
        MigrationLoader()


def test_suggest_name() -> None:
    assert suggest_name(["a"], initial=True) == "initial"
    assert suggest_name(["question_slug"], initial=False) == "question_slug"
    assert suggest_name(["x" * 30, "y" * 30], initial=False) == "x" * 30 + "_and_more"
    assert suggest_name(["a", None], initial=False).startswith("auto_")
    assert suggest_name([], initial=False).startswith("auto_")


def test_descriptions_of_operations() -> None:
    namer = Namer("shop")
    table = sa.Table("shop_item", sa.MetaData(), sa.Column("id", sa.Integer))
    check = sa.CheckConstraint("id > 0", name="positive", table=table)
    cases: list[tuple[ops.MigrateOperation, str]] = [
        (ops.RenameTableOp("shop_a", "shop_b"), "Rename model a to b"),
        (ops.AddConstraintOp.from_constraint(check), "Create constraint positive on model item"),
        (ops.DropConstraintOp("ck", "shop_item"), "Remove constraint ck from model item"),
        (ops.ExecuteSQLOp("SELECT 1"), "Raw SQL operation"),
        (ops.BulkInsertOp(table, []), "Insert rows into shop_item"),
        (ops.DropIndexOp("ix", "shop_item"), "Remove index ix from item"),
        (ops.AlterColumnOp("shop_item", "a", modify_name="b"), "Rename field a on item to b"),
        (ops.CreateTableCommentOp("shop_item", "x"), "CreateTableCommentOp"),
    ]
    for operation, text in cases:
        assert namer.describe(operation) == text
    group = ops.ModifyTableOps(
        "shop_item", [ops.DropIndexOp("ix", "shop_item"), ops.ExecuteSQLOp("x")]
    )
    assert namer.category(group) == "?"
    assert namer.short_name("other") == "other"


def test_sql_literals() -> None:
    assert _literal(None) == "NULL"
    assert _literal(True) == "1"
    assert _literal(2.5) == "2.5"
    assert _literal("it's") == "'it''s'"
    assert _inline("UPDATE t SET a = ? WHERE b = ?", (1, "x")) == "UPDATE t SET a = 1 WHERE b = 'x'"
    assert _inline("UPDATE t SET a = ?", {"a": None}) == "UPDATE t SET a = NULL"
    assert _inline("SELECT ?", (1, 2)) == "SELECT ?"
    assert _inline("SELECT 1", ()) == "SELECT 1"


def test_sqlmigrate_on_sqlite_rebuilds_tables(project: Project, sqlite_db: None) -> None:
    project.app("polls", POLLS)
    project.install("polls")
    run("makemigrations", interactive=False)
    project.models(
        "polls", POLLS.replace("sa.String(200), nullable=False", "sa.String(300), nullable=False")
    )
    project.reload()
    run("makemigrations", interactive=False)
    name = project.migrations("polls")[-1]
    sql = run("sqlmigrate", "polls", name)
    assert "CREATE TABLE _alembic_tmp_polls_question" in sql
    assert "PRAGMA" not in sql
    assert "sqlite_master" not in sql
    back = run("sqlmigrate", "polls", name, "--backwards")
    assert "_alembic_tmp_polls_question" in back


def test_run_python_helpers(project: Project, sqlite_db: None) -> None:
    project.app("polls", POLLS)
    project.install("polls")

    def code(apps: Any, schema_editor: Any) -> None:
        return None

    with pytest.raises(ValueError, match="callable"):
        RunPython("not callable")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="callable arguments"):
        RunPython(code, "nope")  # type: ignore[arg-type]
    operation = RunPython(code, elidable=True)
    assert not operation.reversible and operation.elidable
    with pytest.raises(IrreversibleError, match="is not reversible"):
        operation.backwards()
    assert RunPython.noop(None, None) is None  # type: ignore[arg-type]
    registry = MigrationApps()
    assert registry.get_app_config("polls").label == "polls"
    assert registry.get_models() == []
    with pytest.raises(LookupError):
        registry.get_model("polls", "Nope")


def test_run_python_in_migrations(project: Project, backend: str) -> None:
    project.app("polls", POLLS)
    project.install("polls")
    run("makemigrations", interactive=False)
    project.write_migration(
        "polls",
        "0002_data",
        '''
        """Data."""
        from alembic import op
        from fastjango.db import migrations

        revision = "polls_0002_data"
        down_revision = "polls_0001_initial"
        branch_labels = None
        depends_on = None


        def forwards(apps, schema_editor):
            schema_editor.execute(
                "INSERT INTO polls_question (question_text, pub_date) VALUES (:t, :d)",
                {"t": "Hi?", "d": "2024-01-01"},
            )


        def backwards(apps, schema_editor):
            schema_editor.execute("DELETE FROM polls_question")


        STEP = migrations.RunPython(forwards, backwards, atomic=False)


        def upgrade() -> None:
            STEP.forwards()
            migrations.run_sql("UPDATE polls_question SET question_text = 'Hello?'")


        def downgrade() -> None:
            STEP.backwards()
        ''',
    )
    run("migrate")
    db = connections["default"]
    assert db.execute("SELECT question_text FROM polls_question").scalar_one() == "Hello?"
    assert "THIS OPERATION CANNOT BE WRITTEN AS SQL" in run("sqlmigrate", "polls", "0002")
    run("migrate", "polls", "0001")
    assert db.execute("SELECT COUNT(*) FROM polls_question").scalar_one() == 0


def test_field_default_of_plain_tables() -> None:
    metadata = sa.MetaData()

    def make() -> int:
        return 7

    table = sa.Table(
        "t",
        metadata,
        sa.Column("a", sa.Integer, default=5),
        sa.Column("b", sa.Integer, default=make),
        sa.Column("c", sa.Integer),
        sa.Column("d", sa.Integer, default=sa.text("1")),
    )
    project = ProjectTables({"t": "app"}, {"t": table}, {})
    assert field_default(project, table, table.c.a) == 5
    assert field_default(project, table, table.c.b) is make
    assert field_default(project, table, table.c.c) is NO_DEFAULT
    assert field_default(project, table, table.c.d) is NO_DEFAULT
    assert project.field_for_column("t", "a") is None
    assert project.object_name("t") is None
