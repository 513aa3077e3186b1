from __future__ import annotations

from contextlib import suppress
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from coopgov.core import hygiene
from coopgov.core.actions import ORGANISATION_FIELDS, PERSON_FIELDS, UNIT_FIELDS
from coopgov.core.models import Member, MemberCategory, Organisation, Person, Role, Unit


class OrganisationForm(hygiene.ModelForm[Organisation]):
    class Meta:
        model = Organisation
        fields = ORGANISATION_FIELDS

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Accept "BE 0123.456.749": the action normalises it before validation.
        field = self.fields["enterprise_number"]
        assert isinstance(field, forms.CharField)
        field.max_length = 20
        field.widget.attrs["maxlength"] = 20
        field.validators = []

    def _post_clean(self) -> None:
        """Validation belongs to the action; the view copies its errors onto the form."""


class PersonForm(hygiene.ModelForm[Person]):
    class Meta:
        model = Person
        fields = PERSON_FIELDS

    def _post_clean(self) -> None:
        """Validation belongs to the action; the view copies its errors onto the form."""


class UnitForm(hygiene.ModelForm[Unit]):
    class Meta:
        model = Unit
        fields = UNIT_FIELDS

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        parent_field = self.fields["parent"]
        head_field = self.fields["head"]
        assert isinstance(parent_field, forms.ModelChoiceField)
        assert isinstance(head_field, forms.ModelChoiceField)
        parent_field.queryset = Unit.objects.of(organisation)
        head_field.queryset = Person.objects.of(organisation)

    def _post_clean(self) -> None:
        """Validation belongs to the action; the view copies its errors onto the form."""


class AdmitMemberForm(hygiene.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Member.Kind.choices, initial="natural")
    person = forms.ModelChoiceField(
        label=_("Person"), queryset=Person.objects.none(), required=False
    )
    legal_name = forms.CharField(label=_("Name of the legal person"), required=False)
    legal_enterprise_number = forms.CharField(
        label=_("Enterprise number of the legal person"), required=False, max_length=20
    )
    representative = forms.ModelChoiceField(
        label=_("Permanent representative"), queryset=Person.objects.none(), required=False
    )
    category = forms.ModelChoiceField(label=_("Category"), queryset=MemberCategory.objects.none())
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[
            (Member.Status.ADMITTED, _("Admitted")),
            (Member.Status.CANDIDATE, _("Candidate")),
        ],
    )
    admission_date = forms.DateField(
        label=_("Admission date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        people = Person.objects.of(organisation)
        for name in ("person", "representative"):
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = people
        category = self.fields["category"]
        assert isinstance(category, forms.ModelChoiceField)
        category.queryset = MemberCategory.objects.filter(organisation=organisation)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") == Member.Kind.NATURAL:
            if not data.get("person"):
                self.add_error("person", _("Choose the person who becomes a member."))
            data["legal_name"] = ""
            data["representative"] = None
        elif data.get("kind") == Member.Kind.LEGAL:
            if not data.get("legal_name"):
                self.add_error("legal_name", _("Give the name of the legal person."))
            if not data.get("representative"):
                self.add_error(
                    "representative", _("A legal person acts through a permanent representative.")
                )
            data["person"] = None
        return data


class MemberStatusForm(hygiene.Form):
    status = forms.ChoiceField(label=_("New status"), choices=Member.Status.choices)
    on = forms.DateField(
        label=_("Date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class RoleForm(hygiene.Form):
    kind = forms.ChoiceField(label=_("Role"), choices=Role.Kind.choices)


class ApiTokenForm(hygiene.Form):
    name = forms.CharField(
        label=_("Token name"),
        max_length=100,
        help_text=_("Say where the token is used, e.g. “register export script”."),
    )
    days = forms.IntegerField(label=_("Valid for (days)"), required=False, min_value=1)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The operator's limits; create_api_token enforces the maximum.
        days = self.fields["days"]
        days.initial = settings.API_TOKEN_DAYS
        days.widget.attrs["max"] = settings.API_TOKEN_MAX_DAYS
        days.help_text = _("At most %(max)d days; the token stops working after that.") % {
            "max": settings.API_TOKEN_MAX_DAYS
        }


class LanguageForm(hygiene.Form):
    language = forms.ChoiceField(choices=settings.LANGUAGES)
    next = forms.CharField(required=False)


CHOICES = 20  # options a limited select lists at once


class SearchSelect(forms.Select):
    """A choice among thousands: the select lists a few likely options, and a search box above
    it asks the server for those matching what is typed (htmx swaps the options)."""

    template_name = "core/widgets/search_select.html"
    search_url = ""
    search_label: Any = ""

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        context["widget"]["search_url"] = self.search_url
        context["widget"]["search_label"] = self.search_label
        return context


def limit_choices(
    form: forms.Form,
    name: str,
    queryset: QuerySet[Any],
    *,
    shown: QuerySet[Any],
    search_url: str = "",
    search_label: Any = "",
) -> None:
    """Accept any object of `queryset` but list only `shown` (and the one already chosen), so
    that a form stays light whatever the size of the register. With a SearchSelect widget,
    `search_url` answers the options matching what the person types."""
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)
    field.queryset = queryset
    widget = field.widget
    if isinstance(widget, SearchSelect):
        widget.search_url = search_url
        widget.search_label = search_label
    key = field.to_field_name or "pk"
    chosen = form.data.get(form.add_prefix(name)) or form.initial.get(name) or field.initial
    chosen = str(getattr(chosen, key, chosen) or "")

    def choices() -> list[tuple[Any, Any]]:
        options = list(shown)
        if chosen and all(str(getattr(o, key)) != chosen for o in options):
            # A value that is not valid is reported by the field when the form is checked.
            with suppress(ValueError, ValidationError):
                options += list(queryset.filter(**{key: chosen}))
        blank = [] if field.empty_label is None else [("", field.empty_label)]
        return blank + [(field.prepare_value(o), field.label_from_instance(o)) for o in options]

    widget.choices = choices


def choose_person(form: forms.Form, name: str, organisation: Organisation) -> None:
    """A person among tens of thousands: the officers are listed, anyone else is found by
    typing a name or an email."""
    from django.urls import reverse

    people = Person.objects.of(organisation)
    limit_choices(
        form,
        name,
        people,
        shown=people.officers().order_by("last_name", "first_name"),
        search_url=reverse("core:person_choices", args=[organisation.code]),
        search_label=_("Search a person by name or email"),
    )
