"""No address a visitor can type gives a server error, whatever the database, and the error
pages speak Swedish.

PostgreSQL refuses a NUL in a query parameter where SQLite takes it, so these run on both."""

import pytest
from django.template.loader import render_to_string

CONTROL_CHARACTERS = ["\x00", "a\x00b", "\x1b[0m", "x\x7fy"]
ODD_VALUES = ["", " ", "'\"<", "x" * 3000, "\uffff", "-1", "1e9", "😀", "%", "../.."]

ADDRESSES = [
    "/?q={}",
    "/kommun/lulea/?medel={}",
    "/kommun/lulea/?sortera={}",
    "/jamfor/?k={}",
    "/jamfor/?k=lulea&k=kalix&lagg_till={}",
    "/jamfor/kommuner.json?q={}",
    "/rankning/?version={}",
    "/rankning/?version=2016&area={}",
    "/rankning/?sort={}",
    "/rankning/?sortera={}",
    "/exempel/?q={}",
    "/exempel/?q=medborg&sida={}",
    "/delfragor/?q={}",
    "/delfragor/?kommun={}",
    "/delfragor/?lan={}",
    "/delfragor/?sortera={}",
    "/delfragor/?ar_fran={}",
    "/delfragor/?procent_fran={}",
    "/delfragor/?kod={}",
    "/delfragor/delfragor.csv?q={}",
    "/delfragor/delfragor.xlsx?kod={}",
    "/delfragor/2016/{}/",
    "/delfragor/{}/1.1/",
    "/delfragor/2016/1.5/?sortera={}",
    "/delfragor/2016/1.5/?v2010-sortera={}",
    "/kommun/{}/",
]


@pytest.mark.parametrize("address", ADDRESSES)
def test_odd_values_get_an_answer_not_a_server_error(client, published_reports, address):
    for value in ODD_VALUES:
        url = address.format(value)
        assert client.get(url).status_code < 500, url


@pytest.mark.parametrize("address", ADDRESSES)
def test_control_characters_are_refused_with_a_message(client, published_reports, address):
    for value in CONTROL_CHARACTERS:
        url = address.format(value)
        response = client.get(url)
        assert response.status_code == 400, url
        html = response.content.decode()
        assert "Adressen kunde inte tolkas" in html and "\x00" not in html, url


def test_the_query_string_key_is_checked_too(client, db):
    assert client.get("/delfragor/?a%00=1").status_code == 400
    assert client.get("/delfragor/?q=tab%09and%0Anewline").status_code == 400


def test_a_missing_page_says_so_in_swedish(client, db):
    response = client.get("/kommun/ingen-sadan-kommun/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "<h1>Sidan finns inte</h1>" in html and 'lang="sv"' in html


def test_the_server_error_page_renders_without_a_request():
    html = render_to_string("500.html")
    assert "<h1>Något gick fel</h1>" in html
