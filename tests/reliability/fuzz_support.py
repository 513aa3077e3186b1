"""Shared by the API fuzz test and the hostile-input test: the demo cooperative loaded once per
module inside a transaction that is rolled back at the end, a secretariat token, real ids for
every path parameter of the API, and a snapshot of row counts to prove nothing was half-saved.

Kept out of a conftest on purpose: other files of tests/reliability/ have their own fixtures.
"""

from __future__ import annotations

import datetime
import logging
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db import connection, transaction
from django.db.models import Count, Model
from django.utils import timezone

from coopgov.bodies.models import Body, Draw, Mandate
from coopgov.core import actions
from coopgov.core.demo import load_demo
from coopgov.core.models import Member, Organisation, Person, Role, Unit
from coopgov.dossiers.actions import propose_written_resolution
from coopgov.dossiers.models import Dossier, Expectation, WrittenResolution
from coopgov.meetings.models import Meeting
from coopgov.offers.models import Activity, Offer
from coopgov.strategy.models import Plan, Review, Workstream

API = "/api/v1"

# Tables whose rows change on any request, whatever it asks: sessions and the shared cache.
VOLATILE_TABLES = {"django_session", "coopgov_cache"}


@dataclass
class World:
    """The demo cooperative as the secretariat (Claire, also its administrator) sees it."""

    org: Organisation
    secretariat: Person
    token: str
    chosen: dict[str, Model] = field(default_factory=dict)

    @property
    def auth(self) -> dict[str, str]:
        return {"HTTP_AUTHORIZATION": f"Bearer {self.token}"}


@contextmanager
def demo_world() -> Iterator[World]:
    """Load the demo (about 10 s) in a transaction rolled back on exit. Use it from a
    module-scoped fixture with django_db_blocker.unblock(); each test's own transaction then
    nests in it as a savepoint."""
    # Thousands of refused requests: their 4xx warnings would bury a failure's report.
    request_log = logging.getLogger("django.request")
    level = request_log.level
    request_log.setLevel(logging.ERROR)
    try:
        with transaction.atomic():
            yield _load()
            transaction.set_rollback(True)
    finally:
        request_log.setLevel(level)


def _load() -> World:
    org = load_demo()
    secretariat = Person.objects.get(
        organisation=org, roles__kind=Role.Kind.SECRETARIAT, first_name="Claire"
    )
    assert secretariat.user is not None
    _token, raw = actions.create_api_token(secretariat.user, name="reliability")
    world = World(org=org, secretariat=secretariat, token=raw)
    if not WrittenResolution.objects.filter(organisation=org).exists():
        # The demo has none; one open resolution gives its paths a real code.
        propose_written_resolution(
            secretariat,
            body=Body.objects.filter(organisation=org, may_decide=True)
            .annotate(n=Count("mandates"))
            .order_by("-n")[0],
            title="Written resolution of the reliability suite",
            text="Adopt the reliability suite.",
            deadline=timezone.localdate() + datetime.timedelta(days=10),
        )
    world.chosen = choose_objects(org)
    if connection.vendor == "postgresql":
        # Run the deferred foreign-key checks now: the audit guard of tests/conftest.py
        # alters core_event, which PostgreSQL refuses while checks are pending on it.
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    return world


def choose_objects(org: Organisation) -> dict[str, Model]:
    """One object per kind, chosen with the most children so that paths reach deep code: a
    future meeting with invitations and items (it can be convened), a dossier with
    consultations, a workstream with milestones and indicators, an activity with enrolments,
    holdings and contributions."""
    now = timezone.now()
    meetings = Meeting.objects.of(org).annotate(n=Count("invitations") + Count("items"))
    meeting = (
        meetings.filter(starts_at__gt=now).order_by("-n").first() or meetings.order_by("-n")[0]
    )
    dossier = (
        Dossier.objects.filter(organisation=org)
        .annotate(n=Count("consultations") + Count("appearances"))
        .order_by("-n")
        .first()
    )
    workstream = (
        Workstream.objects.filter(organisation=org)
        .annotate(n=Count("milestones") + Count("indicators"))
        .order_by("-n")
        .first()
    )
    activity = (
        Activity.objects.filter(organisation=org)
        .annotate(n=Count("enrolments") + Count("holdings") + Count("contributions"))
        .order_by("-n")
        .first()
    )
    plan = Plan.objects.filter(organisation=org).annotate(n=Count("axes")).order_by("-n").first()
    body = Body.objects.filter(organisation=org).annotate(n=Count("mandates")).order_by("-n")[0]
    chosen: dict[str, Any] = {
        "meeting": meeting,
        "programme": Meeting.objects.of(org).filter(sessions__isnull=False).first(),
        "dossier": dossier,
        "workstream": workstream,
        "activity": activity,
        "plan": plan,
        "body": body,
        "unit": Unit.objects.of(org).order_by("pk").first(),
        "person": Person.objects.of(org).exclude(user__isnull=False).order_by("pk").first(),
        "member": Member.objects.of(org).order_by("number").first(),
        "mandate": Mandate.objects.filter(body=body).order_by("pk").first(),
        "draw": Draw.objects.filter(body__organisation=org).first(),
        "resolution": WrittenResolution.objects.filter(organisation=org).first(),
        "expectation": Expectation.objects.filter(organisation=org).first(),
        "review": Review.objects.filter(plan__organisation=org).first(),
        "offer": Offer.objects.filter(organisation=org).order_by("pk").first(),
    }
    missing = [name for name, value in chosen.items() if value is None]
    assert not missing, f"the demo lacks objects for {missing}"
    return chosen


def _first_pk(queryset: Any) -> str:
    found = queryset.order_by("pk").values_list("pk", flat=True).first()
    assert found is not None, f"no row in {queryset.model.__name__} for this path"
    return str(found)


# Each path parameter of the API, by the path segment that precedes it: its real value.
def _api_values(world: World) -> dict[str, Callable[[dict[str, str], str], str]]:
    c = world.chosen
    meeting, dossier, workstream, activity, plan = (
        c["meeting"],
        c["dossier"],
        c["workstream"],
        c["activity"],
        c["plan"],
    )
    return {
        "organisations": lambda *_: world.org.code,
        "units": lambda *_: c["unit"].code,
        "people": lambda *_: str(c["person"].code),
        "members": lambda *_: str(c["member"].number),
        "bodies": lambda *_: c["body"].code,
        "meetings": lambda _, path: str((c["programme"] if "/sessions/" in path else meeting).code),
        "attendance": lambda *_: _first_pk(meeting.invitations.all()),
        "sessions": lambda *_: _first_pk(c["programme"].sessions.all()),
        "dossiers": lambda *_: str(dossier.code),
        "consultations": lambda *_: _first_pk(dossier.consultations.all()),
        "resolutions": lambda *_: str(c["resolution"].code),
        "expectations": lambda *_: str(c["expectation"].pk),
        "plans": lambda *_: str(plan.code),
        "axes": lambda *_: str(plan.axes.order_by("position")[0].position),
        "workstreams": lambda *_: str(workstream.code),
        "milestones": lambda seen, _: (
            _first_pk(activity.milestones.all())
            if "activities" in seen
            else _first_pk(workstream.milestones.all())
        ),
        "indicators": lambda *_: _first_pk(workstream.indicators.all()),
        "reviews": lambda *_: str(c["review"].code),
        "offers": lambda *_: c["offer"].code,
        "activities": lambda *_: str(activity.code),
        "enrolments": lambda *_: _first_pk(activity.enrolments.all()),
        "holdings": lambda *_: str(activity.holdings.order_by("pk")[0].member.number),
        "contributions": lambda *_: _first_pk(activity.contributions.all()),
    }


_PARAM = re.compile(r"\{(\w+)\}")


def api_path_values(world: World, path: str) -> dict[str, str]:
    """Real values for the parameters of an API path template such as
    /api/v1/organisations/{org}/meetings/{code}/attendance/{invitation}. A parameter after a
    segment not in the table fails here: add the segment when adding such an endpoint."""
    values: dict[str, str] = {}
    seen: dict[str, str] = {}
    resolvers = _api_values(world)
    segments = path.strip("/").split("/")
    for previous, segment in zip(["", *segments], segments, strict=False):
        match = _PARAM.fullmatch(segment)
        if match is None:
            continue
        assert previous in resolvers, f"{path}: no real value known after /{previous}/"
        seen[previous] = values[match.group(1)] = resolvers[previous](seen, path)
    return values


def fill_path(template: str, values: dict[str, str]) -> str:
    return _PARAM.sub(lambda m: values[m.group(1)], template)


# Row counts: what a refused request must leave unchanged.


def _tables() -> list[str]:
    names = {model._meta.db_table for model in apps.get_models()}
    existing = set(connection.introspection.table_names())
    return sorted((names & existing) - VOLATILE_TABLES)


def row_counts() -> dict[str, int]:
    """The number of rows of every table of coopgov and Django (sessions and cache aside). On
    PostgreSQL, the rows this transaction added less those it removed, per table (one cheap
    query on pg_stat_xact_user_tables instead of a COUNT over each table): the same difference
    between two snapshots."""
    tables = _tables()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT relname, n_tup_ins - n_tup_del FROM pg_stat_xact_user_tables"
                " WHERE relname = ANY(%s)",
                [tables],
            )
            return dict(cursor.fetchall())
        # Table names come from the models, quoted: nothing here comes from input.
        quote = connection.ops.quote_name
        selects = ", ".join(f"(SELECT COUNT(*) FROM {quote(t)})" for t in tables)  # noqa: S608
        cursor.execute(f"SELECT {selects}")
        counts = cursor.fetchone()
    return dict(zip(tables, counts, strict=True))


def changed(before: dict[str, int], after: dict[str, int]) -> dict[str, tuple[int, int]]:
    tables = before.keys() | after.keys()
    return {
        t: (before.get(t, 0), after.get(t, 0))
        for t in tables
        if before.get(t, 0) != after.get(t, 0)
    }
