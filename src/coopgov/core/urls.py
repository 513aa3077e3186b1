from __future__ import annotations

from django.urls import path

from coopgov.core import views

app_name = "core"

urlpatterns = [
    path("", views.organisation, name="organisation"),
    path("settings/", views.organisation_edit, name="organisation_edit"),
    path("units/", views.unit_list, name="units"),
    path("units/new/", views.unit_form, name="unit_new"),
    path("units/<slug:code>/", views.unit_detail, name="unit"),
    path("units/<slug:code>/edit/", views.unit_form, name="unit_edit"),
    path("people/", views.person_list, name="people"),
    path("people/new/", views.person_form, name="person_new"),
    path("people/choices/", views.person_choices, name="person_choices"),
    path("people/<uuid:code>/", views.person_detail, name="person"),
    path("people/<uuid:code>/edit/", views.person_form, name="person_edit"),
    path("people/<uuid:code>/invite/", views.person_invite, name="person_invite"),
    path("people/<uuid:code>/roles/", views.person_grant_role, name="person_grant_role"),
    path(
        "people/<uuid:code>/roles/<slug:kind>/revoke/",
        views.person_revoke_role,
        name="person_revoke_role",
    ),
    path("members/", views.member_list, name="members"),
    path("members/new/", views.member_admit, name="member_admit"),
    path("members/<int64:number>/", views.member_detail, name="member"),
    path("members/<int64:number>/status/", views.member_status, name="member_status"),
]
