from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from coopgov.bodies.forms import set_queryset
from coopgov.bodies.models import Body
from coopgov.core import hygiene
from coopgov.core.forms import CHOICES, SearchSelect, limit_choices
from coopgov.core.models import Confidentiality, Organisation, Person
from coopgov.dossiers.actions import STAGE_PURPOSE
from coopgov.dossiers.majority import MajorityRule
from coopgov.dossiers.models import Action, ConsultationRule, Decision, Dossier, Stage, Tag
from coopgov.meetings.models import Meeting

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
SEARCH_DOSSIER = _("Search a dossier by its title")


def choose_dossier(
    form: forms.Form,
    name: str,
    organisation: Organisation,
    dossiers: QuerySet[Dossier],
    *,
    open_only: bool = False,
    exclude: Dossier | None = None,
) -> None:
    """A dossier field over thousands of dossiers: the latest ones are listed, the others are
    found by typing words of their title."""
    if open_only:
        dossiers = dossiers.exclude(stage=Stage.CLOSED)
    params = {"open": "1"} if open_only else {}
    if exclude is not None:
        dossiers = dossiers.exclude(pk=exclude.pk)
        params["exclude"] = str(exclude.code)
    if not form.fields[name].required:
        params["blank"] = "1"
    url = reverse("dossiers:choices", args=[organisation.code])
    limit_choices(
        form,
        name,
        dossiers,
        shown=dossiers.order_by("-created_at", "-pk")[:CHOICES],
        search_url=f"{url}?{urlencode(params)}" if params else url,
        search_label=SEARCH_DOSSIER,
    )


def choose_meeting(form: forms.Form, name: str, organisation: Organisation) -> None:
    """A meeting field: the coming meetings and those of the last three months are listed."""
    meetings = Meeting.objects.of(organisation).listed()
    limit_choices(
        form,
        name,
        meetings.exclude(status=Meeting.Status.CANCELLED),
        shown=meetings.current(),
    )


class DossierForm(hygiene.Form):
    title = forms.CharField(label=_("Title"), max_length=250)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    tags = forms.MultipleChoiceField(
        label=_("Tags"), choices=Tag.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    origin_body = forms.ModelChoiceField(
        label=_("Originating body"), queryset=Body.objects.none(), required=False
    )
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=Person.objects.none(), required=False)
    confidentiality = forms.ChoiceField(
        label=_("Confidentiality"), choices=Confidentiality.choices, initial="members"
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(self, "origin_body", Body.objects.filter(organisation=organisation))
        set_queryset(self, "owner", Person.objects.of(organisation).officers())


class ScheduleForm(hygiene.Form):
    meeting = forms.ModelChoiceField(label=_("Meeting"), queryset=Meeting.objects.none())
    stage = forms.ChoiceField(
        label=_("What the meeting does with it"),
        choices=[c for c in Stage.choices if c[0] in STAGE_PURPOSE],
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choose_meeting(self, "meeting", organisation)


class RelateForm(hygiene.Form):
    other = forms.ModelChoiceField(
        label=_("Relate to"),
        queryset=Dossier.objects.none(),
        to_field_name="code",
        widget=SearchSelect,
    )

    def __init__(self, *args: Any, dossier: Dossier, dossiers: QuerySet[Dossier], **kwargs: Any):
        super().__init__(*args, **kwargs)
        choose_dossier(
            self,
            "other",
            dossier.organisation,
            dossiers.exclude(pk__in=dossier.related.all()),
            exclude=dossier,
        )


class AgendaDossierForm(hygiene.Form):
    """From a meeting's side: the dossier to put on its agenda."""

    dossier = forms.ModelChoiceField(
        label=_("Dossier"),
        queryset=Dossier.objects.none(),
        to_field_name="code",
        widget=SearchSelect,
    )
    stage = forms.ChoiceField(
        label=_("What the meeting does with it"),
        choices=[c for c in Stage.choices if c[0] in STAGE_PURPOSE],
    )

    def __init__(
        self, *args: Any, dossiers: QuerySet[Dossier], organisation: Organisation, **kwargs: Any
    ):
        super().__init__(*args, **kwargs)
        choose_dossier(self, "dossier", organisation, dossiers, open_only=True)


class ConsultationForm(hygiene.Form):
    consulted_body = forms.ModelChoiceField(label=_("Body consulted"), queryset=Body.objects.none())
    kind = forms.ChoiceField(label=_("Kind"), choices=ConsultationRule.Kind.choices)
    due_date = forms.DateField(label=_("Due date"), widget=DATE)

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(self, "consulted_body", Body.objects.filter(organisation=organisation))


class OpinionForm(hygiene.Form):
    opinion = forms.CharField(label=_("Opinion"), widget=forms.Textarea(attrs={"rows": 3}))
    given_on = forms.DateField(label=_("Given on"), widget=DATE, required=False)


class DecisionForm(hygiene.Form):
    title = forms.CharField(label=_("Title"), max_length=250)
    text = forms.CharField(
        label=_("Text of the decision"), widget=forms.Textarea(attrs={"rows": 3})
    )
    summary = forms.CharField(
        label=_("Summary for the members"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    method = forms.ChoiceField(
        label=_("Vote"), choices=[c for c in Decision.Method.choices if c[0] != "written"]
    )
    majority = forms.ChoiceField(label=_("Majority rule"), choices=MajorityRule.choices)
    abstentions_count = forms.BooleanField(label=_("Abstentions count in the base"), required=False)
    yes = forms.IntegerField(label=_("Yes"), min_value=0, initial=0)
    no = forms.IntegerField(label=_("No"), min_value=0, initial=0)
    abstain = forms.IntegerField(label=_("Abstentions"), min_value=0, initial=0)
    effective_on = forms.DateField(label=_("Effective on"), widget=DATE, required=False)


class ActionForm(hygiene.Form):
    title = forms.CharField(label=_("Action"), max_length=250)
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=Person.objects.none())
    due_on = forms.DateField(label=_("Due on"), widget=DATE)

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(self, "owner", Person.objects.of(organisation).officers())


class MeetingActionForm(ActionForm):
    """An action decided at a meeting, outside any dossier."""

    meeting = forms.ModelChoiceField(label=_("Meeting"), queryset=Meeting.objects.none())

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, organisation=organisation, **kwargs)
        choose_meeting(self, "meeting", organisation)


class ActionStatusForm(hygiene.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Action.Status.choices)
    note = forms.CharField(label=_("Progress note"), required=False, max_length=500)


class WrittenResolutionForm(hygiene.Form):
    body = forms.ModelChoiceField(label=_("Body"), queryset=Body.objects.none())
    title = forms.CharField(label=_("Title"), max_length=250)
    text = forms.CharField(
        label=_("Text of the resolution"), widget=forms.Textarea(attrs={"rows": 4})
    )
    deadline = forms.DateField(label=_("Answers by"), widget=DATE)

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(self, "body", Body.objects.filter(organisation=organisation, may_decide=True))


class ExpectationForm(hygiene.Form):
    from_body = forms.ModelChoiceField(label=_("From"), queryset=Body.objects.none())
    to_body = forms.ModelChoiceField(label=_("To"), queryset=Body.objects.none())
    text = forms.CharField(label=_("Expectation"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("from_body", "to_body"):
            set_queryset(self, name, Body.objects.filter(organisation=organisation))
