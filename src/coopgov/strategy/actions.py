"""Every change to the strategy: plans and their revisions, axes, objectives, workstreams,
milestones and indicators, the directions' progress updates (which the news round of a meeting
gathers), and the reviews in which a body checks the strategy."""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from coopgov.bodies.models import Body
from coopgov.core.audit import record_event
from coopgov.core.models import Organisation, Person, Unit
from coopgov.core.validators import validate_same_organisation
from coopgov.dossiers import actions as dossier_actions
from coopgov.dossiers.models import Action, Appearance, Decision, Dossier, Stage
from coopgov.meetings import actions as meeting_actions
from coopgov.meetings.models import AgendaItem, Meeting, Outcome, Session
from coopgov.strategy.models import (
    Axis,
    Indicator,
    IndicatorValue,
    Milestone,
    Objective,
    Plan,
    ProgressUpdate,
    Review,
    ReviewQuestion,
    ReviewResponse,
    ReviewScore,
    Workstream,
    WorkstreamReport,
)
from coopgov.strategy.queries import eligible_respondents, latest_updates

DEFAULT_QUESTIONS = (
    gettext_noop("Does this axis speak to you?"),
    gettext_noop("Does it match the needs of the moment?"),
)


def _event(
    actor: Person | None, action: str, target: object, org: Organisation, /, **data: object
) -> None:
    record_event(actor, f"strategy.{action}", target=target, organisation=org, data=data)  # type: ignore[arg-type]


def _assert_draft(plan: Plan) -> None:
    if not plan.is_draft:
        raise ValidationError(
            _(
                "Versions: the axes and objectives of a plan in force are fixed; derive a "
                "revision to change them."
            )
        )


def _same_organisation(organisation: Organisation, **objects: object) -> None:
    validate_same_organisation(organisation.pk, **objects)


def create_plan(
    actor: Person | None,
    *,
    organisation: Organisation,
    title: str,
    starts_year: int,
    ends_year: int,
    body: Body,
    summary: str = "",
    confidentiality: str = "members",
    dossier: Dossier | None = None,
) -> Plan:
    """A new plan, as a draft: its axes and objectives are written before it is approved."""
    _same_organisation(organisation, body=body, dossier=dossier)
    plan = Plan(
        organisation=organisation,
        title=title.strip(),
        starts_year=starts_year,
        ends_year=ends_year,
        body=body,
        summary=summary,
        confidentiality=confidentiality,
        dossier=dossier,
    )
    plan.full_clean()
    with transaction.atomic():
        plan.save()
        _event(actor, "plan.created", plan, organisation, title=plan.title)
    return plan


def add_axis(
    actor: Person | None, *, plan: Plan, title: str, description: str = "", weight: int = 1
) -> Axis:
    _assert_draft(plan)
    position = (plan.axes.aggregate(last=Max("position"))["last"] or 0) + 1
    axis = Axis(
        plan=plan, position=position, title=title.strip(), description=description, weight=weight
    )
    axis.full_clean()
    with transaction.atomic():
        axis.save()
        _event(actor, "axis.added", plan, plan.organisation, title=axis.title, weight=weight)
    return axis


def add_objective(
    actor: Person | None, *, axis: Axis, title: str, description: str = "", weight: int = 1
) -> Objective:
    _assert_draft(axis.plan)
    position = (axis.objectives.aggregate(last=Max("position"))["last"] or 0) + 1
    objective = Objective(
        axis=axis, position=position, title=title.strip(), description=description, weight=weight
    )
    objective.full_clean()
    with transaction.atomic():
        objective.save()
        _event(actor, "objective.added", axis.plan, axis.plan.organisation, title=objective.title)
    return objective


def edit_axis(
    actor: Person | None, *, axis: Axis, title: str, weight: int, description: str | None = None
) -> Axis:
    """Rename or reweight an axis of a draft (a revision shows it as changed)."""
    return _edit(actor, axis, axis.plan, title=title, weight=weight, description=description)


def edit_objective(
    actor: Person | None,
    *,
    objective: Objective,
    title: str,
    weight: int,
    description: str | None = None,
) -> Objective:
    return _edit(
        actor,
        objective,
        objective.axis.plan,
        title=title,
        weight=weight,
        description=description,
    )


def _edit[Part: (Axis, Objective)](
    actor: Person | None,
    part: Part,
    plan: Plan,
    *,
    title: str,
    weight: int,
    description: str | None,
) -> Part:
    _assert_draft(plan)
    before = {"title": part.title, "weight": part.weight}
    part.title = title.strip()
    part.weight = weight
    if description is not None:
        part.description = description
    part.full_clean()
    with transaction.atomic():
        part.save()
        _event(
            actor,
            f"{part._meta.model_name}.edited",
            plan,
            plan.organisation,
            before=before,
            after={"title": part.title, "weight": part.weight},
        )
    return part


def remove_axis(actor: Person | None, *, axis: Axis) -> None:
    plan = axis.plan
    _assert_draft(plan)
    with transaction.atomic():
        if Workstream.objects.filter(objective__axis=axis).exists():
            raise ValidationError(
                _("This axis has workstreams: move or remove them before removing the axis.")
            )
        title = axis.title
        axis.delete()
        _event(actor, "axis.removed", plan, plan.organisation, title=title)


def remove_objective(actor: Person | None, *, objective: Objective) -> None:
    plan = objective.axis.plan
    _assert_draft(plan)
    with transaction.atomic():
        if objective.workstreams.exists():
            raise ValidationError(
                _("This objective has workstreams: remove them before removing the objective.")
            )
        title = objective.title
        objective.delete()
        _event(actor, "objective.removed", plan, plan.organisation, title=title)


def _assert_followed(plan: Plan) -> None:
    if plan.status == Plan.Status.SUPERSEDED:
        raise ValidationError(
            _("Versions: this plan was replaced by a revision; follow the revision instead.")
        )


def add_workstream(
    actor: Person | None,
    *,
    objective: Objective,
    title: str,
    owner_unit: Unit,
    starts_on: datetime.date,
    ends_on: datetime.date,
    sponsor: Person | None = None,
    description: str = "",
    weight: int = 1,
) -> Workstream:
    """A workstream may be added to a draft or to a plan in force: the plan's structure is
    fixed, the work that serves it is not. It is carried by a direction."""
    plan = objective.axis.plan
    _assert_followed(plan)
    _same_organisation(plan.organisation, owner_unit=owner_unit, sponsor=sponsor)
    if owner_unit.kind != Unit.Kind.DIRECTION:
        raise ValidationError(
            {
                "owner_unit": _(
                    "Direction: a workstream is carried by a direction of the management."
                )
            }
        )
    workstream = Workstream(
        organisation=plan.organisation,
        objective=objective,
        title=title.strip(),
        description=description,
        owner_unit=owner_unit,
        sponsor=sponsor,
        starts_on=starts_on,
        ends_on=ends_on,
        weight=weight,
    )
    workstream.full_clean()
    with transaction.atomic():
        workstream.save()
        _event(
            actor,
            "workstream.added",
            workstream,
            plan.organisation,
            plan=str(plan.code),
            direction=owner_unit.code,
        )
    return workstream


def add_milestone(
    actor: Person | None, *, workstream: Workstream, title: str, due_on: datetime.date
) -> Milestone:
    _assert_followed(workstream.objective.axis.plan)
    milestone = Milestone(workstream=workstream, title=title.strip(), due_on=due_on)
    milestone.full_clean()
    if not workstream.starts_on <= due_on <= workstream.ends_on:
        raise ValidationError(
            {"due_on": _("Dates: a milestone falls within its workstream's dates.")}
        )
    with transaction.atomic():
        milestone.save()
        _event(
            actor,
            "milestone.added",
            workstream,
            workstream.organisation,
            title=milestone.title,
            due_on=due_on.isoformat(),
        )
    return milestone


def reach_milestone(
    actor: Person | None, *, milestone: Milestone, done_on: datetime.date | None = None
) -> Milestone:
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
            milestone.workstream,
            milestone.workstream.organisation,
            title=milestone.title,
            done_on=day.isoformat(),
            late=day > milestone.due_on,
        )
    return milestone


def add_indicator(
    actor: Person | None,
    *,
    workstream: Workstream,
    name: str,
    target: Decimal,
    unit: str = "",
    baseline: Decimal | None = None,
    target_on: datetime.date | None = None,
    higher_is_better: bool = True,
) -> Indicator:
    _assert_followed(workstream.objective.axis.plan)
    indicator = Indicator(
        workstream=workstream,
        name=name.strip(),
        unit=unit.strip(),
        baseline=baseline,
        target=target,
        target_on=target_on,
        higher_is_better=higher_is_better,
    )
    indicator.full_clean()
    with transaction.atomic():
        indicator.save()
        _event(
            actor,
            "indicator.added",
            workstream,
            workstream.organisation,
            name=indicator.name,
            target=str(target),
        )
    return indicator


def record_indicator_value(
    actor: Person | None,
    *,
    indicator: Indicator,
    measured_on: datetime.date,
    value: Decimal,
    note: str = "",
) -> IndicatorValue:
    if measured_on > timezone.localdate():
        raise ValidationError({"measured_on": _("Dates: a value is measured today or before.")})
    if indicator.values.filter(measured_on=measured_on).exists():
        raise ValidationError(
            {
                "measured_on": _("Dates: this indicator already has a value on %(day)s.")
                % {"day": date_format(measured_on)}
            }
        )
    entry = IndicatorValue(indicator=indicator, measured_on=measured_on, value=value, note=note)
    entry.full_clean()
    with transaction.atomic():
        entry.save()
        _event(
            actor,
            "indicator.measured",
            indicator.workstream,
            indicator.workstream.organisation,
            indicator=indicator.name,
            measured_on=measured_on.isoformat(),
            value=str(value),
        )
    return entry


def link_workstream(
    actor: Person | None,
    *,
    workstream: Workstream,
    dossier: Dossier | None = None,
    decision: Decision | None = None,
    action: Action | None = None,
) -> Workstream:
    """Tie a workstream to the dossiers, decisions and actions that serve it."""
    if dossier is None and decision is None and action is None:
        raise ValidationError(_("Choose a dossier, a decision or an action to link."))
    _same_organisation(workstream.organisation, dossier=dossier, decision=decision, action=action)
    with transaction.atomic():
        if dossier is not None:
            workstream.dossiers.add(dossier)
        if decision is not None:
            workstream.decisions.add(decision)
        if action is not None:
            workstream.actions.add(action)
        _event(
            actor,
            "workstream.linked",
            workstream,
            workstream.organisation,
            linked=[str(t) for t in (dossier, decision, action) if t is not None],
        )
    return workstream


def derive_plan(
    actor: Person | None,
    *,
    source: Plan,
    title: str,
    starts_year: int,
    ends_year: int,
    change_note: str = "",
    dossier: Dossier | None = None,
    summary: str | None = None,
) -> Plan:
    """A revision (a narrowed strategy, a new horizon): a draft copy of the plan's axes,
    objectives, workstreams, milestones and indicators, each pointing to where it came from.
    The draft is then narrowed or extended; its page shows what changed."""
    if source.status != Plan.Status.APPROVED:
        raise ValidationError(_("Versions: derive a revision from the plan in force."))
    if not change_note.strip():
        raise ValidationError({"change_note": _("Say what the revision changes and why.")})
    with transaction.atomic():
        plan = create_plan(
            actor,
            organisation=source.organisation,
            title=title,
            starts_year=starts_year,
            ends_year=ends_year,
            body=source.body,
            summary=source.summary if summary is None else summary,
            confidentiality=source.confidentiality,
            dossier=dossier or source.dossier,
        )
        plan.derived_from = source
        plan.change_note = change_note.strip()
        plan.save(update_fields=["derived_from", "change_note"])
        for axis in source.axes.prefetch_related(
            "objectives__workstreams__milestones",
            "objectives__workstreams__indicators__values",
            "objectives__workstreams__dossiers",
            "objectives__workstreams__decisions",
            "objectives__workstreams__actions",
        ):
            new_axis = Axis.objects.create(
                plan=plan,
                position=axis.position,
                title=axis.title,
                description=axis.description,
                weight=axis.weight,
                source=axis,
            )
            for objective in axis.objectives.all():
                new_objective = Objective.objects.create(
                    axis=new_axis,
                    position=objective.position,
                    title=objective.title,
                    description=objective.description,
                    weight=objective.weight,
                    source=objective,
                )
                for workstream in objective.workstreams.all():
                    _copy_workstream(workstream, new_objective)
        _event(
            actor,
            "plan.derived",
            plan,
            plan.organisation,
            source=str(source.code),
            change_note=plan.change_note,
        )
    return plan


def _copy_workstream(workstream: Workstream, objective: Objective) -> Workstream:
    copy = Workstream.objects.create(
        organisation=workstream.organisation,
        objective=objective,
        title=workstream.title,
        description=workstream.description,
        owner_unit_id=workstream.owner_unit_id,
        sponsor_id=workstream.sponsor_id,
        starts_on=workstream.starts_on,
        ends_on=workstream.ends_on,
        status=workstream.status,
        progress=workstream.progress,
        weight=workstream.weight,
        source=workstream,
    )
    copy.dossiers.set(workstream.dossiers.all())
    copy.decisions.set(workstream.decisions.all())
    copy.actions.set(workstream.actions.all())
    Milestone.objects.bulk_create(
        Milestone(workstream=copy, title=m.title, due_on=m.due_on, done_on=m.done_on)
        for m in workstream.milestones.all()
    )
    for indicator in workstream.indicators.all():
        new = Indicator.objects.create(
            workstream=copy,
            name=indicator.name,
            unit=indicator.unit,
            baseline=indicator.baseline,
            target=indicator.target,
            target_on=indicator.target_on,
            higher_is_better=indicator.higher_is_better,
        )
        IndicatorValue.objects.bulk_create(
            IndicatorValue(indicator=new, measured_on=v.measured_on, value=v.value, note=v.note)
            for v in indicator.values.all()
        )
    return copy


def remove_workstream(actor: Person | None, *, workstream: Workstream) -> None:
    """Only from a draft: in a plan in force, a workstream is paused or done, not erased."""
    plan = workstream.objective.axis.plan
    if not plan.is_draft:
        raise ValidationError(
            _("Versions: a workstream of a plan in force is paused or closed, not removed.")
        )
    with transaction.atomic():
        title = workstream.title
        workstream.delete()
        _event(actor, "workstream.removed", plan, plan.organisation, title=title)


def approve_plan(
    actor: Person | None,
    *,
    plan: Plan,
    decision: Decision | None = None,
    reference: str = "",
    approved_on: datetime.date | None = None,
) -> Plan:
    """A plan comes into force through an adopted decision of a deciding body (the general
    assembly, the board), or, for an approval taken before the cooperative used coopgov, a
    reference to it and its date. Approving a revision supersedes the plan it came from."""
    if not plan.is_draft:
        raise ValidationError(_("This plan is already approved."))
    if decision is not None:
        if decision.organisation_id != plan.organisation_id:
            raise ValidationError({"decision": _("This decision belongs to another organisation.")})
        if not decision.adopted:
            raise ValidationError(
                {"decision": _("Approval: this decision was not adopted; it approves nothing.")}
            )
        approved_on = decision.decided_on
        reference = ""
    elif not reference.strip() or approved_on is None:
        raise ValidationError(
            {
                "decision": _(
                    "Approval: choose the decision that approved the plan, or give the "
                    "reference and the date of an approval recorded elsewhere."
                )
            }
        )
    if not plan.axes.exists():
        raise ValidationError(_("A plan has at least one axis before it is approved."))
    if plan.derived_from is not None and plan.derived_from.status == Plan.Status.SUPERSEDED:
        raise ValidationError(
            _(
                "Versions: the plan this revision came from was already replaced by another "
                "revision; derive from the plan in force instead."
            )
        )
    with transaction.atomic():
        plan.status = Plan.Status.APPROVED
        plan.decision = decision
        plan.approval_reference = reference.strip()
        plan.approved_on = approved_on
        plan.save(update_fields=["status", "decision", "approval_reference", "approved_on"])
        source = plan.derived_from
        if source is not None and source.status == Plan.Status.APPROVED:
            source.status = Plan.Status.SUPERSEDED
            source.save(update_fields=["status"])
        _event(
            actor,
            "plan.approved",
            plan,
            plan.organisation,
            decision=decision.number if decision else "",
            reference=plan.approval_reference,
            approved_on=approved_on.isoformat() if approved_on else "",
        )
    return plan


@dataclass(frozen=True)
class Report:
    """Where one workstream stands, as a direction reports it."""

    workstream: Workstream
    progress: int
    status: str
    comment: str = ""


def write_progress_update(
    actor: Person | None,
    *,
    unit: Unit,
    period_start: datetime.date,
    period_end: datetime.date,
    title: str,
    text: str,
    reports: Sequence[Report] = (),
    now: datetime.datetime | None = None,
) -> ProgressUpdate:
    """A direction's news for a period and where each of its workstreams stands. The reports
    become the workstreams' progress and status unless a later period was already reported."""
    if unit.kind != Unit.Kind.DIRECTION:
        raise ValidationError(
            {"unit": _("Direction: progress updates are written by a direction.")}
        )
    if not text.strip():
        raise ValidationError({"text": _("Write the direction's news.")})
    moment = now or timezone.now()
    if period_start > timezone.localdate(moment):
        raise ValidationError({"period_start": _("Period: report on a period that has begun.")})
    errors: list[str] = []
    seen: set[int] = set()
    for report in reports:
        workstream = report.workstream
        name = workstream.title
        if workstream.pk in seen:
            errors.append(_("“%(name)s” is reported twice.") % {"name": name})
        seen.add(workstream.pk)
        if workstream.owner_unit_id != unit.pk:
            errors.append(
                _("“%(name)s” is carried by another direction: each direction reports on its own.")
                % {"name": name}
            )
        if workstream.objective.axis.plan.status != Plan.Status.APPROVED:
            errors.append(_("“%(name)s” belongs to a plan that is not in force.") % {"name": name})
        if not 0 <= report.progress <= 100:
            errors.append(_("Progress of “%(name)s”: between 0 and 100 %%.") % {"name": name})
        if report.status not in Workstream.Status.values:
            errors.append(_("Status of “%(name)s”: choose a status.") % {"name": name})
        if report.status == Workstream.Status.DONE and report.progress != 100:
            errors.append(
                _("Progress of “%(name)s”: a workstream reported done is at 100 %%.")
                % {"name": name}
            )
    if errors:
        raise ValidationError({"reports": errors})
    update = ProgressUpdate(
        organisation=unit.organisation,
        unit=unit,
        period_start=period_start,
        period_end=period_end,
        title=title.strip(),
        text=text.strip(),
        author=actor,
        written_at=moment,
    )
    update.full_clean()
    with transaction.atomic():
        update.save()
        for report in reports:
            WorkstreamReport.objects.create(
                update=update,
                workstream=report.workstream,
                progress=report.progress,
                status=report.status,
                comment=report.comment.strip(),
            )
            later = report.workstream.reports.filter(update__period_end__gt=period_end).exists()
            if not later:
                Workstream.objects.filter(pk=report.workstream.pk).update(
                    progress=report.progress, status=report.status
                )
        _event(
            actor,
            "update.written",
            update,
            unit.organisation,
            direction=unit.code,
            period=[period_start.isoformat(), period_end.isoformat()],
            workstreams=len(reports),
        )
    return update


def gather_news(actor: Person | None, *, session: Session) -> list[AgendaItem]:
    """A news-round session of a meeting gathers each direction's latest update, written by the
    start of the meeting: one information item per direction, presented by its author, with the
    update as a document so that it travels in the board book. A direction already gathered in
    this session is left as it is."""
    if session.kind != Session.Kind.NEWS_ROUND:
        raise ValidationError(
            {
                "session": _(
                    "News round: only a session of news from the directions gathers updates."
                )
            }
        )
    meeting = session.meeting
    already = set(
        ProgressUpdate.objects.filter(items__session=session).values_list("unit_id", flat=True)
    )
    updates = [
        update
        for update in latest_updates(meeting.organisation, until=meeting.starts_at)
        if update.unit_id not in already
    ]
    items = []
    with transaction.atomic():
        for update in updates:
            presenter = update.author or update.unit.head
            item = meeting_actions.add_to_agenda(
                actor,
                meeting=meeting,
                title=_("News — %(direction)s") % {"direction": update.unit.name},
                purpose=AgendaItem.Purpose.INFORMATION,
                description=update.title,
                duration_minutes=15,
                presenters=[presenter] if presenter else [],
                session=session,
            )
            document = render_to_string("strategy/update.md", {"update": update})
            upload = ContentFile(
                document.encode(), name=f"{update.unit.code}-{update.period_end}.md"
            )
            upload.content_type = "text/markdown"  # type: ignore[attr-defined]
            meeting_actions.add_document(
                actor,
                meeting=meeting,
                item=item,
                title=f"{update.unit.name} — {update.title}",
                upload=upload,  # type: ignore[arg-type]
            )
            update.items.add(item)
            items.append(item)
        _event(
            actor,
            "news.gathered",
            meeting,
            meeting.organisation,
            session=session.title,
            directions=[u.unit.code for u in updates],
        )
    return items


def open_review(
    actor: Person | None,
    *,
    plan: Plan,
    body: Body,
    title: str,
    opens_at: datetime.datetime | None = None,
    closes_at: datetime.datetime | None = None,
    meeting: Meeting | None = None,
    questions: Sequence[str] = (),
    scale: int = 5,
) -> Review:
    """Ask a body's members, axis by axis, whether the plan speaks to them and matches the
    needs of the moment: during a meeting (its hours by default) or over a period."""
    _same_organisation(plan.organisation, body=body, meeting=meeting)
    if meeting is not None:
        if body.pk != meeting.kind.body_id and not meeting.other_bodies.filter(pk=body.pk).exists():
            raise ValidationError(
                {"meeting": _("Review: the body consulted takes part in this meeting.")}
            )
        opens_at = opens_at or meeting.starts_at
        closes_at = closes_at or meeting.ends_at
    if opens_at is None or closes_at is None:
        raise ValidationError(
            {"closes_at": _("Review: give the period, or the meeting during which it is open.")}
        )
    texts = [q.strip() for q in questions if q.strip()] or [_(q) for q in DEFAULT_QUESTIONS]
    if not plan.axes.exists():
        raise ValidationError({"plan": _("Review: the plan has no axis to review yet.")})
    review = Review(
        organisation=plan.organisation,
        plan=plan,
        body=body,
        meeting=meeting,
        title=title.strip(),
        opens_at=opens_at,
        closes_at=closes_at,
        scale=scale,
    )
    review.full_clean()
    with transaction.atomic():
        review.save()
        ReviewQuestion.objects.bulk_create(
            ReviewQuestion(review=review, position=index, text=text)
            for index, text in enumerate(texts, start=1)
        )
        _event(
            actor,
            "review.opened",
            review,
            plan.organisation,
            plan=str(plan.code),
            body=body.code,
            questions=texts,
        )
    return review


def answer_review(
    person: Person,
    *,
    review: Review,
    axis: Axis,
    scores: Mapping[int, int],
    comment: str = "",
    now: datetime.datetime | None = None,
) -> ReviewResponse:
    """One person's answer on one axis: a score for every question and a comment. Answering
    again while the review is open replaces the earlier answer."""
    moment = now or timezone.now()
    if not review.is_open(moment):
        raise ValidationError(_("Review: this review is not open for answers."))
    if person.pk not in eligible_respondents(review, moment):
        raise ValidationError(_("Review: only the members of the body consulted answer."))
    if axis.plan_id != review.plan_id:
        raise ValidationError({"axis": _("This axis belongs to another plan.")})
    questions = list(review.questions.all())
    errors = {}
    for question in questions:
        score = scores.get(question.pk)
        if score is None or not 1 <= score <= review.scale:
            errors[f"q{question.pk}"] = _("“%(question)s”: answer from 1 to %(scale)s.") % {
                "question": question.text,
                "scale": review.scale,
            }
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        response, _created = ReviewResponse.objects.update_or_create(
            review=review,
            axis=axis,
            respondent=person,
            defaults={"comment": comment.strip(), "answered_at": moment},
        )
        response.scores.all().delete()
        ReviewScore.objects.bulk_create(
            ReviewScore(response=response, question=q, score=scores[q.pk]) for q in questions
        )
        # The event says that the person answered, not what: results are shown without names.
        _event(person, "review.answered", review, review.organisation, axis=axis.position)
    return response


def conclude_review(
    actor: Person | None,
    *,
    review: Review,
    orientation: str,
    meeting: Meeting | None = None,
    now: datetime.datetime | None = None,
) -> Outcome:
    """Close the review with the orientation the body draws from it, recorded at a meeting of
    the body on the plan's dossier (opened for the plan if it has none)."""
    if review.concluded_at is not None:
        raise ValidationError(_("This review is already concluded."))
    if not orientation.strip():
        raise ValidationError({"orientation": _("Write the orientation drawn from the review.")})
    meeting = meeting or review.meeting
    if meeting is None:
        raise ValidationError(
            {"meeting": _("Review: choose the meeting of the body where the orientation is drawn.")}
        )
    if (
        review.body_id != meeting.kind.body_id
        and not meeting.other_bodies.filter(pk=review.body_id).exists()
    ):
        raise ValidationError(
            {"meeting": _("Review: the orientation is drawn at a meeting of the body consulted.")}
        )
    plan = review.plan
    with transaction.atomic():
        dossier = plan.dossier
        if dossier is None:
            dossier = dossier_actions.open_dossier(
                actor,
                organisation=plan.organisation,
                title=plan.title,
                tags=["strategy"],
                origin_body=plan.body,
                confidentiality=plan.confidentiality,
            )
            plan.dossier = dossier
            plan.save(update_fields=["dossier"])
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
                stage=Stage.ORIENT,
                title=review.title,
            )
        outcome = meeting_actions.record_outcome(
            actor,
            meeting=meeting,
            kind=Outcome.Kind.ORIENTATION,
            text=orientation,
            item=appearance.item,
        )
        review.orientation = outcome
        review.concluded_at = now or timezone.now()
        review.save(update_fields=["orientation", "concluded_at"])
        _event(
            actor, "review.concluded", review, review.organisation, orientation=outcome.text[:200]
        )
    return outcome
