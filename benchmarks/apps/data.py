"""The data every benchmark app serves, so that every response can be checked the same way."""

from __future__ import annotations

JSON_MESSAGE = {"message": "Hello, World!"}

# Titles carry characters that autoescaping must turn into entities.
ROWS = [
    {"id": i, "title": f'Book <{i}> & "friends"', "author": f"Author {i}"} for i in range(1, 21)
]
