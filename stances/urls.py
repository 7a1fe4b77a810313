from django.urls import path, register_converter

from . import groups, indexes, views
from .converters import Iso2Converter

register_converter(Iso2Converter, "iso2")

app_name = "stances"
urlpatterns = [
    path("", views.home, name="home"),
    path("t/<slug:topic_slug>/", views.overview, name="overview"),
    path("t/<slug:topic_slug>/changes/", views.topic_changes, name="topic_changes"),
    path("t/<slug:topic_slug>/<iso2:iso2>/", views.country_timeline, name="country"),
    path("stances/<int:pk>/", views.stance_detail, name="stance"),
    path("stances/<int:pk>/changes/", views.stance_changes, name="stance_changes"),
    path("actors/", indexes.actor_index, name="actors"),
    path("actors/<slug:slug>/", views.actor_detail, name="actor"),
    path("articles/", indexes.article_index, name="articles"),
    path("articles/<int:pk>/", views.article_detail, name="article"),
    path("search/", views.search, name="search"),
    path("groups/", groups.group_index, name="groups"),
]
