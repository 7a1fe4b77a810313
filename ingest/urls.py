from django.urls import path

from . import views

app_name = "ingest"
urlpatterns = [
    path("ingest/", views.ingest, name="ingest"),
    path("ingest/runs/<int:pk>/", views.run_detail, name="run"),
]
