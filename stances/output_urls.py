"""Routes of what the tracker gives out: feeds, exports, the methodology, subscriptions."""

from django.urls import path

from . import chart_files, embeds, exports, feeds, output_views

app_name = "outputs"
urlpatterns = [
    path("methodology/", output_views.methodology_default, name="methodology_default"),
    path("t/<slug:topic_slug>/methodology/", output_views.methodology, name="methodology"),
    path("subscriptions/", output_views.subscriptions, name="subscriptions"),
    path(
        "subscriptions/<int:pk>/delete/",
        output_views.subscription_delete,
        name="subscription_delete",
    ),
    path("export/stances.csv", exports.export_csv, name="export_csv"),
    path("export/stances.json", exports.export_json, name="export_json"),
    path("export/countries.csv", exports.export_countries_csv, name="export_countries_csv"),
    path("export/countries.json", exports.export_countries_json, name="export_countries_json"),
    path("export/offers.csv", exports.export_offers_csv, name="export_offers_csv"),
    path("export/offers.json", exports.export_offers_json, name="export_offers_json"),
    path("t/<slug:topic_slug>/chart.svg", chart_files.chart_svg, name="chart_svg"),
    path("t/<slug:topic_slug>/chart.png", chart_files.chart_png, name="chart_png"),
    path("embed/t/<slug:topic_slug>/chart/", embeds.embed_chart, name="embed_chart"),
    path("embed/t/<slug:topic_slug>/<iso2:iso2>/", embeds.embed_country, name="embed_country"),
    path("t/<slug:topic_slug>/feed.atom", feeds.TopicFeed(), name="topic_feed"),
    path("t/<slug:topic_slug>/changes.atom", feeds.ChangesFeed(), name="changes_feed"),
    path("t/<slug:topic_slug>/<iso2:iso2>/feed.atom", feeds.CountryFeed(), name="country_feed"),
]
