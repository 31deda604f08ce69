"""Questioners: what ``makemigrations`` asks (renames, one-off defaults, merges), as Django.

``InteractiveMigrationQuestioner`` asks on the terminal;
``NonInteractiveMigrationQuestioner`` (``--noinput``) assumes no rename and
refuses, with exit status 3, a non-null field that needs a one-off default.
"""

from __future__ import annotations

import datetime
import sys
from typing import IO, Any

from fastjango.core.management.base import CommandError, OutputWrapper
from fastjango.db.migrations.serializer import Code
from fastjango.utils import timezone

__all__ = [
    "NOT_PROVIDED",
    "InteractiveMigrationQuestioner",
    "MigrationQuestioner",
    "NonInteractiveMigrationQuestioner",
]


class _NotProvided:
    def __repr__(self) -> str:
        return "NOT_PROVIDED"


#: "no value": the question was declined or can't be answered
NOT_PROVIDED: Any = _NotProvided()

_DEFAULT_IMPORTS = frozenset({"import datetime", "from fastjango.utils import timezone"})


class MigrationQuestioner:
    """Answer every question with a safe default (no renames, no merge)."""

    def __init__(
        self,
        defaults: dict[str, Any] | None = None,
        specified_apps: set[str] | None = None,
        dry_run: bool | None = None,
    ) -> None:
        self.defaults = defaults or {}
        self.specified_apps = specified_apps or set()
        self.dry_run = dry_run

    def ask_initial(self, app_label: str) -> bool:
        """Return whether to make a first migration for an app without migrations."""
        return app_label in self.specified_apps

    def ask_not_null_addition(self, field_name: str, model_name: str) -> Any:
        """Return the value existing rows get for a new non-null field, or ``NOT_PROVIDED``."""
        return NOT_PROVIDED

    def ask_not_null_alteration(self, field_name: str, model_name: str) -> Any:
        """Return the value NULL rows get when a field becomes non-null, or ``NOT_PROVIDED``."""
        return NOT_PROVIDED

    def ask_rename(self, model_name: str, old_name: str, new_name: str, field_type: str) -> bool:
        """Return whether a removed and an added field are the same field renamed."""
        return bool(self.defaults.get("ask_rename", False))

    def ask_rename_model(self, app_label: str, old_name: str, new_name: str) -> bool:
        """Return whether a removed and an added model are the same model renamed."""
        return bool(self.defaults.get("ask_rename_model", False))

    def ask_merge(self, app_label: str) -> bool:
        """Return whether to merge an app's migration branches."""
        return bool(self.defaults.get("ask_merge", False))


class InteractiveMigrationQuestioner(MigrationQuestioner):
    """Ask on the terminal, as Django's ``makemigrations`` does."""

    def __init__(
        self,
        defaults: dict[str, Any] | None = None,
        specified_apps: set[str] | None = None,
        dry_run: bool | None = None,
        prompt_output: IO[str] | OutputWrapper | None = None,
    ) -> None:
        super().__init__(defaults, specified_apps, dry_run)
        out = prompt_output or sys.stdout
        self.prompt_output = out if isinstance(out, OutputWrapper) else OutputWrapper(out)

    def _boolean_input(self, question: str, default: bool | None = None) -> bool:
        self.prompt_output.write(f"{question} ", ending="")
        result = input()
        if not result and default is not None:
            return default
        while not result or result[0].lower() not in "yn":
            self.prompt_output.write("Please answer yes or no: ", ending="")
            result = input()
        return result[0].lower() == "y"

    def _choice_input(self, question: str, choices: list[str]) -> int:
        self.prompt_output.write(question)
        for number, choice in enumerate(choices, 1):
            self.prompt_output.write(f" {number}) {choice}")
        self.prompt_output.write("Select an option: ", ending="")
        while True:
            result = input()
            if result.isdigit() and 1 <= int(result) <= len(choices):
                return int(result)
            self.prompt_output.write("Please select a valid option: ", ending="")

    def _ask_default(self) -> Code:
        self.prompt_output.write("Please enter the default value as valid Python.")
        self.prompt_output.write(
            "The datetime and fastjango.utils.timezone modules are available, so it is "
            "possible to provide e.g. timezone.now as a value."
        )
        self.prompt_output.write("Type 'exit' to exit this prompt")
        while True:
            self.prompt_output.write(">>> ", ending="")
            code = input().strip()
            if not code:
                self.prompt_output.write(
                    "Please enter some code, or 'exit' (without quotes) to exit."
                )
                continue
            if code == "exit":
                raise CommandError("Quit: no default given.", returncode=1)
            try:
                eval(code, {}, {"datetime": datetime, "timezone": timezone})
            except Exception as exc:
                self.prompt_output.write(f"{type(exc).__name__}: {exc}")
                continue
            return Code(code, _DEFAULT_IMPORTS)

    def ask_not_null_addition(self, field_name: str, model_name: str) -> Any:
        if self.dry_run:
            return NOT_PROVIDED
        choice = self._choice_input(
            f"It is impossible to add a non-nullable field '{field_name}' to {model_name} "
            "without specifying a default. This is because the database needs something to "
            "populate existing rows.\nPlease select a fix:",
            [
                "Provide a one-off default now (will be set on all existing rows with a null "
                "value for this column)",
                "Quit and manually define a default value in models.py.",
            ],
        )
        if choice == 2:
            raise CommandError("Quit: define a default for the field in models.py.", returncode=3)
        return self._ask_default()

    def ask_not_null_alteration(self, field_name: str, model_name: str) -> Any:
        if self.dry_run:
            return NOT_PROVIDED
        choice = self._choice_input(
            f"It is impossible to change a nullable field '{field_name}' on {model_name} to "
            "non-nullable without providing a default. This is because the database needs "
            "something to populate existing rows.\nPlease select a fix:",
            [
                "Provide a one-off default now (will be set on all existing rows with a null "
                "value for this column)",
                "Ignore for now. Existing rows that contain NULL values will have to be handled "
                "manually, for example with a data migration (migrations.run_python).",
                "Quit and manually define a default value in models.py.",
            ],
        )
        if choice == 2:
            return NOT_PROVIDED
        if choice == 3:
            raise CommandError("Quit: define a default for the field in models.py.", returncode=3)
        return self._ask_default()

    def ask_rename(self, model_name: str, old_name: str, new_name: str, field_type: str) -> bool:
        return self._boolean_input(
            f"Was {model_name}.{old_name} renamed to {model_name}.{new_name} (a {field_type})? "
            "[y/N]",
            False,
        )

    def ask_rename_model(self, app_label: str, old_name: str, new_name: str) -> bool:
        return self._boolean_input(
            f"Was the model {app_label}.{old_name} renamed to {new_name}? [y/N]", False
        )

    def ask_merge(self, app_label: str) -> bool:
        return self._boolean_input(
            "\nMerging will only work if the operations printed above do not conflict\n"
            "with each other (working on different fields or models)\n"
            "Should these migration branches be merged? [y/N]",
            False,
        )


class NonInteractiveMigrationQuestioner(MigrationQuestioner):
    """Answer without asking (``--noinput``); fail where only a person can decide."""

    def __init__(
        self,
        defaults: dict[str, Any] | None = None,
        specified_apps: set[str] | None = None,
        dry_run: bool | None = None,
        verbosity: int = 1,
        log: Any = None,
    ) -> None:
        self.verbosity = verbosity
        self.log = log
        super().__init__(defaults, specified_apps, dry_run)

    def ask_merge(self, app_label: str) -> bool:
        return True

    def ask_not_null_addition(self, field_name: str, model_name: str) -> Any:
        raise CommandError(
            f"It is impossible to add a non-nullable field '{field_name}' to {model_name} "
            "without specifying a default. This is because the database needs something to "
            "populate existing rows. Give the field a default (or null=True) in models.py, or "
            "run makemigrations without --noinput to provide a one-off default.",
            returncode=3,
        )

    def ask_not_null_alteration(self, field_name: str, model_name: str) -> Any:
        if self.verbosity > 0 and self.log is not None:
            self.log(
                f"Field '{field_name}' on model '{model_name}' not migrated: it is impossible to "
                "change a nullable field to non-nullable without providing a default. Existing "
                "rows that contain NULL values will have to be handled manually, for example "
                "with a data migration."
            )
        return NOT_PROVIDED
