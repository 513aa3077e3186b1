"""The authorization matrix (issue 13, point 8; research/reliability.md §5 scenario 22).

Every route of the URL configuration and every operation of the API is asked, as each role of
the demo cooperative, with real ids (a confidential board meeting, a restricted dossier, an
ethics committee meeting…), and must answer what the matrix below says: allowed, or refused as
if the object did not exist (404 on pages and objects, 401 for an anonymous API call, the login
page for an anonymous page). Every answer (HTML, JSON, ICS, CSV, PDF) is scanned for the
markers of the objects the role may not read; no GET changes the database; no refused POST
changes it either; every POST without a CSRF token is refused.

A route that the URL configuration or the API schema has and the matrix does not fails
`test_every_route_has_an_entry_in_the_matrix`: a new page or operation says who may use it
before it ships.

The matrix says what SHOULD hold. A cell the code does not meet yet fails with the route, the
role and what leaked.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import pytest
import time_machine
from django.db import connection, transaction
from django.test import Client

from tests.reliability.matrix_support import (
    ADMIN,
    ADMIN_LOGIN,
    ADVISER,
    ALLOW,
    ANONYMOUS,
    CHAIR,
    DEMO_DAY,
    DIRECTOR,
    FORBIDDEN,
    LOGIN,
    MEMBER,
    NOT_ALLOWED,
    NOT_FOUND,
    OUTSIDER,
    REFUSED,
    ROLES,
    SECRETARIAT,
    SECRETS,
    UNAUTHORIZED,
    World,
    api_operation_patterns,
    api_operations,
    api_schema,
    build_world,
    check_resolves,
    example_body,
    fill,
    leaked,
    outcome,
    page_routes,
    request,
    shown,
)


def _one_worker() -> list[pytest.MarkDecorator]:
    """Under pytest-xdist (--dist loadgroup) the whole module runs in one worker, which loads
    the demo once; without xdist the marker does not exist and is not needed."""
    try:
        return [pytest.mark.xdist_group("authz_matrix")]
    except pytest.fail.Exception:
        return []


# The marker makes pytest-django create the test database; each test then runs in a savepoint
# inside the module's transaction (the demo is loaded once, in the `world` fixture).
pytestmark = [pytest.mark.django_db, *_one_worker()]

# Who, by role (anonymous and the other organisation's administrator are never in a group
# below: they reach nothing of the demo cooperative).
Roles = frozenset[str]
NOBODY: Roles = frozenset()
SECRETARIAT_: Roles = frozenset({SECRETARIAT, ADMIN})
ADMIN_ONLY: Roles = frozenset({ADMIN})
BOARD: Roles = frozenset({DIRECTOR, CHAIR})
BOARD_AND_SECRETARIAT: Roles = BOARD | SECRETARIAT_
STAFF: Roles = frozenset({ADVISER}) | SECRETARIAT_  # staff read people, members, activities
MEMBERS: Roles = frozenset({MEMBER, ADVISER, DIRECTOR, CHAIR, SECRETARIAT, ADMIN})
EVERYONE_SIGNED_IN: Roles = MEMBERS | {OUTSIDER}
EVERYONE: Roles = EVERYONE_SIGNED_IN | {ANONYMOUS}

Params = Callable[[World], dict[str, Any]]


def no_params(world: World) -> dict[str, Any]:
    return {}


@dataclass(frozen=True)
class Case:
    """One object (or query) a route is asked about, and who may use it.

    `get`/`post`: the roles allowed; None when the route does not serve that method (405, or
    the login page first for an anonymous page). Roles not allowed get 404 (401 or the login
    page when anonymous), unless `expect` says otherwise for a (method, role).
    """

    label: str = ""
    params: Params = no_params
    get: Roles | None = None
    post: Roles | None = None
    query: str = ""
    headers: Mapping[str, str] = field(default_factory=dict)
    body: Callable[[World], dict[str, Any]] | None = None
    public: bool = False  # served to anonymous visitors (no login page first)
    expect: Mapping[tuple[str, str], str] = field(default_factory=dict)
    scan_as: str | None = None  # whose rights the content is checked against (secret links)
    head: bool = True  # HEAD asked with GET (not where the answer is costly and adds nothing)


def case(**kwargs: Any) -> tuple[Case, ...]:
    return (Case(**kwargs),)


def cases(*items: Case) -> tuple[Case, ...]:
    return items


# Path parameters, read from the world.
def meeting(w: World) -> dict[str, Any]:
    return {"code": w.meeting.code}


def ethics_meeting(w: World) -> dict[str, Any]:
    return {"code": w.ethics_meeting.code}


def approved_meeting(w: World) -> dict[str, Any]:
    return {"code": w.approved_minutes_meeting.code}


def restricted(w: World) -> dict[str, Any]:
    return {"code": w.restricted_dossier.code}


def dossier(w: World) -> dict[str, Any]:
    return {"code": w.consultation.dossier.code}


def draft_plan(w: World) -> dict[str, Any]:
    return {"code": w.draft_plan.code}


def plan(w: World) -> dict[str, Any]:
    return {"code": w.plan.code}


def workstream(w: World) -> dict[str, Any]:
    return {"code": w.workstream.code}


def review(w: World) -> dict[str, Any]:
    return {"code": w.review.code}


def activity(w: World) -> dict[str, Any]:
    return {"code": w.activity.code}


def board(w: World) -> dict[str, Any]:
    return {"code": "ca"}


def board_mandate(w: World) -> dict[str, Any]:
    return {"code": w.board_mandate.code}


def staff_person(w: World) -> dict[str, Any]:
    return {"code": w.staff_person.code}


# The pages. Keys are URL names; the organisation is always the demo's.
PAGES: dict[str, tuple[Case, ...]] = {
    # The signed-in person's own pages, and public ones.
    "home": case(get=EVERYONE_SIGNED_IN),
    "healthz": case(get=EVERYONE, public=True),
    "calendar_feed": case(
        label="Jonas's secret link to the board's calendar",
        params=lambda w: {"token": w.board_feed.token},
        get=EVERYONE,
        public=True,
        scan_as=MEMBER,  # the link holder sees what its owner may see, no more
    ),
    "set_language": case(post=EVERYONE, public=True, body=lambda w: {"language": "en"}),
    "my_account": case(get=EVERYONE_SIGNED_IN, post=EVERYONE_SIGNED_IN),
    "revoke_token": case(
        label="Claire's API token",
        params=lambda w: {"prefix": w.token.prefix},
        post=ADMIN_ONLY,
    ),
    # Core: the organisation, units, people, members.
    "core:organisation": case(get=MEMBERS),
    "core:organisation_edit": case(get=ADMIN_ONLY, post=ADMIN_ONLY),
    "core:units": case(get=MEMBERS),
    "core:unit_new": case(get=SECRETARIAT_, post=SECRETARIAT_),
    "core:unit": case(params=lambda w: {"code": w.unit.code}, get=MEMBERS),
    "core:unit_edit": case(
        params=lambda w: {"code": w.unit.code}, get=SECRETARIAT_, post=SECRETARIAT_
    ),
    "core:people": cases(
        Case(get=STAFF),
        Case(label="htmx results", get=STAFF, query="?q=a", headers={"HX-Request": "true"}),
    ),
    "core:person_new": case(get=SECRETARIAT_, post=SECRETARIAT_),
    "core:person_choices": case(get=STAFF, query="?q=a"),
    "core:person": cases(
        Case(label="a staff member on the ethics committee", params=staff_person, get=STAFF),
        Case(
            label="Jonas's own page",
            params=lambda w: {"code": w.people[MEMBER].code},
            get=STAFF | {MEMBER},
        ),
    ),
    "core:person_edit": case(params=staff_person, get=SECRETARIAT_, post=SECRETARIAT_),
    "core:person_invite": case(params=staff_person, post=SECRETARIAT_),
    "core:person_grant_role": case(params=staff_person, post=ADMIN_ONLY),
    "core:person_revoke_role": case(
        params=lambda w: {"code": w.staff_person.code, "kind": "staff"}, post=ADMIN_ONLY
    ),
    "core:members": case(get=STAFF),
    "core:member_admit": case(get=SECRETARIAT_, post=SECRETARIAT_),
    "core:member": cases(
        Case(
            label="another member's record",
            params=lambda w: {"number": w.other_member.number},
            get=STAFF,
        ),
        Case(
            label="Jonas's own record",
            params=lambda w: {"number": w.own_member.number},
            get=STAFF | {MEMBER},
        ),
    ),
    "core:member_status": case(
        params=lambda w: {"number": w.other_member.number}, post=SECRETARIAT_
    ),
    # Bodies and mandates.
    "bodies:list": case(get=MEMBERS),
    "bodies:map": case(get=MEMBERS),
    "bodies:new": case(get=SECRETARIAT_, post=SECRETARIAT_),
    "bodies:detail": cases(
        Case(label="the board", params=board, get=MEMBERS),
        Case(label="the ethics committee", params=lambda w: {"code": "ethique"}, get=MEMBERS),
    ),
    "bodies:edit": case(params=board, get=SECRETARIAT_, post=SECRETARIAT_),
    "bodies:seat_rule": case(params=board, get=SECRETARIAT_, post=SECRETARIAT_),
    "bodies:relation_add": case(params=board, post=SECRETARIAT_),
    "bodies:relation_remove": case(
        params=lambda w: {"code": "ca", "pk": w.relation.pk}, post=SECRETARIAT_
    ),
    "bodies:appoint": case(params=board, get=SECRETARIAT_, post=SECRETARIAT_),
    "bodies:draw_new": case(
        params=lambda w: {"code": "ethique"}, get=SECRETARIAT_, post=SECRETARIAT_
    ),
    "bodies:mandate": cases(
        Case(label="a director's mandate", params=board_mandate, get=MEMBERS),
        Case(
            label="a mandate on the ethics committee",
            params=lambda w: {"code": w.ethics_mandate.code},
            get=SECRETARIAT_,
        ),
    ),
    "bodies:mandate_end": case(params=board_mandate, post=SECRETARIAT_),
    "bodies:mandate_renew": case(params=board_mandate, post=SECRETARIAT_),
    "bodies:mandate_representative": case(params=board_mandate, post=SECRETARIAT_),
    "bodies:mandate_coopt": case(params=board_mandate, post=SECRETARIAT_),
    "bodies:confirmation_decide": case(
        label="the co-optation awaiting the assembly",
        params=lambda w: {"code": w.confirmation.mandate.code},
        post=SECRETARIAT_,
    ),
    "bodies:draw": case(
        label="the ethics committee's draw",
        params=lambda w: {"code": w.draw.code},
        get=SECRETARIAT_,
    ),
    # Meetings. The October board meeting has an item open to members, one for the board only
    # (outcome, document) and one of a restricted dossier; its minutes are a draft.
    "meetings:list": cases(
        Case(label="upcoming", get=MEMBERS),
        Case(label="past", get=MEMBERS, query="?when=past"),
        Case(label="year 2026", get=MEMBERS, query="?year=2026"),
    ),
    "meetings:new": case(get=SECRETARIAT_, post=SECRETARIAT_),
    "meetings:feeds": case(get=MEMBERS, post=MEMBERS),
    "meetings:recurring": case(get=SECRETARIAT_, post=SECRETARIAT_),
    "meetings:detail": cases(
        Case(label="the October board meeting", params=meeting, get=MEMBERS),
        Case(label="an ethics committee meeting", params=ethics_meeting, get=SECRETARIAT_),
        Case(
            label="htmx: the outcome form",
            params=meeting,
            get=SECRETARIAT_,
            query="?form=outcome",
            headers={"HX-Request": "true"},
        ),
    ),
    "meetings:programme": cases(
        Case(label="the seminar", params=lambda w: {"code": w.seminar.code}, get=MEMBERS),
        Case(label="an ethics committee meeting", params=ethics_meeting, get=SECRETARIAT_),
    ),
    "meetings:minutes": cases(
        # Draft minutes are for the body's members and the secretariat: others see the meeting's
        # minutes page as for a meeting without minutes (the scan checks the draft stays out).
        Case(
            label="draft minutes of the October board meeting",
            params=meeting,
            get=MEMBERS,
            post=SECRETARIAT_,
        ),
        Case(label="approved minutes", params=approved_meeting, get=MEMBERS, post=SECRETARIAT_),
        Case(
            label="an ethics committee meeting (no minutes yet)",
            params=ethics_meeting,
            get=SECRETARIAT_,
            post=NOBODY,
        ),
    ),
    "meetings:ics": cases(
        Case(label="the October board meeting", params=meeting, get=MEMBERS),
        Case(label="an ethics committee meeting", params=ethics_meeting, get=SECRETARIAT_),
    ),
    "meetings:board_book": cases(
        Case(label="the October board meeting", params=meeting, get=MEMBERS),
        Case(label="an ethics committee meeting", params=ethics_meeting, get=SECRETARIAT_),
    ),
    "meetings:minutes_pdf": cases(
        Case(
            label="draft minutes of the October board meeting",
            params=meeting,
            get=BOARD_AND_SECRETARIAT,
        ),
        Case(label="approved minutes", params=approved_meeting, get=MEMBERS),
    ),
    "meetings:document_add": case(params=meeting, post=SECRETARIAT_),
    "meetings:document": case(
        label="a document for the board only",
        params=lambda w: {
            "code": w.meeting.code,
            "document": w.document.code,
            "number": w.document_version,
        },
        get=BOARD_AND_SECRETARIAT,
    ),
    "meetings:session_add": case(params=meeting, post=SECRETARIAT_),
    "meetings:item_add": case(params=meeting, post=BOARD_AND_SECRETARIAT),
    "meetings:item_decide": case(
        params=lambda w: {"code": w.meeting.code, "item": w.open_item.pk}, post=SECRETARIAT_
    ),
    "meetings:conflict": case(
        label="an item for the board only",
        params=lambda w: {"code": w.meeting.code, "item": w.hidden_item.pk},
        post=BOARD_AND_SECRETARIAT,
    ),
    "meetings:convene": case(params=lambda w: {"code": w.december.code}, post=SECRETARIAT_),
    "meetings:move": case(params=lambda w: {"code": w.december.code}, post=SECRETARIAT_),
    "meetings:guest_add": case(params=meeting, post=SECRETARIAT_),
    "meetings:answer": case(
        label="a meeting where the directors are invited", params=meeting, post=BOARD
    ),
    "meetings:attendance": case(
        params=lambda w: {"code": w.meeting.code, "invitation": w.invitation.pk},
        post=SECRETARIAT_,
    ),
    "meetings:proxy_add": case(params=lambda w: {"code": w.december.code}, post=SECRETARIAT_),
    "meetings:proxy_remove": case(
        params=lambda w: {"code": w.december.code, "proxy": w.proxy.pk}, post=SECRETARIAT_
    ),
    "meetings:outcome_add": case(params=meeting, post=SECRETARIAT_),
    # Dossiers, decisions, actions, written resolutions, inter-body dialogue.
    "dossiers:list": cases(
        Case(get=MEMBERS),
        # Searches use a word of the restricted dossier's title, never its marker (the page
        # shows the words searched).
        Case(label="search", get=MEMBERS, query="?q=transactionnel"),
    ),
    "dossiers:new": case(get=SECRETARIAT_, post=SECRETARIAT_),
    "dossiers:choices": case(get=MEMBERS, query="?q=transactionnel"),
    "dossiers:detail": cases(
        Case(label="a restricted dossier", params=restricted, get=SECRETARIAT_),
        Case(label="a dossier open to members", params=dossier, get=MEMBERS),
    ),
    "dossiers:schedule": case(params=restricted, post=SECRETARIAT_),
    "dossiers:consult": case(params=restricted, post=SECRETARIAT_),
    "dossiers:opinion": case(
        params=lambda w: {"code": w.consultation.dossier.code, "consultation": w.consultation.pk},
        post=SECRETARIAT_,
    ),
    "dossiers:decide": case(
        params=lambda w: {"code": w.restricted_dossier.code, "item": w.decision_item.pk},
        post=SECRETARIAT_,
    ),
    "dossiers:action_add": case(params=restricted, post=SECRETARIAT_),
    "dossiers:relate": case(params=restricted, post=SECRETARIAT_),
    "dossiers:schedule_from_meeting": case(
        params=lambda w: {"meeting": w.meeting.code}, get=SECRETARIAT_, post=SECRETARIAT_
    ),
    "dossiers:register": cases(
        Case(get=MEMBERS),
        Case(label="CSV export", get=MEMBERS, query="?format=csv"),
        Case(label="search", get=MEMBERS, query="?q=transactionnel"),
    ),
    "dossiers:actions": case(
        label="the restricted dossier's action",
        get=MEMBERS,
        post=SECRETARIAT_,
        body=lambda w: {"action": str(w.action.code)},
    ),
    "dossiers:resolutions": case(get=MEMBERS, post=SECRETARIAT_),
    "dossiers:dialogue": case(get=MEMBERS, post=SECRETARIAT_),
    "dossiers:resolution": case(
        # Everyone who sees the board's resolution may try to answer "yes"; only its voting
        # members' answers count, the others are refused and nothing changes.
        label="a written resolution of the board, answered yes",
        params=lambda w: {"code": w.resolution.code},
        get=MEMBERS,
        post=BOARD,
        body=lambda w: {"answer": "yes"},
        expect={("POST", role): REFUSED for role in (MEMBER, ADVISER, SECRETARIAT, ADMIN)},
    ),
    # Strategy.
    "strategy:plans": case(get=MEMBERS),
    "strategy:plan_new": case(post=SECRETARIAT_),
    "strategy:updates": case(get=BOARD_AND_SECRETARIAT),
    "strategy:update_new": case(get=SECRETARIAT_, post=SECRETARIAT_),
    "strategy:workstream": case(params=workstream, get=MEMBERS),
    "strategy:milestone_add": case(params=workstream, post=SECRETARIAT_),
    "strategy:milestone_reach": case(
        params=lambda w: {"code": w.workstream.code, "pk": w.milestone.pk}, post=SECRETARIAT_
    ),
    "strategy:indicator_add": case(params=workstream, post=SECRETARIAT_),
    "strategy:value_add": case(params=workstream, post=SECRETARIAT_),
    "strategy:link": case(params=workstream, post=SECRETARIAT_),
    "strategy:review": case(
        label="the board's review of the draft 2030 strategy",
        params=review,
        get=BOARD_AND_SECRETARIAT,
    ),
    "strategy:review_answer": case(
        params=lambda w: {"code": w.review.code, "axis": w.axis.pk}, post=BOARD_AND_SECRETARIAT
    ),
    "strategy:review_conclude": case(params=review, post=SECRETARIAT_),
    "strategy:plan": cases(
        Case(
            label="the draft 2030 strategy (board only)",
            params=draft_plan,
            get=BOARD_AND_SECRETARIAT,
        ),
        Case(label="the approved strategy", params=plan, get=MEMBERS),
    ),
    "strategy:changes": case(label="the approved (derived) strategy", params=plan, get=MEMBERS),
    "strategy:axis_add": case(params=draft_plan, post=SECRETARIAT_),
    "strategy:objective_add": case(params=draft_plan, post=SECRETARIAT_),
    "strategy:workstream_add": case(params=draft_plan, post=SECRETARIAT_),
    "strategy:remove": case(
        params=draft_plan, post=SECRETARIAT_, body=lambda w: {"kind": "axis", "pk": w.axis.pk}
    ),
    "strategy:edit": case(params=draft_plan, post=SECRETARIAT_),
    "strategy:approve": case(params=draft_plan, post=SECRETARIAT_),
    "strategy:derive": case(params=plan, post=SECRETARIAT_),
    "strategy:review_new": case(params=draft_plan, post=SECRETARIAT_),
    "strategy:gather_news": case(
        params=lambda w: {"meeting": w.seminar.code, "session": w.news_session.pk},
        post=SECRETARIAT_,
    ),
    # Offers and activities. Jonas holds the activity; Sofia (not a role here) advises it.
    "offers:catalogue": case(get=MEMBERS),
    "offers:service_add": case(post=SECRETARIAT_),
    "offers:offer_add": case(post=SECRETARIAT_),
    "offers:offer": case(params=lambda w: {"code": w.offer.code}, get=MEMBERS),
    "offers:version_add": case(params=lambda w: {"code": w.offer.code}, post=SECRETARIAT_),
    "offers:feed": case(post=SECRETARIAT_),
    "offers:advising": case(get=MEMBERS),
    "offers:management": case(get=STAFF),
    "offers:activities": case(get=MEMBERS),
    "offers:activity_new": case(get=STAFF, post=STAFF),
    "offers:activity": case(params=activity, get=STAFF | {MEMBER}),
    "offers:stage": case(params=activity, post=SECRETARIAT_),
    "offers:enrol": case(params=activity, post=SECRETARIAT_),
    "offers:accept": case(
        params=lambda w: {"code": w.activity.code, "enrolment": w.enrolment.pk},
        post=STAFF | {MEMBER},
    ),
    "offers:review": case(params=activity, post=SECRETARIAT_),
    "offers:shares": case(
        params=activity, post=SECRETARIAT_, body=lambda w: {"holding": w.holding.pk}
    ),
    "offers:support": case(params=activity, post=SECRETARIAT_),
    "offers:milestone_add": case(params=activity, post=SECRETARIAT_),
    "offers:milestone_reach": case(
        params=lambda w: {"code": w.activity.code, "pk": w.activity_milestone.pk},
        post=SECRETARIAT_,
    ),
    "offers:evaluation": case(params=activity, post=SECRETARIAT_),
    "offers:contribution": case(params=activity, post=SECRETARIAT_),
    "offers:payment": case(params=activity, post=SECRETARIAT_),
    "offers:need": case(params=activity, post=STAFF | {MEMBER}),
    "offers:follow": case(params=activity, post=STAFF),
    # The API's own pages: the published schema and its documentation.
    # (they answer a POST as a GET: nothing there changes anything).
    "api:openapi-json": case(
        get=EVERYONE, public=True, head=False, expect={("POST", ADMIN): ALLOW}
    ),
    "api:openapi-view": case(get=EVERYONE, post=EVERYONE, public=True),
    "api:api-root": case(get=NOBODY, post=NOBODY, public=True),
}


# Third-party pages. Accounts (django-allauth): sign-in pages are public; the account's own
# pages are for the signed-in person, whoever it is; none shows anything of a cooperative.
ACCOUNT_PAGES: dict[str, tuple[Case, ...]] = {
    # Signing in, out, up (sign-up is closed: the page says so), resetting a password.
    "account_login": case(get=EVERYONE, post=EVERYONE, public=True),
    "account_logout": case(get=EVERYONE, post=EVERYONE, public=True),
    "account_signup": case(get=EVERYONE, post=EVERYONE, public=True),
    "account_inactive": case(get=EVERYONE, public=True),
    "account_email_verification_sent": case(get=EVERYONE, public=True),
    "account_confirm_email": case(
        label="an unknown key",
        params=lambda w: {"key": "x"},
        get=EVERYONE,
        post=NOBODY,
        public=True,
    ),
    "account_reset_password": case(get=EVERYONE, post=EVERYONE, public=True),
    "account_reset_password_done": case(get=EVERYONE, public=True),
    "account_reset_password_from_key": case(
        label="an unknown key",
        params=lambda w: {"uidb36": "1", "key": "x"},
        get=EVERYONE,
        post=EVERYONE,
        public=True,
    ),
    "account_reset_password_from_key_done": case(get=EVERYONE, public=True),
    # The signed-in person's own account, whoever it is.
    "account_confirm_login_code": case(get=EVERYONE_SIGNED_IN, post=EVERYONE_SIGNED_IN),
    "account_change_password": case(get=EVERYONE_SIGNED_IN, post=EVERYONE_SIGNED_IN),
    "account_set_password": case(get=EVERYONE_SIGNED_IN, post=EVERYONE_SIGNED_IN),
    "account_email": case(get=EVERYONE_SIGNED_IN, post=EVERYONE_SIGNED_IN),
    "account_reauthenticate": case(get=EVERYONE_SIGNED_IN, post=EVERYONE_SIGNED_IN),
    "account_request_reauthentication_code": case(get=EVERYONE_SIGNED_IN, post=EVERYONE_SIGNED_IN),
    "account_confirm_reauthentication_code": case(get=EVERYONE_SIGNED_IN, post=EVERYONE_SIGNED_IN),
    "mfa_index": case(get=EVERYONE_SIGNED_IN),
    "mfa_activate_totp": case(get=EVERYONE_SIGNED_IN, post=EVERYONE_SIGNED_IN),
    "mfa_authenticate": case(get=EVERYONE_SIGNED_IN, post=EVERYONE_SIGNED_IN),
    "mfa_reauthenticate": case(get=EVERYONE_SIGNED_IN, post=EVERYONE_SIGNED_IN),
    "mfa_generate_recovery_codes": case(get=EVERYONE_SIGNED_IN, post=EVERYONE_SIGNED_IN),
    # Nobody in the demo has an authenticator: there is nothing to deactivate or show.
    "mfa_deactivate_totp": case(get=NOBODY, post=NOBODY),
    "mfa_view_recovery_codes": case(get=NOBODY),
    "mfa_download_recovery_codes": case(get=NOBODY, post=NOBODY),
}

# The admin site: nobody in the demo is Django staff, so every page of the admin sends to its
# login page, whoever asks. Its routes follow a pattern per registered model; the matrix covers
# them by kind (a new kind of admin page, or a custom admin view, still needs an entry).
ADMIN_MODEL_VIEWS = ("changelist", "add", "history", "delete", "change", "password_change")
ADMIN_PARAMS = {"object_id": 1, "id": 1, "content_type_id": 1, "app_label": "core", "url": "x/"}


def admin_cases(key: str) -> tuple[Case, ...] | None:
    def guarded(*, site: bool) -> tuple[Case, ...]:
        # The site's own pages send even anonymous visitors to the admin's login page; the
        # models' pages leave them to the login-required default first. One guard serves
        # every admin page: each is asked with GET by every role, with POST once.
        who = EVERYONE if site else EVERYONE_SIGNED_IN
        return case(
            params=lambda w: ADMIN_PARAMS,
            get=NOBODY,
            public=site,
            head=False,
            expect={("GET", r): ADMIN_LOGIN for r in who} | {("POST", ADMIN): ADMIN_LOGIN},
        )

    special: dict[str, tuple[Case, ...]] = {
        "admin:login": case(get=EVERYONE, post=EVERYONE, public=True),
        # Those who are not Django staff are sent to the admin's index (and from there to its
        # login page); the client's session is put back after each request anyway.
        "admin:logout": case(
            get=EVERYONE_SIGNED_IN,
            post=EVERYONE_SIGNED_IN,
            public=True,
            expect={(m, ANONYMOUS): ADMIN_LOGIN for m in ("GET", "HEAD", "POST")},
        ),
    }
    if key in special:
        return special[key]
    name = key.removeprefix("admin:")
    site = {
        "index",
        "password_change",
        "password_change_done",
        "autocomplete",
        "jsi18n",
        "view_on_site",
        "app_list",
        "admin/(?P<url>.*)$",  # the catch-all
    }
    if name in site:
        return guarded(site=True)
    if any(name.endswith("_" + view) for view in ADMIN_MODEL_VIEWS) or (
        name.startswith("admin/") and name.endswith("/<path:object_id>/")
    ):
        return guarded(site=False)  # the bare object URL leads to its change page
    return None


# The API, one entry per operation ("METHOD path" as the schema publishes it). Anonymous calls
# get 401; the other organisation's administrator, 404. POST bodies pass input validation
# (built from the schema) so that refused roles meet the access check, not a 422.
@dataclass(frozen=True)
class Op:
    allowed: Roles
    params: Params = no_params
    label: str = ""
    body: Callable[[World], dict[str, Any]] | None = None
    expect: Mapping[str, str] = field(default_factory=dict)  # role → outcome


def op(allowed: Roles, params: Params = no_params, **kwargs: Any) -> tuple[Op, ...]:
    return (Op(allowed, params, **kwargs),)


BASE = "/api/v1/organisations/{org}"
API: dict[str, tuple[Op, ...]] = {
    "GET /api/v1/organisations": op(EVERYONE_SIGNED_IN),
    f"GET {BASE}": op(MEMBERS),
    f"GET {BASE}/units": op(MEMBERS),
    f"GET {BASE}/units/{{code}}": op(MEMBERS, lambda w: {"code": w.unit.code}),
    f"GET {BASE}/people": op(STAFF),
    f"POST {BASE}/people": op(SECRETARIAT_),
    f"GET {BASE}/people/{{code}}": op(STAFF, staff_person),
    f"GET {BASE}/people/{{code}}/mandates": op(STAFF, staff_person),
    f"GET {BASE}/members": op(STAFF),
    f"POST {BASE}/members": op(SECRETARIAT_, body=lambda w: {"category": "A"}),
    f"GET {BASE}/members/{{number}}": (
        Op(STAFF, lambda w: {"number": w.other_member.number}, "another member's record"),
        Op(STAFF | {MEMBER}, lambda w: {"number": w.own_member.number}, "Jonas's own record"),
    ),
    # Bodies: the ethics committee's internals are for its members and the secretariat.
    f"GET {BASE}/bodies": op(MEMBERS),
    f"GET {BASE}/bodies/{{code}}": op(MEMBERS, lambda w: {"code": "ethique"}),
    f"GET {BASE}/bodies/{{code}}/composition": (
        Op(MEMBERS, board, "the board"),
        Op(SECRETARIAT_, lambda w: {"code": "ethique"}, "the ethics committee"),
    ),
    f"GET {BASE}/bodies/{{code}}/report": (
        Op(MEMBERS, board, "the board"),
        Op(SECRETARIAT_, lambda w: {"code": "ethique"}, "the ethics committee"),
    ),
    f"GET {BASE}/bodies/{{code}}/mandates": (
        Op(MEMBERS, board, "the board"),
        Op(SECRETARIAT_, lambda w: {"code": "ethique"}, "the ethics committee"),
    ),
    f"POST {BASE}/bodies/{{code}}/mandates": op(
        SECRETARIAT_,
        board,
        body=lambda w: {"person": str(w.people[MEMBER].code), "start": "2027-01-01", "origin": "x"},
    ),
    # Meetings.
    f"GET {BASE}/meetings": op(MEMBERS),
    f"POST {BASE}/meetings": op(
        SECRETARIAT_,
        body=lambda w: {
            "kind": "ordinaire",
            "body": "ca",
            "title": "x",
            "starts_at": "2027-03-09T18:00:00+01:00",
            "ends_at": "2027-03-09T21:00:00+01:00",
        },
    ),
    f"GET {BASE}/meetings/{{code}}": (
        Op(MEMBERS, meeting, "the October board meeting"),
        Op(SECRETARIAT_, ethics_meeting, "an ethics committee meeting"),
    ),
    f"POST {BASE}/meetings/{{code}}/items": op(SECRETARIAT_, meeting),
    f"POST {BASE}/meetings/{{code}}/attendance/{{invitation}}": op(
        SECRETARIAT_, lambda w: {"code": w.meeting.code, "invitation": w.invitation.pk}
    ),
    f"POST {BASE}/meetings/{{code}}/convene": op(SECRETARIAT_, lambda w: {"code": w.december.code}),
    f"GET {BASE}/meetings/{{code}}/outcomes": (
        Op(MEMBERS, meeting, "the October board meeting"),
        Op(SECRETARIAT_, ethics_meeting, "an ethics committee meeting"),
    ),
    f"POST {BASE}/meetings/{{code}}/outcomes": op(SECRETARIAT_, meeting),
    f"POST {BASE}/meetings/{{code}}/answer": op(BOARD, meeting),
    f"POST {BASE}/meetings/{{code}}/proxies": op(
        SECRETARIAT_,
        lambda w: {"code": w.december.code},
        body=lambda w: {"giver": w.voting[0].pk, "holder": w.voting[1].pk},
    ),
    f"GET {BASE}/meetings/{{code}}/minutes": (
        # Draft minutes: for the body's members and the secretariat; to others, as missing.
        Op(BOARD_AND_SECRETARIAT, meeting, "draft minutes of the October board meeting"),
        Op(MEMBERS, approved_meeting, "approved minutes"),
    ),
    f"GET {BASE}/meetings/{{code}}/documents": (
        Op(MEMBERS, meeting, "the October board meeting"),
        Op(SECRETARIAT_, ethics_meeting, "an ethics committee meeting"),
    ),
    # Dossiers and decisions.
    f"GET {BASE}/dossiers": op(MEMBERS),
    f"POST {BASE}/dossiers": op(SECRETARIAT_),
    f"GET {BASE}/dossiers/{{code}}": (
        Op(SECRETARIAT_, restricted, "a restricted dossier"),
        Op(MEMBERS, dossier, "a dossier open to members"),
    ),
    f"POST {BASE}/dossiers/{{code}}/agenda": op(
        SECRETARIAT_, restricted, body=lambda w: {"meeting": str(w.december.code), "stage": "x"}
    ),
    f"POST {BASE}/dossiers/{{code}}/consultations": op(
        SECRETARIAT_,
        restricted,
        body=lambda w: {"consulted_body": "ce", "kind": "x", "due_date": "2027-01-15"},
    ),
    f"POST {BASE}/dossiers/{{code}}/consultations/{{consultation}}/opinion": op(
        SECRETARIAT_,
        lambda w: {"code": w.consultation.dossier.code, "consultation": w.consultation.pk},
    ),
    f"POST {BASE}/dossiers/{{code}}/decisions": op(
        SECRETARIAT_,
        restricted,
        body=lambda w: {"item": w.decision_item.pk, "title": "x", "text": "x", "method": "x"},
    ),
    f"GET {BASE}/decisions": op(MEMBERS),
    f"GET {BASE}/actions": op(MEMBERS),
    f"POST {BASE}/actions": op(
        SECRETARIAT_,
        body=lambda w: {"title": "x", "owner": str(w.people[ADMIN].code), "due_on": "2027-01-15"},
    ),
    f"GET {BASE}/resolutions": op(MEMBERS),
    f"POST {BASE}/resolutions": op(
        SECRETARIAT_,
        body=lambda w: {"body": "ca", "title": "x", "text": "x", "deadline": "2027-01-15"},
    ),
    f"GET {BASE}/resolutions/{{code}}": op(MEMBERS, lambda w: {"code": w.resolution.code}),
    f"POST {BASE}/resolutions/{{code}}/answer": op(
        BOARD,  # the voting members; the others who see it are refused (422), nothing changes
        lambda w: {"code": w.resolution.code},
        body=lambda w: {"answer": "yes"},
        expect={role: REFUSED for role in (MEMBER, ADVISER, SECRETARIAT, ADMIN)},
    ),
    f"POST {BASE}/resolutions/{{code}}/conclude": op(
        SECRETARIAT_, lambda w: {"code": w.resolution.code}
    ),
    f"GET {BASE}/expectations": op(MEMBERS),
    f"POST {BASE}/expectations": op(
        SECRETARIAT_, body=lambda w: {"from_body": "ce", "to_body": "ca", "text": "x"}
    ),
    f"POST {BASE}/expectations/{{expectation}}/answer": op(
        SECRETARIAT_, lambda w: {"expectation": w.expectation.pk}
    ),
    f"GET {BASE}/information-duties": op(MEMBERS),
    # Strategy.
    f"GET {BASE}/strategy/plans": op(MEMBERS),
    f"POST {BASE}/strategy/plans": op(
        SECRETARIAT_,
        body=lambda w: {"title": "x", "starts_year": 2027, "ends_year": 2031, "body": "ca"},
    ),
    f"GET {BASE}/strategy/plans/{{code}}": (
        Op(BOARD_AND_SECRETARIAT, draft_plan, "the draft 2030 strategy (board only)"),
        Op(MEMBERS, plan, "the approved strategy"),
    ),
    f"GET {BASE}/strategy/plans/{{code}}/changes": (
        Op(BOARD_AND_SECRETARIAT, draft_plan, "the draft 2030 strategy (board only)"),
        Op(MEMBERS, plan, "the approved strategy"),
    ),
    f"POST {BASE}/strategy/plans/{{code}}/axes": op(SECRETARIAT_, draft_plan),
    f"POST {BASE}/strategy/plans/{{code}}/axes/{{position}}/objectives": op(
        SECRETARIAT_, lambda w: {"code": w.draft_plan.code, "position": w.axis.position}
    ),
    f"POST {BASE}/strategy/plans/{{code}}/derive": op(SECRETARIAT_, plan),
    f"POST {BASE}/strategy/plans/{{code}}/approve": op(SECRETARIAT_, draft_plan),
    f"POST {BASE}/strategy/plans/{{code}}/workstreams": op(
        SECRETARIAT_,
        draft_plan,
        body=lambda w: {
            "objective": w.objective.pk,
            "title": "x",
            "owner_unit": "finances",
            "starts_on": "2027-01-01",
            "ends_on": "2027-12-31",
        },
    ),
    f"GET {BASE}/strategy/plans/{{code}}/reviews": op(BOARD_AND_SECRETARIAT, draft_plan),
    f"POST {BASE}/strategy/plans/{{code}}/reviews": op(
        SECRETARIAT_, draft_plan, body=lambda w: {"body": "ca", "title": "x"}
    ),
    f"GET {BASE}/strategy/workstreams/{{code}}": op(MEMBERS, workstream),
    f"POST {BASE}/strategy/workstreams/{{code}}/milestones": op(SECRETARIAT_, workstream),
    f"POST {BASE}/strategy/workstreams/{{code}}/milestones/{{milestone}}/reach": op(
        SECRETARIAT_, lambda w: {"code": w.workstream.code, "milestone": w.milestone.pk}
    ),
    f"POST {BASE}/strategy/workstreams/{{code}}/indicators": op(SECRETARIAT_, workstream),
    f"POST {BASE}/strategy/workstreams/{{code}}/indicators/{{indicator}}/values": op(
        SECRETARIAT_, lambda w: {"code": w.workstream.code, "indicator": w.indicator.pk}
    ),
    f"POST {BASE}/strategy/workstreams/{{code}}/links": op(SECRETARIAT_, workstream),
    f"GET {BASE}/strategy/updates": op(BOARD_AND_SECRETARIAT),
    f"POST {BASE}/strategy/updates": op(
        SECRETARIAT_,
        body=lambda w: {
            "direction": "finances",
            "period_start": "2026-10-01",
            "period_end": "2026-11-30",
            "title": "x",
            "text": "x",
        },
    ),
    f"POST {BASE}/strategy/meetings/{{meeting}}/sessions/{{session}}/news": op(
        SECRETARIAT_, lambda w: {"meeting": w.seminar.code, "session": w.news_session.pk}
    ),
    f"GET {BASE}/strategy/reviews/{{code}}": op(BOARD_AND_SECRETARIAT, review),
    f"POST {BASE}/strategy/reviews/{{code}}/answers": op(BOARD_AND_SECRETARIAT, review),
    f"POST {BASE}/strategy/reviews/{{code}}/conclude": op(SECRETARIAT_, review),
    # Offers and activities.
    f"GET {BASE}/offers/services": op(MEMBERS),
    f"POST {BASE}/offers/services": op(SECRETARIAT_),
    f"GET {BASE}/offers/offers": op(MEMBERS),
    f"POST {BASE}/offers/offers": op(SECRETARIAT_),
    f"GET {BASE}/offers/offers/compare": op(MEMBERS),
    f"GET {BASE}/offers/offers/{{code}}": op(MEMBERS, lambda w: {"code": w.offer.code}),
    f"POST {BASE}/offers/offers/{{code}}/versions": op(
        SECRETARIAT_, lambda w: {"code": w.offer.code}
    ),
    f"POST {BASE}/offers/offers/{{code}}/needs-to-dossier": op(
        SECRETARIAT_,
        lambda w: {"code": w.offer.code},
        body=lambda w: {"meeting": str(w.december.code)},
    ),
    f"GET {BASE}/offers/activities": op(MEMBERS),
    f"POST {BASE}/offers/activities": op(SECRETARIAT_),
    f"GET {BASE}/offers/activities/{{code}}": op(STAFF | {MEMBER}, activity),
    f"POST {BASE}/offers/activities/{{code}}/stages": op(SECRETARIAT_, activity),
    f"POST {BASE}/offers/activities/{{code}}/enrolments": op(
        SECRETARIAT_, activity, body=lambda w: {"offer": w.offer.code, "starts_on": "2027-01-01"}
    ),
    f"POST {BASE}/offers/activities/{{code}}/enrolments/{{enrolment}}/accept": op(
        STAFF | {MEMBER}, lambda w: {"code": w.activity.code, "enrolment": w.enrolment.pk}
    ),
    f"POST {BASE}/offers/activities/{{code}}/enrolments/{{enrolment}}/review": op(
        SECRETARIAT_, lambda w: {"code": w.activity.code, "enrolment": w.enrolment.pk}
    ),
    f"POST {BASE}/offers/activities/{{code}}/holdings/{{member}}/shares": op(
        SECRETARIAT_, lambda w: {"code": w.activity.code, "member": w.own_member.number}
    ),
    f"POST {BASE}/offers/activities/{{code}}/contributions": op(SECRETARIAT_, activity),
    f"POST {BASE}/offers/activities/{{code}}/contributions/{{contribution}}/payments": op(
        SECRETARIAT_, lambda w: {"code": w.activity.code, "contribution": w.contribution.pk}
    ),
    f"POST {BASE}/offers/activities/{{code}}/support-meetings": op(SECRETARIAT_, activity),
    f"POST {BASE}/offers/activities/{{code}}/milestones": op(SECRETARIAT_, activity),
    f"POST {BASE}/offers/activities/{{code}}/milestones/{{milestone}}/reach": op(
        SECRETARIAT_, lambda w: {"code": w.activity.code, "milestone": w.activity_milestone.pk}
    ),
    f"POST {BASE}/offers/activities/{{code}}/evaluations": op(SECRETARIAT_, activity),
    f"POST {BASE}/offers/activities/{{code}}/needs": op(
        SECRETARIAT_ | {MEMBER},  # its holders, and those who keep its record
        activity,
        body=lambda w: {"service": w.service.code, "level": "useful"},
    ),
    f"POST {BASE}/offers/activities/{{code}}/advisers": op(
        SECRETARIAT_,  # and any staff member naming themself (the adviser role is Ophélie here)
        activity,
        body=lambda w: {"adviser": str(w.people[ADMIN].code)},
    ),
    f"GET {BASE}/offers/competences": op(MEMBERS),
    f"POST {BASE}/offers/competences": op(SECRETARIAT_),
    f"GET {BASE}/offers/needs": op(STAFF),
    f"GET {BASE}/offers/advisers/me": op(MEMBERS),
    f"GET {BASE}/offers/management": op(STAFF),
}


# Expectations of one cell.


def expected_page(case_: Case, role: str, method: str) -> str:
    if (method, role) in case_.expect:
        return case_.expect[(method, role)]
    if method == "HEAD" and ("GET", role) in case_.expect:
        return case_.expect[("GET", role)]
    allowed = case_.get if method in ("GET", "HEAD") else case_.post
    if role == ANONYMOUS and not case_.public:
        return LOGIN  # LoginRequiredMiddleware speaks before the view
    if allowed is None:
        return NOT_ALLOWED
    return ALLOW if role in allowed else NOT_FOUND


def expected_api(op_: Op, role: str) -> str:
    if role in op_.expect:
        return op_.expect[role]
    if role == ANONYMOUS:
        return UNAUTHORIZED
    return ALLOW if role in op_.allowed else NOT_FOUND


# The world, loaded once for the module, rolled back at the end.


@pytest.fixture(scope="module")
def world(django_db_setup: None, django_db_blocker: Any) -> Iterator[World]:
    with (
        django_db_blocker.unblock(),
        time_machine.travel(DEMO_DAY, tick=True),
        transaction.atomic(),
    ):
        built = build_world()
        if connection.vendor == "postgresql":
            # Check now the foreign keys of what the world wrote (deferred until commit by
            # default): the conftest's audit guard alters core_event at each test, which
            # PostgreSQL refuses while trigger events are pending. Then back to the default.
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        yield built
        transaction.set_rollback(True)


STATS: Counter[str] = Counter()


@dataclass
class Cell:
    route: str
    label: str
    role: str
    method: str
    expected: str
    got: str
    detail: str = ""

    def __str__(self) -> str:
        where = f"{self.route}" + (f" [{self.label}]" if self.label else "")
        return f"{where} {self.method} as {self.role}: expected {self.expected}, got {self.got}" + (
            f" — {self.detail}" if self.detail else ""
        )


def probe(
    world: World,
    route: str,
    label: str,
    role: str,
    method: str,
    path: str,
    expected: str,
    *,
    api: bool,
    data: Any = None,
    headers: Mapping[str, str] | None = None,
    scan_as: str | None = None,
) -> list[Cell]:
    """Ask, compare with the cell, scan the answer; return what went wrong."""
    client = world.clients[role]
    saved = client.cookies
    client.cookies = type(saved)(saved)  # a copy: signing out or language cookies do not stick
    try:
        answer = request(
            client, method, path, data=data, json_body=api, headers=dict(headers or {})
        )
    finally:
        client.cookies = saved
    STATS["requests"] += 1
    got = outcome(answer, method, api=api)
    if expected == REFUSED and got == ALLOW:
        got = REFUSED  # the view answered; the no-change check below decides
    if method == "HEAD" and got == NOT_ALLOWED and expected in (ALLOW, NOT_FOUND):
        # Views behind Django's require_GET do not serve HEAD (require_safe would): a 405
        # before any access check tells nothing about the object.
        got = expected
    problems: list[Cell] = []
    if got != expected:
        problems.append(Cell(route, label, role, method, expected, got, f"{answer.status} {path}"))
    if answer.status >= 500:
        pass  # already a mismatch
    if answer.changed and (method != "POST" or expected != ALLOW):
        problems.append(Cell(route, label, role, method, "no change", "changed", answer.changed))
    for secret in leaked(scan_as or role, answer.text):
        problems.append(
            Cell(
                route,
                label,
                role,
                method,
                "nothing hidden",
                f"leak of {secret.marker}",
                f"{secret.what}, in {answer.content_type or 'the answer'} ({answer.status})",
            )
        )
    return problems


def report(problems: list[Cell]) -> str:
    return f"{len(problems)} cell(s) of the matrix fail:\n" + "\n".join(f"  {p}" for p in problems)


# Discovery, once at collection: the keys parametrize the tests.
DISCOVERED_PAGES = page_routes()
DISCOVERED_API = api_operations()


def page_cases(key: str) -> tuple[Case, ...] | None:
    if key in PAGES:
        return PAGES[key]
    if key in ACCOUNT_PAGES:
        return ACCOUNT_PAGES[key]
    if key.startswith("admin:"):
        return admin_cases(key)
    return None


FIGURES = (
    f"{len(DISCOVERED_PAGES)} page routes + {len(DISCOVERED_API)} API operations"
    f" x {len(ROLES)} roles"
)


@pytest.mark.parametrize("figures", [FIGURES])
def test_every_route_has_an_entry_in_the_matrix(figures: str) -> None:
    missing_pages = sorted(
        f"{key}  ({route.pattern})"
        for key, route in DISCOVERED_PAGES.items()
        if page_cases(key) is None
    )
    missing_api = sorted(set(DISCOVERED_API) - set(API))
    stale = sorted((set(PAGES) | set(ACCOUNT_PAGES)) - set(DISCOVERED_PAGES)) + sorted(
        set(API) - set(DISCOVERED_API)
    )
    messages = []
    if missing_pages:
        messages.append(
            "Routes without an entry in PAGES (say who may GET and POST them):\n  "
            + "\n  ".join(missing_pages)
        )
    if missing_api:
        messages.append(
            "API operations without an entry in API (say who may call them):\n  "
            + "\n  ".join(missing_api)
        )
    if stale:
        messages.append("Entries for routes that no longer exist:\n  " + "\n  ".join(stale))
    assert not messages, "\n".join(messages)
    # Every URL pattern that serves the API is published in its schema (and so in API above).
    schema_paths = {path for path in api_schema()["paths"]}
    unpublished = sorted(api_operation_patterns() - schema_paths)
    assert not unpublished, f"API routes missing from the OpenAPI schema: {unpublished}"


@pytest.mark.parametrize("key", sorted(DISCOVERED_PAGES))
def test_page_answers_each_role_as_the_matrix_says(key: str, world: World) -> None:
    cases_ = page_cases(key)
    if cases_ is None:
        pytest.fail(f"{key} has no entry in the matrix")
    route = DISCOVERED_PAGES[key]
    problems: list[Cell] = []
    serves_post = any(c.post is not None for c in cases_)
    for case_ in cases_:
        params = {"org": world.org.code, **case_.params(world)}
        path = fill(route.pattern, params)
        check_resolves(path, route)
        path += case_.query
        methods = ["GET"] + (["HEAD"] if case_.head else []) + ["POST"]
        for role in ROLES:
            for method in methods:
                if method == "POST" and case_.post is None and (serves_post or role != ADMIN):
                    # A route without POST is asked once (405), by a role that could use it.
                    continue
                expected = expected_page(case_, role, method)
                data = case_.body(world) if method == "POST" and case_.body else None
                problems += probe(
                    world,
                    key,
                    case_.label,
                    role,
                    method,
                    path,
                    expected,
                    api=False,
                    data=data,
                    headers=case_.headers,
                    scan_as=case_.scan_as,
                )
        STATS["cases"] += 1
    STATS["page routes"] += 1
    assert not problems, report(problems)


@pytest.mark.parametrize("key", sorted(DISCOVERED_API))
def test_api_answers_each_role_as_the_matrix_says(key: str, world: World) -> None:
    ops = API.get(key)
    if ops is None:
        pytest.fail(f"{key} has no entry in the matrix")
    method, pattern = key.split(" ", 1)
    schema = api_schema()
    operation = DISCOVERED_API[key]
    problems: list[Cell] = []
    for op_ in ops:
        path = fill(pattern, {"org": world.org.code, **op_.params(world)})
        body = (
            (op_.body(world) if op_.body else example_body(operation, schema))
            if method == "POST"
            else None
        )
        for role in ROLES:
            problems += probe(
                world,
                key,
                op_.label,
                role,
                method,
                path,
                expected_api(op_, role),
                api=True,
                data=body,
            )
        STATS["cases"] += 1
    STATS["api operations"] += 1
    assert not problems, report(problems)


def test_every_post_without_a_csrf_token_is_refused(world: World) -> None:
    """Scenario 24: the secretariat's administrator, signed in, POSTs to every route (pages and
    API operations) without a CSRF token: 403 everywhere, nothing changes."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.people[ADMIN].user)
    problems: list[Cell] = []
    for key, route in sorted(DISCOVERED_PAGES.items()):
        cases_ = page_cases(key)
        assert cases_ is not None
        path = fill(route.pattern, {"org": world.org.code, **cases_[0].params(world)})
        answer = request(client, "POST", path)
        STATS["requests"] += 1
        if answer.status != 403 or answer.changed:
            problems.append(
                Cell(
                    key,
                    "",
                    ADMIN,
                    "POST without CSRF token",
                    FORBIDDEN,
                    str(answer.status),
                    answer.changed,
                )
            )
    schema = api_schema()
    for key, operation in sorted(DISCOVERED_API.items()):
        method, pattern = key.split(" ", 1)
        if method == "GET":
            continue
        path = fill(pattern, {"org": world.org.code, **API[key][0].params(world)})
        answer = request(client, method, path, data=example_body(operation, schema), json_body=True)
        STATS["requests"] += 1
        if answer.status != 403 or answer.changed:
            problems.append(
                Cell(
                    key,
                    "",
                    ADMIN,
                    "POST without CSRF token",
                    FORBIDDEN,
                    str(answer.status),
                    answer.changed,
                )
            )
    assert not problems, report(problems)


def test_a_director_whose_mandate_ends_loses_access_on_the_next_request(world: World) -> None:
    """Scenario 22: the board's draft minutes and its board-only document stop reaching a
    director the moment her mandate ends; her session is the same."""
    from coopgov.bodies import actions as bodies_actions

    client = world.clients[DIRECTOR]
    org, code = world.org.code, world.meeting.code
    minutes = f"/{org}/meetings/{code}/minutes.pdf"
    document = f"/{org}/meetings/{code}/documents/{world.document.code}/v{world.document_version}/"
    api = f"/api/v1/organisations/{org}/meetings/{code}/minutes"
    before = [request(client, "GET", path).status for path in (minutes, document, api)]
    with transaction.atomic():
        bodies_actions.end_mandate(
            None, mandate=world.board_mandate, on=DEMO_DAY.date(), reason="resigned"
        )
        after = [request(client, "GET", path) for path in (minutes, document, api)]
        transaction.set_rollback(True)
    assert before == [200, 200, 200]
    assert [a.status for a in after] == [404, 404, 404]
    assert not any(leaked(MEMBER, a.text) for a in after)


def test_a_secret_calendar_link_stops_when_its_owner_leaves_the_body(world: World) -> None:
    """The ethics committee's calendar, through a member's secret link, shows its meetings
    until her mandate ends, then nothing (404), to whoever holds the link."""
    from coopgov.bodies import actions as bodies_actions

    client = world.clients[ANONYMOUS]
    path = f"/calendars/{world.ethics_feed.token}.ics"
    before = request(client, "GET", path)
    with transaction.atomic():
        bodies_actions.end_mandate(
            None, mandate=world.ethics_feed_mandate, on=DEMO_DAY.date(), reason="resigned"
        )
        after = request(client, "GET", path)
        transaction.set_rollback(True)
    assert before.status == 200 and "ZQXETHICS" in before.text
    assert after.status == 404 and "ZQXETHICS" not in after.text


# The scan's positive control: where each marker shows to its readers. A marker its readers
# never see would let the scan pass for the wrong reason.
API_ORG = "/api/v1/organisations/{org}"
WHERE_SHOWN: dict[str, Callable[[World], str]] = {
    "ZQXITEMTITLE": lambda w: f"/{w.org.code}/meetings/{w.meeting.code}/",
    "ZQXITEMTEXT": lambda w: f"{API_ORG}/meetings/{w.meeting.code}",
    "ZQXOUTCOME": lambda w: f"{API_ORG}/meetings/{w.meeting.code}/outcomes",
    "ZQXDOCTITLE": lambda w: f"{API_ORG}/meetings/{w.meeting.code}/documents",
    "ZQXDOCBODY": lambda w: (
        f"/{w.org.code}/meetings/{w.meeting.code}/documents/{w.document.code}"
        f"/v{w.document_version}/"
    ),
    "ZQXDRAFTTEXT": lambda w: f"/{w.org.code}/meetings/{w.meeting.code}/minutes.pdf",
    "ZQXETHICS": lambda w: f"{API_ORG}/meetings/{w.ethics_meeting.code}",
    "ZQXRESTRICTED": lambda w: f"/{w.org.code}/decisions/?format=csv",
    "ZQXOLDITEM": lambda w: f"{API_ORG}/meetings/{w.approved_minutes_meeting.code}/minutes",
    "ZQXPLANAXIS": lambda w: f"{API_ORG}/strategy/plans/{w.draft_plan.code}",
}


def test_each_marker_reaches_its_readers(world: World) -> None:
    assert set(WHERE_SHOWN) == {secret.marker for secret in SECRETS}
    unseen = []
    for secret in SECRETS:
        path = WHERE_SHOWN[secret.marker](world).replace("{org}", world.org.code)
        for role in sorted(secret.readers):
            answer = request(world.clients[role], "GET", path)
            if secret not in shown(role, answer.text):
                unseen.append(f"{secret.marker} not shown to {role} at {path} ({answer.status})")
    assert not unseen, "The scan would pass for the wrong reason:\n  " + "\n  ".join(unseen)


def test_the_matrix_covered_routes_and_roles() -> None:
    """The figures of the run (printed with -s or -rA)."""
    pages = len(DISCOVERED_PAGES)
    operations = len(DISCOVERED_API)
    print(
        f"\nauthorization matrix: {pages} page routes + {operations} API operations = "
        f"{pages + operations} routes x {len(ROLES)} roles; {STATS['cases']} objects asked "
        f"about, {STATS['requests']} requests in this process"
    )
    assert pages > 100 and operations > 50
