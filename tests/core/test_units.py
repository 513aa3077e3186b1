from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from coopgov.core import actions
from coopgov.core.models import Event, Organisation, Person, Unit
from tests.conftest import make_person


def unit(org: Organisation, code: str, parent: Unit | None = None, **fields: object) -> Unit:
    return actions.create_unit(
        None,
        organisation=org,
        code=code,
        name=code.title(),
        kind=Unit.Kind.TEAM,
        parent=parent,
        **fields,  # type: ignore[arg-type]
    )


def test_units_nest_and_have_a_head(org: Organisation) -> None:
    head = make_person(org)
    direction = unit(org, "services", head=head)
    office = unit(org, "charleroi", parent=direction)
    assert list(direction.children.all()) == [office]
    assert direction.head == head
    assert Event.objects.filter(action="core.unit.created").count() == 2


def test_unit_codes_are_unique_in_an_organisation(org: Organisation) -> None:
    unit(org, "services")
    with pytest.raises(ValidationError):
        unit(org, "services")


def test_a_unit_cannot_become_part_of_its_own_sub_unit(
    org: Organisation, secretariat: Person
) -> None:
    top = unit(org, "top")
    middle = unit(org, "middle", parent=top)
    bottom = unit(org, "bottom", parent=middle)
    with pytest.raises(ValidationError) as error:
        actions.update_unit(secretariat, unit=top, changes={"parent": bottom})
    assert "parent" in error.value.message_dict
    top.refresh_from_db()
    assert top.parent is None


def test_a_unit_cannot_be_its_own_parent(org: Organisation, secretariat: Person) -> None:
    top = unit(org, "top")
    with pytest.raises(ValidationError):
        actions.update_unit(secretariat, unit=top, changes={"parent": top})


def test_head_and_parent_must_belong_to_the_same_organisation(
    org: Organisation, other_org: Organisation
) -> None:
    stranger = make_person(other_org)
    foreign = unit(other_org, "foreign")
    with pytest.raises(ValidationError) as error:
        unit(org, "mine", head=stranger, parent=foreign)
    assert set(error.value.message_dict) == {"head", "parent"}
    assert not Unit.objects.filter(code="mine").exists()
