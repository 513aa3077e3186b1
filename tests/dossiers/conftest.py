from __future__ import annotations

from tests.meetings.conftest import (  # noqa: F401 - fixtures shared with meetings
    assembly,
    board,
    board_meeting,
    board_meeting_kind,
    directors,
    observer,
    seminar,
    seminar_kind,
)
