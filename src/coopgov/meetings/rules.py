"""Rules of meetings computed from the data: may it decide (M1), quorum (M2), notice (M3)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from coopgov.bodies.models import Mandate
from coopgov.bodies.rules import rule_of
from coopgov.meetings.models import AgendaItem, Invitation, Meeting, Proxy


def assert_may_decide(meeting: Meeting) -> None:
    """M1: seminars, workshops, inter-body meetings and advisory bodies never decide."""
    if not meeting.may_decide:
        raise ValidationError(
            _(
                "Non-deciding meeting: %(kind)s of %(body)s takes no decision and opens no "
                "binding vote; record an orientation instead."
            )
            % {"kind": meeting.kind.name, "body": meeting.kind.body.name}
        )


def notice_deadline(meeting: Meeting) -> datetime.datetime:
    """The last moment to convene within the notice period (M3)."""
    return meeting.starts_at - datetime.timedelta(days=meeting.kind.notice_days)


def is_late(meeting: Meeting, now: datetime.datetime | None = None) -> bool:
    return (now or timezone.now()) > notice_deadline(meeting)


@dataclass
class Quorum:
    seats_filled: int
    required: int
    present: int
    represented: int
    recused: int
    voters: frozenset[int] = field(default=frozenset())
    """The people who may vote (present or represented, recused members excluded)."""

    @property
    def counted(self) -> int:
        return self.present + self.represented - self.recused

    @property
    def reached(self) -> bool:
        return self.counted >= self.required


def quorum(meeting: Meeting, item: AgendaItem | None = None) -> Quorum:
    """M2: voting members of the body present or represented; advisory members never count,
    and people who declared a conflict on `item` are out of its quorum (D5)."""
    body = meeting.kind.body
    day = timezone.localtime(meeting.starts_at).date()
    voting_people = set(
        Mandate.objects.of_body(body).active_on(day).voting().values_list("person_id", flat=True)
    )
    rule = rule_of(body)
    filled = len(voting_people)
    required = rule.quorum_for(filled) if rule else filled // 2 + 1
    invitations = {
        invitation.pk: invitation
        for invitation in Invitation.objects.filter(
            meeting=meeting, person__in=voting_people, capacity=Invitation.Capacity.VOTING
        )
    }
    present = {inv.person_id for inv in invitations.values() if inv.is_present}
    represented = {
        invitations[giver].person_id
        for giver, holder in Proxy.objects.filter(meeting=meeting).values_list("giver", "holder")
        if giver in invitations
        and holder in invitations
        and invitations[holder].is_present
        and not invitations[giver].is_present
    }
    recused = (
        set(item.conflicts.values_list("person_id", flat=True)) & (present | represented)
        if item is not None
        else set()
    )
    return Quorum(
        filled,
        required,
        len(present),
        len(represented),
        len(recused),
        frozenset((present | represented) - recused),
    )


def notice_message(meeting: Meeting) -> str:
    return _(
        "Late convocation: %(kind)s needs %(days)s days' notice (by %(deadline)s); "
        "give the reason for the urgency."
    ) % {
        "kind": meeting.kind.name,
        "days": meeting.kind.notice_days,
        "deadline": date_format(
            timezone.localtime(notice_deadline(meeting)), "SHORT_DATETIME_FORMAT"
        ),
    }
