from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from coopgov.bodies.actions import BODY_FIELDS, EARLY_END_EXCLUDED, STRATA
from coopgov.bodies.models import Body, BodyRelation, Mandate, SeatGroup, SeatRule
from coopgov.core import hygiene
from coopgov.core.forms import SearchSelect, choose_person
from coopgov.core.models import Member, MemberCategory, Person

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class AppointForm(hygiene.Form):
    person = forms.ModelChoiceField(
        label=_("Person"), queryset=Person.objects.none(), widget=SearchSelect
    )
    legal_member = forms.ModelChoiceField(
        label=_("For the legal person"),
        queryset=Member.objects.none(),
        required=False,
        help_text=_("Only when the person represents a legal-person member."),
    )
    role = forms.ChoiceField(label=_("Role"), choices=Mandate.Role.choices, initial="member")
    seat_group = forms.ModelChoiceField(
        label=_("Seat"), queryset=SeatGroup.objects.none(), required=False
    )
    origin = forms.ChoiceField(label=_("Origin"), choices=Mandate.Origin.choices)
    start = forms.DateField(label=_("Start"), widget=DATE)
    end = forms.DateField(
        label=_("End"),
        widget=DATE,
        required=False,
        help_text=_("First day without the mandate. Empty: the term of the seat rule."),
    )
    decision_reference = forms.CharField(
        label=_("Decision or meeting"), required=False, max_length=60
    )

    def __init__(self, *args: Any, body: Body, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choose_person(self, "person", body.organisation)
        set_queryset(
            self,
            "legal_member",
            Member.objects.of(body.organisation).admitted().filter(kind=Member.Kind.LEGAL),
        )
        set_queryset(self, "seat_group", SeatGroup.objects.filter(rule__body=body))


def set_queryset(form: forms.Form, name: str, queryset: Any) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)
    field.queryset = queryset


class EndMandateForm(hygiene.Form):
    reason = forms.ChoiceField(
        label=_("Reason"),
        choices=[
            (value, label)
            for value, label in Mandate.EndReason.choices
            if value not in EARLY_END_EXCLUDED
        ],
    )
    on = forms.DateField(label=_("First day without the mandate"), widget=DATE)


class RenewForm(hygiene.Form):
    origin = forms.ChoiceField(label=_("Origin"), choices=Mandate.Origin.choices)
    end = forms.DateField(label=_("End"), widget=DATE, required=False)
    decision_reference = forms.CharField(label=_("Decision or meeting"), required=False)


class RepresentativeForm(hygiene.Form):
    person = forms.ModelChoiceField(
        label=_("New representative"), queryset=Person.objects.none(), widget=SearchSelect
    )
    since = forms.DateField(label=_("Since"), widget=DATE)

    def __init__(self, *args: Any, organisation: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choose_person(self, "person", organisation)


class CoOptForm(hygiene.Form):
    person = forms.ModelChoiceField(
        label=_("Co-opted person"), queryset=Person.objects.none(), widget=SearchSelect
    )
    start = forms.DateField(label=_("Start"), widget=DATE)
    decision_reference = forms.CharField(label=_("Board decision"), required=False)

    def __init__(self, *args: Any, organisation: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choose_person(self, "person", organisation)


class ConfirmationForm(hygiene.Form):
    decision = forms.ChoiceField(
        label=_("The general assembly"),
        choices=[("confirm", _("confirms")), ("reject", _("does not confirm"))],
    )
    on = forms.DateField(label=_("On"), widget=DATE)


class DrawForm(hygiene.Form):
    seats = forms.IntegerField(label=_("Seats to draw"), min_value=1, max_value=50)
    categories = forms.ModelMultipleChoiceField(
        label=_("Eligible member categories"),
        queryset=MemberCategory.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    exclude_mandate_holders = forms.BooleanField(
        label=_("Leave out members who hold a mandate on the start date"),
        required=False,
        initial=True,
    )
    stratum = forms.ChoiceField(
        label=_("Share the seats by"),
        choices=[("", _("no strata")), ("category", _("member category")), ("gender", _("gender"))],
        required=False,
    )
    seed = forms.CharField(
        label=_("Random seed"),
        required=False,
        max_length=64,
        help_text=_("Empty: a random one, recorded so that anyone can re-run the draw."),
    )
    start = forms.DateField(label=_("Mandates start"), widget=DATE)
    end = forms.DateField(label=_("Mandates end"), widget=DATE, required=False)

    def __init__(self, *args: Any, body: Body, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(
            self, "categories", MemberCategory.objects.filter(organisation=body.organisation)
        )
        assert set(dict(self.fields["stratum"].choices)) <= set(STRATA)  # type: ignore[attr-defined]


class BodyForm(hygiene.ModelForm[Body]):
    class Meta:
        model = Body
        fields = BODY_FIELDS
        widgets = {
            "next_ordinary_meeting": DATE,
            "purpose": forms.Textarea(attrs={"rows": 3}),
            "powers": forms.Textarea(attrs={"rows": 3}),
        }

    def _post_clean(self) -> None:
        """Validation belongs to the action; the view copies its errors onto the form."""


class SeatRuleForm(hygiene.ModelForm[SeatRule]):
    selection_modes = forms.MultipleChoiceField(
        label=_("Selection modes"),
        choices=Mandate.Origin.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Empty: any. Observers' seats are not concerned."),
    )

    class Meta:
        model = SeatRule
        fields = [
            "min_seats",
            "max_seats",
            "size_enforcement",
            "quota_enforcement",
            "min_gender_share",
            "gender_enforcement",
            "term_years",
            "max_consecutive_terms",
            "term_enforcement",
            "selection_modes",
            "advisory_seats",
            "legal_person_seats",
            "quorum_numerator",
            "quorum_denominator",
            "quorum_base",
        ]

    def _post_clean(self) -> None:
        """Validation belongs to the action; the view copies its errors onto the form."""


class SeatGroupForm(hygiene.Form):
    name = forms.CharField(label=_("Seat group"), max_length=40)
    seats = forms.IntegerField(label=_("Seats"), min_value=1, max_value=500)
    categories = forms.ModelMultipleChoiceField(
        label=_("Member categories"),
        queryset=MemberCategory.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, organisation: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(self, "categories", MemberCategory.objects.filter(organisation=organisation))


SeatGroupFormSet = forms.formset_factory(SeatGroupForm, extra=1, can_delete=True, max_num=10)


class RelationForm(hygiene.Form):
    kind = forms.ChoiceField(label=_("Relation"), choices=BodyRelation.Kind.choices)
    target = forms.ModelChoiceField(label=_("Body"), queryset=Body.objects.none())
    seats = forms.IntegerField(label=_("Seats"), required=False, min_value=1)

    def __init__(self, *args: Any, body: Body, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(
            self, "target", Body.objects.filter(organisation=body.organisation).exclude(pk=body.pk)
        )
