"""The address a request came from, as the login throttle (django-axes) must see it."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    """Behind TRUSTED_PROXY_COUNT proxies (BEHIND_TLS_PROXY: one), the client is the entry
    that many places from the right of X-Forwarded-For: each proxy appends the address it
    was reached from, and entries further left are whatever the client chose to send.
    Without proxies, or when the header is shorter than the proxies we trust, REMOTE_ADDR."""
    remote = request.META.get("REMOTE_ADDR")
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return remote
    forwarded = [
        part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if part.strip()
    ]
    if len(forwarded) < proxies:
        return remote
    return forwarded[-proxies]
