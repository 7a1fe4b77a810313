from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from . import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path(settings.ADMIN_URL, admin.site.urls),
    path("review/", include("stances.review_urls")),
    path("", include("ingest.urls")),
    path("", include("stances.urls")),
]
