"""Dossiers that travel across bodies and meetings (D1), consultation gates (D3), decisions
(D2, D4 to D7) and the actions that follow them."""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coopgov.bodies.models import Body
from coopgov.core.models import Confidentiality, Organisation, Person, Unit
from coopgov.dossiers.majority import MajorityRule
from coopgov.meetings.models import AgendaItem, Meeting


class Tag(models.TextChoices):
    STRUCTURAL_CHANGE = "structural_change", _("Structural change")
    WELL_BEING = "well_being", _("Well-being at work")
    VALUES_ETHICS = "values_ethics", _("Values and ethics")
    BUDGET = "budget", _("Budget and finance")
    STRATEGY = "strategy", _("Strategy")
    SERVICES = "services", _("Services to members")


class Stage(models.TextChoices):
    INFORM = "inform", _("Information")
    DISCUSS = "discuss", _("Discussion")
    AMEND = "amend", _("Amendment")
    CONSULT = "consult", _("Consultation")
    ORIENT = "orient", _("Orientation")
    DECIDE = "decide", _("Decision")
    IMPLEMENT = "implement", _("Implementation")
    CLOSED = "closed", _("Closed")


class Dossier(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=250)
    description = models.TextField(_("description"), blank=True)
    owner = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("owner"),
    )
    owner_unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("owner unit"),
    )
    origin_body = models.ForeignKey(
        Body,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("originating body"),
    )
    confidentiality = models.CharField(
        _("confidentiality"),
        max_length=12,
        choices=Confidentiality.choices,
        default=Confidentiality.MEMBERS,
    )
    tags = models.JSONField(_("tags"), default=list, blank=True)
    stage = models.CharField(_("stage"), max_length=10, choices=Stage.choices, default=Stage.INFORM)
    related = models.ManyToManyField("self", blank=True, verbose_name=_("related dossiers"))
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("dossier")
        verbose_name_plural = _("dossiers")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["organisation", "-created_at"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("dossiers:detail", kwargs={"org": self.organisation.code, "code": self.code})


class Appearance(models.Model):
    """The dossier on one agenda item of one meeting, and the stage that item served (D1)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="appearances")
    item = models.OneToOneField(AgendaItem, on_delete=models.CASCADE, related_name="appearance")
    stage = models.CharField(_("stage"), max_length=10, choices=Stage.choices)

    class Meta:
        ordering = ["item__meeting__starts_at"]

    def __str__(self) -> str:
        return f"{self.dossier} — {self.item}"


class ConsultationRule(models.Model):
    """A tag that calls for another body's information or opinion before a decision (D3)."""

    class Kind(models.TextChoices):
        INFORMATION = "information", _("Information")
        CONSULTATION = "consultation", _("Consultation")
        OPINION = "opinion", _("Opinion")

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    tag = models.CharField(_("tag"), max_length=20, choices=Tag.choices)
    consulted_body = models.ForeignKey(
        Body, on_delete=models.CASCADE, related_name="+", verbose_name=_("body consulted")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    lead_days = models.PositiveSmallIntegerField(_("time given (days)"), default=30)

    class Meta:
        verbose_name = _("consultation rule")
        verbose_name_plural = _("consultation rules")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "tag", "consulted_body", "kind"],
                name="consultation_rule_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_tag_display()} → {self.consulted_body}"


class Consultation(models.Model):
    """A gate: the decision waits for this opinion, or for its deadline (D2, D3)."""

    class Status(models.TextChoices):
        OPEN = "open", _("Waiting for the opinion")
        GIVEN = "given", _("Opinion given")
        EXPIRED = "expired", _("Deadline passed without opinion")

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="consultations")
    requesting_body = models.ForeignKey(
        Body, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    consulted_body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="consultations")
    kind = models.CharField(_("kind"), max_length=12, choices=ConsultationRule.Kind.choices)
    rule = models.ForeignKey(
        ConsultationRule, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    due_date = models.DateField(_("due date"))
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.OPEN
    )
    opinion = models.TextField(_("opinion"), blank=True)
    given_at = models.ForeignKey(
        Meeting,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("given at the meeting"),
    )
    given_on = models.DateField(_("given on"), null=True, blank=True)
    requested_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        ordering = ["due_date"]

    def __str__(self) -> str:
        return f"{self.dossier} — {self.consulted_body}"


class Decision(models.Model):
    """A numbered act of a deciding body (D6), its vote and computed result (D4)."""

    class Method(models.TextChoices):
        CONSENSUS = "consensus", _("Consensus")
        SHOW_OF_HANDS = "hands", _("Show of hands")
        ROLL_CALL = "roll_call", _("Roll call")
        SECRET = "secret", _("Secret ballot")
        WRITTEN = "written", _("Written resolution")

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="decisions")
    year = models.PositiveSmallIntegerField(_("year"))
    sequence = models.PositiveIntegerField(_("number in the year"))
    number = models.CharField(_("number"), max_length=40)
    dossier = models.ForeignKey(
        Dossier, on_delete=models.PROTECT, null=True, blank=True, related_name="decisions"
    )
    item = models.OneToOneField(
        AgendaItem, on_delete=models.PROTECT, null=True, blank=True, related_name="decision"
    )
    title = models.CharField(_("title"), max_length=250)
    text = models.TextField(_("text of the decision"))
    summary = models.TextField(_("summary for the members"), blank=True)
    method = models.CharField(_("vote"), max_length=10, choices=Method.choices)
    majority = models.CharField(
        _("majority rule"), max_length=16, choices=MajorityRule.choices, default=MajorityRule.SIMPLE
    )
    abstentions_count = models.BooleanField(_("abstentions count in the base"), default=False)
    yes = models.PositiveSmallIntegerField(_("yes"), default=0)
    no = models.PositiveSmallIntegerField(_("no"), default=0)
    abstain = models.PositiveSmallIntegerField(_("abstentions"), default=0)
    adopted = models.BooleanField(_("adopted"))
    decided_on = models.DateField(_("decided on"))
    effective_on = models.DateField(_("effective on"), null=True, blank=True)
    supersedes = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="superseded_by"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["-year", "-sequence"]
        indexes = [models.Index(fields=["organisation", "-year", "-sequence"])]
        constraints = [
            models.UniqueConstraint(
                fields=["body", "year", "sequence"], name="decision_number_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class DecisionCounter(models.Model):
    """The last number given per body and year: locked when numbering, never goes back (D6)."""

    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["body", "year"], name="decision_counter_unique")
        ]

    def __str__(self) -> str:
        return f"{self.body} {self.year}: {self.last}"


class Action(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("To do")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    dossier = models.ForeignKey(
        Dossier, on_delete=models.CASCADE, null=True, blank=True, related_name="actions"
    )
    decision = models.ForeignKey(
        Decision, on_delete=models.PROTECT, null=True, blank=True, related_name="actions"
    )
    meeting = models.ForeignKey(
        Meeting, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    title = models.CharField(_("title"), max_length=250)
    owner = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("owner")
    )
    due_on = models.DateField(_("due on"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.OPEN
    )
    notes = models.TextField(_("progress notes"), blank=True)

    class Meta:
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        ordering = ["due_on"]
        indexes = [models.Index(fields=["organisation", "due_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(dossier__isnull=False)
                | Q(decision__isnull=False)
                | Q(meeting__isnull=False),
                name="action_has_an_origin",
                violation_error_message=_("An action follows a dossier, a decision or a meeting."),
            )
        ]

    def __str__(self) -> str:
        return self.title


class RollCallVote(models.Model):
    """One voting member's vote on a decision taken by roll call."""

    class Vote(models.TextChoices):
        YES = "yes", _("Yes")
        NO = "no", _("No")
        ABSTAIN = "abstain", _("Abstention")

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="votes")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    vote = models.CharField(_("vote"), max_length=8, choices=Vote.choices)

    class Meta:
        verbose_name = _("roll-call vote")
        verbose_name_plural = _("roll-call votes")
        ordering = ["person__last_name", "person__first_name"]
        constraints = [
            models.UniqueConstraint(fields=["decision", "person"], name="roll_call_vote_once")
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.get_vote_display()}"


class WrittenResolution(models.Model):
    """A decision taken in writing between meetings: unanimity of the voting members (D7)."""

    class Status(models.TextChoices):
        OPEN = "open", _("Waiting for answers")
        ADOPTED = "adopted", _("Adopted unanimously")
        FAILED = "failed", _("Not adopted")

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="written_resolutions")
    dossier = models.ForeignKey(
        Dossier, on_delete=models.PROTECT, null=True, blank=True, related_name="written_resolutions"
    )
    title = models.CharField(_("title"), max_length=250)
    text = models.TextField(_("text of the resolution"))
    deadline = models.DateField(_("answers by"))
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.OPEN
    )
    decision = models.OneToOneField(
        Decision, on_delete=models.PROTECT, null=True, blank=True, related_name="written_resolution"
    )
    sent_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("written resolution")
        verbose_name_plural = _("written resolutions")
        ordering = ["-sent_at"]

    def __str__(self) -> str:
        return self.title


class WrittenAnswer(models.Model):
    class Answer(models.TextChoices):
        PENDING = "pending", _("No answer yet")
        YES = "yes", _("Yes")
        NO = "no", _("No")
        ABSTAIN = "abstain", _("Abstention")

    resolution = models.ForeignKey(
        WrittenResolution, on_delete=models.CASCADE, related_name="answers"
    )
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    answer = models.CharField(
        _("answer"), max_length=8, choices=Answer.choices, default=Answer.PENDING
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["person__last_name"]
        constraints = [
            models.UniqueConstraint(fields=["resolution", "person"], name="written_answer_once")
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.get_answer_display()}"


class Expectation(models.Model):
    """What one body expects from another (inter-body dialogue), with the answer and a status."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        ANSWERED = "answered", _("Answered")
        CLOSED = "closed", _("Closed")

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    from_body = models.ForeignKey(
        Body, on_delete=models.PROTECT, related_name="expectations_voiced", verbose_name=_("from")
    )
    to_body = models.ForeignKey(
        Body, on_delete=models.PROTECT, related_name="expectations_received", verbose_name=_("to")
    )
    text = models.TextField(_("expectation"))
    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("voiced at"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    answer = models.TextField(_("answer"), blank=True)
    voiced_on = models.DateField(_("voiced on"), default=timezone.localdate)

    class Meta:
        verbose_name = _("expectation")
        verbose_name_plural = _("expectations")
        ordering = ["status", "-voiced_on"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(from_body=models.F("to_body")), name="expectation_between_two_bodies"
            )
        ]

    def __str__(self) -> str:
        return f"{self.from_body} → {self.to_body}"


class InformationDuty(models.Model):
    """A standing duty to inform another body (the works council's annual, quarterly and
    occasional economic and financial information): it puts dated items on its agendas."""

    class Period(models.TextChoices):
        ANNUAL = "annual", _("Annual")
        QUARTERLY = "quarterly", _("Quarterly")
        OCCASIONAL = "occasional", _("When the event occurs")

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    from_body = models.ForeignKey(
        Body, on_delete=models.PROTECT, related_name="duties_owed", verbose_name=_("owed by")
    )
    to_body = models.ForeignKey(
        Body, on_delete=models.PROTECT, related_name="duties_received", verbose_name=_("owed to")
    )
    title = models.CharField(_("information"), max_length=250)
    period = models.CharField(_("period"), max_length=10, choices=Period.choices)
    months = models.JSONField(_("months"), default=list, blank=True)

    class Meta:
        verbose_name = _("information duty")
        verbose_name_plural = _("information duties")
        ordering = ["to_body", "title"]

    def __str__(self) -> str:
        return self.title
