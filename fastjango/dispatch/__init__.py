"""Signals: decoupled notifications between parts of a project."""

from fastjango.dispatch.dispatcher import Signal, receiver

__all__ = ["Signal", "receiver"]
