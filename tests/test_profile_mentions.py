"""The profile of a municipality that other reports recommend: "Nämns som gott exempel i N
rapporter", each sentence with the report it stands in (comparisons.examples.recommended)."""

import pytest

from evaluations import dataversion, mentions
from evaluations.models import Evaluation, GoodExampleMention, Municipality

from .conftest import import_reports, make_evaluation_like

NASSJO_SENTENCE = (
    "Nässjö är ett gott exempel på arbete med medarbetarskap, exempelvis med ett utskick redan "
    "innan anställning påbörjas."
)


def section(html: str) -> str:
    start = html.index('id="goda-exempel"')
    return html[start : html.index("</section>", start)]


def test_a_municipality_the_reports_recommend_shows_the_sentence_and_the_report(
    client, published_reports
):
    """Nässjö has no evaluation of its own; Lindesberg 2021 recommends it."""
    response = client.get("/kommun/nassjo/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "ingen publicerad Kommunkompassen-utvärdering" in html
    mentions = section(html)
    assert "Nämns som gott exempel i 1 rapport<" in mentions
    assert NASSJO_SENTENCE in mentions
    assert '<a href="/kommun/lindesberg/2021/#omrade-8">Lindesberg 2021</a>' in mentions
    assert "område 8 Chefs- och ledarskap samt medarbetarskap (områdets text)" in mentions


def test_one_sentence_naming_three_shows_on_each_ones_page(client, published_reports):
    sentence = (
        "Piteå, Sunne och Ängelholm är kommuner Lindsberg kan titta vidare på om man vill "
        "utveckla arbetet i och kring medborgardialog."
    )
    for slug in ("pitea", "sunne", "angelholm"):
        assert sentence in section(client.get(f"/kommun/{slug}/").content.decode())


def test_a_municipality_no_report_recommends_has_no_such_section(client, published_reports):
    # Borlänge is named in Lindesberg 2021 only as a partner; Överkalix not at all.
    for slug in ("borlange", "overkalix"):
        response = client.get(f"/kommun/{slug}/")
        assert response.status_code == 404  # not evaluated, and nothing else to show
        assert 'id="goda-exempel"' not in response.content.decode()
    # An evaluated municipality that only praises itself (Luleå 2018).
    assert 'id="goda-exempel"' not in client.get("/kommun/lulea/").content.decode()


def test_an_evaluated_municipality_shows_where_others_recommend_it(client, published_reports):
    """Kalix's own profile, once a mention names it: Lindesberg 2021's mention of Nässjö
    moved to Kalix (test input; no real report recommends an evaluated municipality)."""
    GoodExampleMention.objects.filter(municipality__short_name="Nässjö").update(
        municipality=Municipality.objects.get(short_name="Kalix")
    )
    html = client.get("/kommun/kalix/").content.decode()
    assert "Nämns som gott exempel i 1 rapport<" in section(html)


def test_the_count_is_of_reports_and_drafts_never_count(client, published_reports):
    lindesberg = published_reports["lindesberg"]
    # Lindesberg 2021's texts again under Nora 2022 (a real report's figures and sentences),
    # first as a draft: not public.
    copy = make_evaluation_like(
        lindesberg,
        municipality=Municipality.objects.get(short_name="Nora"),
        year=2022,
        status=Evaluation.Status.DRAFT,
    )
    copy.summary = lindesberg.summary
    copy.save()
    mentions.refresh(evaluation=copy)
    assert copy.good_example_mentions.filter(municipality__short_name="Nässjö").count() == 1
    assert "Nämns som gott exempel i 1 rapport<" in section(
        client.get("/kommun/nassjo/").content.decode()
    )
    copy.status = Evaluation.Status.PUBLISHED
    copy.save()
    mentions_html = section(client.get("/kommun/nassjo/").content.decode())
    assert "Nämns som gott exempel i 2 rapporter<" in mentions_html
    # Newest report first.
    assert mentions_html.index("Nora 2022") < mentions_html.index("Lindesberg 2021")


def test_a_draft_report_recommends_no_one(client, db):
    import_reports("lindesberg", publish=False)
    assert GoodExampleMention.objects.count() == 12
    assert client.get("/kommun/nassjo/").status_code == 404


@pytest.mark.parametrize("slug", ["nassjo", "lindesberg"])
def test_the_mentions_cost_one_query_however_many_there_are(
    client, published_reports, slug, django_assert_max_num_queries
):
    with django_assert_max_num_queries(22) as before:  # the profile's bound
        client.get(f"/kommun/{slug}/")
    lindesberg = published_reports["lindesberg"]
    for code, year in (("1880", 2021), ("1882", 2021), ("1814", 2020)):
        copy = make_evaluation_like(
            lindesberg, municipality=Municipality.objects.get(code=code), year=year
        )
        mentions.refresh(evaluation=copy)
    with django_assert_max_num_queries(len(before.captured_queries)):
        client.get(f"/kommun/{slug}/")


def test_the_recommending_report_links_to_each_municipality_it_names(client, published_reports):
    html = client.get("/kommun/lindesberg/").content.decode()
    start = html.index('id="rekommenderar"')
    names = html[start : html.index("</section>", start)]
    assert names.count("<li>") == 12
    assert (
        '<a href="/kommun/nassjo/">Nässjö</a> – <a href="#omrade-8">område 8 Chefs- och '
        "ledarskap samt medarbetarskap</a>" in names
    )
    assert '<a href="/kommun/pitea/">Piteå</a>' in names
    # Luleå 2018 names none but itself.
    assert 'id="rekommenderar"' not in client.get("/kommun/lulea/").content.decode()


def test_the_sitemap_lists_the_pages_of_recommended_municipalities_without_evaluation(
    client, published_reports
):
    sitemap = client.get("/sitemap.xml").content.decode()
    assert "<loc>http://testserver/kommun/nassjo/</loc>" in sitemap
    assert "<loc>http://testserver/en/kommun/tomelilla/</loc>" in sitemap
    assert "<loc>http://testserver/kommun/borlange/</loc>" not in sitemap  # a partner only
    assert "<loc>http://testserver/kommun/lindesberg/</loc>" not in sitemap  # by year instead
    Evaluation.objects.filter(municipality__slug="lindesberg").update(
        status=Evaluation.Status.DRAFT
    )
    dataversion.bump()  # a QuerySet.update sends no signal
    assert "/kommun/nassjo/" not in client.get("/sitemap.xml").content.decode()
