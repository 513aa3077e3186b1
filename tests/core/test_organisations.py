from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from coopgov.core import actions
from coopgov.core.models import Event, Organisation, Person


def test_create_organisation_normalises_the_enterprise_number_and_records_an_event(
    db: None,
) -> None:
    org = actions.create_organisation(
        None, code="smart", name="Coop", enterprise_number="BE 0712.345.630"
    )
    assert org.enterprise_number == "0712345630"
    assert org.enterprise_number_display == "0712.345.630"
    event = Event.objects.get(action="core.organisation.created")
    assert event.target_id == str(org.pk)
    assert event.organisation == org


def test_create_organisation_refuses_a_bad_enterprise_number_and_saves_nothing(db: None) -> None:
    with pytest.raises(ValidationError) as error:
        actions.create_organisation(None, code="x", name="X", enterprise_number="0712.345.631")
    assert "enterprise_number" in error.value.message_dict
    assert not Organisation.objects.exists()
    assert not Event.objects.exists()


def test_statutory_defaults_follow_the_cooperative_rules(org: Organisation) -> None:
    assert org.general_assembly_notice_days == 15
    assert org.min_gender_share == 40
    assert org.term_years == 4
    assert org.max_consecutive_terms == 2
    assert org.college_voting is False


def test_gender_share_above_half_is_refused(org: Organisation, admin_person: Person) -> None:
    with pytest.raises(ValidationError) as error:
        actions.update_organisation(
            admin_person, organisation=org, changes={"min_gender_share": 60}
        )
    assert "min_gender_share" in error.value.message_dict


def test_update_organisation_records_what_changed(org: Organisation, admin_person: Person) -> None:
    actions.update_organisation(
        admin_person, organisation=org, changes={"general_assembly_notice_days": 21, "name": "Coop"}
    )
    event = Event.objects.filter(action="core.organisation.updated").get()
    assert event.actor == admin_person
    assert event.data["changes"]["general_assembly_notice_days"] == [15, 21]


def test_update_organisation_refuses_fields_it_does_not_own(
    org: Organisation, admin_person: Person
) -> None:
    with pytest.raises(ValidationError):
        actions.update_organisation(
            admin_person, organisation=org, changes={"last_member_number": 9}
        )
