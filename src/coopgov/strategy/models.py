"""The cooperative's strategy and its follow-up: plans in versions, axes, objectives and the
workstreams (chantiers) the directions carry, their milestones and indicators, the directions'
progress updates, and the reviews in which a body checks that the strategy still speaks to it."""

from __future__ import annotations

import datetime
import uuid
from typing import ClassVar

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coopgov.bodies.models import Body
from coopgov.core.models import Confidentiality, Organisation, Person, Unit
from coopgov.dossiers.models import Action, Decision, Dossier
from coopgov.meetings.models import AgendaItem, Meeting, Outcome

WEIGHT = [MinValueValidator(1), MaxValueValidator(100)]
PERCENT = [MinValueValidator(0), MaxValueValidator(100)]


class PlanQuerySet(models.QuerySet["Plan"]):
    def of(self, organisation: Organisation) -> PlanQuerySet:
        return self.filter(organisation=organisation)

    def in_force(self) -> PlanQuerySet:
        return self.filter(status=Plan.Status.APPROVED)


class Plan(models.Model):
    """A strategy with a horizon. A revision is derived from an earlier plan and keeps the link
    (each of its axes, objectives and workstreams points to the one it came from)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        APPROVED = "approved", _("In force")
        SUPERSEDED = "superseded", _("Superseded")

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    starts_year = models.PositiveSmallIntegerField(_("from year"))
    ends_year = models.PositiveSmallIntegerField(_("horizon year"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    body = models.ForeignKey(
        Body,
        on_delete=models.PROTECT,
        related_name="plans",
        verbose_name=_("body that follows it"),
    )
    confidentiality = models.CharField(
        _("confidentiality"),
        max_length=12,
        choices=Confidentiality.choices,
        default=Confidentiality.MEMBERS,
    )
    derived_from = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="revisions",
        verbose_name=_("revision of"),
    )
    change_note = models.TextField(_("what the revision changes"), blank=True)
    dossier = models.ForeignKey(
        Dossier,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="plans",
        verbose_name=_("dossier"),
    )
    decision = models.ForeignKey(
        Decision,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plans",
        verbose_name=_("approved by the decision"),
    )
    approval_reference = models.CharField(
        _("approved by (recorded outside coopgov)"), max_length=250, blank=True
    )
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects: ClassVar[PlanQuerySet] = PlanQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("strategy plan")
        verbose_name_plural = _("strategy plans")
        ordering = ["-starts_year", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_year__gte=models.F("starts_year")),
                name="plan_horizon_after_start",
                violation_error_message=_("Horizon: the horizon year comes after the first year."),
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(approved_on__isnull=False),
                name="plan_approved_has_a_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.starts_year}\N{EN DASH}{self.ends_year})"

    def get_absolute_url(self) -> str:
        return reverse("strategy:plan", kwargs={"org": self.organisation.code, "code": self.code})

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT


class Axis(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="axes")
    position = models.PositiveSmallIntegerField(_("position"), default=1)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    weight = models.PositiveSmallIntegerField(_("weight"), default=1, validators=WEIGHT)
    source = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("axis")
        verbose_name_plural = _("axes")
        ordering = ["plan", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(weight__gte=1, weight__lte=100), name="axis_weight_1_to_100"
            )
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.title}"


class Objective(models.Model):
    axis = models.ForeignKey(Axis, on_delete=models.CASCADE, related_name="objectives")
    position = models.PositiveSmallIntegerField(_("position"), default=1)
    title = models.CharField(_("title"), max_length=250)
    description = models.TextField(_("description"), blank=True)
    weight = models.PositiveSmallIntegerField(_("weight"), default=1, validators=WEIGHT)
    source = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("objective")
        verbose_name_plural = _("objectives")
        ordering = ["axis", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(weight__gte=1, weight__lte=100), name="objective_weight_1_to_100"
            )
        ]

    def __str__(self) -> str:
        return self.title


class Workstream(models.Model):
    """A chantier: carried by a direction, sponsored by a director, followed by the board."""

    class Status(models.TextChoices):
        ON_TRACK = "on_track", _("On track")
        AT_RISK = "at_risk", _("At risk")
        LATE = "late", _("Late")
        DONE = "done", _("Completed")
        PAUSED = "paused", _("Paused")

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="workstreams")
    title = models.CharField(_("title"), max_length=250)
    description = models.TextField(_("description"), blank=True)
    owner_unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="workstreams", verbose_name=_("direction")
    )
    sponsor = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sponsor"),
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ON_TRACK
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0, validators=PERCENT)
    weight = models.PositiveSmallIntegerField(_("weight"), default=1, validators=WEIGHT)
    source = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    dossiers = models.ManyToManyField(
        Dossier, blank=True, related_name="workstreams", verbose_name=_("dossiers")
    )
    decisions = models.ManyToManyField(
        Decision, blank=True, related_name="workstreams", verbose_name=_("decisions")
    )
    actions = models.ManyToManyField(
        Action, blank=True, related_name="workstreams", verbose_name=_("actions")
    )

    class Meta:
        verbose_name = _("workstream")
        verbose_name_plural = _("workstreams")
        ordering = ["objective", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="workstream_progress_at_most_100"
            ),
            models.CheckConstraint(
                condition=Q(weight__gte=1, weight__lte=100), name="workstream_weight_1_to_100"
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="workstream_ends_after_it_starts",
                violation_error_message=_("Dates: a workstream ends after it starts."),
            ),
            models.CheckConstraint(
                condition=~Q(status="done") | Q(progress=100),
                name="workstream_done_is_complete",
                violation_error_message=_("Progress: a workstream that is done is at 100 %."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse(
            "strategy:workstream", kwargs={"org": self.organisation.code, "code": self.code}
        )


class Milestone(models.Model):
    workstream = models.ForeignKey(Workstream, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("title"), max_length=250)
    due_on = models.DateField(_("due on"))
    done_on = models.DateField(_("done on"), null=True, blank=True)

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return self.title

    def is_late(self, today: datetime.date) -> bool:
        """S1: a milestone is late once its due day has passed without being reached."""
        return self.done_on is None and self.due_on < today


class Indicator(models.Model):
    workstream = models.ForeignKey(Workstream, on_delete=models.CASCADE, related_name="indicators")
    name = models.CharField(_("name"), max_length=200)
    unit = models.CharField(_("unit"), max_length=30, blank=True)
    baseline = models.DecimalField(
        _("baseline"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    target = models.DecimalField(_("target"), max_digits=14, decimal_places=2)
    target_on = models.DateField(_("target date"), null=True, blank=True)
    higher_is_better = models.BooleanField(_("higher is better"), default=True)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["workstream", "name"]

    def __str__(self) -> str:
        return self.name


class IndicatorValue(models.Model):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    measured_on = models.DateField(_("measured on"))
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2)
    note = models.CharField(_("note"), max_length=250, blank=True)

    class Meta:
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        ordering = ["indicator", "measured_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "measured_on"], name="indicator_value_once_per_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.measured_on}: {self.value}"


class ProgressUpdate(models.Model):
    """A direction's news for a period ("actualités"), with where its workstreams stand."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        related_name="progress_updates",
        verbose_name=_("direction"),
    )
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    title = models.CharField(_("headline"), max_length=250)
    text = models.TextField(_("news"))
    author = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    written_at = models.DateTimeField(_("written at"), default=timezone.now, editable=False)
    items = models.ManyToManyField(
        AgendaItem, blank=True, related_name="progress_updates", verbose_name=_("presented at")
    )

    class Meta:
        verbose_name = _("progress update")
        verbose_name_plural = _("progress updates")
        ordering = ["-period_end", "unit__name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="update_period_in_order",
                violation_error_message=_("Period: the period ends after it starts."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit} — {self.title}"


class WorkstreamReport(models.Model):
    """Where one workstream stands in a progress update: it becomes the workstream's state."""

    update = models.ForeignKey(ProgressUpdate, on_delete=models.CASCADE, related_name="reports")
    workstream = models.ForeignKey(Workstream, on_delete=models.CASCADE, related_name="reports")
    progress = models.PositiveSmallIntegerField(_("progress (%)"), validators=PERCENT)
    status = models.CharField(_("status"), max_length=10, choices=Workstream.Status.choices)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("workstream report")
        verbose_name_plural = _("workstream reports")
        ordering = ["update__period_end", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["update", "workstream"], name="report_once_per_update"),
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="report_progress_at_most_100"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.workstream}: {self.progress} %"


class Review(models.Model):
    """A structured consultation of a body's members on a plan: each axis is scored on each
    question, with comments; open during a meeting or a period; concluded by an orientation
    recorded on the plan's dossier."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="reviews")
    body = models.ForeignKey(
        Body, on_delete=models.PROTECT, related_name="+", verbose_name=_("body consulted")
    )
    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("during the meeting"),
    )
    title = models.CharField(_("title"), max_length=250)
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("closes"))
    scale = models.PositiveSmallIntegerField(
        _("scale"),
        default=5,
        validators=[MinValueValidator(3), MaxValueValidator(10)],
        help_text=_("Answers go from 1 (not at all) to this number (fully)."),
    )
    orientation = models.OneToOneField(
        Outcome, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    concluded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("strategy review")
        verbose_name_plural = _("strategy reviews")
        ordering = ["-opens_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")),
                name="review_closes_after_it_opens",
                violation_error_message=_("Dates: a review closes after it opens."),
            ),
            models.CheckConstraint(
                condition=Q(scale__gte=3, scale__lte=10), name="review_scale_3_to_10"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("strategy:review", kwargs={"org": self.organisation.code, "code": self.code})

    def is_open(self, now: datetime.datetime | None = None) -> bool:
        moment = now or timezone.now()
        return self.concluded_at is None and self.opens_at <= moment < self.closes_at


class ReviewQuestion(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(default=1)
    text = models.CharField(_("question"), max_length=250)

    class Meta:
        ordering = ["review", "position", "pk"]

    def __str__(self) -> str:
        return self.text


class ReviewResponse(models.Model):
    """One respondent's answer on one axis: a score per question and a comment. Results are
    shown without names; the respondent is kept so that each person answers once."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="responses")
    axis = models.ForeignKey(Axis, on_delete=models.CASCADE, related_name="+")
    respondent = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    comment = models.TextField(_("comment"), blank=True)
    answered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["review", "axis", "answered_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["review", "axis", "respondent"], name="review_response_once_per_axis"
            )
        ]

    def __str__(self) -> str:
        return f"{self.review} — {self.axis}"


class ReviewScore(models.Model):
    response = models.ForeignKey(ReviewResponse, on_delete=models.CASCADE, related_name="scores")
    question = models.ForeignKey(ReviewQuestion, on_delete=models.CASCADE, related_name="scores")
    score = models.PositiveSmallIntegerField(_("score"), validators=[MinValueValidator(1)])

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="review_score_once"),
            models.CheckConstraint(condition=Q(score__gte=1), name="review_score_at_least_1"),
        ]

    def __str__(self) -> str:
        return f"{self.question}: {self.score}"
