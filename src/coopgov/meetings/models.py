"""Meetings of one or several bodies (M6), their kinds and rules (M1, M3, M4), programmes,
agendas, invitations and attendance (M2), conflicts of interest, outcomes and minutes (M5)."""

from __future__ import annotations

import datetime
import uuid
from typing import ClassVar

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coopgov.bodies.models import Body, Mandate
from coopgov.core.models import Confidentiality, Organisation, Person, Unit


class MeetingKind(models.Model):
    """A kind of meeting of a body, with its rules as data."""

    class Category(models.TextChoices):
        ORDINARY = "ordinary", _("Ordinary meeting")
        EXTRAORDINARY = "extraordinary", _("Extraordinary meeting")
        GENERAL_ASSEMBLY = "general_assembly", _("General assembly")
        SEMINAR = "seminar", _("Seminar")
        WORKSHOP = "workshop", _("Workshop")
        INTER_BODY = "inter_body", _("Inter-body meeting")

    NON_DECIDING = frozenset({Category.SEMINAR, Category.WORKSHOP, Category.INTER_BODY})

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="meeting_kinds")
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=120)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    may_decide = models.BooleanField(_("may decide"), default=True)
    notice_days = models.PositiveSmallIntegerField(_("notice period (days)"), default=7)
    proxy_limit = models.PositiveSmallIntegerField(_("proxies one person may hold"), default=1)
    proxies_within_body = models.BooleanField(
        _("proxies only to a member of the same body"), default=True
    )

    class Meta:
        verbose_name = _("kind of meeting")
        verbose_name_plural = _("kinds of meeting")
        ordering = ["body", "name"]
        constraints = [
            models.UniqueConstraint(fields=["body", "code"], name="meeting_kind_code_unique"),
            models.CheckConstraint(
                condition=~Q(category__in=["seminar", "workshop", "inter_body"])
                | Q(may_decide=False),
                name="meeting_kind_seminars_do_not_decide",
                violation_error_message=_(
                    "Seminars, workshops and inter-body meetings never decide."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.body} — {self.name}"


class MeetingQuerySet(models.QuerySet["Meeting"]):
    def of(self, organisation: Organisation) -> MeetingQuerySet:
        return self.filter(organisation=organisation)

    def of_body(self, body: Body) -> MeetingQuerySet:
        return self.filter(Q(kind__body=body) | Q(other_bodies=body)).distinct()

    def listed(self) -> MeetingQuerySet:
        return self.select_related("kind", "kind__body", "organisation")

    def current(self) -> MeetingQuerySet:
        """Meetings not cancelled, from three months ago on, soonest first: those a choice of
        meeting lists (ten years of history would make it thousands of options)."""
        since = timezone.now() - datetime.timedelta(days=92)
        return (
            self.exclude(status=Meeting.Status.CANCELLED)
            .filter(starts_at__gte=since)
            .order_by("starts_at")
        )


class Meeting(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        CONVENED = "convened", _("Convened")
        HELD = "held", _("Held")
        CANCELLED = "cancelled", _("Cancelled")

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.ForeignKey(MeetingKind, on_delete=models.PROTECT, related_name="meetings")
    other_bodies = models.ManyToManyField(
        Body,
        blank=True,
        related_name="joint_meetings",
        verbose_name=_("other bodies taking part"),
    )
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    access_notes = models.TextField(_("how to get there"), blank=True)
    online_link = models.URLField(_("online link"), blank=True)
    host_unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("host"),
    )
    logistics = models.TextField(_("logistics"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    convened_at = models.DateTimeField(_("convened on"), null=True, blank=True)
    urgency_reason = models.TextField(_("reason for a late convocation"), blank=True)
    series = models.ForeignKey(
        "MeetingSeries", on_delete=models.SET_NULL, null=True, blank=True, related_name="meetings"
    )

    objects: ClassVar[MeetingQuerySet] = MeetingQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["starts_at"]
        indexes = [models.Index(fields=["organisation", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="meeting_ends_after_it_starts",
                violation_error_message=_("A meeting ends after it starts."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} ({timezone.localtime(self.starts_at):%Y-%m-%d})"

    def get_absolute_url(self) -> str:
        return reverse("meetings:detail", kwargs={"org": self.organisation.code, "code": self.code})

    @property
    def body(self) -> Body:
        return self.kind.body

    @property
    def may_decide(self) -> bool:
        return self.kind.may_decide and self.kind.body.may_decide


class MeetingSeries(models.Model):
    """Meetings every N months, generated once and then moved one by one."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    kind = models.ForeignKey(MeetingKind, on_delete=models.PROTECT, related_name="series")
    title = models.CharField(_("title"), max_length=200)
    every_months = models.PositiveSmallIntegerField(_("every (months)"), default=2)

    class Meta:
        verbose_name = _("series of meetings")
        verbose_name_plural = _("series of meetings")

    def __str__(self) -> str:
        return self.title


class Session(models.Model):
    """A time slot of a meeting's programme (a seminar's news round, guest talk, workshop…)."""

    class Kind(models.TextChoices):
        NEWS_ROUND = "news_round", _("News from the directions")
        STRATEGY = "strategy", _("Strategy work session")
        GUEST_TALK = "guest_talk", _("Guest talk")
        WORKSHOP = "workshop", _("Workshop")
        INTER_BODY = "inter_body", _("Inter-body exchange")
        PLENARY = "plenary", _("Plenary")
        BREAK = "break", _("Break")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="sessions")
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="session_ends_after_it_starts",
                violation_error_message=_("A session ends after it starts."),
            )
        ]

    def __str__(self) -> str:
        return self.title


class Speaker(models.Model):
    """Someone of the cooperative, or a guest with their organisation."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="speakers")
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    guest_name = models.CharField(_("guest"), max_length=200, blank=True)
    guest_organisation = models.CharField(_("guest's organisation"), max_length=200, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=False, guest_name="")
                | Q(person__isnull=True) & ~Q(guest_name=""),
                name="speaker_person_or_guest",
                violation_error_message=_(
                    "A speaker is a person of the cooperative or a named guest."
                ),
            )
        ]

    def __str__(self) -> str:
        return self.person.full_name if self.person else self.guest_name

    @property
    def name(self) -> str:
        return str(self)


class AgendaItem(models.Model):
    class Purpose(models.TextChoices):
        INFORMATION = "information", _("Information")
        DISCUSSION = "discussion", _("Discussion")
        AMENDMENT = "amendment", _("Amendment")
        DECISION = "decision", _("Decision")
        ORIENTATION = "orientation", _("Orientation")
        WORKSHOP = "workshop", _("Workshop")
        TALK = "talk", _("Talk")

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        ACCEPTED = "accepted", _("On the agenda")
        DECLINED = "declined", _("Declined")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    title = models.CharField(_("title"), max_length=250)
    description = models.TextField(_("description"), blank=True)
    purpose = models.CharField(_("purpose"), max_length=12, choices=Purpose.choices)
    presenters = models.ManyToManyField(
        Person, blank=True, related_name="+", verbose_name=_("presenters")
    )
    duration_minutes = models.PositiveSmallIntegerField(_("planned duration (minutes)"), default=15)
    confidentiality = models.CharField(
        _("confidentiality"),
        max_length=12,
        choices=Confidentiality.choices,
        default=Confidentiality.BODIES,
    )
    session = models.ForeignKey(
        Session,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="items",
        verbose_name=_("session"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACCEPTED
    )
    proposed_by = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["meeting", "position", "pk"]

    def __str__(self) -> str:
        return self.title


class Invitation(models.Model):
    """Who is invited, in which capacity (from their own mandate, M6), their answer and presence."""

    class Capacity(models.TextChoices):
        VOTING = "voting", _("Voting member")
        ADVISORY = "advisory", _("Advisory voice")
        GUEST = "guest", _("Guest")

    class Answer(models.TextChoices):
        PENDING = "pending", _("No answer yet")
        YES = "yes", _("Will attend")
        REMOTE = "remote", _("Will attend remotely")
        NO = "no", _("Cannot attend")

    class Attendance(models.TextChoices):
        UNKNOWN = "unknown", _("Not recorded")
        PRESENT = "present", _("Present")
        REMOTE = "remote", _("Present remotely")
        EXCUSED = "excused", _("Excused")
        ABSENT = "absent", _("Absent")

    PRESENT_STATES = frozenset({Attendance.PRESENT, Attendance.REMOTE})

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="invitations")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="invitations")
    capacity = models.CharField(_("capacity"), max_length=10, choices=Capacity.choices)
    mandate = models.ForeignKey(
        Mandate, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answer = models.CharField(
        _("answer"), max_length=8, choices=Answer.choices, default=Answer.PENDING
    )
    attendance = models.CharField(
        _("attendance"), max_length=8, choices=Attendance.choices, default=Attendance.UNKNOWN
    )
    convened_at = models.DateTimeField(_("convened on"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["meeting", "capacity", "person__last_name"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "person"], name="invitation_once_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.meeting}"

    @property
    def is_present(self) -> bool:
        return self.attendance in self.PRESENT_STATES


class Proxy(models.Model):
    """A voting member who cannot attend gives their vote to another (M4)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="proxies")
    giver = models.OneToOneField(Invitation, on_delete=models.CASCADE, related_name="proxy_given")
    holder = models.ForeignKey(Invitation, on_delete=models.CASCADE, related_name="proxies_held")
    given_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("proxy")
        verbose_name_plural = _("proxies")
        constraints = [
            models.CheckConstraint(
                condition=~Q(giver=models.F("holder")), name="proxy_not_to_oneself"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.giver.person} → {self.holder.person}"


class ConflictDeclaration(models.Model):
    """A declared conflict of interest on an item: the person is recused from it (D5)."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="conflicts")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    justification = models.TextField(_("justification"))
    declared_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("conflict of interest")
        verbose_name_plural = _("conflicts of interest")
        constraints = [
            models.UniqueConstraint(fields=["item", "person"], name="conflict_once_per_item")
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.item}"


class Outcome(models.Model):
    """What a meeting produced on an item or in a session: notes, orientations, contributions."""

    class Kind(models.TextChoices):
        NOTE = "note", _("Note")
        ORIENTATION = "orientation", _("Orientation")
        CONTRIBUTION = "contribution", _("Contribution")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="outcomes")
    item = models.ForeignKey(
        AgendaItem, on_delete=models.CASCADE, null=True, blank=True, related_name="outcomes"
    )
    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, null=True, blank=True, related_name="outcomes"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    text = models.TextField(_("text"))
    author = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.text[:60]


class Minutes(models.Model):
    """The record of a meeting (M5): draft, approved by a later meeting of the body, locked."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        APPROVED = "approved", _("Approved")

    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="minutes")
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    introduction = models.TextField(_("introduction"), blank=True)
    approved_at = models.ForeignKey(
        Meeting,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="approved_minutes",
        verbose_name=_("approved at the meeting of"),
    )
    approved_on = models.DateField(_("approved on"), null=True, blank=True)

    class Meta:
        verbose_name = _("minutes")
        verbose_name_plural = _("minutes")

    def __str__(self) -> str:
        return f"{self.meeting}"

    @property
    def is_locked(self) -> bool:
        return self.status == self.Status.APPROVED


class MinutesSection(models.Model):
    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="sections")
    item = models.ForeignKey(
        AgendaItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    position = models.PositiveSmallIntegerField(default=0)
    heading = models.CharField(_("heading"), max_length=250)
    text = models.TextField(_("text"), blank=True)

    class Meta:
        ordering = ["minutes", "position", "pk"]

    def __str__(self) -> str:
        return self.heading


class Erratum(models.Model):
    """A dated correction to locked minutes (M5)."""

    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="errata")
    text = models.TextField(_("correction"))
    recorded_on = models.DateField(_("recorded on"), default=timezone.localdate)
    author = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("erratum")
        verbose_name_plural = _("errata")
        ordering = ["recorded_on", "pk"]

    def __str__(self) -> str:
        return self.text[:60]


class CalendarFeed(models.Model):
    """A secret link to an iCalendar feed: one's own meetings, or a body's meetings."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    owner = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="calendar_feeds")
    body = models.ForeignKey(
        Body,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("body"),
    )
    token = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "body"],
                condition=Q(body__isnull=False),
                name="calendar_feed_once_per_body",
            ),
            models.UniqueConstraint(
                fields=["owner"], condition=Q(body__isnull=True), name="calendar_feed_once_own"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.owner} — {self.body or _('my meetings')}"

    def get_absolute_url(self) -> str:
        return reverse("calendar_feed", kwargs={"token": self.token})


def document_path(version: DocumentVersion, filename: str) -> str:
    """Files live under MEDIA_ROOT, never under a public URL: a view checks access."""
    return f"meetings/{version.document.meeting.code}/{version.document.code}/v{version.number}-{filename}"


class Document(models.Model):
    """A document of a meeting, optionally tied to an agenda item, with versions."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="documents")
    item = models.ForeignKey(
        AgendaItem,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name=_("agenda item"),
    )
    title = models.CharField(_("title"), max_length=250)
    confidentiality = models.CharField(
        _("confidentiality"),
        max_length=12,
        choices=Confidentiality.choices,
        default=Confidentiality.BODIES,
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["meeting", "item__position", "title"]

    def __str__(self) -> str:
        return self.title


class DocumentVersion(models.Model):
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(_("version"))
    file = models.FileField(_("file"), upload_to=document_path, max_length=400)
    filename = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["document", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="document_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.document} v{self.number}"


class RecurringItem(models.Model):
    """An item that comes back at a period of the year (the budget in Q4, the accounts and the
    assembly's preparation in spring): it pre-fills the agenda of a meeting in those months."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    kind = models.ForeignKey(MeetingKind, on_delete=models.CASCADE, related_name="recurring_items")
    title = models.CharField(_("title"), max_length=250)
    purpose = models.CharField(_("purpose"), max_length=12, choices=AgendaItem.Purpose.choices)
    months = models.JSONField(_("months"), help_text=_("Months of the year, 1 to 12."))
    duration_minutes = models.PositiveSmallIntegerField(_("planned duration (minutes)"), default=30)

    class Meta:
        verbose_name = _("recurring item")
        verbose_name_plural = _("recurring items")
        ordering = ["kind", "title"]

    def __str__(self) -> str:
        return self.title
