"""The fixed cast every test can call on, and small factories for the rest.

The demo cooperative's story in miniature: a cooperative with categories A, B and C; Claire of
the cooperative-life team (secretariat); Marc, the board chair; Anne, a category-A director;
Dimitri, a works-council member on the staff; Jonas, a member with no mandate; and Paul, a
person who is not a member.
"""

from __future__ import annotations

import datetime
import itertools
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from importlib import import_module
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection, transaction
from django.test import Client
from django.utils import translation

from coopgov.core import actions
from coopgov.core.demo import load_demo
from coopgov.core.models import Member, MemberCategory, Organisation, Person, Role

PASSWORD = "a-long-test-password"


def pytest_configure(config: pytest.Config) -> None:
    # Tests speak plain HTTP to the test client and the live server; production keeps HTTPS.
    settings.SECURE_SSL_REDIRECT = False
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    settings.LANGUAGE_COOKIE_SECURE = False
    settings.SECURE_HSTS_SECONDS = 0
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)
    # Uploaded files of the tests go to a throwaway folder, never into var/media.
    settings.MEDIA_ROOT = tempfile.mkdtemp(prefix="coopgov-media-")


def in_english(client: Client) -> Client:
    """Pages in English, whatever the signed-in person prefers."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture(autouse=True)
def _english_outside_requests() -> Any:
    """Messages raised by actions read in English in tests; pages choose their own language."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _audit_trail_guard(request: pytest.FixtureRequest) -> Any:
    """The audit table refuses TRUNCATE on PostgreSQL and DELETE on SQLite, which is how Django
    empties the database after a transactional test. The guard is on for every test and lifted
    only for that flush."""
    marker = request.node.get_closest_marker("django_db")
    transactional = bool(
        {"transactional_db", "live_server"} & set(request.fixturenames)
        or (marker and (marker.kwargs.get("transaction") or (marker.args and marker.args[0])))
    )
    if connection.vendor not in AUDIT_GUARD or not (
        transactional or marker or "db" in request.fixturenames
    ):
        yield
        return
    request.getfixturevalue("transactional_db" if transactional else "db")
    guard_on, guard_off = AUDIT_GUARD[connection.vendor]
    with connection.cursor() as cursor:
        cursor.execute(guard_on)
    yield
    if transactional:
        with connection.cursor() as cursor:
            cursor.execute(guard_off)


AUDIT_GUARD = {
    "postgresql": (
        "ALTER TABLE core_event ENABLE TRIGGER core_event_no_truncate",
        "ALTER TABLE core_event DISABLE TRIGGER core_event_no_truncate",
    ),
    "sqlite": (
        import_module("coopgov.core.migrations.0007_event_append_only_sqlite").APPEND_ONLY[
            "core_event_no_delete"
        ],
        "DROP TRIGGER IF EXISTS core_event_no_delete",
    ),
}


_counter = itertools.count(1)


def make_person(org: Organisation, **fields: Any) -> Person:
    number = next(_counter)
    defaults: dict[str, Any] = {
        "first_name": f"First{number}",
        "last_name": f"Last{number}",
        "email": f"person{number}@example.org",
    }
    defaults.update(fields)
    return actions.add_person(None, organisation=org, **defaults)


def make_member(
    org: Organisation, category: MemberCategory, person: Person | None = None, **fields: Any
) -> Member:
    return actions.admit_member(
        None,
        organisation=org,
        category=category,
        person=person or make_person(org),
        admission_date=fields.pop("admission_date", datetime.date(2020, 1, 15)),
        **fields,
    )


def login(client: Client, person: Person) -> Client:
    if person.user is None:
        actions.create_account(None, person=person, password=PASSWORD, verified=True)
    client.force_login(person.user)  # type: ignore[arg-type]
    return client


@pytest.fixture
def org(db: None) -> Organisation:
    return actions.create_organisation(
        None,
        code="coop",
        name="Coopérative de test",
        enterprise_number="0712.345.630",
        city="Charleroi",
    )


@pytest.fixture
def category_a(org: Organisation) -> MemberCategory:
    return actions.add_member_category(None, organisation=org, code="A", name="Users", position=0)


@pytest.fixture
def category_b(org: Organisation) -> MemberCategory:
    return actions.add_member_category(None, organisation=org, code="B", name="Staff", position=1)


@pytest.fixture
def category_c(org: Organisation) -> MemberCategory:
    return actions.add_member_category(
        None, organisation=org, code="C", name="Partners", position=2
    )


@pytest.fixture
def secretariat(org: Organisation, category_b: MemberCategory) -> Person:
    """Claire, of the cooperative-life team: the secretariat of the bodies."""
    person = make_person(
        org, first_name="Claire", last_name="Vandenberghe", email="claire@example.org"
    )
    make_member(org, category_b, person)
    actions.grant_role(None, person=person, kind=Role.Kind.SECRETARIAT)
    return person


@pytest.fixture
def admin_person(org: Organisation) -> Person:
    """Isabelle, administrator of the organisation's settings."""
    person = make_person(
        org, first_name="Isabelle", last_name="Moreau", email="isabelle@example.org"
    )
    actions.grant_role(None, person=person, kind=Role.Kind.ADMIN)
    return person


@pytest.fixture
def board_chair(org: Organisation, category_a: MemberCategory) -> Person:
    """Marc, who chairs the board (his mandate comes with the bodies)."""
    person = make_person(org, first_name="Marc", last_name="Delvaux", email="marc@example.org")
    make_member(org, category_a, person)
    return person


@pytest.fixture
def director_a(org: Organisation, category_a: MemberCategory) -> Person:
    """Anne, a category-A director."""
    person = make_person(
        org,
        first_name="Anne",
        last_name="Lejeune",
        email="anne@example.org",
        gender=Person.Gender.FEMALE,
    )
    make_member(org, category_a, person)
    return person


@pytest.fixture
def works_council_member(org: Organisation, category_b: MemberCategory) -> Person:
    """Dimitri, staff and works-council member."""
    person = make_person(
        org, first_name="Dimitri", last_name="Pauwels", email="dimitri@example.org"
    )
    make_member(org, category_b, person)
    actions.grant_role(None, person=person, kind=Role.Kind.STAFF)
    return person


@pytest.fixture
def plain_member(org: Organisation, category_a: MemberCategory) -> Person:
    """Jonas, a member with no mandate and no role."""
    person = make_person(
        org,
        first_name="Jonas",
        last_name="Peeters",
        email="jonas@example.org",
        preferred_language="nl",
    )
    make_member(org, category_a, person)
    return person


@pytest.fixture
def outsider(org: Organisation) -> Person:
    """Paul, a person on record who is not a member."""
    return make_person(org, first_name="Paul", last_name="Martin", email="paul@example.org")


@pytest.fixture
def other_org(db: None) -> Organisation:
    return actions.create_organisation(None, code="other", name="Autre coopérative")


@contextmanager
def loaded_for_module[T](django_db_blocker: Any, load: Callable[[], T]) -> Iterator[T]:
    """Data built once for the tests of a module, in a transaction rolled back when the module
    is done: each test's own transaction (the `db` fixture) nests in it as a savepoint, so a
    test sees the data and leaves it as it found it. Loading the demo costs 10 to 25 s; a
    module of demo tests pays it once (group the module on one xdist worker)."""
    with django_db_blocker.unblock(), transaction.atomic():
        value = load()
        if connection.vendor == "postgresql":
            # Check the deferred foreign keys now: the audit guard above alters core_event
            # before each test, which PostgreSQL refuses while checks are pending on it.
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        yield value
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def module_demo(django_db_setup: None, django_db_blocker: Any) -> Iterator[Organisation]:
    """The demo cooperative, loaded once for the module (see loaded_for_module)."""
    with loaded_for_module(django_db_blocker, load_demo) as demo:
        yield demo
