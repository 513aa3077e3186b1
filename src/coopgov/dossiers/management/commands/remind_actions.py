from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from coopgov.dossiers.actions import remind_action_owners


class Command(BaseCommand):
    help = "Email each owner of open actions due within a week, or overdue (run it daily)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days-ahead", type=int, default=7)

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            count = remind_action_owners(days_ahead=options["days_ahead"])
        self.stdout.write(f"{count} people reminded.")
