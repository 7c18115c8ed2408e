"""django-axes on the admin login: 20 failures lock an account, or an address, for 30 minutes
with a Swedish page; a locked login never reaches the password check."""

import logging
from unittest import mock

import pytest
from django.contrib.auth.models import User
from django.test import Client

from kompass_site.throttling import client_ip
from tests.conftest import EDITOR, PUBLISHER, log_in, make_user

PASSWORD = "ett-lösenord-bara-för-test"
pytestmark = pytest.mark.django_db


def attempt(username: str, password: str, *, ip: str = "192.0.2.10"):
    return Client().post(
        "/admin/login/?next=/admin/",
        {"username": username, "password": password, "next": "/admin/"},
        REMOTE_ADDR=ip,
    )


def test_twenty_wrong_passwords_lock_the_account_with_a_swedish_message():
    make_user("anna")
    statuses = [attempt("anna", f"fel-{n}").status_code for n in range(1, 21)]
    assert statuses == [200] * 19 + [429]
    locked = attempt("anna", PASSWORD)
    assert locked.status_code == 429
    page = locked.content.decode()
    assert "Inloggningen är spärrad" in page
    assert "efter 20 försök för samma konto, eller från samma adress" in page
    assert "spärras inloggningen i 30 minuter" in page
    assert locked["Retry-After"] == "1800"


def test_a_locked_login_is_refused_before_the_password_is_checked():
    make_user("anna")
    for n in range(20):
        attempt("anna", f"fel-{n}")
    with mock.patch.object(User, "check_password", side_effect=AssertionError("hashed")):
        assert attempt("anna", PASSWORD).status_code == 429


def test_the_account_lock_holds_from_another_address_too():
    make_user("anna")
    for n in range(20):
        attempt("anna", f"fel-{n}", ip=f"192.0.2.{n + 1}")
    assert attempt("anna", PASSWORD, ip="198.51.100.7").status_code == 429


def test_an_address_is_locked_after_twenty_failures_on_any_accounts():
    make_user("bertil")
    for n in range(20):
        attempt(f"gissat-{n}", "fel")
    assert attempt("bertil", PASSWORD).status_code == 429
    elsewhere = attempt("bertil", PASSWORD, ip="198.51.100.7")
    assert (elsewhere.status_code, elsewhere["Location"]) == (302, "/admin/")


def test_a_successful_login_clears_the_failures():
    make_user("anna")
    for n in range(19):
        attempt("anna", f"fel-{n}")
    assert attempt("anna", PASSWORD).status_code == 302
    assert attempt("anna", "fel").status_code == 200  # counting starts again


def test_failed_attempts_are_logged_with_the_account_and_address(caplog):
    with caplog.at_level(logging.WARNING, logger="axes"):
        attempt("anna", "fel", ip="192.0.2.55")
    failures = [r.getMessage() for r in caplog.records if "login failure" in r.getMessage()]
    assert len(failures) == 1
    assert "anna" in failures[0] and "192.0.2.55" in failures[0]


def test_superusers_see_the_lockouts_and_other_staff_do_not(staff_client_factory):
    make_user("anna")
    for n in range(20):
        attempt("anna", f"fel-{n}")
    superuser = User.objects.create_superuser("admin", password=PASSWORD)
    client = Client()
    log_in(client, superuser)
    listing = client.get("/admin/axes/accessattempt/")
    assert listing.status_code == 200
    assert "anna" in listing.content.decode()
    for group in (EDITOR, PUBLISHER):
        other = staff_client_factory(f"personal-{group}", groups=(group,))
        assert other.get("/admin/axes/accessattempt/").status_code == 403


def test_behind_nginx_the_client_is_the_last_forwarded_address(rf, settings):
    request = rf.get("/", HTTP_X_FORWARDED_FOR="10.0.0.1, 203.0.113.5", REMOTE_ADDR="127.0.0.1")
    settings.NINJA_NUM_PROXIES = 1
    assert client_ip(request) == "203.0.113.5"
    settings.NINJA_NUM_PROXIES = 0
    assert client_ip(request) == "127.0.0.1"


def test_behind_nginx_a_forged_forwarded_address_does_not_escape_the_lock(settings):
    settings.NINJA_NUM_PROXIES = 1
    make_user("anna")
    for n in range(20):
        Client().post(
            "/admin/login/",
            {"username": f"gissat-{n}", "password": "fel"},
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR=f"198.51.100.{n}, 203.0.113.5",  # nginx appended the last
        )
    locked = Client().post(
        "/admin/login/",
        {"username": "anna", "password": PASSWORD},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="192.0.2.200, 203.0.113.5",
    )
    assert locked.status_code == 429
