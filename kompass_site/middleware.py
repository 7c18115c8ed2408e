from functools import wraps

from django.conf import settings
from django.core.exceptions import BadRequest
from django.shortcuts import render

from kompass_site.views import DATABASE_DOWN, database_unavailable

# plotly.js injects <style> elements at run time, hence 'unsafe-inline' for styles only.
DEFAULT_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; font-src 'self'; connect-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


NO_FRAMING = "frame-ancestors 'none'"


def frameable(view):
    """Lets other sites show this view in an <iframe> (the embeds): X-Frame-Options is left
    off and CSP's frame-ancestors allows any site, for this view's responses alone."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response.xframe_options_exempt = True
        response.frameable = True
        return response

    return wrapped


class ContentSecurityPolicyMiddleware:
    """Sets a strict Content-Security-Policy header (Django 5.2 has no built-in CSP)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = getattr(settings, "CONTENT_SECURITY_POLICY", DEFAULT_POLICY)
        self.frameable_policy = self.policy.replace(NO_FRAMING, "frame-ancestors *")

    def __call__(self, request):
        response = self.get_response(request)
        policy = self.frameable_policy if getattr(response, "frameable", False) else self.policy
        response.headers.setdefault("Content-Security-Policy", policy)
        return response


class RejectControlCharactersMiddleware:
    """Answers 400 to an address with control characters (a NUL, an escape) in its path or query.

    No link of ours makes one, PostgreSQL refuses a NUL in a query parameter, and forms would
    echo them back into the page; refusing them here keeps every view from having to."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        texts = [request.path]
        for key, values in request.GET.lists():
            texts.append(key)
            texts.extend(values)
        if any(_has_control_character(text) for text in texts):
            raise BadRequest("control character in the address")
        return self.get_response(request)


def _has_control_character(text: str) -> bool:
    return any(ord(char) < 32 or ord(char) == 127 for char in text)


class DatabaseUnavailableMiddleware:
    """A view that finds the database down answers 503 "tillfälligt otillgänglig" with
    Retry-After, not a 500 with a traceback (errors outside views: ``views.server_error``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DATABASE_DOWN):
            return database_unavailable(request, exception)
        return None


class RequestSizeLimitMiddleware:
    """Answers 413 to a body over ``MAX_REQUEST_BYTES`` from its Content-Length, before any of
    it is read. Django would parse a multipart body first, spooling its files to disk, and only
    then could a form refuse them. (Without a Content-Length Django reads no body at all.)"""

    def __init__(self, get_response):
        self.get_response = get_response
        self.limit = settings.MAX_REQUEST_BYTES

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            raise BadRequest("invalid Content-Length") from None
        if length > self.limit:
            context = {"limit_mb": self.limit // (1024 * 1024)}
            return render(request, "413.html", context, status=413)
        return self.get_response(request)


class PermissionsPolicyMiddleware:
    """Refuses the browser features that no page uses (``settings.PERMISSIONS_POLICY``)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = settings.PERMISSIONS_POLICY

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.policy)
        return response
