"""The demo's offer: four variants adopted as hypotheses by the board in May 2023, in dated
versions; about 150 activities on their path, each in one variant at a time with both sides'
acceptance; Sofia's activities with their flags and follow-ups; Jonas's own activity; the
competence grids and the members' needs fed to the offer's dossier."""

from __future__ import annotations

import datetime
import itertools
from collections import Counter
from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db.models import Count, Q
from django.utils import timezone

from coopgov.core.demo import load_demo
from coopgov.core.models import Member, Organisation, Person, Role, Unit
from coopgov.dossiers.models import Appearance, Dossier
from coopgov.meetings.models import Meeting, Outcome
from coopgov.offers.demo import ACTIVITIES, HYPOTHESIS
from coopgov.offers.models import (
    Activity,
    Competence,
    Contribution,
    Enrolment,
    Evaluation,
    Offer,
    OfferVersion,
    Participation,
    PathStage,
    Score,
    Service,
    Stage,
    SupportMeeting,
)
from coopgov.offers.queries import comparison, flags, follow_ups, grid_progress, needs_summary
from tests.conftest import loaded_for_module

TODAY = datetime.date(2026, 11, 27)
ON_THEIR_WAY = (Stage.INTEGRATED, Stage.ACTIVE, Stage.PAUSED)


NOON = datetime.datetime(2026, 11, 27, 12, tzinfo=ZoneInfo("Europe/Brussels"))
# One worker loads the demo once for all the tests of this module.
pytestmark = pytest.mark.xdist_group("demo_offers")


@pytest.fixture(scope="module")
def demo_of_the_day(django_db_setup: None, django_db_blocker: Any) -> Iterator[Organisation]:
    with (
        time_machine.travel(NOON, tick=False),
        loaded_for_module(django_db_blocker, load_demo) as demo,
    ):
        yield demo


@pytest.fixture
def demo(demo_of_the_day: Organisation, db: None) -> Iterator[Organisation]:
    """The demo as it stands on 27 November 2026."""
    with time_machine.travel(NOON, tick=False):
        yield demo_of_the_day


def person(org: Organisation, first: str, last: str) -> Person:
    return Person.objects.get(organisation=org, first_name=first, last_name=last)


def test_the_four_variants_are_hypotheses_of_the_offer_dossier_in_dated_versions(
    demo: Organisation,
) -> None:
    dossier = Dossier.objects.get(organisation=demo, title="Refonte de l'offre de services")
    decision = dossier.decisions.get()
    assert decision.adopted and (decision.decided_on.year, decision.decided_on.month) == (2023, 5)
    offers = list(Offer.objects.filter(organisation=demo))
    assert [o.code for o in offers] == [
        "missions-occasionnelles",
        "activite-individuelle",
        "contributeur",
        "entreprise-collective",
    ]
    for offer in offers:
        assert offer.hypothesis and offer.dossier == dossier
        assert offer.summary.startswith(HYPOTHESIS)
        versions = list(offer.versions.order_by("number"))
        assert versions[0].number == 1 and versions[0].valid_from == datetime.date(2023, 6, 1)
        assert versions[0].valid_from > decision.decided_on
        # In sequence, without overlap: each version ends the day before the next starts.
        for earlier, later in itertools.pairwise(versions):
            assert later.number == earlier.number + 1
            assert earlier.valid_until == later.valid_from - datetime.timedelta(days=1)
        assert versions[-1].valid_until is None
        for version in versions:
            assert version.levels.exists() and version.cooperative_commitments
            assert version.participation_duties and version.eligible_profiles
            assert version.eligible_categories.exists()
            assert version.shares_required >= 1 and version.support_meetings_per_year >= 1
    changed = OfferVersion.objects.filter(offer__organisation=demo, number=2)
    assert 1 <= changed.count() <= 2
    for version in changed:
        assert version.valid_from == datetime.date(2025, 1, 1)
        first = version.offer.versions.get(number=1)
        assert version.contribution_rate != first.contribution_rate
    collective = changed.get(offer__code="entreprise-collective")
    assert collective.contribution_base == OfferVersion.Base.VALUE_ADDED

    services, columns = comparison(demo, TODAY)
    assert len(services) == 8 and len(columns) == 4
    assert all(column.version is not None and column.levels for column in columns)
    assert all(service.unit is not None for service in services)
    assert {s.funding for s in services} == set(Service.Funding.values)
    assert Competence.objects.filter(organisation=demo).count() == 6


def test_about_150_activities_each_in_one_variant_at_a_time_with_both_sides_acceptance(
    demo: Organisation,
) -> None:
    activities = Activity.objects.filter(organisation=demo)
    assert activities.count() == ACTIVITIES
    stages = Counter(activities.values_list("stage", flat=True))
    assert stages[Stage.ACTIVE] > ACTIVITIES // 2
    # About 15 candidates, 10 integrated lately, 10 exited for 150 activities.
    assert stages[Stage.CANDIDATE] >= 0.08 * ACTIVITIES and stages[Stage.PAUSED] >= 3
    assert stages[Stage.INTEGRATED] >= 0.05 * ACTIVITIES
    assert 0.05 * ACTIVITIES <= stages[Stage.EXITED] <= 0.08 * ACTIVITIES
    assert set(activities.values_list("profile", flat=True)) == {
        "occasional",
        "individual",
        "contributor",
        "collective",
    }
    assert activities.filter(started_on__year=2023).exists()
    assert activities.filter(started_on__year=2026).exists()

    # O1: one open enrolment at most; enrolments follow each other without overlap.
    open_counts = activities.annotate(
        open=Count("enrolments", filter=Q(enrolments__ends_on__isnull=True))
    ).values_list("open", flat=True)
    assert max(open_counts) == 1
    enrolments = Enrolment.objects.filter(activity__organisation=demo).select_related(
        "version__offer", "activity"
    )
    by_activity: dict[int, list[Enrolment]] = {}
    for enrolment in enrolments.order_by("starts_on"):
        by_activity.setdefault(enrolment.activity_id, []).append(enrolment)
        assert enrolment.activity.profile in enrolment.version.eligible_profiles
        assert enrolment.version.is_valid_on(enrolment.starts_on)
        assert enrolment.starts_on <= TODAY
    changes = 0
    for chain in by_activity.values():
        for earlier, later in itertools.pairwise(chain):
            assert earlier.ends_on == later.starts_on - datetime.timedelta(days=1)
            changes += earlier.version.offer_id != later.version.offer_id
    assert 3 <= changes <= 10  # a handful changed variant once

    # Every activity on its way was integrated in a variant both sides accepted, and who
    # accepted is a holder for the member and an adviser for the cooperative.
    now = timezone.now()
    on_their_way = activities.filter(stage__in=ON_THEIR_WAY).prefetch_related(
        "holdings__member", "advisers"
    )
    for activity in on_their_way:
        current = activity.enrolments.get(ends_on__isnull=True)
        assert current.accepted
        assert current.member_accepted_at is not None and current.member_accepted_at <= now
        assert current.cooperative_accepted_at is not None
        holders = {
            pk
            for holding in activity.holdings.all()
            for pk in (holding.member.person_id, holding.member.representative_id)
        }
        assert current.member_accepted_by_id in holders
        assert current.cooperative_accepted_by in activity.advisers.all()
        stages_seen = list(activity.path.values_list("stage", flat=True))
        assert stages_seen[:2] == [Stage.CANDIDATE, Stage.INTEGRATED]
    # Paths are dated in order, up to today, and end at the activity's stage.
    for activity in activities.prefetch_related("path"):
        path = list(activity.path.all())
        assert [step.on for step in path] == sorted(step.on for step in path)
        assert path[0].on == activity.started_on and path[-1].on <= TODAY
        assert path[-1].stage == activity.stage

    # Exits give their reason and close the enrolment.
    exits = PathStage.objects.filter(activity__organisation=demo, stage=Stage.EXITED)
    assert exits.count() == stages[Stage.EXITED]
    assert not exits.filter(exit_reason="").exists()
    assert len(set(exits.values_list("exit_reason", flat=True))) >= 4
    assert not Enrolment.objects.filter(activity__stage=Stage.EXITED, ends_on__isnull=True).exists()

    # Holders are admitted members; some collectives have two to four; legal persons too.
    holders = Member.objects.filter(holdings__activity__organisation=demo)
    assert set(holders.values_list("status", flat=True)) == {Member.Status.ADMITTED}
    sizes = Counter(
        activities.filter(profile="collective")
        .annotate(n=Count("holdings"))
        .values_list("n", flat=True)
    )
    assert sum(n for size, n in sizes.items() if 2 <= size <= 4) >= 3
    assert activities.filter(
        holdings__member__kind=Member.Kind.LEGAL, profile="collective"
    ).exists()
    # Advisers are staff of the local offices.
    advisers = Person.objects.filter(advised_activities__organisation=demo).distinct()
    assert 5 <= advisers.count() <= 7
    assert not advisers.exclude(roles__kind=Role.Kind.STAFF).exists()
    assert set(activities.values_list("office__kind", flat=True)) == {Unit.Kind.LOCAL_OFFICE}
    # Shares are verified for most holdings.
    verified = activities.filter(
        stage__in=ON_THEIR_WAY, holdings__shares_verified__isnull=False
    ).distinct()
    assert verified.count() > 0.8 * on_their_way.count()


def test_sofia_follows_her_activities_with_flags_and_follow_ups_due(demo: Organisation) -> None:
    sofia = person(demo, "Sofia", "Haddad")
    hers = list(Activity.objects.filter(organisation=demo, advisers=sofia))
    assert len(hers) >= 20
    assert {a.office.code for a in hers if a.office} == {"bureau-charleroi"}
    found = flags(hers, TODAY)
    kinds = {breach.kind for breaches in found.values() for breach in breaches}
    assert {"contribution", "shares", "support"} <= kinds
    assert 3 <= sum(1 for breaches in found.values() if breaches) < len(hers)
    due = follow_ups(hers, TODAY)
    assert due and all(f.last_meeting is None or f.days_since > 183 for f in due)
    assert SupportMeeting.objects.filter(
        activity__in=hers, status=SupportMeeting.Status.PLANNED, held_on__gte=TODAY
    ).exists()

    # Jonas holds one activity, which Sofia followed from candidate to active in 2026.
    jonas = person(demo, "Jonas", "Peeters")
    activity = Activity.objects.get(holdings__member__person=jonas)
    assert activity.profile == "individual" and activity.stage == Stage.ACTIVE
    assert list(activity.advisers.all()) == [sofia]
    path = list(activity.path.values_list("stage", "on"))
    assert [stage for stage, _on in path] == [Stage.CANDIDATE, Stage.INTEGRATED, Stage.ACTIVE]
    assert {on.year for _stage, on in path} == {2026}
    enrolment = activity.enrolments.get()
    assert enrolment.accepted and enrolment.member_accepted_by == jonas
    assert enrolment.cooperative_accepted_by == sofia
    held = activity.support_meetings.filter(status=SupportMeeting.Status.HELD)
    assert held.count() >= 3 and {m.held_on.year for m in held} == {2026}
    assert (
        Participation.objects.filter(
            meeting__in=held, person=jonas, attendance=Participation.Attendance.ATTENDED
        ).count()
        == held.count()
    )
    assert activity.support_meetings.filter(status=SupportMeeting.Status.PLANNED).exists()
    assert found[activity.pk] == []
    assert activity.evaluations.count() == 2 and activity.needs.exists()


def test_the_accompaniment_is_recorded_and_the_needs_feed_the_offer_dossier(
    demo: Organisation,
) -> None:
    activities = Activity.objects.filter(organisation=demo)
    # Two years of support meetings, nothing held after today, some planned ahead.
    meetings = SupportMeeting.objects.filter(activity__organisation=demo)
    held = meetings.filter(status=SupportMeeting.Status.HELD)
    assert held.filter(held_on__year=2025).exists() and held.filter(held_on__year=2026).exists()
    assert not held.filter(held_on__gt=TODAY).exists()
    assert not meetings.filter(status=SupportMeeting.Status.PLANNED, held_on__lt=TODAY).exists()
    assert meetings.filter(status=SupportMeeting.Status.PLANNED).count() >= ACTIVITIES // 8
    assert not held.filter(participations__isnull=True).exists()
    assert held.exclude(agreed_actions="").exclude(next_steps="").count() > 0.9 * held.count()
    attendance = set(
        Participation.objects.filter(meeting__in=held).values_list("attendance", flat=True)
    )
    assert {"attended", "absent", "excused"} <= attendance
    # Follow-ups due across the cooperative: left aside for six months, or never met.
    due = follow_ups(list(activities), TODAY)
    assert 8 <= len(due) <= 30

    # Contributions per quarter at the rate of the variant the activity was in; a few unpaid.
    contributions = Contribution.objects.filter(activity__organisation=demo).select_related(
        "enrolment__version"
    )
    assert contributions.count() > ACTIVITIES
    for contribution in contributions:
        assert contribution.rate == contribution.enrolment.version.contribution_rate
        assert contribution.period_start.month in (1, 4, 7, 10)
    unpaid = {c.activity_id for c in contributions if c.is_unpaid(TODAY)}
    assert 5 <= len(unpaid) <= 20

    # Competence grids evaluated at set dates, showing progress.
    evaluated = activities.filter(evaluations__isnull=False).distinct()
    assert 25 <= evaluated.count() <= 35
    assert not Evaluation.objects.filter(evaluated_on__gt=TODAY).exists()
    assert Score.objects.filter(evaluation__activity__organisation=demo).count() == (
        6 * Evaluation.objects.filter(activity__organisation=demo).count()
    )
    progressed = 0
    for activity in evaluated:
        series = grid_progress(activity)
        assert series is not None and len(series.competences) == 6
        progressed += series.averages[-1] > series.averages[0]
    assert progressed > evaluated.count() // 2

    # The needs, aggregated per service, feed the offer's dossier at the December board.
    summaries = [s for s in needs_summary(demo) if s.total]
    assert len(summaries) == 8 and any(s.comments for s in summaries)
    dossier = Dossier.objects.get(organisation=demo, title="Refonte de l'offre de services")
    december = Meeting.objects.get(
        organisation=demo, kind__category="ordinary", starts_at__year=2026, starts_at__month=12
    )
    appearance = Appearance.objects.get(dossier=dossier, item__meeting=december)
    outcome = Outcome.objects.get(meeting=december, item=appearance.item)
    assert outcome.kind == Outcome.Kind.CONTRIBUTION
    assert outcome.text.startswith("Besoins exprimés par")
    assert summaries[0].service.name in outcome.text
