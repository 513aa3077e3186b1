"""Restore a folder written by `coopgov backup` onto the current database and MEDIA_ROOT.

Everything is checked before anything is written: the checksums, the engine and the media
archive's member names. Stop the web server first: the database is replaced under it.

On PostgreSQL, pg_restore --clean drops and recreates every table of the dump. The trigger
that keeps core_event append-only refuses UPDATE, DELETE and TRUNCATE, not DROP TABLE, and
COPY only inserts, so the audit trail is restored as it was and the trigger with it.
"""

from __future__ import annotations

import json
import tarfile
from pathlib import Path, PurePosixPath
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from coopgov.core.management.commands.backup import (
    DUMP_NAMES,
    MANIFEST_NAME,
    MEDIA_NAME,
    check_vendor,
    copy_sqlite,
    run_pg_tool,
    sha256,
)


def read_manifest(folder: Path) -> dict[str, Any]:
    try:
        manifest: dict[str, Any] = json.loads((folder / MANIFEST_NAME).read_text())
    except (OSError, ValueError) as error:
        raise CommandError(f"Cannot read {folder / MANIFEST_NAME}: {error}") from error
    for name, expected in manifest["files"].items():
        path = folder / name
        if not path.is_file() or sha256(path) != expected:
            raise CommandError(f"{name} does not match its checksum in the manifest: refused.")
    return manifest


def check_members(archive: tarfile.TarFile) -> None:
    for member in archive.getmembers():
        path = PurePosixPath(member.name)
        if path.is_absolute() or ".." in path.parts:
            raise CommandError(f"{MEDIA_NAME} holds an unsafe path, {member.name!r}: refused.")


class Command(BaseCommand):
    help = "Restore a backup folder made by `coopgov backup` (database and MEDIA_ROOT)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--from", required=True, type=Path, dest="folder", metavar="PATH")
        parser.add_argument(
            "--no-input",
            "--noinput",
            action="store_false",
            dest="interactive",
            help="Do not ask for confirmation.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        folder: Path = options["folder"]
        manifest = read_manifest(folder)
        vendor = check_vendor()
        if manifest["engine"] != vendor:
            raise CommandError(
                f"This backup is of a {manifest['engine']} database; "
                f"the current database is {vendor}: refused."
            )
        dump = folder / DUMP_NAMES[vendor]
        name = settings.DATABASES["default"]["NAME"]
        media = Path(settings.MEDIA_ROOT)
        with tarfile.open(folder / MEDIA_NAME, "r:gz") as archive:
            check_members(archive)
            if options["interactive"]:
                answer = input(
                    f"Replace the database {name} and restore the files under {media} "
                    f"with the backup of {manifest['created_at']}? Type 'yes' to continue: "
                )
                if answer.strip().lower() != "yes":
                    raise CommandError("Restore cancelled.")

            connection.close()
            if vendor == "sqlite":
                copy_sqlite(dump, name)
            else:
                run_pg_tool(
                    "pg_restore",
                    "--clean",
                    "--if-exists",
                    "--no-owner",
                    "--single-transaction",
                    f"--dbname={name}",
                    str(dump),
                )
            media.mkdir(parents=True, exist_ok=True)
            archive.extractall(media, filter="data")
        self.stdout.write(self.style.SUCCESS(f"Restored the backup of {manifest['created_at']}."))
