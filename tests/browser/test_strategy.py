"""The strategy as people click it: the secretariat reads the dashboard of the plan in force,
what its revision changed, a workstream and the seminar's review; the chair answers a review."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from coopgov.bodies.models import Body
from coopgov.core.demo import load_demo
from coopgov.core.models import Organisation
from coopgov.meetings.models import Meeting
from coopgov.strategy import actions
from coopgov.strategy.models import Plan, ReviewResponse
from tests.browser.conftest import choose_english, screenshot
from tests.browser.test_journeys import CLAIRE, sign_in

MARC = "marc.delvaux@example.org"


@pytest.fixture
def demo(transactional_db: None) -> Organisation:
    return load_demo()


def test_the_secretariat_follows_the_strategy_on_its_dashboard(
    page: Page, live_server: object, demo: Organisation
) -> None:
    base = str(live_server)
    sign_in(page, base, CLAIRE)
    choose_english(page)
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.get_by_role("link", name="Strategy", exact=True).click()
    expect(page.locator("h1")).to_have_text("Strategy")
    narrowed = Plan.objects.get(organisation=demo, status=Plan.Status.APPROVED)
    page.get_by_role("link", name=narrowed.title, exact=True).click()
    expect(page.locator("h1")).to_have_text(narrowed.title)
    expect(page.locator("figure[aria-labelledby=axes-chart-caption] .bar-row")).to_have_count(
        narrowed.axes.count()
    )
    expect(
        page.locator("figure[aria-labelledby=late-chart-caption] .bar-row").first
    ).to_be_visible()
    expect(page.locator("svg.status-bar rect").first).to_be_visible()
    expect(page.locator("table.late tbody tr").first).to_be_visible()
    expect(page.locator(".trend-card svg.line-chart").first).to_be_visible()
    screenshot(page, "50-strategy-dashboard")

    page.get_by_role("button", name="What this revision changed").click()
    expect(page.locator("table.changes .tag.change-removed").first).to_be_visible()
    screenshot(page, "51-strategy-changes")

    page.go_back()
    page.locator("table.late tbody tr a").first.click()
    expect(page.locator("#milestones-title")).to_be_visible()
    expect(page.locator(".flag").first).to_be_visible()
    screenshot(page, "52-strategy-workstream")

    page.goto(f"{base}{narrowed.get_absolute_url()}")
    page.locator("#reviews-title + ul a").first.click()
    expect(page.locator("#orientation-title")).to_be_visible()
    expect(page.locator("svg.bar-chart").first).to_be_visible()
    expect(page.locator(".comments li").first).to_be_visible()
    screenshot(page, "53-strategy-review-results")

    # The seminar's news round: each direction's news is an item of the session, with its
    # document in the board book.
    seminar = Meeting.objects.get(organisation=demo, kind__category="seminar")
    page.goto(f"{base}{seminar.get_absolute_url()}")
    expect(page.locator("strong", has_text="Actualités — Direction financière")).to_be_visible()
    expect(page.get_by_role("button", name="Gather the directions' latest news")).to_be_visible()
    page.get_by_role("button", name="Gather the directions' latest news").click()
    expect(page.get_by_role("status")).to_contain_text("No new update to gather")
    screenshot(page, "55-strategy-news-round")


def test_the_chair_answers_a_strategy_review(
    page: Page, live_server: object, demo: Organisation
) -> None:
    base = str(live_server)
    draft = Plan.objects.get(organisation=demo, status=Plan.Status.DRAFT)
    now = timezone.now()
    review = actions.open_review(
        None,
        plan=draft,
        body=Body.objects.get(organisation=demo, code="ca"),
        title="Horizon 2030 : est-ce parlant ?",
        opens_at=now - datetime.timedelta(hours=1),
        closes_at=now + datetime.timedelta(days=14),
    )
    axis = draft.axes.first()
    assert axis is not None
    sign_in(page, base, MARC)
    page.goto(f"{base}{Plan.objects.get(organisation=demo, status='approved').get_absolute_url()}")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.locator("#dashboard-title")).to_have_text("Où en est la stratégie")
    screenshot(page, "56-strategy-dashboard-fr")
    page.goto(f"{base}{review.get_absolute_url()}")
    expect(page.locator("h1")).to_have_text("Horizon 2030 : est-ce parlant ?")
    form = page.locator(f"#axis-{axis.pk} form")
    expect(form).to_be_visible()
    questions = list(review.questions.all())
    form.locator(f"input[name=q{questions[0].pk}][value='4']").check()
    form.locator("button[type=submit]").click()
    # One question left unanswered: refused, nothing saved, the choice kept on the page.
    expect(page.locator(f"#axis-{axis.pk} .form-errors")).to_be_visible()
    assert not ReviewResponse.objects.filter(review=review).exists()
    form = page.locator(f"#axis-{axis.pk} form")
    expect(form.locator(f"input[name=q{questions[0].pk}][value='4']")).to_be_checked()
    form.locator(f"input[name=q{questions[1].pk}][value='2']").check()
    form.locator("textarea").fill("Parlant, mais les besoins des activités collectives manquent.")
    form.locator("button[type=submit]").click()
    expect(page.locator(".message-success")).to_be_visible()
    expect(page.locator(f"#axis-{axis.pk} .comments")).to_contain_text("activités collectives")
    response = ReviewResponse.objects.get(review=review, axis=axis)
    assert sorted(response.scores.values_list("score", flat=True)) == [2, 4]
    screenshot(page, "54-strategy-review-answer")
