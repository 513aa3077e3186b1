"""Back up the database and the uploaded files into one dated folder with a manifest.

The folder is written under a temporary name and renamed at the end, so a folder named
coopgov-<time> is always complete. `coopgov restore --from <folder>` reads it back.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from importlib.metadata import version
from pathlib import Path
from typing import Any

import django
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder

DUMP_NAMES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
MEDIA_NAME = "media.tar.gz"
MANIFEST_NAME = "manifest.json"


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        while chunk := file.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def pg_environment() -> dict[str, str]:
    """Connection settings as PG* variables: the password never appears on a command line."""
    db = settings.DATABASES["default"]
    values = {
        "PGHOST": db.get("HOST"),
        "PGPORT": db.get("PORT"),
        "PGUSER": db.get("USER"),
        "PGPASSWORD": db.get("PASSWORD"),
        "PGDATABASE": db.get("NAME"),
        "PGSSLMODE": db.get("OPTIONS", {}).get("sslmode"),
    }
    return {**os.environ, **{name: str(value) for name, value in values.items() if value}}


def copy_sqlite(source_path: str | Path, target_path: str | Path) -> None:
    """Copy with SQLite's backup API: a consistent snapshot even while the site is writing."""
    source = sqlite3.connect(source_path)
    target = sqlite3.connect(target_path)
    try:
        source.backup(target)
    finally:
        target.close()
        source.close()


def run_pg_tool(name: str, *args: str) -> None:
    program = shutil.which(name)
    if program is None:
        raise CommandError(f"{name} not found: install the PostgreSQL client tools.")
    result = subprocess.run([program, *args], env=pg_environment(), check=False)  # noqa: S603
    if result.returncode:
        raise CommandError(f"{name} failed with exit code {result.returncode}.")


def check_vendor() -> str:
    if connection.vendor not in DUMP_NAMES:
        raise CommandError(f"Backups support SQLite and PostgreSQL, not {connection.vendor}.")
    return connection.vendor


class Command(BaseCommand):
    help = "Back up the database and MEDIA_ROOT into DIR/coopgov-<UTC time>/."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--to", required=True, type=Path, metavar="DIR")

    def handle(self, *args: Any, **options: Any) -> None:
        vendor = check_vendor()
        now = datetime.datetime.now(datetime.UTC)
        folder = options["to"] / f"coopgov-{now:%Y%m%d-%H%M%S}"
        if folder.exists():
            raise CommandError(f"{folder} already exists.")
        partial = folder.with_name(f".{folder.name}.partial")
        partial.mkdir(parents=True)
        try:
            self.write(partial, vendor, now)
        except BaseException:
            shutil.rmtree(partial)
            raise
        partial.rename(folder)
        self.stdout.write(str(folder))

    def write(self, folder: Path, vendor: str, now: datetime.datetime) -> None:
        dump = folder / DUMP_NAMES[vendor]
        if vendor == "sqlite":
            copy_sqlite(settings.DATABASES["default"]["NAME"], dump)
        else:
            run_pg_tool("pg_dump", "--format=custom", "--no-owner", f"--file={dump}")

        media = Path(settings.MEDIA_ROOT)
        with tarfile.open(folder / MEDIA_NAME, "w:gz") as archive:
            if media.is_dir():
                for child in sorted(media.iterdir()):
                    archive.add(child, arcname=child.name)

        migrations: dict[str, list[str]] = {}
        for app, name in MigrationRecorder(connection).applied_migrations():
            migrations.setdefault(app, []).append(name)
        manifest = {
            "engine": vendor,
            "coopgov_version": version("coopgov"),
            "django_version": django.get_version(),
            "created_at": now.isoformat(timespec="seconds"),
            "migrations": {app: sorted(names) for app, names in sorted(migrations.items())},
            "files": {path.name: sha256(path) for path in (dump, folder / MEDIA_NAME)},
        }
        (folder / MANIFEST_NAME).write_text(json.dumps(manifest, indent=2) + "\n")
