"""Bodies and mandates as the secretariat and a member click them."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from coopgov.bodies.models import Body, Mandate
from coopgov.core.demo import load_demo
from coopgov.core.models import Organisation, Person
from tests.browser.conftest import choose_english, screenshot
from tests.browser.test_journeys import CLAIRE, JONAS, sign_in


@pytest.fixture
def demo(transactional_db: None) -> Organisation:
    return load_demo()


def test_the_secretariat_reads_the_board_at_two_dates_and_its_rule_report(
    page: Page, live_server: object, demo: Organisation
) -> None:
    base = str(live_server)
    sign_in(page, base, CLAIRE)
    page.locator("nav.org-nav").get_by_role("link", name=re.compile("Instances|Bodies")).click()
    screenshot(page, "20-bodies")
    page.get_by_role("link", name="Conseil d'administration").click()
    expect(page.locator("#composition-title")).to_be_visible()
    rows = page.locator("section[aria-labelledby=composition-title] table tbody tr")
    expect(rows).to_have_count(15)
    expect(page.locator("table.report")).to_be_visible()
    screenshot(page, "21-board")
    page.locator("#on").fill("2020-01-01")
    page.locator("form.date-picker button").click()
    expect(page).to_have_url(re.compile(r"on=2020-01-01"))
    expect(rows).to_have_count(8)  # the 2019 cohort, in its first term


def test_the_map_links_each_box_to_its_body(
    page: Page, live_server: object, demo: Organisation
) -> None:
    base = str(live_server)
    sign_in(page, base, JONAS)
    page.goto(f"{base}/{demo.code}/bodies/map/")
    boxes = page.locator("svg a.body-box")
    expect(boxes).to_have_count(7)
    screenshot(page, "22-map")
    page.locator("svg a.body-box", has_text="Administration déléguée").click()
    expect(page.locator("h1")).to_have_text("Administration déléguée")


def test_a_member_cannot_see_the_ethics_committee_members(
    page: Page, live_server: object, demo: Organisation
) -> None:
    base = str(live_server)
    sign_in(page, base, JONAS)
    page.goto(f"{base}/{demo.code}/bodies/ethique/")
    expect(page.locator("p.notice")).to_be_visible()
    expect(page.locator("#composition-title")).to_have_count(0)


def test_the_secretariat_co_opts_a_successor_and_the_assembly_page_lists_it(
    page: Page, live_server: object, demo: Organisation
) -> None:
    base = str(live_server)
    sign_in(page, base, CLAIRE)
    choose_english(page)
    expect(page.locator("html")).to_have_attribute("lang", "en")
    board = Body.objects.get(organisation=demo, code="ca")
    karim = Mandate.objects.get(body=board, person__first_name="Karim", start__year=2025)
    page.goto(f"{base}{karim.get_absolute_url()}")
    page.locator("form[action$='/end/'] select").select_option("resigned")
    page.locator("form[action$='/end/'] input[type=date]").fill("2026-11-20")
    page.locator("form[action$='/end/'] button").click()
    expect(page.get_by_role("heading", name="Co-opt a successor")).to_be_visible()
    successor = Person.objects.get(organisation=demo, first_name="Arnaud")
    # Not an officer: found by typing part of the name (htmx fetches the matching people).
    coopt = page.locator("form[action$='/coopt/']")
    coopt.get_by_role("searchbox").fill(successor.last_name[:5])
    expect(coopt.locator(f"select option[value='{successor.pk}']")).to_have_count(1)
    screenshot(page, "22-person-search")
    coopt.locator("select").select_option(str(successor.pk))
    page.locator("form[action$='/coopt/'] input[type=date]").fill("2026-11-25")
    page.locator("form[action$='/coopt/'] button").click()
    expect(page.locator("h1")).to_have_text(successor.full_name)
    expect(page.get_by_text("Pending")).to_be_visible()
    screenshot(page, "23-coopted")
    page.goto(f"{base}/{demo.code}/bodies/ag/")
    expect(page.locator("#confirmations-title + ul li")).to_have_count(2)


def test_the_person_page_lists_mandates(
    page: Page, live_server: object, demo: Organisation
) -> None:
    base = str(live_server)
    sign_in(page, base, CLAIRE)
    marc = Person.objects.get(organisation=demo, first_name="Marc", last_name="Delvaux")
    page.goto(f"{base}{marc.get_absolute_url()}")
    expect(page.get_by_role("link", name="Conseil d'administration")).to_have_count(2)
    screenshot(page, "24-person-mandates")


def test_the_seat_rule_form_saves_unchanged_groups(
    page: Page, live_server: object, demo: Organisation
) -> None:
    base = str(live_server)
    sign_in(page, base, CLAIRE)
    page.goto(f"{base}/{demo.code}/bodies/ca/seats/")
    expect(page.locator("fieldset.seat-group")).to_have_count(3)  # A, B/C and an empty one
    screenshot(page, "25-seat-rule")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("h1")).to_have_text("Conseil d'administration")
    board = Body.objects.get(organisation=demo, code="ca")
    assert sorted((g.name, g.seats) for g in board.seat_rule.groups.all()) == [
        ("A", 11),
        ("B/C", 4),
    ]
