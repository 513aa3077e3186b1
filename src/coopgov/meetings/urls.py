from __future__ import annotations

from django.urls import path

from coopgov.meetings import views

app_name = "meetings"

urlpatterns = [
    path("meetings/", views.meeting_list, name="list"),
    path("meetings/new/", views.meeting_new, name="new"),
    path("meetings/calendars/", views.calendar_feeds, name="feeds"),
    path("meetings/recurring/", views.recurring_items, name="recurring"),
    path("meetings/<uuid:code>/", views.meeting_detail, name="detail"),
    path("meetings/<uuid:code>/programme/", views.programme, name="programme"),
    path("meetings/<uuid:code>/minutes/", views.minutes_page, name="minutes"),
    path("meetings/<uuid:code>/meeting.ics", views.meeting_ics, name="ics"),
    path("meetings/<uuid:code>/board-book.pdf", views.board_book, name="board_book"),
    path("meetings/<uuid:code>/minutes.pdf", views.minutes_download, name="minutes_pdf"),
    path("meetings/<uuid:code>/documents/", views.document_add, name="document_add"),
    path(
        "meetings/<uuid:code>/documents/<uuid:document>/v<int64:number>/",
        views.document_download,
        name="document",
    ),
    path("meetings/<uuid:code>/sessions/", views.session_add, name="session_add"),
    path("meetings/<uuid:code>/items/", views.item_add, name="item_add"),
    path("meetings/<uuid:code>/items/<int64:item>/decide/", views.item_decide, name="item_decide"),
    path(
        "meetings/<uuid:code>/items/<int64:item>/conflict/", views.conflict_declare, name="conflict"
    ),
    path("meetings/<uuid:code>/convene/", views.convene, name="convene"),
    path("meetings/<uuid:code>/move/", views.move, name="move"),
    path("meetings/<uuid:code>/guests/", views.guest_add, name="guest_add"),
    path("meetings/<uuid:code>/answer/", views.answer, name="answer"),
    path(
        "meetings/<uuid:code>/attendance/<int64:invitation>/",
        views.attendance,
        name="attendance",
    ),
    path("meetings/<uuid:code>/proxies/", views.proxy_add, name="proxy_add"),
    path(
        "meetings/<uuid:code>/proxies/<int64:proxy>/remove/",
        views.proxy_remove,
        name="proxy_remove",
    ),
    path("meetings/<uuid:code>/outcomes/", views.outcome_add, name="outcome_add"),
]
