"""SQLite backend: sqlite3 (sync) and aiosqlite (async)."""
