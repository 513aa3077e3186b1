"""Governance bodies, their composition rules (B1), mandates (B2 to B6) and draws by lot (B7).

Dates: a mandate is active on day D when start <= D < end. The end date is the first day
without the mandate (the day of the general assembly that renews the seat), so a successor
starting that day never overlaps.
"""

from __future__ import annotations

import datetime
import math
import uuid
from typing import ClassVar

from django.contrib.postgres.fields import DateRangeField, RangeBoundary, RangeOperators
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coopgov.core.integrity import PostgresExclusionConstraint
from coopgov.core.models import Confidentiality, Member, MemberCategory, Organisation, Person


class Enforcement(models.TextChoices):
    BLOCK = "block", _("Block")
    WARN = "warn", _("Warn")


class Body(models.Model):
    class Kind(models.TextChoices):
        GENERAL_ASSEMBLY = "general_assembly", _("General assembly")
        BOARD = "board", _("Board of directors")
        COMMITTEE = "committee", _("Committee")
        WORKS_COUNCIL = "works_council", _("Works council")
        HEALTH_SAFETY = "health_safety", _("Health and safety committee")
        MANAGEMENT_TEAM = "management_team", _("Management team")
        DELEGATED_MANAGEMENT = "delegated_management", _("Delegated management")
        WORKING_GROUP = "working_group", _("Working group")

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="bodies")
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    purpose = models.TextField(_("purpose"), blank=True)
    powers = models.TextField(_("powers"), blank=True)
    may_decide = models.BooleanField(_("may take binding decisions"), default=True)
    confidentiality = models.CharField(
        _("who may see its members and internals"),
        max_length=12,
        choices=Confidentiality.choices,
        default=Confidentiality.MEMBERS,
    )
    next_ordinary_meeting = models.DateField(
        _("next ordinary meeting"),
        null=True,
        blank=True,
        help_text=_("For the general assembly: the date when seats come up for renewal."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("body")
        verbose_name_plural = _("bodies")
        ordering = ["position", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "code"],
                name="body_code_unique",
                violation_error_message=_("Another body of this organisation has this code."),
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("bodies:detail", kwargs={"org": self.organisation.code, "code": self.code})


class BodyRelation(models.Model):
    """A relation between two bodies, as data: the AG elects the board, and so on."""

    class Kind(models.TextChoices):
        ELECTS = "elects", _("elects")
        APPOINTS = "appoints", _("appoints")
        REPORTS_TO = "reports_to", _("reports to")
        MUST_CONSULT = "must_consult", _("must consult")
        SENDS_OBSERVERS_TO = "sends_observers_to", _("sends observers to")

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    source = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="relations_out")
    kind = models.CharField(_("relation"), max_length=20, choices=Kind.choices)
    target = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="relations_in")
    seats = models.PositiveSmallIntegerField(_("seats"), null=True, blank=True)

    class Meta:
        verbose_name = _("relation between bodies")
        verbose_name_plural = _("relations between bodies")
        constraints = [
            models.UniqueConstraint(
                fields=["source", "kind", "target"],
                name="body_relation_unique",
                violation_error_message=_("This relation is already recorded."),
            ),
            models.CheckConstraint(
                condition=~Q(source=models.F("target")), name="body_relation_not_to_itself"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.get_kind_display()} {self.target}"


class SeatRule(models.Model):
    """The composition rules of one body (B1). Each rule either blocks or warns (B3)."""

    class QuorumBase(models.TextChoices):
        FILLED = "filled", _("seats filled")
        TOTAL = "total", _("seats in the statutes")

    body = models.OneToOneField(Body, on_delete=models.CASCADE, related_name="seat_rule")
    min_seats = models.PositiveSmallIntegerField(_("minimum seats"), default=0)
    max_seats = models.PositiveSmallIntegerField(_("maximum seats"), null=True, blank=True)
    size_enforcement = models.CharField(
        _("size rule"), max_length=5, choices=Enforcement.choices, default=Enforcement.BLOCK
    )
    quota_enforcement = models.CharField(
        _("category quota rule"),
        max_length=5,
        choices=Enforcement.choices,
        default=Enforcement.BLOCK,
    )
    min_gender_share = models.PositiveSmallIntegerField(
        _("minimum share of each gender (%)"),
        null=True,
        blank=True,
        help_text=_("Empty: no gender rule for this body."),
    )
    gender_enforcement = models.CharField(
        _("gender rule"), max_length=5, choices=Enforcement.choices, default=Enforcement.BLOCK
    )
    term_years = models.PositiveSmallIntegerField(_("term (years)"), null=True, blank=True)
    max_consecutive_terms = models.PositiveSmallIntegerField(
        _("maximum consecutive terms"), null=True, blank=True
    )
    term_enforcement = models.CharField(
        _("term limit rule"), max_length=5, choices=Enforcement.choices, default=Enforcement.BLOCK
    )
    selection_modes = models.JSONField(_("selection modes"), default=list, blank=True)
    advisory_seats = models.PositiveSmallIntegerField(_("advisory seats"), default=0)
    legal_person_seats = models.PositiveSmallIntegerField(
        _("seats open to legal persons"), default=0
    )
    quorum_numerator = models.PositiveSmallIntegerField(_("quorum: numerator"), default=1)
    quorum_denominator = models.PositiveSmallIntegerField(_("quorum: denominator"), default=2)
    quorum_base = models.CharField(
        _("quorum: counted on"), max_length=6, choices=QuorumBase.choices, default=QuorumBase.FILLED
    )

    class Meta:
        verbose_name = _("seat rule")
        verbose_name_plural = _("seat rules")
        constraints = [
            models.CheckConstraint(
                condition=Q(max_seats__isnull=True) | Q(max_seats__gte=models.F("min_seats")),
                name="seat_rule_max_not_below_min",
                violation_error_message=_("The maximum of seats cannot be below the minimum."),
            ),
            models.CheckConstraint(
                condition=Q(min_gender_share__isnull=True) | Q(min_gender_share__lte=50),
                name="seat_rule_gender_share_le_50",
                violation_error_message=_("The minimum share of each gender cannot exceed half."),
            ),
            models.CheckConstraint(
                condition=Q(quorum_denominator__gt=0)
                & Q(quorum_numerator__lte=models.F("quorum_denominator")),
                name="seat_rule_quorum_is_a_fraction",
                violation_error_message=_("The quorum is a fraction no larger than 1."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.body}"

    def min_seats_per_gender(self) -> int:
        """Seats each gender must hold when the body is complete, e.g. 6 of 15 at 40 %."""
        if not self.min_gender_share or not self.max_seats:
            return 0
        return math.ceil(self.max_seats * self.min_gender_share / 100)

    def quorum_for(self, filled: int) -> int:
        """Voting members needed, default: a majority of the seats filled (M2)."""
        base = filled if self.quorum_base == self.QuorumBase.FILLED else (self.max_seats or filled)
        return math.floor(base * self.quorum_numerator / self.quorum_denominator) + 1


class SeatGroup(models.Model):
    """Seats reserved to members of some categories, e.g. 11 seats for A, 4 for B or C."""

    rule = models.ForeignKey(SeatRule, on_delete=models.CASCADE, related_name="groups")
    name = models.CharField(_("name"), max_length=40)
    seats = models.PositiveSmallIntegerField(_("seats"))
    categories = models.ManyToManyField(MemberCategory, verbose_name=_("member categories"))

    class Meta:
        verbose_name = _("seat group")
        verbose_name_plural = _("seat groups")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["rule", "name"], name="seat_group_name_unique")
        ]

    def __str__(self) -> str:
        return self.name


class MandateQuerySet(models.QuerySet["Mandate"]):
    def active_on(self, day: datetime.date) -> MandateQuerySet:
        return self.filter(Q(end__isnull=True) | Q(end__gt=day), start__lte=day)

    def of_body(self, body: Body) -> MandateQuerySet:
        return self.filter(body=body)

    def voting(self) -> MandateQuerySet:
        return self.exclude(role=Mandate.Role.ADVISORY_OBSERVER)

    def with_people(self) -> MandateQuerySet:
        return self.select_related(
            "body",
            "body__organisation",
            "person",
            "legal_member",
            "seat_group",
            "organisation",
            "confirmation",
        )


class DateSpan(models.Func):
    """daterange(start, end, '[)'): the days of a mandate, its end excluded; no end, no bound."""

    function = "DATERANGE"
    output_field = DateRangeField()


class Mandate(models.Model):
    class Role(models.TextChoices):
        CHAIR = "chair", _("Chair")
        VICE_CHAIR = "vice_chair", _("Vice-chair")
        SECRETARY = "secretary", _("Secretary")
        TREASURER = "treasurer", _("Treasurer")
        MEMBER = "member", _("Member")
        ADVISORY_OBSERVER = "advisory_observer", _("Observer with advisory voice")
        DELEGATED_MANAGER = "delegated_manager", _("Delegated manager")

    class Origin(models.TextChoices):
        ELECTED = "elected", _("Elected at a meeting")
        CO_OPTED = "co_opted", _("Co-opted")
        APPOINTED = "appointed", _("Appointed by a decision")
        DRAWN_BY_LOT = "drawn_by_lot", _("Drawn by lot")
        EX_OFFICIO = "ex_officio", _("Ex officio")
        SOCIAL_ELECTIONS = "social_elections", _("Social elections")

    class EndReason(models.TextChoices):
        TERM_EXPIRED = "term_expired", _("Term expired")
        RESIGNED = "resigned", _("Resigned")
        REVOKED = "revoked", _("Revoked")
        NOT_CONFIRMED = "not_confirmed", _("Not confirmed by the general assembly")
        DECEASED = "deceased", _("Deceased")
        OTHER = "other", _("Other")

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="mandates")
    person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        related_name="mandates",
        verbose_name=_("person"),
        help_text=_("For a legal person: its current permanent representative."),
    )
    legal_member = models.ForeignKey(
        Member,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="mandates",
        verbose_name=_("legal person"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    seat_group = models.ForeignKey(
        SeatGroup,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="mandates",
        verbose_name=_("seat"),
    )
    start = models.DateField(_("start"))
    term_end = models.DateField(
        _("end of term"),
        null=True,
        blank=True,
        help_text=_("Planned end of the term; a co-opted successor serves until this date."),
    )
    end = models.DateField(
        _("end"), null=True, blank=True, help_text=_("First day without the mandate.")
    )
    origin = models.CharField(_("origin"), max_length=20, choices=Origin.choices)
    end_reason = models.CharField(
        _("end reason"), max_length=16, choices=EndReason.choices, blank=True
    )
    term_number = models.PositiveSmallIntegerField(_("consecutive term"), default=1)
    renews = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="renewed_by",
        verbose_name=_("renews"),
    )
    replaces = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replaced_by",
        verbose_name=_("replaces"),
    )
    decision_reference = models.CharField(
        _("decision or meeting"), max_length=60, blank=True, help_text=_("e.g. CA-2023-014")
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects: ClassVar[MandateQuerySet] = MandateQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("mandate")
        verbose_name_plural = _("mandates")
        ordering = ["body", "start"]
        indexes = [models.Index(fields=["body", "start", "end"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gt=models.F("start")),
                name="mandate_ends_after_it_starts",
                violation_error_message=_("A mandate ends after it starts."),
            ),
            # One mandate per holder and body at a time, whatever its role: an observer who is
            # elected to the body gives up the advisory seat. The holder is the person, or the
            # legal person for a legal-person mandate, whose `person` is only its current
            # representative. Ends are exclusive, so a renewal starting on the day its
            # predecessor ends does not overlap. PostgreSQL only (btree_gist); the locked check
            # in appoint() says the same on every database, with names and dates.
            PostgresExclusionConstraint(
                name="mandate_one_at_a_time_per_person",
                expressions=[
                    ("body", RangeOperators.EQUAL),
                    ("person", RangeOperators.EQUAL),
                    (DateSpan("start", "end", RangeBoundary()), RangeOperators.OVERLAPS),
                ],
                condition=Q(legal_member__isnull=True),
                violation_error_message=_(
                    "One mandate at a time: this person already holds a mandate on this body "
                    "during that period."
                ),
            ),
            PostgresExclusionConstraint(
                name="mandate_one_at_a_time_per_legal_person",
                expressions=[
                    ("body", RangeOperators.EQUAL),
                    ("legal_member", RangeOperators.EQUAL),
                    (DateSpan("start", "end", RangeBoundary()), RangeOperators.OVERLAPS),
                ],
                condition=Q(legal_member__isnull=False),
                violation_error_message=_(
                    "One mandate at a time: this legal person already holds a mandate on this "
                    "body during that period."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.holder_name} — {self.body} ({self.get_role_display()})"

    def get_absolute_url(self) -> str:
        return reverse("bodies:mandate", kwargs={"org": self.organisation.code, "code": self.code})

    @property
    def holder_name(self) -> str:
        if self.legal_member_id:
            return f"{self.legal_member.legal_name} ({self.person.full_name})"  # type: ignore[union-attr]
        return self.person.full_name

    @property
    def is_advisory(self) -> bool:
        return self.role == self.Role.ADVISORY_OBSERVER

    def is_active_on(self, day: datetime.date) -> bool:
        return self.start <= day and (self.end is None or day < self.end)


class RepresentativeChange(models.Model):
    """Who represented a legal-person holder from which date (B5)."""

    mandate = models.ForeignKey(Mandate, on_delete=models.CASCADE, related_name="representatives")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    since = models.DateField(_("since"))

    class Meta:
        ordering = ["mandate", "since"]
        constraints = [
            models.UniqueConstraint(
                fields=["mandate", "since"],
                name="representative_once_a_day",
                violation_error_message=_("A later change of representative is already recorded."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} since {self.since}"


class Confirmation(models.Model):
    """A co-optation waiting for the general assembly's confirmation (B4)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        CONFIRMED = "confirmed", _("Confirmed")
        REJECTED = "rejected", _("Not confirmed")

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    mandate = models.OneToOneField(Mandate, on_delete=models.PROTECT, related_name="confirmation")
    assembly = models.ForeignKey(
        Body, on_delete=models.PROTECT, related_name="confirmations", verbose_name=_("assembly")
    )
    due_by = models.DateField(_("at the general assembly of"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    decided_on = models.DateField(_("decided on"), null=True, blank=True)

    class Meta:
        verbose_name = _("confirmation of a co-optation")
        verbose_name_plural = _("confirmations of co-optations")

    def __str__(self) -> str:
        return f"{self.mandate} — {self.get_status_display()}"


class Draw(models.Model):
    """A draw by lot (B7): pool, strata, seed and result, so anyone can re-run it."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="draws")
    seats = models.PositiveSmallIntegerField(_("seats drawn"))
    stratum = models.CharField(_("strata by"), max_length=20, blank=True)
    seed = models.CharField(_("random seed"), max_length=64)
    pool = models.JSONField(_("eligible pool (member numbers)"))
    result = models.JSONField(_("drawn (member numbers)"))
    pool_description = models.CharField(_("eligibility"), max_length=300)
    start = models.DateField(_("mandates start"))
    end = models.DateField(_("mandates end"), null=True, blank=True)
    drawn_at = models.DateTimeField(default=timezone.now, editable=False)
    drawn_by = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, related_name="+")

    class Meta:
        verbose_name = _("draw by lot")
        verbose_name_plural = _("draws by lot")
        ordering = ["-drawn_at"]

    def __str__(self) -> str:
        return f"{self.body} — {self.drawn_at:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("bodies:draw", kwargs={"org": self.organisation.code, "code": self.code})
