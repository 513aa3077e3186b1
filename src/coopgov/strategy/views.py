"""Pages of the strategy: plans and their dashboard, revisions, workstreams, the directions'
progress updates and the strategy reviews."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from coopgov.core import hygiene
from coopgov.core.access import Actor, access_organisation
from coopgov.core.audit import last_change
from coopgov.core.charts import bar_chart, line_chart, stacked_bar
from coopgov.core.views import asked_form, copy_errors, history, paginate, render_page, submit
from coopgov.dossiers.access import may_read_dossier
from coopgov.dossiers.queries import readable_decisions
from coopgov.meetings.access import access_meeting
from coopgov.meetings.models import Session
from coopgov.strategy import actions
from coopgov.strategy.access import (
    WRITE,
    access_direction,
    access_plan,
    access_review,
    access_workstream,
    directions_written_by,
    may_read_plan,
    may_read_updates,
    may_steer,
    readable_updates,
)
from coopgov.strategy.forms import (
    ApproveForm,
    AxisForm,
    ConcludeForm,
    DeriveForm,
    IndicatorForm,
    IndicatorValueForm,
    LinkForm,
    MilestoneForm,
    ObjectiveForm,
    PlanForm,
    ReportForm,
    ReviewForm,
    UpdateForm,
    WorkstreamForm,
)
from coopgov.strategy.models import (
    Axis,
    Indicator,
    Milestone,
    Objective,
    Plan,
    Review,
    ReviewResponse,
    Workstream,
    WorkstreamReport,
)
from coopgov.strategy.queries import (
    current_state,
    directions,
    eligible_respondents,
    indicator_series,
    latest_updates,
    progress_by_plan,
    review_results,
    revision_changes,
)


def base(actor: Actor) -> dict[str, Any]:
    return {
        "actor": actor,
        "org": actor.organisation,
        "section": "strategy",
        "can_write": actor.has(WRITE),
    }


# Plans


def _plan_list(
    request: HttpRequest, actor: Actor, form: PlanForm | None, status: int = 200
) -> HttpResponse:
    plans = [
        plan
        for plan in Plan.objects.of(actor.organisation).select_related(
            "organisation", "body", "decision", "derived_from"
        )
        if may_read_plan(actor, plan)
    ]
    progress = progress_by_plan(plans)
    for plan in plans:
        plan.progress = progress[plan.pk]  # type: ignore[attr-defined]
    return render(
        request,
        "strategy/plan_list.html",
        {
            **base(actor),
            "plans": plans,
            "form": form,
            "show_form": status != 200,
            "may_read_updates": may_read_updates(actor),
        },
        status=status,
    )


@require_GET
def plan_list(request: HttpRequest, org: str) -> HttpResponse:
    actor = access_organisation(request.user, org)
    form = PlanForm(organisation=actor.organisation) if actor.has(WRITE) else None
    return _plan_list(request, actor, form)


@require_POST
def plan_new(request: HttpRequest, org: str) -> HttpResponse:
    actor = access_organisation(request.user, org)
    if not actor.has(WRITE):
        raise Http404
    form = PlanForm(request.POST, organisation=actor.organisation)
    if form.is_valid():
        try:
            plan = actions.create_plan(
                actor.person, organisation=actor.organisation, **form.cleaned_data
            )
        except ValidationError as error:
            copy_errors(form, error)
        else:
            messages.success(request, _("The plan is drafted: add its axes and objectives."))
            return redirect(plan)
    return _plan_list(request, actor, form, status=400)


def _dashboard(actor: Actor, plan: Plan) -> dict[str, Any]:
    figures = dict(_figures(plan))
    units, updates = figures.pop("units"), figures.pop("updates")
    readable = may_read_updates(actor)
    return {**figures, "updates": [u for u in updates if u.unit_id in units] if readable else []}


def _figures(plan: Plan) -> dict[str, Any]:
    """The dashboard's figures. Every change goes through an action that writes an audit event,
    so they are computed once per plan until the organisation's next event (or the next day,
    for what is late), and kept a few minutes at most."""
    latest = last_change(plan.organisation_id)
    key = f"coopgov:plan-figures:{plan.code}:{latest}:{timezone.localdate()}:{get_language()}"
    figures: dict[str, Any] | None = cache.get(key)
    if figures is None:
        figures = _compute_figures(plan)
        cache.set(key, figures, FIGURES_SECONDS)
    return figures


def _compute_figures(plan: Plan) -> dict[str, Any]:
    state = current_state(plan)
    workstreams = [s.workstream for s in state.workstreams]
    indicators = indicator_series(workstreams)
    trends = []
    for indicator in indicators:
        values = [(v.measured_on, v.value) for v in indicator.values.all()]
        trends.append((indicator, line_chart(values, target=indicator.target), values))
    late = Counter(m.workstream.owner_unit.name for m in state.late_milestones)
    return {
        "state": state,
        "axis_chart": bar_chart(
            [(str(a.axis), a.progress) for a in state.axes], label_width=440, bar_width=480
        ),
        "status_bar": stacked_bar(state.status_counts),
        "late_chart": bar_chart(
            [(name, float(count)) for name, count in sorted(late.items())],
            maximum=max(late.values(), default=1),
            label_width=360,
            bar_width=360,
        ),
        "late_by_direction": sorted(late.items()),
        "trends": trends,
        "units": {w.owner_unit_id for w in workstreams},
        "updates": latest_updates(plan.organisation),
    }


FIGURES_SECONDS = 300

# The forms that steer a plan, loaded when opened (as on the meeting page).
DEFERRED_FORMS = frozenset({"axis", "workstream", "approve", "derive", "review"})


def plan_context(actor: Actor, plan: Plan, open_form: str = "", **forms: Any) -> dict[str, Any]:
    context = {**base(actor), "plan": plan, **_dashboard(actor, plan)}
    context["shown_forms"] = {name.removesuffix("_form") for name in forms} | {open_form}
    context["reviews"] = list(plan.reviews.select_related("body", "organisation", "meeting"))
    context["revisions"] = list(plan.revisions.select_related("organisation"))
    if actor.has(WRITE):
        organisation = actor.organisation
        context.update(
            axis_form=forms.get("axis_form") or AxisForm(prefix="axis"),
            objective_form=forms.get("objective_form") or ObjectiveForm(prefix="objective"),
            workstream_form=forms.get("workstream_form")
            or WorkstreamForm(plan=plan, prefix="workstream"),
            approve_form=forms.get("approve_form")
            or ApproveForm(organisation=organisation, prefix="approve"),
            derive_form=forms.get("derive_form")
            or DeriveForm(
                prefix="derive",
                initial={"starts_year": plan.starts_year, "ends_year": plan.ends_year},
            ),
            review_form=forms.get("review_form")
            or ReviewForm(
                organisation=organisation,
                prefix="review",
                initial={
                    "body": plan.body_id,
                    "title": _("Review of %(plan)s") % {"plan": plan.title},
                },
            ),
            history=history(actor, plan),
        )
    return context


@require_GET
def plan_detail(request: HttpRequest, org: str, code: str) -> HttpResponse:
    actor = access_organisation(request.user, org)
    plan = access_plan(actor, code)
    name = asked_form(request, actor, DEFERRED_FORMS, WRITE)
    return render_page(
        request, "strategy/plan_detail.html", plan_context(actor, plan, open_form=name), name
    )


def _plan_post(
    request: HttpRequest,
    org: str,
    code: str,
    form_name: str,
    build: Callable[[Plan, Any], Any],
    call: Callable[[Actor, Plan, dict[str, Any]], Any],
    success: str,
) -> HttpResponse:
    """Parse one of the plan page's forms, call its action and redirect (to what it created
    when that has a page), or show the page again with the errors; nothing is half-saved."""
    actor = access_organisation(request.user, org)
    plan = access_plan(actor, code, for_write=True)
    form = build(plan, request.POST)
    return submit(
        request,
        form,
        lambda: call(actor, plan, form.cleaned_data),
        success=success,
        target=lambda result: result if hasattr(result, "get_absolute_url") else plan,
        page=lambda: render(
            request, "strategy/plan_detail.html", plan_context(actor, plan, **{form_name: form})
        ),
    )


@require_POST
def axis_add(request: HttpRequest, org: str, code: str) -> HttpResponse:
    return _plan_post(
        request,
        org,
        code,
        "axis_form",
        lambda plan, data: AxisForm(data, prefix="axis"),
        lambda actor, plan, data: actions.add_axis(actor.person, plan=plan, **data) and plan,
        _("The axis is added."),
    )


def _objective(actor: Actor, plan: Plan, data: dict[str, Any]) -> Plan:
    axis = Axis.objects.filter(plan=plan, pk=data.pop("axis")).select_related("plan").first()
    if axis is None:
        raise Http404
    actions.add_objective(actor.person, axis=axis, **data)
    return plan


@require_POST
def objective_add(request: HttpRequest, org: str, code: str) -> HttpResponse:
    return _plan_post(
        request,
        org,
        code,
        "objective_form",
        lambda plan, data: ObjectiveForm(data, prefix="objective"),
        _objective,
        _("The objective is added."),
    )


@require_POST
def workstream_add(request: HttpRequest, org: str, code: str) -> HttpResponse:
    return _plan_post(
        request,
        org,
        code,
        "workstream_form",
        lambda plan, data: WorkstreamForm(data, plan=plan, prefix="workstream"),
        lambda actor, plan, data: actions.add_workstream(actor.person, **data),
        _("The workstream is added."),
    )


@require_POST
def remove(request: HttpRequest, org: str, code: str) -> HttpResponse:
    """Remove an axis, an objective or a workstream from a draft."""
    actor = access_organisation(request.user, org)
    plan = access_plan(actor, code, for_write=True)
    kind, pk = request.POST.get("kind", ""), request.POST.get("pk", "")
    try:
        if kind == "axis":
            actions.remove_axis(actor.person, axis=_get(Axis.objects.filter(plan=plan), pk))
        elif kind == "objective":
            actions.remove_objective(
                actor.person,
                objective=_get(
                    Objective.objects.filter(axis__plan=plan).select_related("axis__plan"), pk
                ),
            )
        elif kind == "workstream":
            actions.remove_workstream(
                actor.person,
                workstream=_get(
                    Workstream.objects.filter(objective__axis__plan=plan).select_related(
                        "objective__axis__plan"
                    ),
                    pk,
                ),
            )
        else:
            raise Http404
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Removed from the draft."))
    return redirect(plan)


@require_POST
def edit(request: HttpRequest, org: str, code: str) -> HttpResponse:
    """Rename or reweight an axis or an objective of a draft."""
    actor = access_organisation(request.user, org)
    plan = access_plan(actor, code, for_write=True)
    kind, pk = request.POST.get("kind", ""), request.POST.get("pk", "")
    title, weight = request.POST.get("title", ""), request.POST.get("weight", "")
    try:
        hygiene.check_single_line(title)
        number = hygiene.parse_int(weight)
        if number is None:
            raise ValidationError({"weight": _("Enter a whole number.")})
        if kind == "axis":
            part: Any = _get(Axis.objects.filter(plan=plan).select_related("plan"), pk)
            actions.edit_axis(actor.person, axis=part, title=title, weight=number)
        elif kind == "objective":
            part = _get(Objective.objects.filter(axis__plan=plan).select_related("axis__plan"), pk)
            actions.edit_objective(actor.person, objective=part, title=title, weight=number)
        else:
            raise Http404
    except ValidationError as error:
        messages.error(request, _describe(error, Axis if kind == "axis" else Objective))
    else:
        messages.success(request, _("Saved."))
    return redirect(plan)


def _describe(error: ValidationError, model: Any) -> str:
    """An action's refusal as one message that names each field."""
    if not hasattr(error, "error_dict"):
        return " ".join(error.messages)
    names = {
        f.name: str(f.verbose_name) for f in model._meta.get_fields() if hasattr(f, "verbose_name")
    }
    return " ".join(
        f"{names.get(field, field).capitalize()}: {message}"
        for field, errors in error.message_dict.items()
        for message in errors
    )


def _get(queryset: Any, pk: str) -> Any:
    number = hygiene.parse_int(pk)
    found = queryset.filter(pk=number).first() if number is not None else None
    if found is None:
        raise Http404
    return found


@require_POST
def approve(request: HttpRequest, org: str, code: str) -> HttpResponse:
    return _plan_post(
        request,
        org,
        code,
        "approve_form",
        lambda plan, data: ApproveForm(data, organisation=plan.organisation, prefix="approve"),
        lambda actor, plan, data: actions.approve_plan(actor.person, plan=plan, **data),
        _("The plan is in force."),
    )


@require_POST
def derive(request: HttpRequest, org: str, code: str) -> HttpResponse:
    return _plan_post(
        request,
        org,
        code,
        "derive_form",
        lambda plan, data: DeriveForm(data, prefix="derive"),
        lambda actor, plan, data: actions.derive_plan(actor.person, source=plan, **data),
        _("The revision is drafted: narrow or extend it, then have it approved."),
    )


def _open_review(actor: Actor, plan: Plan, data: dict[str, Any]) -> Review:
    questions = data.pop("questions").splitlines()
    return actions.open_review(actor.person, plan=plan, questions=questions, **data)


@require_POST
def review_new(request: HttpRequest, org: str, code: str) -> HttpResponse:
    return _plan_post(
        request,
        org,
        code,
        "review_form",
        lambda plan, data: ReviewForm(data, organisation=plan.organisation, prefix="review"),
        _open_review,
        _("The review is open."),
    )


@require_GET
def plan_changes(request: HttpRequest, org: str, code: str) -> HttpResponse:
    actor = access_organisation(request.user, org)
    plan = access_plan(actor, code)
    if plan.derived_from is None:
        raise Http404
    changes = revision_changes(plan)
    return render(
        request,
        "strategy/plan_changes.html",
        {
            **base(actor),
            "plan": plan,
            "changes": [c for c in changes if c.kind != "kept"],
            "kept": sum(1 for c in changes if c.kind == "kept"),
        },
    )


# Workstreams


def workstream_context(actor: Actor, workstream: Workstream, **forms: Any) -> dict[str, Any]:
    today = timezone.localdate()
    milestones = list(workstream.milestones.all())
    for milestone in milestones:
        milestone.late = milestone.is_late(today)  # type: ignore[attr-defined]
    indicators = indicator_series([workstream])
    # Reports of this workstream and of the ones it was carried over from, in earlier versions.
    lineage = [workstream.pk]
    source = workstream.source_id
    while source is not None and len(lineage) < 10:
        lineage.append(source)
        source = Workstream.objects.filter(pk=source).values_list("source_id", flat=True).first()
    reports = list(
        WorkstreamReport.objects.filter(workstream__in=lineage)
        .select_related("update__unit", "update__author")
        .order_by("update__period_end")
    )
    steer = may_steer(actor, workstream)
    context: dict[str, Any] = {
        **base(actor),
        "workstream": workstream,
        "plan": workstream.objective.axis.plan,
        "milestones": milestones,
        "trends": [
            (
                i,
                line_chart([(v.measured_on, v.value) for v in i.values.all()], target=i.target),
                list(i.values.all()),
            )
            for i in indicators
        ],
        "reports": reports,
        "progress_chart": line_chart(
            [(r.update.period_end, Decimal(r.progress)) for r in reports],
            bounds=(Decimal(0), Decimal(100)),
        ),
        "dossiers": [
            d
            for d in workstream.dossiers.select_related("organisation")
            if may_read_dossier(actor, d)
        ],
        "decisions": list(readable_decisions(actor).filter(workstreams=workstream)),
        "linked_actions": [
            a
            for a in workstream.actions.select_related("owner", "dossier")
            if a.dossier is None or may_read_dossier(actor, a.dossier)
        ],
        "can_steer": steer,
    }
    if steer:
        context.update(
            milestone_form=forms.get("milestone_form") or MilestoneForm(prefix="milestone"),
            indicator_form=forms.get("indicator_form") or IndicatorForm(prefix="indicator"),
            value_form=forms.get("value_form")
            or IndicatorValueForm(prefix="value", initial={"measured_on": timezone.localdate()}),
            link_form=forms.get("link_form")
            or LinkForm(workstream=workstream, decisions=readable_decisions(actor), prefix="link"),
            history=history(actor, workstream),
        )
    return context


@require_GET
def workstream_detail(request: HttpRequest, org: str, code: str) -> HttpResponse:
    actor = access_organisation(request.user, org)
    workstream = access_workstream(actor, code)
    return render(request, "strategy/workstream_detail.html", workstream_context(actor, workstream))


def _workstream_post(
    request: HttpRequest, org: str, code: str, form_name: str, form: Any, call: Any, success: str
) -> HttpResponse:
    actor = access_organisation(request.user, org)
    workstream = access_workstream(actor, code, for_write=True)
    extra = (
        {"workstream": workstream, "decisions": readable_decisions(actor)}
        if form is LinkForm
        else {}
    )
    bound = form(request.POST, prefix=form_name.removesuffix("_form"), **extra)
    return submit(
        request,
        bound,
        lambda: call(actor, workstream, bound.cleaned_data),
        success=success,
        target=workstream,
        page=lambda: render(
            request,
            "strategy/workstream_detail.html",
            workstream_context(actor, workstream, **{form_name: bound}),
        ),
    )


@require_POST
def milestone_add(request: HttpRequest, org: str, code: str) -> HttpResponse:
    return _workstream_post(
        request,
        org,
        code,
        "milestone_form",
        MilestoneForm,
        lambda actor, ws, data: actions.add_milestone(actor.person, workstream=ws, **data),
        _("The milestone is added."),
    )


@require_POST
def milestone_reach(request: HttpRequest, org: str, code: str, pk: int) -> HttpResponse:
    actor = access_organisation(request.user, org)
    workstream = access_workstream(actor, code, for_write=True)
    milestone = (
        Milestone.objects.filter(workstream=workstream, pk=pk).select_related("workstream").first()
    )
    if milestone is None:
        raise Http404
    try:
        actions.reach_milestone(actor.person, milestone=milestone)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The milestone is reached."))
    return redirect(workstream)


@require_POST
def indicator_add(request: HttpRequest, org: str, code: str) -> HttpResponse:
    return _workstream_post(
        request,
        org,
        code,
        "indicator_form",
        IndicatorForm,
        lambda actor, ws, data: actions.add_indicator(actor.person, workstream=ws, **data),
        _("The indicator is added."),
    )


def _value(actor: Actor, workstream: Workstream, data: dict[str, Any]) -> None:
    indicator = (
        Indicator.objects.filter(workstream=workstream, pk=data.pop("indicator"))
        .select_related("workstream__organisation")
        .first()
    )
    if indicator is None:
        raise Http404
    actions.record_indicator_value(actor.person, indicator=indicator, **data)


@require_POST
def value_add(request: HttpRequest, org: str, code: str) -> HttpResponse:
    return _workstream_post(
        request, org, code, "value_form", IndicatorValueForm, _value, _("The value is recorded.")
    )


@require_POST
def link(request: HttpRequest, org: str, code: str) -> HttpResponse:
    return _workstream_post(
        request,
        org,
        code,
        "link_form",
        LinkForm,
        lambda actor, ws, data: actions.link_workstream(actor.person, workstream=ws, **data),
        _("The workstream is linked."),
    )


# Progress updates


@require_GET
def update_list(request: HttpRequest, org: str) -> HttpResponse:
    actor = access_organisation(request.user, org)
    direction = request.GET.get("direction", "")
    updates = readable_updates(actor)
    if direction:
        updates = updates.filter(unit__code=direction)
    return render(
        request,
        "strategy/update_list.html",
        {
            **base(actor),
            "page": paginate(request, updates),
            "direction": direction,
            "directions": directions(actor.organisation),
            "may_write": bool(directions_written_by(actor)),
        },
    )


def _report_forms(units: list[Any], data: Any = None) -> list[tuple[Workstream, ReportForm]]:
    """One report form per workstream in force of the directions the person writes for."""
    workstreams = Workstream.objects.filter(
        owner_unit__in=units, objective__axis__plan__status=Plan.Status.APPROVED
    ).select_related("owner_unit", "objective__axis__plan", "organisation")
    return [
        (
            workstream,
            ReportForm(
                data,
                prefix=f"ws{workstream.pk}",
                initial={"progress": workstream.progress, "status": workstream.status},
            ),
        )
        for workstream in workstreams
    ]


@require_http_methods(["GET", "POST"])
def update_new(request: HttpRequest, org: str) -> HttpResponse:
    actor = access_organisation(request.user, org)
    units = directions_written_by(actor)
    if not units:
        raise Http404
    data = request.POST if request.method == "POST" else None
    form = UpdateForm(data, units=units)
    report_forms = _report_forms(units, data)
    if data is not None and form.is_valid():
        unit = access_direction(actor, form.cleaned_data["unit"].code)
        mine = [(w, f) for w, f in report_forms if w.owner_unit_id == unit.pk]
        included = [(w, f) for w, f in mine if request.POST.get(f"include-{w.pk}")]
        if all(f.is_valid() for _w, f in included):
            try:
                update = actions.write_progress_update(
                    actor.person,
                    unit=unit,
                    period_start=form.cleaned_data["period_start"],
                    period_end=form.cleaned_data["period_end"],
                    title=form.cleaned_data["title"],
                    text=form.cleaned_data["text"],
                    reports=[
                        actions.Report(
                            w,
                            f.cleaned_data["progress"],
                            f.cleaned_data["status"],
                            f.cleaned_data["comment"],
                        )
                        for w, f in included
                    ],
                )
            except ValidationError as error:
                copy_errors(form, error)
            else:
                messages.success(request, _("The update is published."))
                url = reverse("strategy:updates", kwargs={"org": org})
                return redirect(f"{url}?direction={update.unit.code}")
    return render(
        request,
        "strategy/update_new.html",
        {
            **base(actor),
            "form": form,
            "report_forms": report_forms,
            "included": {
                k.removeprefix("include-") for k in (data or {}) if k.startswith("include-")
            },
        },
        status=400 if data is not None else 200,
    )


@require_POST
def gather_news(request: HttpRequest, org: str, meeting: str, session: int) -> HttpResponse:
    """From the meeting page: the news-round session gathers the directions' latest updates."""
    actor = access_organisation(request.user, org)
    if not actor.has(WRITE):
        raise Http404
    target = access_meeting(actor, meeting, for_write=True)
    chosen = Session.objects.filter(meeting=target, pk=session).select_related("meeting").first()
    if chosen is None:
        raise Http404
    try:
        items = actions.gather_news(actor.person, session=chosen)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if items:
            messages.success(
                request,
                ngettext(
                    "The news of %(count)s direction is on the agenda and in the board book.",
                    "The news of %(count)s directions is on the agenda and in the board book.",
                    len(items),
                )
                % {"count": len(items)},
            )
        else:
            messages.info(request, _("No new update to gather: every direction is already there."))
    return redirect(target)


# Reviews


def review_context(actor: Actor, review: Review, **forms: Any) -> dict[str, Any]:
    results = review_results(review)
    now = timezone.now()
    person = actor.person
    may_answer = (
        person is not None
        and review.is_open(now)
        and person.pk in eligible_respondents(review, now)
    )
    mine: dict[int, ReviewResponse] = {}
    if may_answer:
        mine = {
            r.axis_id: r
            for r in ReviewResponse.objects.filter(
                review=review, respondent=person
            ).prefetch_related("scores")
        }
    questions = list(review.questions.all())
    axes = []
    for result in results.axes:
        response = mine.get(result.axis.pk)
        given = {s.question_id: s.score for s in response.scores.all()} if response else {}
        posted = forms.get("posted", {})
        if result.axis.pk in posted:  # a refused answer: show what the person chose
            given, comment = posted[result.axis.pk]
        else:
            comment = response.comment if response else ""
        axes.append(
            {
                "result": result,
                "chart": bar_chart(
                    [(q.question, q.mean) for q in result.questions],
                    maximum=review.scale,
                    label_width=330,
                    bar_width=200,
                    row_height=30,
                ),
                "response": response,
                "comment": comment,
                "given": [(q, given.get(q.pk)) for q in questions],
            }
        )
    return {
        **base(actor),
        "review": review,
        "plan": review.plan,
        "results": results,
        "axes": axes,
        "questions": questions,
        "scale": list(range(1, review.scale + 1)),
        "may_answer": may_answer,
        "is_open": review.is_open(now),
        "errors": forms.get("errors", {}),
        "conclude_form": forms.get("conclude_form")
        or (ConcludeForm(review=review, prefix="conclude") if actor.has(WRITE) else None),
    }


@require_GET
def review_detail(request: HttpRequest, org: str, code: str) -> HttpResponse:
    actor = access_organisation(request.user, org)
    review = access_review(actor, code)
    return render(request, "strategy/review_detail.html", review_context(actor, review))


@require_POST
def review_answer(request: HttpRequest, org: str, code: str, axis: int) -> HttpResponse:
    actor = access_organisation(request.user, org)
    review = access_review(actor, code)
    chosen = Axis.objects.filter(plan=review.plan, pk=axis).first()
    if chosen is None or actor.person is None:
        raise Http404
    scores: dict[int, int] = {}
    for question in review.questions.all():
        value = hygiene.parse_int(request.POST.get(f"q{question.pk}", ""))
        if value is not None:
            scores[question.pk] = value
    try:
        actions.answer_review(
            actor.person,
            review=review,
            axis=chosen,
            scores=scores,
            comment=request.POST.get("comment", ""),
        )
    except ValidationError as error:
        errors = {chosen.pk: error.messages}
        posted = {chosen.pk: (scores, request.POST.get("comment", ""))}
        return render(
            request,
            "strategy/review_detail.html",
            review_context(actor, review, errors=errors, posted=posted),
            status=400,
        )
    messages.success(request, _("Your answer on “%(axis)s” is recorded.") % {"axis": chosen.title})
    return redirect(f"{review.get_absolute_url()}#axis-{chosen.pk}")


@require_POST
def review_conclude(request: HttpRequest, org: str, code: str) -> HttpResponse:
    actor = access_organisation(request.user, org)
    review = access_review(actor, code, for_write=True)
    form = ConcludeForm(request.POST, review=review, prefix="conclude")
    if form.is_valid():
        try:
            actions.conclude_review(actor.person, review=review, **form.cleaned_data)
        except ValidationError as error:
            copy_errors(form, error)
        else:
            messages.success(
                request, _("The review is concluded; its orientation is on the dossier.")
            )
            return redirect(review)
    return render(
        request,
        "strategy/review_detail.html",
        review_context(actor, review, conclude_form=form),
        status=400,
    )
