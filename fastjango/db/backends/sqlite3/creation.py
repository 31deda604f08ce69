"""SQLite test databases: a temporary file (shared by the sync and async engines)."""

from __future__ import annotations

import os
import tempfile

from fastjango.db.backends.base.creation import BaseDatabaseCreation

__all__ = ["DatabaseCreation", "is_memory_name"]


def is_memory_name(name: str) -> bool:
    """Return whether a SQLite NAME asks for an in-memory database."""
    return name == ":memory:" or "mode=memory" in name


class DatabaseCreation(BaseDatabaseCreation):
    """Create the test database as a file; a temporary one unless TEST NAME names a file."""

    _temp_path: str | None = None

    def _get_test_db_name(self) -> str:
        test_name: str | None = self.connection.settings_dict["TEST"]["NAME"]
        if test_name and not is_memory_name(test_name):
            return test_name
        # One in-memory database can't be shared by a pool and the async
        # engine's thread, so tests get a private temporary file instead.
        if self._temp_path is None:
            fd, self._temp_path = tempfile.mkstemp(prefix="fastjango_test_", suffix=".sqlite3")
            os.close(fd)
        return self._temp_path

    def _create_test_db(self, verbosity: int, autoclobber: bool, keepdb: bool) -> str:
        name = self._get_test_db_name()
        if keepdb or not os.path.exists(name) or os.path.getsize(name) == 0:
            return name
        if not autoclobber:
            confirm = input(
                f"Type 'yes' if you would like to try deleting the test database '{name}', "
                "or 'no' to cancel: "
            )
            if confirm != "yes":
                self.log("Tests cancelled.")
                raise FileExistsError(f"The test database file {name!r} already exists.")
        if verbosity >= 1:
            self.log(f"Destroying old test database for alias {self._display(verbosity, name)}...")
        self._remove_files(name)
        return name

    def _destroy_test_db(self, name: str, verbosity: int) -> None:
        self._remove_files(name)
        if name == self._temp_path:
            self._temp_path = None

    @staticmethod
    def _remove_files(name: str) -> None:
        for path in (name, f"{name}-wal", f"{name}-shm", f"{name}-journal"):
            try:
                os.remove(path)
            except FileNotFoundError:
                pass
