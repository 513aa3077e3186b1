from __future__ import annotations

from typing import Any

from django import forms
from django.utils.dates import MONTHS
from django.utils.translation import gettext_lazy as _

from coopgov.bodies.forms import set_queryset
from coopgov.bodies.models import Body
from coopgov.core import hygiene
from coopgov.core.models import Confidentiality, Organisation, Person, Unit
from coopgov.meetings.models import AgendaItem, Invitation, Meeting, MeetingKind, Outcome, Session

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class MeetingForm(hygiene.Form):
    kind = forms.ModelChoiceField(label=_("Kind of meeting"), queryset=MeetingKind.objects.none())
    title = forms.CharField(label=_("Title"), max_length=200)
    starts_at = forms.DateTimeField(label=_("Starts"), widget=DATETIME)
    ends_at = forms.DateTimeField(label=_("Ends"), widget=DATETIME)
    other_bodies = forms.ModelMultipleChoiceField(
        label=_("Other bodies taking part"),
        queryset=Body.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("For an inter-body meeting only."),
    )
    venue = forms.CharField(label=_("Venue"), required=False, max_length=200)
    address = forms.CharField(label=_("Address"), required=False, max_length=300)
    access_notes = forms.CharField(
        label=_("How to get there"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    online_link = forms.URLField(label=_("Online link"), required=False)
    host_unit = forms.ModelChoiceField(
        label=_("Host"), queryset=Unit.objects.none(), required=False
    )
    logistics = forms.CharField(
        label=_("Logistics"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    repeat_every_months = forms.IntegerField(
        label=_("Repeat every (months)"),
        required=False,
        min_value=1,
        max_value=12,
        help_text=_("For a series, e.g. every 2 months; each meeting can then be moved."),
    )
    repeat_count = forms.IntegerField(
        label=_("Number of meetings"), required=False, min_value=2, max_value=60
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(
            self,
            "kind",
            MeetingKind.objects.filter(organisation=organisation).select_related("body"),
        )
        set_queryset(self, "other_bodies", Body.objects.filter(organisation=organisation))
        set_queryset(self, "host_unit", Unit.objects.of(organisation))


class SessionForm(hygiene.Form):
    starts_at = forms.DateTimeField(label=_("Starts"), widget=DATETIME)
    ends_at = forms.DateTimeField(label=_("Ends"), widget=DATETIME)
    kind = forms.ChoiceField(label=_("Kind"), choices=Session.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    speakers = forms.ModelMultipleChoiceField(
        label=_("Speakers of the cooperative"), queryset=Person.objects.none(), required=False
    )
    guest_name = forms.CharField(label=_("Guest speaker"), required=False, max_length=200)
    guest_organisation = forms.CharField(
        label=_("Guest's organisation"), required=False, max_length=200
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(self, "speakers", Person.objects.of(organisation).officers())


class ItemForm(hygiene.Form):
    title = forms.CharField(label=_("Title"), max_length=250)
    purpose = forms.ChoiceField(label=_("Purpose"), choices=AgendaItem.Purpose.choices)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    duration_minutes = forms.IntegerField(
        label=_("Planned duration (minutes)"), min_value=1, max_value=600, initial=15
    )
    presenters = forms.ModelMultipleChoiceField(
        label=_("Presenters"), queryset=Person.objects.none(), required=False
    )
    session = forms.ModelChoiceField(
        label=_("Session"), queryset=Session.objects.none(), required=False
    )

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(self, "presenters", Person.objects.of(meeting.organisation).officers())
        set_queryset(self, "session", meeting.sessions.all())


class ConveneForm(hygiene.Form):
    urgency_reason = forms.CharField(
        label=_("Reason for a late convocation"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Needed only when the notice period is no longer respected."),
    )


class AttendanceForm(hygiene.Form):
    attendance = forms.ChoiceField(label=_("Attendance"), choices=Invitation.Attendance.choices)


class AnswerForm(hygiene.Form):
    answer = forms.ChoiceField(
        label=_("Will you attend?"),
        choices=[c for c in Invitation.Answer.choices if c[0] != Invitation.Answer.PENDING],
    )


def invitee_name(invitation: Invitation) -> str:
    return invitation.person.full_name


class ProxyForm(hygiene.Form):
    giver = forms.ModelChoiceField(label=_("Gives a proxy"), queryset=Invitation.objects.none())
    holder = forms.ModelChoiceField(label=_("To"), queryset=Invitation.objects.none())

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        voting = meeting.invitations.filter(capacity=Invitation.Capacity.VOTING).select_related(
            "person"
        )
        set_queryset(self, "giver", voting)
        set_queryset(self, "holder", voting)
        for name in ("giver", "holder"):
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            field.label_from_instance = invitee_name  # type: ignore[method-assign,assignment]


class OutcomeForm(hygiene.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Outcome.Kind.choices, initial="orientation")
    item = forms.ModelChoiceField(
        label=_("Agenda item"), queryset=AgendaItem.objects.none(), required=False
    )
    session = forms.ModelChoiceField(
        label=_("Session"), queryset=Session.objects.none(), required=False
    )
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(self, "item", meeting.items.filter(status=AgendaItem.Status.ACCEPTED))
        set_queryset(self, "session", meeting.sessions.all())


class ConflictForm(hygiene.Form):
    justification = forms.CharField(
        label=_("Why is there a conflict of interest?"), widget=forms.Textarea(attrs={"rows": 2})
    )


class ApproveMinutesForm(hygiene.Form):
    at = forms.ModelChoiceField(
        label=_("Approved at the meeting of"), queryset=Meeting.objects.none()
    )

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(
            self,
            "at",
            Meeting.objects.filter(
                kind__body=meeting.kind.body, starts_at__gt=meeting.starts_at
            ).order_by("starts_at"),
        )


class ErratumForm(hygiene.Form):
    text = forms.CharField(label=_("Correction"), widget=forms.Textarea(attrs={"rows": 2}))


class DocumentForm(hygiene.Form):
    title = forms.CharField(label=_("Title"), max_length=250)
    upload = forms.FileField(label=_("File"))
    item = forms.ModelChoiceField(
        label=_("Agenda item"), queryset=AgendaItem.objects.none(), required=False
    )
    confidentiality = forms.ChoiceField(
        label=_("Confidentiality"), choices=Confidentiality.choices, initial=Confidentiality.BODIES
    )

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(self, "item", meeting.items.filter(status=AgendaItem.Status.ACCEPTED))


class MoveForm(hygiene.Form):
    starts_at = forms.DateTimeField(label=_("Starts"), widget=DATETIME)
    ends_at = forms.DateTimeField(label=_("Ends"), widget=DATETIME)


class RecurringItemForm(hygiene.Form):
    kind = forms.ModelChoiceField(label=_("Kind of meeting"), queryset=MeetingKind.objects.none())
    title = forms.CharField(label=_("Title"), max_length=250)
    purpose = forms.ChoiceField(label=_("Purpose"), choices=AgendaItem.Purpose.choices)
    months = forms.TypedMultipleChoiceField(
        label=_("Months"),
        coerce=int,
        choices=[(number, MONTHS[number]) for number in range(1, 13)],
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(
            self,
            "kind",
            MeetingKind.objects.filter(organisation=organisation).select_related("body"),
        )


class GuestForm(hygiene.Form):
    """A guest is anyone of the register, named by their email: a list of every person would
    not fit a large cooperative."""

    person = forms.EmailField(label=_("Guest's email"))

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.people = Person.objects.of(meeting.organisation).exclude(invitations__meeting=meeting)

    def clean_person(self) -> Person:
        person = self.people.filter(email__iexact=self.cleaned_data["person"]).first()
        if person is None:
            raise forms.ValidationError(_("Nobody not yet invited has this email."))
        return person
