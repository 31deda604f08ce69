"""Many-to-many tables come and go with their field, described as Django describes them."""

from __future__ import annotations

from tests.db.migrations.support import Project, run

MODELS = """
class Question(models.Model):
    text = models.CharField(max_length=200)


class Tag(models.Model):
    name = models.CharField(max_length=30, unique=True)
"""


def test_many_to_many_field_added_later(project: Project, backend: str) -> None:
    project.app("polls")
    project.orm_models("polls", MODELS + "    questions = models.ManyToManyField(Question)\n")
    project.install("polls")
    out = run("makemigrations", interactive=False)
    assert "Tag_questions" not in out and "Add field questions" not in out
    assert out.count("+ Create model") == 2
    run("migrate")
    run("migrate", "polls", "zero")
    for name in project.migrations("polls"):
        (project.root / "polls" / "migrations" / f"{name}.py").unlink()

    project.orm_models("polls", MODELS)
    project.reload()
    run("makemigrations", interactive=False)
    project.orm_models("polls", MODELS + "    questions = models.ManyToManyField(Question)\n")
    project.reload()
    out = run("makemigrations", interactive=False)
    assert "+ Add field questions to tag" in out
    assert project.migrations("polls")[-1] == "0002_tag_questions"
    run("migrate")
    assert "No changes detected" in run("makemigrations", "--check")
    run("migrate", "polls", "0001")
    run("migrate")
