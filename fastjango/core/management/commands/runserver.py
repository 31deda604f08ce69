"""``runserver``: the development server (uvicorn, reloading on code changes)."""

from __future__ import annotations

import os
import re
import socket
import sys
import traceback
from datetime import datetime
from typing import Any

import fastjango
from fastjango.conf import settings
from fastjango.core import management
from fastjango.core.management._server import (
    LOG_LEVELS,
    asgi_app_target,
    export_settings_module,
    project_root,
    run_uvicorn,
    server_url,
)
from fastjango.core.management.base import BaseCommand, CommandError, CommandParser

__all__ = ["Command"]

# "8000", "1.2.3.4:8000", "[::1]:8000", "localhost:8000", as Django accepts them.
naiveip_re = re.compile(
    r"""^(?:
(?P<addr>
    (?P<ipv4>\d{1,3}(?:\.\d{1,3}){3}) |         # IPv4 address
    (?P<ipv6>\[[a-fA-F0-9:]+\]) |               # IPv6 address
    (?P<fqdn>[a-zA-Z0-9-]+(?:\.[a-zA-Z0-9-]+)*) # FQDN
):)?(?P<port>\d+)$""",
    re.X,
)


class Command(BaseCommand):
    help = "Starts a lightweight web server for development."
    # Checks run in handle(), after the address is known to be valid, as in Django.
    requires_system_checks: list[str] = []
    stealth_options = ("shutdown_message",)
    suppressed_base_arguments = {"--verbosity", "--traceback"}

    default_addr = "127.0.0.1"
    default_addr_ipv6 = "::1"
    default_port = "8000"
    protocol = "http"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("addrport", nargs="?", help="Optional port number, or ipaddr:port")
        parser.add_argument(
            "--ipv6",
            "-6",
            action="store_true",
            dest="use_ipv6",
            help="Tells FastJango to use an IPv6 address.",
        )
        parser.add_argument(
            "--noreload",
            action="store_false",
            dest="use_reloader",
            help="Tells FastJango to NOT use the auto-reloader.",
        )
        parser.add_argument(
            "--nothreading",
            action="store_false",
            dest="use_threading",
            help="Accepted for Django compatibility: an ASGI server has no thread per request.",
        )
        parser.add_argument(
            "--nostatic",
            action="store_false",
            dest="use_static_handler",
            help="Accepted for Django compatibility: static files are served by the "
            "staticfiles app, not by the server.",
        )
        parser.add_argument("--skip-checks", action="store_true", help="Skip system checks.")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not settings.ALLOWED_HOSTS:
            raise CommandError("You must set settings.ALLOWED_HOSTS if DEBUG is False.")
        self.addr, self.port, self.use_ipv6 = self.parse_addrport(
            options.get("addrport"), options.get("use_ipv6", False)
        )
        self.run(**options)

    def parse_addrport(self, addrport: str | None, use_ipv6: bool) -> tuple[str, str, bool]:
        """Return ``(address, port, use_ipv6)`` from an ``[addr:]port`` argument."""
        if use_ipv6 and not socket.has_ipv6:
            raise CommandError("Your Python does not support IPv6.")
        addr = ""
        port = self.default_port
        if addrport:
            match = naiveip_re.match(addrport)
            if match is None:
                raise CommandError(f'"{addrport}" is not a valid port number or address:port pair.')
            addr, _ipv4, ipv6, fqdn, port = match.groups()
            if not port.isdigit() or not 0 < int(port) < 65536:
                raise CommandError(f"{port!r} is not a valid port number.")
            if addr:
                if ipv6:
                    addr = addr[1:-1]
                    use_ipv6 = True
                elif use_ipv6 and not fqdn:
                    raise CommandError(f'"{addr}" is not a valid IPv6 address.')
        if not addr:
            addr = self.default_addr_ipv6 if use_ipv6 else self.default_addr
        elif addr == "0":
            # Django's shorthand for "every interface".
            addr = "0.0.0.0"
        return addr, port, use_ipv6

    def get_server_options(self, **options: Any) -> dict[str, Any]:
        """Return the keyword arguments for ``uvicorn.run``."""
        app, factory = asgi_app_target()
        use_reloader = options.get("use_reloader", True)
        config: dict[str, Any] = {
            "app": app,
            "factory": factory,
            "host": self.addr,
            "port": int(self.port),
            "reload": use_reloader,
            "log_level": LOG_LEVELS.get(options.get("verbosity", 1), "info"),
        }
        if use_reloader:
            config["reload_dirs"] = [project_root()]
        return config

    def run(self, **options: Any) -> None:
        """Check the project, print the banner and serve until interrupted."""
        use_reloader = options.get("use_reloader", True)
        if use_reloader:
            export_settings_module()
        startup_error = management.startup_exception
        if startup_error is not None:
            # The project doesn't load; the server process will fail the same way and
            # the reloader waits for a fix, so say what is wrong and carry on.
            self.stderr.write(
                "".join(traceback.format_exception(startup_error)).rstrip(),
            )
        elif not options.get("skip_checks"):
            self.stdout.write("Performing system checks...\n\n")
            self.check(display_num_errors=True)
        if startup_error is None:
            # Broken apps have no migrations to read; the error above says why.
            self.check_migrations()
        config = self.get_server_options(**options)
        self.print_banner(config)
        self.stdout.flush()
        try:
            run_uvicorn(config)
        except KeyboardInterrupt:
            shutdown_message = options.get("shutdown_message", "")
            if shutdown_message:
                self.stdout.write(shutdown_message)

    def print_banner(self, config: dict[str, Any]) -> None:
        """Print Django's start-up lines: time, version, settings, URL, how to quit."""
        quit_command = "CTRL-BREAK" if sys.platform == "win32" else "CONTROL-C"
        now = datetime.now().strftime("%B %d, %Y - %X")
        self.stdout.write(
            f"{now}\n"
            f"FastJango version {fastjango.get_version()}, using settings "
            f"{settings.SETTINGS_MODULE!r}\n"
            f"Starting ASGI server at {server_url(config['host'], config['port'])}\n"
            f"Quit the server with {quit_command}."
        )
        if os.environ.get("FASTJANGO_RUNSERVER_HIDE_WARNING") != "true":
            self.stdout.write(
                self.style.WARNING(
                    "\nWARNING: This is a development server. Do not use it in a production "
                    "setting. Use 'manage.py serve' (uvicorn with workers, no reloader) or "
                    "another production ASGI server instead."
                )
            )
