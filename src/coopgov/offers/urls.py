from __future__ import annotations

from django.urls import path

from coopgov.offers import views

app_name = "offers"

urlpatterns = [
    path("offers/", views.catalogue, name="catalogue"),
    path("offers/services/", views.service_add, name="service_add"),
    path("offers/variants/", views.offer_add, name="offer_add"),
    path("offers/variants/<slug:code>/", views.offer_detail, name="offer"),
    path("offers/variants/<slug:code>/versions/", views.version_add, name="version_add"),
    path("offers/needs/feed/", views.feed, name="feed"),
    path("offers/advising/", views.advising, name="advising"),
    path("offers/management/", views.management, name="management"),
    path("activities/", views.activity_list, name="activities"),
    path("activities/new/", views.activity_add, name="activity_new"),
    path("activities/<uuid:code>/", views.activity_detail, name="activity"),
    path("activities/<uuid:code>/stage/", views.stage, name="stage"),
    path("activities/<uuid:code>/enrol/", views.enrol, name="enrol"),
    path(
        "activities/<uuid:code>/enrolments/<int64:enrolment>/accept/", views.accept, name="accept"
    ),
    path("activities/<uuid:code>/review/", views.review, name="review"),
    path("activities/<uuid:code>/shares/", views.shares, name="shares"),
    path("activities/<uuid:code>/support/", views.support_meeting, name="support"),
    path("activities/<uuid:code>/milestones/", views.milestone_add, name="milestone_add"),
    path(
        "activities/<uuid:code>/milestones/<int64:pk>/reached/",
        views.milestone_reach,
        name="milestone_reach",
    ),
    path("activities/<uuid:code>/evaluation/", views.evaluation, name="evaluation"),
    path("activities/<uuid:code>/contributions/", views.contribution, name="contribution"),
    path("activities/<uuid:code>/payments/", views.payment, name="payment"),
    path("activities/<uuid:code>/needs/", views.need, name="need"),
    path("activities/<uuid:code>/follow/", views.follow, name="follow"),
]
