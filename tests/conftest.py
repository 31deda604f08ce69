from __future__ import annotations

import os

os.environ.setdefault("FASTJANGO_SETTINGS_MODULE", "tests.settings")
