"""Strategy pages: the plans, the dashboard, revisions, workstreams, the directions' news and
the reviews; forms without JavaScript, refusals that save nothing, access, query counts."""

from __future__ import annotations

import datetime
from decimal import Decimal

import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from coopgov.bodies.models import Body, Mandate
from coopgov.core.models import Organisation, Person, Unit
from coopgov.dossiers.models import Decision
from coopgov.meetings import actions as meeting_actions
from coopgov.meetings.models import Meeting
from coopgov.strategy import actions
from coopgov.strategy.models import Axis, Plan, ProgressUpdate, Review, Workstream
from tests.conftest import in_english, login
from tests.strategy.conftest import D, workstream

TODAY = datetime.datetime(2024, 3, 1, 12, tzinfo=datetime.UTC)


def count_queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@time_machine.travel(TODAY, tick=False)
def test_the_dashboard_shows_progress_flags_and_charts(
    client: Client, org: Organisation, plan: Plan, finance: Unit, secretariat: Person
) -> None:
    money = workstream(plan, "Fonds de garantie")
    actions.add_milestone(None, workstream=money, title="Règlement du fonds", due_on=D(2023, 6, 30))
    indicator = actions.add_indicator(
        None, workstream=money, name="Fonds constitué", target=Decimal(500), unit="k€"
    )
    actions.record_indicator_value(
        None, indicator=indicator, measured_on=D(2022, 12, 31), value=Decimal(120)
    )
    actions.record_indicator_value(
        None, indicator=indicator, measured_on=D(2023, 12, 31), value=Decimal(260)
    )
    actions.write_progress_update(
        None,
        unit=finance,
        period_start=D(2023, 7, 1),
        period_end=D(2023, 12, 31),
        title="Le fonds grandit",
        text="Deux apports de partenaires.",
        reports=[actions.Report(money, 60, "at_risk", "Un partenaire hésite.")],
    )
    login(client, secretariat)
    in_english(client)
    response = client.get(reverse("strategy:plan", args=[org.code, plan.code]))
    assert response.status_code == 200
    page = response.text
    # Weighted roll-up (S1): security = mean(0, 60) = 30, services = 0; plan = (2 * 30 + 0) / 3.
    assert "20 %" in page and "overall progress" in page
    assert 'role="img"' in page and "Progress per axis" in page
    assert "Règlement du fonds" in page and "1 late milestone" in page
    assert "Fonds constitué" in page and "polyline" in page
    assert "Le fonds grandit" in page


def test_the_plan_list_and_dashboard_keep_their_query_counts(
    client: Client, org: Organisation, plan: Plan, finance: Unit, secretariat: Person
) -> None:
    login(client, secretariat)
    list_url = reverse("strategy:plans", args=[org.code])
    detail_url = reverse("strategy:plan", args=[org.code, plan.code])
    objective = plan.axes.first().objectives.first()  # type: ignore[union-attr]

    def add(index: int) -> None:
        added = actions.add_workstream(
            None,
            objective=objective,
            title=f"Chantier {index}",
            owner_unit=finance,
            starts_on=D(2022, 1, 1),
            ends_on=D(2025, 1, 1),
        )
        actions.add_milestone(None, workstream=added, title="Étape", due_on=D(2023, 1, 1))
        indicator = actions.add_indicator(None, workstream=added, name="Mesure", target=Decimal(10))
        actions.record_indicator_value(
            None, indicator=indicator, measured_on=D(2023, 1, 1), value=Decimal(3)
        )

    add(0)
    count_queries(client, list_url)  # the first request of a session warms caches up
    before = count_queries(client, list_url), count_queries(client, detail_url)
    for index in range(1, 6):
        add(index)
    actions.create_plan(
        None,
        organisation=org,
        title="Horizon 2030",
        starts_year=2026,
        ends_year=2030,
        body=plan.body,
    )
    assert (count_queries(client, list_url), count_queries(client, detail_url)) == before


def test_a_secretary_drafts_a_plan_from_the_pages(
    client: Client, org: Organisation, board: Body, general: Unit, secretariat: Person
) -> None:
    login(client, secretariat)
    in_english(client)
    response = client.post(
        reverse("strategy:plan_new", args=[org.code]),
        {
            "title": "Horizon 2030",
            "starts_year": 2026,
            "ends_year": 2030,
            "body": board.pk,
            "confidentiality": "bodies",
        },
    )
    plan = Plan.objects.get(title="Horizon 2030")
    assert response.status_code == 302 and response["Location"] == plan.get_absolute_url()
    refused = client.post(
        reverse("strategy:axis_add", args=[org.code, plan.code]),
        {"axis-title": "Trop lourd", "axis-weight": 101},
    )
    assert refused.status_code == 400 and "less than or equal to 100" in refused.text
    assert not plan.axes.exists()
    client.post(
        reverse("strategy:axis_add", args=[org.code, plan.code]),
        {"axis-title": "Coopérer", "axis-weight": 2},
    )
    axis = Axis.objects.get(plan=plan)
    client.post(
        reverse("strategy:objective_add", args=[org.code, plan.code]),
        {"objective-axis": axis.pk, "objective-title": "Un réseau européen", "objective-weight": 1},
    )
    objective = axis.objectives.get()
    response = client.post(
        reverse("strategy:workstream_add", args=[org.code, plan.code]),
        {
            "workstream-objective": objective.pk,
            "workstream-title": "Smart Europe",
            "workstream-owner_unit": general.pk,
            "workstream-starts_on": "2026-01-01",
            "workstream-ends_on": "2025-01-01",
            "workstream-weight": 1,
        },
    )
    assert response.status_code == 400 and "a workstream ends after it starts" in response.text
    assert not Workstream.objects.exists()
    response = client.post(
        reverse("strategy:approve", args=[org.code, plan.code]),
        {"approve-reference": "", "approve-approved_on": ""},
    )
    assert response.status_code == 400 and "Approval" in response.text
    plan.refresh_from_db()
    assert plan.is_draft
    client.post(
        reverse("strategy:approve", args=[org.code, plan.code]),
        {"approve-reference": "AG du 16 juin 2026", "approve-approved_on": "2026-06-16"},
    )
    plan.refresh_from_db()
    assert plan.status == Plan.Status.APPROVED and plan.approved_on == D(2026, 6, 16)
    removed = client.post(
        reverse("strategy:remove", args=[org.code, plan.code]),
        {"kind": "axis", "pk": axis.pk},
        follow=True,
    )
    assert "Versions" in removed.text and Axis.objects.filter(pk=axis.pk).exists()


def test_a_revision_shows_what_changed(
    client: Client, org: Organisation, plan: Plan, secretariat: Person
) -> None:
    login(client, secretariat)
    in_english(client)
    response = client.post(
        reverse("strategy:derive", args=[org.code, plan.code]),
        {
            "derive-title": "Stratégie resserrée",
            "derive-starts_year": 2023,
            "derive-ends_year": 2025,
            "derive-change_note": "Trois priorités.",
        },
    )
    revision = Plan.objects.get(title="Stratégie resserrée")
    assert response["Location"] == revision.get_absolute_url()
    services = revision.axes.get(title="Développer les services")
    for ws in Workstream.objects.filter(objective__axis=services):
        client.post(
            reverse("strategy:remove", args=[org.code, revision.code]),
            {"kind": "workstream", "pk": ws.pk},
        )
    for objective in services.objectives.all():
        client.post(
            reverse("strategy:remove", args=[org.code, revision.code]),
            {"kind": "objective", "pk": objective.pk},
        )
    client.post(
        reverse("strategy:remove", args=[org.code, revision.code]),
        {"kind": "axis", "pk": services.pk},
    )
    page = client.get(reverse("strategy:changes", args=[org.code, revision.code])).text
    assert "Trois priorités." in page
    assert page.count("removed") >= 3 and "Développer les services" in page
    assert client.get(reverse("strategy:changes", args=[org.code, plan.code])).status_code == 404


def test_a_plan_for_the_bodies_is_hidden_from_a_plain_member(
    client: Client, org: Organisation, board: Body, plain_member: Person, secretariat: Person
) -> None:
    hidden = actions.create_plan(
        None,
        organisation=org,
        title="Horizon 2030",
        starts_year=2026,
        ends_year=2030,
        body=board,
        confidentiality="bodies",
    )
    login(client, plain_member)
    assert client.get(reverse("strategy:plan", args=[org.code, hidden.code])).status_code == 404
    assert "Horizon 2030" not in client.get(reverse("strategy:plans", args=[org.code])).text
    assert (
        client.post(
            reverse("strategy:axis_add", args=[org.code, hidden.code]),
            {"axis-title": "X", "axis-weight": 1},
        ).status_code
        == 404
    )
    assert client.get(reverse("strategy:update_new", args=[org.code])).status_code == 404


@time_machine.travel(TODAY, tick=False)
def test_a_direction_writes_its_update_from_the_page(
    client: Client,
    org: Organisation,
    plan: Plan,
    finance: Unit,
    general: Unit,
    head_finance: Person,
) -> None:
    money = workstream(plan, "Fonds de garantie")
    legal = workstream(plan, "Statuts révisés")
    login(client, head_finance)
    in_english(client)
    form = client.get(reverse("strategy:update_new", args=[org.code]))
    assert "Fonds de garantie" in form.text and "Statuts révisés" not in form.text
    data = {
        "unit": finance.pk,
        "period_start": "2023-07-01",
        "period_end": "2023-12-31",
        "title": "Un semestre chargé",
        "text": "Le fonds de garantie avance.",
        f"include-{money.pk}": "1",
        f"ws{money.pk}-progress": "100",
        f"ws{money.pk}-status": "on_track",
    }
    refused = client.post(
        reverse("strategy:update_new", args=[org.code]), {**data, f"ws{money.pk}-progress": "140"}
    )
    assert refused.status_code == 400 and not ProgressUpdate.objects.exists()
    done_short = client.post(
        reverse("strategy:update_new", args=[org.code]),
        {**data, f"ws{money.pk}-progress": "80", f"ws{money.pk}-status": "done"},
    )
    assert done_short.status_code == 400 and "reported done is at 100" in done_short.text
    assert not ProgressUpdate.objects.exists()
    response = client.post(
        reverse("strategy:update_new", args=[org.code]), {**data, f"ws{money.pk}-progress": "45"}
    )
    assert response.status_code == 302
    money.refresh_from_db()
    legal.refresh_from_db()
    assert (money.progress, legal.progress) == (45, 0)
    assert (
        "Un semestre chargé"
        in client.get(reverse("strategy:updates", args=[org.code]) + "?direction=finances").text
    )
    # The general direction's page is not Laurent's to write.
    other = client.post(
        reverse("strategy:update_new", args=[org.code]), {**data, "unit": general.pk}
    )
    assert other.status_code == 400 and ProgressUpdate.objects.count() == 1


def test_the_news_round_gathers_the_directions_news_from_the_meeting_page(
    client: Client,
    org: Organisation,
    plan: Plan,
    finance: Unit,
    seminar: Meeting,
    secretariat: Person,
) -> None:
    with time_machine.travel(datetime.datetime(2024, 1, 10, 9, tzinfo=datetime.UTC)):
        actions.write_progress_update(
            None,
            unit=finance,
            period_start=D(2023, 7, 1),
            period_end=D(2023, 12, 31),
            title="Le fonds grandit",
            text="Deux apports.",
        )
    session = meeting_actions.add_session(
        None,
        meeting=seminar,
        starts_at=seminar.starts_at,
        ends_at=seminar.starts_at + datetime.timedelta(hours=2),
        kind="news_round",
        title="Actualités des directions",
    )
    login(client, secretariat)
    in_english(client)
    assert "Gather the directions" in client.get(seminar.get_absolute_url()).text
    response = client.post(
        reverse("strategy:gather_news", args=[org.code, seminar.code, session.pk]), follow=True
    )
    assert "The news of 1 direction is on the agenda" in response.text
    item = seminar.items.get(session=session)
    assert item.title == "News — Direction financière" and item.documents.count() == 1


@time_machine.travel(TODAY, tick=False)
def test_a_director_answers_a_review_and_the_secretary_concludes_it(
    client: Client,
    org: Organisation,
    plan: Plan,
    board: Body,
    directors: list[Mandate],
    board_meeting: Meeting,
    secretariat: Person,
    plain_member: Person,
) -> None:
    now = timezone.now()
    review = actions.open_review(
        None,
        plan=plan,
        body=board,
        title="Revue de la stratégie",
        opens_at=now,
        closes_at=now + datetime.timedelta(days=14),
    )
    director = directors[0].person
    axis = plan.axes.first()
    assert axis is not None
    questions = list(review.questions.all())
    url = reverse("strategy:review", args=[org.code, review.code])
    login(client, director)
    in_english(client)
    page = client.get(url).text
    assert "Answer on this axis" in page and "Does this axis speak to you?" in page
    answer = reverse("strategy:review_answer", args=[org.code, review.code, axis.pk])
    refused = client.post(answer, {f"q{questions[0].pk}": "4", f"q{questions[1].pk}": "9"})
    assert refused.status_code == 400 and "answer from 1 to 5" in refused.text
    assert not review.responses.exists()
    client.post(
        answer,
        {f"q{questions[0].pk}": "4", f"q{questions[1].pk}": "2", "comment": "Trop abstrait."},
    )
    page = client.get(url).text
    assert "1 person answered out of 8 asked" in page and "Trop abstrait." in page
    # Seven directors and the works-council observer are asked; answers carry no names.
    assert director.full_name not in page
    client.logout()
    login(client, plain_member)
    assert client.get(url).status_code == 404
    client.logout()
    login(client, secretariat)
    in_english(client)
    response = client.post(
        reverse("strategy:review_conclude", args=[org.code, review.code]),
        {
            "conclude-orientation": "Raconter la stratégie plus simplement.",
            "conclude-meeting": board_meeting.pk,
        },
    )
    assert response.status_code == 302
    review = Review.objects.get(pk=review.pk)
    assert review.concluded_at is not None and review.orientation is not None
    plan.refresh_from_db()
    assert plan.dossier is not None
    assert (
        "Raconter la stratégie plus simplement." in client.get(plan.dossier.get_absolute_url()).text
    )


def test_the_review_page_keeps_its_query_count(
    client: Client,
    org: Organisation,
    plan: Plan,
    board: Body,
    directors: list[Mandate],
    secretariat: Person,
) -> None:
    now = timezone.now()
    review = actions.open_review(
        None,
        plan=plan,
        body=board,
        title="Revue",
        opens_at=now - datetime.timedelta(hours=1),
        closes_at=now + datetime.timedelta(days=1),
    )
    questions = list(review.questions.all())
    login(client, secretariat)
    url = reverse("strategy:review", args=[org.code, review.code])

    def answer(mandate: Mandate) -> None:
        for axis in plan.axes.all():
            actions.answer_review(
                mandate.person,
                review=review,
                axis=axis,
                scores={q.pk: 3 for q in questions},
                comment="Oui",
            )

    answer(directors[0])
    count_queries(client, url)  # the first request of a session warms caches up
    before = count_queries(client, url)
    for mandate in directors[1:]:
        answer(mandate)
    assert count_queries(client, url) == before


def test_a_workstream_page_for_its_direction_head(
    client: Client, org: Organisation, plan: Plan, head_finance: Person, head_general: Person
) -> None:
    money = workstream(plan, "Fonds de garantie")
    url = money.get_absolute_url()
    login(client, head_general)
    in_english(client)
    page = client.get(url).text
    assert "Fonds de garantie" in page and "Add a milestone" not in page
    refused = client.post(
        reverse("strategy:milestone_add", args=[org.code, money.code]),
        {"milestone-title": "X", "milestone-due_on": "2023-01-01"},
    )
    assert refused.status_code == 404
    client.logout()
    login(client, head_finance)
    in_english(client)
    assert "Add a milestone" in client.get(url).text
    outside = client.post(
        reverse("strategy:milestone_add", args=[org.code, money.code]),
        {"milestone-title": "Trop tard", "milestone-due_on": "2030-01-01"},
    )
    assert outside.status_code == 400 and "within its workstream" in outside.text
    client.post(
        reverse("strategy:milestone_add", args=[org.code, money.code]),
        {"milestone-title": "Règlement", "milestone-due_on": "2022-06-30"},
    )
    client.post(
        reverse("strategy:indicator_add", args=[org.code, money.code]),
        {
            "indicator-name": "Fonds constitué",
            "indicator-target": "500",
            "indicator-unit": "k€",
            "indicator-higher_is_better": "on",
        },
    )
    indicator = money.indicators.get()
    client.post(
        reverse("strategy:value_add", args=[org.code, money.code]),
        {"value-indicator": indicator.pk, "value-measured_on": "2023-01-01", "value-value": "120"},
    )
    page = client.get(url).text
    assert "Règlement" in page and "Fonds constitué" in page and "120" in page


def test_a_workstream_is_linked_to_a_dossier_and_a_decision_by_its_number(
    client: Client, org: Organisation, plan: Plan, secretariat: Person
) -> None:
    from coopgov.dossiers import actions as dossier_actions

    dossier = dossier_actions.open_dossier(None, organisation=org, title="Fonds de garantie")
    money = workstream(plan, "Fonds de garantie")
    login(client, secretariat)
    in_english(client)
    url = reverse("strategy:link", args=[org.code, money.code])
    unknown = client.post(url, {"link-decision": "CA-1999-042"})
    assert unknown.status_code == 400 and "No decision has this number." in unknown.text
    assert not money.decisions.exists()
    client.post(url, {"link-dossier": str(dossier.code)})
    assert list(money.dossiers.all()) == [dossier]
    assert "Fonds de garantie" in client.get(money.get_absolute_url()).text


def test_the_workstream_page_and_the_news_list_keep_their_query_counts(
    client: Client, org: Organisation, plan: Plan, finance: Unit, secretariat: Person
) -> None:
    money = workstream(plan, "Fonds de garantie")
    login(client, secretariat)
    page_url = money.get_absolute_url()
    news_url = reverse("strategy:updates", args=[org.code])

    def report(month: int) -> None:
        with time_machine.travel(datetime.datetime(2023, month, 28, 12, tzinfo=datetime.UTC)):
            actions.write_progress_update(
                None,
                unit=finance,
                period_start=D(2023, month, 1),
                period_end=D(2023, month, 27),
                title=f"Mois {month}",
                text="Nouvelles.",
                reports=[actions.Report(money, 10 * month, "on_track")],
            )
            actions.add_milestone(
                None, workstream=money, title=f"Étape {month}", due_on=D(2023, month, 15)
            )
            indicator = actions.add_indicator(
                None, workstream=money, name=f"Mesure {month}", target=Decimal(10)
            )
            actions.record_indicator_value(
                None, indicator=indicator, measured_on=D(2023, month, 1), value=Decimal(month)
            )

    report(1)
    count_queries(client, page_url)  # the first request of a session warms caches up
    before = count_queries(client, page_url), count_queries(client, news_url)
    for month in range(2, 7):
        report(month)
    assert (count_queries(client, page_url), count_queries(client, news_url)) == before


def test_a_plan_is_approved_by_a_decision_typed_by_its_number(
    client: Client,
    draft: Plan,
    decisions: tuple[Decision, Decision],
    secretariat: Person,
) -> None:
    adopted, rejected = decisions
    org = draft.organisation
    login(client, secretariat)
    in_english(client)
    page = client.get(draft.get_absolute_url(), {"form": "approve"}).text
    assert 'name="approve-decision"' in page and "CA-2024-001" not in page  # no list of decisions
    url = reverse("strategy:approve", args=[org.code, draft.code])
    for number in ("CA-2099-001", rejected.number):
        refused = client.post(url, {"approve-decision": number})
        assert refused.status_code == 400 and "No decision has this number." in refused.text
    assert client.post(url, {"approve-decision": adopted.number.lower()}).status_code == 302
    draft.refresh_from_db()
    assert draft.status == Plan.Status.APPROVED and draft.decision == adopted


def test_the_dashboard_figures_are_computed_once_until_the_next_change(
    client: Client, plan: Plan, secretariat: Person
) -> None:
    login(client, secretariat)
    in_english(client)
    url = plan.get_absolute_url()
    with CaptureQueriesContext(connection) as computed:
        client.get(url)
    with CaptureQueriesContext(connection) as cached:
        page = client.get(url)
    assert len(cached) < len(computed) and "Bilan du fonds" not in page.text
    actions.add_milestone(
        None,
        workstream=workstream(plan, "Fonds de garantie"),
        title="Bilan du fonds",
        due_on=D(2024, 6, 30),
    )
    assert "Bilan du fonds" in client.get(url).text  # the change is seen at once
