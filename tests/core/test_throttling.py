"""Login throttling counts in the database, shared by every worker, on the client address: the
TCP peer unless the operator declares the reverse proxy whose header is to be believed."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
from allauth.account.adapter import get_adapter
from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.db import DatabaseCache
from django.db import connection
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse

from coopgov.core.models import Organisation

ROOT = Path(__file__).resolve().parents[2]
TOO_MANY = "Too many failed login attempts"
PROXY = "10.0.0.2"  # the reverse proxy, as the application sees it


def address_counted(forwarded_for: str | None) -> str:
    """The address allauth throttles on for a request arriving from the proxy."""
    headers = {"HTTP_X_FORWARDED_FOR": forwarded_for} if forwarded_for else {}
    request = RequestFactory().post("/accounts/login/", REMOTE_ADDR=PROXY, **headers)
    return get_adapter().get_client_ip(request)


def fail_login(client: Client, email: str, forwarded_for: str) -> str:
    response = client.post(
        reverse("account_login"),
        {"login": email, "password": "wrong-password"},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded_for,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    return response.content.decode()


def test_without_a_trusted_proxy_a_forwarded_address_is_ignored() -> None:
    assert settings.ALLAUTH_TRUSTED_PROXY_COUNT == 0
    assert address_counted("203.0.113.9") == PROXY
    assert address_counted(None) == PROXY


@override_settings(ALLAUTH_TRUSTED_PROXY_COUNT=1)
def test_with_a_trusted_proxy_the_address_it_appended_counts() -> None:
    # The client wrote the first address; the proxy appended the one it saw.
    assert address_counted("198.51.100.7, 203.0.113.9") == "203.0.113.9"
    assert address_counted(None) == PROXY


@override_settings(ALLAUTH_TRUSTED_CLIENT_IP_HEADER="X-Real-IP")
def test_with_a_trusted_client_ip_header_that_header_counts() -> None:
    request = RequestFactory().post(
        "/accounts/login/",
        REMOTE_ADDR=PROXY,
        HTTP_X_REAL_IP="203.0.113.9",
        HTTP_X_FORWARDED_FOR="198.51.100.7",
    )
    assert get_adapter().get_client_ip(request) == "203.0.113.9"


def test_a_spoofed_forwarded_address_does_not_escape_the_throttle(client: Client, db: None) -> None:
    """Ten failed logins a minute per address; a new X-Forwarded-For each time changes nothing."""
    for attempt in range(10):
        assert TOO_MANY not in fail_login(
            client, f"nobody{attempt}@example.org", f"198.51.100.{attempt}"
        )
    assert TOO_MANY in fail_login(client, "nobody10@example.org", "198.51.100.10")


@override_settings(ALLAUTH_TRUSTED_PROXY_COUNT=1)
def test_behind_the_declared_proxy_each_client_has_its_own_count(client: Client, db: None) -> None:
    for attempt in range(10):
        fail_login(client, f"nobody{attempt}@example.org", "203.0.113.9")
    assert TOO_MANY in fail_login(client, "nobody10@example.org", "203.0.113.9")
    assert TOO_MANY not in fail_login(client, "nobody11@example.org", "203.0.113.10")


def test_the_cache_is_the_database_shared_by_every_worker() -> None:
    assert isinstance(caches["default"], DatabaseCache)


def test_a_failed_login_is_counted_in_the_database(client: Client, db: None) -> None:
    fail_login(client, "nobody@example.org", "198.51.100.1")
    with connection.cursor() as cursor:
        cursor.execute("SELECT cache_key FROM coopgov_cache")
        keys = [key for (key,) in cursor.fetchall()]
    assert any(":allauth:rl:allauth.account:login_failed:" in key for key in keys)


@pytest.mark.django_db(transaction=True)
def test_another_worker_process_sees_the_count_and_refuses_too(
    client: Client, org: Organisation
) -> None:
    try:
        for attempt in range(10):
            fail_login(client, f"nobody{attempt}@example.org", "198.51.100.1")
        code = (
            "import django; django.setup(); from django.test import Client; "
            "r = Client().post('/accounts/login/', {'login': 'x@example.org', 'password': 'y'}, "
            f"REMOTE_ADDR='{PROXY}', HTTP_ACCEPT_LANGUAGE='en'); "
            f"print(r.status_code, {TOO_MANY!r} in r.content.decode())"
        )
        env = {
            **os.environ,
            "PYTHONPATH": str(ROOT / "src"),
            "DJANGO_SETTINGS_MODULE": "coopgov.settings",
            "DATABASE_URL": current_database_url(),
            "ALLOWED_HOSTS": "testserver",
            "DEBUG": "1",  # plain HTTP and unhashed static files, as in the test process
        }
        worker = subprocess.run(
            [sys.executable, "-c", code], env=env, capture_output=True, text=True, cwd=ROOT
        )
        assert worker.stdout.split() == ["200", "True"], worker.stderr
    finally:
        cache.clear()  # the counts outlive a transactional test's flush


def current_database_url() -> str:
    """The test database, for another process."""
    database = settings.DATABASES["default"]
    if connection.vendor == "sqlite":
        return f"sqlite:///{database['NAME']}"
    credentials = quote(database["USER"] or "") + (
        ":" + quote(database["PASSWORD"]) if database["PASSWORD"] else ""
    )
    return (
        f"postgres://{credentials}@{database['HOST'] or '127.0.0.1'}:{database['PORT'] or 5432}"
        f"/{database['NAME']}"
    )
