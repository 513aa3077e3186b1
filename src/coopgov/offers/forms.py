from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from coopgov.bodies.forms import set_queryset
from coopgov.core import hygiene
from coopgov.core.forms import SearchSelect
from coopgov.core.models import Member, MemberCategory, Organisation, Person, Role, Unit
from coopgov.dossiers.forms import choose_dossier, choose_meeting
from coopgov.dossiers.models import Dossier
from coopgov.meetings.models import Meeting
from coopgov.offers.models import (
    Activity,
    Need,
    Offer,
    OfferService,
    OfferVersion,
    Participation,
    PathStage,
    Profile,
    Service,
    Stage,
    SupportMeeting,
)
from coopgov.offers.rules import NEXT_STAGES

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ServiceForm(hygiene.Form):
    code = forms.SlugField(label=_("Code"), max_length=60)
    name = forms.CharField(label=_("Name"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    unit = forms.ModelChoiceField(
        label=_("Delivered by"), queryset=Unit.objects.none(), required=False
    )
    funding = forms.ChoiceField(label=_("Funded by"), choices=Service.Funding.choices)
    funding_note = forms.CharField(label=_("Funding note"), max_length=250, required=False)

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(self, "unit", Unit.objects.of(organisation))


class OfferForm(hygiene.Form):
    code = forms.SlugField(label=_("Code"), max_length=60)
    name = forms.CharField(label=_("Name"), max_length=200)
    summary = forms.CharField(
        label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    hypothesis = forms.BooleanField(label=_("Working hypothesis"), required=False, initial=True)
    dossier = forms.ModelChoiceField(
        label=_("Design dossier"),
        queryset=Dossier.objects.none(),
        required=False,
        to_field_name="code",
        widget=SearchSelect,
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choose_dossier(
            self, "dossier", organisation, Dossier.objects.filter(organisation=organisation)
        )


class VersionForm(hygiene.Form):
    """A new version of a variant; each service gets a level (or none) in `level-<id>`."""

    valid_from = forms.DateField(label=_("Valid from"), widget=DATE)
    valid_until = forms.DateField(label=_("Valid until"), required=False, widget=DATE)
    cooperative_commitments = forms.CharField(
        label=_("The cooperative commits to"), widget=forms.Textarea(attrs={"rows": 3})
    )
    shares_required = forms.IntegerField(label=_("Shares to hold"), min_value=0, initial=1)
    contribution_rate = forms.DecimalField(
        label=_("Contribution rate (%)"), min_value=0, max_value=100, decimal_places=2
    )
    contribution_base = forms.ChoiceField(
        label=_("Contribution on"), choices=OfferVersion.Base.choices
    )
    minimum_annual_activity = forms.DecimalField(
        label=_("Minimum yearly activity (€)"), required=False, min_value=0, decimal_places=2
    )
    support_meetings_per_year = forms.IntegerField(
        label=_("Support meetings a year"), min_value=0, initial=2
    )
    participation_duties = forms.CharField(
        label=_("Other duties of the member"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    eligible_categories = forms.ModelMultipleChoiceField(
        label=_("Member categories"),
        queryset=MemberCategory.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    eligible_profiles = forms.MultipleChoiceField(
        label=_("Activity profiles"),
        choices=Profile.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(
            self, "eligible_categories", MemberCategory.objects.filter(organisation=organisation)
        )
        self.services = list(Service.objects.filter(organisation=organisation))
        for service in self.services:
            self.fields[f"level-{service.pk}"] = forms.ChoiceField(
                label=service.name,
                choices=[("", _("Not rendered")), *OfferService.Level.choices],
                required=False,
            )

    def levels(self) -> dict[Service, str]:
        return {
            service: self.cleaned_data[f"level-{service.pk}"]
            for service in self.services
            if self.cleaned_data.get(f"level-{service.pk}")
        }


class ActivityForm(hygiene.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    sector = forms.CharField(label=_("Sector"), max_length=100)
    profile = forms.ChoiceField(label=_("Profile"), choices=Profile.choices)
    started_on = forms.DateField(label=_("Started on"), widget=DATE)
    holders = forms.CharField(
        label=_("Holders (member numbers)"),
        help_text=_("Separated by commas, for example 12, 40."),
    )
    office = forms.ModelChoiceField(label=_("Office"), queryset=Unit.objects.none(), required=False)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        set_queryset(
            self, "office", Unit.objects.of(organisation).filter(kind=Unit.Kind.LOCAL_OFFICE)
        )

    def clean_holders(self) -> list[Member]:
        numbers = [part.strip() for part in self.cleaned_data["holders"].split(",") if part.strip()]
        if not numbers or any(hygiene.parse_int(n) is None for n in numbers):
            raise forms.ValidationError(_("Give member numbers separated by commas."))
        members = list(
            Member.objects.of(self.organisation)
            .with_names()
            .filter(number__in=[int(n) for n in numbers])
        )
        missing = sorted(set(int(n) for n in numbers) - {m.number for m in members})
        if missing:
            raise forms.ValidationError(
                _("No member has the number %(numbers)s.")
                % {"numbers": ", ".join(map(str, missing))}
            )
        return members


class StageForm(hygiene.Form):
    """The stages that may follow the current one are offered; the action checks again."""

    stage = forms.ChoiceField(label=_("Next stage"), choices=Stage.choices)
    on = forms.DateField(label=_("On"), widget=DATE)
    exit_reason = forms.ChoiceField(
        label=_("Exit reason"), choices=[("", "—"), *PathStage.ExitReason.choices], required=False
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=2000)

    def __init__(self, *args: Any, current: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if current is not None and self.data == {}:
            field = self.fields["stage"]
            assert isinstance(field, forms.ChoiceField)
            field.choices = [c for c in Stage.choices if c[0] in NEXT_STAGES.get(current, ())]


class EnrolForm(hygiene.Form):
    version = forms.ModelChoiceField(label=_("Offer variant"), queryset=OfferVersion.objects.none())
    starts_on = forms.DateField(label=_("From"), widget=DATE)
    review_on = forms.DateField(
        label=_("Review the commitments on"),
        required=False,
        widget=DATE,
        help_text=_("A year after the start when empty."),
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(
            self,
            "version",
            OfferVersion.objects.filter(offer__organisation=organisation).select_related("offer"),
        )
        field = self.fields["version"]
        field.label_from_instance = lambda v: (  # type: ignore[attr-defined]
            f"{v.offer.name} — v{v.number} ({v.valid_from:%d/%m/%Y}"
            + (f"\N{EN DASH}{v.valid_until:%d/%m/%Y})" if v.valid_until else "\N{EN DASH})")
        )


class ReviewForm(hygiene.Form):
    next_review_on = forms.DateField(label=_("Next review on"), widget=DATE)
    note = forms.CharField(label=_("Note"), required=False, max_length=300)


class SharesForm(hygiene.Form):
    holding = forms.IntegerField(widget=forms.HiddenInput)
    shares = forms.IntegerField(label=_("Shares held"), min_value=0)


class ContributionForm(hygiene.Form):
    period_start = forms.DateField(label=_("Period from"), widget=DATE)
    period_end = forms.DateField(label=_("Period to"), widget=DATE)
    base_amount = forms.DecimalField(label=_("Base (€)"), decimal_places=2, min_value=0)
    due_on = forms.DateField(label=_("Due on"), widget=DATE)


class PaymentForm(hygiene.Form):
    contribution = forms.IntegerField(widget=forms.HiddenInput)
    amount = forms.DecimalField(label=_("Amount paid (€)"), decimal_places=2)
    paid_on = forms.DateField(label=_("Paid on"), widget=DATE)


class SupportMeetingForm(hygiene.Form):
    """A support meeting; the participants' attendance comes as `attendance-<person id>`."""

    held_on = forms.DateField(label=_("Date"), widget=DATE)
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[
            (SupportMeeting.Status.HELD, SupportMeeting.Status.HELD.label),
            (SupportMeeting.Status.PLANNED, SupportMeeting.Status.PLANNED.label),
        ],
    )
    advisers = forms.ModelMultipleChoiceField(
        label=_("Advisers"), queryset=Person.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    objectives = forms.CharField(
        label=_("Objectives"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    agreed_actions = forms.CharField(
        label=_("Agreed actions"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    next_steps = forms.CharField(
        label=_("Next steps"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    next_meeting_on = forms.DateField(label=_("Next meeting on"), required=False, widget=DATE)

    def __init__(
        self, *args: Any, activity: Activity, participants: list[Person], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(
            self,
            "advisers",
            Person.objects.of(activity.organisation)
            .filter(Q(roles__kind=Role.Kind.STAFF) | Q(advised_activities=activity))
            .distinct(),
        )
        self.participants = participants
        for person in participants:
            self.fields[f"attendance-{person.pk}"] = forms.ChoiceField(
                label=person.full_name,
                choices=Participation.Attendance.choices,
                initial=Participation.Attendance.ATTENDED,
            )

    def attendance(self) -> dict[Person, str]:
        return {p: self.cleaned_data[f"attendance-{p.pk}"] for p in self.participants}


class MilestoneForm(hygiene.Form):
    title = forms.CharField(label=_("Milestone"), max_length=250)
    due_on = forms.DateField(label=_("Due on"), widget=DATE)


class NeedForm(hygiene.Form):
    service = forms.ModelChoiceField(label=_("Service"), queryset=Service.objects.none())
    level = forms.ChoiceField(label=_("Need"), choices=Need.Level.choices)
    comment = forms.CharField(label=_("Comment"), required=False, max_length=500)

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(self, "service", Service.objects.filter(organisation=organisation))


class FeedForm(hygiene.Form):
    offer = forms.ModelChoiceField(label=_("Offer variant"), queryset=Offer.objects.none())
    meeting = forms.ModelChoiceField(label=_("Meeting"), queryset=Meeting.objects.none())

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(
            self, "offer", Offer.objects.filter(organisation=organisation, dossier__isnull=False)
        )
        choose_meeting(self, "meeting", organisation)
