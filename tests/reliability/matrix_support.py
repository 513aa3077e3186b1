"""The machinery of the authorization matrix (tests/reliability/test_authz_matrix.py).

Three parts, so that the test module reads as the matrix itself:

- discovery: every route of the URL configuration (walked recursively) and every operation of
  the API (from its OpenAPI schema), each under a stable key;
- the world: the demo cooperative, a second organisation with its administrator, one signed-in
  client per role, and a few objects created through the actions that carry secret markers
  (a confidential agenda item with its outcome, document and minutes; an ethics committee
  meeting; a restricted dossier with its decision and action; an axis of a plan seen by the
  board only);
- probing: one request as one role, inside a savepoint rolled back afterwards (so allowed
  POSTs leave nothing behind), with the rows of key tables counted before and after, and the
  answer turned into text (HTML, JSON, ICS, CSV, PDF through pypdf) for the marker scan.
"""

from __future__ import annotations

import datetime
import functools
import io
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.http import HttpResponseBase
from django.test import Client
from django.urls import URLPattern, URLResolver, resolve
from django.utils import timezone

# Roles, in the order the report prints them.
ANONYMOUS = "anonymous"
MEMBER = "member"  # Jonas: a member with no mandate and no role
ADVISER = "adviser"  # Ophélie: staff, adviser at the Charleroi office, no mandate
DIRECTOR = "director"  # Anne: a director (vice-chair), no organisation role
CHAIR = "chair"  # Marc: the board's chair
SECRETARIAT = "secretariat"  # Yasmine: secretariat only (and a member of the ethics committee)
ADMIN = "admin"  # Claire: secretariat and administrator
OUTSIDER = "outsider"  # the administrator of another organisation

ROLES: tuple[str, ...] = (
    ANONYMOUS,
    MEMBER,
    ADVISER,
    DIRECTOR,
    CHAIR,
    SECRETARIAT,
    ADMIN,
    OUTSIDER,
)

# Who plays each role in the demo (first name, last name).
CAST: dict[str, tuple[str, str]] = {
    MEMBER: ("Jonas", "Peeters"),
    ADVISER: ("Ophélie", "Marchal"),
    DIRECTOR: ("Anne", "Lejeune"),
    CHAIR: ("Marc", "Delvaux"),
    SECRETARIAT: ("Yasmine", "El Amrani"),
    ADMIN: ("Claire", "Vandenberghe"),
}

# The day the demo tells its story (as the demo's own tests do): mandates, upcoming meetings and
# open reviews hold on that day, whatever the machine's clock says.
DEMO_DAY = datetime.datetime(2026, 11, 27, 12, tzinfo=ZoneInfo("Europe/Brussels"))
OUTSIDER_ORG = "autre-coop"
PASSWORD = "a-long-matrix-password"

# Outcomes a cell of the matrix may expect.
ALLOW = "allowed"  # GET: 2xx or 3xx (not to a login page); POST: reached the action (any 2xx,
#                    3xx, 400 or 422 answer: the right was granted, the empty form refused)
NOT_FOUND = "404"
LOGIN = "login"  # redirect to the login page (anonymous, pages)
ADMIN_LOGIN = "admin login"  # redirect to the admin site's login page
UNAUTHORIZED = "401"  # anonymous, API
NOT_ALLOWED = "405"  # the method is not served by the route
FORBIDDEN = "403"  # CSRF refusal
REFUSED = "refused"  # the view answered (2xx, 3xx, 400, 422) but its action refused: no change


# Markers: unique strings written into objects that some roles may not read. An answer to a
# role that may not read a marker's object must never contain the marker.
@dataclass(frozen=True)
class Secret:
    marker: str
    what: str
    readers: frozenset[str]


BOARD_READERS = frozenset({DIRECTOR, CHAIR, SECRETARIAT, ADMIN})
SECRETARIAT_ONLY = frozenset({SECRETARIAT, ADMIN})

SECRETS: tuple[Secret, ...] = (
    Secret("ZQXITEMTITLE", "title of an agenda item for the board only", BOARD_READERS),
    Secret("ZQXITEMTEXT", "description of an agenda item for the board only", BOARD_READERS),
    Secret("ZQXOUTCOME", "outcome recorded on an agenda item for the board only", BOARD_READERS),
    Secret("ZQXDOCTITLE", "title of a document for the board only", BOARD_READERS),
    Secret("ZQXDOCBODY", "text inside a PDF document for the board only", BOARD_READERS),
    Secret(
        "ZQXDRAFTTEXT",
        "draft minutes (not yet approved) of a board meeting, on an item open to members",
        BOARD_READERS,
    ),
    Secret(
        "ZQXETHICS",
        "title of a meeting of the ethics committee, a body whose internals are for its members",
        SECRETARIAT_ONLY,  # Yasmine sits on the committee; Claire is the secretariat
    ),
    Secret(
        "ZQXRESTRICTED",
        "restricted dossier (title, its agenda item, decision and follow-up action)",
        SECRETARIAT_ONLY,
    ),
    Secret(
        "ZQXOLDITEM",
        "an item for the board only, in minutes approved since (and its outcome)",
        BOARD_READERS,
    ),
    Secret("ZQXPLANAXIS", "axis of the draft 2030 strategy, seen by the board only", BOARD_READERS),
)


def hidden_from(role: str) -> list[Secret]:
    return [secret for secret in SECRETS if role not in secret.readers]


# Discovery


@dataclass(frozen=True)
class Route:
    """A route of the URL configuration: its key (the URL name, namespaced), its full pattern
    and its view."""

    key: str
    pattern: str
    callback: Callable[..., Any]


API_OPERATION_MODULE = "ninja.operation"


def walk(patterns: list[Any], prefix: str = "", namespace: tuple[str, ...] = ()) -> Iterator[Route]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = namespace + ((entry.namespace,) if entry.namespace else ())
            yield from walk(entry.url_patterns, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            route = prefix + str(entry.pattern)
            name = entry.name or route
            yield Route(":".join((*namespace, name)), route, entry.callback)


def page_routes() -> dict[str, Route]:
    """Every route of the URL configuration except the API's operations (those come from the
    schema, one per method)."""
    from coopgov import urls

    routes: dict[str, Route] = {}
    for route in walk(urls.urlpatterns):
        if getattr(route.callback, "__module__", "") == API_OPERATION_MODULE:
            continue
        assert route.key not in routes, f"two routes share the key {route.key}"
        routes[route.key] = route
    return routes


def api_operation_patterns() -> set[str]:
    """The URL patterns that serve API operations (checked against the schema's paths)."""
    from coopgov import urls

    return {
        re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", "/" + route.pattern)
        for route in walk(urls.urlpatterns)
        if getattr(route.callback, "__module__", "") == API_OPERATION_MODULE
    }


@functools.cache
def api_schema() -> dict[str, Any]:
    """The published OpenAPI schema (built once: it takes a fifth of a second)."""
    from coopgov.api import api

    return dict(api.get_openapi_schema())


def api_operations() -> dict[str, dict[str, Any]]:
    """ "METHOD /api/v1/…" → the operation's schema, for every operation the API publishes."""
    schema = api_schema()
    operations: dict[str, dict[str, Any]] = {}
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            if method.lower() in {"get", "post", "put", "patch", "delete"}:
                operations[f"{method.upper()} {path}"] = operation
    return operations


def fill(pattern: str, params: dict[str, Any]) -> str:
    """A concrete path from a route pattern (path converters, regex groups) or an API path."""

    def value(name: str) -> str:
        if name not in params:
            raise KeyError(f"no value for <{name}> in {pattern}")
        return str(params[name])

    path = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: value(m.group(1)), pattern)
    path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: value(m.group(1)), path)
    path = re.sub(r"\{(\w+)\}", lambda m: value(m.group(1)), path)
    path = path.replace("^", "").replace("$", "")
    return path if path.startswith("/") else "/" + path


def example_body(operation: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    """A body that passes the operation's input validation (required fields with plain values),
    so that a refused role meets the access check rather than a 422."""
    content = operation.get("requestBody", {}).get("content", {})
    media = content.get("application/json")
    if media is None:
        return {}
    value = _example(media["schema"], schema)
    return value if isinstance(value, dict) else {}


def _example(node: dict[str, Any], schema: dict[str, Any]) -> Any:
    if "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[-1]
        return _example(schema["components"]["schemas"][name], schema)
    for combined in ("anyOf", "oneOf", "allOf"):
        if combined in node:
            options = [o for o in node[combined] if o.get("type") != "null"]
            return _example(options[0], schema) if options else None
    if "enum" in node:
        return node["enum"][0]
    if "default" in node:
        return node["default"]
    kind = node.get("type")
    if kind == "object" or "properties" in node:
        required = set(node.get("required", []))
        return {
            name: _example(sub, schema)
            for name, sub in node.get("properties", {}).items()
            if name in required
        }
    if kind == "array":
        return []
    if kind == "integer":
        return 1
    if kind == "number":
        return 1
    if kind == "boolean":
        return False
    if kind == "string":
        formats = {
            "date": "2026-12-20",
            "date-time": "2026-12-20T10:00:00+01:00",
            "uuid": "00000000-0000-4000-8000-000000000000",
            "email": "someone@example.org",
        }
        return formats.get(node.get("format", ""), "x")
    return None


# The world


@dataclass
class World:
    """The demo and what the matrix adds to it; the matrix reads its path parameters here."""

    org: Any
    people: dict[str, Any]  # role → Person (all but anonymous and outsider)
    outsider: Any
    clients: dict[str, Client]
    objects: dict[str, Any] = field(default_factory=dict)

    def __getattr__(self, name: str) -> Any:
        try:
            return self.__dict__["objects"][name]
        except KeyError:
            raise AttributeError(name) from None


def person(org: Any, first: str, last: str) -> Any:
    from coopgov.core.models import Person

    return Person.objects.get(organisation=org, first_name=first, last_name=last)


def at(year: int, month: int, day: int, hour: int) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, tzinfo=ZoneInfo("Europe/Brussels"))


def small_pdf(text: str) -> bytes:
    """A one-page PDF whose text layer holds `text` (WeasyPrint, as the app's own PDFs)."""
    from weasyprint import HTML

    return bytes(HTML(string=f"<p>{text}</p>").write_pdf())


def build_world() -> World:
    """Load the demo, add the second organisation and the marked objects, sign every role in."""
    from coopgov.bodies.models import Body, BodyRelation, Confirmation, Draw, Mandate
    from coopgov.core import actions as core_actions
    from coopgov.core.demo import load_demo
    from coopgov.core.models import Member, Role, Unit
    from coopgov.dossiers import actions as dossiers_actions
    from coopgov.dossiers.models import Consultation, Decision, Dossier, Expectation
    from coopgov.meetings import actions as meetings_actions
    from coopgov.meetings.models import Invitation, Meeting, MeetingKind, Session
    from coopgov.offers.models import Activity, ActivityMilestone, Contribution, Offer, Service
    from coopgov.strategy import actions as strategy_actions
    from coopgov.strategy.models import (
        Axis,
        Indicator,
        Milestone,
        Objective,
        Plan,
        Review,
        Workstream,
    )

    org = load_demo()
    people = {role: person(org, *name) for role, name in CAST.items()}
    for someone in people.values():
        if someone.user is None:
            core_actions.create_account(None, person=someone, password=PASSWORD, verified=True)
            someone.refresh_from_db()
    secretary = people[ADMIN]
    board = Body.objects.get(organisation=org, code="ca")
    ethics = Body.objects.get(organisation=org, code="ethique")

    # Another cooperative, with its own administrator.
    other = core_actions.create_organisation(None, code=OUTSIDER_ORG, name="Autre coopérative")
    outsider = core_actions.add_person(
        None, organisation=other, first_name="Olga", last_name="Autre", email="olga@example.net"
    )
    core_actions.grant_role(None, person=outsider, kind=Role.Kind.ADMIN)
    core_actions.create_account(None, person=outsider, password=PASSWORD, verified=True)
    outsider.refresh_from_db()

    objects: dict[str, Any] = {}

    # A board meeting held in September 2026, with an item for the board only; its minutes
    # are approved at the October meeting below.
    ordinary = MeetingKind.objects.get(organisation=org, body=board, code="ordinaire")
    september = meetings_actions.schedule_meeting(
        secretary,
        kind=ordinary,
        title="Conseil d'administration de septembre",
        starts_at=at(2026, 9, 8, 18),
        ends_at=at(2026, 9, 8, 21),
    )
    old_item = meetings_actions.add_to_agenda(
        secretary,
        meeting=september,
        title="Restructuration d'un bureau ZQXOLDITEM",
        purpose="discussion",
        confidentiality="bodies",
    )
    meetings_actions.record_outcome(
        secretary, meeting=september, item=old_item, kind="note", text="Débat ZQXOLDITEM."
    )
    meetings_actions.convene(secretary, meeting=september, now=at(2026, 8, 20, 10), notify=False)
    # Held, as the demo marks its past meetings (there is no action for it yet).
    Meeting.objects.filter(pk=september.pk).update(status=Meeting.Status.HELD)
    september_minutes = meetings_actions.draft_minutes(secretary, meeting=september)

    # A board meeting held in October 2026: an item open to members, one for the board only
    # (with its outcome and a document), one of a restricted dossier with its decision; draft
    # minutes, not yet approved.
    meeting = meetings_actions.schedule_meeting(
        secretary,
        kind=ordinary,
        title="Conseil d'administration d'octobre",
        starts_at=at(2026, 10, 13, 18),
        ends_at=at(2026, 10, 13, 21),
    )
    open_item = meetings_actions.add_to_agenda(
        secretary,
        meeting=meeting,
        title="Rapport d'activité du trimestre",
        purpose="information",
        confidentiality="members",
    )
    hidden_item = meetings_actions.add_to_agenda(
        secretary,
        meeting=meeting,
        title="Litige avec un fournisseur ZQXITEMTITLE",
        purpose="discussion",
        description="Les montants en jeu ZQXITEMTEXT.",
        confidentiality="bodies",
    )
    meetings_actions.record_outcome(
        secretary,
        meeting=meeting,
        item=hidden_item,
        kind="note",
        text="Le conseil mandate l'avocat ZQXOUTCOME.",
    )
    meetings_actions.record_outcome(
        secretary, meeting=meeting, item=open_item, kind="note", text="Le rapport est présenté."
    )
    document = meetings_actions.add_document(
        secretary,
        meeting=meeting,
        title="Note de l'avocat ZQXDOCTITLE",
        upload=SimpleUploadedFile(
            "note.pdf", small_pdf("Avis juridique ZQXDOCBODY"), content_type="application/pdf"
        ),
        item=hidden_item,
        confidentiality="bodies",
    )
    restricted = dossiers_actions.open_dossier(
        secretary,
        organisation=org,
        title="Accord transactionnel ZQXRESTRICTED",
        description="Conditions de départ ZQXRESTRICTED.",
        origin_body=board,
        confidentiality="restricted",
    )
    appearance = dossiers_actions.put_on_agenda(
        secretary,
        dossier=restricted,
        meeting=meeting,
        stage="decide",
        title="Accord transactionnel ZQXRESTRICTED",
    )
    meetings_actions.convene(secretary, meeting=meeting, now=at(2026, 9, 29, 10), notify=False)
    invitations = list(meeting.invitations.select_related("person"))
    for invitation in invitations:
        meetings_actions.record_attendance(secretary, invitation=invitation, attendance="present")
    decision = dossiers_actions.record_decision(
        secretary,
        item=appearance.item,
        title="Accord transactionnel ZQXRESTRICTED",
        text="Le conseil approuve l'accord ZQXRESTRICTED.",
        method=Decision.Method.CONSENSUS,
    )
    objects["action"] = dossiers_actions.add_action(
        secretary,
        title="Signer l'accord ZQXRESTRICTED",
        owner=secretary,
        due_on=datetime.date(2026, 12, 31),
        decision=decision,
    )
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.HELD)
    meeting.refresh_from_db()
    minutes = meetings_actions.draft_minutes(secretary, meeting=meeting)
    open_section = minutes.sections.get(item=open_item)
    meetings_actions.edit_minutes(
        secretary, section=open_section, text="Projet de procès-verbal ZQXDRAFTTEXT."
    )
    meetings_actions.approve_minutes(secretary, minutes=september_minutes, at=meeting)
    objects["approved_minutes_meeting"] = september
    anne_invitation = next(i for i in invitations if i.person_id == people[DIRECTOR].pk)
    objects.update(
        meeting=meeting,
        open_item=open_item,
        hidden_item=hidden_item,
        decision_item=appearance.item,
        document=document.document,
        document_version=document.number,
        invitation=anne_invitation,
        restricted_dossier=restricted,
        decision=decision,
        minutes=minutes,
    )

    # A meeting of the ethics committee, upcoming: only its members and the secretariat see it.
    ethics_kind = meetings_actions.add_meeting_kind(
        None, body=ethics, code="reunion", name="Réunion du comité d'éthique", category="ordinary"
    )
    objects["ethics_meeting"] = meetings_actions.schedule_meeting(
        secretary,
        kind=ethics_kind,
        title="Avis sur un signalement ZQXETHICS",
        starts_at=at(2026, 12, 15, 14),
        ends_at=at(2026, 12, 15, 16),
    )

    # An axis of the draft 2030 strategy (a plan the board only sees).
    horizon = Plan.objects.get(organisation=org, title="Stratégie horizon 2030")
    strategy_actions.add_axis(
        secretary, plan=horizon, title="Cession d'une filiale ZQXPLANAXIS", weight=1
    )
    objects["draft_plan"] = horizon
    objects["plan"] = Plan.objects.get(organisation=org, status=Plan.Status.APPROVED)
    objects["axis"] = Axis.objects.filter(plan=horizon).order_by("position").first()
    objects["objective"] = Objective.objects.filter(axis__plan=horizon).order_by("pk").first()
    objects["review"] = Review.objects.get(plan=horizon)
    workstream = (
        Workstream.objects.filter(objective__axis__plan=objects["plan"])
        .filter(milestones__isnull=False, indicators__isnull=False)
        .order_by("pk")
        .first()
    )
    objects["workstream"] = workstream
    objects["milestone"] = Milestone.objects.filter(workstream=workstream).order_by("pk").first()
    objects["indicator"] = Indicator.objects.filter(workstream=workstream).order_by("pk").first()

    # Meetings of the demo: the upcoming board meeting (with a proxy), the seminar's news round.
    december = Meeting.objects.get(
        organisation=org, kind=ordinary, starts_at__date=datetime.date(2026, 12, 8)
    )
    voting = list(
        december.invitations.filter(capacity=Invitation.Capacity.VOTING)
        .select_related("person")
        .order_by("pk")
    )
    proxy = meetings_actions.give_proxy(secretary, giver=voting[-1], holder=voting[-2])
    objects.update(december=december, proxy=proxy, voting=voting)
    seminar = Meeting.objects.get(organisation=org, kind__code="seminaire")
    objects["seminar"] = seminar
    objects["news_session"] = Session.objects.get(meeting=seminar, kind="news_round")

    # Bodies, mandates, the draw of the ethics committee, the co-optation awaiting the assembly.
    objects["board"] = board
    objects["ethics"] = ethics
    objects["relation"] = BodyRelation.objects.filter(source=board).order_by("pk").first()
    objects["board_mandate"] = Mandate.objects.get(
        body=board, person=people[DIRECTOR], end__gt=DEMO_DAY.date()
    )
    objects["ethics_mandate"] = (
        Mandate.objects.filter(body=ethics).exclude(person=people[SECRETARIAT]).order_by("pk")[0]
    )
    objects["draw"] = Draw.objects.get(body=ethics)
    objects["confirmation"] = Confirmation.objects.get(organisation=org, status="pending")

    # Core: a unit, a staff member with mandates, member records.
    objects["unit"] = Unit.objects.get(organisation=org, code="bureau-charleroi")
    objects["staff_person"] = person(org, "Inès", "Lambert")
    objects["own_member"] = Member.objects.get(organisation=org, person=people[MEMBER])
    objects["other_member"] = Member.objects.get(
        organisation=org, person=person(org, "Pieter", "Janssens")
    )

    # Dossiers of the demo, their consultations, expectations; a written resolution.
    objects["dossier"] = Dossier.objects.get(
        organisation=org, title="Refonte de l'offre de services"
    )
    objects["consultation"] = Consultation.objects.filter(dossier__organisation=org).order_by("pk")[
        0
    ]
    objects["expectation"] = Expectation.objects.filter(organisation=org).order_by("pk")[0]
    objects["resolution"] = dossiers_actions.propose_written_resolution(
        secretary,
        body=board,
        title="Adhésion à la fédération des coopératives",
        text="Le conseil approuve l'adhésion.",
        deadline=datetime.date(2026, 12, 18),
    )

    # Offers: a variant, Jonas's activity (Sofia advises it) with its enrolment and milestone.
    objects["offer"] = Offer.objects.filter(organisation=org).order_by("pk")[0]
    activity = Activity.objects.get(organisation=org, holdings__member__person=people[MEMBER])
    objects["activity"] = activity
    objects["enrolment"] = activity.enrolments.order_by("-starts_on")[0]
    objects["holding"] = activity.holdings.get(member__person=people[MEMBER])
    objects["service"] = Service.objects.filter(organisation=org).order_by("pk")[0]
    objects["contribution"] = Contribution.objects.filter(activity=activity).order_by("pk")[0]
    objects["activity_milestone"] = ActivityMilestone.objects.filter(activity=activity).first()
    if objects["activity_milestone"] is None:
        from coopgov.offers import actions as offers_actions

        objects["activity_milestone"] = offers_actions.add_activity_milestone(
            secretary, activity=activity, title="Premier client", due_on=datetime.date(2027, 3, 1)
        )

    # Secret links and personal tokens: Jonas follows the board's calendar; Claire has a token.
    objects["board_feed"] = meetings_actions.open_calendar_feed(people[MEMBER], body=board)
    # Inès sits on the ethics committee and follows its calendar through a secret link.
    ines = objects["staff_person"]
    core_actions.create_account(None, person=ines, password=PASSWORD, verified=True)
    objects["ethics_feed"] = meetings_actions.open_calendar_feed(ines, body=ethics)
    objects["ethics_feed_mandate"] = Mandate.objects.get(body=ethics, person=ines)
    token, _raw = core_actions.create_api_token(secretary.user, name="matrix")
    objects["token"] = token

    clients = {ANONYMOUS: Client()}
    for role, someone in {**people, OUTSIDER: outsider}.items():
        client = Client()
        client.force_login(someone.user)
        clients[role] = client
    return World(org=org, people=people, outsider=outsider, clients=clients, objects=objects)


# Probing

# Tables whose row counts must not move on a GET, nor on a refused POST.
WATCHED_TABLES = (
    "core_event",
    "core_person",
    "core_member",
    "core_role",
    "core_apitoken",
    "bodies_mandate",
    "meetings_meeting",
    "meetings_agendaitem",
    "meetings_outcome",
    "meetings_minutes",
    "meetings_invitation",
    "meetings_calendarfeed",
    "meetings_document",
    "dossiers_dossier",
    "dossiers_decision",
    "dossiers_action",
    "strategy_plan",
    "offers_activity",
)


def snapshot() -> tuple[int, ...]:
    """Row counts of the watched tables, and the last audit event, in one query."""
    parts = [f"(SELECT COUNT(*) FROM {table})" for table in WATCHED_TABLES]  # noqa: S608 - constants
    parts.append("(SELECT COALESCE(MAX(id), 0) FROM core_event)")
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts))
        row = cursor.fetchone()
    return tuple(int(value) for value in row)


def describe_change(before: tuple[int, ...], after: tuple[int, ...]) -> str:
    names = (*WATCHED_TABLES, "last audit event")
    return ", ".join(
        f"{name} {a}→{b}" for name, a, b in zip(names, before, after, strict=True) if a != b
    )


@dataclass
class Answer:
    status: int
    location: str
    content_type: str
    text: str
    changed: str  # what the request changed in the watched tables ("" if nothing)


def request(
    client: Client,
    method: str,
    path: str,
    *,
    data: Any = None,
    json_body: bool = False,
    headers: dict[str, str] | None = None,
) -> Answer:
    """One request, inside a savepoint that is rolled back, so nothing it writes persists."""
    with transaction.atomic():
        before = snapshot()
        kwargs: dict[str, Any] = {"headers": headers or {}}
        if method == "GET":
            response = client.get(path, **kwargs)
        elif method == "HEAD":
            response = client.head(path, **kwargs)
        elif json_body:
            response = client.post(
                path, json.dumps(data or {}), content_type="application/json", **kwargs
            )
        else:
            response = client.post(path, data or {}, **kwargs)
        text = answer_text(response)
        after = snapshot()
        transaction.set_rollback(True)
    return Answer(
        status=response.status_code,
        location=response.get("Location", ""),
        content_type=response.get("Content-Type", ""),
        text=text,
        changed=describe_change(before, after) if before != after else "",
    )


def answer_text(response: HttpResponseBase) -> str:
    """Everything the answer tells its reader, as text: headers, and the body decoded by type
    (PDF through pypdf, ICS unfolded)."""
    if getattr(response, "streaming", False):
        body = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    else:
        body = response.content  # type: ignore[attr-defined]
    headers = "\n".join(f"{name}: {value}" for name, value in response.items())
    content_type = response.get("Content-Type", "")
    if body.startswith(b"%PDF") or "application/pdf" in content_type:
        text = pdf_text(body)
    else:
        text = body.decode("utf-8", errors="replace")
        if "text/calendar" in content_type:
            text = text.replace("\r\n ", "").replace("\n ", "")
    return headers + "\n" + text


def pdf_text(body: bytes) -> str:
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(body))
        return "\n".join(page.extract_text() or "" for page in reader.pages)
    except Exception as error:  # a broken PDF is itself a finding; say so in the text
        return f"<unreadable PDF: {error}>"


def leaked(role: str, text: str) -> list[Secret]:
    lowered = text.lower()
    return [secret for secret in hidden_from(role) if secret.marker.lower() in lowered]


def shown(role: str, text: str) -> list[Secret]:
    """The markers a reader was shown: the positive control of the scan (a marker nobody ever
    sees would make the scan pass for the wrong reason)."""
    lowered = text.lower()
    return [s for s in SECRETS if role in s.readers and s.marker.lower() in lowered]


def outcome(answer: Answer, method: str, *, api: bool) -> str:
    """The cell an answer fills: allowed, 404, login, 401, 405, 403, or the raw status."""
    status = answer.status
    if status in (301, 302, 303, 307, 308):
        if "/admin/login/" in answer.location:
            return ADMIN_LOGIN
        if "/accounts/login/" in answer.location:
            return LOGIN
        return ALLOW
    if 200 <= status < 300:
        return ALLOW
    if method == "POST" and status in (400, 422):
        return ALLOW  # reached the action, which refused the empty form
    return {404: NOT_FOUND, 401: UNAUTHORIZED, 405: NOT_ALLOWED, 403: FORBIDDEN}.get(
        status, str(status)
    )


def today() -> datetime.date:
    return timezone.localdate()


def check_resolves(path: str, route: Route) -> None:
    """The concrete path reaches the route it was built for (a matrix typo fails loudly)."""
    match = resolve(path.split("?")[0])
    assert match.func == route.callback or match.route == route.pattern, (
        f"{path} resolves to {match.view_name}, not {route.key}"
    )
