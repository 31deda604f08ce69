"""The questions the example serves until it moves onto the ORM."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Question:
    id: int
    text: str
    choices: tuple[str, ...]


QUESTIONS = {
    1: Question(1, "What's new?", ("Not much", "The sky", "FastJango")),
    2: Question(2, "Sync or async views?", ("Sync", "Async", "Both")),
}
