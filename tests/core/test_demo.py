from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from coopgov.core.demo import DEMO_CODE, LOGINS, DemoAlreadyLoaded, load_demo
from coopgov.core.models import Member, Organisation, Person, Role, Unit

# One worker loads the demo once for all the tests of this module.
pytestmark = pytest.mark.xdist_group("demo_core")


@pytest.fixture
def demo(module_demo: Organisation, db: None) -> Organisation:
    return module_demo


def test_the_demo_tells_the_story_of_the_seed_article(demo: Organisation) -> None:
    assert demo.code == DEMO_CODE
    charleroi = Unit.objects.get(organisation=demo, code="bureau-charleroi")
    assert charleroi.kind == Unit.Kind.LOCAL_OFFICE
    assert "Monceau-Fontaine" in charleroi.address
    assert Unit.objects.filter(organisation=demo, kind=Unit.Kind.DIRECTION).count() >= 5
    assert Unit.objects.filter(organisation=demo, code="vie-cooperative").exists()


def test_the_demo_has_the_expected_size(demo: Organisation) -> None:
    members = Member.objects.filter(organisation=demo)
    assert 190 <= members.count() <= 220
    assert set(members.values_list("category__code", flat=True)) == {"A", "B", "C"}
    assert members.filter(kind=Member.Kind.LEGAL).count() == 3
    assert members.filter(status=Member.Status.RESIGNED).exists()
    numbers = list(members.order_by("admission_date", "number").values_list("number", flat=True))
    assert numbers == sorted(numbers)
    assert Person.objects.filter(organisation=demo, roles__isnull=False).distinct().count() >= 15


def test_the_demo_has_one_login_per_kind_of_user(demo: Organisation) -> None:
    with_login = Person.objects.filter(organisation=demo, user__isnull=False)
    assert with_login.count() == len(LOGINS) == 4
    claire = with_login.get(first_name="Claire")
    assert set(claire.roles.values_list("kind", flat=True)) == {
        Role.Kind.SECRETARIAT,
        Role.Kind.ADMIN,
    }
    jonas = with_login.get(first_name="Jonas")
    assert not jonas.roles.exists() and jonas.memberships.get().status == Member.Status.ADMITTED


def test_loading_the_demo_twice_refuses_and_changes_nothing(demo: Organisation) -> None:
    before = Member.objects.count()
    with pytest.raises(DemoAlreadyLoaded):
        load_demo()
    out = StringIO()
    call_command("demo", stdout=out)
    assert "already loaded" in out.getvalue()
    assert Member.objects.count() == before
