"""Pages of the core objects: organisation, units, people, members, the person's own settings."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.db import DatabaseError, connection
from django.db.models import Count, Q, QuerySet
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from coopgov.core import actions
from coopgov.core.access import (
    Actor,
    access_member,
    access_organisation,
    access_person,
    access_unit,
    may_read,
    require,
)
from coopgov.core.forms import (
    CHOICES,
    AdmitMemberForm,
    ApiTokenForm,
    LanguageForm,
    MemberStatusForm,
    OrganisationForm,
    PersonForm,
    RoleForm,
    UnitForm,
)
from coopgov.core.models import Event, Member, MemberCategory, Organisation, Person, Unit
from coopgov.core.public import public

HISTORY_LENGTH = 25


def copy_errors(form: BaseForm, error: ValidationError) -> None:
    """Put an action's ValidationError on the form: on the field it names, else on the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            if field in form.fields:
                form.add_error(field, errors)
            else:
                form.add_error(None, errors)
    else:
        form.add_error(None, error)


def submit(
    request: HttpRequest,
    form: BaseForm,
    run: Callable[[], Any],
    *,
    success: str,
    target: Any,
    page: Callable[[], HttpResponse],
) -> HttpResponse:
    """One form of a page: when it is valid, run its action, say `success` and redirect to
    `target` (or to `target(result)` when it is a function); when it is not, or the action
    refuses (its errors go on the form's fields), show `page()` again with status 400. The
    action is atomic: nothing is half-saved."""
    if form.is_valid():
        try:
            result = run()
        except ValidationError as error:
            copy_errors(form, error)
        else:
            messages.success(request, success)
            return redirect(target(result) if callable(target) else target)
    response = page()
    response.status_code = 400
    return response


def paginate(request: HttpRequest, queryset: QuerySet[Any]) -> Page[Any]:
    return Paginator(queryset, settings.PAGE_SIZE).get_page(request.GET.get("page"))


def history(actor: Actor, target: Any) -> list[Event] | None:
    """The last events of an object, for those allowed to read the audit trail."""
    if not actor.has("core.history:read"):
        return None
    return list(Event.objects.for_target(target)[:HISTORY_LENGTH])


def signed_in(request: HttpRequest) -> User:
    """The user of a page that LoginRequiredMiddleware already guards."""
    assert isinstance(request.user, User)
    return request.user


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def asked_form(request: HttpRequest, actor: Actor, names: frozenset[str], right: str) -> str:
    """The card a page was asked to open (`?form=<name>`): the page's secretariat forms load
    when their card opens. An unknown name, or one the actor may not use, is a 404."""
    name = request.GET.get("form", "")
    if name and (name not in names or not actor.has(right)):
        raise Http404
    return name


def render_page(
    request: HttpRequest, template: str, context: dict[str, Any], form: str
) -> HttpResponse:
    """The page, or with htmx only the form of the card being opened (partial `form-<name>`)."""
    if form and is_htmx(request):
        return render(request, f"{template}#form-{form}", context)
    return render(request, template, context)


# Home and organisation


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    organisations = list(Organisation.objects.filter(people__user=signed_in(request)).distinct())
    if len(organisations) == 1:
        return redirect(organisations[0])
    return render(request, "core/home.html", {"organisations": organisations})


@require_GET
def organisation(request: HttpRequest, org: str) -> HttpResponse:
    actor = access_organisation(request.user, org)
    organisation = actor.organisation
    categories = MemberCategory.objects.filter(organisation=organisation).annotate(
        admitted=Count("members", filter=Q(members__status=Member.Status.ADMITTED))
    )
    context = {
        "actor": actor,
        "org": organisation,
        "section": "overview",
        "categories": categories,
        "unit_count": Unit.objects.of(organisation).count(),
        "directions": Unit.objects.of(organisation)
        .filter(kind=Unit.Kind.DIRECTION)
        .select_related("head", "organisation"),
        "history": history(actor, organisation),
    }
    return render(request, "core/organisation.html", context)


@require_http_methods(["GET", "POST"])
def organisation_edit(request: HttpRequest, org: str) -> HttpResponse:
    actor = access_organisation(request.user, org, for_write=True)
    organisation = actor.organisation
    form = OrganisationForm(request.POST or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            assert actor.person is not None
            actions.update_organisation(
                actor.person, organisation=organisation, changes=form.cleaned_data
            )
        except ValidationError as error:
            organisation.refresh_from_db()
            copy_errors(form, error)
        else:
            messages.success(request, _("The organisation's settings are saved."))
            return redirect(organisation)
    return render(
        request,
        "core/organisation_edit.html",
        {"actor": actor, "org": organisation, "section": "overview", "form": form},
    )


# Units


@require_GET
def unit_list(request: HttpRequest, org: str) -> HttpResponse:
    actor = access_organisation(request.user, org)
    units = list(
        Unit.objects.of(actor.organisation)
        .select_related("head", "organisation")
        .annotate(child_count=Count("children"))
        .order_by("name")
    )
    children: dict[int | None, list[Unit]] = {}
    for unit in units:
        children.setdefault(unit.parent_id, []).append(unit)

    def walk(parent: int | None, depth: int) -> list[tuple[Unit, int]]:
        rows: list[tuple[Unit, int]] = []
        for unit in children.get(parent, []):
            rows.append((unit, depth))
            rows.extend(walk(unit.pk, depth + 1))
        return rows

    return render(
        request,
        "core/unit_list.html",
        {"actor": actor, "org": actor.organisation, "section": "units", "rows": walk(None, 0)},
    )


@require_GET
def unit_detail(request: HttpRequest, org: str, code: str) -> HttpResponse:
    actor = access_organisation(request.user, org)
    unit = access_unit(actor, code)
    return render(
        request,
        "core/unit_detail.html",
        {
            "actor": actor,
            "org": actor.organisation,
            "section": "units",
            "unit": unit,
            "children": unit.children.select_related("head", "organisation").order_by("name"),
            "history": history(actor, unit),
        },
    )


@require_http_methods(["GET", "POST"])
def unit_form(request: HttpRequest, org: str, code: str | None = None) -> HttpResponse:
    actor = access_organisation(request.user, org)
    unit = access_unit(actor, code, for_write=True) if code else None
    if unit is None:
        require(actor, "core.units:write")
    form = UnitForm(request.POST or None, instance=unit, organisation=actor.organisation)
    if request.method == "POST" and form.is_valid():
        try:
            if unit is None:
                unit = actions.create_unit(
                    actor.person, organisation=actor.organisation, **form.cleaned_data
                )
            else:
                unit = actions.update_unit(actor.person, unit=unit, changes=form.cleaned_data)  # type: ignore[arg-type]
        except ValidationError as error:
            copy_errors(form, error)
        else:
            messages.success(request, _("The unit is saved."))
            return redirect(unit)
    return render(
        request,
        "core/unit_form.html",
        {"actor": actor, "org": actor.organisation, "section": "units", "unit": unit, "form": form},
    )


# People


@require_GET
def person_list(request: HttpRequest, org: str) -> HttpResponse:
    actor = access_organisation(request.user, org)
    require(actor, "core.people:read")
    query = request.GET.get("q", "").strip()
    people = (
        Person.objects.of(actor.organisation)
        .select_related("organisation")
        .order_by("last_name", "first_name", "pk")
    )
    if query:
        people = people.search(query)
    context = {
        "actor": actor,
        "org": actor.organisation,
        "section": "people",
        "q": query,
        "page": paginate(request, people),
    }
    if is_htmx(request):
        return render(request, "core/person_list.html#results", context)
    return render(request, "core/person_list.html", context)


@require_GET
def person_choices(request: HttpRequest, org: str) -> HttpResponse:
    """The options of a person select matching what is typed (forms.SearchSelect)."""
    actor = access_organisation(request.user, org)
    require(actor, "core.people:read")
    query = request.GET.get("q", "").strip()
    people = Person.objects.of(actor.organisation).order_by("last_name", "first_name", "pk")
    found = people.search(query)[:CHOICES] if query else people.officers()[:CHOICES]
    return render(
        request,
        "core/_options.html",
        {"options": [(p.pk, str(p)) for p in found], "blank": request.GET.get("blank")},
    )


@require_GET
def person_detail(request: HttpRequest, org: str, code: str) -> HttpResponse:
    actor = access_organisation(request.user, org)
    person = access_person(actor, code)
    memberships = Member.objects.filter(Q(person=person) | Q(representative=person)).select_related(
        "category", "organisation"
    )
    return render(
        request,
        "core/person_detail.html",
        {
            "actor": actor,
            "org": actor.organisation,
            "section": "people",
            "person": person,
            "memberships": memberships,
            "roles": person.roles.all(),
            "role_form": RoleForm(),
            "headed_units": person.headed_units.select_related("organisation"),
            "mandates": readable_mandates(actor, person),
            "history": history(actor, person),
        },
    )


def readable_mandates(actor: Actor, person: Person) -> list[Any]:
    """The person's mandates, past and present, in the bodies the actor may look into."""
    mandates = getattr(person, "mandates", None)
    if mandates is None:
        return []
    return [
        mandate
        for mandate in mandates.select_related(
            "body__organisation", "seat_group", "organisation"
        ).order_by("-start")
        if may_read(actor, mandate.body.confidentiality, bodies=[mandate.body_id])
    ]


@require_http_methods(["GET", "POST"])
def person_form(request: HttpRequest, org: str, code: str | None = None) -> HttpResponse:
    actor = access_organisation(request.user, org)
    person = access_person(actor, code, for_write=True) if code else None
    if person is None:
        require(actor, "core.people:write")
    form = PersonForm(request.POST or None, instance=person)
    if request.method == "POST" and form.is_valid():
        try:
            if person is None:
                person = actions.add_person(
                    actor.person, organisation=actor.organisation, **form.cleaned_data
                )
            else:
                assert actor.person is not None
                person = actions.update_person(
                    actor.person, person=person, changes=form.cleaned_data
                )
        except ValidationError as error:
            copy_errors(form, error)
        else:
            messages.success(request, _("%(name)s is saved.") % {"name": person.full_name})
            return redirect(person)
    return render(
        request,
        "core/person_form.html",
        {
            "actor": actor,
            "org": actor.organisation,
            "section": "people",
            "person": person,
            "form": form,
        },
    )


@require_POST
def person_invite(request: HttpRequest, org: str, code: str) -> HttpResponse:
    """Give the person a login (if needed) and email them a link to choose their password."""
    actor = access_organisation(request.user, org)
    person = access_person(actor, code, for_write=True)
    try:
        actions.invite_person(actor.person, person=person, site_url=request.build_absolute_uri("/"))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("An invitation to sign in is on its way to %(email)s.") % {"email": person.email},
        )
    return redirect(person)


@require_POST
def person_grant_role(request: HttpRequest, org: str, code: str) -> HttpResponse:
    actor = access_organisation(request.user, org)
    require(actor, "core.roles:write")
    person = access_person(actor, code)
    form = RoleForm(request.POST)
    if form.is_valid():
        try:
            actions.grant_role(actor.person, person=person, kind=form.cleaned_data["kind"])
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The role is granted."))
    return redirect(person)


@require_POST
def person_revoke_role(request: HttpRequest, org: str, code: str, kind: str) -> HttpResponse:
    actor = access_organisation(request.user, org)
    require(actor, "core.roles:write")
    person = access_person(actor, code)
    if person == actor.person and kind == "admin":
        messages.error(request, _("You cannot remove your own administrator role."))
        return redirect(person)
    try:
        assert actor.person is not None
        actions.revoke_role(actor.person, person=person, kind=kind)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The role is revoked."))
    return redirect(person)


# Members


@require_GET
def member_list(request: HttpRequest, org: str) -> HttpResponse:
    actor = access_organisation(request.user, org)
    require(actor, "core.members:read")
    query = request.GET.get("q", "").strip()
    category = request.GET.get("category", "")
    status = request.GET.get("status", "")
    members = Member.objects.of(actor.organisation).listing(
        q=query, category=category, status=status
    )
    context = {
        "actor": actor,
        "org": actor.organisation,
        "section": "members",
        "q": query,
        "category": category,
        "status": status,
        "categories": MemberCategory.objects.filter(organisation=actor.organisation),
        "statuses": Member.Status.choices,
        "page": paginate(request, members),
    }
    if is_htmx(request):
        return render(request, "core/member_list.html#results", context)
    return render(request, "core/member_list.html", context)


@require_GET
def member_detail(request: HttpRequest, org: str, number: int) -> HttpResponse:
    actor = access_organisation(request.user, org)
    member = access_member(actor, number)
    return render(
        request,
        "core/member_detail.html",
        {
            "actor": actor,
            "org": actor.organisation,
            "section": "members",
            "member": member,
            "status_form": MemberStatusForm(initial={"status": member.status}),
            "history": history(actor, member),
        },
    )


@require_http_methods(["GET", "POST"])
def member_admit(request: HttpRequest, org: str) -> HttpResponse:
    actor = access_organisation(request.user, org)
    require(actor, "core.members:write")
    form = AdmitMemberForm(request.POST or None, organisation=actor.organisation)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            member = actions.admit_member(
                actor.person,
                organisation=actor.organisation,
                category=data["category"],
                admission_date=data["admission_date"],
                person=data["person"],
                legal_name=data["legal_name"],
                legal_enterprise_number=data["legal_enterprise_number"],
                representative=data["representative"],
                status=data["status"],
            )
        except ValidationError as error:
            copy_errors(form, error)
        else:
            messages.success(
                request, _("Member number %(number)s is recorded.") % {"number": member.number}
            )
            return redirect(member)
    return render(
        request,
        "core/member_admit.html",
        {"actor": actor, "org": actor.organisation, "section": "members", "form": form},
    )


@require_POST
def member_status(request: HttpRequest, org: str, number: int) -> HttpResponse:
    actor = access_organisation(request.user, org)
    member = access_member(actor, number, for_write=True)
    form = MemberStatusForm(request.POST)
    if form.is_valid():
        try:
            assert actor.person is not None
            actions.change_member_status(
                actor.person,
                member=member,
                status=form.cleaned_data["status"],
                on=form.cleaned_data["on"],
            )
        except ValidationError as error:
            member.refresh_from_db()
            copy_errors(form, error)
        else:
            messages.success(request, _("The member's status is changed."))
            if not is_htmx(request):
                return redirect(member)
            form = MemberStatusForm(initial={"status": member.status})
    context = {
        "actor": actor,
        "org": actor.organisation,
        "section": "members",
        "member": member,
        "status_form": form,
        "history": history(actor, member),
        "refresh_history": True,
    }
    if is_htmx(request):
        return render(request, "core/member_detail.html#status", context)
    return render(request, "core/member_detail.html", context, status=400)


# The signed-in person's own settings


NEW_TOKEN_SESSION_KEY = "coopgov_new_api_token"  # noqa: S105 - a session key name


@require_http_methods(["GET", "POST"])
def my_account(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    form = ApiTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            _token, raw = actions.create_api_token(
                user, name=form.cleaned_data["name"], days=form.cleaned_data["days"]
            )
        except ValidationError as error:
            copy_errors(form, error)
        else:
            # Post/redirect/get: the clear token waits in the session for one display.
            request.session[NEW_TOKEN_SESSION_KEY] = raw
            return redirect("my_account")
    return render(
        request,
        "core/my_account.html",
        {
            "form": form,
            "new_token": request.session.pop(NEW_TOKEN_SESSION_KEY, None),
            "tokens": user.api_tokens.all(),
            "people": Person.objects.filter(user=user).select_related("organisation"),
        },
    )


@require_POST
def revoke_token(request: HttpRequest, prefix: str) -> HttpResponse:
    user = signed_in(request)
    token = user.api_tokens.usable().filter(prefix=prefix).first()
    if token is None:
        raise Http404
    actions.revoke_api_token(user, token=token)
    messages.success(request, _("The token “%(name)s” is revoked.") % {"name": token.name})
    return redirect("my_account")


@public
@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Switch the interface language; a signed-in person's preference follows (for emails too)."""
    form = LanguageForm(request.POST)
    next_url = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    response = redirect(next_url)
    if form.is_valid():
        language = form.cleaned_data["language"]
        if isinstance(request.user, User):
            for person in Person.objects.filter(user=request.user):
                if person.preferred_language != language:
                    actions.set_preferred_language(person, language=language)
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
    return response


@public
@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness and database check for load balancers and monitoring."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        return JsonResponse({"status": "error", "database": str(error)}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})
