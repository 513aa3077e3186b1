"""Meeting pages: the meeting page, attendance with htmx, convocation emails and .ics files."""

from __future__ import annotations

import datetime

from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from icalendar import Calendar

from coopgov.bodies.models import Mandate
from coopgov.core.models import Organisation, Person
from coopgov.meetings import actions
from coopgov.meetings.models import AgendaItem, Invitation, Meeting, MeetingKind, Minutes
from tests.conftest import in_english, login, make_person
from tests.meetings.conftest import at

HTMX = {"HTTP_HX_REQUEST": "true"}


def url(name: str, meeting: Meeting, **kwargs: object) -> str:
    return reverse(
        f"meetings:{name}",
        kwargs={"org": meeting.organisation.code, "code": meeting.code, **kwargs},
    )


def test_the_meeting_page_does_not_grow_in_queries_with_items_sessions_or_invitees(
    client: Client, board_meeting: Meeting, secretariat: Person, org: Organisation
) -> None:
    def add(count: int) -> None:
        for index in range(count):
            item = actions.add_to_agenda(
                None,
                meeting=board_meeting,
                title=f"Item {index}",
                purpose="discussion",
                presenters=[secretariat],
            )
            actions.record_outcome(
                None, meeting=board_meeting, item=item, kind="note", text="noted"
            )
            for version in (b"v1", b"v2"):
                actions.add_document(
                    secretariat,
                    meeting=board_meeting,
                    title=f"Doc {index}",
                    item=item,
                    document=board_meeting.documents.filter(title=f"Doc {index}").first(),
                    upload=SimpleUploadedFile("d.txt", version, content_type="text/plain"),
                )
            actions.invite_guest(None, meeting=board_meeting, person=make_person(org))
            actions.add_session(
                None,
                meeting=board_meeting,
                starts_at=at(2024, 3, 12, 18),
                ends_at=at(2024, 3, 12, 19),
                kind="plenary",
                title=f"Part {index}",
                speakers=[secretariat, ("Guest", "Coop")],
            )

    login(client, secretariat)
    add(2)
    client.get(board_meeting.get_absolute_url())
    with CaptureQueriesContext(connection) as few:
        assert client.get(board_meeting.get_absolute_url()).status_code == 200
    add(6)
    with CaptureQueriesContext(connection) as many:
        response = client.get(board_meeting.get_absolute_url())
    assert response.text.count('<tr id="attendance-') == board_meeting.invitations.count()
    assert len(many) == len(few)


def test_attendance_with_htmx_updates_the_row_and_the_quorum(
    client: Client, board_meeting: Meeting, directors: list[Mandate], secretariat: Person
) -> None:
    login(client, secretariat)
    in_english(client)
    invitation = board_meeting.invitations.get(person=directors[0].person)
    response = client.post(
        url("attendance", board_meeting, invitation=invitation.pk),
        {"attendance": "present"},
        **HTMX,
    )
    assert response.status_code == 200
    assert response.text.strip().startswith(f'<tr id="attendance-{invitation.pk}">')
    assert 'id="quorum"' in response.text and 'hx-swap-oob="true"' in response.text
    assert "1 of the 4 needed" in response.text
    invitation.refresh_from_db()
    assert invitation.attendance == "present"


def test_attendance_without_htmx_redirects_and_members_cannot_record_it(
    client: Client, board_meeting: Meeting, directors: list[Mandate], secretariat: Person
) -> None:
    invitation = board_meeting.invitations.get(person=directors[1].person)
    login(client, directors[0].person)
    assert (
        client.post(
            url("attendance", board_meeting, invitation=invitation.pk), {"attendance": "present"}
        ).status_code
        == 404
    )
    login(client, secretariat)
    response = client.post(
        url("attendance", board_meeting, invitation=invitation.pk), {"attendance": "excused"}
    )
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.attendance == "excused"


def test_a_member_of_no_body_cannot_see_a_meeting(
    client: Client, board_meeting: Meeting, org: Organisation
) -> None:
    from coopgov.bodies import actions as body_actions

    body_actions.update_body(
        None, body=board_meeting.kind.body, changes={"confidentiality": "bodies"}
    )
    stranger = make_person(org)
    from coopgov.core import actions as core_actions

    core_actions.grant_role(None, person=stranger, kind="staff")
    login(client, stranger)
    assert client.get(board_meeting.get_absolute_url()).status_code == 404


def test_convening_late_from_the_page_asks_for_the_reason_then_emails_everyone(
    client: Client,
    board_meeting_kind: MeetingKind,
    directors: list[Mandate],
    secretariat: Person,
    django_capture_on_commit_callbacks: object,
) -> None:
    soon = (datetime.datetime.now(tz=datetime.UTC) + datetime.timedelta(days=2)).replace(
        microsecond=0
    )
    meeting = actions.schedule_meeting(
        None,
        kind=board_meeting_kind,
        title="Conseil extraordinaire",
        starts_at=soon,
        ends_at=soon + datetime.timedelta(hours=2),
        venue="Siège",
        address="Rue Coenraets 72, 1060 Saint-Gilles",
    )
    actions.add_to_agenda(None, meeting=meeting, title="Offre de rachat", purpose="decision")
    login(client, secretariat)
    in_english(client)
    refused = client.post(url("convene", meeting), {"convene-urgency_reason": ""})
    assert refused.status_code == 400
    assert "Late convocation" in refused.context["convene_form"].errors["urgency_reason"][0]
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        accepted = client.post(
            url("convene", meeting), {"convene-urgency_reason": "The offer expires on Friday."}
        )
    assert accepted.status_code == 302
    assert len(mail.outbox) == meeting.invitations.count() == 7
    message = mail.outbox[0]
    assert "Offre de rachat" in message.body and "The offer expires on Friday." in message.body
    name, content, mimetype = message.attachments[0]
    assert name == "invitation.ics" and mimetype.startswith("text/calendar")
    calendar = Calendar.from_ical(content)
    assert calendar["method"] == "REQUEST"
    event = calendar.walk("VEVENT")[0]
    assert str(event["uid"]) == f"{meeting.code}@coopgov"
    assert event.decoded("dtstart") == meeting.starts_at
    assert "Rue Coenraets 72" in str(event["location"])


def test_the_convocation_is_in_each_invitee_s_language(
    board_meeting: Meeting, directors: list[Mandate], django_capture_on_commit_callbacks: object
) -> None:
    from coopgov.core import actions as core_actions

    dutch = directors[0].person
    core_actions.update_person(None, person=dutch, changes={"preferred_language": "nl"})  # type: ignore[arg-type]
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        actions.convene(None, meeting=board_meeting, now=at(2024, 3, 1))
    subjects = {message.to[0]: message.subject for message in mail.outbox}
    assert subjects[dutch.email].startswith("Oproeping")
    assert subjects[directors[1].person.email].startswith("Convocation")


def test_a_seminar_refuses_a_decision_item_on_the_page(
    client: Client, seminar: Meeting, secretariat: Person
) -> None:
    login(client, secretariat)
    in_english(client)
    response = client.post(
        url("item_add", seminar),
        {
            "item-title": "Adopt the variants",
            "item-purpose": "decision",
            "item-duration_minutes": 30,
        },
    )
    assert response.status_code == 400
    assert "Non-deciding meeting" in response.context["item_form"].errors["purpose"][0]
    assert '<article id="card-item">\n      <details open>' in response.text  # shown open
    assert not seminar.items.exists()


def test_the_secretariat_s_forms_load_when_opened(
    client: Client, board_meeting: Meeting, secretariat: Person, directors: list[Mandate]
) -> None:
    login(client, secretariat)
    in_english(client)
    page = client.get(board_meeting.get_absolute_url())
    assert 'hx-get="?form=item"' in page.text and 'id="id_item-title"' not in page.text
    assert page.context["shown_forms"] == {""}
    fragment = client.get(
        board_meeting.get_absolute_url(), {"form": "item"}, headers={"HX-Request": "true"}
    )
    assert fragment.text.lstrip().startswith("<form") and 'id="id_item-title"' in fragment.text
    assert "<html" not in fragment.text
    without_htmx = client.get(board_meeting.get_absolute_url(), {"form": "session"})
    assert "<html" in without_htmx.text and 'id="id_session-title"' in without_htmx.text
    assert '<article id="card-session">\n      <details open>' in without_htmx.text
    assert client.get(board_meeting.get_absolute_url(), {"form": "nothing"}).status_code == 404
    login(client, directors[0].person)  # a director reads the page, but has no such forms
    assert client.get(board_meeting.get_absolute_url(), {"form": "item"}).status_code == 404


def test_a_director_proposes_an_item_and_the_secretariat_accepts_it(
    client: Client, board_meeting: Meeting, directors: list[Mandate], secretariat: Person
) -> None:
    login(client, directors[0].person)
    client.post(
        url("item_add", board_meeting),
        {
            "item-title": "Coworking in Liège",
            "item-purpose": "discussion",
            "item-duration_minutes": 20,
        },
    )
    item = board_meeting.items.get()
    assert item.status == AgendaItem.Status.PROPOSED
    login(client, secretariat)
    client.post(url("item_decide", board_meeting, item=item.pk), {"accept": "1"})
    item.refresh_from_db()
    assert item.status == AgendaItem.Status.ACCEPTED


def test_an_invitee_answers_and_declares_a_conflict(
    client: Client, board_meeting: Meeting, directors: list[Mandate]
) -> None:
    item = actions.add_to_agenda(
        None, meeting=board_meeting, title="Supplier contract", purpose="decision"
    )
    login(client, directors[0].person)
    client.post(url("answer", board_meeting), {"answer-answer": "remote"})
    assert (
        board_meeting.invitations.get(person=directors[0].person).answer == Invitation.Answer.REMOTE
    )
    client.post(url("conflict", board_meeting, item=item.pk), {"justification": "My firm bids."})
    assert item.conflicts.get().person == directors[0].person
    page = client.get(board_meeting.get_absolute_url())
    assert "My firm bids." in page.text


def test_minutes_from_the_page_drafted_edited_approved_and_corrected(
    client: Client, board_meeting: Meeting, board_meeting_kind: MeetingKind, secretariat: Person
) -> None:
    actions.add_to_agenda(None, meeting=board_meeting, title="Budget", purpose="decision")
    later = actions.schedule_meeting(
        None,
        kind=board_meeting_kind,
        title="Next",
        starts_at=at(2024, 5, 14),
        ends_at=at(2024, 5, 14, 21),
    )
    login(client, secretariat)
    client.post(url("minutes", board_meeting), {"step": "draft"})
    minutes = Minutes.objects.get(meeting=board_meeting)
    section = minutes.sections.get()
    client.post(
        url("minutes", board_meeting),
        {"step": "section", "section": section.pk, "text": "Adopted unanimously."},
    )
    client.post(url("minutes", board_meeting), {"step": "approve", "at": later.pk})
    minutes.refresh_from_db()
    assert minutes.is_locked and minutes.sections.get().text == "Adopted unanimously."
    client.post(
        url("minutes", board_meeting),
        {"step": "section", "section": section.pk, "text": "Rewritten"},
    )
    assert minutes.sections.get().text == "Adopted unanimously."
    client.post(url("minutes", board_meeting), {"step": "erratum", "text": "Read 'by 6 votes'."})
    assert minutes.errata.count() == 1


def test_the_ics_download_is_a_valid_calendar(
    client: Client, board_meeting: Meeting, directors: list[Mandate]
) -> None:
    login(client, directors[0].person)
    response = client.get(url("ics", board_meeting))
    assert response["Content-Type"].startswith("text/calendar")
    event = Calendar.from_ical(response.content).walk("VEVENT")[0]
    assert str(event["summary"]) == board_meeting.title


def test_the_programme_page_reads_day_by_day(
    client: Client, seminar: Meeting, secretariat: Person
) -> None:
    actions.add_session(
        None,
        meeting=seminar,
        starts_at=at(2024, 1, 24, 9),
        ends_at=at(
            2024,
            1,
            24,
            10,
        ),
        kind="news_round",
        title="News from the directions",
    )
    actions.add_session(
        None,
        meeting=seminar,
        starts_at=at(2024, 1, 25, 9),
        ends_at=at(2024, 1, 25, 12),
        kind="workshop",
        title="Service design",
    )
    login(client, secretariat)
    response = client.get(url("programme", seminar))
    assert response.status_code == 200
    assert response.text.count('class="programme-day"') == 2
    assert "Monceau-Fontaine" in response.text


def test_planning_a_meeting_from_the_page_invites_the_members(
    client: Client, board_meeting_kind: MeetingKind, directors: list[Mandate], secretariat: Person
) -> None:
    login(client, secretariat)
    response = client.post(
        reverse("meetings:new", args=[board_meeting_kind.organisation.code]),
        {
            "kind": board_meeting_kind.pk,
            "title": "Conseil de mai",
            "starts_at": "2024-05-14T18:00",
            "ends_at": "2024-05-14T21:00",
        },
    )
    meeting = Meeting.objects.get(title="Conseil de mai")
    assert response["Location"] == meeting.get_absolute_url()
    assert meeting.invitations.count() == 7


def test_calendar_links_follow_their_owner_and_can_be_revoked(
    client: Client, board_meeting: Meeting, seminar: Meeting, directors: list[Mandate]
) -> None:
    from coopgov.meetings.models import CalendarFeed

    director = directors[0].person
    login(client, director)
    feeds_page = reverse("meetings:feeds", args=[board_meeting.organisation.code])
    client.post(feeds_page, {"body": ""})
    client.post(feeds_page, {"body": "ca"})
    client.post(feeds_page, {"body": ""})  # the same link again, not a second one
    assert CalendarFeed.objects.filter(owner=director).count() == 2
    own = CalendarFeed.objects.get(owner=director, body__isnull=True)
    client.logout()
    response = client.get(own.get_absolute_url())  # no login: the secret link is the key
    assert response.status_code == 200
    events = Calendar.from_ical(response.content).walk("VEVENT")
    assert {str(e["uid"]) for e in events} == {
        f"{board_meeting.code}@coopgov",
        f"{seminar.code}@coopgov",
    }
    assert client.get("/calendars/not-a-token.ics").status_code == 404
    login(client, director)
    client.post(feeds_page, {"close": own.pk})
    client.logout()
    assert client.get(own.get_absolute_url()).status_code == 404


def test_a_body_feed_stops_when_its_owner_loses_the_right_to_see_the_body(
    client: Client, board_meeting: Meeting, directors: list[Mandate]
) -> None:
    from coopgov.bodies import actions as body_actions
    from coopgov.meetings import actions as meeting_actions

    director = directors[0].person
    login(client, director)
    feed = meeting_actions.open_calendar_feed(director, body=board_meeting.kind.body)
    client.logout()
    assert client.get(feed.get_absolute_url()).status_code == 200
    body_actions.update_body(
        None, body=board_meeting.kind.body, changes={"confidentiality": "restricted"}
    )
    assert client.get(feed.get_absolute_url()).status_code == 404


def test_a_series_from_the_page_then_one_meeting_moved(
    client: Client, board_meeting_kind: MeetingKind, directors: list[Mandate], secretariat: Person
) -> None:
    org = board_meeting_kind.organisation.code
    login(client, secretariat)
    client.post(
        reverse("meetings:new", args=[org]),
        {
            "kind": board_meeting_kind.pk,
            "title": "CA",
            "starts_at": "2025-01-14T18:00",
            "ends_at": "2025-01-14T21:00",
            "repeat_every_months": 2,
            "repeat_count": 6,
        },
    )
    meetings = list(Meeting.objects.filter(title="CA").order_by("starts_at"))
    assert len(meetings) == 6 and meetings[0].series is not None
    moved = meetings[1]
    client.post(
        url("move", moved),
        {"move-starts_at": "2025-03-18T18:00", "move-ends_at": "2025-03-18T21:00"},
    )
    moved.refresh_from_db()
    assert moved.starts_at == at(2025, 3, 18)
    calendar = client.get(reverse("meetings:list", args=[org]), {"body": "ca", "year": "2025"})
    assert [m.pk for m in calendar.context["page"]] == [
        m.pk for m in Meeting.objects.filter(title="CA").order_by("starts_at")
    ]


def test_recurring_items_from_the_page(
    client: Client, board_meeting_kind: MeetingKind, secretariat: Person, plain_member: Person
) -> None:
    org = board_meeting_kind.organisation.code
    login(client, plain_member)
    assert client.get(reverse("meetings:recurring", args=[org])).status_code == 404
    login(client, secretariat)
    client.post(
        reverse("meetings:recurring", args=[org]),
        {
            "kind": board_meeting_kind.pk,
            "title": "Budget",
            "purpose": "decision",
            "months": [10, 11],
        },
    )
    meeting = actions.schedule_meeting(
        None,
        kind=board_meeting_kind,
        title="Oct",
        starts_at=at(2025, 10, 14),
        ends_at=at(2025, 10, 14, 21),
    )
    assert list(meeting.items.values_list("title", flat=True)) == ["Budget"]
