"""Every change to the offers and the accompaniment: the catalogue and its variants in
versions, activities and their path, enrolment in one variant at a time with commitments
accepted by both sides (O1), support meetings, milestones, competence grids, contributions and
the members' needs."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from coopgov.core.audit import record_event
from coopgov.core.models import Member, MemberCategory, Organisation, Person, Unit
from coopgov.core.validators import validate_same_organisation
from coopgov.dossiers import actions as dossier_actions
from coopgov.dossiers.models import Appearance, Dossier
from coopgov.dossiers.models import Stage as DossierStage
from coopgov.meetings import actions as meeting_actions
from coopgov.meetings.models import Meeting, Outcome
from coopgov.offers.models import (
    GRID_SCALE,
    Activity,
    ActivityMilestone,
    Competence,
    Contribution,
    Enrolment,
    Evaluation,
    Holding,
    Need,
    Offer,
    OfferService,
    OfferVersion,
    Participation,
    PathStage,
    Profile,
    Score,
    Service,
    Stage,
    SupportMeeting,
)
from coopgov.offers.rules import may_follow

ONE_DAY = datetime.timedelta(days=1)


def _event(
    actor: Person | None, action: str, target: object, org: Organisation, /, **data: object
) -> None:
    record_event(actor, f"offers.{action}", target=target, organisation=org, data=data)  # type: ignore[arg-type]


def _same_organisation(organisation: Organisation, **objects: object) -> None:
    validate_same_organisation(organisation.pk, **objects)


def member_side(activity: Activity) -> set[int]:
    """The people on the member's side of an activity: its holders (a natural person, or a
    legal person's permanent representative)."""
    return {
        pk
        for person_id, representative_id in activity.holdings.values_list(
            "member__person_id", "member__representative_id"
        )
        for pk in (person_id, representative_id)
        if pk is not None
    }


def _separate_sides(
    people: Iterable[Person | None], holders: set[int], field: str | None = None
) -> None:
    """The member's side and the cooperative's side of an activity are never the same person:
    a holder does not advise their own activity, verify their own shares or record their own
    payments."""
    for person in people:
        if person is not None and person.pk in holders:
            message = _(
                "Separation of sides: %(name)s holds this activity and cannot act for the "
                "cooperative on it."
            ) % {"name": person.full_name}
            raise ValidationError({field: message} if field else message)


# The catalogue


def add_service(
    actor: Person | None,
    *,
    organisation: Organisation,
    code: str,
    name: str,
    description: str = "",
    unit: Unit | None = None,
    funding: str = Service.Funding.CONTRIBUTION,
    funding_note: str = "",
    position: int = 0,
) -> Service:
    _same_organisation(organisation, unit=unit)
    if Service.objects.filter(organisation=organisation, code=code).exists():
        raise ValidationError({"code": _("A service already has this code.")})
    service = Service(
        organisation=organisation,
        code=code,
        name=name.strip(),
        description=description,
        unit=unit,
        funding=funding,
        funding_note=funding_note,
        position=position,
    )
    service.full_clean()
    with transaction.atomic():
        service.save()
        _event(actor, "service.added", service, organisation, name=service.name)
    return service


def create_offer(
    actor: Person | None,
    *,
    organisation: Organisation,
    code: str,
    name: str,
    summary: str = "",
    hypothesis: bool = False,
    dossier: Dossier | None = None,
    position: int = 0,
) -> Offer:
    """An offer variant; its design stays in its dossier, which the variant links to."""
    _same_organisation(organisation, dossier=dossier)
    if Offer.objects.filter(organisation=organisation, code=code).exists():
        raise ValidationError({"code": _("A variant already has this code.")})
    offer = Offer(
        organisation=organisation,
        code=code,
        name=name.strip(),
        summary=summary,
        hypothesis=hypothesis,
        dossier=dossier,
        position=position,
    )
    offer.full_clean()
    with transaction.atomic():
        offer.save()
        _event(actor, "offer.created", offer, organisation, name=offer.name)
    return offer


def publish_version(
    actor: Person | None,
    *,
    offer: Offer,
    valid_from: datetime.date,
    cooperative_commitments: str,
    contribution_rate: Decimal,
    levels: Mapping[Service, str | tuple[str, str]],
    valid_until: datetime.date | None = None,
    shares_required: int = 1,
    contribution_base: str = OfferVersion.Base.TURNOVER,
    minimum_annual_activity: Decimal | None = None,
    support_meetings_per_year: int = 0,
    participation_duties: str = "",
    eligible_categories: Iterable[MemberCategory] = (),
    eligible_profiles: Iterable[str] = (),
) -> OfferVersion:
    """A new version of the variant: what it renders (service → level, or (level, note)) and
    what each side commits to. Versions follow each other: an open-ended earlier version ends
    the day before this one starts; overlapping a dated version is refused."""
    profiles = sorted(set(eligible_profiles))
    categories = list(eligible_categories)
    errors: dict[str, str] = {}
    if not levels:
        errors["levels"] = _("O1: a variant lists the services it renders.")
    unknown = set(profiles) - set(Profile.values)
    if unknown:
        errors["eligible_profiles"] = _("Unknown activity profiles: %s") % ", ".join(
            sorted(unknown)
        )
    for service, level in levels.items():
        value = level[0] if isinstance(level, tuple) else level
        if value not in OfferService.Level.values:
            errors["levels"] = _("Choose a level for “%(service)s”.") % {"service": service}
        if service.organisation_id != offer.organisation_id:
            errors["levels"] = _("“%(service)s” belongs to another organisation.") % {
                "service": service
            }
    if any(c.organisation_id != offer.organisation_id for c in categories):
        errors["eligible_categories"] = _("This belongs to another organisation.")
    if valid_until is not None and valid_until < valid_from:
        errors["valid_until"] = _("Dates: a version ends after it starts.")
    if not cooperative_commitments.strip():
        errors["cooperative_commitments"] = _("O1: say what the cooperative commits to in return.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        Offer.objects.select_for_update().filter(pk=offer.pk).first()  # versions in turn
        previous = list(offer.versions.all())
        for other in previous:
            if other.valid_until is None and other.valid_from < valid_from:
                continue  # ends the day before, below
            ends = other.valid_until or datetime.date.max
            if other.valid_from <= (valid_until or datetime.date.max) and valid_from <= ends:
                raise ValidationError(
                    {
                        "valid_from": _(
                            "Versions: version %(number)s is valid from %(start)s; a new "
                            "version starts after it."
                        )
                        % {"number": other.number, "start": date_format(other.valid_from)}
                    }
                )
        version = OfferVersion(
            offer=offer,
            number=max((v.number for v in previous), default=0) + 1,
            valid_from=valid_from,
            valid_until=valid_until,
            cooperative_commitments=cooperative_commitments.strip(),
            shares_required=shares_required,
            contribution_rate=contribution_rate,
            contribution_base=contribution_base,
            minimum_annual_activity=minimum_annual_activity,
            support_meetings_per_year=support_meetings_per_year,
            participation_duties=participation_duties.strip(),
            eligible_profiles=profiles,
        )
        version.full_clean()
        for other in previous:
            if other.valid_until is None and other.valid_from < valid_from:
                if other.enrolments.filter(starts_on__gte=valid_from).exists():
                    raise ValidationError(
                        {
                            "valid_from": _(
                                "Versions: activities entered version %(number)s on or after "
                                "that day; the new version starts after them."
                            )
                            % {"number": other.number}
                        }
                    )
                other.valid_until = valid_from - ONE_DAY
                other.save(update_fields=["valid_until"])
        version.save()
        version.eligible_categories.set(categories)
        OfferService.objects.bulk_create(
            OfferService(
                version=version,
                service=service,
                level=level[0] if isinstance(level, tuple) else level,
                note=level[1] if isinstance(level, tuple) else "",
            )
            for service, level in levels.items()
        )
        _event(
            actor,
            "version.published",
            offer,
            offer.organisation,
            number=version.number,
            valid_from=valid_from.isoformat(),
            rate=str(contribution_rate),
        )
    return version


# Activities and their path


def open_activity(
    actor: Person | None,
    *,
    organisation: Organisation,
    name: str,
    sector: str,
    profile: str,
    started_on: datetime.date,
    holders: Sequence[Member],
    advisers: Sequence[Person] = (),
    office: Unit | None = None,
    description: str = "",
) -> Activity:
    """A candidate activity of one or several members, followed by its advisers."""
    holders = list(dict.fromkeys(holders))  # a member named twice holds it once
    if not holders:
        raise ValidationError({"holders": _("An activity is held by at least one member.")})
    for holder in holders:
        _same_organisation(organisation, holders=holder)
    for adviser in advisers:
        _same_organisation(organisation, advisers=adviser)
    _same_organisation(organisation, office=office)
    if started_on > timezone.localdate():
        raise ValidationError({"started_on": _("Dates: an activity starts today or before.")})
    _separate_sides(
        advisers,
        {pk for m in holders for pk in (m.person_id, m.representative_id) if pk is not None},
        "advisers",
    )
    activity = Activity(
        organisation=organisation,
        name=name.strip(),
        sector=sector.strip(),
        profile=profile,
        started_on=started_on,
        office=office,
        description=description,
    )
    activity.full_clean()
    with transaction.atomic():
        activity.save()
        Holding.objects.bulk_create(Holding(activity=activity, member=m) for m in holders)
        activity.advisers.set(advisers)
        PathStage.objects.create(
            activity=activity, stage=Stage.CANDIDATE, on=started_on, recorded_by=actor
        )
        _event(
            actor,
            "activity.opened",
            activity,
            organisation,
            holders=[m.number for m in holders],
            profile=profile,
        )
    return activity


def follow(
    actor: Person | None, *, activity: Activity, adviser: Person, stop: bool = False
) -> None:
    """An adviser starts (or stops) following the activity; a holder never advises it."""
    _same_organisation(activity.organisation, adviser=adviser)
    if not stop:
        _separate_sides([adviser], member_side(activity), "adviser")
    with transaction.atomic():
        (activity.advisers.remove if stop else activity.advisers.add)(adviser)
        _event(
            actor,
            "adviser.removed" if stop else "adviser.added",
            activity,
            activity.organisation,
            adviser=adviser.full_name,
        )


def advance(
    actor: Person | None,
    *,
    activity: Activity,
    stage: str,
    on: datetime.date,
    note: str = "",
    exit_reason: str = "",
) -> PathStage:
    """The next dated stage of the path: candidate → integrated → active ⇄ paused → exited.

    Integration is checked against the membership criteria: a holder admitted as a member and
    commitments accepted by both sides in an offer variant. Exiting gives a reason and ends the
    enrolment on that day."""
    with transaction.atomic():
        activity = Activity.objects.select_for_update().get(pk=activity.pk)
        last = activity.path.order_by("-on", "-pk").first()
        if not may_follow(activity.stage, stage):
            raise ValidationError(
                {
                    "stage": _("Path: %(current)s cannot become %(next)s.")
                    % {
                        "current": Stage(activity.stage).label,
                        "next": str(Stage(stage).label).lower() if stage in Stage.values else stage,
                    }
                }
            )
        if last is not None and on < last.on:
            raise ValidationError(
                {
                    "on": _("Path: a stage comes on or after the previous one (%(day)s).")
                    % {"day": date_format(last.on)}
                }
            )
        if on > timezone.localdate():
            raise ValidationError(
                {"on": _("Path: record a stage on the day it happens, not before.")}
            )
        if stage == Stage.INTEGRATED:
            if not activity.holders.filter(status=Member.Status.ADMITTED).exists():
                raise ValidationError(
                    _("Membership: an activity is integrated once a holder is an admitted member.")
                )
            enrolment = activity.enrolments.filter(ends_on__isnull=True).first()
            if enrolment is None or not enrolment.accepted or enrolment.starts_on > on:
                raise ValidationError(
                    _(
                        "O1: an activity is integrated in an offer variant whose commitments "
                        "both sides accepted."
                    )
                )
        if stage == Stage.EXITED:
            # The open enrolment ends on the exit day, which cannot come before it starts.
            pending = activity.enrolments.filter(ends_on__isnull=True, starts_on__gt=on).first()
            if pending is not None:
                raise ValidationError(
                    {
                        "on": _(
                            "Exit: the activity enters its variant on %(day)s; an exit comes "
                            "on or after that day."
                        )
                        % {"day": date_format(pending.starts_on)}
                    }
                )
        step = PathStage(
            activity=activity,
            stage=stage,
            on=on,
            note=note.strip(),
            exit_reason=exit_reason,
            recorded_by=actor,
        )
        step.full_clean()
        step.save()
        activity.stage = stage
        activity.save(update_fields=["stage"])
        if stage == Stage.EXITED:
            activity.enrolments.filter(ends_on__isnull=True).update(ends_on=on)
        _event(
            actor,
            "activity.stage",
            activity,
            activity.organisation,
            stage=stage,
            on=on.isoformat(),
            exit_reason=exit_reason,
        )
    return step


# Enrolment and commitments (O1)


def enrol(
    actor: Person | None,
    *,
    activity: Activity,
    version: OfferVersion,
    starts_on: datetime.date,
    review_on: datetime.date | None = None,
) -> Enrolment:
    """O1: the activity is in exactly one variant at a time. Enrolling in another variant is a
    dated change: the current enrolment ends the day before. The variant must be valid that day
    and fit the holders' categories and the activity's profile."""
    if version.offer.organisation_id != activity.organisation_id:
        raise ValidationError({"version": _("This variant belongs to another organisation.")})
    review = review_on or _a_year_after(starts_on)
    errors: dict[str, str] = {}
    if starts_on < activity.started_on:
        errors["starts_on"] = _("Dates: an enrolment starts on or after the activity's start.")
    if not version.is_valid_on(starts_on):
        errors["version"] = _("O1: version %(number)s of “%(offer)s” is not valid on %(day)s.") % {
            "number": version.number,
            "offer": version.offer.name,
            "day": date_format(starts_on),
        }
    profiles = version.eligible_profiles
    if profiles and activity.profile not in profiles:
        errors["version"] = _("Eligibility: “%(offer)s” is not offered to %(profile)s.") % {
            "offer": version.offer.name,
            "profile": str(Profile(activity.profile).label).lower(),
        }
    categories = set(version.eligible_categories.values_list("pk", flat=True))
    if categories:
        outside = [m for m in activity.holders.all() if m.category_id not in categories]
        if outside:
            errors["version"] = _(
                "Eligibility: “%(offer)s” is not open to the category of %(member)s."
            ) % {"offer": version.offer.name, "member": outside[0].display_name}
    if review <= starts_on:
        errors["review_on"] = _("Dates: the review comes after the enrolment starts.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        activity = Activity.objects.select_for_update().get(pk=activity.pk)
        if activity.stage == Stage.EXITED:
            raise ValidationError(_("This activity has exited the cooperative."))
        current = activity.enrolments.filter(ends_on__isnull=True).first()
        if current is not None:
            if starts_on <= current.starts_on:
                raise ValidationError(
                    {
                        "starts_on": _(
                            "O1: the activity is in “%(offer)s” since %(day)s; a change of "
                            "variant starts after that day."
                        )
                        % {
                            "offer": current.version.offer.name,
                            "day": date_format(current.starts_on),
                        }
                    }
                )
            current.ends_on = starts_on - ONE_DAY
            current.save(update_fields=["ends_on"])
        elif activity.enrolments.filter(ends_on__gte=starts_on).exists():
            raise ValidationError(
                {"starts_on": _("O1: the activity was already in a variant on that day.")}
            )
        enrolment = Enrolment(
            activity=activity, version=version, starts_on=starts_on, review_on=review
        )
        enrolment.full_clean(validate_constraints=False)
        enrolment.save()
        _event(
            actor,
            "activity.enrolled",
            activity,
            activity.organisation,
            offer=version.offer.code,
            version=version.number,
            starts_on=starts_on.isoformat(),
            previous=current.version.offer.code if current else "",
        )
    return enrolment


def _a_year_after(day: datetime.date) -> datetime.date:
    """The same day a year later (28 February after a 29 February)."""
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return day.replace(year=day.year + 1, day=28)


def accept_commitments(
    person: Person, *, enrolment: Enrolment, side: str, at: datetime.datetime | None = None
) -> Enrolment:
    """Each side accepts the variant's commitments explicitly: a holder of the activity for the
    member's side, one of its advisers for the cooperative's. Who and when are kept."""
    activity = enrolment.activity
    moment = at or timezone.now()
    if enrolment.ends_on is not None:
        raise ValidationError(_("Commitments: this enrolment has ended; accept the current one."))
    if side == "member":
        holders = {
            pk
            for holding in activity.holdings.select_related("member")
            for pk in (holding.member.person_id, holding.member.representative_id)
            if pk is not None
        }
        if person.pk not in holders:
            raise ValidationError(
                _("Commitments: a holder of the activity accepts for the member.")
            )
        if enrolment.member_accepted_at is not None:
            raise ValidationError(_("Commitments: the member's side has already accepted."))
        enrolment.member_accepted_by, enrolment.member_accepted_at = person, moment
    elif side == "cooperative":
        _separate_sides([person], member_side(activity))
        if not activity.advisers.filter(pk=person.pk).exists():
            raise ValidationError(
                _("Commitments: an adviser of the activity accepts for the cooperative.")
            )
        if enrolment.cooperative_accepted_at is not None:
            raise ValidationError(_("Commitments: the cooperative's side has already accepted."))
        enrolment.cooperative_accepted_by, enrolment.cooperative_accepted_at = person, moment
    else:
        raise ValidationError({"side": _("Choose the member's side or the cooperative's.")})
    with transaction.atomic():
        enrolment.save()
        _event(
            person,
            "commitments.accepted",
            activity,
            activity.organisation,
            side=side,
            offer=enrolment.version.offer.code,
            at=moment.isoformat(),
        )
    return enrolment


def review_commitments(
    actor: Person | None, *, enrolment: Enrolment, next_review_on: datetime.date, note: str = ""
) -> Enrolment:
    """The adviser reviewed the commitments with the holders; the next review is set."""
    if next_review_on <= timezone.localdate():
        raise ValidationError({"next_review_on": _("Dates: the next review comes after today.")})
    with transaction.atomic():
        enrolment.review_on = next_review_on
        enrolment.save(update_fields=["review_on"])
        _event(
            actor,
            "commitments.reviewed",
            enrolment.activity,
            enrolment.activity.organisation,
            next_review_on=next_review_on.isoformat(),
            note=note[:300],
        )
    return enrolment


def verify_shares(
    actor: Person | None, *, holding: Holding, shares: int, on: datetime.date | None = None
) -> Holding:
    day = on or timezone.localdate()
    _separate_sides([actor], member_side(holding.activity))
    if day > timezone.localdate():
        raise ValidationError({"on": _("Dates: a verification is made today or before.")})
    if not 0 <= shares <= 32767:
        raise ValidationError({"shares": _("Shares held: a whole number, zero or more.")})
    with transaction.atomic():
        holding.shares_verified, holding.verified_on = shares, day
        holding.save(update_fields=["shares_verified", "verified_on"])
        _event(
            actor,
            "shares.verified",
            holding.activity,
            holding.activity.organisation,
            member=holding.member.number,
            shares=shares,
        )
    return holding


def record_contribution(
    actor: Person | None,
    *,
    activity: Activity,
    period_start: datetime.date,
    period_end: datetime.date,
    base_amount: Decimal,
    due_on: datetime.date,
) -> Contribution:
    """The contribution of a period, at the rate of the variant the activity was in."""
    _separate_sides([actor], member_side(activity))
    enrolment = (
        activity.enrolments.select_related("version")
        .filter(starts_on__lte=period_start)
        .order_by("-starts_on")
        .first()
    )
    if enrolment is None or not enrolment.covers(period_start):
        raise ValidationError(
            {"period_start": _("O1: the activity was in no variant at the start of this period.")}
        )
    if base_amount < 0:
        raise ValidationError({"base_amount": _("The base is zero or more.")})
    if period_end < period_start:
        raise ValidationError({"period_end": _("Period: the period ends after it starts.")})
    rate = enrolment.version.contribution_rate
    contribution = Contribution(
        activity=activity,
        enrolment=enrolment,
        period_start=period_start,
        period_end=period_end,
        base_amount=base_amount,
        rate=rate,
        amount_due=(base_amount * rate / 100).quantize(Decimal("0.01"), ROUND_HALF_UP),
        due_on=due_on,
    )
    contribution.full_clean()
    with transaction.atomic():
        contribution.save()
        _event(
            actor,
            "contribution.recorded",
            activity,
            activity.organisation,
            period=[period_start.isoformat(), period_end.isoformat()],
            due=str(contribution.amount_due),
        )
    return contribution


def record_payment(
    actor: Person | None, *, contribution: Contribution, amount: Decimal, paid_on: datetime.date
) -> Contribution:
    _separate_sides([actor], member_side(contribution.activity))
    if amount <= 0:
        raise ValidationError({"amount": _("A payment is more than zero.")})
    if paid_on > timezone.localdate():
        raise ValidationError({"paid_on": _("Dates: a payment is recorded on or after its day.")})
    contribution.amount_paid += amount
    contribution.paid_on = paid_on
    contribution.clean_fields(exclude=["activity", "enrolment"])  # the amount fits its digits
    with transaction.atomic():
        contribution.save(update_fields=["amount_paid", "paid_on"])
        _event(
            actor,
            "contribution.paid",
            contribution.activity,
            contribution.activity.organisation,
            amount=str(amount),
            paid_on=paid_on.isoformat(),
        )
    return contribution


# Accompaniment over time


def record_support_meeting(
    actor: Person | None,
    *,
    activity: Activity,
    held_on: datetime.date,
    advisers: Sequence[Person],
    attendance: Mapping[Person, str] | None = None,
    status: str = SupportMeeting.Status.HELD,
    objectives: str = "",
    agreed_actions: str = "",
    next_steps: str = "",
    next_meeting_on: datetime.date | None = None,
) -> SupportMeeting:
    """A support meeting with its adviser(s), the participants' attendance, the objectives,
    the actions agreed and the next steps. A meeting held is in the past; one planned, ahead."""
    today = timezone.localdate()
    errors: dict[str, str] = {}
    if not advisers:
        errors["advisers"] = _("A support meeting has at least one adviser.")
    if status == SupportMeeting.Status.HELD and held_on > today:
        errors["held_on"] = _("Dates: a meeting held is dated today or before.")
    if status == SupportMeeting.Status.PLANNED and held_on < today:
        errors["held_on"] = _("Dates: a planned meeting is dated today or after.")
    if next_meeting_on is not None and next_meeting_on <= held_on:
        errors["next_meeting_on"] = _("Dates: the next meeting comes after this one.")
    for person in [*advisers, *(attendance or {})]:
        if person.organisation_id != activity.organisation_id:
            errors["advisers"] = _("This belongs to another organisation.")
    _separate_sides(advisers, member_side(activity), "advisers")
    participation = dict(attendance or {})
    for value in participation.values():
        if value not in Participation.Attendance.values:
            errors["attendance"] = _("Choose an attendance for each participant.")
    if errors:
        raise ValidationError(errors)
    meeting = SupportMeeting(
        activity=activity,
        held_on=held_on,
        status=status,
        objectives=objectives.strip(),
        agreed_actions=agreed_actions.strip(),
        next_steps=next_steps.strip(),
        next_meeting_on=next_meeting_on,
    )
    meeting.full_clean()
    with transaction.atomic():
        meeting.save()
        meeting.advisers.set(advisers)
        Participation.objects.bulk_create(
            Participation(meeting=meeting, person=person, attendance=value)
            for person, value in participation.items()
        )
        _event(
            actor,
            f"support.{status}",
            activity,
            activity.organisation,
            held_on=held_on.isoformat(),
            advisers=[a.full_name for a in advisers],
        )
    return meeting


def add_activity_milestone(
    actor: Person | None, *, activity: Activity, title: str, due_on: datetime.date
) -> ActivityMilestone:
    milestone = ActivityMilestone(activity=activity, title=title.strip(), due_on=due_on)
    milestone.full_clean()
    if due_on < activity.started_on:
        raise ValidationError({"due_on": _("Dates: a milestone comes after the activity starts.")})
    with transaction.atomic():
        milestone.save()
        _event(actor, "milestone.added", activity, activity.organisation, title=milestone.title)
    return milestone


def reach_activity_milestone(
    actor: Person | None, *, milestone: ActivityMilestone, done_on: datetime.date | None = None
) -> ActivityMilestone:
    day = done_on or timezone.localdate()
    if milestone.done_on is not None:
        raise ValidationError(_("This milestone is already reached."))
    if day > timezone.localdate():
        raise ValidationError({"done_on": _("Dates: a milestone is reached today or before.")})
    with transaction.atomic():
        milestone.done_on = day
        milestone.save(update_fields=["done_on"])
        _event(
            actor,
            "milestone.reached",
            milestone.activity,
            milestone.activity.organisation,
            title=milestone.title,
        )
    return milestone


def add_competence(
    actor: Person | None, *, organisation: Organisation, name: str, position: int = 0
) -> Competence:
    competence = Competence(organisation=organisation, name=name.strip(), position=position)
    competence.full_clean()
    with transaction.atomic():
        competence.save()
        _event(actor, "competence.added", competence, organisation, name=competence.name)
    return competence


def evaluate(
    actor: Person,
    *,
    activity: Activity,
    evaluated_on: datetime.date,
    scores: Mapping[Competence, int],
    comment: str = "",
) -> Evaluation:
    """The competence grid evaluated on a date: every competence of the grid, on its scale."""
    grid = list(Competence.objects.filter(organisation=activity.organisation))
    errors: dict[str, str] = {}
    if evaluated_on > timezone.localdate():
        errors["evaluated_on"] = _("Dates: an evaluation is made today or before.")
    for competence in grid:
        score = scores.get(competence)
        if score is None or not 1 <= score <= GRID_SCALE:
            errors[f"c{competence.pk}"] = _("“%(competence)s”: a score from 1 to %(top)s.") % {
                "competence": competence.name,
                "top": GRID_SCALE,
            }
    if any(c.organisation_id != activity.organisation_id for c in scores):
        errors["scores"] = _("This belongs to another organisation.")
    if not grid:
        errors["scores"] = _("The competence grid is empty: add its competences first.")
    if activity.evaluations.filter(evaluated_on=evaluated_on).exists():
        errors["evaluated_on"] = _("Dates: the grid was already evaluated that day.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        evaluation = Evaluation.objects.create(
            activity=activity, evaluated_on=evaluated_on, evaluator=actor, comment=comment.strip()
        )
        Score.objects.bulk_create(
            Score(evaluation=evaluation, competence=c, score=scores[c]) for c in grid
        )
        _event(
            actor,
            "grid.evaluated",
            activity,
            activity.organisation,
            evaluated_on=evaluated_on.isoformat(),
        )
    return evaluation


def state_need(
    person: Person, *, activity: Activity, service: Service, level: str, comment: str = ""
) -> Need:
    """What the activity needs from a service, in its holders' words (once per service; saying
    it again replaces it)."""
    if service.organisation_id != activity.organisation_id:
        raise ValidationError({"service": _("This belongs to another organisation.")})
    if level not in Need.Level.values:
        raise ValidationError({"level": _("Say how much the activity needs this service.")})
    with transaction.atomic():
        need, _created = Need.objects.update_or_create(
            activity=activity,
            service=service,
            defaults={
                "level": level,
                "comment": comment.strip()[:500],
                "stated_by": person,
                "stated_on": timezone.localdate(),
            },
        )
        _event(
            person,
            "need.stated",
            activity,
            activity.organisation,
            service=service.code,
            level=level,
        )
    return need


def feed_needs(
    actor: Person | None, *, dossier: Dossier, meeting: Meeting, summary: str
) -> Outcome:
    """The aggregated needs feed the offer's dossier: a contribution recorded at a meeting
    where the dossier is on the agenda (put on it for information if it is not)."""
    if not summary.strip():
        raise ValidationError({"summary": _("The needs summary is empty.")})
    with transaction.atomic():
        appearance = (
            Appearance.objects.filter(dossier=dossier, item__meeting=meeting)
            .select_related("item")
            .first()
        )
        if appearance is None:
            appearance = dossier_actions.put_on_agenda(
                actor,
                dossier=dossier,
                meeting=meeting,
                stage=DossierStage.INFORM,
                title=_("Members' needs — %(dossier)s") % {"dossier": dossier.title},
            )
        outcome = meeting_actions.record_outcome(
            actor,
            meeting=meeting,
            kind=Outcome.Kind.CONTRIBUTION,
            text=summary,
            item=appearance.item,
        )
        _event(actor, "needs.fed", dossier, dossier.organisation, meeting=str(meeting.code))
    return outcome
