from __future__ import annotations

import socket
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from coopgov.core.demo import CAST, DEMO_PASSWORD, LOGINS, _email


def free_port(host: str, start: int) -> int:
    """The first port from `start` on which nothing listens."""
    for port in range(start, start + 100):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            try:
                probe.bind((host, port))
            except OSError:
                continue
            return port
    raise OSError(f"No free port between {start} and {start + 99}")


class Command(BaseCommand):
    help = "Serve the demo on 127.0.0.1 (port 8000 or the next free one) and print the logins."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=8000)

    def handle(self, *args: Any, **options: Any) -> None:
        host = "127.0.0.1"
        port = free_port(host, options["port"])
        cast = {member.key: member for member in CAST}
        self.stdout.write(self.style.SUCCESS(f"\ncoopgov demo: http://{host}:{port}/\n"))
        self.stdout.write(f"Demo logins (password: {DEMO_PASSWORD}):")
        for key in LOGINS:
            member = cast[key]
            email = _email(member.first_name, member.last_name)
            self.stdout.write(f"  {email:<36} {member.note}")
        self.stdout.write("")
        call_command("runserver", f"{host}:{port}", use_reloader=False)
