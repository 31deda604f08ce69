"""MySQL and MariaDB backend: PyMySQL (sync) and asyncmy (async)."""
