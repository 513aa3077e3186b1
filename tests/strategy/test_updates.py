"""The directions' progress updates, which set where their workstreams stand, and the news round
of a meeting that gathers them."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

import pytest
import time_machine
from django.core.exceptions import ValidationError

from coopgov.core import actions as core_actions
from coopgov.core.models import Event, Organisation, Person, Unit
from coopgov.meetings import actions as meeting_actions
from coopgov.meetings.models import AgendaItem, DocumentVersion, Meeting, Session
from coopgov.strategy import actions
from coopgov.strategy.actions import Report
from coopgov.strategy.models import Plan, ProgressUpdate, Workstream, WorkstreamReport
from tests.meetings.conftest import at
from tests.strategy.conftest import workstream

D = datetime.date
FIRST_QUARTER = (D(2024, 1, 1), D(2024, 3, 31))


def events(action: str) -> list[Event]:
    return list(Event.objects.filter(action=f"strategy.{action}").order_by("pk"))


def write(
    head: Person | None,
    unit: Unit,
    reports: Sequence[Report] = (),
    *,
    start: D = FIRST_QUARTER[0],
    end: D = FIRST_QUARTER[1],
    title: str = "Premier trimestre",
    text: str = "Où nous en sommes.",
) -> ProgressUpdate:
    return actions.write_progress_update(
        head,
        unit=unit,
        period_start=start,
        period_end=end,
        title=title,
        text=text,
        reports=reports,
    )


def state(ws: Workstream) -> tuple[int, str]:
    ws.refresh_from_db()
    return ws.progress, ws.status


@pytest.fixture
def team(org: Organisation) -> Unit:
    return core_actions.create_unit(
        None, organisation=org, code="vie-cooperative", name="Vie coopérative", kind="team"
    )


# Writing an update


def test_an_update_sets_where_the_direction_workstreams_stand(
    plan: Plan, general: Unit, head_general: Person
) -> None:
    statutes = workstream(plan, "Statuts révisés")
    advisers = workstream(plan, "Conseillers attitrés")
    update = write(
        head_general,
        general,
        [
            Report(statutes, 40, "on_track", " Projet soumis au conseil. "),
            Report(advisers, 100, "done"),
        ],
        title=" Les statuts avancent ",
        text=" Texte. ",
    )
    assert (update.title, update.text, update.author, update.organisation) == (
        "Les statuts avancent",
        "Texte.",
        head_general,
        plan.organisation,
    )
    assert state(statutes) == (40, "on_track")
    assert state(advisers) == (100, "done")
    assert [(r.workstream, r.progress, r.status, r.comment) for r in update.reports.all()] == [
        (statutes, 40, "on_track", "Projet soumis au conseil."),
        (advisers, 100, "done", ""),
    ]
    (event,) = events("update.written")
    assert (event.actor, event.target_id) == (head_general, str(update.pk))
    assert event.data == {
        "direction": "direction-generale",
        "period": ["2024-01-01", "2024-03-31"],
        "workstreams": 2,
    }


def test_an_update_on_an_older_period_does_not_overwrite_a_later_one(
    plan: Plan, general: Unit, head_general: Person
) -> None:
    statutes = workstream(plan, "Statuts révisés")
    write(head_general, general, [Report(statutes, 60, "on_track")])
    late_news = write(
        head_general,
        general,
        [Report(statutes, 30, "late")],
        start=D(2023, 10, 1),
        end=D(2023, 12, 31),
    )
    assert state(statutes) == (60, "on_track")
    assert late_news.reports.get().progress == 30  # kept as the record of that period
    write(
        head_general,
        general,
        [Report(statutes, 70, "at_risk")],
        start=D(2024, 4, 1),
        end=D(2024, 6, 30),
    )
    assert state(statutes) == (70, "at_risk")


def test_a_direction_reports_only_on_its_own_workstreams(
    plan: Plan, general: Unit, head_general: Person
) -> None:
    fund = workstream(plan, "Fonds de garantie")  # carried by the finance direction
    with pytest.raises(ValidationError) as error:
        write(head_general, general, [Report(fund, 50, "on_track")])
    assert error.value.message_dict == {
        "reports": [
            "“Fonds de garantie” is carried by another direction: each direction reports on its own."
        ]
    }
    assert state(fund) == (0, "on_track")


def test_a_report_on_a_plan_not_in_force_is_refused(
    plan: Plan, general: Unit, head_general: Person
) -> None:
    revision = actions.derive_plan(
        None, source=plan, title="Révision", starts_year=2024, ends_year=2025, change_note="New."
    )
    draft_statutes = workstream(revision, "Statuts révisés")
    with pytest.raises(ValidationError, match="“Statuts révisés” belongs to a plan that is not in"):
        write(head_general, general, [Report(draft_statutes, 50, "on_track")])
    actions.approve_plan(None, plan=revision, reference="CA", approved_on=D(2024, 1, 10))
    superseded_statutes = workstream(plan, "Statuts révisés")
    with pytest.raises(ValidationError, match="belongs to a plan that is not in force"):
        write(head_general, general, [Report(superseded_statutes, 50, "on_track")])
    draft_statutes = workstream(revision, "Statuts révisés")  # as a page would load it now
    write(head_general, general, [Report(draft_statutes, 50, "on_track")])  # now in force
    assert state(draft_statutes) == (50, "on_track")
    assert state(superseded_statutes) == (0, "on_track")


def test_a_workstream_reported_done_is_at_100_percent(
    plan: Plan, general: Unit, head_general: Person
) -> None:
    statutes = workstream(plan, "Statuts révisés")
    with pytest.raises(
        ValidationError, match="“Statuts révisés”: a workstream reported done is at 100 %"
    ):
        write(head_general, general, [Report(statutes, 99, "done")])
    assert state(statutes) == (0, "on_track")


@pytest.mark.parametrize(
    ("progress", "status"), [(101, "on_track"), (-1, "on_track"), (50, "finished")]
)
def test_progress_is_a_percentage_and_status_a_known_one(
    plan: Plan, general: Unit, head_general: Person, progress: int, status: str
) -> None:
    statutes = workstream(plan, "Statuts révisés")
    with pytest.raises(ValidationError, match="of “Statuts révisés”"):
        write(head_general, general, [Report(statutes, progress, status)])
    assert not ProgressUpdate.objects.exists()


def test_a_workstream_is_reported_once_per_update(
    plan: Plan, general: Unit, head_general: Person
) -> None:
    statutes = workstream(plan, "Statuts révisés")
    with pytest.raises(ValidationError, match="“Statuts révisés” is reported twice"):
        write(
            head_general,
            general,
            [Report(statutes, 40, "on_track"), Report(statutes, 50, "on_track")],
        )
    assert state(statutes) == (0, "on_track")


def test_updates_are_written_by_a_direction_not_a_team(plan: Plan, team: Unit) -> None:
    with pytest.raises(ValidationError) as error:
        write(None, team)
    assert list(error.value.message_dict) == ["unit"]
    assert not ProgressUpdate.objects.exists()


def test_an_update_without_news_is_refused(plan: Plan, general: Unit) -> None:
    with pytest.raises(ValidationError) as error:
        write(None, general, text="  \n ")
    assert error.value.message_dict == {"text": ["Write the direction's news."]}


def test_an_update_reports_on_a_period_that_has_begun(plan: Plan, general: Unit) -> None:
    with time_machine.travel(datetime.datetime(2024, 3, 31, 12, tzinfo=datetime.UTC)):
        with pytest.raises(ValidationError) as error:
            write(None, general, start=D(2024, 4, 1), end=D(2024, 6, 30))
        assert list(error.value.message_dict) == ["period_start"]
        write(None, general, start=D(2024, 3, 31), end=D(2024, 6, 30))
    assert ProgressUpdate.objects.count() == 1


def test_nothing_is_saved_when_one_report_is_refused(
    plan: Plan, general: Unit, head_general: Person
) -> None:
    statutes = workstream(plan, "Statuts révisés")
    fund = workstream(plan, "Fonds de garantie")
    with pytest.raises(ValidationError):
        write(
            head_general, general, [Report(statutes, 40, "on_track"), Report(fund, 50, "on_track")]
        )
    with pytest.raises(ValidationError, match="Period: the period ends after it starts"):
        write(
            head_general,
            general,
            [Report(statutes, 40, "on_track")],
            start=D(2024, 3, 31),
            end=D(2024, 1, 1),
        )
    assert not ProgressUpdate.objects.exists()
    assert not WorkstreamReport.objects.exists()
    assert state(statutes) == (0, "on_track")
    assert not events("update.written")


# The news round


def written_at(moment: datetime.datetime) -> time_machine.travel:
    return time_machine.travel(moment, tick=False)


@pytest.fixture
def news_round(seminar: Meeting) -> Session:
    """The seminar starts on 24 January 2024 at 9:00; the news round opens it."""
    return meeting_actions.add_session(
        None,
        meeting=seminar,
        starts_at=at(2024, 1, 24, 9),
        ends_at=at(2024, 1, 24, 11),
        kind=Session.Kind.NEWS_ROUND,
        title="Actualités des directions",
    )


@pytest.fixture
def updates(
    plan: Plan, general: Unit, finance: Unit, head_general: Person
) -> dict[str, ProgressUpdate]:
    """General direction: an old update, the latest before the seminar, and one written after
    it started. Finance: one update, written by nobody in particular (imported)."""
    statutes = workstream(plan, "Statuts révisés")
    with written_at(at(2023, 10, 5, 10)):
        old = write(
            head_general, general, start=D(2023, 7, 1), end=D(2023, 9, 30), title="La rentrée"
        )
    with written_at(at(2024, 1, 10, 10)):
        latest = write(
            head_general,
            general,
            [Report(statutes, 40, "at_risk", "Le notaire tarde.")],
            start=D(2023, 10, 1),
            end=D(2023, 12, 31),
            title="Statuts : le projet avance",
            text="Le projet de statuts est prêt.",
        )
    with written_at(at(2024, 1, 15, 10)):
        money = write(
            None,
            finance,
            start=D(2023, 10, 1),
            end=D(2023, 12, 31),
            title="Fonds : première tranche",
        )
    with written_at(
        at(
            2024,
            1,
            24,
            9,
        )
        + datetime.timedelta(minutes=1)
    ):
        after = write(
            head_general,
            general,
            start=D(2024, 1, 1),
            end=D(2024, 1, 24),
            title="Écrit pendant le séminaire",
        )
    return {"old": old, "latest": latest, "money": money, "after": after}


def test_the_news_round_gathers_each_direction_latest_update_written_before_the_meeting(
    news_round: Session,
    updates: dict[str, ProgressUpdate],
    head_general: Person,
    head_finance: Person,
    secretariat: Person,
) -> None:
    items = actions.gather_news(secretariat, session=news_round)

    assert [item.title for item in items] == [
        "News — Direction financière",
        "News — Direction générale",
    ]
    money, general = items
    for item in items:
        assert (item.meeting, item.session, item.purpose) == (
            news_round.meeting,
            news_round,
            AgendaItem.Purpose.INFORMATION,
        )
    assert general.description == "Statuts : le projet avance"
    assert list(general.presenters.all()) == [head_general]  # its author
    assert list(money.presenters.all()) == [head_finance]  # no author: the direction's head
    assert list(updates["latest"].items.all()) == [general]
    assert list(updates["money"].items.all()) == [money]
    assert not updates["old"].items.exists() and not updates["after"].items.exists()
    event = events("news.gathered")[-1]
    assert (event.actor, event.data) == (
        secretariat,
        {"session": "Actualités des directions", "directions": ["finances", "direction-generale"]},
    )


def test_each_gathered_update_travels_as_a_markdown_document_of_its_item(
    news_round: Session, updates: dict[str, ProgressUpdate]
) -> None:
    money, general = actions.gather_news(None, session=news_round)
    document = general.documents.get()
    assert document.meeting == news_round.meeting
    assert document.title == "Direction générale — Statuts : le projet avance"
    version: DocumentVersion = document.versions.get()
    assert version.content_type == "text/markdown"
    assert version.filename.endswith(".md")
    with version.file.open("rb") as handle:
        text = handle.read().decode()
    assert "# Direction générale — Statuts : le projet avance" in text
    assert "Le projet de statuts est prêt." in text
    assert "**Statuts révisés** — At risk, 40 %: Le notaire tarde." in text
    assert "Écrit pendant le séminaire" not in text
    assert "Fonds : première tranche" in money.documents.get().title


def test_gathering_the_news_twice_adds_nothing(
    news_round: Session, updates: dict[str, ProgressUpdate]
) -> None:
    first = actions.gather_news(None, session=news_round)
    again = actions.gather_news(None, session=news_round)
    assert again == []
    assert list(news_round.items.all()) == first
    assert news_round.meeting.documents.count() == 2
    assert events("news.gathered")[-1].data["directions"] == []


def test_a_direction_not_yet_gathered_is_added_by_a_second_gathering(
    news_round: Session, plan: Plan, general: Unit, finance: Unit, head_general: Person
) -> None:
    with written_at(at(2024, 1, 10, 10)):
        write(head_general, general, start=D(2023, 10, 1), end=D(2023, 12, 31), title="DG")
    (first,) = actions.gather_news(None, session=news_round)
    with written_at(at(2024, 1, 20, 10)):
        write(None, finance, start=D(2023, 10, 1), end=D(2023, 12, 31), title="Finances")
    (second,) = actions.gather_news(None, session=news_round)
    assert (first.description, second.description) == ("DG", "Finances")
    assert news_round.items.count() == 2


def test_only_a_news_round_gathers_the_updates(
    seminar: Meeting, updates: dict[str, ProgressUpdate]
) -> None:
    workshop = meeting_actions.add_session(
        None,
        meeting=seminar,
        starts_at=at(2024, 1, 24, 11),
        ends_at=at(2024, 1, 24, 12),
        kind=Session.Kind.WORKSHOP,
        title="Atelier",
    )
    with pytest.raises(ValidationError) as error:
        actions.gather_news(None, session=workshop)
    assert list(error.value.message_dict) == ["session"]
    assert not seminar.items.exists()
    assert not ProgressUpdate.objects.filter(items__isnull=False).exists()
