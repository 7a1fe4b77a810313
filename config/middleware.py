"""Middleware of the whole site."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse

MESSAGE = "A NUL character is not allowed in a URL."


def reject_nul(get_response: Callable[[HttpRequest], HttpResponse]):
    """A NUL character in the path or a GET parameter is never meaningful here, and
    PostgreSQL refuses it in any query (a DataError, hence a 500, wherever it reached the
    database): refuse it before any view runs. The API answers as it documents its invalid
    parameters (422 with a JSON detail); pages answer 400."""

    def middleware(request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path or any(
            "\x00" in key or any("\x00" in value for value in values)
            for key, values in request.GET.lists()
        ):
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": MESSAGE}, status=422)
            return HttpResponseBadRequest(MESSAGE, content_type="text/plain")
        return get_response(request)

    return middleware
