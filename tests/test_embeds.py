"""Embeds, share tags and the embed code, through Django's test client."""

import pytest

from comparisons.comparison import MAX_MEMBERS

pytestmark = pytest.mark.django_db


def test_embeds_may_be_framed_by_any_site_and_nothing_else_may(client, open_data_reports):
    for url in (
        "/kommun/lulea/inbadda/",
        "/kommun/lulea/2018/inbadda/",
        "/jamfor/inbadda/?k=lulea&k=kalix",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "X-Frame-Options" not in response
        assert "frame-ancestors *" in response["Content-Security-Policy"]
        assert "script-src 'self'" in response["Content-Security-Policy"]
    for url in ("/kommun/lulea/2018/", "/jamfor/?k=lulea&k=kalix", "/", "/om/", "/data/"):
        response = client.get(url)
        assert response["X-Frame-Options"] == "DENY", url
        assert "frame-ancestors 'none'" in response["Content-Security-Policy"], url


def test_the_embed_shows_the_radar_and_its_table_with_the_source(client, open_data_reports):
    html = client.get("/kommun/lulea/2018/inbadda/").content.decode()
    assert 'id="radar"' in html and 'id="area-table"' in html
    assert 'href="http://testserver/kommun/lulea/2018/" target="_blank"' in html
    assert "SKR:s Kommunkompassen via Kompass" in html
    assert "site-header" not in html  # the chart alone, no navigation


def test_embeds_show_only_published_evaluations(client, open_data_reports):
    assert client.get("/kommun/lindesberg/inbadda/").status_code == 404  # a draft
    assert client.get("/kommun/lulea/2015/inbadda/").status_code == 404  # stated only
    assert client.get("/kommun/ingen/inbadda/").status_code == 404
    assert client.get("/jamfor/inbadda/?k=lulea&k=lindesberg").status_code == 404
    too_many = "&".join(f"k=x{n}" for n in range(MAX_MEMBERS + 1))
    assert client.get(f"/jamfor/inbadda/?{too_many}").status_code == 400


def test_the_profile_offers_the_embed_code_and_share_tags(client, open_data_reports):
    html = client.get("/kommun/lulea/2018/").content.decode()
    assert (
        "&lt;iframe src=&quot;http://testserver/kommun/lulea/2018/inbadda/&quot;" in html
        or '&lt;iframe src="http://testserver/kommun/lulea/2018/inbadda/"' in html
    )
    assert (
        '<meta property="og:image" content="http://testserver/kommun/lulea/2018/forhandsbild.png">'
        in html
    )
    assert '<meta name="twitter:card" content="summary_large_image">' in html
    assert '<meta property="og:title" content="Luleå 2018: poäng per område (av 100)">' in html
    assert 'href="/kommun/lulea/2018/poang.csv"' in html


def test_the_comparison_offers_its_embed_share_tags_and_downloads(client, open_data_reports):
    html = client.get("/jamfor/?k=lulea&k=kalix").content.decode()
    assert "http://testserver/jamfor/forhandsbild.png?k=lulea&amp;k=kalix" in html
    assert "/jamfor/inbadda/?k=lulea&amp;k=kalix" in html
    assert 'href="/jamfor/poang.xlsx?k=lulea&amp;k=kalix"' in html


def test_a_staff_preview_of_a_draft_offers_no_embed_nor_share_tags(
    editor_client, open_data_reports
):
    draft = open_data_reports["lindesberg"]
    html = editor_client.get(f"/forhandsvisning/{draft.pk}/").content.decode()
    assert "og:image" not in html and "inbadda" not in html and "poang.csv" not in html
