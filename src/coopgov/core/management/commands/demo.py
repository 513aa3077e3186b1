from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from coopgov.core.demo import DEMO_CODE, DemoAlreadyLoaded, load_demo


class Command(BaseCommand):
    help = "Load the demo cooperative (once; a second run changes nothing and says so)."

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            organisation = load_demo()
        except DemoAlreadyLoaded:
            self.stdout.write(
                f"The demo cooperative '{DEMO_CODE}' is already loaded: nothing changed. "
                "To start afresh, delete var/coopgov.sqlite3 and run `make demo` again."
            )
            return
        self.stdout.write(self.style.SUCCESS(f"Demo cooperative loaded: {organisation.name}"))
