"""comparisons.trends and the trend on the profile."""

import json
import re
from decimal import Decimal

import pytest

from comparisons.trends import build_trend
from evaluations.models import Municipality

from .conftest import make_evaluation_like


@pytest.fixture
def lulea_over_three_evaluations(published_reports):
    """Luleå 2018 (version 2016) after two earlier evaluations carrying real figures: Kalix
    2012's as Luleå 2012 (version 2010) and Luleå 2018's as Luleå 2016 (version 2016)."""
    lulea = Municipality.objects.get(code="2580")
    make_evaluation_like(published_reports["kalix"], municipality=lulea, year=2012)
    make_evaluation_like(published_reports["lulea"], municipality=lulea, year=2016)
    return lulea


def test_trend_has_every_published_evaluation_in_order_with_version_changes(
    lulea_over_three_evaluations,
):
    trend = build_trend(municipality_id=lulea_over_three_evaluations.pk)
    assert [(p.evaluation.year, p.evaluation.framework.code, p.total) for p in trend.points] == [
        (2012, "2010", Decimal("413")),
        (2016, "2016", Decimal("575")),
        (2018, "2016", Decimal("575")),
    ]
    assert [p.new_version for p in trend.points] == [False, True, False]
    assert [p.evaluation.year for p in trend.version_changes] == [2016]
    assert trend.points[0].areas[0] == Decimal("41.0")


def test_trend_figure_draws_total_and_eight_areas_and_marks_the_version_change(
    lulea_over_three_evaluations,
):
    figure = build_trend(municipality_id=lulea_over_three_evaluations.pk).figure
    names = [trace["name"] for trace in figure["data"]]
    assert names == ["Totalt", *[f"Område {n}" for n in range(1, 9)]]
    assert figure["data"][0]["x"] == [2012, 2016, 2018]
    assert figure["data"][0]["y"] == [413.0, 575.0, 575.0]
    assert figure["data"][1]["yaxis"] == "y2"  # areas below, on their own 0-100 axis
    assert [shape["x0"] for shape in figure["layout"]["shapes"]] == [2016, 2016]
    annotations = {a["text"]: a for a in figure["layout"]["annotations"]}
    assert "version 2016" in annotations
    # The panel titles sit at the left, clear of the version labels over the dotted lines.
    assert annotations["Totalpoäng (av 800)"]["xanchor"] == "left"


def test_drafts_are_left_out_and_one_evaluation_draws_no_figure(published_reports):
    lulea = Municipality.objects.get(code="2580")
    make_evaluation_like(published_reports["lulea"], municipality=lulea, year=2016, status="draft")
    trend = build_trend(municipality_id=lulea.pk)
    assert [p.evaluation.year for p in trend.points] == [2018]
    assert trend.figure is None


def test_trend_takes_two_queries_with_a_version_change(
    lulea_over_three_evaluations, django_assert_num_queries
):
    # One for the evaluations; one for the kept questions, only across a version change.
    with django_assert_num_queries(2):
        build_trend(municipality_id=lulea_over_three_evaluations.pk)


def test_profile_shows_the_trend_chart_and_its_table(client, lulea_over_three_evaluations):
    html = client.get("/kommun/lulea/").content.decode()
    assert 'data-figure="trend-data"' in html
    data = re.search(r'<script id="trend-data" type="application/json">(.*?)</script>', html)
    assert len(json.loads(data.group(1))["data"]) == 9
    table = html[html.index('id="trend-table"') :].split("</table>")[0]
    assert "Totalpoäng och poäng per område i alla publicerade utvärderingar av Luleå" in table
    rows = table.split("<tbody>")[1].split("</tr>")[:-1]
    assert '<a href="/kommun/lulea/2012/">2012</a>' in rows[0] and ">413<" in rows[0]
    assert '2016 <span class="muted">(ny version)</span>' in rows[1]
    assert '2018 <span class="muted">(denna)</span>' in rows[2]
    assert "prickad linje markerar den första utvärderingen enligt en ny version" in html


def test_profile_with_one_evaluation_says_the_trend_needs_more(client, published_reports):
    html = client.get("/kommun/kalix/").content.decode()
    assert "Kommunen har bara en publicerad utvärdering i Kompass" in html
    assert "trend-data" not in html


def test_profile_query_count_does_not_grow_with_the_municipalitys_evaluations(
    client, published_reports, django_assert_max_num_queries
):
    lulea = Municipality.objects.get(code="2580")
    make_evaluation_like(published_reports["lulea"], municipality=lulea, year=2016)
    make_evaluation_like(published_reports["kalix"], municipality=lulea, year=2010)
    with django_assert_max_num_queries(22) as before:  # the page cache reads the data version first
        client.get("/kommun/lulea/")
    for year in (2011, 2012, 2014):
        make_evaluation_like(published_reports["kalix"], municipality=lulea, year=year)
    with django_assert_max_num_queries(len(before.captured_queries)):
        html = client.get("/kommun/lulea/").content.decode()
    assert html.count('<a href="/kommun/lulea/20') >= 4


def test_the_trend_follows_kept_questions_across_the_version_change(client, published_reports):

    # Kalix 2012's real figures as a Luleå 2015 (version 2010) before Luleå 2018 (2016).
    make_evaluation_like(
        published_reports["kalix"], municipality=Municipality.objects.get(code="2580"), year=2015
    )
    html = client.get("/kommun/lulea/").content.decode()
    table = html[html.index('id="kept-questions"') :].split("</table>")[0]
    rows = re.findall(r"<tr>\s*<th scope=\"row\">(.*?)</th>(.*?)</tr>", table, re.S)
    # Areas 1, 3 and 4: 16 questions the framework kept; none of area 2, 5-8.
    assert len(rows) == 16
    assert rows[4][0] == "1.5 Etik - Hur skapas tillit genom god etik?"
    assert re.findall(r'<td class="num">([^<]*)</td>', rows[4][1]) == ["10", "7,7", "9,5"]
    assert "2.1 " not in table


def test_no_kept_questions_without_a_version_change(client, published_reports):

    make_evaluation_like(
        published_reports["lulea"], municipality=Municipality.objects.get(code="2580"), year=2016
    )
    assert 'id="kept-questions"' not in client.get("/kommun/lulea/").content.decode()
