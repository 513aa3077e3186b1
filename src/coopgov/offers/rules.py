"""The rules of the path and of the commitments, as plain computations: which stage may follow
which, and which commitments an enrolment breaks on a given day (flags for the adviser)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from coopgov.offers.models import Contribution, Enrolment, Holding, OfferVersion, Stage

NEXT_STAGES: dict[str, frozenset[str]] = {
    Stage.CANDIDATE: frozenset({Stage.INTEGRATED, Stage.EXITED}),
    Stage.INTEGRATED: frozenset({Stage.ACTIVE, Stage.PAUSED, Stage.EXITED}),
    Stage.ACTIVE: frozenset({Stage.PAUSED, Stage.EXITED}),
    Stage.PAUSED: frozenset({Stage.ACTIVE, Stage.EXITED}),
    Stage.EXITED: frozenset(),
}

YEAR = datetime.timedelta(days=365)


def may_follow(current: str, following: str) -> bool:
    return following in NEXT_STAGES.get(current, frozenset())


@dataclass(frozen=True)
class Breach:
    kind: str  # shares, contribution, support, activity, acceptance, review
    message: str


def support_meetings_expected(
    version: OfferVersion, enrolled_since: datetime.date, today: datetime.date
) -> int:
    """Support meetings the member should have had over the last twelve months (fewer when
    the enrolment is younger than a year)."""
    days = min((today - enrolled_since).days, YEAR.days)
    return version.support_meetings_per_year * max(days, 0) // YEAR.days


def breaches(
    enrolment: Enrolment,
    *,
    holdings: Iterable[Holding],
    contributions: Iterable[Contribution],
    meetings_attended: int,
    today: datetime.date,
) -> list[Breach]:
    """The commitments of the enrolment's variant that are not met on `today`.

    `meetings_attended` counts the support meetings held in the last twelve months that a
    holder attended; `contributions` are the activity's; `holdings` its holders."""
    version = enrolment.version
    found: list[Breach] = []
    if not enrolment.accepted:
        found.append(Breach("acceptance", _("Commitments not yet accepted by both sides.")))
    for holding in holdings:
        if holding.shares_verified is None:
            found.append(
                Breach(
                    "shares",
                    _("%(member)s: shares held not verified yet.")
                    % {"member": holding.member.display_name},
                )
            )
        elif holding.shares_verified < version.shares_required:
            found.append(
                Breach(
                    "shares",
                    _("%(member)s holds %(held)s shares of the %(required)s required.")
                    % {
                        "member": holding.member.display_name,
                        "held": holding.shares_verified,
                        "required": version.shares_required,
                    },
                )
            )
    contributions = list(contributions)
    unpaid = [c for c in contributions if c.is_unpaid(today)]
    if unpaid:
        missing = sum((c.amount_due - c.amount_paid for c in unpaid), Decimal(0))
        found.append(
            Breach(
                "contribution",
                _("Contribution unpaid: %(amount)s € over %(count)s periods.")
                % {"amount": missing, "count": len(unpaid)},
            )
        )
    expected = support_meetings_expected(version, enrolment.starts_on, today)
    if meetings_attended < expected:
        found.append(
            Breach(
                "support",
                _("Support meetings: %(had)s in the last twelve months, %(expected)s expected.")
                % {"had": meetings_attended, "expected": expected},
            )
        )
    minimum = version.minimum_annual_activity
    if minimum is not None and today - enrolment.starts_on >= YEAR:
        recent = sum(
            (c.base_amount for c in contributions if c.period_end > today - YEAR),
            Decimal(0),
        )
        if recent < minimum:
            found.append(
                Breach(
                    "activity",
                    _("Activity: %(recent)s € over twelve months, %(minimum)s € expected.")
                    % {"recent": recent, "minimum": minimum},
                )
            )
    if enrolment.review_on < today:
        found.append(
            Breach(
                "review",
                _("Commitments to review since %(day)s.")
                % {"day": date_format(enrolment.review_on)},
            )
        )
    return found
