from datetime import datetime, timedelta

import pytest
from django.db import OperationalError
from django.test import override_settings
from django.utils import timezone

from kompass_site.views import server_error


def test_a_database_error_outside_a_view_is_a_503_and_anything_else_a_500(rf):
    try:
        raise OperationalError("connection to server failed: Connection refused")
    except OperationalError:
        response = server_error(rf.get("/kommun/lulea/"))
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "tillfälligt otillgänglig" in response.content.decode()
    try:
        raise ValueError("a bug")
    except ValueError:
        response = server_error(rf.get("/kommun/lulea/"))
    assert response.status_code == 500
    assert "Något gick fel" in response.content.decode()


@pytest.mark.django_db
def test_healthz_answers_ok_when_the_database_answers(client):
    response = client.get("/healthz")
    assert (response.status_code, response.content) == (200, b"ok\n")
    assert not response.cookies


@pytest.mark.django_db
@override_settings(
    SECURITY_CONTACTS=["mailto:security@kompass.example.se", "https://kompass.example.se/sakerhet"]
)
def test_security_txt_names_the_contacts_and_expires_within_a_year(client):
    response = client.get("/.well-known/security.txt", HTTP_HOST="testserver")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    fields = dict(line.split(": ", 1) for line in response.content.decode().splitlines())
    lines = response.content.decode().splitlines()
    assert lines[:2] == [
        "Contact: mailto:security@kompass.example.se",
        "Contact: https://kompass.example.se/sakerhet",
    ]
    expires = datetime.fromisoformat(fields["Expires"])
    assert timezone.now() + timedelta(days=30) < expires < timezone.now() + timedelta(days=365)
    assert fields["Preferred-Languages"] == "sv, en"
    assert fields["Canonical"] == "http://testserver/.well-known/security.txt"


@pytest.mark.django_db
@override_settings(SECURITY_CONTACTS=[])
def test_security_txt_without_a_contact_is_not_found(client):
    assert client.get("/.well-known/security.txt").status_code == 404
