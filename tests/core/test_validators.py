from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from coopgov.core.validators import (
    format_enterprise_number,
    normalise_enterprise_number,
    validate_enterprise_number,
)


def test_enterprise_number_accepts_a_valid_number_in_any_common_spelling() -> None:
    for spelling in ("0712345630", "0712.345.630", "BE 0712.345.630", "be0712 345 630"):
        validate_enterprise_number(spelling)
    assert normalise_enterprise_number("BE 0712.345.630") == "0712345630"
    assert format_enterprise_number("0712345630") == "0712.345.630"


def test_enterprise_number_with_a_wrong_checksum_is_refused_naming_the_rule() -> None:
    with pytest.raises(ValidationError) as error:
        validate_enterprise_number("0712.345.631")
    assert error.value.code == "enterprise_number_checksum"
    assert "97" in str(error.value.messages[0])


@pytest.mark.parametrize("value", ["712345630", "2712345630", "07123456301", "ABC"])
def test_enterprise_number_of_the_wrong_shape_is_refused(value: str) -> None:
    with pytest.raises(ValidationError) as error:
        validate_enterprise_number(value)
    assert error.value.code == "enterprise_number_format"


@given(st.integers(min_value=0, max_value=19_999_999))
def test_every_number_with_its_modulo_97_checksum_is_valid_and_others_are_not(base: int) -> None:
    first = f"{base:08d}"
    check = 97 - base % 97
    validate_enterprise_number(f"{first}{check:02d}")
    wrong = (check % 97) + 1
    with pytest.raises(ValidationError):
        validate_enterprise_number(f"{first}{wrong:02d}")
