"""Pages of meetings: list, meeting page (programme, agenda, attendance with a live quorum),
programme, minutes, calendar file."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from coopgov.bodies.access import may_see_internals
from coopgov.bodies.models import Body
from coopgov.core import hygiene
from coopgov.core.access import Actor, access_organisation, actor_for, require
from coopgov.core.public import public
from coopgov.core.views import (
    asked_form,
    copy_errors,
    history,
    is_htmx,
    paginate,
    render_page,
    submit,
)
from coopgov.meetings import actions, ics, pdf
from coopgov.meetings.access import WRITE, access_meeting
from coopgov.meetings.forms import (
    AnswerForm,
    ApproveMinutesForm,
    AttendanceForm,
    ConflictForm,
    ConveneForm,
    DocumentForm,
    ErratumForm,
    GuestForm,
    ItemForm,
    MeetingForm,
    MoveForm,
    OutcomeForm,
    ProxyForm,
    RecurringItemForm,
    SessionForm,
)
from coopgov.meetings.models import (
    AgendaItem,
    CalendarFeed,
    Document,
    DocumentVersion,
    Invitation,
    Meeting,
    Minutes,
    Proxy,
    RecurringItem,
    Session,
)
from coopgov.meetings.queries import (
    may_read_drafts,
    may_read_minutes,
    meeting_bodies,
    readable_documents,
    readable_items,
    readable_outcomes,
    readable_sections,
)
from coopgov.meetings.rules import is_late, notice_deadline, quorum


def visible_bodies(actor: Actor) -> list[Body]:
    return [
        body
        for body in Body.objects.filter(organisation=actor.organisation)
        if may_see_internals(actor, body)
    ]


@require_GET
def meeting_list(request: HttpRequest, org: str) -> HttpResponse:
    actor = access_organisation(request.user, org)
    bodies = visible_bodies(actor)
    chosen = request.GET.get("body", "")
    meetings = (
        Meeting.objects.of(actor.organisation)
        .listed()
        .filter(kind__body__in=[b for b in bodies if not chosen or b.code == chosen])
    )
    if actor.person is not None and not chosen:
        meetings = meetings | Meeting.objects.of(actor.organisation).listed().filter(
            invitations__person=actor.person
        )
    now = timezone.now()
    year = hygiene.parse_year(request.GET.get("year", ""))
    upcoming = request.GET.get("when", "upcoming") == "upcoming"
    if year is not None:
        # The yearly calendar of a body (or of all): every meeting of that year, in order.
        meetings = meetings.filter(starts_at__year=year).order_by("starts_at").distinct()
    else:
        meetings = (
            meetings.filter(ends_at__gte=now).order_by("starts_at")
            if upcoming
            else meetings.filter(ends_at__lt=now).order_by("-starts_at")
        ).distinct()
    return render(
        request,
        "meetings/meeting_list.html",
        {
            "actor": actor,
            "org": actor.organisation,
            "section": "meetings",
            "bodies": bodies,
            "chosen": chosen,
            "upcoming": upcoming,
            "year": year,
            "page": paginate(request, meetings),
            "can_write": actor.has(WRITE),
        },
    )


@require_http_methods(["GET", "POST"])
def meeting_new(request: HttpRequest, org: str) -> HttpResponse:
    actor = access_organisation(request.user, org)
    require(actor, WRITE)
    form = MeetingForm(request.POST or None, organisation=actor.organisation)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        every, count = data.pop("repeat_every_months"), data.pop("repeat_count")
        try:
            if every and count:
                series = actions.plan_series(
                    actor.person,
                    kind=data["kind"],
                    title=data["title"],
                    first_starts_at=data["starts_at"],
                    duration=data["ends_at"] - data["starts_at"],
                    every_months=every,
                    count=count,
                )
                meeting = series.meetings.order_by("starts_at")[0]
            else:
                meeting = actions.schedule_meeting(actor.person, **data)
        except ValidationError as error:
            copy_errors(form, error)
        else:
            messages.success(request, _("The meeting is planned and its members invited."))
            return redirect(meeting)
    return render(
        request,
        "meetings/meeting_new.html",
        {"actor": actor, "org": actor.organisation, "section": "meetings", "form": form},
    )


# The secretariat's forms of the meeting page, shown when opened (htmx loads them then): the
# page stays light, and a form comes back open when its submission is refused.
DEFERRED_FORMS = frozenset(
    {"convene", "guest", "move", "item", "session", "outcome", "proxy", "document"}
)


def meeting_context(
    actor: Actor, meeting: Meeting, open_form: str = "", **forms: Any
) -> dict[str, Any]:
    """Everything the meeting page shows, in a number of queries that does not grow."""
    items = list(
        readable_items(actor, meeting)
        .prefetch_related("presenters", Prefetch("conflicts", queryset=_conflicts()))
        .select_related("session")
    )
    invitations = list(
        meeting.invitations.select_related("person", "person__organisation", "mandate").order_by(
            "-capacity", "person__last_name", "person__first_name"
        )
    )
    own = next((i for i in invitations if actor.person and i.person_id == actor.person.pk), None)
    can_write = actor.has(WRITE)
    return {
        "actor": actor,
        "org": actor.organisation,
        "section": "meetings",
        "meeting": meeting,
        "other_bodies": meeting.other_bodies.all(),
        "sessions": meeting.sessions.prefetch_related("speakers__person"),
        "items": [i for i in items if i.status == AgendaItem.Status.ACCEPTED],
        "proposals": [i for i in items if i.status == AgendaItem.Status.PROPOSED],
        "invitations": invitations,
        "own": own,
        "proxies": Proxy.objects.filter(meeting=meeting).select_related(
            "giver__person", "holder__person"
        ),
        "outcomes": readable_outcomes(actor, meeting).select_related("item", "session", "author"),
        "quorum": quorum(meeting) if meeting.may_decide else None,
        "late": is_late(meeting) and meeting.convened_at is None,
        # Invitees without a convocation once the meeting is convened: sending failed
        # (meetings.convocation.failed in the audit trail), or they were invited since.
        "unconvened": sum(1 for i in invitations if i.convened_at is None)
        if meeting.convened_at
        else 0,
        "deadline": notice_deadline(meeting),
        "minutes": Minutes.objects.filter(meeting=meeting).first(),
        "documents": documents_of(actor, meeting),
        "document_form": forms.get("document_form")
        or DocumentForm(meeting=meeting, prefix="document"),
        "guest_form": forms.get("guest_form") or GuestForm(meeting=meeting, prefix="guest"),
        "move_form": forms.get("move_form")
        or MoveForm(
            initial={
                "starts_at": timezone.localtime(meeting.starts_at),
                "ends_at": timezone.localtime(meeting.ends_at),
            },
            prefix="move",
        ),
        "can_write": can_write,
        "can_propose": own is not None and own.capacity != Invitation.Capacity.GUEST,
        "session_form": forms.get("session_form")
        or SessionForm(organisation=actor.organisation, prefix="session"),
        "item_form": forms.get("item_form") or ItemForm(meeting=meeting, prefix="item"),
        "convene_form": forms.get("convene_form") or ConveneForm(prefix="convene"),
        "proxy_form": forms.get("proxy_form") or ProxyForm(meeting=meeting, prefix="proxy"),
        "outcome_form": forms.get("outcome_form") or OutcomeForm(meeting=meeting, prefix="outcome"),
        "answer_form": AnswerForm(initial={"answer": own.answer if own else None}, prefix="answer"),
        "attendance_choices": Invitation.Attendance.choices,
        "history": history(actor, meeting),
        "shown_forms": {name.removesuffix("_form") for name in forms} | {open_form},
    }


def documents_of(actor: Actor, meeting: Meeting) -> list[Document]:
    """Documents the actor may read, each with its versions (newest first) loaded."""
    return list(
        readable_documents(actor, meeting)
        .select_related("item")
        .prefetch_related(
            Prefetch("versions", queryset=DocumentVersion.objects.order_by("-number"))
        )
    )


def _conflicts() -> Any:
    from coopgov.meetings.models import ConflictDeclaration

    return ConflictDeclaration.objects.select_related("person")


@require_GET
def meeting_detail(request: HttpRequest, org: str, code: str) -> HttpResponse:
    actor = access_organisation(request.user, org)
    meeting = access_meeting(actor, code)
    name = asked_form(request, actor, DEFERRED_FORMS, WRITE)
    return render_page(
        request,
        "meetings/meeting_detail.html",
        meeting_context(actor, meeting, open_form=name),
        name,
    )


def _post(
    request: HttpRequest,
    org: str,
    code: str,
    form_name: str,
    form_factory: Callable[[Meeting, Actor], Any],
    run: Callable[[Actor, Meeting, dict[str, Any]], Any],
    *,
    for_write: bool = True,
    success: str = "",
) -> HttpResponse:
    """One form of the meeting page: parse, run the action, redirect, or show the errors."""
    actor = access_organisation(request.user, org)
    meeting = access_meeting(actor, code, for_write=for_write)
    form = form_factory(meeting, actor)
    return submit(
        request,
        form,
        lambda: run(actor, meeting, form.cleaned_data),
        success=success or _("Saved."),
        target=meeting,
        page=lambda: render(
            request,
            "meetings/meeting_detail.html",
            meeting_context(actor, meeting, **{form_name: form}),
        ),
    )


@require_POST
def session_add(request: HttpRequest, org: str, code: str) -> HttpResponse:
    def run(actor: Actor, meeting: Meeting, data: dict[str, Any]) -> Session:
        speakers: list[Any] = list(data.pop("speakers"))
        guest, guest_org = data.pop("guest_name"), data.pop("guest_organisation")
        if guest:
            speakers.append((guest, guest_org))
        return actions.add_session(actor.person, meeting=meeting, speakers=speakers, **data)

    return _post(
        request,
        org,
        code,
        "session_form",
        lambda meeting, actor: SessionForm(
            request.POST, organisation=actor.organisation, prefix="session"
        ),
        run,
        success=_("The session is added to the programme."),
    )


@require_POST
def item_add(request: HttpRequest, org: str, code: str) -> HttpResponse:
    """The secretariat adds an item; an invited member proposes one."""
    actor = access_organisation(request.user, org)
    meeting = access_meeting(actor, code)
    proposing = not actor.has(WRITE)
    if (
        proposing
        and not meeting.invitations.filter(person=actor.person)
        .exclude(capacity=Invitation.Capacity.GUEST)
        .exists()
    ):
        raise Http404
    return _post(
        request,
        org,
        code,
        "item_form",
        lambda meeting, actor: ItemForm(request.POST, meeting=meeting, prefix="item"),
        lambda actor, meeting, data: actions.add_to_agenda(
            actor.person, meeting=meeting, proposed=proposing, **data
        ),
        for_write=False,
        success=_("The item is proposed to the chair.")
        if proposing
        else _("The item is on the agenda."),
    )


@require_POST
def item_decide(request: HttpRequest, org: str, code: str, item: int) -> HttpResponse:
    actor = access_organisation(request.user, org)
    meeting = access_meeting(actor, code, for_write=True)
    proposal = meeting.items.filter(pk=item).first()
    if proposal is None:
        raise Http404
    try:
        actions.decide_on_proposal(
            actor.person, item=proposal, accept=request.POST.get("accept") == "1"
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(meeting)


@require_POST
def convene(request: HttpRequest, org: str, code: str) -> HttpResponse:
    return _post(
        request,
        org,
        code,
        "convene_form",
        lambda meeting, actor: ConveneForm(request.POST, prefix="convene"),
        lambda actor, meeting, data: actions.convene(actor.person, meeting=meeting, **data),
        success=_("The convocation is on its way to every invitee."),
    )


@require_POST
def answer(request: HttpRequest, org: str, code: str) -> HttpResponse:
    actor = access_organisation(request.user, org)
    meeting = access_meeting(actor, code)
    invitation = meeting.invitations.filter(person=actor.person).first()
    form = AnswerForm(request.POST, prefix="answer")
    if invitation is None or actor.person is None:
        raise Http404
    if form.is_valid():
        actions.answer_invitation(
            actor.person, invitation=invitation, answer=form.cleaned_data["answer"]
        )
        messages.success(request, _("Your answer is recorded."))
    return redirect(meeting)


@require_POST
def attendance(request: HttpRequest, org: str, code: str, invitation: int) -> HttpResponse:
    """Record one person's attendance; with htmx, the row and the quorum change in place."""
    actor = access_organisation(request.user, org)
    meeting = access_meeting(actor, code, for_write=True)
    row = (
        meeting.invitations.select_related("person", "person__organisation", "mandate")
        .filter(pk=invitation)
        .first()
    )
    if row is None:
        raise Http404
    form = AttendanceForm(request.POST)
    error = ""
    if form.is_valid():
        try:
            actions.record_attendance(
                actor.person, invitation=row, attendance=form.cleaned_data["attendance"]
            )
        except ValidationError as refused:
            row.refresh_from_db()
            error = " ".join(refused.messages)
    if not is_htmx(request):
        if error:
            messages.error(request, error)
        return redirect(meeting)
    context = {
        "meeting": meeting,
        "invitation": row,
        "row_error": error,
        "can_write": True,
        "org": actor.organisation,
        "attendance_choices": Invitation.Attendance.choices,
        "quorum": quorum(meeting) if meeting.may_decide else None,
        "oob": True,
    }
    return render(request, "meetings/_attendance_row.html", context)


@require_POST
def proxy_add(request: HttpRequest, org: str, code: str) -> HttpResponse:
    return _post(
        request,
        org,
        code,
        "proxy_form",
        lambda meeting, actor: ProxyForm(request.POST, meeting=meeting, prefix="proxy"),
        lambda actor, meeting, data: actions.give_proxy(actor.person, **data),
        success=_("The proxy is recorded."),
    )


@require_POST
def proxy_remove(request: HttpRequest, org: str, code: str, proxy: int) -> HttpResponse:
    actor = access_organisation(request.user, org)
    meeting = access_meeting(actor, code, for_write=True)
    given = Proxy.objects.filter(meeting=meeting, pk=proxy).select_related("giver__person").first()
    if given is None:
        raise Http404
    actions.withdraw_proxy(actor.person, proxy=given)
    messages.success(request, _("The proxy is withdrawn."))
    return redirect(meeting)


@require_POST
def outcome_add(request: HttpRequest, org: str, code: str) -> HttpResponse:
    return _post(
        request,
        org,
        code,
        "outcome_form",
        lambda meeting, actor: OutcomeForm(request.POST, meeting=meeting, prefix="outcome"),
        lambda actor, meeting, data: actions.record_outcome(actor.person, meeting=meeting, **data),
        success=_("The outcome is recorded."),
    )


@require_POST
def conflict_declare(request: HttpRequest, org: str, code: str, item: int) -> HttpResponse:
    actor = access_organisation(request.user, org)
    meeting = access_meeting(actor, code)
    agenda_item = readable_items(actor, meeting).filter(pk=item).first()
    if agenda_item is None or actor.person is None:
        raise Http404
    form = ConflictForm(request.POST)
    if form.is_valid():
        try:
            actions.declare_conflict(
                actor.person, item=agenda_item, justification=form.cleaned_data["justification"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request, _("Your conflict of interest is recorded: you are recused from this item.")
            )
    else:
        messages.error(request, _("Say why there is a conflict of interest."))
    return redirect(meeting)


@require_GET
def programme(request: HttpRequest, org: str, code: str) -> HttpResponse:
    actor = access_organisation(request.user, org)
    meeting = access_meeting(actor, code)
    sessions = list(
        meeting.sessions.prefetch_related(
            "speakers__person", Prefetch("items", queryset=readable_items(actor, meeting))
        )
    )
    days: dict[Any, list[Session]] = {}
    for session in sessions:
        days.setdefault(timezone.localtime(session.starts_at).date(), []).append(session)
    return render(
        request,
        "meetings/programme.html",
        {
            "actor": actor,
            "org": actor.organisation,
            "section": "meetings",
            "meeting": meeting,
            "days": days.items(),
            "other_bodies": meeting.other_bodies.all(),
        },
    )


@require_http_methods(["GET", "POST"])
def minutes_page(request: HttpRequest, org: str, code: str) -> HttpResponse:
    actor = access_organisation(request.user, org)
    meeting = access_meeting(actor, code)
    minutes = Minutes.objects.filter(meeting=meeting).select_related("approved_at").first()
    if request.method == "POST":
        require(actor, WRITE)
        try:
            _change_minutes(request, actor, meeting, minutes)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect("meetings:minutes", org=org, code=code)
    body_ids = meeting_bodies(meeting)
    if minutes is not None and not may_read_minutes(actor, minutes, body_ids):
        minutes = None  # a draft the actor may not read looks like no minutes at all
    return render(
        request,
        "meetings/minutes.html",
        {
            "actor": actor,
            "org": actor.organisation,
            "section": "meetings",
            "meeting": meeting,
            "minutes": minutes,
            "reads_drafts": may_read_drafts(actor, body_ids),
            "sections": readable_sections(actor, minutes) if minutes else [],
            "errata": minutes.errata.select_related("author") if minutes else [],
            "can_write": actor.has(WRITE),
            "approve_form": ApproveMinutesForm(meeting=meeting),
            "erratum_form": ErratumForm(),
        },
    )


def _change_minutes(
    request: HttpRequest, actor: Actor, meeting: Meeting, minutes: Minutes | None
) -> None:
    step = request.POST.get("step")
    if step == "draft":
        actions.draft_minutes(actor.person, meeting=meeting)
        messages.success(request, _("The minutes are drafted from the agenda."))
        return
    if minutes is None:
        raise Http404
    if step == "section":
        section = minutes.sections.filter(
            pk=hygiene.parse_int(request.POST.get("section", "")) or 0
        ).first()
        if section is None:
            raise Http404
        actions.edit_minutes(actor.person, section=section, text=request.POST.get("text", ""))
        messages.success(request, _("The section is saved."))
    elif step == "approve":
        approval = ApproveMinutesForm(request.POST, meeting=meeting)
        if not approval.is_valid():
            raise ValidationError(_("Choose the later meeting that approves the minutes."))
        actions.approve_minutes(actor.person, minutes=minutes, at=approval.cleaned_data["at"])
        messages.success(request, _("The minutes are approved and locked."))
    elif step == "erratum":
        form = ErratumForm(request.POST)
        if not form.is_valid():
            raise ValidationError(_("Write the correction."))
        actions.add_erratum(actor.person, minutes=minutes, text=form.cleaned_data["text"])
        messages.success(request, _("The erratum is recorded."))


@require_GET
def meeting_ics(request: HttpRequest, org: str, code: str) -> HttpResponse:
    actor = access_organisation(request.user, org)
    meeting = access_meeting(actor, code)
    response = HttpResponse(
        ics.calendar([meeting], name=meeting.title), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="meeting-{meeting.code}.ics"'
    return response


@require_http_methods(["GET", "POST"])
def calendar_feeds(request: HttpRequest, org: str) -> HttpResponse:
    """The person's secret calendar links: their own meetings, and any body they may follow."""
    actor = access_organisation(request.user, org)
    if actor.person is None:
        raise Http404
    bodies = visible_bodies(actor)
    if request.method == "POST":
        if "close" in request.POST:
            feed = CalendarFeed.objects.filter(
                owner=actor.person, pk=hygiene.parse_int(request.POST["close"]) or 0
            ).first()
            if feed is None:
                raise Http404
            actions.close_calendar_feed(actor.person, feed=feed)
            messages.success(request, _("The link is revoked."))
        else:
            code = request.POST.get("body", "")
            body = next((b for b in bodies if b.code == code), None)
            if code and body is None:
                raise Http404
            actions.open_calendar_feed(actor.person, body=body)
        return redirect("meetings:feeds", org=org)
    feeds = CalendarFeed.objects.filter(owner=actor.person).select_related("body")
    return render(
        request,
        "meetings/calendar_feeds.html",
        {
            "actor": actor,
            "org": actor.organisation,
            "section": "meetings",
            "feeds": feeds,
            "bodies": [b for b in bodies if b.pk not in {f.body_id for f in feeds}],
            "has_own": any(f.body_id is None for f in feeds),
            "site_url": request.build_absolute_uri("/").rstrip("/"),
        },
    )


@public
@require_GET
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The feed itself: anyone with the secret link, checked against its owner's rights now."""
    feed = (
        CalendarFeed.objects.select_related("owner__user", "owner__organisation", "body")
        .filter(token=token)
        .first()
    )
    if feed is None or feed.owner.user is None or not feed.owner.user.is_active:
        raise Http404
    actor = actor_for(feed.owner.user, feed.owner.organisation)
    meetings = (
        Meeting.objects.of(feed.organisation).listed().exclude(status=Meeting.Status.CANCELLED)
    )
    if feed.body is None:
        meetings = meetings.filter(invitations__person=feed.owner)
        name = _("My meetings")
    else:
        if not may_see_internals(actor, feed.body):
            raise Http404
        meetings = meetings.filter(kind__body=feed.body)
        name = feed.body.name
    return HttpResponse(
        ics.calendar(meetings.distinct(), name=name), content_type="text/calendar; charset=utf-8"
    )


@require_POST
def document_add(request: HttpRequest, org: str, code: str) -> HttpResponse:
    """A new document, or (with "document-of") a new version of an existing one."""
    actor = access_organisation(request.user, org)
    meeting = access_meeting(actor, code, for_write=True)
    form = DocumentForm(request.POST, request.FILES, meeting=meeting, prefix="document")
    upload = request.FILES.get("document-upload")
    if of := request.POST.get("document-of", ""):
        existing = meeting.documents.filter(code=of).first() if _is_uuid(of) else None
        if existing is None:
            raise Http404
        if not isinstance(upload, UploadedFile):
            messages.error(request, _("Choose the file of the new version."))
            return redirect(meeting)
        try:
            actions.add_document(
                actor.person,
                meeting=meeting,
                title=existing.title,
                upload=upload,
                document=existing,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The new version is added."))
        return redirect(meeting)
    if form.is_valid():
        try:
            actions.add_document(
                actor.person,
                meeting=meeting,
                title=form.cleaned_data["title"],
                upload=form.cleaned_data["upload"],
                item=form.cleaned_data["item"],
                confidentiality=form.cleaned_data["confidentiality"],
            )
        except ValidationError as error:
            copy_errors(form, error)
        else:
            messages.success(request, _("The document is added."))
            return redirect(meeting)
    return render(
        request,
        "meetings/meeting_detail.html",
        meeting_context(actor, meeting, document_form=form),
        status=400,
    )


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


@require_GET
def document_download(
    request: HttpRequest, org: str, code: str, document: str, number: int
) -> HttpResponseBase:
    """Files are served here only, after the same checks as the meeting and the document."""
    actor = access_organisation(request.user, org)
    meeting = access_meeting(actor, code)
    version = (
        DocumentVersion.objects.select_related("document")
        .filter(
            document__in=readable_documents(actor, meeting),
            document__code=document,
            number=number,
        )
        .first()
    )
    if version is None:
        raise Http404
    return FileResponse(
        version.file.open("rb"),
        as_attachment=True,
        filename=version.filename,
        content_type=version.content_type,
    )


@require_GET
def board_book(request: HttpRequest, org: str, code: str) -> HttpResponse:
    actor = access_organisation(request.user, org)
    meeting = access_meeting(actor, code)
    items = list(readable_items(actor, meeting).filter(status=AgendaItem.Status.ACCEPTED))
    order = {item.pk: position for position, item in enumerate(items)}
    # Documents of proposed or declined items stay out, as their items do.
    documents = [d for d in documents_of(actor, meeting) if d.item_id is None or d.item_id in order]
    documents.sort(key=lambda d: (order.get(d.item_id, len(order)) if d.item_id else -1, d.title))
    versions = [d.versions.all()[0] for d in documents if d.versions.all()]
    content = pdf.board_book(meeting, items, versions)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="board-book-{meeting.code}.pdf"'
    return response


@require_GET
def minutes_download(request: HttpRequest, org: str, code: str) -> HttpResponse:
    actor = access_organisation(request.user, org)
    meeting = access_meeting(actor, code)
    minutes = Minutes.objects.filter(meeting=meeting).first()
    if minutes is None or not may_read_minutes(actor, minutes, meeting_bodies(meeting)):
        raise Http404
    content = pdf.minutes_pdf(
        minutes,
        translation.get_language() or "fr",
        sections=list(readable_sections(actor, minutes)),
    )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="minutes-{meeting.code}.pdf"'
    return response


@require_POST
def move(request: HttpRequest, org: str, code: str) -> HttpResponse:
    return _post(
        request,
        org,
        code,
        "move_form",
        lambda meeting, actor: MoveForm(request.POST, prefix="move"),
        lambda actor, meeting, data: actions.move_meeting(actor.person, meeting=meeting, **data),
        success=_("The meeting is moved."),
    )


@require_http_methods(["GET", "POST"])
def recurring_items(request: HttpRequest, org: str) -> HttpResponse:
    actor = access_organisation(request.user, org)
    require(actor, WRITE)
    form = RecurringItemForm(request.POST or None, organisation=actor.organisation)
    if request.method == "POST" and form.is_valid():
        try:
            actions.add_recurring_item(actor.person, **form.cleaned_data)
        except ValidationError as error:
            copy_errors(form, error)
        else:
            messages.success(request, _("The recurring item is saved."))
            return redirect("meetings:recurring", org=org)
    return render(
        request,
        "meetings/recurring_items.html",
        {
            "actor": actor,
            "org": actor.organisation,
            "section": "meetings",
            "form": form,
            "items": RecurringItem.objects.filter(organisation=actor.organisation).select_related(
                "kind__body"
            ),
        },
    )


@require_POST
def guest_add(request: HttpRequest, org: str, code: str) -> HttpResponse:
    return _post(
        request,
        org,
        code,
        "guest_form",
        lambda meeting, actor: GuestForm(request.POST, meeting=meeting, prefix="guest"),
        lambda actor, meeting, data: actions.invite_guest(actor.person, meeting=meeting, **data),
        success=_("The guest is invited."),
    )
