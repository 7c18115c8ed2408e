import re

import pytest

from evaluations.models import Evaluation, Municipality

from .conftest import make_evaluation_like


def ranking_rows(html: str) -> list[list[str]]:
    body = html[html.index('id="rankning"') :].split("</tbody>")[0].split("<tbody")[1]
    return [
        [
            re.sub(r"<[^>]+>|\s+", " ", cell).strip()
            for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        ]
        for row in body.split("</tr>")[:-1]
    ]


def test_ranking_by_total_shows_position_municipality_score_and_year(client, six_evaluated):
    make_evaluation_like(
        Municipality.objects.get(slug="kalix").evaluations.get(),
        municipality=Municipality.objects.get(code="2513"),
        year=2014,
    )
    response = client.get("/rankning/?version=2010")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Rankning efter totalpoäng (av 800), version 2010" in html
    assert ranking_rows(html) == [
        ["1", "Kalix", "Norrbotten", "415", "2012"],
        ["2", "Boden", "Norrbotten", "413", "2013"],
        ["2", "Överkalix", "Norrbotten", "413", "2014"],
    ]
    assert '<a href="/kommun/kalix/2012/">Kalix</a>' in html


def test_ranking_by_one_area_names_the_area(client, six_evaluated):
    html = client.get("/rankning/?version=2016&area=3").content.decode()
    assert "Rankning efter område 3 Politisk styrning och kontroll (av 100), version 2016" in html
    assert ranking_rows(html) == [
        ["1", "Luleå", "Norrbotten", "72", "2018"],
        ["1", "Piteå", "Norrbotten", "72", "2019"],
    ]
    assert '<option value="3" selected>Område 3 Politisk styrning och kontroll</option>' in html
    assert 'href="/jamfor/?k=lulea:2018&amp;k=pitea:2019"' in html


def test_the_ranking_filters_by_the_kommungrupp_the_reports_give(client, six_evaluated):
    group = Evaluation.objects.get(municipality__slug="kalix").kommungrupp
    assert group.startswith("10 Kommuner i glesbefolkad region")  # Kalix 2012's Kortfakta
    everyone = ranking_rows(client.get("/rankning/?version=2010").content.decode())
    assert [row[1] for row in everyone] == ["Kalix", "Boden"]
    html = client.get("/rankning/", {"version": "2010", "kommungrupp": group}).content.decode()
    assert ranking_rows(html) == [["1", "Kalix", "Norrbotten", "415", "2012"]]
    assert f'<option value="{group}" selected>' in html


def test_the_newest_version_by_default(client, published_reports):
    html = client.get("/rankning/").content.decode()
    assert "version 2020" in html
    assert ranking_rows(html) == [["1", "Lindesberg", "Örebro", "420", "2021"]]


def test_latest_only_option(client, published_reports):
    make_evaluation_like(
        published_reports["lulea"], municipality=Municipality.objects.get(code="2580"), year=2016
    )
    assert len(ranking_rows(client.get("/rankning/?version=2016").content.decode())) == 2
    html = client.get("/rankning/?version=2016&senaste=on").content.decode()
    assert ranking_rows(html) == [["1", "Luleå", "Norrbotten", "575", "2018"]]


def test_a_version_without_published_evaluations_says_so(client, published_reports):
    published_reports["lindesberg"].delete()
    html = client.get("/rankning/?version=2020").content.decode()
    assert "Det finns inga publicerade utvärderingar enligt version 2020 ännu." in html


@pytest.mark.parametrize(
    "query", ["version=1999", "version=2016&area=9", "version=2016&area=x", "area=%C3%A5"]
)
def test_bad_parameters_are_explained_not_a_server_error(client, published_reports, query):
    response = client.get(f"/rankning/?{query}")
    assert response.status_code == 400
    assert "Rankningen kunde inte visas:" in response.content.decode()


def test_query_count_does_not_grow_with_evaluations(
    client, six_evaluated, django_assert_max_num_queries
):
    # The data version, versions, areas, groups, the count, the page, the first six.
    with django_assert_max_num_queries(7) as captured:
        client.get("/rankning/?version=2016&area=2")
    kalix = Municipality.objects.get(slug="kalix").evaluations.get()
    for code in ("2505", "2506", "2510"):
        make_evaluation_like(kalix, municipality=Municipality.objects.get(code=code), year=2014)
    with django_assert_max_num_queries(len(captured.captured_queries)):
        client.get("/rankning/?version=2010&area=2")
