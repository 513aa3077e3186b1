from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from coopgov.api import api
from coopgov.core import hygiene
from coopgov.core import views as core_views
from coopgov.meetings import views as meetings_views

# <int64:…>: numbers in paths within the database's 64-bit range (the apps' URLs use it).
hygiene.register_converters()

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("calendars/<str:token>.ics", meetings_views.calendar_feed, name="calendar_feed"),
    path("i18n/setlang/", core_views.set_language, name="set_language"),
    path("me/", core_views.my_account, name="my_account"),
    path("me/tokens/<str:prefix>/revoke/", core_views.revoke_token, name="revoke_token"),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("<slug:org>/", include("coopgov.core.urls")),
    path("<slug:org>/", include("coopgov.bodies.urls")),
    path("<slug:org>/", include("coopgov.meetings.urls")),
    path("<slug:org>/", include("coopgov.dossiers.urls")),
    path("<slug:org>/", include("coopgov.strategy.urls")),
    path("<slug:org>/", include("coopgov.offers.urls")),
]
