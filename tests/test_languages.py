"""Swedish at /, English under /en/: the switcher, hreflang, <html lang>, numbers per language,
SKR's Swedish wording marked as Swedish, and a page cache that never mixes the two."""

import ast
import json
import re
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from .conftest import make_evaluation_like

PO_FILE = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"

# Every public page, as visitors reach it (each has an English twin under /en/).
PUBLIC_PAGES = [
    "/",
    "/?q=habo",
    "/kommun/lulea/",
    "/kommun/lulea/2018/",
    "/kommun/stockholm/",
    "/delfragor/",
    "/delfragor/2016/1.5/",
    "/jamfor/",
    "/jamfor/?k=lulea&k=kalix",
    "/rankning/",
    "/exempel/?q=dialog",
    "/om/",
    "/om/tillganglighet/",
    "/om/personuppgifter/",
    "/data/",
    "/api/v1/docs/",
    "/kommun/lulea/inbadda/",
    "/jamfor/inbadda/?k=lulea&k=kalix",
]


def html_lang(response) -> str:
    return re.search(r'<html lang="([^"]+)">', response.content.decode()).group(1)


def alternates(response) -> dict[str, str]:
    return dict(
        re.findall(
            r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', response.content.decode()
        )
    )


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_every_public_page_is_swedish_at_its_address_and_english_under_en(
    client, published_reports, path
):
    swedish = client.get(path)
    english = client.get("/en" + path)
    assert swedish.status_code == english.status_code
    assert swedish.status_code in (200, 404)
    assert (html_lang(swedish), html_lang(english)) == ("sv", "en")
    assert swedish.headers["Content-Language"] == "sv"
    assert english.headers["Content-Language"] == "en"
    assert "Kommunkompassen" in english.content.decode()
    assert english.content != swedish.content


def test_the_browser_language_never_changes_a_swedish_address(client, published_reports):
    response = client.get("/kommun/lulea/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    assert html_lang(response) == "sv" and "Poäng per område" in response.content.decode()
    # Nor the admin, which stays Swedish and has no English address.
    assert "Logga in" in client.get("/admin/login/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert client.get("/en/admin/login/").status_code == 404


def test_the_switcher_leads_to_the_same_page_with_its_query_in_the_other_language(
    client, published_reports
):
    path = "/jamfor/?k=lulea&k=kalix"
    swedish = client.get(path).content.decode()
    english = client.get("/en" + path).content.decode()
    link = 'href="http://testserver/en/jamfor/?k=lulea&amp;k=kalix" hreflang="en" lang="en">English'
    assert link in swedish
    assert '<span aria-current="page" lang="sv">Svenska</span>' in swedish
    back = 'href="http://testserver/jamfor/?k=lulea&amp;k=kalix" hreflang="sv" lang="sv">Svenska'
    assert back in english
    assert '<nav class="language-switcher" aria-label="Language">' in english


def test_every_public_page_names_both_languages_with_hreflang(client, published_reports):
    for path in PUBLIC_PAGES:
        for prefix in ("", "/en"):
            response = client.get(prefix + path)
            if response.status_code != 200:
                continue
            links = alternates(response)
            assert links == {
                "sv": "http://testserver" + path.replace("&", "&amp;"),
                "x-default": "http://testserver" + path.replace("&", "&amp;"),
                "en": "http://testserver/en" + path.replace("&", "&amp;"),
            }, prefix + path


def test_pages_in_one_language_only_offer_no_switcher(client, published_reports):
    for path in ("/admin/login/", "/en/finns-inte/"):
        content = client.get(path).content.decode()
        assert "language-switcher" not in content and "hreflang" not in content, path
    assert client.get("/en/api/v1/versions").status_code == 404
    assert client.get("/api/v1/versions").status_code == 200


def test_english_pages_use_a_decimal_point_and_swedish_pages_a_decimal_comma(
    client, published_reports
):
    # Luleå 2018 question 1.5: printed 10 of 10 but 95 %, stored 9.5.
    swedish = client.get("/kommun/lulea/").content.decode()
    english = client.get("/en/kommun/lulea/").content.decode()
    assert '<td class="num" data-label="Poäng">9,5</td>' in swedish
    assert '<td class="num" data-label="Points">9.5</td>' in english
    assert "shown 9.5" in english and "visas 9,5" in swedish

    def radar_tooltips(content: str) -> list[str]:
        data = re.search(r'<script id="radar-data" type="application/json">(.*?)</script>', content)
        return [value for _, value in json.loads(data.group(1))["data"][0]["customdata"]]

    assert radar_tooltips(swedish)[0] == "79,0" and radar_tooltips(english)[0] == "79.0"


def test_english_ranking_and_question_pages_format_means_with_a_point(client, six_evaluated):
    swedish = client.get("/delfragor/2016/1.5/").content.decode()
    english = client.get("/en/delfragor/2016/1.5/").content.decode()
    mean = re.search(r'<strong class="total">([^<]+)</strong>', english).group(1)
    assert "," not in mean and mean.replace(".", ",") in swedish


def test_skr_wording_stays_swedish_and_is_marked_so_on_english_pages(client, published_reports):
    english = client.get("/en/kommun/lulea/").content.decode()
    swedish = client.get("/kommun/lulea/").content.decode()
    assert '<span lang="sv">Offentlighet och demokrati</span>' in english
    assert "Kommunkompassen has no official English version." in english
    assert re.search(r'<div class="prose" lang="sv">\s*<p>Vid en först anblick', english)
    # Question names in the table, the explorer and a question's page.
    assert '<span lang="sv">Finns en plan/strategi för demokratiutveckling' in english
    explorer = client.get("/en/delfragor/?kod=1.1&version=2016").content.decode()
    assert '<span lang="sv">Finns en plan/strategi för demokratiutveckling' in explorer
    question = client.get("/en/delfragor/2016/1.4/").content.decode()
    title = '<h1>1.4 <span lang="sv">Hur främjas invånardialog och deltagande?</span></h1>'
    assert title in question
    # A Swedish page needs no marks.
    assert 'lang="sv">Offentlighet' not in swedish and "official English" not in swedish


def test_script_texts_come_translated_from_the_page(client, published_reports):
    english = client.get("/en/jamfor/?k=lulea").content.decode()
    assert 'data-text-none="No suggestions"' in english
    assert 'data-text-many="N suggestions"' in english
    assert 'data-picker-url="/en/jamfor/kommuner.json"' in english
    profile = client.get("/en/kommun/lulea/").content.decode()
    assert 'data-credit="Source: SKR\'s Kommunkompassen via Kompass"' in profile
    assert 'data-copied="The code is copied."' in profile


def test_english_and_swedish_pages_never_mix_in_the_page_cache(
    published_reports, django_assert_max_num_queries
):
    # Anonymous visitors get every page stored whole; each language's address keeps its own,
    # whatever language the browser asks for and whichever the thread served before.
    visitor = Client()
    for path in PUBLIC_PAGES[:11]:
        for prefix, accept in (("", "en"), ("/en", "sv"), ("", "sv"), ("/en", "en")):
            response = visitor.get(prefix + path, HTTP_ACCEPT_LANGUAGE=accept)
            expected = "en" if prefix else "sv"
            assert html_lang(response) == expected, (prefix + path, accept)
            assert response.headers["Content-Language"] == expected
            if response.status_code == 200:
                assert response.headers["Cache-Control"].startswith("public"), prefix + path
    # The second visit of each is the stored page (the data version at most), in its language.
    for prefix, lang in (("", "sv"), ("/en", "en"), ("", "sv"), ("/en", "en")):
        with django_assert_max_num_queries(1):
            response = visitor.get(prefix + "/kommun/lulea/")
        assert html_lang(response) == lang


def test_the_trend_names_the_total_in_the_page_language(client, published_reports):
    kalix = published_reports["kalix"]
    make_evaluation_like(kalix, municipality=kalix.municipality, year=2016)
    english = client.get("/en/kommun/kalix/").content.decode()
    trend = json.loads(
        re.search(r'<script id="trend-data" type="application/json">(.*?)</script>', english).group(
            1
        )
    )
    assert trend["data"][0]["name"] == "Total"
    titles = [annotation["text"] for annotation in trend["layout"]["annotations"]]
    assert "Total points (of 800)" in titles and "Points per area (of 100)" in titles
    bars = json.loads(
        re.search(r'<script id="bar-data" type="application/json">(.*?)</script>', english).group(1)
    )
    assert bars["layout"]["xaxis"]["title"]["text"] == "Points (of 100)"


def _po_entries():
    """(locations, msgid, translations, fuzzy) of every entry of the English .po file."""
    for block in PO_FILE.read_text(encoding="utf-8").split("\n\n")[1:]:
        locations = " ".join(
            line[3:] for line in block.splitlines() if line.startswith("#: ")
        ).split()
        fuzzy = any(line.startswith("#,") and "fuzzy" in line for line in block.splitlines())
        fields: dict[str, str] = {}
        key = None
        for line in block.splitlines():
            match = re.match(r"^(msgid|msgid_plural|msgstr(?:\[\d\])?) (\".*\")$", line)
            if match:
                key = match.group(1)
                fields[key] = ast.literal_eval(match.group(2))
            elif line.startswith('"') and key:
                fields[key] += ast.literal_eval(line)
        translations = [value for name, value in fields.items() if name.startswith("msgstr")]
        yield locations, fields.get("msgid", ""), translations, fuzzy


# What visitors never see in English: the admin and the API's JSON stay Swedish.
SWEDISH_ONLY = ("evaluations/", "templates/admin/", "api/")


def test_every_string_of_the_public_pages_is_translated_to_english():
    missing = [
        msgid
        for locations, msgid, translations, fuzzy in _po_entries()
        if any(not location.startswith(SWEDISH_ONLY) for location in locations)
        and (fuzzy or not all(translations))
    ]
    assert missing == []


def test_the_english_translations_are_compiled_from_the_current_po_file(tmp_path):
    compiled = PO_FILE.with_suffix(".mo")
    assert compiled.exists(), "make static compiles the .po files"
    # compilemessages runs msgfmt --check-format: the same bytes from the .po as it stands.
    fresh = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "--check-format", "-o", fresh, PO_FILE], check=True)
    assert compiled.read_bytes() == fresh.read_bytes(), "the .mo is older than the .po: make static"


def test_answers_made_before_the_view_are_in_the_address_language(client, published_reports):
    # The 413 and 400 pages come from middleware, before any view: in the address's language,
    # never in the one the thread's previous request left active.
    too_big = {"CONTENT_LENGTH": str(50 * 1024 * 1024)}
    for path, lang, words in (
        ("/en/jamfor/", "en", "Too much data"),
        ("/jamfor/", "sv", "För mycket data"),
        ("/en/jamfor/", "en", "Too much data"),
    ):
        response = client.generic("POST", path, b"", **too_big)
        assert response.status_code == 413
        assert html_lang(response) == lang and words in response.content.decode()
    client.get("/en/kommun/lulea/")
    response = client.get("/kommun/%01/")
    assert response.status_code == 400 and html_lang(response) == "sv"
    assert "Adressen kunde inte tolkas" in response.content.decode()
