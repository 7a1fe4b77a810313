"""Middleware of the whole site."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest


def reject_nul(get_response: Callable[[HttpRequest], HttpResponse]):
    """A NUL character in the path or a GET parameter is never meaningful here, and
    PostgreSQL refuses it in any query (a DataError, hence a 500, wherever it reached the
    database): answer 400 before any view runs."""

    def middleware(request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path or any(
            "\x00" in key or any("\x00" in value for value in values)
            for key, values in request.GET.lists()
        ):
            return HttpResponseBadRequest(
                "A NUL character is not allowed in a URL.", content_type="text/plain"
            )
        return get_response(request)

    return middleware
