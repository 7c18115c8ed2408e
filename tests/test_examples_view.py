import pytest

from evaluations.models import AreaListItem


def test_search_shows_the_highlighted_strength_area_municipality_and_year(
    client, published_reports
):
    response = client.get("/exempel/?q=medborgarbudget")
    assert response.status_code == 200
    html = response.content.decode()
    assert "1 träff för ”medborgarbudget”" in html
    assert '<p class="example-text"><mark>Medborgarbudget</mark> i Råneå</p>' in html
    assert "Område 1 Offentlighet och demokrati" in html
    assert '<a href="/kommun/lulea/2018/#omrade-1">Luleå 2018</a>' in html
    assert "(version 2016)" in html


def test_improvement_points_are_searched_on_request(client, published_reports):
    strengths = client.get("/exempel/?q=medborgar").content.decode()
    assert "6 träffar för ”medborgar”" in strengths
    assert "Förbättringsmöjlighet</span>" not in strengths
    both = client.get("/exempel/?q=medborgar&forbattringar=1").content.decode()
    assert "12 träffar för ”medborgar”" in both
    assert '<span class="kind kind-improvement">Förbättringsmöjlighet</span>' in both
    assert 'id="forbattringar" name="forbattringar" value="1" checked' in both


def test_the_query_and_the_texts_are_escaped(client, published_reports):
    point = AreaListItem.objects.filter(text="Medborgarbudget i Råneå").get()
    point.text = "<script>alert(1)</script> Medborgarbudget & <b>mer</b>"
    point.save()
    html = client.get("/exempel/", {"q": "<b>"}).content.decode()
    assert (
        "&lt;script&gt;alert(1)&lt;/script&gt; Medborgarbudget &amp; <mark>&lt;b&gt;</mark>mer"
        in (html)
    )
    assert "<script>alert(1)" not in html
    assert 'value="&lt;b&gt;"' in html and "”&lt;b&gt;”" in html


def test_nothing_found_suggests_what_to_try(client, published_reports):
    html = client.get("/exempel/?q=zzzzz").content.decode()
    assert "0 träffar för ”zzzzz”" in html
    assert "Prova ett kortare ord" in html


def test_a_one_letter_query_is_refused_politely(client, published_reports):
    html = client.get("/exempel/?q=a").content.decode()
    assert "Skriv minst 2 tecken." in html
    assert "träff" not in html


def test_the_empty_page_explains_and_has_the_form(client, published_reports):
    html = client.get("/exempel/").content.decode()
    assert "Sök bland styrkorna i alla publicerade utvärderingar" in html
    assert '<input type="search" id="q" name="q" value=""' in html


def test_results_are_paged_with_links_keeping_the_query(client, published_reports):
    html = client.get("/exempel/?q=en&forbattringar=1").content.decode()
    assert "Sida 1 av" in html
    assert 'href="?q=en&amp;forbattringar=1&amp;sida=2" rel="next"' in html
    second = client.get("/exempel/?q=en&forbattringar=1&sida=2").content.decode()
    assert '<ol class="examples" start="51">' in second


@pytest.mark.parametrize("query", ["q=%25", "q=x&sida=abc", "q=xx&sida=9999", "q=" + "(" * 300])
def test_bad_input_never_gives_a_server_error(client, published_reports, query):
    assert client.get(f"/exempel/?{query}").status_code == 200


def test_query_count_is_bounded(client, published_reports, django_assert_max_num_queries):
    # The data version, the count, the page, the mentions.
    with django_assert_max_num_queries(4):
        client.get("/exempel/?q=en&forbattringar=1&svagheter=1&texter=1")


def test_municipalities_the_reports_recommend_come_first(client, published_reports):
    html = client.get("/exempel/?q=medarbetarskap").content.decode()
    mentions = html[html.index('id="mentions-heading"') : html.index("</section>")]
    assert '<a href="/kommun/nassjo/"><strong>Nässjö</strong></a>' in mentions
    assert (
        "Nässjö är ett gott exempel på arbete med <mark>medarbetarskap</mark>, exempelvis"
        in mentions
    )
    assert '<a href="/kommun/lindesberg/2021/#omrade-8">Lindesberg 2021</a>' in mentions
    # A search by the municipality's name finds it too; one that matches none shows no list.
    assert 'id="mentions-heading"' in client.get("/exempel/?q=Nässjö").content.decode()
    assert 'id="mentions-heading"' not in client.get("/exempel/?q=zzzzz").content.decode()


def test_the_evaluators_texts_are_searched_on_request(client, published_reports):
    strengths = client.get("/exempel/?q=nyttorealiseringsmodell").content.decode()
    assert "0 träffar" in strengths
    texts = client.get("/exempel/?q=nyttorealiseringsmodell&texter=1").content.decode()
    assert "1 träff för ”nyttorealiseringsmodell”" in texts
    assert '<span class="kind kind-text">Utvärderarnas text</span>' in texts
    assert (
        "Här kan man lära av varandra och använda någon form av "
        "<mark>nyttorealiseringsmodell</mark>.</p>" in texts
    )
    assert '<a href="/kommun/lindesberg/2021/#omrade-4">Lindesberg 2021</a>' in texts
    assert 'id="texter" name="texter" value="1" checked' in texts


def test_pages_of_texts_keep_the_choice(client, published_reports):
    html = client.get("/exempel/?q=en&texter=1").content.decode()
    assert 'href="?q=en&amp;texter=1&amp;sida=2" rel="next"' in html
