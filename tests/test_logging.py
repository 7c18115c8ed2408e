"""settings.LOGGING in a server process of its own: a 500 is one line with its traceback on
stderr, a 404 none (gunicorn's access line is the request's one line), LOG_LEVEL honoured."""

import subprocess
import sys

import pytest
from django.core import mail
from django.test import Client, override_settings
from django.urls import path

from kompass_site.urls import urlpatterns as site_urlpatterns
from tests.servers import ROOT, production_env


def failing_view(request):
    raise ZeroDivisionError("a bug in a view")


# The site's patterns themselves: i18n_patterns may not be include()d.
urlpatterns = [path("boom/", failing_view), *site_urlpatterns]

SCRIPT = """
import django
django.setup()
from django.test import Client
from django.test.utils import override_settings
with override_settings(ROOT_URLCONF="tests.test_logging"):
    client = Client(raise_request_exception=False)
    print(client.get("/boom/").status_code, client.get("/finns-inte/").status_code)
"""


def run_server_code(tmp_path, **env: str) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        cwd=ROOT,
        env=production_env(
            DJANGO_SETTINGS_MODULE="kompass_site.settings",
            ALLOWED_HOSTS="testserver",
            DATABASE_URL="sqlite:///:memory:",
            STATIC_ROOT=str(tmp_path),
            STATICFILES_BACKEND="django.contrib.staticfiles.storage.StaticFilesStorage",
            **env,
        ),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["500", "404"]
    return result


def test_a_500_is_logged_once_with_its_traceback_and_a_404_not_at_all(tmp_path):
    stderr = run_server_code(tmp_path, LOG_LEVEL="INFO").stderr
    assert stderr.count("ERROR django.request: Internal Server Error: /boom/") == 1, stderr
    assert "Traceback (most recent call last)" in stderr
    assert "ZeroDivisionError: a bug in a view" in stderr
    assert "finns-inte" not in stderr


def test_log_level_is_honoured(tmp_path):
    assert run_server_code(tmp_path, LOG_LEVEL="CRITICAL").stderr == ""


@pytest.mark.django_db
@override_settings(ROOT_URLCONF="tests.test_logging", ADMINS=[("drift", "drift@example.se")])
def test_a_500_is_mailed_to_the_admins_when_there_are_any():
    response = Client(raise_request_exception=False).get("/boom/")
    assert response.status_code == 500
    assert "Något gick fel" in response.content.decode()
    assert [message.to for message in mail.outbox] == [["drift@example.se"]]
    assert "ZeroDivisionError" in mail.outbox[0].body
