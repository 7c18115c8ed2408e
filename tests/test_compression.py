"""Brotli or gzip, as the client takes it; personal pages keep Django's gzip against BREACH."""

import gzip

import brotli
import pytest
from django.test import RequestFactory

from kompass_site.compression import chosen_encoding


@pytest.mark.parametrize(
    "accept, chosen",
    [
        ("br", "br"),
        ("gzip, deflate, br, zstd", "br"),
        ("br;q=0, gzip", "gzip"),
        ("gzip;q=0.5", "gzip"),
        ("*", "gzip"),
        ("identity", ""),
        ("gzip;q=0", ""),
        ("", ""),
    ],
)
def test_the_encoding_follows_accept_encoding(accept, chosen):
    request = RequestFactory().get("/", HTTP_ACCEPT_ENCODING=accept)
    assert chosen_encoding(request) == chosen


def test_a_brotli_only_client_gets_html_in_brotli(client, published_reports):
    response = client.get("/delfragor/", HTTP_ACCEPT_ENCODING="br")
    assert response["Content-Encoding"] == "br"
    assert "Delfrågepoäng" in brotli.decompress(response.content).decode()


def test_a_page_with_a_csrf_token_keeps_djangos_gzip(client, db):
    response = client.get("/admin/login/", HTTP_ACCEPT_ENCODING="br, gzip")
    assert "Cookie" in response["Vary"]
    assert response["Content-Encoding"] == "gzip"
    assert b"csrfmiddlewaretoken" in gzip.decompress(response.content)
    assert "Content-Encoding" not in client.get("/admin/login/", HTTP_ACCEPT_ENCODING="br")


def test_a_streamed_download_is_compressed_as_it_goes(client, published_reports):
    response = client.get("/delfragor/delfragor.csv?version=2016", HTTP_ACCEPT_ENCODING="br")
    assert response["Content-Encoding"] == "br"
    body = brotli.decompress(b"".join(response.streaming_content)).decode("utf-8-sig")
    assert body.startswith("Kommun;Kommunkod;") and "Luleå" in body


def test_spreadsheets_are_not_compressed_again(client, published_reports):
    response = client.get("/delfragor/delfragor.xlsx", HTTP_ACCEPT_ENCODING="br, gzip")
    assert "Content-Encoding" not in response
