"""``serve``: the production server (uvicorn with worker processes, no reloader)."""

from __future__ import annotations

import os
from typing import Any

import fastjango
from fastjango.conf import settings
from fastjango.core.management._server import (
    LOG_LEVELS,
    asgi_app_target,
    export_settings_module,
    run_uvicorn,
    server_url,
)
from fastjango.core.management.base import BaseCommand, CommandError, CommandParser

__all__ = ["Command"]


def _default_workers() -> int:
    value = os.environ.get("WEB_CONCURRENCY", "1")
    try:
        return int(value)
    except ValueError:
        raise CommandError(
            f"WEB_CONCURRENCY must be a whole number of worker processes, not {value!r}."
        ) from None


class Command(BaseCommand):
    help = (
        "Serves the project in production with uvicorn: worker processes, no reloader. "
        "Refuses to start with DEBUG on unless --insecure is given."
    )
    # Checks run in handle(), once the settings are known to be servable.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--host", default="127.0.0.1", help="The address to bind to (default 127.0.0.1)."
        )
        parser.add_argument(
            "--port", type=int, default=8000, help="The port to bind to (default 8000)."
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=None,
            help="Number of worker processes (default: $WEB_CONCURRENCY, or 1).",
        )
        parser.add_argument(
            "--proxy-headers",
            action="store_true",
            help="Trust X-Forwarded-Proto and X-Forwarded-For from --forwarded-allow-ips, to "
            "get the client's address and scheme behind a reverse proxy.",
        )
        parser.add_argument(
            "--forwarded-allow-ips",
            default=None,
            help="Comma-separated addresses of proxies to trust with --proxy-headers, or '*' "
            "(default: $FORWARDED_ALLOW_IPS, or 127.0.0.1).",
        )
        parser.add_argument(
            "--insecure",
            action="store_true",
            help="Serve even with DEBUG on. Never do this on a public server.",
        )
        parser.add_argument("--skip-checks", action="store_true", help="Skip system checks.")

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.DEBUG and not options.get("insecure"):
            raise CommandError(
                "Refusing to serve with DEBUG on: error pages would show your settings and "
                "code to anyone. Set DEBUG = False (FASTJANGO_DEBUG=0 for a project made by "
                "startproject), or pass --insecure to serve anyway."
            )
        if not settings.DEBUG and not settings.ALLOWED_HOSTS:
            raise CommandError("You must set settings.ALLOWED_HOSTS if DEBUG is False.")
        config = self.get_server_options(**options)
        if not options.get("skip_checks"):
            self.check(display_num_errors=options.get("verbosity", 1) >= 2)
        self.check_migrations()
        export_settings_module()
        workers = config["workers"]
        self.stdout.write(
            f"FastJango version {fastjango.get_version()}, using settings "
            f"{settings.SETTINGS_MODULE!r}\n"
            f"Serving at {server_url(config['host'], config['port'])} with {workers} "
            f"worker process{'es' if workers != 1 else ''}."
        )
        self.stdout.flush()
        run_uvicorn(config)

    def get_server_options(self, **options: Any) -> dict[str, Any]:
        """Return the keyword arguments for ``uvicorn.run``."""
        workers = options.get("workers")
        if workers is None:
            workers = _default_workers()
        if workers < 1:
            raise CommandError(f"--workers must be at least 1, not {workers}.")
        port = options.get("port", 8000)
        if not 0 < port < 65536:
            raise CommandError(f"{str(port)!r} is not a valid port number.")
        app, factory = asgi_app_target()
        config: dict[str, Any] = {
            "app": app,
            "factory": factory,
            "host": options.get("host") or "127.0.0.1",
            "port": port,
            "workers": workers,
            "reload": False,
            "proxy_headers": bool(options.get("proxy_headers")),
            "log_level": LOG_LEVELS.get(options.get("verbosity", 1), "info"),
        }
        if options.get("forwarded_allow_ips"):
            config["forwarded_allow_ips"] = options["forwarded_allow_ips"]
        return config
