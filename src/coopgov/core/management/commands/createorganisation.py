from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from coopgov.core import actions
from coopgov.core.models import Role


class Command(BaseCommand):
    help = (
        "Create an organisation and its first administrator, and email them a link to choose "
        "a password (the link is also printed)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--code", required=True, help="short code used in web addresses")
        parser.add_argument("--name", required=True)
        parser.add_argument("--enterprise-number", default="")
        parser.add_argument("--language", default="fr", choices=["fr", "en", "nl"])
        parser.add_argument("--admin-email", required=True)
        parser.add_argument("--admin-first-name", required=True)
        parser.add_argument("--admin-last-name", required=True)
        parser.add_argument(
            "--site-url",
            required=True,
            help="public address of coopgov, e.g. https://coop.example.org",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            with transaction.atomic():
                organisation = actions.create_organisation(
                    None,
                    code=options["code"],
                    name=options["name"],
                    enterprise_number=options["enterprise_number"],
                    default_language=options["language"],
                )
                admin = actions.add_person(
                    None,
                    organisation=organisation,
                    first_name=options["admin_first_name"],
                    last_name=options["admin_last_name"],
                    email=options["admin_email"],
                    preferred_language=options["language"],
                )
                for kind in (Role.Kind.ADMIN, Role.Kind.SECRETARIAT):
                    actions.grant_role(None, person=admin, kind=kind)
                link = actions.invite_person(None, person=admin, site_url=options["site_url"])
        except ValidationError as error:
            details = (
                "; ".join(
                    f"{field}: {' '.join(messages)}"
                    for field, messages in error.message_dict.items()
                )
                if hasattr(error, "error_dict")
                else " ".join(error.messages)
            )
            raise CommandError(details) from error
        self.stdout.write(self.style.SUCCESS(f"Created {organisation.name} ({organisation.code})."))
        self.stdout.write(f"{admin.full_name} can choose a password at:\n  {link}")
