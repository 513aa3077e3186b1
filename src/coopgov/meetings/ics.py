"""iCalendar files of meetings (RFC 5545), written with the icalendar library."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, vText

from coopgov.core.hygiene import one_line
from coopgov.meetings.models import Meeting


def _location(meeting: Meeting) -> str:
    return one_line(", ".join(part for part in (meeting.venue, meeting.address) if part))


def calendar(meetings: Iterable[Meeting], *, name: str, method: str | None = None) -> bytes:
    """A calendar with one event per meeting; the UID stays the same when a meeting moves.
    Whatever a stored title holds, the file is written: names and summaries are put on one
    line (a line break is a summary's end for most calendars, and icalendar refuses a raw one
    in an X- property), and every text is escaped and folded by icalendar (RFC 5545 3.3.11)."""
    cal = Calendar()
    cal.add("prodid", "-//coopgov//meetings//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", vText(one_line(name)))
    if method:
        cal.add("method", method)
    for meeting in meetings:
        event = Event()
        event.add("uid", f"{meeting.code}@coopgov")
        event.add("dtstamp", timezone.now())
        event.add("dtstart", meeting.starts_at)
        event.add("dtend", meeting.ends_at)
        event.add("summary", one_line(meeting.title))
        if location := _location(meeting):
            event.add("location", location)
        event.add("url", settings.SITE_URL.rstrip("/") + meeting.get_absolute_url())
        event.add(
            "status", "CANCELLED" if meeting.status == Meeting.Status.CANCELLED else "CONFIRMED"
        )
        cal.add_component(event)
    return cal.to_ical()
