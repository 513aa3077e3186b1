"""Validators for identifiers used by Belgian cooperatives."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_ENTERPRISE_NUMBER = re.compile(r"^[01]\d{9}$")


def normalise_enterprise_number(value: str) -> str:
    """The ten digits of a Belgian enterprise number (BCE/KBO), without BE, dots or spaces."""
    digits = re.sub(r"[\s.\-]", "", value.upper())
    return digits.removeprefix("BE")


def validate_enterprise_number(value: str) -> None:
    """Check a Belgian enterprise number: ten digits starting with 0 or 1, modulo-97 checksum.

    The last two digits equal 97 minus the first eight digits modulo 97.
    """
    digits = normalise_enterprise_number(value)
    if not _ENTERPRISE_NUMBER.match(digits):
        raise ValidationError(
            _("An enterprise number has ten digits and starts with 0 or 1, e.g. 0123.456.749."),
            code="enterprise_number_format",
        )
    if 97 - int(digits[:8]) % 97 != int(digits[8:]):
        raise ValidationError(
            _("This enterprise number fails its checksum (modulo 97): check for a typing error."),
            code="enterprise_number_checksum",
        )


def format_enterprise_number(value: str) -> str:
    digits = normalise_enterprise_number(value)
    return f"{digits[:4]}.{digits[4:7]}.{digits[7:]}" if len(digits) == 10 else value


def validate_same_organisation(organisation_id: int, **objects: object) -> None:
    """Objects an action ties together belong to its organisation (one tenant never points into
    another); each one that does not is named as its field."""
    errors = {
        name: _("This belongs to another organisation.")
        for name, obj in objects.items()
        if obj is not None and getattr(obj, "organisation_id", None) != organisation_id
    }
    if errors:
        raise ValidationError(errors)
