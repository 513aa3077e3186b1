"""Pages of the offers: the catalogue and the variants side by side, each variant's versions,
the activities and their record, an adviser's own activities, the management's view."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from coopgov.core import hygiene
from coopgov.core.access import Actor, access_organisation, require
from coopgov.core.charts import bar_chart, line_chart
from coopgov.core.views import copy_errors, history, paginate, submit
from coopgov.offers import actions
from coopgov.offers.access import (
    CATALOGUE,
    READ,
    access_activity,
    access_offer,
    is_adviser,
    is_holder,
    may_keep,
    visible_activities,
)
from coopgov.offers.forms import (
    ActivityForm,
    ContributionForm,
    EnrolForm,
    FeedForm,
    MilestoneForm,
    NeedForm,
    OfferForm,
    PaymentForm,
    ReviewForm,
    ServiceForm,
    SharesForm,
    StageForm,
    SupportMeetingForm,
    VersionForm,
)
from coopgov.offers.models import (
    GRID_SCALE,
    Activity,
    ActivityMilestone,
    Competence,
    Contribution,
    Enrolment,
    Holding,
    Offer,
    Stage,
)
from coopgov.offers.queries import (
    comparison,
    delay_buckets,
    flags,
    follow_ups,
    grid_progress,
    needs_summary,
    open_enrolments,
    stage_counts,
    summary_text,
    timeline,
    variant_counts,
)


def base(actor: Actor) -> dict[str, Any]:
    return {
        "actor": actor,
        "org": actor.organisation,
        "section": "offers",
        "can_keep_catalogue": actor.has(CATALOGUE),
        "is_staff": actor.has(READ),
    }


# The catalogue


def _catalogue(request: HttpRequest, actor: Actor, status: int = 200, **forms: Any) -> HttpResponse:
    day = hygiene.parse_day(request.GET.get("on", "")) or timezone.localdate()
    services, columns = comparison(actor.organisation, day)
    rows = [
        (service, [(column, column.levels.get(service.pk)) for column in columns])
        for service in services
    ]
    context = {**base(actor), "day": day, "rows": rows, "columns": columns}
    if actor.has(CATALOGUE):
        context["service_form"] = forms.get("service_form") or ServiceForm(
            organisation=actor.organisation, prefix="service"
        )
        context["offer_form"] = forms.get("offer_form") or OfferForm(
            organisation=actor.organisation, prefix="offer"
        )
    return render(request, "offers/catalogue.html", context, status=status)


@require_GET
def catalogue(request: HttpRequest, org: str) -> HttpResponse:
    return _catalogue(request, access_organisation(request.user, org))


@require_POST
def service_add(request: HttpRequest, org: str) -> HttpResponse:
    actor = access_organisation(request.user, org)
    require(actor, CATALOGUE)
    form = ServiceForm(request.POST, organisation=actor.organisation, prefix="service")
    if form.is_valid():
        try:
            actions.add_service(actor.person, organisation=actor.organisation, **form.cleaned_data)
        except ValidationError as error:
            copy_errors(form, error)
        else:
            messages.success(request, _("The service is in the catalogue."))
            return redirect("offers:catalogue", org=org)
    return _catalogue(request, actor, status=400, service_form=form)


@require_POST
def offer_add(request: HttpRequest, org: str) -> HttpResponse:
    actor = access_organisation(request.user, org)
    require(actor, CATALOGUE)
    form = OfferForm(request.POST, organisation=actor.organisation, prefix="offer")
    if form.is_valid():
        try:
            offer = actions.create_offer(
                actor.person, organisation=actor.organisation, **form.cleaned_data
            )
        except ValidationError as error:
            copy_errors(form, error)
        else:
            messages.success(request, _("The variant is created: publish its first version."))
            return redirect(offer)
    return _catalogue(request, actor, status=400, offer_form=form)


def _offer_page(
    request: HttpRequest,
    actor: Actor,
    offer: Offer,
    status: int = 200,
    form: VersionForm | None = None,
) -> HttpResponse:
    versions = list(
        offer.versions.prefetch_related("levels__service", "eligible_categories").order_by(
            "-number"
        )
    )
    context = {**base(actor), "offer": offer, "versions": versions, "today": timezone.localdate()}
    if actor.has(CATALOGUE):
        latest = versions[0] if versions else None
        initial: dict[str, Any] = {}
        if latest is not None:  # a new version starts from the latest one
            initial = {
                "cooperative_commitments": latest.cooperative_commitments,
                "shares_required": latest.shares_required,
                "contribution_rate": latest.contribution_rate,
                "contribution_base": latest.contribution_base,
                "minimum_annual_activity": latest.minimum_annual_activity,
                "support_meetings_per_year": latest.support_meetings_per_year,
                "participation_duties": latest.participation_duties,
                "eligible_categories": list(latest.eligible_categories.all()),
                "eligible_profiles": latest.eligible_profiles,
                **{f"level-{level.service_id}": level.level for level in latest.levels.all()},
            }
        context["version_form"] = form or VersionForm(
            organisation=actor.organisation, prefix="version", initial=initial
        )
        context["history"] = history(actor, offer)
    return render(request, "offers/offer_detail.html", context, status=status)


@require_GET
def offer_detail(request: HttpRequest, org: str, code: str) -> HttpResponse:
    actor = access_organisation(request.user, org)
    return _offer_page(request, actor, access_offer(actor, code))


@require_POST
def version_add(request: HttpRequest, org: str, code: str) -> HttpResponse:
    actor = access_organisation(request.user, org)
    offer = access_offer(actor, code, for_write=True)
    form = VersionForm(request.POST, organisation=actor.organisation, prefix="version")
    if form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if not k.startswith("level-")}
        try:
            actions.publish_version(actor.person, offer=offer, levels=form.levels(), **data)
        except ValidationError as error:
            copy_errors(form, error)
        else:
            messages.success(request, _("The new version is published."))
            return redirect(offer)
    return _offer_page(request, actor, offer, status=400, form=form)


# Activities


@require_GET
def activity_list(request: HttpRequest, org: str) -> HttpResponse:
    actor = access_organisation(request.user, org)
    activities = visible_activities(actor).select_related("organisation", "office")
    filters = {
        name: request.GET.get(name, "").strip() for name in ("q", "stage", "offer", "office")
    }
    if filters["q"]:
        activities = activities.filter(name__icontains=filters["q"])
    if filters["stage"]:
        activities = activities.filter(stage=filters["stage"])
    if filters["offer"]:
        activities = activities.filter(
            enrolments__ends_on__isnull=True, enrolments__version__offer__code=filters["offer"]
        )
    if filters["office"]:
        activities = activities.filter(office__code=filters["office"])
    page = paginate(request, activities.order_by("name"))
    current = open_enrolments(page.object_list)
    for activity in page.object_list:
        activity.current = current.get(activity.pk)
    query = urlencode({k: v for k, v in filters.items() if v})
    return render(
        request,
        "offers/activity_list.html",
        {
            **base(actor),
            "page": page,
            "filters": filters,
            "query": query,
            "stages": Stage.choices,
            "offers": Offer.objects.filter(organisation=actor.organisation),
            "offices": {a.office for a in page.object_list if a.office},
        },
    )


@require_http_methods(["GET", "POST"])
def activity_add(request: HttpRequest, org: str) -> HttpResponse:
    """Staff open an activity; whoever opens it follows it as its adviser."""
    actor = access_organisation(request.user, org)
    require(actor, READ)
    form = ActivityForm(request.POST or None, organisation=actor.organisation)
    if request.method == "POST" and form.is_valid():
        try:
            activity = actions.open_activity(
                actor.person,
                organisation=actor.organisation,
                advisers=[actor.person] if actor.person else [],
                **form.cleaned_data,
            )
        except ValidationError as error:
            copy_errors(form, error)
        else:
            messages.success(request, _("The activity is open as a candidate."))
            return redirect(activity)
    return render(
        request,
        "offers/activity_new.html",
        {**base(actor), "form": form},
        status=400 if request.method == "POST" else 200,
    )


def activity_context(actor: Actor, activity: Activity, **forms: Any) -> dict[str, Any]:
    today = timezone.localdate()
    keep = may_keep(actor, activity)
    holder = is_holder(actor, activity)
    holdings = list(activity.holdings.select_related("member__person", "member__representative"))
    enrolment = (
        activity.enrolments.filter(ends_on__isnull=True)
        .select_related(
            "version__offer__organisation", "member_accepted_by", "cooperative_accepted_by"
        )
        .first()
    )
    if enrolment is not None:
        enrolment.levels = list(enrolment.version.levels.select_related("service"))  # type: ignore[attr-defined]
    grid = grid_progress(activity)
    grid_chart = (
        line_chart(
            [
                (day, Decimal(str(round(avg, 2))))
                for day, avg in zip(grid.dates, grid.averages, strict=True)
            ],
            bounds=(Decimal(1), Decimal(GRID_SCALE)),
        )
        if grid
        else None
    )
    participants = [
        p for h in holdings for p in (h.member.person, h.member.representative) if p is not None
    ]
    context: dict[str, Any] = {
        **base(actor),
        "activity": activity,
        "holdings": holdings,
        "advisers": list(activity.advisers.all()),
        "enrolment": enrolment,
        "steps": timeline(activity),
        "grid": grid,
        "grid_rows": list(zip(grid.competences, grid.scores, strict=True)) if grid else [],
        "grid_chart": grid_chart,
        "needs": list(activity.needs.select_related("service")),
        "flags": flags([activity], today).get(activity.pk, []) if (keep or actor.has(READ)) else [],
        "may_keep": keep,
        "is_holder": holder,
        "may_accept_member": holder
        and enrolment is not None
        and enrolment.member_accepted_at is None,
        "may_accept_cooperative": is_adviser(actor, activity)
        and enrolment is not None
        and enrolment.cooperative_accepted_at is None,
        "need_form": forms.get("need_form")
        or (
            NeedForm(organisation=activity.organisation, prefix="need") if keep or holder else None
        ),
    }
    if keep:
        context.update(
            stage_form=forms.get("stage_form")
            or StageForm(prefix="stage", initial={"on": today}, current=activity.stage),
            enrol_form=forms.get("enrol_form")
            or EnrolForm(
                organisation=activity.organisation, prefix="enrol", initial={"starts_on": today}
            ),
            review_form=forms.get("review_form") or ReviewForm(prefix="review"),
            meeting_form=forms.get("meeting_form")
            or SupportMeetingForm(
                activity=activity,
                participants=participants,
                prefix="meeting",
                initial={"held_on": today, "advisers": [actor.person] if actor.person else []},
            ),
            milestone_form=forms.get("milestone_form") or MilestoneForm(prefix="milestone"),
            contribution_form=forms.get("contribution_form")
            or ContributionForm(prefix="contribution"),
            competences=list(Competence.objects.filter(organisation=activity.organisation)),
            grid_scale=range(1, GRID_SCALE + 1),
            errors=forms.get("errors", []),
            history=history(actor, activity),
        )
    return context


@require_GET
def activity_detail(request: HttpRequest, org: str, code: str) -> HttpResponse:
    actor = access_organisation(request.user, org)
    activity = access_activity(actor, code)
    return render(request, "offers/activity_detail.html", activity_context(actor, activity))


def _activity_post(
    request: HttpRequest,
    org: str,
    code: str,
    form_name: str,
    build: Callable[[Activity, Any], Any],
    call: Callable[[Actor, Activity, Any], Any],
    success: str,
    *,
    keeper: bool = True,
) -> HttpResponse:
    """Parse one of the activity page's forms, call its action and come back to the page, or
    show it again with the errors (nothing saved)."""
    actor = access_organisation(request.user, org)
    activity = access_activity(actor, code, for_write=keeper)
    form = build(activity, request.POST)
    return submit(
        request,
        form,
        lambda: call(actor, activity, form),
        success=success,
        target=activity,
        page=lambda: render(
            request,
            "offers/activity_detail.html",
            activity_context(actor, activity, **{form_name: form}),
        ),
    )


@require_POST
def stage(request: HttpRequest, org: str, code: str) -> HttpResponse:
    return _activity_post(
        request,
        org,
        code,
        "stage_form",
        lambda a, data: StageForm(data, prefix="stage"),
        lambda actor, a, f: actions.advance(actor.person, activity=a, **f.cleaned_data),
        _("The path is updated."),
    )


@require_POST
def enrol(request: HttpRequest, org: str, code: str) -> HttpResponse:
    return _activity_post(
        request,
        org,
        code,
        "enrol_form",
        lambda a, data: EnrolForm(data, organisation=a.organisation, prefix="enrol"),
        lambda actor, a, f: actions.enrol(actor.person, activity=a, **f.cleaned_data),
        _("The activity is enrolled: both sides now accept the commitments."),
    )


@require_POST
def accept(request: HttpRequest, org: str, code: str, enrolment: int) -> HttpResponse:
    """A holder accepts for the member, an adviser for the cooperative."""
    actor = access_organisation(request.user, org)
    activity = access_activity(actor, code)
    chosen = (
        Enrolment.objects.filter(activity=activity, pk=enrolment)
        .select_related("activity__organisation", "version__offer")
        .first()
    )
    if chosen is None or actor.person is None:
        raise Http404
    try:
        actions.accept_commitments(
            actor.person, enrolment=chosen, side=request.POST.get("side", "")
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("The commitments are accepted; your name and the time are kept.")
        )
    return redirect(activity)


@require_POST
def review(request: HttpRequest, org: str, code: str) -> HttpResponse:
    def call(actor: Actor, activity: Activity, form: ReviewForm) -> None:
        current = (
            activity.enrolments.filter(ends_on__isnull=True)
            .select_related("activity__organisation")
            .first()
        )
        if current is None:
            raise ValidationError(_("The activity is in no variant."))
        actions.review_commitments(actor.person, enrolment=current, **form.cleaned_data)

    return _activity_post(
        request,
        org,
        code,
        "review_form",
        lambda a, data: ReviewForm(data, prefix="review"),
        call,
        _("The commitments are reviewed."),
    )


@require_POST
def shares(request: HttpRequest, org: str, code: str) -> HttpResponse:
    actor = access_organisation(request.user, org)
    activity = access_activity(actor, code, for_write=True)
    form = SharesForm(request.POST)
    chosen = hygiene.parse_int(str(request.POST.get("holding", "")))
    holding = (
        Holding.objects.filter(activity=activity, pk=chosen)
        .select_related("activity__organisation", "member")
        .first()
        if chosen is not None
        else None
    )
    if holding is None:
        raise Http404
    if form.is_valid():
        actions.verify_shares(actor.person, holding=holding, shares=form.cleaned_data["shares"])
        messages.success(request, _("The shares held are verified."))
    else:
        messages.error(request, _("Shares held: a whole number, zero or more."))
    return redirect(activity)


@require_POST
def support_meeting(request: HttpRequest, org: str, code: str) -> HttpResponse:
    def build(activity: Activity, data: Any) -> SupportMeetingForm:
        participants = [
            p
            for h in activity.holdings.select_related("member__person", "member__representative")
            for p in (h.member.person, h.member.representative)
            if p is not None
        ]
        return SupportMeetingForm(
            data, activity=activity, participants=participants, prefix="meeting"
        )

    def call(actor: Actor, activity: Activity, form: SupportMeetingForm) -> None:
        data = form.cleaned_data
        actions.record_support_meeting(
            actor.person,
            activity=activity,
            held_on=data["held_on"],
            status=data["status"],
            advisers=list(data["advisers"]),
            attendance=form.attendance(),
            objectives=data["objectives"],
            agreed_actions=data["agreed_actions"],
            next_steps=data["next_steps"],
            next_meeting_on=data["next_meeting_on"],
        )

    return _activity_post(
        request, org, code, "meeting_form", build, call, _("The support meeting is recorded.")
    )


@require_POST
def milestone_add(request: HttpRequest, org: str, code: str) -> HttpResponse:
    return _activity_post(
        request,
        org,
        code,
        "milestone_form",
        lambda a, data: MilestoneForm(data, prefix="milestone"),
        lambda actor, a, f: actions.add_activity_milestone(
            actor.person, activity=a, **f.cleaned_data
        ),
        _("The milestone is added."),
    )


@require_POST
def milestone_reach(request: HttpRequest, org: str, code: str, pk: int) -> HttpResponse:
    actor = access_organisation(request.user, org)
    activity = access_activity(actor, code, for_write=True)
    milestone = (
        ActivityMilestone.objects.filter(activity=activity, pk=pk)
        .select_related("activity__organisation")
        .first()
    )
    if milestone is None:
        raise Http404
    try:
        actions.reach_activity_milestone(actor.person, milestone=milestone)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The milestone is reached."))
    return redirect(activity)


@require_POST
def evaluation(request: HttpRequest, org: str, code: str) -> HttpResponse:
    actor = access_organisation(request.user, org)
    activity = access_activity(actor, code, for_write=True)
    if actor.person is None:
        raise Http404
    grid = list(Competence.objects.filter(organisation=activity.organisation))
    read = {c: hygiene.parse_int(request.POST.get(f"c{c.pk}", "")) for c in grid}
    scores = {c: score for c, score in read.items() if score is not None}
    written = request.POST.get("evaluated_on", "").strip()
    day = hygiene.parse_day(written) if written else timezone.localdate()
    try:
        if day is None:
            raise ValidationError(_("Enter a valid date."))
        actions.evaluate(
            actor.person,
            activity=activity,
            evaluated_on=day,
            scores=scores,
            comment=request.POST.get("comment", ""),
        )
    except ValidationError as error:
        return render(
            request,
            "offers/activity_detail.html",
            activity_context(actor, activity, errors=error.messages),
            status=400,
        )
    messages.success(request, _("The competence grid is evaluated."))
    return redirect(activity)


@require_POST
def contribution(request: HttpRequest, org: str, code: str) -> HttpResponse:
    return _activity_post(
        request,
        org,
        code,
        "contribution_form",
        lambda a, data: ContributionForm(data, prefix="contribution"),
        lambda actor, a, f: actions.record_contribution(actor.person, activity=a, **f.cleaned_data),
        _("The contribution is recorded."),
    )


@require_POST
def payment(request: HttpRequest, org: str, code: str) -> HttpResponse:
    actor = access_organisation(request.user, org)
    activity = access_activity(actor, code, for_write=True)
    form = PaymentForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Payment: give the amount and the day it was paid."))
        return redirect(activity)
    chosen = (
        Contribution.objects.filter(activity=activity, pk=form.cleaned_data["contribution"])
        .select_related("activity__organisation")
        .first()
    )
    if chosen is None:
        raise Http404
    try:
        actions.record_payment(
            actor.person,
            contribution=chosen,
            amount=form.cleaned_data["amount"],
            paid_on=form.cleaned_data["paid_on"],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The payment is recorded."))
    return redirect(activity)


@require_POST
def need(request: HttpRequest, org: str, code: str) -> HttpResponse:
    """Holders say what their activity needs; its advisers may note it with them."""

    def build(activity: Activity, data: Any) -> NeedForm:
        return NeedForm(data, organisation=activity.organisation, prefix="need")

    def call(actor: Actor, activity: Activity, form: NeedForm) -> None:
        if actor.person is None or not (may_keep(actor, activity) or is_holder(actor, activity)):
            raise Http404
        actions.state_need(actor.person, activity=activity, **form.cleaned_data)

    return _activity_post(
        request, org, code, "need_form", build, call, _("The need is noted."), keeper=False
    )


@require_POST
def follow(request: HttpRequest, org: str, code: str) -> HttpResponse:
    """An adviser (staff) starts or stops following an activity."""
    actor = access_organisation(request.user, org)
    require(actor, READ)
    activity = access_activity(actor, code)
    if actor.person is None:
        raise Http404
    stop = request.POST.get("stop") == "1"
    try:
        actions.follow(actor.person, activity=activity, adviser=actor.person, stop=stop)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("You no longer follow this activity.") if stop else _("You follow this activity."),
        )
    return redirect(activity)


# Advisers and management


@require_GET
def advising(request: HttpRequest, org: str) -> HttpResponse:
    """An adviser's activities: flags, follow-ups due and commitments to review."""
    actor = access_organisation(request.user, org)
    if actor.person is None:
        raise Http404
    today = timezone.localdate()
    activities = list(
        Activity.objects.filter(organisation=actor.organisation, advisers=actor.person)
        .exclude(stage=Stage.EXITED)
        .select_related("organisation", "office")
        .order_by("name")
    )
    current = open_enrolments(activities)
    found = flags(activities, today)
    for activity in activities:
        activity.current = current.get(activity.pk)  # type: ignore[attr-defined]
        activity.flags = found.get(activity.pk, [])  # type: ignore[attr-defined]
    soon = today + datetime.timedelta(days=30)
    return render(
        request,
        "offers/advising.html",
        {
            **base(actor),
            "activities": activities,
            "due": follow_ups(activities, today),
            "to_review": sorted(
                (a for a in activities if a.pk in current and current[a.pk].review_on <= soon),
                key=lambda a: current[a.pk].review_on,
            ),
            "flagged": [a for a in activities if found.get(a.pk)],
            "today": today,
        },
    )


@require_GET
def management(request: HttpRequest, org: str) -> HttpResponse:
    actor = access_organisation(request.user, org)
    require(actor, READ)
    today = timezone.localdate()
    activities = Activity.objects.filter(organisation=actor.organisation)
    per_variant = variant_counts(activities)
    stages = stage_counts(activities)
    delays = delay_buckets(activities, today)
    top = max(
        [n for _l, n in per_variant] + [n for *_x, n in stages] + [n for _l, n in delays] + [1]
    )
    summaries = needs_summary(actor.organisation)
    return render(
        request,
        "offers/management.html",
        {
            **base(actor),
            "per_variant": per_variant,
            "variant_chart": bar_chart(
                [(name, float(n)) for name, n in per_variant],
                maximum=top,
                label_width=340,
                bar_width=420,
            ),
            "stages": stages,
            "stage_chart": bar_chart(
                [(label, float(n)) for _v, label, n in stages],
                maximum=top,
                label_width=340,
                bar_width=420,
            ),
            "delays": delays,
            "delay_chart": bar_chart(
                [(label, float(n)) for label, n in delays],
                maximum=top,
                label_width=340,
                bar_width=420,
            ),
            "summaries": [s for s in summaries if s.total],
            "feed_form": FeedForm(organisation=actor.organisation)
            if actor.has(CATALOGUE)
            else None,
        },
    )


@require_POST
def feed(request: HttpRequest, org: str) -> HttpResponse:
    """The aggregated needs go to the offer's dossier, as a contribution at a meeting."""
    actor = access_organisation(request.user, org)
    require(actor, CATALOGUE)
    form = FeedForm(request.POST, organisation=actor.organisation)
    if not form.is_valid():
        messages.error(request, _("Choose the variant and the meeting."))
        return redirect("offers:management", org=org)
    offer: Offer = form.cleaned_data["offer"]
    assert offer.dossier is not None
    try:
        actions.feed_needs(
            actor.person,
            dossier=offer.dossier,
            meeting=form.cleaned_data["meeting"],
            summary=summary_text(needs_summary(actor.organisation)),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("offers:management", org=org)
    messages.success(request, _("The members' needs are on the dossier."))
    return redirect(offer.dossier)
