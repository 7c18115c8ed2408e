import pytest
from django.test import Client

from tests.conftest import make_user

PASSWORD = "ett-lösenord-bara-för-test"


@pytest.mark.django_db
def test_logging_in_without_a_next_address_lands_in_the_admin():
    make_user("anna")
    response = Client().post("/admin/login/", {"username": "anna", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/admin/"


@pytest.mark.django_db
def test_a_staff_session_lasts_a_working_day():
    make_user("anna")
    client = Client()
    client.post("/admin/login/", {"username": "anna", "password": PASSWORD})
    assert client.cookies["sessionid"]["max-age"] == 9 * 60 * 60


@pytest.mark.django_db
def test_a_form_without_its_csrf_cookie_gets_a_swedish_page_that_says_what_to_do():
    response = Client(enforce_csrf_checks=True).post(
        "/admin/login/", {"username": "anna", "password": PASSWORD}
    )
    assert response.status_code == 403
    page = response.content.decode()
    assert "Formuläret kunde inte skickas" in page
    assert "Tillåt kakor för den här webbplatsen" in page
    assert "CSRF" not in page
