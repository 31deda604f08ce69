"""Files: ``File`` wraps a file-like object; uploads are in ``core.files.uploadedfile``."""

from __future__ import annotations

from fastjango.core.files.base import File

__all__ = ["File"]
