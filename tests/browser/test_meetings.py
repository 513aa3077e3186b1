"""Meetings as the secretariat runs them: plan, programme, convene, attendance, minutes."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from coopgov.core.demo import load_demo
from coopgov.core.models import Organisation
from coopgov.meetings.models import Invitation, Meeting
from tests.browser.conftest import choose_english, screenshot
from tests.browser.test_journeys import CLAIRE, sign_in


@pytest.fixture
def demo(transactional_db: None) -> Organisation:
    return load_demo()


def test_the_secretary_plans_and_runs_a_seminar(
    page: Page, live_server: object, demo: Organisation
) -> None:
    base = str(live_server)
    sign_in(page, base, CLAIRE)
    choose_english(page)
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.goto(f"{base}/{demo.code}/meetings/new/")
    page.get_by_label("Kind of meeting").select_option(
        label="Conseil d'administration — Séminaire du conseil d'administration"
    )
    page.get_by_label("Title").fill("Séminaire d'hiver 2027")
    page.get_by_label("Starts").fill("2027-01-26T09:30")
    page.get_by_label("Ends").fill("2027-01-27T17:00")
    page.get_by_label("Venue", exact=True).fill("Site de Monceau-Fontaine")
    page.get_by_role("button", name="Plan").click()
    expect(page.locator("h1")).to_have_text("Séminaire d'hiver 2027")
    expect(page.locator("p.notice")).to_contain_text("takes no decision")

    # The secretariat's forms open on demand (htmx loads each one when its card is opened).
    page.get_by_text("Add a session to the programme").click()
    page.locator("#id_session-starts_at").fill("2027-01-26T10:00")
    page.locator("#id_session-ends_at").fill("2027-01-26T12:30")
    page.locator("#id_session-kind").select_option("news_round")
    page.locator("#id_session-title").fill("News from the directions")
    with page.expect_navigation():  # the next card opens on the page that comes back
        page.get_by_role("button", name="Add the session").click()
    page.get_by_text("Add a session to the programme").click()
    page.locator("#id_session-starts_at").fill("2027-01-26T14:00")
    page.locator("#id_session-ends_at").fill("2027-01-26T16:00")
    page.locator("#id_session-kind").select_option("guest_talk")
    page.locator("#id_session-title").fill("Accompanying activities over time")
    page.locator("#id_session-guest_name").fill("Hélène Garnier")
    page.locator("#id_session-guest_organisation").fill("GRAP, Lyon")
    with page.expect_navigation():
        page.get_by_role("button", name="Add the session").click()

    # A decision item is refused in a seminar (its form comes back open with the error); an
    # orientation item is accepted.
    page.get_by_text("Add an agenda item").click()
    page.locator("#id_item-title").fill("Adopt the offer variants")
    page.locator("#id_item-purpose").select_option("decision")
    page.get_by_role("button", name="Add to the agenda").click()
    expect(page.locator(".field-error")).to_contain_text("Non-deciding meeting")
    screenshot(page, "29-item-refused")
    page.locator("#id_item-purpose").select_option("orientation")
    with page.expect_navigation():
        page.get_by_role("button", name="Add to the agenda").click()
    expect(page.locator(".agenda li")).to_have_count(1)

    page.get_by_text("Convene", exact=True).click()
    page.get_by_role("button", name="Send the convocation").click()
    expect(page.locator(".message-success")).to_contain_text("convocation")

    # Attendance is recorded in place.
    first = page.locator("table.attendance tbody tr").first
    with page.expect_response(lambda response: "/attendance/" in response.url):
        first.locator("select").select_option("present")
    expect(first.locator("select")).to_have_value("present")
    meeting = Meeting.objects.get(title="Séminaire d'hiver 2027")
    assert meeting.invitations.filter(attendance=Invitation.Attendance.PRESENT).count() == 1

    page.get_by_text("Record an outcome").click()
    page.locator("#id_outcome-kind").select_option("orientation")
    page.locator("#id_outcome-text").fill("Keep the strategy review at every seminar.")
    page.get_by_role("button", name="Record", exact=True).click()
    expect(page.locator(".outcomes")).to_contain_text("Keep the strategy review")
    screenshot(page, "30-seminar")

    page.locator(".page-head a", has_text="Programme").click()
    expect(page.locator(".programme-day")).to_have_count(1)
    expect(page.locator(".programme")).to_contain_text("GRAP, Lyon")
    screenshot(page, "31-programme")

    book = page.context.request.get(f"{base}{meeting.get_absolute_url()}board-book.pdf")
    assert book.status == 200 and book.body().startswith(b"%PDF")

    page.goto(f"{base}{meeting.get_absolute_url()}minutes/")
    page.get_by_role("button", name="Draft the minutes from the agenda").click()
    expect(page.locator(".minutes-section")).to_have_count(2)  # the item, and the other outcomes
    expect(page.locator(".minutes-section textarea").last).to_have_value(
        re.compile("Keep the strategy review")
    )
    screenshot(page, "32-minutes")


def test_the_programme_of_the_2023_seminar_reads_like_a_programme(
    page: Page, live_server: object, demo: Organisation
) -> None:
    base = str(live_server)
    sign_in(page, base, CLAIRE)
    seminar = Meeting.objects.get(organisation=demo, kind__category="seminar")
    page.goto(f"{base}{seminar.get_absolute_url()}programme/")
    expect(page.locator(".programme-day")).to_have_count(2)
    expect(page.locator(".programme-head")).to_contain_text(re.compile("Monceau-Fontaine"))
    screenshot(page, "33-seminar-2023-programme")
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    screenshot(page, "34-seminar-2023-programme-print")
