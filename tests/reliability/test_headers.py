"""The answers of a production configuration carry the security headers: CSP, HSTS, frame
options, no MIME sniffing, and `no-store` on everything personal or confidential (pages, API,
files, PDFs, calendars), so that no shared cache or browser history keeps board papers.

The application runs in a fresh process with the production settings (DEBUG off, HTTPS on, a
real secret), on its own SQLite file, with the demo cooperative and one uploaded document.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = r"""
import json
import django
from django.conf import settings

django.setup()
# Static files come from the source tree: the test checks headers, not the manifest.
settings.STORAGES = {
    **settings.STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

call_command("migrate", verbosity=0)
from coopgov.core.demo import load_demo
from coopgov.core.models import Person
from coopgov.meetings import actions
from coopgov.meetings.models import Meeting

org = load_demo()
claire = Person.objects.get(organisation=org, email="claire.vandenberghe@example.org")
meeting = Meeting.objects.filter(organisation=org, kind__body__code="ca").order_by("starts_at").last()
version = actions.add_document(
    claire,
    meeting=meeting,
    title="Note au conseil",
    upload=SimpleUploadedFile("note.txt", b"Note confidentielle.\n", content_type="text/plain"),
)
feed = actions.open_calendar_feed(claire)
anonymous = Client()
client = Client()
client.force_login(claire.user)
base = f"/{org.code}"
paths = {
    "login": (anonymous, "/accounts/login/"),
    "organisation": (client, f"{base}/"),
    "meeting": (client, meeting.get_absolute_url()),
    "document": (client, reverse("meetings:document", kwargs={"org": org.code, "code": meeting.code, "document": version.document.code, "number": version.number})),
    "board_book": (client, f"{base}/meetings/{meeting.code}/board-book.pdf"),
    "api": (client, f"/api/v1/organisations/{org.code}/people"),
    "calendar": (anonymous, f"/calendars/{feed.token}.ics"),
}
answers = {}
for name, (who, path) in paths.items():
    response = who.get(path, secure=True)
    answers[name] = {"status": response.status_code, "headers": dict(response.headers)}
plain = anonymous.get("/accounts/login/", secure=False)
answers["http"] = {"status": plain.status_code, "headers": dict(plain.headers)}
print("ANSWERS" + json.dumps(answers))
"""


# One worker runs them all: the answers come from one process started once.
pytestmark = pytest.mark.xdist_group("production_headers")


@pytest.fixture(scope="module")
def answers(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, object]]:
    if connection.vendor != "sqlite":
        # The answers come from their own SQLite process: the PostgreSQL run would repeat them.
        pytest.skip("runs once, in its own process on SQLite")
    folder = tmp_path_factory.mktemp("production")
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DATABASE_URL", "DEBUG", "SECRET_KEY", "COOPGOV_", "DJANGO_"))
    }
    env.update(
        PYTHONPATH=str(ROOT / "src"),
        DJANGO_SETTINGS_MODULE="coopgov.settings",
        COOPGOV_VAR_DIR=str(folder),
        DEBUG="0",
        COOPGOV_HTTPS="1",
        SECRET_KEY="k7" + "Zq9-xR2_wLp4!vN8" * 4,
        ALLOWED_HOSTS="testserver",
        DATABASE_URL=f"sqlite:///{folder / 'production.sqlite3'}",
        LOG_LEVEL="ERROR",
    )
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT], env=env, capture_output=True, text=True, cwd=ROOT
    )
    assert result.returncode == 0, result.stderr[-3000:]
    line = next(line for line in result.stdout.splitlines() if line.startswith("ANSWERS"))
    return json.loads(line.removeprefix("ANSWERS"))


PAGES = ["login", "organisation", "meeting", "document", "board_book", "api", "calendar"]
PRIVATE = ["organisation", "meeting", "document", "board_book", "api", "calendar"]


@pytest.mark.parametrize("name", PAGES)
def test_every_answer_carries_the_security_headers(
    answers: dict[str, dict[str, object]], name: str
) -> None:
    answer = answers[name]
    headers = {key.lower(): value for key, value in answer["headers"].items()}  # type: ignore[attr-defined]
    assert answer["status"] == 200, name
    assert headers["strict-transport-security"].startswith("max-age=31536000")
    assert headers["x-frame-options"] == "DENY"
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "same-origin"
    if headers["content-type"].startswith("text/html"):
        policy = headers["content-security-policy"]
        assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy


@pytest.mark.parametrize("name", PRIVATE)
def test_personal_and_confidential_answers_are_never_stored(
    answers: dict[str, dict[str, object]], name: str
) -> None:
    headers = {key.lower(): value for key, value in answers[name]["headers"].items()}  # type: ignore[attr-defined]
    cache_control = {part.strip() for part in headers.get("cache-control", "").split(",")}
    assert {"no-store", "private"} <= cache_control, (name, headers.get("cache-control"))


def test_plain_http_is_sent_to_https(answers: dict[str, dict[str, object]]) -> None:
    answer = answers["http"]
    assert answer["status"] == 301
    assert str(answer["headers"]["Location"]).startswith("https://")  # type: ignore[index]
