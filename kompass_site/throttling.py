"""Staff login throttling with django-axes (settings: AXES_*): who is asking, and the page a
locked-out login gets."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from ninja.throttling import BaseThrottle


def client_ip(request: HttpRequest) -> str:
    """The client as the API's rate limit sees it: behind NUM_PROXIES proxies (nginx: 1) the
    X-Forwarded-For entry the nearest one set, else the connection's own address. One rule
    for both throttles, django-ninja's."""
    return BaseThrottle().get_ident(request) or ""


def lockout_response(request: HttpRequest, original_response=None, credentials=None):
    """429 with a Swedish page: how many failures, for how long, and who can lift it."""
    context = {
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "lockout_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
        "title": "",
    }
    response: HttpResponse = render(request, "admin/lockout.html", context, status=429)
    response["Retry-After"] = str(int(settings.AXES_COOLOFF_TIME.total_seconds()))
    return response
