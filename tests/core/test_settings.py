"""Settings come from the environment; SQLite is tuned for concurrent use; logs are JSON."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.template.loader import render_to_string

ROOT = Path(__file__).resolve().parents[2]


def settings_under(env: dict[str, str], *names: str) -> dict[str, object]:
    """Import the settings module in a fresh process with only `env` set."""
    code = (
        "import json, coopgov.settings as s; "
        f"print(json.dumps({{n: getattr(s, n, None) for n in {list(names)!r}}}, default=str))"
    )
    clean = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DATABASE_URL", "DEBUG", "SECRET_KEY", "EMAIL_", "COOPGOV_"))
    }
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={**clean, "PYTHONPATH": str(ROOT / "src"), **env},
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    return json.loads(result.stdout)


def test_sqlite_runs_in_wal_mode_with_immediate_transactions_and_full_sync(db: None) -> None:
    if connection.vendor != "sqlite":
        pytest.skip("SQLite settings")
    options = settings.DATABASES["default"]["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE"
    with connection.cursor() as cursor:
        assert cursor.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert cursor.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
        assert cursor.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_database_url_selects_postgresql(tmp_path: Path) -> None:
    values = settings_under(
        {
            "DATABASE_URL": "postgres://coop:pw@db.example.org:5432/coop",
            "COOPGOV_VAR_DIR": str(tmp_path),
        },
        "DATABASES",
    )
    database = values["DATABASES"]["default"]  # type: ignore[index]
    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert (database["HOST"], database["NAME"]) == ("db.example.org", "coop")


def test_production_postgresql_pools_a_bounded_number_of_connections_per_worker(
    tmp_path: Path,
) -> None:
    values = settings_under(
        {"DATABASE_URL": "postgres://coop@db/coop", "COOPGOV_VAR_DIR": str(tmp_path)},
        "DATABASES",
        "TESTING",
    )
    database = values["DATABASES"]["default"]  # type: ignore[index]
    assert values["TESTING"] is False
    assert database["CONN_MAX_AGE"] == 0  # Django requires it with a pool
    pool = database["OPTIONS"]["pool"]
    assert (pool["min_size"], pool["max_size"], pool["timeout"]) == (2, 8, 10.0)
    assert "check_connection" in pool["check"]
    assert database["DISABLE_SERVER_SIDE_CURSORS"] is True


def test_pool_sizes_come_from_the_environment_and_pgbouncer_turns_it_off(tmp_path: Path) -> None:
    url = {"DATABASE_URL": "postgres://coop@db/coop", "COOPGOV_VAR_DIR": str(tmp_path)}
    sized = settings_under(
        {**url, "DATABASE_POOL_MIN": "1", "DATABASE_POOL_MAX": "4"}, "DATABASES"
    )["DATABASES"]["default"]  # type: ignore[index]
    assert (sized["OPTIONS"]["pool"]["min_size"], sized["OPTIONS"]["pool"]["max_size"]) == (1, 4)
    off = settings_under({**url, "DATABASE_POOL": "off"}, "DATABASES")["DATABASES"]["default"]  # type: ignore[index]
    assert "pool" not in off.get("OPTIONS", {}) and off["CONN_MAX_AGE"] == 0


def test_the_test_run_keeps_the_pool_off() -> None:
    """Race tests hold one connection per thread; see the comment on TESTING in settings."""
    assert settings.TESTING and "pool" not in settings.DATABASES["default"].get("OPTIONS", {})


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the pool is PostgreSQL's")
def test_sixteen_threads_of_a_worker_share_at_most_the_pool_s_connections(db: None) -> None:
    """A worker process with production settings: 16 threads, 48 queries, 3 connections."""
    code = (
        "import json, threading, django; django.setup(); from django.db import connection\n"
        "def work():\n"
        "    for _ in range(3):\n"
        "        with connection.cursor() as cursor: cursor.execute('SELECT 1')\n"
        "        connection.close()\n"
        "threads = [threading.Thread(target=work) for _ in range(16)]\n"
        "[t.start() for t in threads]; [t.join() for t in threads]\n"
        "print(json.dumps(connection.pool.get_stats()))\n"
    )
    database = settings.DATABASES["default"]
    env = {key: value for key, value in os.environ.items() if not key.startswith("DATABASE_")} | {
        "PYTHONPATH": str(ROOT / "src"),
        "DJANGO_SETTINGS_MODULE": "coopgov.settings",
        "DATABASE_URL": (
            f"postgres://{database['USER']}:{database['PASSWORD'] or ''}@"
            f"{database['HOST'] or '127.0.0.1'}:{database['PORT'] or 5432}/{database['NAME']}"
        ),
        "DATABASE_POOL_MAX": "3",
        "DATABASE_POOL_MIN": "1",
    }
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, cwd=ROOT
    )
    assert result.returncode == 0, result.stderr
    stats = json.loads(result.stdout)
    assert stats["pool_max"] == 3
    assert stats.get("connections_num", 0) <= 3
    assert stats.get("requests_num", 0) == 48


def test_the_default_cache_is_shared_by_workers_in_the_database(tmp_path: Path) -> None:
    caches = settings_under({"COOPGOV_VAR_DIR": str(tmp_path)}, "CACHES")["CACHES"]
    assert caches["default"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"  # type: ignore[index]
    assert caches["default"]["LOCATION"] == "coopgov_cache"  # type: ignore[index]


def test_the_reverse_proxy_is_trusted_only_when_the_operator_declares_it(tmp_path: Path) -> None:
    names = ("ALLAUTH_TRUSTED_PROXY_COUNT", "ALLAUTH_TRUSTED_CLIENT_IP_HEADER")
    assert settings_under({"COOPGOV_VAR_DIR": str(tmp_path)}, *names) == {
        "ALLAUTH_TRUSTED_PROXY_COUNT": 0,
        "ALLAUTH_TRUSTED_CLIENT_IP_HEADER": None,
    }
    declared = settings_under(
        {
            "COOPGOV_VAR_DIR": str(tmp_path),
            "COOPGOV_TRUSTED_PROXY_COUNT": "1",
            "COOPGOV_TRUSTED_CLIENT_IP_HEADER": "X-Real-IP",
        },
        *names,
    )
    assert declared == {
        "ALLAUTH_TRUSTED_PROXY_COUNT": 1,
        "ALLAUTH_TRUSTED_CLIENT_IP_HEADER": "X-Real-IP",
    }


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, (90, 365)),
        ({"COOPGOV_API_TOKEN_DAYS": "30", "COOPGOV_API_TOKEN_MAX_DAYS": "60"}, (30, 60)),
        ({"COOPGOV_API_TOKEN_DAYS": "90", "COOPGOV_API_TOKEN_MAX_DAYS": "30"}, (30, 30)),
    ],
)
def test_token_lifetimes_come_from_the_environment(
    tmp_path: Path, env: dict[str, str], expected: tuple[int, int]
) -> None:
    values = settings_under(
        {"COOPGOV_VAR_DIR": str(tmp_path), **env}, "API_TOKEN_DAYS", "API_TOKEN_MAX_DAYS"
    )
    assert (values["API_TOKEN_DAYS"], values["API_TOKEN_MAX_DAYS"]) == expected


def test_production_defaults_are_secure(tmp_path: Path) -> None:
    values = settings_under(
        {
            "SECRET_KEY": "s" * 50,
            "ALLOWED_HOSTS": "coop.example.org",
            "COOPGOV_VAR_DIR": str(tmp_path),
        },
        "DEBUG",
        "SECURE_SSL_REDIRECT",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SECURE_HSTS_SECONDS",
        "ALLOWED_HOSTS",
        "LOG_FORMAT",
        "MAILERS",
    )
    assert values["DEBUG"] is False
    assert (
        values["SECURE_SSL_REDIRECT"]
        and values["SESSION_COOKIE_SECURE"]
        and values["CSRF_COOKIE_SECURE"]
    )
    assert values["SECURE_HSTS_SECONDS"] == 31536000
    assert values["ALLOWED_HOSTS"] == ["coop.example.org"]
    assert values["LOG_FORMAT"] == "json"
    assert values["MAILERS"]["default"]["BACKEND"].endswith("console.EmailBackend")  # type: ignore[index]


def test_smtp_comes_from_the_environment(tmp_path: Path) -> None:
    values = settings_under(
        {
            "EMAIL_HOST": "smtp.example.org",
            "EMAIL_PORT": "2525",
            "EMAIL_HOST_USER": "coop",
            "EMAIL_USE_TLS": "no",
            "COOPGOV_VAR_DIR": str(tmp_path),
        },
        "MAILERS",
    )
    mailer = values["MAILERS"]["default"]  # type: ignore[index]
    assert mailer["BACKEND"].endswith("smtp.EmailBackend")
    assert mailer["OPTIONS"] == {
        "host": "smtp.example.org",
        "port": 2525,
        "username": "coop",
        "password": "",
        "use_tls": False,
        "timeout": 30,
    }


def test_production_without_a_secret_key_fails_the_deploy_checks(tmp_path: Path) -> None:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DATABASE_URL", "DEBUG", "SECRET_KEY", "COOPGOV_", "DJANGO_"))
    }
    env.update(
        PYTHONPATH=str(ROOT / "src"),
        COOPGOV_VAR_DIR=str(tmp_path),
        ALLOWED_HOSTS="coop.example.org",
        EMAIL_HOST="smtp.example.org",
    )
    command = [sys.executable, "-m", "coopgov", "check", "--deploy", "--fail-level", "WARNING"]
    refused = subprocess.run(command, env=env, capture_output=True, text=True, cwd=ROOT)
    assert refused.returncode != 0 and "security.W009" in refused.stderr + refused.stdout
    env["SECRET_KEY"] = "k7" + "Zq9-xR2_wLp4!vN8" * 4
    accepted = subprocess.run(command, env=env, capture_output=True, text=True, cwd=ROOT)
    assert accepted.returncode == 0, accepted.stderr


def test_logs_are_one_json_object_per_line() -> None:
    formatter_config = dict(settings.LOGGING["formatters"]["json"])
    factory = formatter_config.pop("()")
    module, _, name = factory.rpartition(".")
    formatter = getattr(__import__(module, fromlist=[name]), name)(**formatter_config)
    record = logging.LogRecord(
        "coopgov", logging.WARNING, __file__, 1, "quorum %s", ("lost",), None
    )
    line = json.loads(formatter.format(record))
    assert (line["level"], line["logger"], line["message"]) == ("WARNING", "coopgov", "quorum lost")


@pytest.mark.parametrize("template", ["500.html", "404.html", "403.html", "400.html"])
def test_error_pages_render_inside_the_shell_without_a_request(template: str) -> None:
    html = render_to_string(template)
    assert "coopgov" in html and "/static/vendor/pico" in html and "<main" in html
