from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from coopgov.bodies.forms import set_queryset
from coopgov.bodies.models import Body
from coopgov.core import hygiene
from coopgov.core.forms import SearchSelect
from coopgov.core.models import Confidentiality, Organisation, Person, Unit
from coopgov.dossiers.forms import choose_dossier, choose_meeting
from coopgov.dossiers.models import Action, Decision, Dossier
from coopgov.meetings.models import Meeting
from coopgov.strategy.models import Objective, Plan, Review, Workstream

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def decision_by_number(decisions: QuerySet[Decision], number: str) -> Decision | None:
    number = number.strip()
    if not number:
        return None
    decision = decisions.filter(number__iexact=number).first()
    if decision is None:
        raise forms.ValidationError(_("No decision has this number."))
    return decision


class PlanForm(hygiene.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    starts_year = forms.IntegerField(label=_("From year"), min_value=1900, max_value=2200)
    ends_year = forms.IntegerField(label=_("Horizon year"), min_value=1900, max_value=2200)
    body = forms.ModelChoiceField(label=_("Body that follows it"), queryset=Body.objects.none())
    summary = forms.CharField(
        label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    confidentiality = forms.ChoiceField(
        label=_("Confidentiality"), choices=Confidentiality.choices, initial="members"
    )
    dossier = forms.ModelChoiceField(
        label=_("Dossier"),
        queryset=Dossier.objects.none(),
        required=False,
        to_field_name="code",
        widget=SearchSelect,
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(self, "body", Body.objects.filter(organisation=organisation, may_decide=True))
        choose_dossier(
            self, "dossier", organisation, Dossier.objects.filter(organisation=organisation)
        )


class AxisForm(hygiene.Form):
    title = forms.CharField(label=_("Axis"), max_length=200)
    weight = forms.IntegerField(label=_("Weight"), min_value=1, max_value=100, initial=1)


class ObjectiveForm(hygiene.Form):
    axis = forms.IntegerField(widget=forms.HiddenInput)
    title = forms.CharField(label=_("Objective"), max_length=250)
    weight = forms.IntegerField(label=_("Weight"), min_value=1, max_value=100, initial=1)


class WorkstreamForm(hygiene.Form):
    objective = forms.ModelChoiceField(label=_("Objective"), queryset=Objective.objects.none())
    title = forms.CharField(label=_("Workstream"), max_length=250)
    owner_unit = forms.ModelChoiceField(label=_("Direction"), queryset=Unit.objects.none())
    sponsor = forms.ModelChoiceField(
        label=_("Sponsor"), queryset=Person.objects.none(), required=False
    )
    starts_on = forms.DateField(label=_("Starts on"), widget=DATE)
    ends_on = forms.DateField(label=_("Ends on"), widget=DATE)
    weight = forms.IntegerField(label=_("Weight"), min_value=1, max_value=100, initial=1)

    def __init__(self, *args: Any, plan: Plan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(
            self,
            "objective",
            Objective.objects.filter(axis__plan=plan).select_related("axis"),
        )
        set_queryset(
            self,
            "owner_unit",
            Unit.objects.of(plan.organisation).filter(kind=Unit.Kind.DIRECTION),
        )
        set_queryset(
            self, "sponsor", Person.objects.of(plan.organisation).filter(headed_units__isnull=False)
        )
        self.fields["objective"].label_from_instance = lambda o: f"{o.axis.position}. {o.title}"  # type: ignore[attr-defined]


class DeriveForm(hygiene.Form):
    title = forms.CharField(label=_("Title of the revision"), max_length=200)
    starts_year = forms.IntegerField(label=_("From year"), min_value=1900, max_value=2200)
    ends_year = forms.IntegerField(label=_("Horizon year"), min_value=1900, max_value=2200)
    change_note = forms.CharField(
        label=_("What the revision changes and why"), widget=forms.Textarea(attrs={"rows": 3})
    )


class ApproveForm(hygiene.Form):
    decision = forms.CharField(
        label=_("Approved by the decision number"),
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"placeholder": "AG-2026-001"}),
    )
    reference = forms.CharField(
        label=_("Or: approval recorded elsewhere"),
        max_length=250,
        required=False,
        help_text=_("For an approval taken before the cooperative used coopgov."),
    )
    approved_on = forms.DateField(label=_("Approved on"), required=False, widget=DATE)

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Typed by its number: ten years of decisions make no usable list.
        self.decisions = Decision.objects.filter(organisation=organisation, adopted=True)

    def clean_decision(self) -> Decision | None:
        return decision_by_number(self.decisions, self.cleaned_data["decision"])


class MilestoneForm(hygiene.Form):
    title = forms.CharField(label=_("Milestone"), max_length=250)
    due_on = forms.DateField(label=_("Due on"), widget=DATE)


class IndicatorForm(hygiene.Form):
    name = forms.CharField(label=_("Indicator"), max_length=200)
    unit = forms.CharField(label=_("Unit"), max_length=30, required=False)
    baseline = forms.DecimalField(
        label=_("Baseline"), required=False, max_digits=14, decimal_places=2
    )
    target = forms.DecimalField(label=_("Target"), max_digits=14, decimal_places=2)
    target_on = forms.DateField(label=_("Target date"), required=False, widget=DATE)
    higher_is_better = forms.BooleanField(label=_("Higher is better"), required=False, initial=True)


class IndicatorValueForm(hygiene.Form):
    indicator = forms.IntegerField(widget=forms.HiddenInput)
    measured_on = forms.DateField(label=_("Measured on"), widget=DATE)
    value = forms.DecimalField(label=_("Value"), max_digits=14, decimal_places=2)


class LinkForm(hygiene.Form):
    """Link a dossier in progress, a decision by its number, or an action of the dossiers and
    decisions already linked (lists stay short whatever the size of the register)."""

    dossier = forms.ModelChoiceField(
        label=_("Dossier"),
        queryset=Dossier.objects.none(),
        required=False,
        to_field_name="code",
        widget=SearchSelect,
    )
    decision = forms.CharField(
        label=_("Decision number"),
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"placeholder": "CA-2023-001"}),
    )
    action = forms.ModelChoiceField(
        label=_("Action"), queryset=Action.objects.none(), required=False
    )

    def __init__(
        self, *args: Any, workstream: Workstream, decisions: QuerySet[Decision], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.decisions = decisions  # those the person may read
        org = workstream.organisation
        choose_dossier(
            self,
            "dossier",
            org,
            Dossier.objects.filter(organisation=org).exclude(
                pk__in=workstream.dossiers.values("pk")
            ),
            open_only=True,
        )
        set_queryset(
            self,
            "action",
            Action.objects.filter(organisation=org)
            .filter(
                Q(dossier__in=workstream.dossiers.values("pk"))
                | Q(decision__in=workstream.decisions.values("pk"))
            )
            .exclude(pk__in=workstream.actions.values("pk")),
        )

    def clean_decision(self) -> Decision | None:
        return decision_by_number(self.decisions, self.cleaned_data["decision"])


class UpdateForm(hygiene.Form):
    unit = forms.ModelChoiceField(label=_("Direction"), queryset=Unit.objects.none())
    period_start = forms.DateField(label=_("Period from"), widget=DATE)
    period_end = forms.DateField(label=_("Period to"), widget=DATE)
    title = forms.CharField(label=_("Headline"), max_length=250)
    text = forms.CharField(label=_("News"), widget=forms.Textarea(attrs={"rows": 6}))

    def __init__(self, *args: Any, units: list[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["unit"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Unit.objects.filter(pk__in=[u.pk for u in units])
        if len(units) == 1:
            field.initial = units[0].pk


class ReportForm(hygiene.Form):
    """Where one workstream stands, in a progress update (one per workstream, prefixed)."""

    progress = forms.IntegerField(label=_("Progress (%)"), min_value=0, max_value=100)
    status = forms.ChoiceField(label=_("Status"), choices=Workstream.Status.choices)
    comment = forms.CharField(label=_("Comment"), required=False, max_length=2000)


class ReviewForm(hygiene.Form):
    title = forms.CharField(label=_("Title"), max_length=250)
    body = forms.ModelChoiceField(label=_("Body consulted"), queryset=Body.objects.none())
    meeting = forms.ModelChoiceField(
        label=_("During the meeting"),
        queryset=Meeting.objects.none(),
        required=False,
        help_text=_("Open during the meeting's hours; or give a period instead."),
    )
    opens_at = forms.DateTimeField(label=_("Opens"), required=False, widget=DATETIME)
    closes_at = forms.DateTimeField(label=_("Closes"), required=False, widget=DATETIME)
    questions = forms.CharField(
        label=_("Questions asked on each axis"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line; empty for the two usual questions."),
    )
    scale = forms.IntegerField(label=_("Scale"), min_value=3, max_value=10, initial=5)

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(self, "body", Body.objects.filter(organisation=organisation))
        choose_meeting(self, "meeting", organisation)


class ConcludeForm(hygiene.Form):
    orientation = forms.CharField(
        label=_("Orientation drawn from the review"), widget=forms.Textarea(attrs={"rows": 3})
    )
    meeting = forms.ModelChoiceField(
        label=_("At the meeting"), queryset=Meeting.objects.none(), required=False
    )

    def __init__(self, *args: Any, review: Review, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(
            self,
            "meeting",
            Meeting.objects.of_body(review.body)
            .listed()
            .exclude(status=Meeting.Status.CANCELLED)
            .order_by("-starts_at"),
        )
        if review.meeting_id:
            self.fields["meeting"].initial = review.meeting_id
