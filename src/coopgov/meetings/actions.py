"""Every change to meetings: planning, programme, agenda, convocation, attendance, proxies,
conflicts, outcomes and minutes. Each enforces M1 to M6 with a message that names the rule."""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Iterable, Sequence
from functools import partial

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from coopgov.bodies.models import Body, Mandate
from coopgov.core.audit import record_event
from coopgov.core.integrity import locked, refusing_violations
from coopgov.core.models import Person, Unit
from coopgov.meetings import tasks
from coopgov.meetings.models import (
    AgendaItem,
    CalendarFeed,
    ConflictDeclaration,
    Document,
    DocumentVersion,
    Erratum,
    Invitation,
    Meeting,
    MeetingKind,
    MeetingSeries,
    Minutes,
    MinutesSection,
    Outcome,
    Proxy,
    RecurringItem,
    Session,
    Speaker,
)
from coopgov.meetings.rules import assert_may_decide, is_late, notice_message


def add_meeting_kind(
    actor: Person | None,
    *,
    body: Body,
    code: str,
    name: str,
    category: str,
    notice_days: int | None = None,
    proxy_limit: int = 1,
    proxies_within_body: bool = True,
) -> MeetingKind:
    """A kind of meeting: seminars, workshops and inter-body meetings never decide (M1), nor
    do the meetings of an advisory body."""
    organisation = body.organisation
    if notice_days is None:
        notice_days = (
            organisation.general_assembly_notice_days
            if category == MeetingKind.Category.GENERAL_ASSEMBLY
            else organisation.board_notice_days
        )
    kind = MeetingKind(
        organisation=organisation,
        body=body,
        code=code,
        name=name,
        category=category,
        may_decide=body.may_decide and category not in MeetingKind.NON_DECIDING,
        notice_days=notice_days,
        proxy_limit=proxy_limit,
        proxies_within_body=proxies_within_body,
    )
    kind.full_clean()
    with transaction.atomic():
        kind.save()
        record_event(
            actor,
            "meetings.kind.added",
            target=body,
            organisation=organisation,
            data={"code": code, "category": category, "may_decide": kind.may_decide},
        )
    return kind


def schedule_meeting(
    actor: Person | None,
    *,
    kind: MeetingKind,
    title: str,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    other_bodies: Iterable[Body] = (),
    venue: str = "",
    address: str = "",
    access_notes: str = "",
    online_link: str = "",
    host_unit: Unit | None = None,
    logistics: str = "",
    series: MeetingSeries | None = None,
) -> Meeting:
    """Plan a meeting of one body, or of several (M6), and invite their members."""
    others = [body for body in other_bodies if body.pk != kind.body_id]
    if any(body.organisation_id != kind.organisation_id for body in others):
        raise ValidationError({"other_bodies": _("All bodies belong to the same organisation.")})
    if others and kind.category != MeetingKind.Category.INTER_BODY:
        raise ValidationError(
            {"other_bodies": _("Only an inter-body meeting brings several bodies together.")}
        )
    meeting = Meeting(
        organisation=kind.organisation,
        kind=kind,
        title=title,
        starts_at=starts_at,
        ends_at=ends_at,
        venue=venue,
        address=address,
        access_notes=access_notes,
        online_link=online_link,
        host_unit=host_unit,
        logistics=logistics,
        series=series,
    )
    meeting.full_clean()
    with transaction.atomic():
        meeting.save()
        meeting.other_bodies.set(others)
        invite_members(meeting)
        _prefill_agenda(meeting)
        record_event(
            actor,
            "meetings.meeting.scheduled",
            target=meeting,
            organisation=meeting.organisation,
            data={"title": title, "starts_at": starts_at.isoformat()},
        )
    return meeting


def add_recurring_item(
    actor: Person | None,
    *,
    kind: MeetingKind,
    title: str,
    purpose: str,
    months: Sequence[int],
    duration_minutes: int = 30,
) -> RecurringItem:
    """An item that comes back each year in the given months, on the meetings of a kind."""
    if not months or any(not 1 <= month <= 12 for month in months):
        raise ValidationError({"months": _("Give months of the year, from 1 to 12.")})
    if purpose == AgendaItem.Purpose.DECISION and not kind.may_decide:
        raise ValidationError(
            {"purpose": _("Non-deciding meeting: this kind of meeting takes no decision item.")}
        )
    item = RecurringItem(
        organisation=kind.organisation,
        kind=kind,
        title=title,
        purpose=purpose,
        months=sorted(set(months)),
        duration_minutes=duration_minutes,
    )
    item.full_clean()
    with transaction.atomic():
        item.save()
        record_event(
            actor,
            "meetings.recurring_item.added",
            target=kind.body,
            organisation=kind.organisation,
            data={"title": title, "months": item.months},
        )
    return item


def _prefill_agenda(meeting: Meeting) -> None:
    month = timezone.localtime(meeting.starts_at).month
    for position, recurring in enumerate(
        (r for r in meeting.kind.recurring_items.all() if month in r.months), start=1
    ):
        AgendaItem.objects.create(
            meeting=meeting,
            position=position,
            title=recurring.title,
            purpose=recurring.purpose,
            duration_minutes=recurring.duration_minutes,
        )


def plan_series(
    actor: Person | None,
    *,
    kind: MeetingKind,
    title: str,
    first_starts_at: datetime.datetime,
    duration: datetime.timedelta,
    every_months: int,
    count: int,
) -> MeetingSeries:
    """Meetings every N months ("the board meets every two months"); each can then be moved."""
    if not 1 <= count <= 60 or not 1 <= every_months <= 12:
        raise ValidationError(_("A series has 1 to 60 meetings, 1 to 12 months apart."))
    with transaction.atomic():
        series = MeetingSeries.objects.create(
            organisation=kind.organisation, kind=kind, title=title, every_months=every_months
        )
        for index in range(count):
            starts_at = _add_months(first_starts_at, index * every_months)
            schedule_meeting(
                actor,
                kind=kind,
                title=title,
                starts_at=starts_at,
                ends_at=starts_at + duration,
                series=series,
            )
    return series


def _add_months(moment: datetime.datetime, months: int) -> datetime.datetime:
    local = timezone.localtime(moment)
    month = local.month - 1 + months
    year, month = local.year + month // 12, month % 12 + 1
    day = min(local.day, 28)
    naive = local.replace(tzinfo=None, year=year, month=month, day=day)
    return timezone.make_aware(naive)


def move_meeting(
    actor: Person | None,
    *,
    meeting: Meeting,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
) -> Meeting:
    before = meeting.starts_at
    meeting.starts_at, meeting.ends_at = starts_at, ends_at
    meeting.full_clean()
    with transaction.atomic():
        meeting.save(update_fields=["starts_at", "ends_at"])
        record_event(
            actor,
            "meetings.meeting.moved",
            target=meeting,
            organisation=meeting.organisation,
            data={"from": before.isoformat(), "to": starts_at.isoformat()},
        )
    return meeting


def invite_members(meeting: Meeting) -> list[Invitation]:
    """Invitees come from the mandates running on the meeting day, in each body taking part;
    each person's capacity comes from their own mandate (M6). Guests are added by hand."""
    day = timezone.localtime(meeting.starts_at).date()
    bodies = [meeting.kind.body, *meeting.other_bodies.all()]
    capacities: dict[int, tuple[str, Mandate]] = {}
    for mandate in Mandate.objects.filter(body__in=bodies).active_on(day).order_by("start"):
        capacity = (
            Invitation.Capacity.ADVISORY
            if mandate.is_advisory or mandate.body_id != meeting.kind.body_id
            else Invitation.Capacity.VOTING
        )
        current = capacities.get(mandate.person_id)
        if current is None or (
            current[0] != Invitation.Capacity.VOTING and capacity == Invitation.Capacity.VOTING
        ):
            capacities[mandate.person_id] = (capacity, mandate)
    existing = set(meeting.invitations.values_list("person_id", flat=True))
    created = [
        Invitation(meeting=meeting, person_id=person_id, capacity=capacity, mandate=mandate)
        for person_id, (capacity, mandate) in capacities.items()
        if person_id not in existing
    ]
    return Invitation.objects.bulk_create(created)


def invite_guest(actor: Person | None, *, meeting: Meeting, person: Person) -> Invitation:
    if person.organisation_id != meeting.organisation_id:
        raise ValidationError({"person": _("This person belongs to another organisation.")})
    if meeting.invitations.filter(person=person).exists():
        raise ValidationError({"person": _("This person is already invited.")})
    with transaction.atomic():
        invitation = Invitation.objects.create(
            meeting=meeting, person=person, capacity=Invitation.Capacity.GUEST
        )
        record_event(
            actor,
            "meetings.guest.invited",
            target=meeting,
            organisation=meeting.organisation,
            data={"person": person.full_name},
        )
    return invitation


def add_session(
    actor: Person | None,
    *,
    meeting: Meeting,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    kind: str,
    title: str,
    description: str = "",
    speakers: Sequence[Person | tuple[str, str]] = (),
) -> Session:
    """A slot of the programme; speakers are people of the cooperative or (name, organisation)."""
    session = Session(
        meeting=meeting,
        starts_at=starts_at,
        ends_at=ends_at,
        kind=kind,
        title=title,
        description=description,
    )
    session.full_clean()
    if starts_at < meeting.starts_at or ends_at > meeting.ends_at:
        raise ValidationError(
            {"starts_at": _("A session takes place within its meeting's days and hours.")}
        )
    with transaction.atomic():
        session.save()
        for speaker in speakers:
            if isinstance(speaker, Person):
                Speaker.objects.create(session=session, person=speaker)
            else:
                name, organisation = speaker
                Speaker.objects.create(
                    session=session, guest_name=name, guest_organisation=organisation
                )
        record_event(
            actor,
            "meetings.session.added",
            target=meeting,
            organisation=meeting.organisation,
            data={"title": title, "kind": kind},
        )
    return session


def add_to_agenda(
    actor: Person | None,
    *,
    meeting: Meeting,
    title: str,
    purpose: str,
    description: str = "",
    duration_minutes: int = 15,
    presenters: Iterable[Person] = (),
    confidentiality: str = "bodies",
    session: Session | None = None,
    proposed: bool = False,
) -> AgendaItem:
    """Put an item on the agenda (the secretariat or the chair) or propose it (a director, the
    management): a proposal waits until the chair or secretariat accepts it."""
    if purpose == AgendaItem.Purpose.DECISION:
        try:
            assert_may_decide(meeting)
        except ValidationError as error:
            raise ValidationError({"purpose": error.messages}) from error
    if session is not None and session.meeting_id != meeting.pk:
        raise ValidationError({"session": _("This session belongs to another meeting.")})
    if _minutes_locked(meeting):
        raise ValidationError(_("The minutes of this meeting are approved: its agenda is closed."))
    position = _position_for(meeting, session)
    item = AgendaItem(
        meeting=meeting,
        position=position,
        title=title,
        purpose=purpose,
        description=description,
        duration_minutes=duration_minutes,
        confidentiality=confidentiality,
        session=session,
        status=AgendaItem.Status.PROPOSED if proposed else AgendaItem.Status.ACCEPTED,
        proposed_by=actor if proposed else None,
    )
    item.full_clean()
    with transaction.atomic():
        # Later items move down one place to make room for this one.
        meeting.items.filter(position__gte=position).update(position=F("position") + 1)
        item.save()
        item.presenters.set(list(presenters))
        record_event(
            actor,
            "meetings.item.proposed" if proposed else "meetings.item.added",
            target=meeting,
            organisation=meeting.organisation,
            data={"title": title, "purpose": purpose},
        )
    return item


def _position_for(meeting: Meeting, session: Session | None) -> int:
    """An item of a session goes after that session's items, before the items of the sessions
    that follow it; any other item goes at the end of the agenda."""
    last = meeting.items.aggregate(last=Max("position"))["last"] or 0
    if session is None:
        return last + 1
    own = meeting.items.filter(session=session).aggregate(last=Max("position"))["last"]
    if own is not None:
        return int(own) + 1
    later = (
        meeting.items.filter(session__starts_at__gt=session.starts_at)
        .order_by("position")
        .values_list("position", flat=True)
        .first()
    )
    return later if later is not None else last + 1


def decide_on_proposal(actor: Person | None, *, item: AgendaItem, accept: bool) -> AgendaItem:
    if item.status != AgendaItem.Status.PROPOSED:
        raise ValidationError(_("This item is not a proposal waiting for an answer."))
    item.status = AgendaItem.Status.ACCEPTED if accept else AgendaItem.Status.DECLINED
    with transaction.atomic():
        item.save(update_fields=["status"])
        record_event(
            actor,
            "meetings.item.accepted" if accept else "meetings.item.declined",
            target=item.meeting,
            organisation=item.meeting.organisation,
            data={"title": item.title},
        )
    return item


def convene(
    actor: Person | None,
    *,
    meeting: Meeting,
    urgency_reason: str = "",
    now: datetime.datetime | None = None,
    notify: bool = True,
) -> Meeting:
    """Send the convocation (M3): within the notice period, or late with a recorded reason.
    Each invitee gets an email with the agenda and an .ics invitation, in their language.
    `notify=False` records a convocation sent outside coopgov (importing past meetings)."""
    now = now or timezone.now()
    if meeting.status == Meeting.Status.CANCELLED:
        raise ValidationError(_("This meeting is cancelled."))
    if now >= meeting.starts_at:
        raise ValidationError(_("This meeting has already started."))
    if is_late(meeting, now) and not urgency_reason.strip():
        raise ValidationError({"urgency_reason": notice_message(meeting)})
    invitations = list(meeting.invitations.filter(convened_at__isnull=True))
    with transaction.atomic():
        meeting.convened_at = now
        meeting.status = Meeting.Status.CONVENED
        meeting.urgency_reason = urgency_reason.strip() if is_late(meeting, now) else ""
        meeting.save(update_fields=["convened_at", "status", "urgency_reason"])
        Invitation.objects.filter(pk__in=[i.pk for i in invitations]).update(convened_at=now)
        record_event(
            actor,
            "meetings.meeting.convened",
            target=meeting,
            organisation=meeting.organisation,
            data={
                "invitees": len(invitations),
                "late": is_late(meeting, now),
                "urgency_reason": meeting.urgency_reason,
            },
        )
        for invitation in invitations if notify else []:
            transaction.on_commit(partial(tasks.enqueue_convocation, invitation.pk))
    return meeting


def answer_invitation(person: Person, *, invitation: Invitation, answer: str) -> Invitation:
    """The invitee says whether they come (RSVP)."""
    if invitation.person_id != person.pk:
        raise ValidationError(_("Only the invitee answers their invitation."))
    if answer not in Invitation.Answer.values or answer == Invitation.Answer.PENDING:
        raise ValidationError({"answer": _("Say whether you will attend.")})
    invitation.answer = answer
    with transaction.atomic():
        invitation.save(update_fields=["answer"])
        record_event(
            person,
            "meetings.invitation.answered",
            target=invitation.meeting,
            organisation=invitation.meeting.organisation,
            data={"answer": answer},
        )
    return invitation


def record_attendance(
    actor: Person | None, *, invitation: Invitation, attendance: str
) -> Invitation:
    if attendance not in Invitation.Attendance.values:
        raise ValidationError({"attendance": _("Choose present, remote, excused or absent.")})
    with transaction.atomic():
        # The invitation's row, as give_proxy locks it: a proxy and a presence never cross.
        locked(Invitation.objects.filter(pk=invitation.pk))
        if (
            attendance in Invitation.PRESENT_STATES
            and Proxy.objects.filter(giver=invitation).exists()
        ):
            raise ValidationError(
                {
                    "attendance": _(
                        "This person gave a proxy: withdraw it before marking them present."
                    )
                }
            )
        invitation.attendance = attendance
        invitation.save(update_fields=["attendance"])
        record_event(
            actor,
            "meetings.attendance.recorded",
            target=invitation.meeting,
            organisation=invitation.meeting.organisation,
            data={"person": invitation.person.full_name, "attendance": attendance},
        )
    return invitation


def give_proxy(actor: Person | None, *, giver: Invitation, holder: Invitation) -> Proxy:
    """M4: a voting member who is not there gives their vote to another voting member of the
    same body, who holds no more proxies than the meeting kind allows.

    Both invitations are locked before the checks: proxies given at the same moment to one
    holder, or by one giver, are decided in turn, each seeing the others."""
    meeting = giver.meeting
    kind = meeting.kind
    with transaction.atomic():
        rows = {
            row.pk: row for row in locked(Invitation.objects.filter(pk__in={giver.pk, holder.pk}))
        }
        errors: list[str] = []
        if holder.meeting_id != giver.meeting_id:
            errors.append(_("Proxy: both people are invited to the same meeting."))
        if (
            giver.capacity != Invitation.Capacity.VOTING
            or holder.capacity != Invitation.Capacity.VOTING
        ):
            errors.append(_("Proxy: only a voting member gives or holds a proxy."))
        if giver.pk == holder.pk:
            errors.append(_("Proxy: a member cannot hold their own proxy."))
        if giver.pk in rows and rows[giver.pk].is_present:
            errors.append(
                _("Proxy: %(name)s is present and votes in person.")
                % {"name": giver.person.full_name}
            )
        given = set(
            Proxy.objects.filter(giver__in={giver.pk, holder.pk}).values_list("giver", flat=True)
        )
        already_given = _("Proxy: %(name)s has already given their proxy.") % {
            "name": giver.person.full_name
        }
        if giver.pk in given:
            errors.append(already_given)
        if holder.pk in given and giver.pk != holder.pk:
            errors.append(
                _("Proxy: %(name)s has given their own proxy.") % {"name": holder.person.full_name}
            )
        if kind.proxies_within_body and (
            giver.mandate is None
            or holder.mandate is None
            or giver.mandate.body_id != holder.mandate.body_id
        ):
            errors.append(_("Proxy: only to a member of the same body."))
        held = Proxy.objects.filter(holder=holder).count()
        if held >= kind.proxy_limit:
            errors.append(
                _("Proxy limit: %(name)s already holds %(count)s proxy; the limit is %(limit)s.")
                % {"name": holder.person.full_name, "count": held, "limit": kind.proxy_limit}
            )
        if errors:
            raise ValidationError(errors)
        with refusing_violations(
            Proxy,
            messages={
                "giver": already_given,
                "proxy_not_to_oneself": _("Proxy: a member cannot hold their own proxy."),
            },
        ):
            proxy = Proxy.objects.create(meeting=meeting, giver=giver, holder=holder)
        record_event(
            actor,
            "meetings.proxy.given",
            target=meeting,
            organisation=meeting.organisation,
            data={"giver": giver.person.full_name, "holder": holder.person.full_name},
        )
    return proxy


def withdraw_proxy(actor: Person | None, *, proxy: Proxy) -> None:
    """Withdrawn twice at the same moment, the proxy is withdrawn (and recorded) once."""
    meeting = proxy.meeting
    with transaction.atomic():
        deleted, _per_model = Proxy.objects.filter(pk=proxy.pk).delete()
        if not deleted:
            return
        record_event(
            actor,
            "meetings.proxy.withdrawn",
            target=meeting,
            organisation=meeting.organisation,
            data={"giver": proxy.giver.person.full_name},
        )


def declare_conflict(
    person: Person, *, item: AgendaItem, justification: str
) -> ConflictDeclaration:
    """A director declares a conflict of interest on an item: recused from its deliberation,
    vote and quorum; the declaration goes into the minutes (D5)."""
    if not justification.strip():
        raise ValidationError({"justification": _("Say why there is a conflict of interest.")})
    if not item.meeting.invitations.filter(person=person).exists():
        raise ValidationError(
            _("Only someone invited to the meeting declares a conflict on its items.")
        )
    if item.conflicts.filter(person=person).exists():
        raise ValidationError(_("This conflict is already declared."))
    with transaction.atomic():
        declaration = ConflictDeclaration.objects.create(
            item=item, person=person, justification=justification.strip()
        )
        record_event(
            person,
            "meetings.conflict.declared",
            target=item.meeting,
            organisation=item.meeting.organisation,
            data={"item": item.title},
        )
    return declaration


def record_outcome(
    actor: Person | None,
    *,
    meeting: Meeting,
    kind: str,
    text: str,
    item: AgendaItem | None = None,
    session: Session | None = None,
) -> Outcome:
    """Notes, orientations and contributions: what a meeting, deciding or not, produced."""
    if not text.strip():
        raise ValidationError({"text": _("Write the outcome.")})
    for part in (item, session):
        if part is not None and part.meeting_id != meeting.pk:
            raise ValidationError(_("This item or session belongs to another meeting."))
    if _minutes_locked(meeting):
        raise ValidationError(
            _("The minutes of this meeting are approved: add an erratum instead.")
        )
    outcome = Outcome(
        meeting=meeting, kind=kind, text=text.strip(), item=item, session=session, author=actor
    )
    outcome.full_clean()
    with transaction.atomic():
        outcome.save()
        record_event(
            actor,
            f"meetings.outcome.{kind}",
            target=meeting,
            organisation=meeting.organisation,
            data={"text": outcome.text[:200]},
        )
    return outcome


MAX_DOCUMENT_BYTES = 25 * 1024 * 1024
DOCUMENT_TYPES = {
    "application/pdf": ".pdf",
    "text/plain": ".txt",
    "text/markdown": ".md",
    "image/png": ".png",
    "image/jpeg": ".jpg",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "application/vnd.oasis.opendocument.text": ".odt",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ".xlsx",
}


def add_document(
    actor: Person | None,
    *,
    meeting: Meeting,
    title: str,
    upload: UploadedFile,
    item: AgendaItem | None = None,
    confidentiality: str = "bodies",
    document: Document | None = None,
) -> DocumentVersion:
    """Attach a document to a meeting (or to one of its items), or a new version of one. The
    file is checked by its content, not by the type its sender declares (core.uploads)."""
    from coopgov.core.uploads import check_upload

    errors: dict[str, str] = {}
    content_type = ""
    try:
        content_type = check_upload(upload, accepted=DOCUMENT_TYPES, max_bytes=MAX_DOCUMENT_BYTES)
    except ValidationError as refused:
        errors["upload"] = refused.message_dict["upload"][0]
    if item is not None and item.meeting_id != meeting.pk:
        errors["item"] = _("This item belongs to another meeting.")
    if document is not None and document.meeting_id != meeting.pk:
        errors["document"] = _("This document belongs to another meeting.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        if document is None:
            document = Document(
                organisation=meeting.organisation,
                meeting=meeting,
                item=item,
                title=title.strip(),
                confidentiality=confidentiality,
            )
            document.full_clean()
            document.save()
        number = (document.versions.aggregate(last=Max("number"))["last"] or 0) + 1
        version = DocumentVersion(
            document=document,
            number=number,
            filename=upload.name or "document",
            content_type=content_type,
            size=upload.size or 0,
            uploaded_by=actor,
        )
        version.file.save(upload.name or "document", upload, save=False)
        version.save()
        record_event(
            actor,
            "meetings.document.added",
            target=meeting,
            organisation=meeting.organisation,
            data={"title": document.title, "version": number},
        )
    return version


def open_calendar_feed(owner: Person, *, body: Body | None = None) -> CalendarFeed:
    """A secret link to one's meetings, or to a body's; opening it again gives the same link."""
    if body is not None and body.organisation_id != owner.organisation_id:
        raise ValidationError({"body": _("This body belongs to another organisation.")})
    with transaction.atomic():
        feed, created = CalendarFeed.objects.get_or_create(
            organisation=owner.organisation,
            owner=owner,
            body=body,
            defaults={"token": secrets.token_urlsafe(32)},
        )
        if created:
            record_event(
                owner,
                "meetings.calendar_feed.opened",
                target=owner,
                organisation=owner.organisation,
                data={"body": body.code if body else None},
            )
    return feed


def close_calendar_feed(owner: Person, *, feed: CalendarFeed) -> None:
    """Revoke a feed's link: calendars that used it stop updating."""
    if feed.owner_id != owner.pk:
        raise ValidationError(_("This calendar link is not yours."))
    with transaction.atomic():
        feed.delete()
        record_event(
            owner, "meetings.calendar_feed.closed", target=owner, organisation=owner.organisation
        )


def _minutes_locked(meeting: Meeting) -> bool:
    return Minutes.objects.filter(meeting=meeting, status=Minutes.Status.APPROVED).exists()


def draft_minutes(actor: Person | None, *, meeting: Meeting) -> Minutes:
    """Draft the minutes from the agenda: one section per item with its outcomes and the
    conflicts declared on it (M5, D5)."""
    if hasattr(meeting, "minutes"):
        raise ValidationError(_("The minutes of this meeting are already drafted."))
    items = list(
        meeting.items.filter(status=AgendaItem.Status.ACCEPTED).prefetch_related(
            "outcomes", "conflicts__person"
        )
    )
    present = meeting.invitations.filter(attendance__in=Invitation.PRESENT_STATES).select_related(
        "person"
    )
    with transaction.atomic():
        minutes = Minutes.objects.create(
            meeting=meeting,
            introduction=_("Present: %(names)s.")
            % {"names": ", ".join(i.person.full_name for i in present)}
            if present
            else "",
        )
        for position, item in enumerate(items, start=1):
            lines = [outcome.text for outcome in item.outcomes.all()]
            lines += [
                _("%(name)s declared a conflict of interest and took no part: %(why)s")
                % {"name": conflict.person.full_name, "why": conflict.justification}
                for conflict in item.conflicts.all()
            ]
            MinutesSection.objects.create(
                minutes=minutes,
                item=item,
                position=position,
                heading=item.title,
                text="\n\n".join(lines),
            )
        # What sessions and the meeting as a whole produced, outside any agenda item.
        position = len(items)
        for session in meeting.sessions.prefetch_related("outcomes"):
            texts = [outcome.text for outcome in session.outcomes.all() if outcome.item_id is None]
            if texts:
                position += 1
                MinutesSection.objects.create(
                    minutes=minutes,
                    position=position,
                    heading=session.title,
                    text="\n\n".join(texts),
                )
        general = list(meeting.outcomes.filter(item__isnull=True, session__isnull=True))
        if general:
            MinutesSection.objects.create(
                minutes=minutes,
                position=position + 1,
                heading=_("Other outcomes"),
                text="\n\n".join(outcome.text for outcome in general),
            )
        record_event(
            actor, "meetings.minutes.drafted", target=meeting, organisation=meeting.organisation
        )
    return minutes


def edit_minutes(actor: Person | None, *, section: MinutesSection, text: str) -> MinutesSection:
    if section.minutes.is_locked:
        raise ValidationError(_("Approved minutes are locked: add an erratum instead."))
    section.text = text
    with transaction.atomic():
        section.save(update_fields=["text"])
        record_event(
            actor,
            "meetings.minutes.edited",
            target=section.minutes.meeting,
            organisation=section.minutes.meeting.organisation,
            data={"section": section.heading},
        )
    return section


def approve_minutes(
    actor: Person | None, *, minutes: Minutes, at: Meeting, on: datetime.date | None = None
) -> Minutes:
    """M5: minutes are approved at a later meeting of the same body, then locked."""
    meeting = minutes.meeting
    if minutes.is_locked:
        raise ValidationError(_("These minutes are already approved."))
    if at.kind.body_id != meeting.kind.body_id:
        raise ValidationError({"at": _("Minutes are approved by a meeting of the same body.")})
    if at.starts_at <= meeting.starts_at:
        raise ValidationError({"at": _("Minutes are approved at a later meeting.")})
    with transaction.atomic():
        minutes.status = Minutes.Status.APPROVED
        minutes.approved_at = at
        minutes.approved_on = on or timezone.localtime(at.starts_at).date()
        minutes.save(update_fields=["status", "approved_at", "approved_on"])
        record_event(
            actor,
            "meetings.minutes.approved",
            target=meeting,
            organisation=meeting.organisation,
            data={"at": str(at.code)},
        )
    return minutes


def add_erratum(actor: Person | None, *, minutes: Minutes, text: str) -> Erratum:
    """Corrections after approval are new, dated errata; the approved text never changes."""
    if not minutes.is_locked:
        raise ValidationError(
            _("Draft minutes are corrected directly; errata are for approved minutes.")
        )
    if not text.strip():
        raise ValidationError({"text": _("Write the correction.")})
    with transaction.atomic():
        erratum = Erratum.objects.create(minutes=minutes, text=text.strip(), author=actor)
        record_event(
            actor,
            "meetings.minutes.erratum",
            target=minutes.meeting,
            organisation=minutes.meeting.organisation,
            data={"text": erratum.text[:200]},
        )
    return erratum
