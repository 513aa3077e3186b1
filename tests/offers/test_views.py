"""Offer and activity pages: the variants side by side, an activity followed from candidate to
active by its adviser, the holder's own record, the adviser's and the management's pages;
refusals that save nothing, access and query counts."""

from __future__ import annotations

import datetime
from decimal import Decimal

import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from coopgov.core.models import Member, MemberCategory, Organisation, Person, Unit
from coopgov.offers import actions
from coopgov.offers.models import Activity, Enrolment, OfferVersion, Service, SupportMeeting
from tests.conftest import in_english, login, make_member, make_person
from tests.offers.conftest import D

TODAY = datetime.datetime(2025, 6, 2, 10, tzinfo=datetime.UTC)


def count_queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_the_catalogue_compares_the_variants_on_a_day(
    client: Client,
    org: Organisation,
    individual: OfferVersion,
    occasional: OfferVersion,
    services: list[Service],
    plain_member: Person,
) -> None:
    actions.publish_version(
        None,
        offer=individual.offer,
        valid_from=D(2025, 1, 1),
        cooperative_commitments="Salaire payé en cinq jours.",
        contribution_rate=Decimal("7"),
        levels={services[0]: "reinforced"},
    )
    login(client, plain_member)
    in_english(client)
    url = reverse("offers:catalogue", args=[org.code])
    before = client.get(url + "?on=2024-06-01").text
    assert "6.50 % (turnover)" in before and "Standard" in before
    after = client.get(url + "?on=2025-06-01").text
    assert (
        "7 % (turnover)" in after
        and "Reinforced" in after
        and "Salaire payé en cinq jours." in after
    )
    assert "Add a service" not in after


@time_machine.travel(TODAY, tick=False)
def test_an_adviser_follows_an_activity_from_candidate_to_active(
    client: Client,
    org: Organisation,
    individual: OfferVersion,
    holder: Member,
    adviser: Person,
    office: Unit,
) -> None:
    login(client, adviser)
    in_english(client)
    response = client.post(
        reverse("offers:activity_new", args=[org.code]),
        {
            "name": "Studio photo",
            "sector": "Photographie",
            "profile": "individual",
            "started_on": "2025-03-01",
            "holders": "999",
        },
    )
    assert response.status_code == 400 and "No member has the number 999." in response.text
    assert not Activity.objects.exists()
    response = client.post(
        reverse("offers:activity_new", args=[org.code]),
        {
            "name": "Studio photo",
            "sector": "Photographie",
            "profile": "individual",
            "started_on": "2025-03-01",
            "holders": str(holder.number),
            "office": office.pk,
        },
    )
    activity = Activity.objects.get()
    assert response["Location"] == activity.get_absolute_url()
    assert list(activity.advisers.all()) == [adviser]
    page = reverse("offers:activity", args=[org.code, activity.code])
    # Integration before the commitments are accepted is refused and saves nothing.
    refused = client.post(
        reverse("offers:stage", args=[org.code, activity.code]),
        {"stage-stage": "integrated", "stage-on": "2025-03-10"},
    )
    assert refused.status_code == 400 and "O1:" in refused.text
    activity.refresh_from_db()
    assert activity.stage == "candidate"
    client.post(
        reverse("offers:enrol", args=[org.code, activity.code]),
        {"enrol-version": individual.pk, "enrol-starts_on": "2025-03-05"},
    )
    enrolment = Enrolment.objects.get()
    client.post(
        reverse("offers:accept", args=[org.code, activity.code, enrolment.pk]),
        {"side": "cooperative"},
    )
    client.logout()
    login(client, holder.person)  # type: ignore[arg-type]
    in_english(client)
    shown = client.get(page).text
    assert "I accept these commitments" in shown and "Record a support meeting" not in shown
    client.post(
        reverse("offers:accept", args=[org.code, activity.code, enrolment.pk]), {"side": "member"}
    )
    enrolment.refresh_from_db()
    assert enrolment.accepted and enrolment.member_accepted_by == holder.person
    client.logout()
    login(client, adviser)
    in_english(client)
    for stage, day in (("integrated", "2025-03-10"), ("active", "2025-04-01")):
        client.post(
            reverse("offers:stage", args=[org.code, activity.code]),
            {"stage-stage": stage, "stage-on": day},
        )
    response = client.post(
        reverse("offers:support", args=[org.code, activity.code]),
        {
            "meeting-held_on": "2025-05-20",
            "meeting-status": "held",
            "meeting-advisers": [adviser.pk],
            f"meeting-attendance-{holder.person.pk}": "attended",  # type: ignore[union-attr]
            "meeting-objectives": "Fixer les prix 2025.",
            "meeting-agreed_actions": "Revoir la grille tarifaire.",
            "meeting-next_steps": "Devis type.",
            "meeting-next_meeting_on": "2025-09-15",
        },
    )
    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.stage == "active"
    meeting = SupportMeeting.objects.get()
    assert meeting.participations.get().attendance == "attended"
    shown = client.get(page).text
    assert "Fixer les prix 2025." in shown and "Accepted for the member by Léa Dupont" in shown


def test_a_member_sees_only_their_own_activities(
    client: Client,
    org: Organisation,
    activity: Activity,
    category_a: MemberCategory,
    holder: Member,
) -> None:
    other = make_member(org, category_a, make_person(org, first_name="Tom", last_name="Autre"))
    theirs = actions.open_activity(
        None,
        organisation=org,
        name="Traduction",
        sector="Langues",
        profile="individual",
        started_on=D(2024, 5, 1),
        holders=[other],
    )
    login(client, holder.person)  # type: ignore[arg-type]
    listed = client.get(reverse("offers:activities", args=[org.code])).text
    assert "Atelier de sérigraphie" in listed and "Traduction" not in listed
    assert client.get(theirs.get_absolute_url()).status_code == 404
    assert client.get(reverse("offers:management", args=[org.code])).status_code == 404
    assert (
        client.post(
            reverse("offers:stage", args=[org.code, activity.code]), {"stage-stage": "exited"}
        ).status_code
        == 404
    )


@time_machine.travel(TODAY, tick=False)
def test_the_activity_pages_keep_their_query_counts(
    client: Client,
    org: Organisation,
    individual: OfferVersion,
    activity: Activity,
    adviser: Person,
    holder: Member,
    category_a: MemberCategory,
    secretariat: Person,
) -> None:
    actions.add_competence(None, organisation=org, name="Gestion financière")

    def grow(index: int) -> None:
        member = make_member(org, category_a)
        added = actions.open_activity(
            None,
            organisation=org,
            name=f"Activité {index}",
            sector="Arts",
            profile="individual",
            started_on=D(2024, 1, 1),
            holders=[member],
            advisers=[adviser],
        )
        enrolment = actions.enrol(None, activity=added, version=individual, starts_on=D(2024, 2, 1))
        actions.record_support_meeting(
            None,
            activity=added,
            held_on=D(2024, 6, 1),
            advisers=[adviser],
            attendance={member.person: "attended"},
        )  # type: ignore[dict-item]
        actions.record_contribution(
            None,
            activity=added,
            period_start=D(2024, 2, 1),
            period_end=D(2024, 3, 31),
            base_amount=Decimal(1000),
            due_on=D(2024, 4, 30),
        )
        actions.state_need(
            member.person,
            activity=added,
            service=individual.levels.first().service,
            level="essential",
        )  # type: ignore[arg-type, union-attr]
        for when in (D(2024, 3, 1), D(2025, 3, 1)):
            actions.add_activity_milestone(
                None, activity=activity, title=f"Étape {index}", due_on=when
            )
        actions.record_support_meeting(
            None,
            activity=activity,
            held_on=D(2024, 6, index + 1),
            advisers=[adviser],
            attendance={holder.person: "attended"},
        )  # type: ignore[dict-item]
        actions.evaluate(
            adviser,
            activity=activity,
            evaluated_on=D(2024, 7, index + 1),
            scores={c: 2 for c in org_competences(org)},
        )
        del enrolment

    grow(1)
    login(client, secretariat)
    urls = [
        reverse("offers:activities", args=[org.code]),
        activity.get_absolute_url(),
        reverse("offers:management", args=[org.code]),
        reverse("offers:catalogue", args=[org.code]),
    ]
    count_queries(client, urls[0])  # the first request of a session warms caches up
    before = [count_queries(client, url) for url in urls]
    for index in range(2, 6):
        grow(index)
    assert [count_queries(client, url) for url in urls] == before
    client.logout()
    login(client, adviser)
    count_queries(client, reverse("offers:advising", args=[org.code]))
    mine = count_queries(client, reverse("offers:advising", args=[org.code]))
    grow(7)
    assert count_queries(client, reverse("offers:advising", args=[org.code])) == mine


def org_competences(org: Organisation) -> list:  # type: ignore[type-arg]
    from coopgov.offers.models import Competence

    return list(Competence.objects.filter(organisation=org))
