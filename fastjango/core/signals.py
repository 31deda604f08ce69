"""Request signals, sent by the request handler as Django sends them."""

from __future__ import annotations

from fastjango.dispatch import Signal

__all__ = ["got_request_exception", "request_finished", "request_started", "setting_changed"]

# Sent on every request: their live receivers are cached (connect/disconnect clear it).
request_started = Signal(use_caching=True)
request_finished = Signal(use_caching=True)
got_request_exception = Signal()
setting_changed = Signal()
