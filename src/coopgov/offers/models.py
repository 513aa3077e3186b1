"""Services offered to members' activities, the offer variants ("déclinaisons") with their
reciprocal commitments (O1), the activities, their enrolment in one variant at a time, and
their accompaniment over time: path stages, support meetings, milestones, competence grids,
contributions and the members' stated needs."""

from __future__ import annotations

import datetime
import uuid
from decimal import Decimal
from typing import ClassVar

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coopgov.core.models import Member, MemberCategory, Organisation, Person, Unit
from coopgov.dossiers.models import Dossier


class Service(models.Model):
    """A service of the catalogue, delivered by a unit and funded in a stated way."""

    class Funding(models.TextChoices):
        CONTRIBUTION = "contribution", _("Mutualised contribution")
        FEE = "fee", _("Fee for the service")
        PUBLIC = "public", _("Public funding")
        PARTNERS = "partners", _("Partners")

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    code = models.SlugField(_("code"), max_length=60)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="services",
        verbose_name=_("delivered by"),
    )
    funding = models.CharField(
        _("funded by"), max_length=12, choices=Funding.choices, default=Funding.CONTRIBUTION
    )
    funding_note = models.CharField(_("funding note"), max_length=250, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")
        ordering = ["position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "code"], name="service_code_unique")
        ]

    def __str__(self) -> str:
        return self.name


class Profile(models.TextChoices):
    """The kinds of activities the cooperative hosts (its own typology)."""

    OCCASIONAL = "occasional", _("Occasional missions")
    INDIVIDUAL = "individual", _("Individual activity with its own budget")
    CONTRIBUTOR = "contributor", _("Contributor in another member's activity")
    COLLECTIVE = "collective", _("Collective enterprise")


class Offer(models.Model):
    """An offer variant ("déclinaison"). Its content lives in dated versions; its design is a
    dossier (orientations, consultations, the decision adopting it), linked, never copied."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    code = models.SlugField(_("code"), max_length=60)
    name = models.CharField(_("name"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    hypothesis = models.BooleanField(
        _("working hypothesis"),
        default=False,
        help_text=_("Shown as a hypothesis until the cooperative confirms it."),
    )
    dossier = models.ForeignKey(
        Dossier,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="offers",
        verbose_name=_("design dossier"),
    )

    class Meta:
        verbose_name = _("offer variant")
        verbose_name_plural = _("offer variants")
        ordering = ["position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "code"], name="offer_code_unique")
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("offers:offer", kwargs={"org": self.organisation.code, "code": self.code})


class OfferVersionQuerySet(models.QuerySet["OfferVersion"]):
    def valid_on(self, day: datetime.date) -> OfferVersionQuerySet:
        return self.filter(valid_from__lte=day).filter(
            Q(valid_until__isnull=True) | Q(valid_until__gte=day)
        )


class OfferVersion(models.Model):
    """What a variant gives and asks, valid between two dates (both included): the services
    rendered and at what level, the cooperative's commitments and the member's (O1)."""

    class Base(models.TextChoices):
        TURNOVER = "turnover", _("Turnover")
        VALUE_ADDED = "value_added", _("Value added")

    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(_("version"))
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    cooperative_commitments = models.TextField(_("the cooperative commits to"))
    shares_required = models.PositiveSmallIntegerField(_("shares to hold"), default=1)
    contribution_rate = models.DecimalField(
        _("contribution rate (%)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
    )
    contribution_base = models.CharField(
        _("contribution on"), max_length=12, choices=Base.choices, default=Base.TURNOVER
    )
    minimum_annual_activity = models.DecimalField(
        _("minimum yearly activity (€)"), null=True, blank=True, max_digits=14, decimal_places=2
    )
    support_meetings_per_year = models.PositiveSmallIntegerField(
        _("support meetings a year"), default=0
    )
    participation_duties = models.TextField(_("other duties of the member"), blank=True)
    eligible_categories = models.ManyToManyField(
        MemberCategory, blank=True, related_name="+", verbose_name=_("member categories")
    )
    eligible_profiles = models.JSONField(_("activity profiles"), default=list, blank=True)
    services = models.ManyToManyField(Service, through="OfferService", related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects: ClassVar[OfferVersionQuerySet] = OfferVersionQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("offer version")
        verbose_name_plural = _("offer versions")
        ordering = ["offer", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["offer", "number"], name="offer_version_unique"),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
                name="offer_version_dates_in_order",
                violation_error_message=_("Dates: a version ends after it starts."),
            ),
            models.CheckConstraint(
                condition=Q(contribution_rate__gte=0, contribution_rate__lte=100),
                name="offer_version_rate_0_to_100",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.offer} v{self.number}"

    @property
    def profile_labels(self) -> list[str]:
        return [str(Profile(p).label) for p in self.eligible_profiles if p in Profile.values]

    def is_valid_on(self, day: datetime.date) -> bool:
        return self.valid_from <= day and (self.valid_until is None or day <= self.valid_until)


class OfferService(models.Model):
    class Level(models.TextChoices):
        BASIC = "basic", _("Basic")
        STANDARD = "standard", _("Standard")
        REINFORCED = "reinforced", _("Reinforced")
        ON_REQUEST = "on_request", _("On request, paid")

    version = models.ForeignKey(OfferVersion, on_delete=models.CASCADE, related_name="levels")
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="+")
    level = models.CharField(_("level"), max_length=12, choices=Level.choices)
    note = models.CharField(_("note"), max_length=250, blank=True)

    class Meta:
        ordering = ["service__position", "service__name"]
        constraints = [
            models.UniqueConstraint(fields=["version", "service"], name="offer_service_once")
        ]

    def __str__(self) -> str:
        return f"{self.service}: {self.get_level_display()}"


class Stage(models.TextChoices):
    CANDIDATE = "candidate", _("Candidate")
    INTEGRATED = "integrated", _("Integrated")
    ACTIVE = "active", _("Active")
    PAUSED = "paused", _("Paused")
    EXITED = "exited", _("Exited")


class Activity(models.Model):
    """An entrepreneurial project of one or several members inside the cooperative."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=200)
    sector = models.CharField(_("sector"), max_length=100)
    profile = models.CharField(_("profile"), max_length=12, choices=Profile.choices)
    description = models.TextField(_("description"), blank=True)
    started_on = models.DateField(_("started on"))
    stage = models.CharField(
        _("stage"), max_length=10, choices=Stage.choices, default=Stage.CANDIDATE
    )
    office = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("office"),
    )
    holders = models.ManyToManyField(Member, through="Holding", related_name="activities")
    advisers = models.ManyToManyField(
        Person, blank=True, related_name="advised_activities", verbose_name=_("advisers")
    )

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["name"]
        indexes = [
            models.Index(fields=["organisation", "stage"]),
            models.Index(fields=["organisation", "name"]),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("offers:activity", kwargs={"org": self.organisation.code, "code": self.code})


class Holding(models.Model):
    """A member who holds the activity, and the shares the adviser last verified they hold
    (the share register comes later)."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="holdings")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="holdings")
    shares_verified = models.PositiveSmallIntegerField(_("shares held"), null=True, blank=True)
    verified_on = models.DateField(_("verified on"), null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["activity", "member"], name="holding_once")]

    def __str__(self) -> str:
        return f"{self.member} — {self.activity}"


class PathStage(models.Model):
    """A dated step of the activity's path (candidate → integrated → active → paused → exited)."""

    class ExitReason(models.TextChoices):
        OWN_COMPANY = "own_company", _("Became its own company")
        ENDED = "ended", _("Activity ended")
        EMPLOYMENT = "employment", _("Holder took a job")
        NOT_ADMITTED = "not_admitted", _("Not admitted")
        EXCLUDED = "excluded", _("Commitments not kept")
        OTHER = "other", _("Other")

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="path")
    stage = models.CharField(_("stage"), max_length=10, choices=Stage.choices)
    on = models.DateField(_("on"))
    note = models.TextField(_("note"), blank=True)
    exit_reason = models.CharField(
        _("exit reason"), max_length=14, choices=ExitReason.choices, blank=True
    )
    recorded_by = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("path stage")
        verbose_name_plural = _("path stages")
        ordering = ["activity", "on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(stage="exited") | ~Q(exit_reason=""),
                name="path_exit_has_a_reason",
                violation_error_message=_("Exit: give the reason of the exit."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.activity}: {self.get_stage_display()} ({self.on})"


class Enrolment(models.Model):
    """The activity in one offer version, from a day until the day before the next enrolment
    (O1). Both sides accept the commitments explicitly; who and when is kept."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="enrolments")
    version = models.ForeignKey(OfferVersion, on_delete=models.PROTECT, related_name="enrolments")
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"), null=True, blank=True)
    review_on = models.DateField(_("commitments reviewed on"))
    member_accepted_by = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    member_accepted_at = models.DateTimeField(null=True, blank=True)
    cooperative_accepted_by = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    cooperative_accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["activity", "starts_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["activity"],
                condition=Q(ends_on__isnull=True),
                name="enrolment_one_open_per_activity",
                violation_error_message=_("O1: an activity is in one offer variant at a time."),
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="enrolment_dates_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.activity} — {self.version}"

    @property
    def accepted(self) -> bool:
        return self.member_accepted_at is not None and self.cooperative_accepted_at is not None

    def covers(self, day: datetime.date) -> bool:
        return self.starts_on <= day and (self.ends_on is None or day <= self.ends_on)


class Contribution(models.Model):
    """The contribution due for a period, on the base the variant names, and what was paid."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="contributions")
    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT, related_name="+")
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    base_amount = models.DecimalField(_("base (€)"), max_digits=14, decimal_places=2)
    rate = models.DecimalField(_("rate (%)"), max_digits=5, decimal_places=2)
    amount_due = models.DecimalField(_("due (€)"), max_digits=14, decimal_places=2)
    due_on = models.DateField(_("due on"))
    amount_paid = models.DecimalField(
        _("paid (€)"), default=Decimal(0), max_digits=14, decimal_places=2
    )
    paid_on = models.DateField(_("paid on"), null=True, blank=True)

    class Meta:
        verbose_name = _("contribution")
        verbose_name_plural = _("contributions")
        ordering = ["activity", "period_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "period_start"], name="contribution_once_per_period"
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="contribution_period_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.activity} {self.period_start}\N{EN DASH}{self.period_end}"

    def is_unpaid(self, today: datetime.date) -> bool:
        return self.due_on < today and self.amount_paid < self.amount_due


class SupportMeeting(models.Model):
    """A support meeting (rendez-vous d'accompagnement) with the adviser(s)."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        HELD = "held", _("Held")
        CANCELLED = "cancelled", _("Cancelled")

    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="support_meetings"
    )
    held_on = models.DateField(_("date"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    advisers = models.ManyToManyField(Person, related_name="+", verbose_name=_("advisers"))
    objectives = models.TextField(_("objectives"), blank=True)
    agreed_actions = models.TextField(_("agreed actions"), blank=True)
    next_steps = models.TextField(_("next steps"), blank=True)
    next_meeting_on = models.DateField(_("next meeting on"), null=True, blank=True)

    class Meta:
        verbose_name = _("support meeting")
        verbose_name_plural = _("support meetings")
        ordering = ["activity", "held_on", "pk"]
        indexes = [models.Index(fields=["activity", "held_on"])]

    def __str__(self) -> str:
        return f"{self.activity} {self.held_on}"


class Participation(models.Model):
    class Attendance(models.TextChoices):
        REGISTERED = "registered", _("Registered")
        ATTENDED = "attended", _("Attended")
        ABSENT = "absent", _("Absent")
        EXCUSED = "excused", _("Excused")

    meeting = models.ForeignKey(
        SupportMeeting, on_delete=models.CASCADE, related_name="participations"
    )
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    attendance = models.CharField(
        _("attendance"), max_length=10, choices=Attendance.choices, default=Attendance.REGISTERED
    )

    class Meta:
        ordering = ["person__last_name", "person__first_name"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "person"], name="participation_once")
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.get_attendance_display()}"


class ActivityMilestone(models.Model):
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("milestone"), max_length=250)
    due_on = models.DateField(_("due on"))
    done_on = models.DateField(_("reached on"), null=True, blank=True)

    class Meta:
        ordering = ["activity", "due_on", "pk"]

    def __str__(self) -> str:
        return self.title


class Competence(models.Model):
    """A line of the competence grid, evaluated on a scale from 1 to the organisation's top."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("competence"), max_length=200)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("competence")
        verbose_name_plural = _("competences")
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


GRID_SCALE = 4  # 1 to discover, 2 to practise, 3 autonomous, 4 able to pass it on


class Evaluation(models.Model):
    """The competence grid of an activity evaluated on a set date."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="evaluations")
    evaluated_on = models.DateField(_("evaluated on"))
    evaluator = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        ordering = ["activity", "evaluated_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "evaluated_on"], name="evaluation_once_per_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.activity} {self.evaluated_on}"


class Score(models.Model):
    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="scores")
    competence = models.ForeignKey(Competence, on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField(
        _("score"), validators=[MinValueValidator(1), MaxValueValidator(GRID_SCALE)]
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "competence"], name="score_once"),
            models.CheckConstraint(
                condition=Q(score__gte=1, score__lte=GRID_SCALE), name="score_on_the_scale"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.competence}: {self.score}"


class Need(models.Model):
    """What an activity needs from a service, as its holders say it."""

    class Level(models.TextChoices):
        ESSENTIAL = "essential", _("Essential")
        USEFUL = "useful", _("Useful")
        NOT_NEEDED = "not_needed", _("Not needed")

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="needs")
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="needs")
    level = models.CharField(_("need"), max_length=10, choices=Level.choices)
    comment = models.CharField(_("comment"), max_length=500, blank=True)
    stated_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    stated_on = models.DateField(_("stated on"), default=timezone.localdate)

    class Meta:
        verbose_name = _("need")
        verbose_name_plural = _("needs")
        ordering = ["activity", "service__position"]
        constraints = [
            models.UniqueConstraint(fields=["activity", "service"], name="need_once_per_service")
        ]

    def __str__(self) -> str:
        return f"{self.activity} — {self.service}: {self.get_level_display()}"
