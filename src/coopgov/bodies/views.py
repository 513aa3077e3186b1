"""Pages of bodies and mandates: the list, the map, composition at a date, appointments."""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from coopgov.bodies import actions
from coopgov.bodies.access import (
    WRITE,
    access_body,
    access_confirmation,
    access_draw,
    access_mandate,
    may_see_internals,
)
from coopgov.bodies.forms import (
    AppointForm,
    BodyForm,
    ConfirmationForm,
    CoOptForm,
    DrawForm,
    EndMandateForm,
    RelationForm,
    RenewForm,
    RepresentativeForm,
    SeatGroupFormSet,
    SeatRuleForm,
)
from coopgov.bodies.models import Body, BodyRelation, Confirmation, Mandate
from coopgov.bodies.rules import composition, next_general_assembly, rule_of, rule_report
from coopgov.core import hygiene
from coopgov.core.access import access_organisation, require
from coopgov.core.models import Member, Organisation
from coopgov.core.views import asked_form, copy_errors, history, is_htmx, paginate


def day_from(request: HttpRequest) -> datetime.date:
    """The date a page looks at: ?on=YYYY-MM-DD, today by default."""
    return hygiene.parse_day(request.GET.get("on", "")) or timezone.localdate()


def warn(request: HttpRequest, warnings: list[str]) -> None:
    for warning in warnings:
        messages.warning(request, _("Saved with a warning: %(rule)s") % {"rule": warning})


@require_GET
def body_list(request: HttpRequest, org: str) -> HttpResponse:
    actor = access_organisation(request.user, org)
    today = timezone.localdate()
    bodies = (
        Body.objects.filter(organisation=actor.organisation)
        .select_related("organisation", "seat_rule")
        .annotate(
            current=Count(
                "mandates",
                filter=Q(mandates__start__lte=today)
                & (Q(mandates__end__isnull=True) | Q(mandates__end__gt=today))
                & ~Q(mandates__role=Mandate.Role.ADVISORY_OBSERVER),
            )
        )
    )
    rows = [(body, may_see_internals(actor, body)) for body in bodies]
    return render(
        request,
        "bodies/body_list.html",
        {"actor": actor, "org": actor.organisation, "section": "bodies", "rows": rows},
    )


# The map of the bodies: boxes on levels, arrows for relations, drawn on the server.

LEVELS: dict[str, int] = {
    Body.Kind.GENERAL_ASSEMBLY: 0,
    Body.Kind.BOARD: 1,
    Body.Kind.COMMITTEE: 1,
    Body.Kind.DELEGATED_MANAGEMENT: 2,
    Body.Kind.WORKS_COUNCIL: 2,
    Body.Kind.HEALTH_SAFETY: 2,
    Body.Kind.MANAGEMENT_TEAM: 3,
    Body.Kind.WORKING_GROUP: 3,
}
BOX_WIDTH, BOX_HEIGHT, GAP_X, GAP_Y, MARGIN = 230, 64, 40, 110, 20


@dataclass
class Box:
    body: Body
    x: int
    y: int

    @property
    def cx(self) -> int:
        return self.x + BOX_WIDTH // 2

    @property
    def cy(self) -> int:
        return self.y + BOX_HEIGHT // 2


@dataclass
class Arrow:
    relation: BodyRelation
    x1: float
    y1: float
    x2: float
    y2: float
    along: float = 0.5  # where the label sits on the line, from the source

    @property
    def label_x(self) -> float:
        return self.x1 + (self.x2 - self.x1) * self.along

    @property
    def label_y(self) -> float:
        return self.y1 + (self.y2 - self.y1) * self.along - 4


def edge_point(box: Box, toward: Box) -> tuple[float, float]:
    """Where the line from the centre of `box` toward `toward` leaves the box."""
    dx, dy = toward.cx - box.cx, toward.cy - box.cy
    if dx == 0 and dy == 0:
        return box.cx, box.cy
    scale = min(
        (BOX_WIDTH / 2) / abs(dx) if dx else float("inf"),
        (BOX_HEIGHT / 2) / abs(dy) if dy else float("inf"),
    )
    return box.cx + dx * scale, box.cy + dy * scale


@require_GET
def body_map(request: HttpRequest, org: str) -> HttpResponse:
    actor = access_organisation(request.user, org)
    bodies = list(
        Body.objects.filter(organisation=actor.organisation).select_related("organisation")
    )
    # Open expectations and standing duties received, when the dossiers app records them.
    received = _dialogue_counts(actor.organisation)
    levels: dict[int, list[Body]] = {}
    for body in bodies:
        levels.setdefault(LEVELS.get(body.kind, 3), []).append(body)
    widest = max((len(row) for row in levels.values()), default=1)
    width = MARGIN * 2 + widest * BOX_WIDTH + (widest - 1) * GAP_X
    boxes: dict[int, Box] = {}
    for rank, level in enumerate(sorted(levels)):
        row = levels[level]
        row_width = len(row) * BOX_WIDTH + (len(row) - 1) * GAP_X
        left = (width - row_width) // 2
        for index, body in enumerate(row):
            boxes[body.pk] = Box(
                body, left + index * (BOX_WIDTH + GAP_X), MARGIN + rank * (BOX_HEIGHT + GAP_Y)
            )
    relations = list(
        BodyRelation.objects.filter(organisation=actor.organisation).select_related(
            "source__organisation", "target__organisation"
        )
    )
    # Two bodies may be linked both ways: such lines are drawn side by side, not on top.
    pairs: dict[frozenset[int], list[BodyRelation]] = {}
    for relation in relations:
        pairs.setdefault(frozenset((relation.source_id, relation.target_id)), []).append(relation)
    arrows = []
    for relation in relations:
        source, target = boxes[relation.source_id], boxes[relation.target_id]
        x1, y1 = edge_point(source, target)
        x2, y2 = edge_point(target, source)
        siblings = pairs[frozenset((relation.source_id, relation.target_id))]
        shift = (siblings.index(relation) - (len(siblings) - 1) / 2) * 16
        length = math.hypot(x2 - x1, y2 - y1) or 1
        # Offsets are measured from the lower id to the higher, so both directions agree.
        sign = 1 if relation.source_id < relation.target_id else -1
        dx, dy = -(y2 - y1) / length * shift * sign, (x2 - x1) / length * shift * sign
        along = (
            0.5
            if len(siblings) == 1
            else 0.28 + 0.44 * siblings.index(relation) / (len(siblings) - 1)
        )
        along = along if sign > 0 else 1 - along
        arrows.append(Arrow(relation, x1 + dx, y1 + dy, x2 + dx, y2 + dy, along))
    height = MARGIN * 2 + len(levels) * BOX_HEIGHT + (len(levels) - 1) * GAP_Y
    return render(
        request,
        "bodies/body_map.html",
        {
            "actor": actor,
            "org": actor.organisation,
            "section": "bodies",
            "boxes": boxes.values(),
            "arrows": arrows,
            "relations": relations,
            "width": width,
            "height": max(height, BOX_HEIGHT + 2 * MARGIN),
            "box_width": BOX_WIDTH,
            "box_height": BOX_HEIGHT,
            "dialogue": [
                (body, *received[body.pk]) for body in bodies if any(received.get(body.pk, (0, 0)))
            ],
        },
    )


@require_GET
def body_detail(request: HttpRequest, org: str, code: str) -> HttpResponse:
    actor = access_organisation(request.user, org)
    body = access_body(actor, code)
    day = day_from(request)
    open_form = asked_form(request, actor, frozenset({"relation"}), WRITE)
    if open_form and is_htmx(request):  # the relation form, loaded when its card opens
        return render(
            request,
            "bodies/body_detail.html#form-relation",
            {"org": actor.organisation, "body": body, "relation_form": RelationForm(body=body)},
        )
    context: dict[str, Any] = {
        "actor": actor,
        "org": actor.organisation,
        "section": "bodies",
        "body": body,
        "day": day,
        "today": timezone.localdate(),
        "relations_out": body.relations_out.select_related("target__organisation"),
        "relations_in": body.relations_in.select_related("source__organisation"),
        "internals": may_see_internals(actor, body),
        "can_write": actor.has(WRITE),
        "relation_form": RelationForm(body=body),
        "open_form": open_form,
    }
    if context["internals"]:
        comp = composition(body, day)
        context.update(
            composition=comp,
            report=rule_report(comp),
            next_assembly=next_general_assembly(body),
            past=paginate(
                request,
                # Only what the list shows: whole rows of seven joined tables cost more to
                # read than the query takes to run.
                Mandate.objects.of_body(body)
                .select_related("person", "legal_member", "organisation")
                .only(
                    "code",
                    "role",
                    "start",
                    "end",
                    "end_reason",
                    "legal_member__legal_name",
                    "person__first_name",
                    "person__last_name",
                    "organisation__code",
                )
                .order_by("-start", "pk"),
            ),
            confirmations=Confirmation.objects.filter(
                assembly=body, status=Confirmation.Status.PENDING
            ).select_related("mandate__body", "mandate__person", "mandate__organisation"),
            draws=body.draws.select_related("organisation")[:10],
            history=history(actor, body),
        )
    return render(request, "bodies/body_detail.html", context)


@require_http_methods(["GET", "POST"])
def appoint(request: HttpRequest, org: str, code: str) -> HttpResponse:
    actor = access_organisation(request.user, org)
    body = access_body(actor, code, for_write=True)
    form = AppointForm(request.POST or None, body=body)
    if request.method == "POST" and form.is_valid():
        try:
            mandate, warnings = actions.appoint(actor.person, body=body, **form.cleaned_data)
        except ValidationError as error:
            copy_errors(form, error)
        else:
            messages.success(request, _("%(name)s is appointed.") % {"name": mandate.holder_name})
            warn(request, warnings)
            return redirect(body)
    return render(
        request,
        "bodies/appoint.html",
        {
            "actor": actor,
            "org": actor.organisation,
            "section": "bodies",
            "body": body,
            "form": form,
        },
    )


@require_GET
def mandate_detail(request: HttpRequest, org: str, code: str) -> HttpResponse:
    actor = access_organisation(request.user, org)
    mandate = access_mandate(actor, code)
    return render(request, "bodies/mandate_detail.html", mandate_context(actor, mandate))


def mandate_context(actor: Any, mandate: Mandate, **forms: Any) -> dict[str, Any]:
    organisation = actor.organisation
    confirmation = Confirmation.objects.filter(mandate=mandate).first()
    successors = mandate.replaced_by.select_related("person", "organisation")
    return {
        "actor": actor,
        "org": organisation,
        "section": "bodies",
        "mandate": mandate,
        "body": mandate.body,
        "can_write": actor.has(WRITE),
        "representatives": mandate.representatives.select_related("person"),
        "confirmation": confirmation,
        "successors": successors,
        "renewal": getattr(mandate, "renewed_by", None),
        "end_form": forms.get("end_form") or EndMandateForm(),
        "renew_form": forms.get("renew_form") or RenewForm(initial={"origin": mandate.origin}),
        "representative_form": forms.get("representative_form")
        or RepresentativeForm(organisation=organisation),
        "coopt_form": forms.get("coopt_form") or CoOptForm(organisation=organisation),
        "confirmation_form": forms.get("confirmation_form") or ConfirmationForm(),
        "history": history(actor, mandate),
    }


def _mandate_post(
    request: HttpRequest,
    org: str,
    code: str,
    form_name: str,
    form_class: Any,
    run: Any,
    **form_kwargs: Any,
) -> HttpResponse:
    """Parse one form of the mandate page, run its action, redirect or show the errors."""
    actor = access_organisation(request.user, org)
    mandate = access_mandate(actor, code, for_write=True)
    if form_kwargs.get("organisation") is True:
        form_kwargs["organisation"] = actor.organisation
    form = form_class(request.POST, **form_kwargs)
    if form.is_valid():
        try:
            result = run(actor, mandate, form.cleaned_data)
        except ValidationError as error:
            mandate.refresh_from_db()
            copy_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            if isinstance(result, tuple):
                warn(request, result[1])
                result = result[0]
            return redirect(result if isinstance(result, Mandate) else mandate)
    return render(
        request,
        "bodies/mandate_detail.html",
        mandate_context(actor, mandate, **{form_name: form}),
        status=400,
    )


@require_POST
def mandate_end(request: HttpRequest, org: str, code: str) -> HttpResponse:
    return _mandate_post(
        request,
        org,
        code,
        "end_form",
        EndMandateForm,
        lambda actor, mandate, data: actions.end_mandate(actor.person, mandate=mandate, **data),
    )


@require_POST
def mandate_renew(request: HttpRequest, org: str, code: str) -> HttpResponse:
    return _mandate_post(
        request,
        org,
        code,
        "renew_form",
        RenewForm,
        lambda actor, mandate, data: actions.renew(actor.person, mandate=mandate, **data),
    )


@require_POST
def mandate_representative(request: HttpRequest, org: str, code: str) -> HttpResponse:
    return _mandate_post(
        request,
        org,
        code,
        "representative_form",
        RepresentativeForm,
        lambda actor, mandate, data: actions.change_representative(
            actor.person, mandate=mandate, **data
        ),
        organisation=True,
    )


@require_POST
def mandate_coopt(request: HttpRequest, org: str, code: str) -> HttpResponse:
    return _mandate_post(
        request,
        org,
        code,
        "coopt_form",
        CoOptForm,
        lambda actor, mandate, data: actions.co_opt(actor.person, vacated=mandate, **data),
        organisation=True,
    )


@require_POST
def confirmation_decide(request: HttpRequest, org: str, code: str) -> HttpResponse:
    actor = access_organisation(request.user, org)
    confirmation = access_confirmation(actor, code)
    form = ConfirmationForm(request.POST)
    if form.is_valid():
        decide = (
            actions.confirm_cooptation
            if form.cleaned_data["decision"] == "confirm"
            else actions.reject_cooptation
        )
        try:
            decide(actor.person, confirmation=confirmation, on=form.cleaned_data["on"])
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The general assembly's decision is recorded."))
    else:
        for field, errors in form.errors.items():
            messages.error(request, f"{form.fields[field].label}: {' '.join(map(str, errors))}")
    return redirect(confirmation.mandate)


@require_http_methods(["GET", "POST"])
def draw_new(request: HttpRequest, org: str, code: str) -> HttpResponse:
    actor = access_organisation(request.user, org)
    body = access_body(actor, code, for_write=True)
    form = DrawForm(request.POST or None, body=body)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        eligible = (
            Member.objects.of(actor.organisation)
            .admitted()
            .filter(kind=Member.Kind.NATURAL, category__in=data["categories"])
            .select_related("person", "category")
        )
        if data["exclude_mandate_holders"]:
            today = data["start"]
            eligible = eligible.exclude(
                Q(person__mandates__start__lte=today)
                & (Q(person__mandates__end__isnull=True) | Q(person__mandates__end__gt=today))
            )
        names = ", ".join(category.code for category in data["categories"])
        try:
            draw = actions.draw_by_lot(
                actor.person,
                body=body,
                seats=data["seats"],
                eligible=eligible.distinct(),
                pool_description=_("admitted members of categories %(names)s") % {"names": names}
                + (_(", without another mandate") if data["exclude_mandate_holders"] else ""),
                stratum=data["stratum"],
                seed=data["seed"],
                start=data["start"],
                end=data["end"],
            )
        except ValidationError as error:
            copy_errors(form, error)
        else:
            messages.success(request, _("The draw is made and the mandates are recorded."))
            return redirect(draw)
    return render(
        request,
        "bodies/draw_new.html",
        {
            "actor": actor,
            "org": actor.organisation,
            "section": "bodies",
            "body": body,
            "form": form,
        },
    )


@require_GET
def draw_detail(request: HttpRequest, org: str, code: str) -> HttpResponse:
    actor = access_organisation(request.user, org)
    draw = access_draw(actor, code)
    members = {
        member.number: member
        for member in Member.objects.of(actor.organisation)
        .filter(number__in=draw.result)
        .select_related("person", "organisation")
    }
    return render(
        request,
        "bodies/draw_detail.html",
        {
            "actor": actor,
            "org": actor.organisation,
            "section": "bodies",
            "draw": draw,
            "drawn": [members.get(number) for number in draw.result],
            "verified": actions.verify_draw(draw),
        },
    )


@require_http_methods(["GET", "POST"])
def body_form(request: HttpRequest, org: str, code: str | None = None) -> HttpResponse:
    actor = access_organisation(request.user, org)
    body = access_body(actor, code, for_write=True) if code else None
    if body is None:
        require(actor, WRITE)
    form = BodyForm(request.POST or None, instance=body)
    if request.method == "POST" and form.is_valid():
        try:
            if body is None:
                body = actions.create_body(
                    actor.person, organisation=actor.organisation, **form.cleaned_data
                )
            else:
                body = actions.update_body(actor.person, body=body, changes=form.cleaned_data)
        except ValidationError as error:
            copy_errors(form, error)
        else:
            messages.success(request, _("The body is saved."))
            return redirect(body)
    return render(
        request,
        "bodies/body_form.html",
        {
            "actor": actor,
            "org": actor.organisation,
            "section": "bodies",
            "body": body,
            "form": form,
        },
    )


@require_http_methods(["GET", "POST"])
def seat_rule_form(request: HttpRequest, org: str, code: str) -> HttpResponse:
    actor = access_organisation(request.user, org)
    body = access_body(actor, code, for_write=True)
    rule = rule_of(body)
    groups = (
        [
            {"name": group.name, "seats": group.seats, "categories": list(group.categories.all())}
            for group in rule.groups.prefetch_related("categories")
        ]
        if rule
        else []
    )
    form = SeatRuleForm(request.POST or None, instance=rule)
    formset = SeatGroupFormSet(
        request.POST or None,
        initial=groups,
        prefix="groups",
        form_kwargs={"organisation": actor.organisation},
    )
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        kept = [
            (data["name"], data["seats"], data["categories"])
            for data in formset.cleaned_data
            if data and not data.get("DELETE")
        ]
        try:
            actions.set_seat_rule(actor.person, body=body, groups=kept, **form.cleaned_data)
        except ValidationError as error:
            copy_errors(form, error)
        else:
            messages.success(request, _("The seat rule is saved."))
            return redirect(body)
    return render(
        request,
        "bodies/seat_rule_form.html",
        {
            "actor": actor,
            "org": actor.organisation,
            "section": "bodies",
            "body": body,
            "form": form,
            "formset": formset,
        },
    )


@require_POST
def relation_add(request: HttpRequest, org: str, code: str) -> HttpResponse:
    actor = access_organisation(request.user, org)
    body = access_body(actor, code, for_write=True)
    form = RelationForm(request.POST, body=body)
    if form.is_valid():
        try:
            actions.relate_bodies(actor.person, source=body, **form.cleaned_data)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The relation is recorded."))
    else:
        for field, errors in form.errors.items():
            messages.error(request, f"{form.fields[field].label}: {' '.join(map(str, errors))}")
    return redirect(body)


@require_POST
def relation_remove(request: HttpRequest, org: str, code: str, pk: int) -> HttpResponse:
    actor = access_organisation(request.user, org)
    body = access_body(actor, code, for_write=True)
    relation = (
        body.relations_out.filter(pk=pk).select_related("source__organisation", "target").first()
    )
    if relation is None:
        raise Http404
    actions.unrelate_bodies(actor.person, relation=relation)
    messages.success(request, _("The relation is removed."))
    return redirect(body)


def _dialogue_counts(organisation: Organisation) -> dict[int, tuple[int, int]]:
    """Open expectations and information duties received per body, through the relations the
    dossiers app adds to bodies (none when it is not installed)."""
    if not hasattr(Body, "expectations_received"):
        return {}
    rows = Body.objects.filter(organisation=organisation).annotate(
        open_expectations=Count(
            "expectations_received",
            filter=Q(expectations_received__status="open"),
            distinct=True,
        ),
        duties=Count("duties_received", distinct=True),
    )
    return {row.pk: (row.open_expectations, row.duties) for row in rows}
