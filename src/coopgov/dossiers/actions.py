"""Dossiers, consultation gates, decisions and actions. Each action enforces D1 to D7."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from coopgov.bodies.models import Body, Mandate
from coopgov.core.audit import record_event
from coopgov.core.models import Organisation, Person
from coopgov.dossiers import tasks
from coopgov.dossiers.majority import compute
from coopgov.dossiers.models import (
    Action,
    Appearance,
    Consultation,
    ConsultationRule,
    Decision,
    DecisionCounter,
    Dossier,
    Expectation,
    InformationDuty,
    RollCallVote,
    Stage,
    Tag,
    WrittenAnswer,
    WrittenResolution,
)
from coopgov.meetings import actions as meeting_actions
from coopgov.meetings.models import AgendaItem, Meeting
from coopgov.meetings.rules import assert_may_decide, quorum

STAGE_PURPOSE: dict[str, str] = {
    Stage.INFORM: AgendaItem.Purpose.INFORMATION,
    Stage.DISCUSS: AgendaItem.Purpose.DISCUSSION,
    Stage.AMEND: AgendaItem.Purpose.AMENDMENT,
    Stage.CONSULT: AgendaItem.Purpose.DISCUSSION,
    Stage.ORIENT: AgendaItem.Purpose.ORIENTATION,
    Stage.DECIDE: AgendaItem.Purpose.DECISION,
}


def open_dossier(
    actor: Person | None,
    *,
    organisation: Organisation,
    title: str,
    description: str = "",
    tags: Iterable[str] = (),
    origin_body: Body | None = None,
    owner: Person | None = None,
    confidentiality: str = "members",
    opened_on: datetime.date | None = None,
) -> Dossier:
    """A matter to follow across bodies; its tags open the consultations the rules call for."""
    tags = sorted(set(tags))
    unknown = set(tags) - set(Tag.values)
    if unknown:
        raise ValidationError({"tags": _("Unknown tags: %s") % ", ".join(sorted(unknown))})
    dossier = Dossier(
        organisation=organisation,
        title=title.strip(),
        description=description,
        tags=tags,
        origin_body=origin_body,
        owner=owner,
        confidentiality=confidentiality,
    )
    dossier.full_clean()
    with transaction.atomic():
        dossier.save()
        record_event(
            actor,
            "dossiers.dossier.opened",
            target=dossier,
            organisation=organisation,
            data={"tags": tags},
        )
        apply_consultation_rules(actor, dossier=dossier, on=opened_on)
    return dossier


def apply_consultation_rules(
    actor: Person | None, *, dossier: Dossier, on: datetime.date | None = None
) -> list[Consultation]:
    """Open the consultations that the dossier's tags call for and that are not open yet (D3)."""
    today = on or timezone.localdate()
    created = []
    for rule in ConsultationRule.objects.filter(
        organisation=dossier.organisation, tag__in=dossier.tags
    ).select_related("consulted_body"):
        if dossier.consultations.filter(rule=rule).exists():
            continue
        created.append(
            _open_consultation(
                actor,
                dossier=dossier,
                consulted_body=rule.consulted_body,
                kind=rule.kind,
                due_date=today + datetime.timedelta(days=rule.lead_days),
                rule=rule,
            )
        )
    return created


def request_consultation(
    actor: Person | None,
    *,
    dossier: Dossier,
    consulted_body: Body,
    kind: str,
    due_date: datetime.date,
    requesting_body: Body | None = None,
) -> Consultation:
    """An ad-hoc request for another body's opinion: it gates the decision like a rule's (D3)."""
    if consulted_body.organisation_id != dossier.organisation_id:
        raise ValidationError({"consulted_body": _("This body belongs to another organisation.")})
    return _open_consultation(
        actor,
        dossier=dossier,
        consulted_body=consulted_body,
        kind=kind,
        due_date=due_date,
        requesting_body=requesting_body,
    )


def _open_consultation(actor: Person | None, **fields: object) -> Consultation:
    dossier = fields["dossier"]
    assert isinstance(dossier, Dossier)
    consultation = Consultation(organisation=dossier.organisation, **fields)
    consultation.full_clean()
    consultation.save()
    record_event(
        actor,
        "dossiers.consultation.requested",
        target=dossier,
        organisation=dossier.organisation,
        data={
            "body": consultation.consulted_body.code,
            "kind": consultation.kind,
            "due": consultation.due_date.isoformat(),
        },
    )
    return consultation


def record_opinion(
    actor: Person | None,
    *,
    consultation: Consultation,
    opinion: str,
    given_on: datetime.date | None = None,
    given_at: Meeting | None = None,
) -> Consultation:
    if consultation.status != Consultation.Status.OPEN:
        raise ValidationError(_("This consultation is closed already."))
    if not opinion.strip():
        raise ValidationError({"opinion": _("Write the opinion of the body.")})
    consultation.status = Consultation.Status.GIVEN
    consultation.opinion = opinion.strip()
    consultation.given_on = given_on or timezone.localdate()
    consultation.given_at = given_at
    with transaction.atomic():
        consultation.save()
        record_event(
            actor,
            "dossiers.consultation.opinion",
            target=consultation.dossier,
            organisation=consultation.organisation,
            data={"body": consultation.consulted_body.code},
        )
    return consultation


def open_gates(dossier: Dossier, on: datetime.date) -> list[Consultation]:
    """The consultations that still hold the decision back on a day; those whose deadline has
    passed without an opinion are marked expired, and the record says so."""
    blocking = []
    for consultation in dossier.consultations.filter(
        status=Consultation.Status.OPEN
    ).select_related("consulted_body"):
        if consultation.due_date < on:
            consultation.status = Consultation.Status.EXPIRED
            consultation.save(update_fields=["status"])
            record_event(
                None,
                "dossiers.consultation.expired",
                target=dossier,
                organisation=dossier.organisation,
                data={
                    "body": consultation.consulted_body.code,
                    "due": consultation.due_date.isoformat(),
                },
            )
        else:
            blocking.append(consultation)
    return blocking


def link_item(
    actor: Person | None, *, dossier: Dossier, item: AgendaItem, stage: str
) -> Appearance:
    """From the meeting's side: an item already on an agenda becomes a step of the dossier."""
    if item.meeting.organisation_id != dossier.organisation_id:
        raise ValidationError({"item": _("This item belongs to another organisation.")})
    if hasattr(item, "appearance"):
        raise ValidationError({"item": _("This item already belongs to a dossier.")})
    if stage == Stage.DECIDE and item.purpose != AgendaItem.Purpose.DECISION:
        raise ValidationError(
            {"stage": _("Decision: only an item whose purpose is a decision decides.")}
        )
    with transaction.atomic():
        appearance = Appearance.objects.create(dossier=dossier, item=item, stage=stage)
        dossier.stage = stage
        dossier.save(update_fields=["stage"])
        record_event(
            actor,
            "dossiers.dossier.scheduled",
            target=dossier,
            organisation=dossier.organisation,
            data={"meeting": str(item.meeting.code), "stage": stage},
        )
    return appearance


def put_on_agenda(
    actor: Person | None,
    *,
    dossier: Dossier,
    meeting: Meeting,
    stage: str,
    title: str = "",
    duration_minutes: int = 20,
) -> Appearance:
    """One action, from the dossier or the meeting: an item for the dossier, with its stage (D1)."""
    if meeting.organisation_id != dossier.organisation_id:
        raise ValidationError({"meeting": _("This meeting belongs to another organisation.")})
    if stage not in STAGE_PURPOSE:
        raise ValidationError({"stage": _("Choose what the meeting does with the dossier.")})
    with transaction.atomic():
        item = meeting_actions.add_to_agenda(
            actor,
            meeting=meeting,
            title=title or dossier.title,
            purpose=STAGE_PURPOSE[stage],
            duration_minutes=duration_minutes,
            confidentiality=dossier.confidentiality,
        )
        appearance = Appearance.objects.create(dossier=dossier, item=item, stage=stage)
        dossier.stage = stage
        dossier.save(update_fields=["stage"])
        record_event(
            actor,
            "dossiers.dossier.scheduled",
            target=dossier,
            organisation=dossier.organisation,
            data={"meeting": str(meeting.code), "stage": stage},
        )
    return appearance


def record_decision(
    actor: Person | None,
    *,
    item: AgendaItem,
    title: str,
    text: str,
    method: str,
    majority: str = "simple",
    abstentions_count: bool = False,
    yes: int = 0,
    no: int = 0,
    abstain: int = 0,
    summary: str = "",
    effective_on: datetime.date | None = None,
    supersedes: Decision | None = None,
    votes: Mapping[int, str] | None = None,
) -> Decision:
    """D2: only in a deciding meeting with quorum, on a decision item, with every consultation
    gate satisfied or expired. D4: the result is computed. D5: recused members neither count
    nor vote. D6: numbered per body and year, never renumbered. A roll call's counts come from
    `votes` (person id → yes, no or abstain); other methods give counts."""
    meeting = item.meeting
    body = meeting.kind.body
    decided_on = timezone.localtime(meeting.starts_at).date()
    assert_may_decide(meeting)
    if item.purpose != AgendaItem.Purpose.DECISION or item.status != AgendaItem.Status.ACCEPTED:
        raise ValidationError(
            _("Decision: record decisions on an agenda item whose purpose is a decision.")
        )
    if hasattr(item, "decision"):
        raise ValidationError(_("Decision: this item already has its decision."))
    state = quorum(meeting, item)
    if not state.reached:
        raise ValidationError(
            _(
                "Quorum: %(counted)s voting members present or represented for this item; %(required)s needed."
            )
            % {"counted": state.counted, "required": state.required}
        )
    dossier = getattr(getattr(item, "appearance", None), "dossier", None)
    if dossier is not None:
        blocking = open_gates(dossier, decided_on)
        if blocking:
            raise ValidationError(
                [
                    _("Consultation: the %(kind)s of %(body)s is awaited until %(day)s.")
                    % {
                        "kind": c.get_kind_display().lower(),
                        "body": c.consulted_body.name,
                        "day": date_format(c.due_date),
                    }
                    for c in blocking
                ]
            )
    if method == Decision.Method.CONSENSUS:
        yes, no, abstain = state.counted, 0, 0
    roll_call = _roll_call(votes or {}, state.voters) if method == Decision.Method.ROLL_CALL else {}
    if roll_call:
        yes, no, abstain = (
            sum(vote == choice for vote in roll_call.values())
            for choice in (RollCallVote.Vote.YES, RollCallVote.Vote.NO, RollCallVote.Vote.ABSTAIN)
        )
    if yes + no + abstain > state.counted:
        raise ValidationError(
            _(
                "Votes: %(votes)s votes counted, but only %(voters)s voting members are present or represented (recused members excluded)."
            )
            % {"votes": yes + no + abstain, "voters": state.counted}
        )
    result = compute(majority, yes=yes, no=no, abstain=abstain, abstentions_count=abstentions_count)
    if supersedes is not None and (
        supersedes.body_id != body.pk or hasattr(supersedes, "superseded_by")
    ):
        raise ValidationError(
            {
                "supersedes": _(
                    "A decision supersedes an earlier, still valid decision of the same body."
                )
            }
        )
    with transaction.atomic():
        sequence, number = _number(body, decided_on.year)
        decision = Decision(
            organisation=meeting.organisation,
            body=body,
            year=decided_on.year,
            sequence=sequence,
            number=number,
            dossier=dossier,
            item=item,
            title=title,
            text=text,
            summary=summary,
            method=method,
            majority=majority,
            abstentions_count=abstentions_count,
            yes=yes,
            no=no,
            abstain=abstain,
            adopted=result.adopted,
            decided_on=decided_on,
            effective_on=effective_on,
            supersedes=supersedes,
        )
        decision.full_clean()
        decision.save()
        RollCallVote.objects.bulk_create(
            RollCallVote(decision=decision, person_id=person, vote=vote)
            for person, vote in roll_call.items()
        )
        if dossier is not None and result.adopted:
            dossier.stage = Stage.IMPLEMENT
            dossier.save(update_fields=["stage"])
        record_event(
            actor,
            "dossiers.decision.recorded",
            target=decision,
            organisation=decision.organisation,
            data={
                "number": decision.number,
                "adopted": result.adopted,
                "yes": yes,
                "no": no,
                "abstain": abstain,
            },
        )
    return decision


def _roll_call(votes: Mapping[int, str], voters: frozenset[int]) -> dict[int, str]:
    """The votes of a roll call, each from a voting member present or represented for the item
    and not recused."""
    cast = {int(person): vote for person, vote in votes.items() if vote}
    if not cast:
        raise ValidationError({"votes": _("Roll call: record the vote of each member.")})
    if any(vote not in RollCallVote.Vote.values for vote in cast.values()):
        raise ValidationError({"votes": _("Roll call: each vote is yes, no or abstain.")})
    strangers = set(cast) - voters
    if strangers:
        names = ", ".join(
            str(p) for p in Person.objects.filter(pk__in=strangers).order_by("last_name")
        )
        raise ValidationError(
            {
                "votes": _(
                    "Roll call: %(names)s may not vote on this item (not a voting member present or represented, or recused)."
                )
                % {"names": names or ", ".join(map(str, sorted(strangers)))}
            }
        )
    return cast


def add_action(
    actor: Person | None,
    *,
    title: str,
    owner: Person,
    due_on: datetime.date,
    dossier: Dossier | None = None,
    decision: Decision | None = None,
    meeting: Meeting | None = None,
) -> Action:
    """A follow-up task from a decision, a dossier or a meeting, with its owner and due date."""
    origin = dossier or decision or meeting
    if origin is None:
        raise ValidationError(_("An action follows a dossier, a decision or a meeting."))
    action = Action(
        organisation=origin.organisation,
        title=title.strip(),
        owner=owner,
        due_on=due_on,
        dossier=dossier or (decision.dossier if decision else None),
        decision=decision,
        meeting=meeting,
    )
    action.full_clean()
    with transaction.atomic():
        action.save()
        record_event(
            actor,
            "dossiers.action.added",
            target=action,
            organisation=action.organisation,
            data={"title": action.title, "owner": owner.full_name, "due": due_on.isoformat()},
        )
    return action


def update_action(actor: Person | None, *, action: Action, status: str, note: str = "") -> Action:
    if status not in Action.Status.values:
        raise ValidationError({"status": _("Choose a status.")})
    action.status = status
    if note.strip():
        stamp = date_format(timezone.localdate(), "SHORT_DATE_FORMAT")
        action.notes = (action.notes + "\n" if action.notes else "") + f"{stamp} — {note.strip()}"
    with transaction.atomic():
        action.save(update_fields=["status", "notes"])
        record_event(
            actor,
            "dossiers.action.updated",
            target=action,
            organisation=action.organisation,
            data={"status": status},
        )
    return action


def _number(body: Body, year: int) -> tuple[int, str]:
    """The next number of a body's decisions in a year, from a locked counter (D6)."""
    counter, _created = DecisionCounter.objects.select_for_update().get_or_create(
        body=body, year=year
    )
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last, f"{body.code.upper()}-{year}-{counter.last:03d}"


def propose_written_resolution(
    actor: Person | None,
    *,
    body: Body,
    title: str,
    text: str,
    deadline: datetime.date,
    dossier: Dossier | None = None,
) -> WrittenResolution:
    """Send a resolution in writing to every voting member of the body today (D7)."""
    if not body.may_decide:
        raise ValidationError(
            {"body": _("Written resolution: %(body)s takes no decisions.") % {"body": body.name}}
        )
    today = timezone.localdate()
    if deadline < today:
        raise ValidationError({"deadline": _("The deadline for answers cannot be in the past.")})
    voters = list(
        Mandate.objects.of_body(body)
        .active_on(today)
        .voting()
        .values_list("person_id", flat=True)
        .distinct()
    )
    if not voters:
        raise ValidationError(
            {"body": _("Written resolution: the body has no voting member today.")}
        )
    with transaction.atomic():
        resolution = WrittenResolution.objects.create(
            organisation=body.organisation,
            body=body,
            dossier=dossier,
            title=title.strip(),
            text=text.strip(),
            deadline=deadline,
        )
        WrittenAnswer.objects.bulk_create(
            WrittenAnswer(resolution=resolution, person_id=p) for p in voters
        )
        record_event(
            actor,
            "dossiers.written_resolution.sent",
            target=resolution,
            organisation=body.organisation,
            data={"voters": len(voters), "deadline": deadline.isoformat()},
        )
    return resolution


def answer_written_resolution(
    person: Person, *, resolution: WrittenResolution, answer: str
) -> WrittenAnswer:
    if resolution.status != WrittenResolution.Status.OPEN:
        raise ValidationError(_("This written resolution is closed."))
    if answer not in {
        WrittenAnswer.Answer.YES,
        WrittenAnswer.Answer.NO,
        WrittenAnswer.Answer.ABSTAIN,
    }:
        raise ValidationError({"answer": _("Answer yes, no or abstain.")})
    row = resolution.answers.filter(person=person).first()
    if row is None:
        raise ValidationError(
            _("Only the voting members it was sent to answer a written resolution.")
        )
    row.answer = answer
    row.answered_at = timezone.now()
    with transaction.atomic():
        row.save(update_fields=["answer", "answered_at"])
        record_event(
            person,
            "dossiers.written_resolution.answered",
            target=resolution,
            organisation=resolution.organisation,
            data={"answer": answer},
        )
    return row


def conclude_written_resolution(
    actor: Person | None, *, resolution: WrittenResolution, on: datetime.date | None = None
) -> WrittenResolution:
    """Adopted only if every voting member answered yes; numbered like any decision (D6, D7).
    It concludes once everyone has answered, or after the deadline."""
    on = on or timezone.localdate()
    if resolution.status != WrittenResolution.Status.OPEN:
        raise ValidationError(_("This written resolution is closed."))
    answers = list(resolution.answers.all())
    pending = [a for a in answers if a.answer == WrittenAnswer.Answer.PENDING]
    if pending and on <= resolution.deadline:
        raise ValidationError(
            _("Written resolution: %(count)s answers are awaited until %(day)s.")
            % {"count": len(pending), "day": date_format(resolution.deadline)}
        )
    yes = sum(a.answer == WrittenAnswer.Answer.YES for a in answers)
    no = sum(a.answer == WrittenAnswer.Answer.NO for a in answers)
    abstain = sum(a.answer == WrittenAnswer.Answer.ABSTAIN for a in answers)
    adopted = yes == len(answers)  # unanimity of all voting members: silence is not consent
    with transaction.atomic():
        sequence, number = _number(resolution.body, on.year)
        decision = Decision.objects.create(
            organisation=resolution.organisation,
            body=resolution.body,
            year=on.year,
            sequence=sequence,
            number=number,
            dossier=resolution.dossier,
            title=resolution.title,
            text=resolution.text,
            method=Decision.Method.WRITTEN,
            majority="unanimity",
            abstentions_count=True,
            yes=yes,
            no=no,
            abstain=abstain,
            adopted=adopted,
            decided_on=on,
        )
        resolution.decision = decision
        resolution.status = (
            WrittenResolution.Status.ADOPTED if adopted else WrittenResolution.Status.FAILED
        )
        resolution.save(update_fields=["decision", "status"])
        record_event(
            actor,
            "dossiers.written_resolution.concluded",
            target=resolution,
            organisation=resolution.organisation,
            data={"number": number, "adopted": adopted},
        )
    return resolution


def remind_action_owners(*, on: datetime.date | None = None, days_ahead: int = 7) -> int:
    """Queue one reminder per owner of open actions due within `days_ahead` days or overdue;
    returns how many people are reminded. Run daily (see the operator guide)."""
    today = on or timezone.localdate()
    due = Action.objects.filter(
        due_on__lte=today + datetime.timedelta(days=days_ahead),
        status__in=[Action.Status.OPEN, Action.Status.IN_PROGRESS],
    ).values_list("owner_id", "pk")
    by_owner: dict[int, list[int]] = {}
    for owner_id, action_id in due:
        by_owner.setdefault(owner_id, []).append(action_id)
    for owner_id, action_ids in by_owner.items():
        transaction.on_commit(partial(tasks.send_action_reminder.enqueue, owner_id, action_ids))
    return len(by_owner)


def voice_expectation(
    actor: Person | None,
    *,
    from_body: Body,
    to_body: Body,
    text: str,
    meeting: Meeting | None = None,
    voiced_on: datetime.date | None = None,
) -> Expectation:
    """What one body expects from another, captured at an inter-body meeting or anywhere."""
    if from_body.pk == to_body.pk:
        raise ValidationError({"to_body": _("An expectation goes from one body to another.")})
    if from_body.organisation_id != to_body.organisation_id:
        raise ValidationError({"to_body": _("Both bodies must belong to the same organisation.")})
    if not text.strip():
        raise ValidationError({"text": _("Write the expectation.")})
    expectation = Expectation(
        organisation=from_body.organisation,
        from_body=from_body,
        to_body=to_body,
        text=text.strip(),
        meeting=meeting,
        voiced_on=voiced_on or timezone.localdate(),
    )
    expectation.full_clean()
    with transaction.atomic():
        expectation.save()
        record_event(
            actor,
            "dossiers.expectation.voiced",
            target=to_body,
            organisation=to_body.organisation,
            data={"from": from_body.code, "text": expectation.text[:200]},
        )
    return expectation


def answer_expectation(
    actor: Person | None, *, expectation: Expectation, answer: str, close: bool = False
) -> Expectation:
    if not answer.strip():
        raise ValidationError({"answer": _("Write the answer.")})
    expectation.answer = answer.strip()
    expectation.status = Expectation.Status.CLOSED if close else Expectation.Status.ANSWERED
    with transaction.atomic():
        expectation.save(update_fields=["answer", "status"])
        record_event(
            actor,
            "dossiers.expectation.answered",
            target=expectation.to_body,
            organisation=expectation.organisation,
            data={"status": expectation.status},
        )
    return expectation


PERIOD_MONTHS: dict[str, list[int]] = {
    InformationDuty.Period.ANNUAL: [3],
    InformationDuty.Period.QUARTERLY: [1, 4, 7, 10],
    InformationDuty.Period.OCCASIONAL: [],
}


def add_information_duty(
    actor: Person | None,
    *,
    from_body: Body,
    to_body: Body,
    title: str,
    period: str,
    months: list[int] | None = None,
) -> InformationDuty:
    """A standing duty to inform a body; dated ones become recurring items of that body's
    ordinary meetings, so they land on the right agendas."""
    if period not in InformationDuty.Period.values:
        raise ValidationError({"period": _("Choose a period.")})
    months = sorted(set(months if months is not None else PERIOD_MONTHS[period]))
    duty = InformationDuty(
        organisation=from_body.organisation,
        from_body=from_body,
        to_body=to_body,
        title=title.strip(),
        period=period,
        months=months,
    )
    duty.full_clean()
    with transaction.atomic():
        duty.save()
        if months:
            for kind in to_body.meeting_kinds.filter(category__in=["ordinary", "general_assembly"]):
                meeting_actions.add_recurring_item(
                    actor, kind=kind, title=title.strip(), purpose="information", months=months
                )
        record_event(
            actor,
            "dossiers.information_duty.added",
            target=to_body,
            organisation=to_body.organisation,
            data={"from": from_body.code, "title": duty.title, "months": months},
        )
    return duty


def relate_dossiers(actor: Person | None, *, dossier: Dossier, other: Dossier) -> None:
    if dossier.pk == other.pk or dossier.organisation_id != other.organisation_id:
        raise ValidationError({"other": _("Choose another dossier of the same organisation.")})
    with transaction.atomic():
        dossier.related.add(other)
        record_event(
            actor,
            "dossiers.dossier.related",
            target=dossier,
            organisation=dossier.organisation,
            data={"other": other.title},
        )
