"""What the public pages show of weaknesses and of previous results stated in a later report."""

import csv
import io
import json
import re

import pytest

from comparisons.means import version_area_sums
from comparisons.profiles import build_profile
from comparisons.trends import build_trend
from evaluations import importing
from evaluations.models import Evaluation, FrameworkVersion

from .report_layouts import report_text, three_columns, with_sentences
from .test_report_parser_layouts import STATED

pytestmark = pytest.mark.django_db


def publish_text(text: str, name: str) -> Evaluation:
    parsed = importing.parse(text, reference=importing.load_reference())
    return importing.store(parsed, source_file=name, publish=True)


@pytest.fixture
def kalix_three_columns():
    return publish_text(three_columns(report_text("kalix")), "kalix-2012.txt")


@pytest.fixture
def lulea_stating():
    return publish_text(with_sentences(report_text("lulea"), STATED), "lulea-2018.txt")


def area_section(html: str, number: int) -> str:
    start = html.index(f'<article class="area" id="omrade-{number}"')
    return html[start : html.index("</article>", start)]


def test_the_profile_shows_a_third_list_where_the_evaluation_has_weaknesses(
    client, kalix_three_columns
):
    html = client.get("/kommun/kalix/2012/").content.decode()
    first = area_section(html, 1)
    assert "<h4>Svagheter</h4>" in first
    assert "<li>Informationen om resultat till medborgarna</li>" in first
    assert first.index("<h4>Förbättringsmöjligheter</h4>") < first.index("<h4>Svagheter</h4>")
    assert html.count("<h4>Svagheter</h4>") == 8


def test_the_profile_has_no_weaknesses_list_where_there_are_none(client):
    publish_text(report_text("lulea"), "lulea-2018.txt")
    html = client.get("/kommun/lulea/2018/").content.decode()
    assert "Svagheter" not in html


def test_good_examples_search_weaknesses_when_asked(client, kalix_three_columns):
    query = "/exempel/?q=Informationen+om+resultat"
    assert "0 träffar" in client.get(query).content.decode()
    assert "0 träffar" in client.get(f"{query}&forbattringar=1").content.decode()
    html = client.get(f"{query}&svagheter=1").content.decode()
    assert "1 träff för" in html
    assert '<span class="kind kind-weakness">Svaghet</span>' in html
    assert 'id="svagheter" name="svagheter" value="1" checked' in html


def test_the_radar_compares_with_the_stated_previous_result_labelled(lulea_stating):
    profile = build_profile(
        evaluation=Evaluation.objects.with_related().with_total().get(year=2018)
    )
    assert profile.previous.is_stated and profile.previous.year == 2015
    assert profile.series_names[1] == (
        "Luleå 2015 (uppgift ur rapporten 2018) (ej fullt jämförbar, version 2010)"
    )
    assert [row.previous_points for row in profile.areas] == [None] * 5 + [59, None, None]
    assert [row.change for row in profile.areas] == [None] * 8  # another version
    assert any(STATED in note for note in profile.notes)
    radar = profile.radar["data"][1]
    assert radar["r"][5] == 59 and radar["r"].count(None) >= 7


def test_the_profile_page_labels_the_stated_result_and_gives_it_no_page(client, lulea_stating):
    html = client.get("/kommun/lulea/").content.decode()
    assert '2015 <span class="muted">(uppgift ur rapporten 2018)</span>' in html
    trend = html[html.index('id="trend-table"') : html.index("</table>", html.index("trend-table"))]
    assert re.search(
        r"<th scope=\"row\">2015 <span class=\"muted\">\(uppgift ur rapporten 2018\)", trend
    )
    assert 'href="/kommun/lulea/2015/"' not in html
    assert client.get("/kommun/lulea/2015/").status_code == 404
    data = json.loads(
        re.search(r'<script id="radar-data" type="application/json">(.*?)</script>', html)[1]
    )
    assert data["data"][1]["name"].startswith("Luleå 2015 (uppgift ur rapporten 2018)")


def test_the_trend_takes_the_stated_result_with_its_stated_total(lulea_stating):
    trend = build_trend(municipality_id=lulea_stating.municipality_id)
    assert [(p.evaluation.year, p.total) for p in trend.points] == [(2015, 551), (2018, 575)]
    assert [p.evaluation.year for p in trend.stated] == [2015]
    assert trend.points[0].areas == [None] * 5 + [59, None, None]


def test_a_stated_result_is_never_counted_as_an_evaluation(client, lulea_stating):
    publish_text(report_text("kalix"), "kalix-2012.txt")
    version_2010 = FrameworkVersion.objects.get(code="2010")
    assert version_area_sums(framework_id=version_2010.pk).by_key[1].count == 1  # not Luleå 2015
    ranking = client.get("/rankning/?version=2010").content.decode()
    assert "Kalix" in ranking and "Luleå" not in ranking
    explorer = client.get("/delfragor/?kommun=lulea&version=2010").content.decode()
    assert "Luleå" not in explorer.split("<tbody", 1)[-1].split("</tbody>")[0]


def test_the_downloads_carry_the_weaknesses_in_the_reports_order(
    client, kalix_three_columns, settings, tmp_path
):
    settings.OPEN_DATA_DIR = tmp_path / "open-data"
    expected = {
        result.area.number: [item.text for item in result.list_items.filter(kind="weakness")]
        for result in kalix_three_columns.area_results.select_related("area")
    }
    assert [len(expected[n]) for n in range(1, 9)] == [2, 2, 2, 1, 1, 2, 2, 1]
    areas = client.get("/api/v1/evaluations/2514/2012").json()["areas"]
    assert {a["number"]: a["weaknesses"] for a in areas} == expected
    response = client.get("/data/list_items.csv")
    assert response.status_code == 200
    rows = csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig")))
    weaknesses: dict[int, list[tuple[int, str]]] = {}
    for row in rows:
        if row["kind"] == "weakness":
            assert row["kind_label"] == "Svaghet"
            weaknesses.setdefault(int(row["area"]), []).append((int(row["position"]), row["text"]))
    assert {n: [text for _p, text in sorted(items)] for n, items in weaknesses.items()} == expected
