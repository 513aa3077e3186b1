"""The commitments an enrolment breaks on a day (the adviser's flags), the follow-ups due, and
the management's counts: stages, variants, months since the last support meeting."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
import time_machine
from hypothesis import given
from hypothesis import strategies as st
from pytest_django import DjangoAssertNumQueries

from coopgov.core.models import Member, MemberCategory, Organisation, Person
from coopgov.offers import actions, queries
from coopgov.offers.models import (
    Activity,
    Enrolment,
    Holding,
    OfferVersion,
    Stage,
    SupportMeeting,
)
from coopgov.offers.rules import breaches, support_meetings_expected
from tests.conftest import make_member

D = datetime.date
DAY = datetime.timedelta(days=1)


def noon(day: D) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, 12, tzinfo=datetime.UTC)


def flagged(activity: Activity, today: D) -> dict[str, list[str]]:
    """The activity's flags on `today`, by kind."""
    found: dict[str, list[str]] = {}
    for breach in queries.flags([activity], today)[activity.pk]:
        found.setdefault(breach.kind, []).append(breach.message)
    return found


def start(org: Organisation, category: MemberCategory, name: str) -> Activity:
    """An activity of its own new member, started in June 2023."""
    return actions.open_activity(
        None,
        organisation=org,
        name=name,
        sector="Conseil",
        profile="individual",
        started_on=D(2023, 6, 1),
        holders=[make_member(org, category)],
    )


def holder_of(activity: Activity) -> Person:
    person = activity.holders.get().person
    assert person is not None
    return person


def meet(
    activity: Activity,
    day: D,
    adviser: Person,
    attendance: dict[Person, str] | None = None,
    status: str = SupportMeeting.Status.HELD,
) -> SupportMeeting:
    return actions.record_support_meeting(
        None,
        activity=activity,
        held_on=day,
        advisers=[adviser],
        attendance=attendance or {},
        status=status,
    )


def plan(activity: Activity, day: D, adviser: Person, *, on: D) -> SupportMeeting:
    """A support meeting planned for `day`, as recorded on `on`."""
    with time_machine.travel(noon(on)):
        return meet(activity, day, adviser, status=SupportMeeting.Status.PLANNED)


def accepted(activity: Activity, version: OfferVersion, starts_on: D, adviser: Person) -> Enrolment:
    if not activity.advisers.filter(pk=adviser.pk).exists():
        actions.follow(None, activity=activity, adviser=adviser)
    enrolment = actions.enrol(None, activity=activity, version=version, starts_on=starts_on)
    actions.accept_commitments(holder_of(activity), enrolment=enrolment, side="member")
    actions.accept_commitments(adviser, enrolment=enrolment, side="cooperative")
    return enrolment


def contribute(activity: Activity, start_: D, end: D, base: Decimal, due_on: D) -> None:
    actions.record_contribution(
        None,
        activity=activity,
        period_start=start_,
        period_end=end,
        base_amount=base,
        due_on=due_on,
    )


@pytest.fixture
def enrolment(activity: Activity, individual: OfferVersion) -> Enrolment:
    """The activity in the individual variant from 1 March 2024: 2 shares, 2 support meetings
    a year, 5 000 € of activity a year, review on 1 March 2025."""
    return actions.enrol(None, activity=activity, version=individual, starts_on=D(2024, 3, 1))


@pytest.fixture
def kept(activity: Activity, enrolment: Enrolment, holder: Member, adviser: Person) -> Activity:
    """The enrolment accepted by both sides, the 2 shares verified and one support meeting."""
    actions.accept_commitments(holder_of(activity), enrolment=enrolment, side="member")
    actions.accept_commitments(adviser, enrolment=enrolment, side="cooperative")
    actions.verify_shares(None, holding=activity.holdings.get(), shares=2, on=D(2024, 3, 1))
    meet(activity, D(2024, 6, 10), adviser, {holder_of(activity): "attended"})
    return activity


# rules.breaches and queries.flags


def test_an_enrolment_keeping_its_commitments_raises_no_flag(kept: Activity) -> None:
    assert queries.flags([kept], D(2024, 9, 1)) == {kept.pk: []}


def test_an_activity_in_no_variant_raises_no_flag(
    org: Organisation, category_a: MemberCategory, kept: Activity
) -> None:
    alone = start(org, category_a, "Sans variante")
    assert set(queries.flags([kept, alone], D(2024, 9, 1))) == {kept.pk}


@pytest.mark.parametrize("sides", [(), ("member",), ("cooperative",)])
def test_commitments_not_accepted_by_both_sides_are_flagged(
    activity: Activity, enrolment: Enrolment, adviser: Person, sides: tuple[str, ...]
) -> None:
    for side in sides:
        person = holder_of(activity) if side == "member" else adviser
        actions.accept_commitments(person, enrolment=enrolment, side=side)
    assert flagged(activity, D(2024, 3, 1))["acceptance"] == [
        "Commitments not yet accepted by both sides."
    ]


@pytest.mark.parametrize(
    ("shares", "messages"),
    [
        (None, ["Léa Dupont: shares held not verified yet."]),
        (0, ["Léa Dupont holds 0 shares of the 2 required."]),
        (1, ["Léa Dupont holds 1 shares of the 2 required."]),
        (2, None),
        (3, None),
    ],
)
def test_shares_not_verified_or_fewer_than_required_are_flagged(
    kept: Activity, shares: int | None, messages: list[str] | None
) -> None:
    Holding.objects.filter(activity=kept).update(shares_verified=shares)
    assert flagged(kept, D(2024, 9, 1)).get("shares") == messages


def test_each_holder_short_of_shares_is_flagged(
    org: Organisation, kept: Activity, category_b: MemberCategory
) -> None:
    partner = make_member(org, category_b)
    Holding.objects.create(activity=kept, member=partner, shares_verified=1)
    assert flagged(kept, D(2024, 9, 1))["shares"] == [
        f"{partner.display_name} holds 1 shares of the 2 required."
    ]


def test_a_contribution_is_unpaid_only_once_its_due_date_has_passed(kept: Activity) -> None:
    contribute(kept, D(2024, 6, 1), D(2024, 6, 30), Decimal(1000), D(2024, 7, 15))
    assert "contribution" not in flagged(kept, D(2024, 7, 14))
    assert "contribution" not in flagged(kept, D(2024, 7, 15))  # due today is not unpaid
    assert flagged(kept, D(2024, 7, 16))["contribution"] == [
        "Contribution unpaid: 65.00 € over 1 periods."
    ]


def test_the_unpaid_flag_sums_what_is_missing_over_the_periods(kept: Activity) -> None:
    contribute(kept, D(2024, 6, 1), D(2024, 6, 30), Decimal(1000), D(2024, 7, 15))
    contribute(kept, D(2024, 7, 1), D(2024, 7, 31), Decimal(200), D(2024, 8, 15))
    june = kept.contributions.get(period_start=D(2024, 6, 1))
    actions.record_payment(None, contribution=june, amount=Decimal(40), paid_on=D(2024, 7, 1))
    assert flagged(kept, D(2024, 8, 16))["contribution"] == [
        "Contribution unpaid: 38.00 € over 2 periods."
    ]
    actions.record_payment(None, contribution=june, amount=Decimal(25), paid_on=D(2024, 8, 1))
    assert flagged(kept, D(2024, 8, 16))["contribution"] == [
        "Contribution unpaid: 13.00 € over 1 periods."
    ]
    july = kept.contributions.get(period_start=D(2024, 7, 1))
    actions.record_payment(None, contribution=july, amount=Decimal(13), paid_on=D(2024, 8, 16))
    assert "contribution" not in flagged(kept, D(2024, 8, 16))


# Support meetings expected, prorated under a year


def expected(per_year: int, since: D, today: D) -> int:
    return support_meetings_expected(OfferVersion(support_meetings_per_year=per_year), since, today)


@pytest.mark.parametrize(
    ("days", "count"),
    [(-10, 0), (0, 0), (30, 0), (31, 1), (182, 5), (183, 6), (364, 11), (365, 12), (800, 12)],
)
def test_support_meetings_expected_are_prorated_under_a_year(days: int, count: int) -> None:
    since = D(2023, 1, 1)
    assert expected(12, since, since + datetime.timedelta(days=days)) == count


@given(
    per_year=st.integers(min_value=0, max_value=52),
    since=st.dates(min_value=D(2000, 1, 1), max_value=D(2040, 1, 1)),
    days=st.integers(min_value=-400, max_value=2000),
    later=st.integers(min_value=0, max_value=400),
)
def test_support_meetings_expected_stay_within_the_year_and_grow_with_time(
    per_year: int, since: D, days: int, later: int
) -> None:
    today = since + datetime.timedelta(days=days)
    count = expected(per_year, since, today)
    assert 0 <= count <= per_year
    assert count <= expected(per_year, since, today + datetime.timedelta(days=later))
    if days >= 365:
        assert count == per_year
    if days <= 0:
        assert count == 0


def test_support_meetings_are_expected_once_their_share_of_the_year_has_passed(
    kept: Activity,
) -> None:
    SupportMeeting.objects.filter(activity=kept).delete()
    # 2 a year from 1 March 2024: the first one is due after 183 days.
    assert "support" not in flagged(kept, D(2024, 8, 30))
    assert flagged(kept, D(2024, 8, 31))["support"] == [
        "Support meetings: 0 in the last twelve months, 1 expected."
    ]


def test_only_meetings_held_and_attended_by_a_holder_in_the_last_twelve_months_count(
    kept: Activity, adviser: Person
) -> None:
    lea = holder_of(kept)
    SupportMeeting.objects.filter(activity=kept).delete()
    today = D(2025, 6, 1)  # two meetings expected from 2 June 2024 to 1 June 2025
    meet(kept, D(2024, 6, 1), adviser, {lea: "attended"})  # twelve months and a day ago
    meet(kept, D(2024, 10, 1), adviser, {lea: "attended", adviser: "attended"})  # counts
    meet(kept, D(2025, 1, 15), adviser, {lea: "absent", adviser: "attended"})
    meet(kept, D(2025, 2, 1), adviser, {lea: "excused"})
    meet(kept, D(2025, 3, 1), adviser, {lea: "registered"})
    meet(kept, D(2025, 4, 1), adviser, {lea: "attended"}, status=SupportMeeting.Status.CANCELLED)
    with time_machine.travel(noon(D(2025, 5, 1))):
        meet(kept, D(2025, 5, 20), adviser, {lea: "attended"}, status="planned")
    assert flagged(kept, today)["support"] == [
        "Support meetings: 1 in the last twelve months, 2 expected."
    ]
    meet(kept, D(2024, 6, 2), adviser, {lea: "attended"})  # twelve months ago to the day
    assert "support" not in flagged(kept, today)


def test_a_meeting_attended_by_several_holders_counts_once(
    org: Organisation, kept: Activity, adviser: Person, category_b: MemberCategory
) -> None:
    lea = holder_of(kept)
    partner = make_member(org, category_b)
    Holding.objects.create(activity=kept, member=partner, shares_verified=2)
    SupportMeeting.objects.filter(activity=kept).delete()
    meet(kept, D(2024, 10, 1), adviser, {lea: "attended", partner.person: "attended"})  # type: ignore[dict-item]
    assert flagged(kept, D(2025, 6, 1))["support"] == [
        "Support meetings: 1 in the last twelve months, 2 expected."
    ]


def test_the_representative_of_a_legal_person_holder_attends_for_it(
    org: Organisation, kept: Activity, adviser: Person, category_a: MemberCategory
) -> None:
    from coopgov.core import actions as core_actions
    from tests.conftest import make_person

    lea = holder_of(kept)
    representative = make_person(org)
    company = core_actions.admit_member(
        None,
        organisation=org,
        category=category_a,
        admission_date=D(2022, 1, 1),
        legal_name="Atelier SRL",
        representative=representative,
    )
    Holding.objects.create(activity=kept, member=company, shares_verified=2)
    SupportMeeting.objects.filter(activity=kept).delete()
    meet(kept, D(2024, 10, 1), adviser, {representative: "attended"})
    meet(kept, D(2024, 11, 1), adviser, {lea: "attended"})
    assert "support" not in flagged(kept, D(2025, 6, 1))


# Minimum activity and review


def test_the_minimum_activity_is_checked_over_twelve_months_once_enrolled_a_year(
    kept: Activity,
) -> None:
    contribute(kept, D(2024, 3, 1), D(2024, 3, 31), Decimal(3000), D(2024, 4, 15))
    contribute(kept, D(2025, 1, 1), D(2025, 1, 31), Decimal("1999.99"), D(2025, 2, 15))
    assert "activity" not in flagged(kept, D(2025, 2, 28))  # enrolled 364 days
    assert flagged(kept, D(2025, 3, 1))["activity"] == [
        "Activity: 4999.99 € over twelve months, 5000.00 € expected."
    ]
    contribute(kept, D(2025, 2, 1), D(2025, 2, 28), Decimal("0.01"), D(2025, 3, 15))
    assert "activity" not in flagged(kept, D(2025, 3, 1))
    # A month later, March 2024 falls out of the twelve months.
    assert flagged(kept, D(2025, 4, 1))["activity"] == [
        "Activity: 2000.00 € over twelve months, 5000.00 € expected."
    ]


def test_a_variant_without_minimum_activity_raises_no_activity_flag(
    org: Organisation, category_a: MemberCategory, occasional: OfferVersion, adviser: Person
) -> None:
    activity = start(org, category_a, "Missions")
    accepted(activity, occasional, D(2023, 6, 1), adviser)
    assert "activity" not in flagged(activity, D(2025, 6, 1))


def test_a_review_date_passed_is_flagged(kept: Activity) -> None:
    assert "review" not in flagged(kept, D(2025, 3, 1))  # review due today
    (message,) = flagged(kept, D(2025, 3, 2))["review"]
    assert message.startswith("Commitments to review since")
    enrolment = kept.enrolments.get()
    with time_machine.travel(noon(D(2025, 3, 2))):
        actions.review_commitments(None, enrolment=enrolment, next_review_on=D(2026, 3, 2))
    assert "review" not in flagged(kept, D(2025, 3, 2))


def test_breaches_are_computed_from_what_they_are_given(kept: Activity) -> None:
    enrolment = kept.enrolments.select_related("version").get()
    found = breaches(
        enrolment,
        holdings=kept.holdings.select_related("member__person"),
        contributions=[],
        meetings_attended=0,
        today=D(2024, 9, 1),
    )
    assert [b.kind for b in found] == ["support"]
    assert (
        breaches(enrolment, holdings=[], contributions=[], meetings_attended=1, today=D(2024, 9, 1))
        == []
    )


def test_flags_run_a_fixed_number_of_queries(
    org: Organisation,
    category_a: MemberCategory,
    individual: OfferVersion,
    adviser: Person,
    kept: Activity,
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    with django_assert_num_queries(4):
        one = queries.flags([kept], D(2025, 6, 1))
    assert len(one) == 1
    activities = [kept]
    for index in range(9):
        activity = start(org, category_a, f"Activité {index}")
        accepted(activity, individual, D(2024, 3, 1), adviser)
        meet(activity, D(2024, 10, 1), adviser, {holder_of(activity): "attended"})
        contribute(activity, D(2024, 6, 1), D(2024, 6, 30), Decimal(1000), D(2024, 7, 15))
        activities.append(activity)
    with django_assert_num_queries(4):
        ten = queries.flags(activities, D(2025, 6, 1))
    assert len(ten) == 10
    assert all("shares" in {b.kind for b in found} for pk, found in ten.items() if pk != kept.pk)


# Follow-ups due


def test_follow_ups_are_due_after_six_months_without_a_meeting_and_none_planned(
    org: Organisation,
    category_a: MemberCategory,
    adviser: Person,
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    today = D(2024, 12, 1)  # six months (183 days) back: 1 June 2024
    never = start(org, category_a, "Jamais vue")
    old = start(org, category_a, "Ancienne")
    meet(old, D(2024, 5, 31), adviser)
    boundary = start(org, category_a, "Juste à temps")
    meet(boundary, D(2024, 6, 1), adviser)
    recent = start(org, category_a, "Récente")
    meet(recent, D(2024, 11, 1), adviser)
    planned = start(org, category_a, "Prévue")
    meet(planned, D(2024, 1, 10), adviser)
    plan(planned, D(2024, 12, 10), adviser, on=today)
    planned_today = start(org, category_a, "Prévue aujourd'hui")
    plan(planned_today, today, adviser, on=today)
    overtaken = start(org, category_a, "Dépassée")
    meet(overtaken, D(2024, 1, 10), adviser)
    plan(overtaken, D(2024, 11, 15), adviser, on=D(2024, 11, 1))
    cancelled = start(org, category_a, "Annulée")
    meet(cancelled, D(2024, 10, 1), adviser, status=SupportMeeting.Status.CANCELLED)
    gone = start(org, category_a, "Sortie")
    actions.advance(None, activity=gone, stage=Stage.EXITED, on=D(2023, 6, 1), exit_reason="ended")
    activities = list(Activity.objects.filter(organisation=org))
    with django_assert_num_queries(1):
        due = queries.follow_ups(activities, today)
    # Never met first (in name order), then the longest without a meeting.
    assert [(f.activity, f.last_meeting, f.planned, f.days_since) for f in due] == [
        (cancelled, None, None, None),
        (never, None, None, None),
        (overtaken, D(2024, 1, 10), None, 326),
        (old, D(2024, 5, 31), None, 184),
    ]


# Counts for the management


def integrate(activity: Activity, version: OfferVersion, adviser: Person) -> Activity:
    accepted(activity, version, D(2024, 1, 1), adviser)
    actions.advance(None, activity=activity, stage=Stage.INTEGRATED, on=D(2024, 1, 1))
    return activity


def test_stage_counts_list_every_stage_in_path_order(
    org: Organisation,
    category_a: MemberCategory,
    individual: OfferVersion,
    adviser: Person,
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    start(org, category_a, "Candidate")
    integrate(start(org, category_a, "Intégrée"), individual, adviser)
    for name in ("Active 1", "Active 2", "En pause"):
        active = integrate(start(org, category_a, name), individual, adviser)
        actions.advance(None, activity=active, stage=Stage.ACTIVE, on=D(2024, 2, 1))
    actions.advance(
        None, activity=Activity.objects.get(name="En pause"), stage=Stage.PAUSED, on=D(2024, 5, 1)
    )
    gone = start(org, category_a, "Sortie")
    actions.advance(None, activity=gone, stage=Stage.EXITED, on=D(2023, 7, 1), exit_reason="ended")
    with django_assert_num_queries(1):
        counts = queries.stage_counts(Activity.objects.filter(organisation=org))
    assert counts == [
        ("candidate", "Candidate", 1),
        ("integrated", "Integrated", 1),
        ("active", "Active", 2),
        ("paused", "Paused", 1),
        ("exited", "Exited", 1),
    ]


def test_stage_counts_show_empty_stages_as_zero(org: Organisation) -> None:
    assert queries.stage_counts(Activity.objects.filter(organisation=org)) == [
        (value, str(label), 0) for value, label in Stage.choices
    ]


def test_variant_counts_count_activities_in_each_variant_now_and_in_none(
    org: Organisation,
    category_a: MemberCategory,
    individual: OfferVersion,
    occasional: OfferVersion,
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    for name in ("A", "B", "Changée", "Sortie"):
        actions.enrol(
            None, activity=start(org, category_a, name), version=individual, starts_on=D(2024, 1, 1)
        )
    actions.enrol(
        None,
        activity=Activity.objects.get(name="Changée"),
        version=occasional,
        starts_on=D(2024, 6, 1),
    )
    actions.advance(
        None,
        activity=Activity.objects.get(name="Sortie"),
        stage=Stage.EXITED,
        on=D(2024, 6, 1),
        exit_reason="ended",
    )
    start(org, category_a, "Candidate")
    with django_assert_num_queries(2):
        counts = queries.variant_counts(Activity.objects.filter(organisation=org))
    assert counts == [
        ("Missions occasionnelles", 1),
        ("Activité individuelle", 2),
        ("In no variant", 1),
    ]


def test_delay_buckets_count_activities_by_months_since_their_last_meeting(
    org: Organisation,
    category_a: MemberCategory,
    adviser: Person,
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    today = D(2025, 1, 1)
    for days in (90, 91, 183, 184, 365, 366):
        activity = start(org, category_a, f"{days} jours")
        meet(activity, today - datetime.timedelta(days=days + 30), adviser)  # an older one
        meet(activity, today - datetime.timedelta(days=days), adviser)
        meet(activity, today - DAY, adviser, status=SupportMeeting.Status.CANCELLED)
    start(org, category_a, "Jamais")
    gone = start(org, category_a, "Sortie")
    meet(gone, D(2023, 6, 2), adviser)
    actions.advance(None, activity=gone, stage=Stage.EXITED, on=D(2023, 7, 1), exit_reason="ended")
    with django_assert_num_queries(1):
        buckets = queries.delay_buckets(Activity.objects.filter(organisation=org), today)
    assert buckets == [
        ("≤ 3 months", 1),
        ("3\N{EN DASH}6 months", 2),
        ("6\N{EN DASH}12 months", 2),
        ("> 12 months", 1),
        ("never", 1),
    ]
