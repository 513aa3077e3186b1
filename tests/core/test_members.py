from __future__ import annotations

import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from coopgov.core import actions
from coopgov.core.models import Event, Member, MemberCategory, Organisation, Person
from tests.conftest import make_member, make_person


def test_member_numbers_follow_each_other_and_are_recorded_on_the_organisation(
    org: Organisation, category_a: MemberCategory
) -> None:
    first = make_member(org, category_a)
    second = make_member(org, category_a)
    assert (first.number, second.number) == (1, 2)
    org.refresh_from_db()
    assert org.last_member_number == 2
    event = Event.objects.get(action="core.member.admitted", target_id=str(second.pk))
    assert event.data == {"number": 2, "category": "A", "status": "admitted"}


def test_a_member_number_is_never_reused_even_if_the_row_disappears(
    org: Organisation, category_a: MemberCategory
) -> None:
    make_member(org, category_a)
    second = make_member(org, category_a)
    Member.objects.filter(pk=second.pk).delete()
    third = make_member(org, category_a)
    assert third.number == 3


def test_numbers_are_counted_per_organisation(
    org: Organisation, other_org: Organisation, category_a: MemberCategory
) -> None:
    other_category = actions.add_member_category(None, organisation=other_org, code="A", name="A")
    make_member(org, category_a)
    assert make_member(other_org, other_category).number == 1


def test_a_person_is_a_member_only_once(org: Organisation, category_a: MemberCategory) -> None:
    person = make_person(org)
    make_member(org, category_a, person)
    with pytest.raises(ValidationError) as error:
        make_member(org, category_a, person)
    assert "already a member" in str(error.value)
    org.refresh_from_db()
    assert org.last_member_number == 1


def test_a_legal_person_member_acts_through_its_representative(
    org: Organisation, category_c: MemberCategory
) -> None:
    representative = make_person(org)
    member = actions.admit_member(
        None,
        organisation=org,
        category=category_c,
        admission_date=datetime.date(2021, 3, 1),
        legal_name="Vélo Solidaire ASBL",
        legal_enterprise_number="0456.219.803",
        representative=representative,
    )
    assert member.kind == Member.Kind.LEGAL
    assert member.legal_enterprise_number == "0456219803"
    assert member.contact == representative
    assert member.display_name == "Vélo Solidaire ASBL"


def test_a_legal_person_without_representative_is_refused(
    org: Organisation, category_c: MemberCategory
) -> None:
    with pytest.raises(ValidationError) as error:
        actions.admit_member(
            None,
            organisation=org,
            category=category_c,
            admission_date=datetime.date(2021, 3, 1),
            legal_name="Sans Représentant SC",
        )
    assert "permanent representative" in str(error.value)
    assert not Member.objects.exists()


def test_a_natural_person_member_names_the_person(
    org: Organisation, category_a: MemberCategory
) -> None:
    with pytest.raises(ValidationError):
        actions.admit_member(
            None, organisation=org, category=category_a, admission_date=datetime.date(2021, 3, 1)
        )


def test_an_admitted_member_has_an_admission_date(
    org: Organisation, category_a: MemberCategory
) -> None:
    with pytest.raises(ValidationError) as error:
        make_member(org, category_a, admission_date=None)
    assert "admission date" in str(error.value)


def test_a_candidate_may_wait_for_an_admission_date(
    org: Organisation, category_a: MemberCategory, secretariat: Person
) -> None:
    candidate = make_member(org, category_a, admission_date=None, status=Member.Status.CANDIDATE)
    actions.change_member_status(
        secretariat, member=candidate, status=Member.Status.ADMITTED, on=datetime.date(2024, 5, 2)
    )
    assert candidate.admission_date == datetime.date(2024, 5, 2)


def test_the_category_must_belong_to_the_organisation(
    org: Organisation, other_org: Organisation
) -> None:
    foreign = actions.add_member_category(None, organisation=other_org, code="A", name="A")
    with pytest.raises(ValidationError) as error:
        make_member(org, foreign)
    assert "category" in error.value.message_dict


def test_a_member_who_resigned_keeps_number_and_dates_but_cannot_change_status(
    org: Organisation, category_a: MemberCategory, secretariat: Person
) -> None:
    member = make_member(org, category_a)
    actions.change_member_status(
        secretariat, member=member, status=Member.Status.RESIGNED, on=datetime.date(2024, 1, 31)
    )
    assert member.exit_date == datetime.date(2024, 1, 31)
    event = Event.objects.get(action="core.member.status_changed")
    assert event.data == {"from": "admitted", "to": "resigned", "on": "2024-01-31"}
    with pytest.raises(ValidationError) as error:
        actions.change_member_status(secretariat, member=member, status=Member.Status.ADMITTED)
    assert "status" in error.value.message_dict


def test_an_exit_before_admission_is_refused(
    org: Organisation, category_a: MemberCategory, secretariat: Person
) -> None:
    member = make_member(org, category_a, admission_date=datetime.date(2022, 6, 1))
    with pytest.raises(ValidationError):
        actions.change_member_status(
            secretariat, member=member, status=Member.Status.EXCLUDED, on=datetime.date(2021, 1, 1)
        )
    member.refresh_from_db()
    assert member.status == Member.Status.ADMITTED


def test_search_finds_members_by_number_or_name(
    org: Organisation, category_a: MemberCategory
) -> None:
    alice = make_member(org, category_a, make_person(org, first_name="Alice", last_name="Bastin"))
    make_member(org, category_a, make_person(org, first_name="Bob", last_name="Collin"))
    assert list(Member.objects.search("alice bas")) == [alice]
    assert list(Member.objects.search(str(alice.number))) == [alice]


@pytest.mark.django_db(transaction=True)
def test_concurrent_admissions_get_distinct_numbers(django_db_blocker: object) -> None:
    org = actions.create_organisation(None, code="race", name="Race")
    category = actions.add_member_category(None, organisation=org, code="A", name="A")
    people = [make_person(org) for _ in range(6)]
    errors: list[BaseException] = []

    def admit(person: Person) -> None:
        try:
            make_member(org, category, person)
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=admit, args=(person,)) for person in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    numbers = sorted(Member.objects.filter(organisation=org).values_list("number", flat=True))
    assert numbers == [1, 2, 3, 4, 5, 6]
