"""Site-wide answers that belong to no app: health, security.txt, the database-down page."""

import logging
import sys
from datetime import UTC, timedelta

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import Http404, HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.views import defaults
from django.views.decorators.cache import never_cache

logger = logging.getLogger("kompass.unavailable")

# Raised by the drivers when the server is down, restarting, refusing connections or
# unreachable (and by SQLite when its file cannot be opened or is locked).
DATABASE_DOWN = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30


def database_unavailable(request: HttpRequest, error: DatabaseError) -> HttpResponse:
    """503 with Retry-After and a Swedish page; one log line instead of a traceback per request."""
    logger.error("database unavailable: %s %s: %s", request.method, request.path, error)
    # Rendered without the request: context processors would reach for the session and user,
    # which live in the database that is down.
    response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    response._has_been_logged = True  # Django would log the 503 a second time
    return response


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: an error outside a view (a middleware, a session save) that is the database
    being down is a 503 too; anything else is the Swedish 500 page."""
    error = sys.exc_info()[1]
    if isinstance(error, DATABASE_DOWN):
        return database_unavailable(request, error)
    return defaults.server_error(request)


@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    """200 when the database answers, 503 when it does not; no session, no cookies."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DATABASE_DOWN as error:
        logger.error("health check: database unavailable: %s", error)
        response = HttpResponse("database unavailable\n", content_type="text/plain", status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        response._has_been_logged = True
        return response
    return HttpResponse("ok\n", content_type="text/plain")


def security_txt(request: HttpRequest) -> HttpResponse:
    """RFC 9116 security.txt. Expires is always half a year ahead: the file is made from the
    settings, which are kept current, so it is as fresh as they are."""
    if not settings.SECURITY_CONTACTS:
        raise Http404("SECURITY_CONTACT is not set")
    expires = (timezone.now() + timedelta(days=182)).replace(microsecond=0)
    lines = [f"Contact: {contact}" for contact in settings.SECURITY_CONTACTS]
    lines += [
        f"Expires: {expires.astimezone(UTC).isoformat().replace('+00:00', 'Z')}",
        "Preferred-Languages: sv, en",
        f"Canonical: {request.build_absolute_uri()}",
    ]
    response = HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = "max-age=86400"
    return response
