"""Environment factories, extensions and processors named by dotted path in the tests."""

from __future__ import annotations

from typing import Any

import jinja2
from jinja2.ext import Extension


def make_environment(**options: Any) -> jinja2.Environment:
    env = jinja2.Environment(**options)
    env.globals["greeting"] = "hi"
    env.filters["date"] = lambda value, arg=None: "custom date"
    return env


def not_an_environment(**options: Any) -> object:
    return object()


def strict_signature(autoescape: bool = True, loader: Any = None) -> jinja2.Environment:
    return jinja2.Environment(autoescape=autoescape, loader=loader)


class ShoutExtension(Extension):
    def __init__(self, environment: jinja2.Environment) -> None:
        super().__init__(environment)
        environment.filters["shout"] = lambda value: f"{value}!".upper()


class MemoryBytecodeCache(jinja2.BytecodeCache):
    def __init__(self) -> None:
        self.store: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key in self.store:
            bucket.bytecode_from_string(self.store[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.store[bucket.key] = bucket.bytecode_to_string()


def extra_context(request: Any) -> dict[str, Any]:
    return {"extra": "from processor", "name": "processor name"}
