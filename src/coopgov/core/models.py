"""Core objects every app points to: organisations, people, units, members, roles, audit events."""

from __future__ import annotations

import uuid
from typing import Any, ClassVar

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coopgov.core import hygiene
from coopgov.core.validators import format_enterprise_number, validate_enterprise_number

LANGUAGE_CHOICES = settings.LANGUAGES


class Confidentiality(models.TextChoices):
    """Who may read an object. One function decides: coopgov.core.access.may_read."""

    PUBLIC = "public", _("Public")
    MEMBERS = "members", _("Members of the cooperative")
    BODIES = "bodies", _("Named bodies only")
    RESTRICTED = "restricted", _("Restricted to named people")


class Organisation(models.Model):
    class LegalForm(models.TextChoices):
        SC = "sc", _("Cooperative company (SC)")
        SCES = "sces", _("Cooperative company recognised as a social enterprise")
        SRL = "srl", _("Private limited company (SRL)")
        ASBL = "asbl", _("Non-profit association (ASBL)")
        OTHER = "other", _("Other")

    code = models.SlugField(
        _("code"), max_length=40, unique=True, help_text=_("Used in web addresses (URLs).")
    )
    name = models.CharField(_("name"), max_length=200)
    legal_form = models.CharField(
        _("legal form"), max_length=10, choices=LegalForm.choices, default=LegalForm.SC
    )
    enterprise_number = models.CharField(
        _("enterprise number"),
        max_length=10,
        blank=True,
        validators=[validate_enterprise_number],
        help_text=_("Belgian BCE/KBO number, ten digits."),
    )
    street = models.CharField(_("street and number"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=12, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    country = models.CharField(_("country"), max_length=2, default="BE")
    default_language = models.CharField(
        _("default language"), max_length=5, choices=LANGUAGE_CHOICES, default="fr"
    )
    # Statutory settings, typed so that rules can read them.
    general_assembly_notice_days = models.PositiveSmallIntegerField(
        _("notice period of the general assembly (days)"),
        default=15,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
    )
    board_notice_days = models.PositiveSmallIntegerField(
        _("notice period of the board (days)"),
        default=7,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
    )
    min_gender_share = models.PositiveSmallIntegerField(
        _("minimum share of each gender on bodies (%)"),
        default=40,
        validators=[MaxValueValidator(50)],
    )
    term_years = models.PositiveSmallIntegerField(
        _("default term of a mandate (years)"),
        default=4,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
    )
    max_consecutive_terms = models.PositiveSmallIntegerField(
        _("maximum consecutive terms"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
    )
    college_voting = models.BooleanField(
        _("vote by colleges of member categories"),
        default=False,
        help_text=_("Off: one member, one vote. Votes are never proportional to shares."),
    )
    require_mfa = models.BooleanField(
        _("require two-factor authentication for officers"),
        default=False,
        help_text=_(
            "People who hold a mandate or a coopgov administrator, secretariat or staff role must "
            "set up an authenticator app before they use coopgov."
        ),
    )
    # Highest member number ever given: numbers are never reused, even if a row disappears.
    last_member_number = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise_number"],
                condition=~Q(enterprise_number=""),
                name="organisation_enterprise_number_unique",
            ),
            models.CheckConstraint(
                condition=Q(min_gender_share__lte=50), name="organisation_gender_share_le_50"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("core:organisation", kwargs={"org": self.code})

    @property
    def enterprise_number_display(self) -> str:
        return format_enterprise_number(self.enterprise_number) if self.enterprise_number else ""


class PersonQuerySet(models.QuerySet["Person"]):
    def of(self, organisation: Organisation) -> PersonQuerySet:
        return self.filter(organisation=organisation)

    def officers(self) -> PersonQuerySet:
        """People with an organisation role or a mandate, past or present: those who present,
        speak or are invited to meetings. Lists of choices use them, not the whole register."""
        from django.apps import apps

        mandates = apps.get_model("bodies", "Mandate").objects.values("person_id")
        return self.filter(pk__in=Role.objects.values("person_id").union(mandates))

    def search(self, text: str) -> PersonQuerySet:
        query = Q()
        for word in text.split():
            query &= (
                Q(first_name__icontains=word)
                | Q(last_name__icontains=word)
                | Q(email__icontains=word)
            )
        return self.filter(query)


class Person(models.Model):
    class Gender(models.TextChoices):
        FEMALE = "female", _("Woman")
        MALE = "male", _("Man")
        NON_BINARY = "non_binary", _("Non-binary")
        NOT_DECLARED = "not_declared", _("Not declared")

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="people",
        verbose_name=_("organisation"),
    )
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="people",
        verbose_name=_("login account"),
    )
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=5, choices=LANGUAGE_CHOICES, default="fr"
    )
    gender = models.CharField(
        _("gender"),
        max_length=16,
        choices=Gender.choices,
        default=Gender.NOT_DECLARED,
        help_text=_("Self-declared; used only for the gender balance of bodies."),
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects: ClassVar[PersonQuerySet] = PersonQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["last_name", "first_name"]
        indexes = [models.Index(fields=["organisation", "last_name", "first_name"])]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "user"],
                condition=Q(user__isnull=False),
                name="person_one_per_user_and_organisation",
            ),
            models.UniqueConstraint(
                "organisation",
                Lower("email"),
                condition=~Q(email=""),
                name="person_email_unique_in_organisation",
                violation_error_message=_("Another person of this organisation has this email."),
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    def get_absolute_url(self) -> str:
        return reverse("core:person", kwargs={"org": self.organisation.code, "code": self.code})

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class UnitQuerySet(models.QuerySet["Unit"]):
    def of(self, organisation: Organisation) -> UnitQuerySet:
        return self.filter(organisation=organisation)


class Unit(models.Model):
    class Kind(models.TextChoices):
        DIRECTION = "direction", _("Direction")
        TEAM = "team", _("Team")
        LOCAL_OFFICE = "local_office", _("Local office")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="units", verbose_name=_("organisation")
    )
    code = models.SlugField(_("code"), max_length=60)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.TEAM)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("part of"),
    )
    head = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="headed_units",
        verbose_name=_("head"),
    )
    description = models.TextField(_("description"), blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)

    objects: ClassVar[UnitQuerySet] = UnitQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "code"], name="unit_code_unique"),
            models.CheckConstraint(
                condition=~Q(parent=models.F("pk")), name="unit_not_its_own_parent"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("core:unit", kwargs={"org": self.organisation.code, "code": self.code})


class MemberCategory(models.Model):
    """A class of members (A, B, C…): drives seat quotas and, where statutes say so, colleges."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="member_categories"
    )
    code = models.CharField(_("code"), max_length=10)
    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("member category")
        verbose_name_plural = _("member categories")
        ordering = ["position", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "code"], name="member_category_code_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"


class MemberQuerySet(models.QuerySet["Member"]):
    def of(self, organisation: Organisation) -> MemberQuerySet:
        return self.filter(organisation=organisation)

    def admitted(self) -> MemberQuerySet:
        return self.filter(status=Member.Status.ADMITTED)

    def with_names(self) -> MemberQuerySet:
        return self.select_related("organisation", "person", "representative", "category")

    def listing(self, *, q: str = "", category: str = "", status: str = "") -> MemberQuerySet:
        """The register as its page and API list it: by number, searched and filtered."""
        members = self.with_names().order_by("number")
        if q:
            members = members.search(q)
        if category:
            members = members.filter(category__code=category)
        if status:
            members = members.filter(status=status)
        return members

    def search(self, text: str) -> MemberQuerySet:
        text = text.strip()
        if (number := hygiene.parse_int(text)) is not None:
            return self.filter(number=number)
        people = Person.objects.all()
        legal = Member.objects.all()
        for word in text.split():
            people = people.filter(Q(first_name__icontains=word) | Q(last_name__icontains=word))
            legal = legal.filter(legal_name__icontains=word)
        # Two searches, each on one table, joined by a union: each can use its own index
        # (trigram indexes on PostgreSQL), which an OR across a join cannot.
        found = Member.objects.filter(person__in=people).values("pk").union(legal.values("pk"))
        return self.filter(pk__in=found)


class Member(models.Model):
    """Membership of a person, or of a legal person through its representative.

    The share register (issue "share register") hangs its ledger on this row: shares held,
    voting rights and admission by payment are derived from that ledger, not stored here.
    """

    class Kind(models.TextChoices):
        NATURAL = "natural", _("Natural person")
        LEGAL = "legal", _("Legal person")

    class Status(models.TextChoices):
        CANDIDATE = "candidate", _("Candidate")
        ADMITTED = "admitted", _("Admitted")
        SUSPENDED = "suspended", _("Suspended")
        RESIGNED = "resigned", _("Resigned")
        EXCLUDED = "excluded", _("Excluded")
        DECEASED = "deceased", _("Deceased")

    EXITED = frozenset({"resigned", "excluded", "deceased"})

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="members")
    number = models.PositiveIntegerField(_("member number"), editable=False)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.NATURAL)
    person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("person"),
    )
    legal_name = models.CharField(_("name of the legal person"), max_length=200, blank=True)
    legal_enterprise_number = models.CharField(
        _("enterprise number of the legal person"),
        max_length=10,
        blank=True,
        validators=[validate_enterprise_number],
    )
    representative = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="represented_members",
        verbose_name=_("permanent representative"),
    )
    category = models.ForeignKey(
        MemberCategory, on_delete=models.PROTECT, related_name="members", verbose_name=_("category")
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.ADMITTED
    )
    admission_date = models.DateField(_("admission date"), null=True, blank=True)
    exit_date = models.DateField(_("exit date"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects: ClassVar[MemberQuerySet] = MemberQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "number"],
                name="member_number_unique",
                violation_error_message=_("This member number is already taken."),
            ),
            models.UniqueConstraint(
                fields=["organisation", "person"],
                condition=Q(person__isnull=False),
                name="member_one_membership_per_person",
                violation_error_message=_("This person is already a member."),
            ),
            models.CheckConstraint(
                condition=(
                    Q(kind="natural", person__isnull=False, legal_name="")
                    | Q(kind="legal", person__isnull=True, representative__isnull=False)
                    & ~Q(legal_name="")
                ),
                name="member_natural_or_legal_person",
                violation_error_message=_(
                    "For a natural-person member, choose the person; for a legal-person member, "
                    "give the legal person and its permanent representative."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(status="admitted") | Q(admission_date__isnull=False),
                name="member_admitted_has_admission_date",
                violation_error_message=_("An admitted member must have an admission date."),
            ),
            models.CheckConstraint(
                condition=Q(exit_date__isnull=True)
                | Q(admission_date__isnull=True)
                | Q(exit_date__gte=models.F("admission_date")),
                name="member_exit_after_admission",
                violation_error_message=_("The exit date cannot be before the admission date."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} — {self.display_name}"

    def get_absolute_url(self) -> str:
        return reverse("core:member", kwargs={"org": self.organisation.code, "number": self.number})

    @property
    def display_name(self) -> str:
        if self.kind == self.Kind.LEGAL:
            return self.legal_name
        return self.person.full_name if self.person else ""

    @property
    def legal_enterprise_number_display(self) -> str:
        return format_enterprise_number(self.legal_enterprise_number)

    @property
    def contact(self) -> Person | None:
        """The human who acts for this member: the person, or the legal person's representative."""
        return self.person if self.kind == self.Kind.NATURAL else self.representative


class Role(models.Model):
    """An organisation role given to a person. Membership itself gives the "member" role."""

    class Kind(models.TextChoices):
        ADMIN = "admin", _("coopgov administrator")
        SECRETARIAT = "secretariat", _("Secretariat")
        STAFF = "staff", _("Staff")

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="roles")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="roles")
    kind = models.CharField(_("role"), max_length=12, choices=Kind.choices)
    granted_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        constraints = [
            models.UniqueConstraint(fields=["person", "kind"], name="role_once_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.get_kind_display()}"


class EventQuerySet(models.QuerySet["Event"]):
    def for_target(self, target: models.Model) -> EventQuerySet:
        return self.filter(
            target_type=ContentType.objects.get_for_model(target), target_id=str(target.pk)
        ).select_related("actor")


class Event(models.Model):
    """One entry of the append-only audit trail.

    Each organisation's events form a hash chain (events without an organisation form their
    own): `seq` is the event's position, `prev_hash` the hash of the event before it and `hash`
    the SHA-256 of its content (coopgov.core.audit.event_hash), so that an edited, removed,
    reordered or inserted event breaks the chain and `coopgov verify_audit` names it.
    Database triggers refuse UPDATE and DELETE (PostgreSQL and SQLite) and TRUNCATE
    (PostgreSQL); here, save() and delete() refuse to change a stored event.
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    actor = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    target_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    target_id = models.CharField(max_length=64, blank=True)
    target_label = models.CharField(max_length=300, blank=True)
    action = models.CharField(_("action"), max_length=100)
    data = models.JSONField(_("details"), default=dict, blank=True)
    created_at = models.DateTimeField(_("time"), default=timezone.now, editable=False)
    seq = models.PositiveBigIntegerField(_("position in the chain"), editable=False)
    prev_hash = models.CharField(max_length=64, blank=True, editable=False)
    hash = models.CharField(max_length=64, editable=False)

    objects: ClassVar[EventQuerySet] = EventQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["target_type", "target_id", "-created_at"]),
            models.Index(fields=["organisation", "-created_at"]),
        ]
        constraints = [
            # The chain lock of record_event keeps each chain linear; these are the backstop.
            models.UniqueConstraint(
                fields=["organisation", "seq"], name="event_one_per_position_in_chain"
            ),
            models.UniqueConstraint(
                fields=["seq"],
                condition=Q(organisation__isnull=True),
                name="event_one_per_position_without_organisation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.target_label}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise PermissionError("Audit events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionError("Audit events are append-only.")


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def usable(self) -> ApiTokenQuerySet:
        """Neither revoked nor expired."""
        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())


class ApiToken(models.Model):
    """A personal API token. Only its SHA-256 digest is stored; the token is shown once.
    Every token expires: its lifetime is chosen within the operator's maximum."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=12, editable=False)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    expires_at = models.DateTimeField(_("expires at"), editable=False)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects: ClassVar[ApiTokenQuerySet] = ApiTokenQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and not self.is_expired
