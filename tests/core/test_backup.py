"""`coopgov backup` and `coopgov restore`, run as an operator runs them: in a separate process,
on a database of their own (a file under tmp_path, or a throwaway PostgreSQL database)."""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import sqlite3
import subprocess
import sys
import tarfile
import uuid
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
import pytest

PROJECT_DIR = Path(__file__).resolve().parents[2]
CI_DATABASE_URL = os.environ.get("DATABASE_URL", "")

CREATE = (
    "from coopgov.core import actions; "
    "actions.create_organisation(None, code='coop', name='Before')"
)
RENAME = (
    "from coopgov.core import actions; from coopgov.core.models import Organisation; "
    "actions.update_organisation(None, organisation=Organisation.objects.get(code='coop'), "
    "changes={'name': 'After'})"
)


class Site:
    """One coopgov installation: its var/ folder and its database."""

    def __init__(self, var_dir: Path, database_url: str) -> None:
        self.var_dir = var_dir
        self.database_url = database_url
        self.media = var_dir / "media"

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        env = {
            **os.environ,
            "DATABASE_URL": self.database_url,
            "COOPGOV_VAR_DIR": str(self.var_dir),
        }
        return subprocess.run(
            [sys.executable, "-m", "coopgov", *args],
            cwd=PROJECT_DIR,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )

    def ok(self, *args: str) -> str:
        result = self.run(*args)
        assert result.returncode == 0, result.stderr
        return result.stdout

    def set_up(self) -> None:
        """Migrated, one organisation (with its audit event) and one uploaded file."""
        self.ok("migrate", "--no-input", "-v", "0")
        self.ok("shell", "-c", CREATE)
        (self.media / "minutes").mkdir(parents=True)
        (self.media / "minutes" / "board.txt").write_text("minutes v1")

    def back_up(self) -> Path:
        return Path(self.ok("backup", "--to", str(self.var_dir / "backups")).splitlines()[-1])


def sqlite_state(site: Site) -> tuple[list[str], int]:
    with closing(sqlite3.connect(site.var_dir / "db.sqlite3")) as db:
        names = [name for (name,) in db.execute("SELECT name FROM core_organisation")]
        (events,) = db.execute("SELECT count(*) FROM core_event").fetchone()
    return names, events


def write_backup(folder: Path, engine: str, files: dict[str, bytes]) -> Path:
    """A hand-made backup folder whose manifest checksums are right."""
    folder.mkdir(parents=True)
    for name, content in files.items():
        (folder / name).write_bytes(content)
    manifest = {
        "engine": engine,
        "created_at": "2025-01-01T00:00:00+00:00",
        "files": {name: hashlib.sha256(content).hexdigest() for name, content in files.items()},
    }
    (folder / "manifest.json").write_text(json.dumps(manifest))
    return folder


def media_archive(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name, content in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(content)
            archive.addfile(info, io.BytesIO(content))
    return buffer.getvalue()


@pytest.fixture
def sqlite_site(tmp_path: Path) -> Site:
    site = Site(tmp_path / "var", f"sqlite:///{tmp_path / 'var' / 'db.sqlite3'}")
    site.set_up()
    return site


def test_restore_brings_back_the_sqlite_database_and_the_files_of_a_backup(
    sqlite_site: Site,
) -> None:
    folder = sqlite_site.back_up()

    assert re.fullmatch(r"coopgov-\d{8}-\d{6}", folder.name)
    assert sorted(path.name for path in folder.iterdir()) == [
        "database.sqlite3",
        "manifest.json",
        "media.tar.gz",
    ]
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["engine"] == "sqlite"
    assert "0002_event_append_only" in manifest["migrations"]["core"]
    for name in ("database.sqlite3", "media.tar.gz"):
        assert manifest["files"][name] == hashlib.sha256((folder / name).read_bytes()).hexdigest()

    sqlite_site.ok("shell", "-c", RENAME)
    (sqlite_site.media / "minutes" / "board.txt").write_text("minutes v2")
    assert sqlite_state(sqlite_site) == (["After"], 2)

    sqlite_site.ok("restore", "--no-input", "--from", str(folder))

    assert sqlite_state(sqlite_site) == (["Before"], 1)
    assert (sqlite_site.media / "minutes" / "board.txt").read_text() == "minutes v1"


def test_restore_refuses_a_tampered_file_and_names_it(sqlite_site: Site) -> None:
    folder = sqlite_site.back_up()
    sqlite_site.ok("shell", "-c", RENAME)
    with (folder / "database.sqlite3").open("ab") as dump:
        dump.write(b"\0")

    result = sqlite_site.run("restore", "--no-input", "--from", str(folder))

    assert result.returncode == 1
    assert "database.sqlite3 does not match its checksum" in result.stderr
    assert sqlite_state(sqlite_site) == (["After"], 2)


def test_restore_refuses_a_postgresql_backup_on_sqlite(tmp_path: Path) -> None:
    site = Site(tmp_path / "var", f"sqlite:///{tmp_path / 'var' / 'db.sqlite3'}")
    folder = write_backup(
        tmp_path / "coopgov-20250101-000000",
        "postgresql",
        {"database.pgdump": b"PGDMP", "media.tar.gz": media_archive({})},
    )

    result = site.run("restore", "--no-input", "--from", str(folder))

    assert result.returncode == 1
    assert "backup is of a postgresql database; the current database is sqlite" in result.stderr


def test_restore_refuses_media_paths_outside_media_root(tmp_path: Path) -> None:
    site = Site(tmp_path / "var", f"sqlite:///{tmp_path / 'var' / 'db.sqlite3'}")
    folder = write_backup(
        tmp_path / "coopgov-20250101-000000",
        "sqlite",
        {"database.sqlite3": b"", "media.tar.gz": media_archive({"../escaped.txt": b"x"})},
    )

    result = site.run("restore", "--no-input", "--from", str(folder))

    assert result.returncode == 1
    assert "unsafe path, '../escaped.txt'" in result.stderr
    assert not (tmp_path / "var" / "escaped.txt").exists()


# PostgreSQL: only when the suite itself runs on PostgreSQL (DATABASE_URL=postgres://...).


def pg_environment() -> dict[str, str]:
    db = dj_database_url.parse(CI_DATABASE_URL)
    values = {"PGHOST": db["HOST"], "PGPORT": db["PORT"], "PGUSER": db["USER"]}
    values["PGPASSWORD"] = db.get("PASSWORD", "")
    return {**os.environ, **{name: str(value) for name, value in values.items() if value}}


def psql(database: str, sql: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["psql", "-X", "-tA", "-v", "ON_ERROR_STOP=1", "-d", database, "-c", sql],
        env=pg_environment(),
        capture_output=True,
        text=True,
        check=False,
    )


def pg_state(database: str) -> str:
    result = psql(
        database,
        "SELECT (SELECT string_agg(name, ',') FROM core_organisation), count(*) FROM core_event",
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.fixture
def pg_site(tmp_path: Path) -> Iterator[tuple[Site, str]]:
    database = f"coopgov_backup_{uuid.uuid4().hex[:12]}"
    env = pg_environment()
    subprocess.run(["createdb", database], env=env, check=True)
    try:
        url = urlsplit(CI_DATABASE_URL)._replace(path=f"/{database}").geturl()
        yield Site(tmp_path / "var", url), database
    finally:
        subprocess.run(["dropdb", "--if-exists", "--force", database], env=env, check=True)


@pytest.mark.skipif(
    not CI_DATABASE_URL.startswith("postgres"), reason="needs DATABASE_URL=postgres://..."
)
def test_postgresql_round_trip_restores_the_append_only_audit_trail(
    pg_site: tuple[Site, str],
) -> None:
    site, database = pg_site
    site.set_up()
    folder = site.back_up()
    assert json.loads((folder / "manifest.json").read_text())["engine"] == "postgresql"
    assert (folder / "database.pgdump").read_bytes().startswith(b"PGDMP")

    site.ok("shell", "-c", RENAME)
    (site.media / "minutes" / "board.txt").write_text("minutes v2")
    assert pg_state(database) == "After|2\n"

    # pg_restore --clean drops core_event: the trigger refuses DELETE and TRUNCATE, not DROP.
    site.ok("restore", "--no-input", "--from", str(folder))

    assert pg_state(database) == "Before|1\n"
    assert (site.media / "minutes" / "board.txt").read_text() == "minutes v1"
    refused = psql(database, "DELETE FROM core_event")
    assert "core_event is append-only: DELETE refused" in refused.stderr
