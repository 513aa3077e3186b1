from __future__ import annotations

from django.urls import path

from coopgov.bodies import views

app_name = "bodies"

urlpatterns = [
    path("bodies/", views.body_list, name="list"),
    path("bodies/map/", views.body_map, name="map"),
    path("bodies/new/", views.body_form, name="new"),
    path("bodies/<slug:code>/", views.body_detail, name="detail"),
    path("bodies/<slug:code>/edit/", views.body_form, name="edit"),
    path("bodies/<slug:code>/seats/", views.seat_rule_form, name="seat_rule"),
    path("bodies/<slug:code>/relations/", views.relation_add, name="relation_add"),
    path(
        "bodies/<slug:code>/relations/<int64:pk>/remove/",
        views.relation_remove,
        name="relation_remove",
    ),
    path("bodies/<slug:code>/appoint/", views.appoint, name="appoint"),
    path("bodies/<slug:code>/draw/", views.draw_new, name="draw_new"),
    path("mandates/<uuid:code>/", views.mandate_detail, name="mandate"),
    path("mandates/<uuid:code>/end/", views.mandate_end, name="mandate_end"),
    path("mandates/<uuid:code>/renew/", views.mandate_renew, name="mandate_renew"),
    path(
        "mandates/<uuid:code>/representative/",
        views.mandate_representative,
        name="mandate_representative",
    ),
    path("mandates/<uuid:code>/coopt/", views.mandate_coopt, name="mandate_coopt"),
    path(
        "mandates/<uuid:code>/confirmation/",
        views.confirmation_decide,
        name="confirmation_decide",
    ),
    path("draws/<uuid:code>/", views.draw_detail, name="draw"),
]
