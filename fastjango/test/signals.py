"""Signals for tests: ``template_rendered``, sent each time a template is rendered.

The template engine sends it only when this module has been imported and
has receivers, so production rendering pays nothing for it.
"""

from __future__ import annotations

from fastjango.dispatch import Signal

__all__ = ["template_rendered"]

template_rendered = Signal()
"""Sent with ``sender=template``, ``template=template`` and ``context=dict`` before rendering."""
