"""Two-factor login (kompass_site/twofactor/) through the test client: who is asked, setting up
the app, the code, recovery codes, and django-axes counting wrong codes as failed logins."""

import re
import time

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from kompass_site import twofactor
from tests.conftest import EDITOR, PUBLISHER, app_code, make_app_device, make_user

pytestmark = pytest.mark.django_db
PASSWORD = "ett-lösenord-bara-för-test"
LOGIN = "/admin/login/"
VERIFY = "/admin/tvastegs/kod/"
ENROL = "/admin/tvastegs/aktivera/"
RECOVERY = "/admin/tvastegs/"
LIST = "/admin/evaluations/evaluation/"


def password_step(client: Client, username: str, *, next_url: str = "/admin/"):
    return client.post(LOGIN, {"username": username, "password": PASSWORD, "next": next_url})


def code_step(client: Client, code: str, *, url: str = VERIFY):
    return client.post(url, {"code": code})


def shown_key_code(page: str) -> str:
    """The code an app makes from the key that the enrolment page shows."""
    from base64 import b32decode

    key = re.search(r'<code id="twofactor-key">([A-Z2-7 ]+)</code>', page).group(1)
    return f"{TOTP(b32decode(key.replace(' ', ''))).token():06d}"


def test_a_publisher_without_an_app_is_not_logged_in_by_the_password_alone():
    make_user("pia", groups=(PUBLISHER,))
    client = Client()
    answer = password_step(client, "pia")
    assert (answer.status_code, answer["Location"]) == (302, ENROL)
    assert client.get("/admin/")["Location"].startswith(LOGIN)
    assert "_auth_user_id" not in client.session


def test_setting_up_the_app_logs_in_and_shows_ten_recovery_codes_once():
    user = make_user("pia", groups=(PUBLISHER,))
    client = Client()
    password_step(client, "pia", next_url=LIST)
    page = client.get(ENROL).content.decode()
    assert "Aktivera tvåstegsverifiering" in page
    assert '<svg width="200" height="200"' in page and 'role="img"' in page
    answer = code_step(client, shown_key_code(page), url=ENROL)
    assert answer.status_code == 200
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", answer.content.decode())
    assert len(codes) == 10
    assert f'href="{LIST}"' in answer.content.decode()
    assert TOTPDevice.objects.get(user=user).confirmed
    assert client.get(LIST).status_code == 200
    assert client.get(ENROL).status_code == 200  # a logged-in person may set up a new phone
    assert sorted(StaticToken.objects.values_list("token", flat=True)) == sorted(codes)


def test_a_wrong_code_while_setting_up_is_refused_in_swedish_and_counted(caplog):
    make_user("pia", groups=(PUBLISHER,))
    client = Client()
    password_step(client, "pia")
    client.get(ENROL)
    answer = code_step(client, "000000", url=ENROL)
    assert answer.status_code == 200
    assert "Koden stämmer inte" in answer.content.decode()
    assert 'aria-invalid="true"' in answer.content.decode()
    assert not TOTPDevice.objects.filter(confirmed=True).exists()
    assert "_auth_user_id" not in client.session
    assert any("login failure" in record.getMessage() for record in caplog.records)


def test_with_an_app_the_password_is_followed_by_its_code():
    device = make_app_device(make_user("pia", groups=(PUBLISHER,)))
    client = Client()
    answer = password_step(client, "pia", next_url=LIST)
    assert (answer.status_code, answer["Location"]) == (302, VERIFY)
    page = client.get(VERIFY).content.decode()
    assert "Skriv den sexsiffriga kod" in page
    answer = code_step(client, app_code(device))
    assert (answer.status_code, answer["Location"]) == (302, LIST)
    assert client.get(LIST).status_code == 200
    assert client.session["otp_device_id"] == device.persistent_id


def test_a_wrong_code_does_not_log_in():
    make_app_device(make_user("pia", groups=(PUBLISHER,)))
    client = Client()
    password_step(client, "pia")
    answer = code_step(client, "123 456")
    assert answer.status_code == 200
    assert "Koden stämmer inte" in answer.content.decode()
    assert client.get("/admin/")["Location"].startswith(LOGIN)


def test_a_recovery_code_logs_in_once_and_says_how_many_are_left():
    user = make_user("pia", groups=(PUBLISHER,))
    make_app_device(user)
    code = twofactor.new_recovery_codes(user)[0]
    client = Client()
    password_step(client, "pia")
    answer = code_step(client, code.upper())
    assert (answer.status_code, answer["Location"]) == (302, "/admin/")
    assert "Du har 9 reservkoder kvar" in client.get("/admin/").content.decode()
    again = Client()
    password_step(again, "pia")
    assert "Koden stämmer inte" in code_step(again, code).content.decode()


def test_wrong_codes_lock_the_login_as_wrong_passwords_do_and_a_password_clears_nothing():
    device = make_app_device(make_user("pia", groups=(PUBLISHER,)))
    client = Client()
    for n in range(19):
        if n % 5 == 0:  # the password again, as an attacker who has it would
            assert password_step(client, "pia")["Location"] == VERIFY
        assert code_step(client, f"{n:06d}").status_code == 200
    locked = code_step(client, "999999")
    assert locked.status_code == 429
    assert "Inloggningen är spärrad" in locked.content.decode()
    assert code_step(client, app_code(device)).status_code == 429
    assert password_step(Client(), "pia").status_code == 429


def test_an_editor_without_an_app_logs_in_with_the_password():
    make_user("erik", groups=(EDITOR,))
    client = Client()
    assert password_step(client, "erik")["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_an_editor_who_set_up_an_app_is_asked_for_its_code():
    make_app_device(make_user("erik", groups=(EDITOR,)))
    assert password_step(Client(), "erik")["Location"] == VERIFY


def test_a_superuser_needs_the_second_factor_too():
    User.objects.create_superuser("admin", password=PASSWORD)
    assert password_step(Client(), "admin")["Location"] == ENROL


def test_with_the_setting_off_a_publisher_logs_in_with_the_password(settings):
    settings.TWO_FACTOR_REQUIRED = False
    make_user("pia", groups=(PUBLISHER,))
    client = Client()
    assert password_step(client, "pia")["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_a_publishers_session_without_the_second_factor_is_ended():
    """A session from before the rule applied to the account (or before it joined the group)."""
    client = Client()
    client.force_login(make_user("pia", groups=(PUBLISHER,)))
    answer = client.get(LIST)
    assert (answer.status_code, answer["Location"]) == (302, f"{LOGIN}?next={LIST}")
    assert "_auth_user_id" not in client.session


def test_the_code_must_follow_the_password_within_ten_minutes():
    make_app_device(make_user("pia", groups=(PUBLISHER,)))
    client = Client()
    password_step(client, "pia")
    session = client.session
    session[twofactor.PENDING]["at"] = time.time() - twofactor.PENDING_SECONDS - 1
    session.save()
    assert client.get(VERIFY)["Location"] == "/admin/login/"


def test_the_code_page_without_a_password_goes_to_the_login():
    assert Client().get(VERIFY)["Location"] == "/admin/login/"
    assert Client().get(ENROL)["Location"] == "/admin/login/"


def test_new_recovery_codes_replace_the_old_ones(publisher_client):
    user = User.objects.get(username="publicerare")
    old = set(twofactor.new_recovery_codes(user))
    page = publisher_client.get(RECOVERY).content.decode()
    assert "Du har 10 oanvända reservkoder" in page
    answer = publisher_client.post(RECOVERY)
    new = set(re.findall(r"<li><code>([a-z2-7]{8})</code></li>", answer.content.decode()))
    assert len(new) == 10 and not new & old
    assert set(StaticToken.objects.values_list("token", flat=True)) == new


def test_the_admin_links_to_the_two_factor_page(editor_client):
    assert f'href="{RECOVERY}"' in editor_client.get("/admin/").content.decode()
