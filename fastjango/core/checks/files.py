"""File checks (tag ``files``): settings that point at the file system."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fastjango.conf import settings
from fastjango.core.checks.messages import CheckMessage, Error
from fastjango.core.checks.registry import Tags, register

if TYPE_CHECKING:
    from fastjango.apps.config import AppConfig

__all__ = ["check_setting_file_upload_temp_dir"]


@register(Tags.files)
def check_setting_file_upload_temp_dir(
    app_configs: Sequence[AppConfig] | None = None, **kwargs: Any
) -> list[CheckMessage]:
    """Fail when FILE_UPLOAD_TEMP_DIR names a directory that doesn't exist (E001).

    Large uploads and request bodies are spooled there: without it they would
    fail at the first big request instead of at start-up.
    """
    setting = getattr(settings, "FILE_UPLOAD_TEMP_DIR", None)
    if setting and not Path(setting).is_dir():
        return [
            Error(
                f"The FILE_UPLOAD_TEMP_DIR setting refers to the nonexistent directory "
                f"'{setting}'.",
                id="files.E001",
            )
        ]
    return []
