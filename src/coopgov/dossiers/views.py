"""Pages of dossiers, decisions and actions."""

from __future__ import annotations

import csv
import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from coopgov.bodies.access import may_see_internals
from coopgov.core import hygiene
from coopgov.core.access import Actor, access_organisation, require
from coopgov.core.forms import CHOICES
from coopgov.core.models import Person
from coopgov.core.views import asked_form, copy_errors, history, paginate, render_page, submit
from coopgov.dossiers import actions
from coopgov.dossiers.access import WRITE, access_dossier, may_read_dossier
from coopgov.dossiers.forms import (
    ActionForm,
    ActionStatusForm,
    AgendaDossierForm,
    ConsultationForm,
    DecisionForm,
    DossierForm,
    ExpectationForm,
    MeetingActionForm,
    OpinionForm,
    RelateForm,
    ScheduleForm,
    WrittenResolutionForm,
)
from coopgov.dossiers.models import (
    Action,
    Consultation,
    Decision,
    Dossier,
    Expectation,
    InformationDuty,
    RollCallVote,
    Stage,
    Tag,
    WrittenAnswer,
    WrittenResolution,
)
from coopgov.dossiers.queries import (
    readable_decisions,
    readable_dossiers,
    search_decisions,
    search_dossiers,
    timeline,
)
from coopgov.meetings.rules import quorum


def base(actor: Actor, section: str = "dossiers") -> dict[str, Any]:
    return {
        "actor": actor,
        "org": actor.organisation,
        "section": section,
        "can_write": actor.has(WRITE),
    }


@require_GET
def dossier_list(request: HttpRequest, org: str) -> HttpResponse:
    actor = access_organisation(request.user, org)
    stage = request.GET.get("stage", "")
    q = request.GET.get("q", "").strip()
    dossiers = search_dossiers(readable_dossiers(actor), q).select_related("origin_body", "owner")
    if stage:
        dossiers = dossiers.filter(stage=stage)
    return render(
        request,
        "dossiers/dossier_list.html",
        {
            **base(actor),
            "page": paginate(request, dossiers.order_by("-created_at", "-pk")),
            "stage": stage,
            "stages": Stage.choices,
            "q": q,
        },
    )


REGISTER_COLUMNS = (
    "number",
    "decided_on",
    "title",
    "supersedes_id",
    "adopted",
    "yes",
    "no",
    "abstain",
    "dossier__code",
    "dossier__title",
    "dossier__organisation__code",
)


@require_GET
def dossier_choices(request: HttpRequest, org: str) -> HttpResponse:
    """The options of a dossier select matching what is typed (core.forms.SearchSelect)."""
    actor = access_organisation(request.user, org)
    dossiers = search_dossiers(readable_dossiers(actor), request.GET.get("q", ""))
    if request.GET.get("open"):
        dossiers = dossiers.exclude(stage=Stage.CLOSED)
    if _is_uuid(excluded := request.GET.get("exclude", "")):
        dossiers = dossiers.exclude(code=excluded)
    found = dossiers.order_by("-created_at", "-pk").only("code", "title")[:CHOICES]
    return render(
        request,
        "core/_options.html",
        {"options": [(d.code, d.title) for d in found], "blank": request.GET.get("blank")},
    )


@require_http_methods(["GET", "POST"])
def dossier_new(request: HttpRequest, org: str) -> HttpResponse:
    actor = access_organisation(request.user, org)
    require(actor, WRITE)
    form = DossierForm(request.POST or None, organisation=actor.organisation)
    if request.method == "POST" and form.is_valid():
        try:
            dossier = actions.open_dossier(
                actor.person, organisation=actor.organisation, **form.cleaned_data
            )
        except ValidationError as error:
            copy_errors(form, error)
        else:
            messages.success(request, _("The dossier is open."))
            return redirect("dossiers:detail", org=org, code=dossier.code)
    return render(request, "dossiers/dossier_new.html", {**base(actor), "form": form})


# The secretariat's forms of the dossier page, loaded when opened (as on the meeting page).
DEFERRED_FORMS = frozenset({"schedule", "consult", "action", "relate"})
FORM_NAMES = {"consultation_form": "consult"}


def dossier_context(
    actor: Actor, dossier: Dossier, open_form: str = "", **forms: Any
) -> dict[str, Any]:
    pending = list(  # appearances to decide on, not decided yet
        dossier.appearances.filter(stage=Stage.DECIDE, item__decision__isnull=True).select_related(
            "item__meeting__organisation", "item__meeting__kind__body"
        )
    )
    posted = getattr(forms.get("decision_form"), "data", {})
    writer = actor.has(WRITE)
    shown = {FORM_NAMES.get(name, name.removesuffix("_form")) for name in forms} | {open_form}
    for appearance in pending:  # who may answer a roll call on that item, and what they said
        appearance.roll = list(  # type: ignore[attr-defined]
            Person.objects.filter(
                pk__in=quorum(appearance.item.meeting, appearance.item).voters
            ).order_by("last_name", "first_name")
        )
        for person in appearance.roll:  # type: ignore[attr-defined]
            person.vote = posted.get(f"vote-{person.pk}", "")
    return {
        **base(actor),
        "dossier": dossier,
        "tags": [Tag(tag).label for tag in dossier.tags if tag in Tag.values],
        "steps": timeline(dossier, actor),
        "open_consultations": dossier.consultations.filter(
            status=Consultation.Status.OPEN
        ).select_related("consulted_body"),
        "pending": pending,
        "vote_choices": RollCallVote.Vote.choices,
        "schedule_form": forms.get("schedule_form")
        or ScheduleForm(organisation=actor.organisation, prefix="schedule"),
        "consultation_form": forms.get("consultation_form")
        or ConsultationForm(organisation=actor.organisation, prefix="consult"),
        "opinion_form": OpinionForm(prefix="opinion"),
        "decision_form": forms.get("decision_form")
        or DecisionForm(initial={"title": dossier.title}, prefix="decision"),
        "action_form": forms.get("action_form")
        or ActionForm(organisation=actor.organisation, prefix="action"),
        "documents": _latest_documents(actor, dossier),
        "related": [d for d in dossier.related.all() if may_read_dossier(actor, d)],
        "relate_form": forms.get("relate_form")
        or (
            RelateForm(dossier=dossier, dossiers=readable_dossiers(actor))
            if writer and "relate" in shown
            else None
        ),
        "history": history(actor, dossier),
        "shown_forms": shown,
    }


@require_GET
def dossier_detail(request: HttpRequest, org: str, code: str) -> HttpResponse:
    actor = access_organisation(request.user, org)
    dossier = access_dossier(actor, code)
    name = asked_form(request, actor, DEFERRED_FORMS, WRITE)
    return render_page(
        request,
        "dossiers/dossier_detail.html",
        dossier_context(actor, dossier, open_form=name),
        name,
    )


def _post(
    request: HttpRequest, org: str, code: str, name: str, form: Any, run: Any, success: str
) -> HttpResponse:
    actor = access_organisation(request.user, org)
    dossier = access_dossier(actor, code, for_write=True)
    bound = form(actor, dossier)
    return submit(
        request,
        bound,
        lambda: run(actor, dossier, bound.cleaned_data),
        success=success,
        target=dossier,
        page=lambda: render(
            request,
            "dossiers/dossier_detail.html",
            dossier_context(actor, dossier, **{name: bound}),
        ),
    )


@require_POST
def schedule(request: HttpRequest, org: str, code: str) -> HttpResponse:
    return _post(
        request,
        org,
        code,
        "schedule_form",
        lambda actor, dossier: ScheduleForm(
            request.POST, organisation=actor.organisation, prefix="schedule"
        ),
        lambda actor, dossier, data: actions.put_on_agenda(actor.person, dossier=dossier, **data),
        _("The dossier is on the meeting's agenda."),
    )


@require_POST
def consult(request: HttpRequest, org: str, code: str) -> HttpResponse:
    return _post(
        request,
        org,
        code,
        "consultation_form",
        lambda actor, dossier: ConsultationForm(
            request.POST, organisation=actor.organisation, prefix="consult"
        ),
        lambda actor, dossier, data: actions.request_consultation(
            actor.person, dossier=dossier, **data
        ),
        _("The consultation is requested."),
    )


@require_POST
def opinion(request: HttpRequest, org: str, code: str, consultation: int) -> HttpResponse:
    def run(actor: Actor, dossier: Dossier, data: dict[str, Any]) -> None:
        gate = dossier.consultations.filter(pk=consultation).first()
        if gate is None:
            raise Http404
        actions.record_opinion(actor.person, consultation=gate, **data)

    return _post(
        request,
        org,
        code,
        "opinion_form",
        lambda actor, dossier: OpinionForm(request.POST, prefix="opinion"),
        run,
        _("The opinion is recorded."),
    )


@require_POST
def decide(request: HttpRequest, org: str, code: str, item: int) -> HttpResponse:
    def run(actor: Actor, dossier: Dossier, data: dict[str, Any]) -> None:
        appearance = (
            dossier.appearances.filter(item_id=item)
            .select_related("item__meeting__kind__body")
            .first()
        )
        if appearance is None:
            raise Http404
        read = {
            hygiene.parse_int(key.removeprefix("vote-")): value
            for key, value in request.POST.items()
            if key.startswith("vote-")
        }
        votes = {pk: value for pk, value in read.items() if pk is not None}
        if data["method"] == Decision.Method.ROLL_CALL:
            data["votes"] = votes
        actions.record_decision(actor.person, item=appearance.item, **data)

    return _post(
        request,
        org,
        code,
        "decision_form",
        lambda actor, dossier: DecisionForm(request.POST, prefix="decision"),
        run,
        _("The decision is recorded."),
    )


@require_POST
def action_add(request: HttpRequest, org: str, code: str) -> HttpResponse:
    return _post(
        request,
        org,
        code,
        "action_form",
        lambda actor, dossier: ActionForm(
            request.POST, organisation=actor.organisation, prefix="action"
        ),
        lambda actor, dossier, data: actions.add_action(
            actor.person,
            dossier=dossier,
            decision=dossier.decisions.filter(adopted=True).first(),
            **data,
        ),
        _("The action is added."),
    )


@require_GET
def decision_register(request: HttpRequest, org: str) -> HttpResponse:
    actor = access_organisation(request.user, org)
    filters = {
        name: request.GET.get(name, "").strip()
        for name in ("text", "body", "year", "tag", "adopted")
    }
    decisions = search_decisions(readable_decisions(actor), **filters)
    if request.GET.get("format") == "pdf":
        from weasyprint import HTML  # PDFs need Pango: imported only here

        html = render_to_string(
            "dossiers/pdf/register.html",
            {
                "decisions": decisions[:1000],
                "filters": filters,
                "org": actor.organisation,
                "today": timezone.localdate(),
            },
        )
        response = HttpResponse(HTML(string=html).write_pdf(), content_type="application/pdf")
        response["Content-Disposition"] = 'inline; filename="decisions.pdf"'
        return response
    if request.GET.get("format") == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="decisions.csv"'
        writer = csv.writer(response)
        writer.writerow(
            [
                _("Number"),
                _("Body"),
                _("Date"),
                _("Title"),
                _("Adopted"),
                _("Yes"),
                _("No"),
                _("Abstentions"),
                _("Dossier"),
            ]
        )
        for decision in decisions.iterator():
            # Cells a spreadsheet would run as formulas (a title "=HYPERLINK(…)") are defused.
            writer.writerow(
                hygiene.csv_row(
                    [
                        decision.number,
                        decision.body.name,
                        decision.decided_on.isoformat(),
                        decision.title,
                        _("yes") if decision.adopted else _("no"),
                        decision.yes,
                        decision.no,
                        decision.abstain,
                        decision.dossier.title if decision.dossier else "",
                    ]
                )
            )
        return response
    return render(
        request,
        "dossiers/decision_register.html",
        {
            **base(actor, "decisions"),
            # Only the columns the table shows: fifty rows of five joined tables cost more to
            # read than the query takes to run.
            "page": paginate(
                request,
                decisions.select_related(None)
                .select_related("dossier__organisation")
                .only(*REGISTER_COLUMNS),
            ),
            "filters": filters,
            "bodies": actor.organisation.bodies.filter(may_decide=True),
            "tags": Tag.choices,
            "query": request.GET.urlencode(),
        },
    )


@require_http_methods(["GET", "POST"])
def action_list(request: HttpRequest, org: str) -> HttpResponse:
    actor = access_organisation(request.user, org)
    add_form = MeetingActionForm(
        request.POST if "add" in request.POST else None,
        organisation=actor.organisation,
        prefix="add",
    )
    if request.method == "POST" and "add" in request.POST:
        require(actor, WRITE)
        if add_form.is_valid():
            try:
                actions.add_action(actor.person, **add_form.cleaned_data)
            except ValidationError as error:
                copy_errors(add_form, error)
            else:
                messages.success(request, _("The action is added."))
                return redirect("dossiers:actions", org=org)
    elif request.method == "POST":
        require(actor, WRITE)
        code = request.POST.get("action", "")
        action = (
            Action.objects.filter(organisation=actor.organisation, code=code).first()
            if _is_uuid(code)
            else None
        )
        form = ActionStatusForm(request.POST)
        if action is None:
            raise Http404
        if form.is_valid():
            actions.update_action(actor.person, action=action, **form.cleaned_data)
            messages.success(request, _("The action is updated."))
        return redirect("dossiers:actions", org=org)
    today = timezone.localdate()
    mine = request.GET.get("mine") == "1"
    items = Action.objects.filter(organisation=actor.organisation).select_related(
        "owner", "dossier", "decision", "meeting__organisation"
    )
    if mine:
        items = items.filter(owner=actor.person)
    if request.GET.get("overdue") == "1":
        items = items.filter(due_on__lt=today).exclude(status__in=["done", "cancelled"])
    readable = [a for a in items if a.dossier is None or may_read_dossier(actor, a.dossier)]
    return render(
        request,
        "dossiers/action_list.html",
        {
            **base(actor, "actions"),
            "actions": readable,
            "today": today,
            "status_form": ActionStatusForm(),
            "statuses": Action.Status.choices,
            "add_form": add_form,
        },
        status=400 if add_form.errors else 200,
    )


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


@require_http_methods(["GET", "POST"])
def resolution_list(request: HttpRequest, org: str) -> HttpResponse:
    actor = access_organisation(request.user, org)
    form = WrittenResolutionForm(request.POST or None, organisation=actor.organisation)
    if request.method == "POST":
        require(actor, WRITE)
        if form.is_valid():
            try:
                resolution = actions.propose_written_resolution(actor.person, **form.cleaned_data)
            except ValidationError as error:
                copy_errors(form, error)
            else:
                messages.success(request, _("The resolution is sent to the voting members."))
                return redirect("dossiers:resolution", org=org, code=resolution.code)
    resolutions = WrittenResolution.objects.filter(organisation=actor.organisation).select_related(
        "body", "decision"
    )
    visible = [r for r in resolutions if may_see_internals(actor, r.body)]
    return render(
        request,
        "dossiers/resolution_list.html",
        {**base(actor, "decisions"), "resolutions": visible, "form": form},
    )


@require_http_methods(["GET", "POST"])
def resolution_detail(request: HttpRequest, org: str, code: str) -> HttpResponse:
    actor = access_organisation(request.user, org)
    resolution = (
        WrittenResolution.objects.select_related("body", "decision")
        .filter(organisation=actor.organisation, code=code)
        .first()
        if _is_uuid(code)
        else None
    )
    if resolution is None or not may_see_internals(actor, resolution.body):
        raise Http404
    if request.method == "POST":
        try:
            if request.POST.get("step") == "conclude":
                require(actor, WRITE)
                actions.conclude_written_resolution(actor.person, resolution=resolution)
                messages.success(request, _("The written resolution is concluded."))
            elif actor.person is not None:
                actions.answer_written_resolution(
                    actor.person, resolution=resolution, answer=request.POST.get("answer", "")
                )
                messages.success(request, _("Your answer is recorded."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect("dossiers:resolution", org=org, code=code)
    answers = list(resolution.answers.select_related("person"))
    own = next((a for a in answers if actor.person and a.person_id == actor.person.pk), None)
    return render(
        request,
        "dossiers/resolution_detail.html",
        {
            **base(actor, "decisions"),
            "resolution": resolution,
            "answers": answers,
            "own": own,
            "choices": [c for c in WrittenAnswer.Answer.choices if c[0] != "pending"],
        },
    )


@require_http_methods(["GET", "POST"])
def dialogue(request: HttpRequest, org: str) -> HttpResponse:
    """Inter-body dialogue: what each body expects from the others, and the standing duties."""
    actor = access_organisation(request.user, org)
    form = ExpectationForm(request.POST or None, organisation=actor.organisation)
    if request.method == "POST":
        require(actor, WRITE)
        if "expectation" in request.POST:
            expectation = Expectation.objects.filter(
                organisation=actor.organisation,
                pk=hygiene.parse_int(request.POST.get("expectation", "")) or 0,
            ).first()
            if expectation is None:
                raise Http404
            try:
                actions.answer_expectation(
                    actor.person,
                    expectation=expectation,
                    answer=request.POST.get("answer", ""),
                    close="close" in request.POST,
                )
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            return redirect("dossiers:dialogue", org=org)
        if form.is_valid():
            try:
                actions.voice_expectation(actor.person, **form.cleaned_data)
            except ValidationError as error:
                copy_errors(form, error)
            else:
                messages.success(request, _("The expectation is recorded."))
                return redirect("dossiers:dialogue", org=org)
    return render(
        request,
        "dossiers/dialogue.html",
        {
            **base(actor, "bodies"),
            "form": form,
            "expectations": Expectation.objects.filter(
                organisation=actor.organisation
            ).select_related("from_body", "to_body", "meeting"),
            "duties": InformationDuty.objects.filter(
                organisation=actor.organisation
            ).select_related("from_body", "to_body"),
        },
    )


def _latest_documents(actor: Actor, dossier: Dossier) -> list[Any]:
    """The documents of the meetings' items where the dossier appeared, newest version each,
    that the actor may read (meetings.queries: the document's level and its item's)."""
    from coopgov.meetings.queries import readable_documents

    documents = (
        readable_documents(actor)
        .filter(item__appearance__dossier=dossier)
        .select_related("meeting__organisation", "item")
        .prefetch_related("versions")
    )
    return [
        (d, max(d.versions.all(), key=lambda v: v.number)) for d in documents if d.versions.all()
    ]


@require_POST
def relate(request: HttpRequest, org: str, code: str) -> HttpResponse:
    return _post(
        request,
        org,
        code,
        "relate_form",
        lambda actor, dossier: RelateForm(
            request.POST, dossier=dossier, dossiers=readable_dossiers(actor)
        ),
        lambda actor, dossier, data: actions.relate_dossiers(
            actor.person, dossier=dossier, other=data["other"]
        ),
        _("The dossiers are related."),
    )


@require_http_methods(["GET", "POST"])
def schedule_from_meeting(request: HttpRequest, org: str, meeting: str) -> HttpResponse:
    """The same action from the meeting's side: choose a dossier for this meeting's agenda."""
    from coopgov.meetings.access import access_meeting

    actor = access_organisation(request.user, org)
    target = access_meeting(actor, meeting, for_write=True)
    form = AgendaDossierForm(
        request.POST or None, dossiers=readable_dossiers(actor), organisation=actor.organisation
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.put_on_agenda(actor.person, meeting=target, **form.cleaned_data)
        except ValidationError as refused:
            copy_errors(form, refused)
        else:
            messages.success(request, _("The dossier is on the meeting's agenda."))
            return redirect(target)
    return render(
        request,
        "dossiers/schedule_from_meeting.html",
        {**base(actor, "meetings"), "meeting": target, "form": form},
        status=400 if form.is_bound else 200,
    )
