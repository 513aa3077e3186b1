"""A deterministic dataset at the size of DESIGN.md §5: the demo cooperative (built through the
actions, so every rule holds) grown with bulk inserts that keep the same invariants — member
numbers from the organisation's counter, decisions numbered per body and year from their
counters, one open enrolment per activity, actions tied to a decision or a dossier.

At scale 1: 35,000 members, 20 bodies, ten years of meetings every two months, 5,000
dossiers, 10,000 decisions, 50,000 actions, 3,000 activities."""

from __future__ import annotations

import datetime
import random
import uuid
from collections import defaultdict

from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from coopgov.bodies import actions as body_actions
from coopgov.bodies.models import Body
from coopgov.core.demo import load_demo
from coopgov.core.models import Member, MemberCategory, Organisation, Person
from coopgov.dossiers.models import Action, Appearance, Decision, DecisionCounter, Dossier
from coopgov.meetings import actions as meeting_actions
from coopgov.meetings.models import AgendaItem, Meeting, MeetingKind
from coopgov.offers.models import Activity, Enrolment, Holding, OfferVersion, PathStage

FULL = {
    "members": 35_000,
    "bodies": 20,
    "years": 10,
    "dossiers": 5_000,
    "decisions": 10_000,
    "actions": 50_000,
    "activities": 3_000,
}
BATCH = 2_000
FIRST_NAMES = ("Alice", "Bruno", "Chloé", "David", "Emma", "Farid", "Gaëlle", "Hugo", "Inès", "Jan")
LAST_NAMES = ("Martin", "Peeters", "Dubois", "Janssens", "Lambert", "Maes", "Leclercq", "Claes")
SECTORS = (
    "Arts",
    "Graphisme",
    "Formation",
    "Informatique",
    "Bien-être",
    "Traduction",
    "Audiovisuel",
)


def sizes(scale: float) -> dict[str, int]:
    return {
        name: (count if name in {"bodies", "years"} else max(1, round(count * scale)))
        for name, count in FULL.items()
    }


def generate(scale: float = 1.0, seed: int = 2026) -> Organisation:
    rng = random.Random(seed)
    size = sizes(scale)
    org = load_demo()
    with transaction.atomic():
        _members(org, rng, size["members"])
        meetings = _bodies_and_meetings(org, size["bodies"], size["years"])
        dossiers = _dossiers(org, rng, size["dossiers"])
        decisions = _decisions(org, rng, meetings, dossiers, size["decisions"])
        _actions(org, rng, dossiers, decisions, size["actions"])
        _activities(org, rng, size["activities"])
    # A live database has statistics (autovacuum analyses tables after large inserts); bulk
    # inserts leave the planner guessing until then, so the benchmark measures after ANALYZE.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return org


def _members(org: Organisation, rng: random.Random, target: int) -> None:
    """People and members up to `target`, numbered from the organisation's counter."""
    existing = Member.objects.filter(organisation=org).count()
    missing = max(0, target - existing)
    categories = list(MemberCategory.objects.filter(organisation=org).order_by("position"))
    locked = Organisation.objects.select_for_update().get(pk=org.pk)
    number = locked.last_member_number
    for start in range(0, missing, BATCH):
        count = min(BATCH, missing - start)
        people = Person.objects.bulk_create(
            Person(
                organisation=org,
                first_name=rng.choice(FIRST_NAMES),
                last_name=f"{rng.choice(LAST_NAMES)}-{start + index}",
                email=f"member{start + index}@bench.example.org",
                preferred_language=rng.choice(("fr", "fr", "nl", "en")),
            )
            for index in range(count)
        )
        members = []
        for person in people:
            number += 1
            members.append(
                Member(
                    organisation=org,
                    number=number,
                    person=person,
                    category=rng.choices(categories, weights=(92, 5, 3)[: len(categories)])[0],
                    status=Member.Status.ADMITTED,
                    admission_date=datetime.date(2016, 1, 1)
                    + datetime.timedelta(days=rng.randrange(0, 3650)),
                )
            )
        Member.objects.bulk_create(members)
    locked.last_member_number = number
    locked.save(update_fields=["last_member_number"])


def _bodies_and_meetings(org: Organisation, bodies: int, years: int) -> list[Meeting]:
    """Working groups up to `bodies` bodies, each with an ordinary kind, and a meeting every
    two months for `years` years for each body that has an ordinary kind."""
    existing = list(Body.objects.filter(organisation=org))
    for index in range(len(existing), bodies):
        body = body_actions.create_body(
            None,
            organisation=org,
            code=f"groupe-{index}",
            name=f"Groupe de travail {index}",
            kind="working_group",
            may_decide=index % 2 == 0,
        )
        meeting_actions.add_meeting_kind(
            None,
            body=body,
            code="ordinary",
            name="Réunion",
            category="ordinary",
            notice_days=7,
        )
    kinds = MeetingKind.objects.filter(organisation=org, category="ordinary").select_related("body")
    first_year = timezone.localdate().year - years
    created = []
    for kind in kinds:
        taken = {
            (m.year, m.month)
            for m in Meeting.objects.filter(kind=kind).values_list("starts_at", flat=True)
        }
        for year in range(first_year, first_year + years):
            for month in range(1, 13, 2):
                if (year, month) in taken:
                    continue
                starts = datetime.datetime(
                    year, month, 12, 18, tzinfo=timezone.get_current_timezone()
                )
                created.append(
                    Meeting(
                        organisation=org,
                        kind=kind,
                        title=f"{kind.body.name} — {month:02d}/{year}",
                        starts_at=starts,
                        ends_at=starts + datetime.timedelta(hours=3),
                        status=Meeting.Status.HELD
                        if starts < timezone.now()
                        else Meeting.Status.PLANNED,
                    )
                )
    Meeting.objects.bulk_create(created, batch_size=BATCH)
    return list(
        Meeting.objects.filter(organisation=org, kind__category="ordinary", kind__may_decide=True)
        .filter(kind__body__may_decide=True)
        .select_related("kind__body")
        .order_by("starts_at")
    )


def _dossiers(org: Organisation, rng: random.Random, target: int) -> list[Dossier]:
    missing = max(0, target - Dossier.objects.filter(organisation=org).count())
    bodies = list(Body.objects.filter(organisation=org, may_decide=True))
    tags = ("budget", "strategy", "services", "values_ethics", "well_being")
    Dossier.objects.bulk_create(
        (
            Dossier(
                organisation=org,
                title=f"Dossier {index} — {rng.choice(SECTORS)}",
                description="Un dossier suivi sur plusieurs réunions.",
                origin_body=rng.choice(bodies),
                tags=[rng.choice(tags)],
                stage="implement",
            )
            for index in range(missing)
        ),
        batch_size=BATCH,
    )
    return list(Dossier.objects.filter(organisation=org).order_by("pk"))


def _decisions(
    org: Organisation,
    rng: random.Random,
    meetings: list[Meeting],
    dossiers: list[Dossier],
    target: int,
) -> list[Decision]:
    """Decision items in deciding meetings, each with its numbered decision (D6: numbers per
    body and year follow the counters, which end at the last number given)."""
    missing = max(0, target - Decision.objects.filter(organisation=org).count())
    held = [m for m in meetings if m.starts_at < timezone.now()]
    chosen = sorted((rng.choice(held) for _ in range(missing)), key=lambda m: (m.starts_at, m.pk))
    positions: dict[int, int] = dict(
        AgendaItem.objects.filter(meeting__in=held)
        .values("meeting_id")
        .annotate(last=Max("position"))
        .values_list("meeting_id", "last")
    )
    items = []
    for meeting in chosen:
        positions[meeting.pk] = positions.get(meeting.pk, 0) + 1
        items.append(
            AgendaItem(
                meeting=meeting,
                position=positions[meeting.pk],
                title="Point à décider",
                purpose=AgendaItem.Purpose.DECISION,
            )
        )
    items = AgendaItem.objects.bulk_create(items, batch_size=BATCH)
    counters = {
        (c.body_id, c.year): c for c in DecisionCounter.objects.filter(body__organisation=org)
    }
    decisions, appearances = [], []
    for item, meeting in zip(items, chosen, strict=True):
        body = meeting.kind.body
        day = timezone.localtime(meeting.starts_at).date()
        counter = counters.get((body.pk, day.year))
        if counter is None:
            counter = counters[(body.pk, day.year)] = DecisionCounter(
                body=body, year=day.year, last=0
            )
        counter.last += 1
        dossier = rng.choice(dossiers)
        yes = rng.randint(6, 12)
        decisions.append(
            Decision(
                organisation=org,
                body=body,
                year=day.year,
                sequence=counter.last,
                number=f"{body.code.upper()}-{day.year}-{counter.last:03d}",
                dossier=dossier,
                item=item,
                title=f"Décision sur {dossier.title}",
                text="Le conseil décide après délibération.",
                method=Decision.Method.SHOW_OF_HANDS,
                majority="simple",
                yes=yes,
                no=rng.randint(0, 3),
                abstain=rng.randint(0, 2),
                adopted=True,
                decided_on=day,
            )
        )
        appearances.append(Appearance(dossier=dossier, item=item, stage="decide"))
    Decision.objects.bulk_create(decisions, batch_size=BATCH)
    Appearance.objects.bulk_create(appearances, batch_size=BATCH)
    for counter in counters.values():
        counter.save()
    return list(Decision.objects.filter(organisation=org).order_by("pk"))


def _actions(
    org: Organisation,
    rng: random.Random,
    dossiers: list[Dossier],
    decisions: list[Decision],
    target: int,
) -> None:
    missing = max(0, target - Action.objects.filter(organisation=org).count())
    owners = list(Person.objects.filter(organisation=org, roles__isnull=False).distinct())
    statuses = [s for s, _label in Action.Status.choices]
    today = timezone.localdate()
    Action.objects.bulk_create(
        (
            Action(
                organisation=org,
                decision=(decision := rng.choice(decisions)),
                dossier=decision.dossier,
                title=f"Suite {index} de {decision.number}",
                owner=rng.choice(owners),
                due_on=today + datetime.timedelta(days=rng.randrange(-1500, 400)),
                status=rng.choice(statuses),
            )
            for index in range(missing)
        ),
        batch_size=BATCH,
    )
    del dossiers


def _activities(org: Organisation, rng: random.Random, target: int) -> None:
    """Active activities, each held by a member and enrolled in one variant valid on its start
    (O1: one open enrolment each), with both acceptances recorded."""
    missing = max(0, target - Activity.objects.filter(organisation=org).count())
    taken = set(
        Holding.objects.filter(activity__organisation=org).values_list("member_id", flat=True)
    )
    members = list(
        Member.objects.filter(organisation=org, status=Member.Status.ADMITTED, person__isnull=False)
        .exclude(pk__in=taken)
        .select_related("person")[:missing]
    )
    versions = [
        v
        for v in OfferVersion.objects.filter(offer__organisation=org).order_by("pk")
        if v.valid_until is None
    ]
    advisers = list(Person.objects.filter(organisation=org, roles__kind="staff").distinct())
    now = timezone.now()
    activities = Activity.objects.bulk_create(
        (
            Activity(
                organisation=org,
                code=uuid.UUID(int=rng.getrandbits(128), version=4),
                name=f"{member.person.full_name} — {rng.choice(SECTORS)}",  # type: ignore[union-attr]
                sector=rng.choice(SECTORS),
                profile="individual",
                started_on=datetime.date(2025, 1, 15),
                stage="active",
            )
            for member in members
        ),
        batch_size=BATCH,
    )
    holdings, stages, enrolments = [], [], []
    adviser_links: dict[int, list[int]] = defaultdict(list)
    for activity, member in zip(activities, members, strict=True):
        version = rng.choice(versions)
        holdings.append(
            Holding(
                activity=activity, member=member, shares_verified=3, verified_on=activity.started_on
            )
        )
        stages += [
            PathStage(activity=activity, stage="candidate", on=activity.started_on),
            PathStage(activity=activity, stage="integrated", on=datetime.date(2025, 2, 1)),
            PathStage(activity=activity, stage="active", on=datetime.date(2025, 3, 1)),
        ]
        adviser = rng.choice(advisers)
        adviser_links[adviser.pk].append(activity.pk)
        enrolments.append(
            Enrolment(
                activity=activity,
                version=version,
                starts_on=max(datetime.date(2025, 2, 1), version.valid_from),
                review_on=datetime.date(2027, 2, 1),
                member_accepted_by=member.person,
                member_accepted_at=now,
                cooperative_accepted_by=adviser,
                cooperative_accepted_at=now,
            )
        )
    Holding.objects.bulk_create(holdings, batch_size=BATCH)
    PathStage.objects.bulk_create(stages, batch_size=BATCH)
    Enrolment.objects.bulk_create(enrolments, batch_size=BATCH)
    through = Activity.advisers.through
    through.objects.bulk_create(
        (
            through(activity_id=activity_id, person_id=person_id)
            for person_id, ids in adviser_links.items()
            for activity_id in ids
        ),
        batch_size=BATCH,
    )
