"""
ASGI config for mysite project.

It exposes the ASGI callable as a module-level variable named ``application``.

Development: ``python manage.py runserver``. Production: ``python manage.py serve
--workers 4``, or any ASGI server, e.g. ``uvicorn mysite.asgi:application``.
"""

import os

from fastjango.core.asgi import get_asgi_application

os.environ.setdefault("FASTJANGO_SETTINGS_MODULE", "mysite.settings")

application = get_asgi_application()
