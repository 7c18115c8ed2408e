"""ETag and Last-Modified for API answers: every answer is a function of the data version, so
a client that sends back the ETag or the date gets a 304 without a query beyond the version's."""

from functools import wraps

from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date

from evaluations import dataversion

MAX_AGE = 60  # seconds a client or proxy may reuse an answer without asking


def data_etag(version: dataversion.Version) -> str:
    # Weak: GZipMiddleware changes the bytes, not the meaning. The time as well as the number:
    # a database made anew counts from 1 again, with other data.
    return f'W/"data-{version.number}-{int(version.changed_at.timestamp() * 1e6)}"'


def conditional(run):
    """Wraps a ninja operation's run(request, ...)."""

    @wraps(run)
    def wrapped(request, *args, **kwargs):
        version = dataversion.current()
        etag = data_etag(version)
        last_modified = int(version.changed_at.timestamp())
        not_modified = get_conditional_response(request, etag=etag, last_modified=last_modified)
        response = not_modified or run(request, *args, **kwargs)
        if response.status_code in (200, 304):
            response.headers["ETag"] = etag
            response.headers["Last-Modified"] = http_date(last_modified)
            patch_cache_control(response, public=True, max_age=MAX_AGE)
        return response

    return wrapped
