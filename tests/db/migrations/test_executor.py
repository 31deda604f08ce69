"""MigrationExecutor paths the commands rarely take."""

from __future__ import annotations

import pytest

from fastjango.db import connections, transaction
from fastjango.db.migrations.exceptions import MigrationFailed
from fastjango.db.migrations.executor import MigrationExecutor
from fastjango.db.utils import NotSupportedError
from tests.db.migrations.support import POLLS, Project, run


@pytest.fixture
def polls(project: Project, sqlite_db: None) -> Project:
    project.app("polls", POLLS)
    project.install("polls")
    run("makemigrations", interactive=False)
    return project


def test_plans_and_state(polls: Project) -> None:
    executor = MigrationExecutor(connections["default"])
    assert executor.applied() == set()
    plan = executor.migration_plan([("polls", "__latest__"), ("polls", None)])
    assert [(step.migration.name, step.backwards) for step in plan] == [
        ("0001_initial", False),
        ("0001_initial", True),
    ]
    executor.migrate([])
    executor.migrate(executor.migration_plan())
    assert executor.applied() == {"polls_0001_initial"}


def test_sqlite_migrations_refuse_to_run_inside_atomic(polls: Project) -> None:
    executor = MigrationExecutor(connections["default"])
    plan = executor.migration_plan()
    with pytest.raises(NotSupportedError, match="inside transaction.atomic"):
        with transaction.atomic():
            executor.migrate(plan)


def test_broken_references_fail_the_migration(polls: Project) -> None:
    run("migrate")
    polls.write_migration(
        "polls",
        "0002_bad_rows",
        '''
        """Insert a choice of no question."""
        from alembic import op

        revision = "polls_0002_bad_rows"
        down_revision = "polls_0001_initial"
        branch_labels = None
        depends_on = None


        def upgrade() -> None:
            op.execute(
                "INSERT INTO polls_choice (question_id, choice_text, votes) VALUES (99, 'x', 0)"
            )


        def downgrade() -> None:
            op.execute("DELETE FROM polls_choice")
        ''',
    )
    executor = MigrationExecutor(connections["default"])
    with pytest.raises(MigrationFailed, match="refers to a missing row of polls_question"):
        executor.migrate(executor.migration_plan())
    assert executor.applied() == {"polls_0001_initial"}


def test_soft_applied_needs_every_column(polls: Project) -> None:
    polls.write_migration(
        "polls",
        "0001_initial",
        '''
        """Initial, with a column added in a batch."""
        import sqlalchemy as sa
        from alembic import op

        revision = "polls_0001_initial"
        down_revision = None
        branch_labels = ("polls",)
        depends_on = None


        def upgrade() -> None:
            op.create_table("polls_question", sa.Column("id", sa.Integer, primary_key=True))
            with op.batch_alter_table("polls_question") as batch_op:
                batch_op.add_column(sa.Column("extra", sa.Integer))
            op.add_column("polls_choice", sa.Column("other", sa.Integer))


        def downgrade() -> None:
            op.drop_table("polls_question")
        ''',
    )
    db = connections["default"]
    db.execute("CREATE TABLE polls_question (id INTEGER PRIMARY KEY)")
    executor = MigrationExecutor(db)
    migration = executor.loader.get_migration("polls", "0001_initial")
    assert not executor.detect_soft_applied(migration)
    db.execute("ALTER TABLE polls_question ADD COLUMN extra INTEGER")
    assert not executor.detect_soft_applied(migration)
    db.execute("CREATE TABLE polls_choice (id INTEGER PRIMARY KEY)")
    assert not executor.detect_soft_applied(migration)
    db.execute("ALTER TABLE polls_choice ADD COLUMN other INTEGER")
    assert executor.detect_soft_applied(migration)
    assert executor.sync_apps([]) == []
