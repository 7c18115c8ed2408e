"""Schemathesis against the API's own OpenAPI schema: generated requests, valid and invalid,
through the whole Django stack (WSGI, every middleware): no server error, and every answer
(status, headers, content type, body) as the schema says. Bounded to keep CI fast."""

import pytest
import schemathesis
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

from api.main import api

# The schema as /api/v1/openapi.json serves it (tests/test_api.py checks that it is served);
# schemathesis.pytest.from_fixture does not run on pytest 9.
schema = schemathesis.openapi.from_dict(api.get_openapi_schema())
schema.app = get_wsgi_application()


@pytest.fixture
def api_data(open_data_reports, settings):  # drafts and a stated result in the data
    settings.API_RATE_LIMIT = "1000000/min"
    settings.ALLOWED_HOSTS = ["localhost"]  # schemathesis's WSGI client
    cache.clear()
    # As Django's test client does: the test's transaction holds the connection, so a request's
    # end must not close it (PostgreSQL: "the connection is closed" on the next request).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_every_answer_matches_the_schema(api_data, case):
    # The WSGI client asks for gzip but does not unpack it.
    response = case.call_and_validate(headers={"Accept-Encoding": "identity"})
    assert response.status_code < 500
