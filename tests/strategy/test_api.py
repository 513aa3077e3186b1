from __future__ import annotations

import datetime
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from coopgov.bodies.models import Body, Mandate
from coopgov.core import actions as core_actions
from coopgov.core.models import Organisation, Person, Unit
from coopgov.dossiers import actions as dossier_actions
from coopgov.dossiers.models import Decision
from coopgov.meetings import actions as meeting_actions
from coopgov.meetings.models import Meeting
from coopgov.strategy import actions
from coopgov.strategy.models import Plan
from tests.conftest import in_english, login
from tests.meetings.conftest import at
from tests.strategy.conftest import workstream

D = datetime.date
SPRING_2025 = datetime.datetime(2025, 3, 1, 10, tzinfo=datetime.UTC)
JSON = "application/json"


def bearer(person: Person) -> dict[str, str]:
    """A token for the person, asking for English (the API answers in Accept-Language)."""
    if person.user is None:
        core_actions.create_account(None, person=person, password="x" * 16, verified=True)
    assert person.user is not None
    _token, raw = core_actions.create_api_token(person.user, name="tests")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}", "HTTP_ACCEPT_LANGUAGE": "en"}


def base(org: Organisation) -> str:
    return f"/api/v1/organisations/{org.code}/strategy"


def post(client: Client, url: str, payload: dict[str, Any] | None = None, **extra: str) -> Any:
    return client.post(url, payload or {}, content_type=JSON, **extra)  # type: ignore[arg-type]


def fields(response: Any) -> dict[str, str]:
    return {error["field"]: error["message"] for error in response.json()["errors"]}


@pytest.fixture
def team(org: Organisation) -> Unit:
    return core_actions.create_unit(
        None, organisation=org, code="vie-cooperative", name="Vie coopérative", kind="team"
    )


def test_the_secretariat_builds_and_approves_a_plan_with_a_token(
    client: Client,
    org: Organisation,
    board: Body,
    secretariat: Person,
    finance: Unit,
    head_finance: Person,
    team: Unit,
    decisions: tuple[Decision, Decision],
) -> None:
    auth = bearer(secretariat)
    url = f"{base(org)}/plans"
    created = post(
        client,
        url,
        {"title": "Horizon 2030", "starts_year": 2026, "ends_year": 2030, "body": "ca"},
        **auth,
    )
    assert created.status_code == 201, created.json()
    plan = created.json()
    assert (plan["status"], plan["axes"], plan["approval"]) == ("draft", [], None)
    backwards = post(
        client, url, {"title": "X", "starts_year": 2030, "ends_year": 2026, "body": "ca"}, **auth
    )
    assert backwards.status_code == 422
    assert "the horizon year comes after the first year" in backwards.json()["errors"][0]["message"]
    plan_url = f"{url}/{plan['code']}"
    axis = post(client, f"{plan_url}/axes", {"title": "Services", "weight": 2}, **auth)
    assert axis.status_code == 201 and axis.json()["position"] == 1
    heavy = post(client, f"{plan_url}/axes", {"title": "Trop lourd", "weight": 101}, **auth)
    assert heavy.status_code == 422 and "weight" in fields(heavy)
    objective = post(client, f"{plan_url}/axes/1/objectives", {"title": "Conseiller"}, **auth)
    assert objective.status_code == 201 and objective.json()["position"] == 1
    assert post(client, f"{plan_url}/axes/9/objectives", {"title": "?"}, **auth).status_code == 404
    payload = {
        "objective": objective.json()["id"],
        "title": "Fonds 2030",
        "owner_unit": "finances",
        "sponsor": str(head_finance.code),
        "starts_on": "2026-01-01",
        "ends_on": "2030-12-31",
        "weight": 3,
    }
    by_a_team = post(
        client, f"{plan_url}/workstreams", {**payload, "owner_unit": team.code}, **auth
    )
    assert by_a_team.status_code == 422
    assert fields(by_a_team)["owner_unit"].startswith("Direction:")
    added = post(client, f"{plan_url}/workstreams", payload, **auth)
    assert added.status_code == 201, added.json()
    assert (added.json()["direction"], added.json()["sponsor"], added.json()["plan"]) == (
        "finances",
        str(head_finance.code),
        plan["code"],
    )

    rejected = post(client, f"{plan_url}/approve", {"decision": "CA-2024-002"}, **auth)
    assert rejected.status_code == 422
    assert fields(rejected)["decision"].startswith("Approval: this decision was not adopted")
    assert (
        post(client, f"{plan_url}/approve", {"decision": "CA-1999-001"}, **auth).status_code == 404
    )
    approved = post(client, f"{plan_url}/approve", {"decision": "CA-2024-001"}, **auth)
    assert approved.status_code == 200, approved.json()
    assert approved.json()["status"] == "approved"
    assert approved.json()["approval"] == {
        "decision": "CA-2024-001",
        "reference": "",
        "approved_on": "2024-03-12",
    }
    again = post(client, f"{plan_url}/approve", {"decision": "CA-2024-001"}, **auth)
    assert again.status_code == 422 and "already approved" in again.json()["errors"][0]["message"]
    fixed = post(client, f"{plan_url}/axes", {"title": "Trop tard"}, **auth)
    assert fixed.status_code == 422 and fixed.json()["errors"][0]["message"].startswith("Versions:")

    detail = client.get(plan_url, **auth).json()  # type: ignore[arg-type]
    [axis_state] = detail["axes"]
    [objective_state] = axis_state["objectives"]
    assert [w["title"] for w in objective_state["workstreams"]] == ["Fonds 2030"]
    assert objective_state["workstreams"][0]["weight"] == 3
    assert detail["progress"] == 0 and detail["status_counts"]["on_track"] == 1
    listed = client.get(url, **auth).json()  # type: ignore[arg-type]
    assert listed["count"] == 1 and listed["items"][0]["workstreams"] == 1


def test_a_plain_member_reads_a_plan_but_changes_nothing(
    client: Client, org: Organisation, plan: Plan, plain_member: Person
) -> None:
    draft = actions.create_plan(
        None, organisation=org, title="Brouillon", starts_year=2026, ends_year=2030, body=plan.body
    )
    actions.add_axis(None, plan=draft, title="Axe")
    in_english(login(client, plain_member))
    url = f"{base(org)}/plans/{plan.code}"
    assert client.get(url).status_code == 200
    fonds = workstream(plan, "Fonds de garantie")
    for path, payload in (
        (
            f"{base(org)}/plans",
            {"title": "X", "starts_year": 2026, "ends_year": 2030, "body": "ca"},
        ),
        (f"{base(org)}/plans/{draft.code}/axes", {"title": "X"}),
        (f"{base(org)}/plans/{draft.code}/axes/1/objectives", {"title": "X"}),
        (
            f"{base(org)}/plans/{draft.code}/approve",
            {"reference": "AG", "approved_on": "2021-06-15"},
        ),
        (
            f"{url}/derive",
            {"title": "X", "starts_year": 2023, "ends_year": 2025, "change_note": "x"},
        ),
        (
            f"{base(org)}/workstreams/{fonds.code}/milestones",
            {"title": "X", "due_on": "2022-01-01"},
        ),
        (f"{base(org)}/workstreams/{fonds.code}/indicators", {"name": "X", "target": "1"}),
        (f"{base(org)}/workstreams/{fonds.code}/links", {"decision": "CA-2024-001"}),
        (f"{url}/reviews", {"body": "ca", "title": "X"}),
    ):
        assert post(client, path, payload).status_code == 404, path
    assert Plan.objects.count() == 2 and draft.axes.count() == 1
    assert Plan.objects.get(pk=draft.pk).is_draft


def test_a_plan_for_the_bodies_is_hidden_from_plain_members(
    client: Client,
    org: Organisation,
    board: Body,
    plan: Plan,
    directors: list[Mandate],
    plain_member: Person,
    general: Unit,
) -> None:
    secret = actions.create_plan(
        None,
        organisation=org,
        title="Plan confidentiel",
        starts_year=2024,
        ends_year=2026,
        body=board,
        confidentiality="bodies",
    )
    axis = actions.add_axis(None, plan=secret, title="Rapprochement")
    objective = actions.add_objective(None, axis=axis, title="Fusion")
    hidden = actions.add_workstream(
        None,
        objective=objective,
        title="Due diligence",
        owner_unit=general,
        starts_on=D(2024, 1, 1),
        ends_on=D(2024, 12, 31),
    )
    in_english(login(client, plain_member))
    assert client.get(f"{base(org)}/plans/{secret.code}").status_code == 404
    assert client.get(f"{base(org)}/plans/{secret.code}/changes").status_code == 404
    assert client.get(f"{base(org)}/workstreams/{hidden.code}").status_code == 404
    listed = client.get(f"{base(org)}/plans").json()
    assert [p["title"] for p in listed["items"]] == ["Stratégie 2021-2025"]
    login(client, directors[0].person)
    assert client.get(f"{base(org)}/plans/{secret.code}").status_code == 200
    assert client.get(f"{base(org)}/workstreams/{hidden.code}").status_code == 200
    assert client.get(f"{base(org)}/plans").json()["count"] == 2
    assert client.get(f"{base(org)}/plans?status=draft").json()["count"] == 1


def test_a_revision_is_derived_approved_and_shows_what_changed(
    client: Client, org: Organisation, plan: Plan, secretariat: Person
) -> None:
    in_english(login(client, secretariat))
    url = f"{base(org)}/plans/{plan.code}"
    payload = {"title": "Stratégie resserrée", "starts_year": 2023, "ends_year": 2025}
    unexplained = post(client, f"{url}/derive", {**payload, "change_note": " "})
    assert unexplained.status_code == 422 and "change_note" in fields(unexplained)
    derived = post(client, f"{url}/derive", {**payload, "change_note": "Recentrer."})
    assert derived.status_code == 201, derived.json()
    revision = derived.json()
    assert (revision["derived_from"], revision["status"]) == (str(plan.code), "draft")
    assert sum(len(o["workstreams"]) for a in revision["axes"] for o in a["objectives"]) == 3
    revision_url = f"{base(org)}/plans/{revision['code']}"
    post(client, f"{revision_url}/axes", {"title": "Coopérer"})
    changes = client.get(f"{revision_url}/changes").json()
    assert {"level": "axis", "kind": "added", "title": "3. Coopérer", "details": []} in changes
    assert client.get(f"{url}/changes").json() == []
    undated = post(client, f"{revision_url}/approve", {"reference": "AG 2023"})
    assert undated.status_code == 422 and fields(undated)["decision"].startswith("Approval:")
    approved = post(
        client, f"{revision_url}/approve", {"reference": "AG 2023", "approved_on": "2023-06-13"}
    )
    assert approved.status_code == 200
    assert approved.json()["approval"] == {
        "decision": None,
        "reference": "AG 2023",
        "approved_on": "2023-06-13",
    }
    assert client.get(url).json()["status"] == "superseded"


@time_machine.travel(SPRING_2025, tick=False)
def test_a_direction_head_keeps_the_milestones_indicators_and_links_of_its_workstream(
    client: Client,
    org: Organisation,
    plan: Plan,
    head_finance: Person,
    plain_member: Person,
    decisions: tuple[Decision, Decision],
) -> None:
    fonds = workstream(plan, "Fonds de garantie")
    statuts = workstream(plan, "Statuts révisés")
    in_english(login(client, head_finance))
    url = f"{base(org)}/workstreams/{fonds.code}"
    outside = post(client, f"{url}/milestones", {"title": "Trop tard", "due_on": "2026-01-01"})
    assert outside.status_code == 422
    assert fields(outside)["due_on"].startswith("Dates: a milestone falls within")
    milestone = post(client, f"{url}/milestones", {"title": "Règlement", "due_on": "2024-06-30"})
    assert milestone.status_code == 201 and milestone.json()["late"] is True
    soon = post(client, f"{url}/milestones", {"title": "Premier prêt", "due_on": "2024-11-30"})
    reached = post(client, f"{url}/milestones/{soon.json()['id']}/reach", {"done_on": "2024-11-15"})
    assert reached.status_code == 200 and reached.json() == {
        **soon.json(),
        "done_on": "2024-11-15",
        "late": False,
    }
    twice = post(client, f"{url}/milestones/{soon.json()['id']}/reach")
    assert twice.status_code == 422 and "already reached" in twice.json()["errors"][0]["message"]
    indicator = post(
        client,
        f"{url}/indicators",
        {"name": "Encours garanti", "unit": "k€", "baseline": "0", "target": "500"},
    )
    assert indicator.status_code == 201, indicator.json()
    values_url = f"{url}/indicators/{indicator.json()['id']}/values"
    value = post(client, values_url, {"measured_on": "2024-12-31", "value": "120.5"})
    assert value.status_code == 201 and value.json()["value"] == "120.50"
    future = post(client, values_url, {"measured_on": "2025-12-31", "value": "300"})
    assert future.status_code == 422 and "measured_on" in fields(future)
    dossier = dossier_actions.open_dossier(None, organisation=org, title="Fonds")
    action = dossier_actions.add_action(
        None, title="Contacter la banque", owner=head_finance, due_on=D(2025, 4, 1), dossier=dossier
    )
    assert post(client, f"{url}/links").status_code == 422
    linked = post(
        client,
        f"{url}/links",
        {"dossier": str(dossier.code), "decision": "CA-2024-001", "action": str(action.code)},
    )
    assert linked.status_code == 200, linked.json()
    detail = client.get(url).json()
    assert [d["title"] for d in detail["dossiers"]] == ["Fonds"]
    assert [d["number"] for d in detail["decisions"]] == ["CA-2024-001"]
    assert [a["title"] for a in detail["actions"]] == ["Contacter la banque"]
    assert [m["title"] for m in detail["milestones"]] == ["Règlement", "Premier prêt"]
    assert detail["indicators"][0]["values"] == [
        {"measured_on": "2024-12-31", "value": "120.50", "note": ""}
    ]
    assert detail["overdue"] is True  # ended in December 2024, not done
    # Laurent steers the finance workstreams only; Jonas steers none.
    assert (
        post(
            client,
            f"{base(org)}/workstreams/{statuts.code}/milestones",
            {"title": "X", "due_on": "2022-01-01"},
        ).status_code
        == 404
    )
    login(client, plain_member)
    assert client.get(url).status_code == 200
    assert (
        post(client, f"{url}/milestones", {"title": "X", "due_on": "2022-01-01"}).status_code == 404
    )
    assert post(client, values_url, {"measured_on": "2025-01-31", "value": "1"}).status_code == 404


@time_machine.travel(SPRING_2025, tick=False)
def test_directions_report_on_their_own_workstreams_and_the_plan_rolls_up(
    client: Client,
    org: Organisation,
    plan: Plan,
    general: Unit,
    finance: Unit,
    head_finance: Person,
    secretariat: Person,
    directors: list[Mandate],
    plain_member: Person,
) -> None:
    fonds = workstream(plan, "Fonds de garantie")
    statuts = workstream(plan, "Statuts révisés")
    actions.add_milestone(
        None, workstream=statuts, title="Projet de statuts", due_on=D(2024, 9, 30)
    )
    in_english(login(client, head_finance))
    url = f"{base(org)}/updates"
    update = {
        "direction": "finances",
        "period_start": "2025-01-01",
        "period_end": "2025-02-28",
        "title": "Le fonds avance",
        "text": "La banque a répondu.",
        "reports": [{"workstream": str(fonds.code), "progress": 50, "status": "at_risk"}],
    }
    other = {"workstream": str(statuts.code), "progress": 20, "status": "on_track"}
    foreign = post(client, url, {**update, "reports": [*update["reports"], other]})
    assert foreign.status_code == 422
    assert "carried by another direction" in fields(foreign)["reports"]
    unknown = {
        "workstream": "00000000-0000-0000-0000-000000000000",
        "progress": 1,
        "status": "late",
    }
    assert "reports" in fields(post(client, url, {**update, "reports": [unknown]}))
    assert post(client, url, {**update, "direction": "direction-generale"}).status_code == 404
    written = post(client, url, update)
    assert written.status_code == 201, written.json()
    assert written.json()["reports"][0]["progress"] == 50
    login(client, secretariat)
    post(client, url, {**update, "direction": "direction-generale", "reports": [other]})

    login(client, directors[0].person)  # the board follows the plan
    assert client.get(f"{url}?direction=finances").json()["count"] == 1
    assert client.get(url).json()["count"] == 2
    detail = client.get(f"{base(org)}/plans/{plan.code}").json()
    states = {
        w["title"]: w for a in detail["axes"] for o in a["objectives"] for w in o["workstreams"]
    }
    assert (states["Fonds de garantie"]["progress"], states["Fonds de garantie"]["status"]) == (
        50,
        "at_risk",
    )
    # Axis 1 (weight 2): (20 + 50) / 2 = 35; axis 2 (weight 1): 0; the plan: 70 / 3.
    assert [a["progress"] for a in detail["axes"]] == [35, 0]
    assert detail["progress"] == pytest.approx(70 / 3)
    assert [m["title"] for m in states["Statuts révisés"]["late_milestones"]] == [
        "Projet de statuts"
    ]
    assert states["Fonds de garantie"]["overdue"] and states["Fonds de garantie"]["flagged"]
    assert not states["Conseillers attitrés"]["flagged"]
    history = client.get(f"{base(org)}/workstreams/{fonds.code}").json()["reports"]
    assert [(r["direction"], r["progress"]) for r in history] == [("finances", 50)]
    login(client, plain_member)
    assert client.get(url).status_code == 404
    assert post(client, url, update).status_code == 404


def test_the_news_round_gathers_each_directions_latest_update(
    client: Client,
    org: Organisation,
    plan: Plan,
    seminar: Meeting,
    general: Unit,
    finance: Unit,
    head_finance: Person,
    secretariat: Person,
    plain_member: Person,
) -> None:
    with time_machine.travel(datetime.datetime(2024, 1, 10, 9, tzinfo=datetime.UTC)):
        for unit, author in ((general, None), (finance, head_finance)):
            actions.write_progress_update(
                author,
                unit=unit,
                period_start=D(2023, 10, 1),
                period_end=D(2023, 12, 31),
                title=f"Nouvelles de {unit.name}",
                text="Ça avance.",
            )
    news = meeting_actions.add_session(
        None,
        meeting=seminar,
        starts_at=at(2024, 1, 24, 9),
        ends_at=at(2024, 1, 24, 11),
        kind="news_round",
        title="Actualités des directions",
    )
    workshop = meeting_actions.add_session(
        None,
        meeting=seminar,
        starts_at=at(2024, 1, 24, 11),
        ends_at=at(2024, 1, 24, 12),
        kind="workshop",
        title="Atelier",
    )
    url = f"{base(org)}/meetings/{seminar.code}/sessions"
    in_english(login(client, plain_member))
    assert post(client, f"{url}/{news.pk}/news").status_code == 404
    login(client, secretariat)
    wrong = post(client, f"{url}/{workshop.pk}/news")
    assert wrong.status_code == 422 and fields(wrong)["session"].startswith("News round:")
    gathered = post(client, f"{url}/{news.pk}/news")
    assert gathered.status_code == 201, gathered.json()
    assert sorted(item["title"] for item in gathered.json()) == [
        "News — Direction financière",
        "News — Direction générale",
    ]
    assert {item["purpose"] for item in gathered.json()} == {"information"}
    assert post(client, f"{url}/{news.pk}/news").json() == []
    assert post(client, f"{url}/999999/news").status_code == 404


def test_a_body_reviews_the_plan_anonymously_and_concludes_with_an_orientation(
    client: Client,
    org: Organisation,
    plan: Plan,
    board_meeting: Meeting,
    directors: list[Mandate],
    secretariat: Person,
    plain_member: Person,
) -> None:
    anne, bruno = directors[0].person, directors[1].person
    in_english(login(client, secretariat))
    url = f"{base(org)}/plans/{plan.code}/reviews"
    during = post(
        client, url, {"body": "ca", "title": "Au conseil", "meeting": str(board_meeting.code)}
    )
    assert during.status_code == 201, during.json()
    opens_at = datetime.datetime.fromisoformat(during.json()["opens_at"])
    assert opens_at == board_meeting.starts_at
    with time_machine.travel(SPRING_2025, tick=False):
        backwards = post(
            client,
            url,
            {
                "body": "ca",
                "title": "À l'envers",
                "opens_at": "2025-03-10T10:00:00Z",
                "closes_at": "2025-03-01T10:00:00Z",
            },
        )
        assert backwards.status_code == 422
        assert "a review closes after it opens" in backwards.json()["errors"][0]["message"]
        opened = post(
            client,
            url,
            {
                "body": "ca",
                "title": "La stratégie nous parle-t-elle ?",
                "opens_at": "2025-02-28T10:00:00Z",
                "closes_at": "2025-03-15T18:00:00Z",
                "scale": 5,
            },
        )
        assert opened.status_code == 201, opened.json()
        review = opened.json()
        assert len(review["questions"]) == 2 and len(review["axes"]) == 2 and review["open"]
        first, second = (q["id"] for q in review["questions"])
        review_url = f"{base(org)}/reviews/{review['code']}"

        login(client, anne)
        out_of_scale = post(
            client, f"{review_url}/answers", {"axis": 1, "scores": {first: 4, second: 7}}
        )
        assert out_of_scale.status_code == 422
        assert fields(out_of_scale)[f"q{second}"].endswith("answer from 1 to 5.")
        answer = {"axis": 1, "scores": {first: 4, second: 5}, "comment": "Très parlant."}
        answered = post(client, f"{review_url}/answers", answer)
        assert answered.status_code == 201 and answered.json()["axis"] == 1
        login(client, bruno)
        axis_two = review["axes"][1]["id"]
        post(
            client, f"{review_url}/answers", {"axis_id": axis_two, "scores": {first: 2, second: 3}}
        )
        post(client, f"{review_url}/answers", {"axis": 1, "scores": {first: 2, second: 5}})
        assert post(client, f"{review_url}/answers", {"scores": {first: 2}}).status_code == 422
        results = client.get(review_url).json()["results"]
        login(client, plain_member)
        assert client.get(review_url).status_code == 404
        assert post(client, f"{review_url}/answers", answer).status_code == 404
        assert client.get(url).json()["count"] == 0

    # Asked: the seven directors and the works-council observer, all members of the board.
    assert (results["respondents"], results["eligible"]) == (2, 8)
    axis_one = results["axes"][0]
    assert axis_one["questions"][0] == {
        "question": "Does this axis speak to you?",
        "count": 2,
        "mean": 3.0,
        "distribution": [0, 1, 0, 1, 0],
    }
    assert axis_one["comments"] == ["Très parlant."]
    assert anne.last_name not in str(results) and anne.first_name not in str(results)

    login(client, directors[2].person)
    assert client.get(url).json()["count"] == 2
    assert (
        post(client, f"{review_url}/conclude", {"orientation": "Garder le cap."}).status_code == 404
    )
    login(client, secretariat)
    no_meeting = post(client, f"{review_url}/conclude", {"orientation": "Garder le cap."})
    assert no_meeting.status_code == 422 and "meeting" in fields(no_meeting)
    concluded = post(
        client,
        f"{review_url}/conclude",
        {"orientation": "Garder le cap.", "meeting": str(board_meeting.code)},
    )
    assert concluded.status_code == 200, concluded.json()
    assert concluded.json()["orientation"] == "Garder le cap." and concluded.json()["concluded_at"]
    again = post(
        client,
        f"{review_url}/conclude",
        {"orientation": "Encore.", "meeting": str(board_meeting.code)},
    )
    assert again.status_code == 422


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, response.json()
    return len(context.captured_queries)


def _more_work(plan: Plan, general: Unit, finance: Unit, round_number: int) -> None:
    """Three more workstreams with milestones, and an update of each direction."""
    objectives = [o for axis in plan.axes.all() for o in axis.objectives.all()]
    for objective in objectives:
        added = actions.add_workstream(
            None,
            objective=objective,
            title=f"Chantier {round_number}-{objective.pk}",
            owner_unit=general,
            starts_on=D(2022, 1, 1),
            ends_on=D(2025, 12, 31),
        )
        actions.add_milestone(None, workstream=added, title="Étape", due_on=D(2023, 1, 1))
    for unit in (general, finance):
        reports = [
            actions.Report(workstream=w, progress=10 * round_number, status="on_track")
            for w in unit.workstreams.filter(objective__axis__plan=plan)
        ]
        actions.write_progress_update(
            None,
            unit=unit,
            period_start=D(2024, round_number, 1),
            period_end=D(2024, round_number, 28),
            title="Nouvelles",
            text="Ça avance.",
            reports=reports,
        )


def test_lists_and_the_plan_detail_take_a_bounded_number_of_queries(
    client: Client,
    org: Organisation,
    plan: Plan,
    general: Unit,
    finance: Unit,
    directors: list[Mandate],
    django_assert_max_num_queries: Any,
) -> None:
    actions.open_review(
        None,
        plan=plan,
        body=plan.body,
        title="Revue",
        opens_at=at(2024, 1, 1),
        closes_at=at(2024, 2, 1),
    )
    _more_work(plan, general, finance, 1)
    login(client, directors[0].person)
    urls = [
        f"{base(org)}/plans",
        f"{base(org)}/plans/{plan.code}",
        f"{base(org)}/updates",
        f"{base(org)}/plans/{plan.code}/reviews",
    ]
    few = [_queries(client, url) for url in urls]
    _more_work(plan, general, finance, 2)
    _more_work(plan, general, finance, 3)
    actions.open_review(
        None,
        plan=plan,
        body=plan.body,
        title="Revue 2",
        opens_at=at(2024, 3, 1),
        closes_at=at(2024, 4, 1),
    )
    many = [_queries(client, url) for url in urls]
    assert many == few
    assert client.get(f"{base(org)}/updates").json()["count"] == 6
    with django_assert_max_num_queries(14):
        client.get(f"{base(org)}/plans/{plan.code}")
