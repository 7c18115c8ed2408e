"""Public pages and derived figures cached under the data version (``evaluations.dataversion``).

Data changes a few times a year and every change raises the data version in the same
transaction, so a cache entry keyed on it never needs invalidating: after a publish the next
request reads the new number and looks up new keys. Keys also carry the release (a hash of the
code and templates), so a deploy never serves pages that older code rendered.

- ``@public_page`` marks a view whose answer is the same for every anonymous visitor;
  ``PublicPageCacheMiddleware`` then stores its 200 answers, compressed, answers conditional
  requests with 304 and sets ``Cache-Control: public``. Nothing is stored or marked public for a
  visitor with a session (staff), nor for an answer that sets a cookie, varies on cookies, uses
  a CSRF token, streams, or is not a 200.
- ``@per_data_version`` caches what a keyword-only function computes from public data (means,
  rankings), shared by every page and worker that uses the cache.
- ``versioned`` gives a view that is not stored whole (the API) the same validators and 304.

The data version itself comes from the process's memory while no change was committed
(``dataversion.latest``): a stored page costs no query.
"""

import contextvars
import functools
import hashlib
import logging
import os
from collections.abc import Callable
from datetime import UTC, datetime
from typing import ParamSpec, TypeVar, overload

from django.conf import settings
from django.core.cache import caches
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date, parse_http_date

from evaluations import dataversion

from .compression import chosen_encoding

logger = logging.getLogger(__name__)

P = ParamSpec("P")
R = TypeVar("R")

CACHE_ALIAS = "default"
FIGURES_ALIAS = "figures"
# Source that renders pages: a change to any of these is a new release.
RELEASE_SUFFIXES = (".py", ".html", ".css", ".js", ".mo", ".json", ".svg", ".txt")
RELEASE_DIRS = ("comparisons", "evaluations", "kompass_site", "templates", "static", "locale")


@functools.cache
def release() -> tuple[str, datetime]:
    """A hash of the code, templates, translations and static files, and when the newest of
    them changed (the earliest honest Last-Modified of a page). ``KOMPASS_RELEASE`` overrides
    the hash, for deployments that name their releases."""
    digest = hashlib.sha256()
    newest = 0.0
    for top in RELEASE_DIRS:
        for path in sorted((settings.BASE_DIR / top).rglob("*")):
            if path.suffix not in RELEASE_SUFFIXES or not path.is_file():
                continue
            if "migrations" in path.parts or "__pycache__" in path.parts:
                continue
            digest.update(str(path.relative_to(settings.BASE_DIR)).encode())
            digest.update(path.read_bytes())
            newest = max(newest, path.stat().st_mtime)
    name = os.environ.get("KOMPASS_RELEASE") or digest.hexdigest()[:16]
    return name, datetime.fromtimestamp(newest or 0, tz=UTC)


# --- The data version, read once per request ---------------------------------------------------

_request_version: contextvars.ContextVar[dict | None] = contextvars.ContextVar(
    "kompass_request_version", default=None
)


def data_version() -> dataversion.Version:
    """The data version: once per request (the first time something asks), and on every call
    outside a request; from the process's memory while no change was committed
    (``dataversion.latest``), so a cached page costs no query."""
    memo = _request_version.get()
    if memo is None:
        return dataversion.latest()
    if "version" not in memo:
        memo["version"] = dataversion.latest()
    return memo["version"]


def _version_token(version: dataversion.Version) -> str:
    # The time as well as the number: a number raised inside a transaction that rolled back is
    # raised again by the next change, at another time.
    return f"{release()[0]}:{version.number}:{version.changed_at.timestamp():.6f}"


# --- Derived figures ----------------------------------------------------------------------------

_MISSING = object()


@overload
def per_data_version(func: Callable[P, R], /) -> Callable[P, R]: ...


@overload
def per_data_version(
    *, any_language: bool = False
) -> Callable[[Callable[P, R]], Callable[P, R]]: ...


def per_data_version(func=None, /, *, any_language=False):
    """Cache a keyword-only function of public data under the data version.

    The keyword arguments are part of the key (keep them small: ids, codes, flags); the value
    is pickled, so callers get their own copy. The active language is part of the key too, as a
    figure may carry translated labels, unless ``any_language``: ids, numbers and names taken
    from the data are the same in every language, and are then computed once for all."""
    if func is None:
        return functools.partial(per_data_version, any_language=any_language)
    name = f"{func.__module__}.{func.__qualname__}"

    @functools.wraps(func)
    def cached(*args, **kwargs):
        if args:
            raise TypeError(f"{name} takes keyword arguments only")
        arguments = ",".join(f"{key}={kwargs[key]!r}" for key in sorted(kwargs))
        if not any_language:
            arguments += f";{translation.get_language()}"
        key = f"derived:{_version_token(data_version())}:{name}:{_digest(arguments)}"
        value = _cache_get(key, _MISSING, alias=FIGURES_ALIAS)
        if value is _MISSING:
            value = func(**kwargs)
            _cache_set(key, value, settings.DERIVED_CACHE_SECONDS, alias=FIGURES_ALIAS)
        return value

    cached.uncached = func  # type: ignore[attr-defined]
    return cached


def _cache_get(key: str, default=None, *, alias: str = CACHE_ALIAS):
    # A cache that is down (Redis restarting) is a miss, never an error page.
    try:
        return caches[alias].get(key, default)
    except Exception:
        logger.warning("cache unavailable: get %s", key, exc_info=True)
        return default


def _cache_set(key: str, value, timeout: int | None = None, *, alias: str = CACHE_ALIAS) -> None:
    try:
        caches[alias].set(key, value, timeout or settings.PAGE_CACHE_SECONDS)
    except Exception:
        logger.warning("cache unavailable: set %s", key, exc_info=True)


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:32]


# --- Whole public pages -------------------------------------------------------------------------

PUBLIC_ATTRIBUTE = "kompass_public_page"


def public_page(view: Callable[P, R]) -> Callable[P, R]:
    """Mark a view as public: the same answer for every visitor without a session, so it may be
    cached whole (server side and by browsers and proxies) under the data version."""
    setattr(view, PUBLIC_ATTRIBUTE, True)
    return view


def _is_public(request: HttpRequest) -> bool:
    try:
        match = resolve(request.path_info, getattr(request, "urlconf", None))
    except Resolver404:
        return False
    return getattr(match.func, PUBLIC_ATTRIBUTE, False)


def _language(request: HttpRequest) -> str:
    # LocaleMiddleware, above this one, has activated the address's language.
    return translation.get_language()


def _shareable(request: HttpRequest, response: HttpResponseBase) -> bool:
    """A 200 that is the same for every visitor: nothing set or read that is theirs."""
    return (
        response.status_code == 200
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not request.META.get("CSRF_COOKIE_USED")
        and "cookie" not in response.get("Vary", "").lower()
        and "private" not in response.get("Cache-Control", "")
        and "no-store" not in response.get("Cache-Control", "")
    )


# Headers that belong to one answer, not to the stored page.
_NOT_STORED = {"date", "server", "set-cookie", "connection", "keep-alive", "transfer-encoding"}


class PublicPageCacheMiddleware:
    """Serves ``@public_page`` views from the cache, keyed on everything that changes the page:
    the release, the data version, the absolute URL (scheme, host, path, query string), the
    language and the compression. Sits above the compression middleware, so that a hit costs
    neither rendering nor compressing; no query at all while the data version is unchanged
    (``dataversion.latest``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        token = _request_version.set({})
        try:
            return self._answer(request)
        finally:
            _request_version.reset(token)

    def _answer(self, request: HttpRequest) -> HttpResponseBase:
        if request.method not in ("GET", "HEAD") or not _is_public(request):
            return self.get_response(request)
        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            # Staff (or anyone logged in): the page itself, never stored, never shared.
            response = self.get_response(request)
            patch_cache_control(response, private=True, no_cache=True)
            return response

        try:
            version = data_version()
        except DatabaseError:
            # The database is down: the view answers as it does then (a 503 page), unstored.
            return self.get_response(request)
        page = _page_token(request, version)
        headers = _public_headers(page, version)
        probe = HttpResponse()
        for name, value in headers.items():
            probe[name] = value
        conditional = _not_modified(request, headers, probe)
        if conditional is not probe:
            return conditional  # 304 Not Modified (or 412), with the same validators

        key = f"page:{_digest(page + chosen_encoding(request))}"
        stored = _cache_get(key)
        if stored is not None:
            status, stored_headers, content = stored
            response = HttpResponse(content, status=status)
            for name, value in stored_headers:
                response[name] = value
            return response

        response = self.get_response(request)
        if not _shareable(request, response):
            return response
        for name, value in headers.items():
            if name == "Vary":
                patch_vary_headers(response, value.split(", "))
            else:
                response[name] = value
        if not response.streaming:  # downloads stream: validators and Cache-Control only
            stored_headers = [
                (name, value) for name, value in response.items() if name.lower() not in _NOT_STORED
            ]
            _cache_set(key, (response.status_code, stored_headers, response.content))
        return response


# --- Validators: one ETag and Last-Modified for everything that follows the data version -------


def _page_token(request: HttpRequest, version: dataversion.Version) -> str:
    return "\n".join((_version_token(version), request.build_absolute_uri(), _language(request)))


def _public_headers(
    page: str, version: dataversion.Version, max_age: int | None = None
) -> dict[str, str]:
    seconds = settings.PUBLIC_MAX_AGE if max_age is None else max_age
    last_modified = max(version.changed_at, release()[1])
    vary = ["Accept-Encoding"]
    if "django.middleware.locale.LocaleMiddleware" in settings.MIDDLEWARE:
        vary.append("Accept-Language")
    return {
        "ETag": f'W/"{_digest(page)}"',
        "Last-Modified": http_date(last_modified.timestamp()),
        "Cache-Control": f"public, max-age={seconds}, s-maxage={seconds}",
        "Vary": ", ".join(vary),
    }


def _not_modified(request: HttpRequest, headers: dict[str, str], response=None):
    return get_conditional_response(
        request,
        etag=headers["ETag"],
        last_modified=int(parse_http_date(headers["Last-Modified"])),
        response=response,
    )


def versioned(max_age: int | None = None):
    """The page cache's validators (and its 304) for a view that follows the data version but
    is not stored whole: the API, whose every request counts against its rate limit."""

    def decorate(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            version = data_version()
            headers = _public_headers(_page_token(request, version), version, max_age)
            response = _not_modified(request, headers) or view(request, *args, **kwargs)
            if response.status_code in (200, 304):
                for name, value in headers.items():
                    if name == "Vary":
                        patch_vary_headers(response, value.split(", "))
                    else:
                        response[name] = value
            return response

        return wrapped

    return decorate
