from __future__ import annotations

from django.urls import path

from coopgov.dossiers import views

app_name = "dossiers"

urlpatterns = [
    path("dossiers/", views.dossier_list, name="list"),
    path("dossiers/new/", views.dossier_new, name="new"),
    path("dossiers/choices/", views.dossier_choices, name="choices"),
    path("dossiers/<uuid:code>/", views.dossier_detail, name="detail"),
    path("dossiers/<uuid:code>/schedule/", views.schedule, name="schedule"),
    path("dossiers/<uuid:code>/consult/", views.consult, name="consult"),
    path("dossiers/<uuid:code>/opinions/<int64:consultation>/", views.opinion, name="opinion"),
    path("dossiers/<uuid:code>/decide/<int64:item>/", views.decide, name="decide"),
    path("dossiers/<uuid:code>/actions/", views.action_add, name="action_add"),
    path("dossiers/<uuid:code>/related/", views.relate, name="relate"),
    path(
        "meetings/<uuid:meeting>/dossier/",
        views.schedule_from_meeting,
        name="schedule_from_meeting",
    ),
    path("decisions/", views.decision_register, name="register"),
    path("actions/", views.action_list, name="actions"),
    path("resolutions/", views.resolution_list, name="resolutions"),
    path("dialogue/", views.dialogue, name="dialogue"),
    path("resolutions/<str:code>/", views.resolution_detail, name="resolution"),
]
