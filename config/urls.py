from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from stances.api import api

from . import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path(settings.ADMIN_URL, admin.site.urls),
    # Sign-in for readers (subscriptions); the admin's login admits staff only.
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(next_page="/"), name="logout"),
    path("review/", include("stances.review_urls")),
    path("api/", api.urls),
    path("", include("ingest.urls")),
    path("", include("stances.urls")),
    # After stances.urls, which registers the iso2 converter these routes use too.
    path("", include("stances.output_urls")),
]
