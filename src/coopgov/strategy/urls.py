from __future__ import annotations

from django.urls import path

from coopgov.strategy import views

app_name = "strategy"

urlpatterns = [
    path("strategy/", views.plan_list, name="plans"),
    path("strategy/new/", views.plan_new, name="plan_new"),
    path("strategy/updates/", views.update_list, name="updates"),
    path("strategy/updates/new/", views.update_new, name="update_new"),
    path("strategy/workstreams/<uuid:code>/", views.workstream_detail, name="workstream"),
    path("strategy/workstreams/<uuid:code>/milestones/", views.milestone_add, name="milestone_add"),
    path(
        "strategy/workstreams/<uuid:code>/milestones/<int64:pk>/reached/",
        views.milestone_reach,
        name="milestone_reach",
    ),
    path("strategy/workstreams/<uuid:code>/indicators/", views.indicator_add, name="indicator_add"),
    path("strategy/workstreams/<uuid:code>/values/", views.value_add, name="value_add"),
    path("strategy/workstreams/<uuid:code>/links/", views.link, name="link"),
    path("strategy/reviews/<uuid:code>/", views.review_detail, name="review"),
    path(
        "strategy/reviews/<uuid:code>/axes/<int64:axis>/", views.review_answer, name="review_answer"
    ),
    path("strategy/reviews/<uuid:code>/conclude/", views.review_conclude, name="review_conclude"),
    path("strategy/<uuid:code>/", views.plan_detail, name="plan"),
    path("strategy/<uuid:code>/changes/", views.plan_changes, name="changes"),
    path("strategy/<uuid:code>/axes/", views.axis_add, name="axis_add"),
    path("strategy/<uuid:code>/objectives/", views.objective_add, name="objective_add"),
    path("strategy/<uuid:code>/workstreams/", views.workstream_add, name="workstream_add"),
    path("strategy/<uuid:code>/remove/", views.remove, name="remove"),
    path("strategy/<uuid:code>/edit/", views.edit, name="edit"),
    path("strategy/<uuid:code>/approve/", views.approve, name="approve"),
    path("strategy/<uuid:code>/derive/", views.derive, name="derive"),
    path("strategy/<uuid:code>/reviews/", views.review_new, name="review_new"),
    path(
        "meetings/<uuid:meeting>/sessions/<int64:session>/news/",
        views.gather_news,
        name="gather_news",
    ),
]
