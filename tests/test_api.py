"""The JSON API /api/v1/ through Django's test client: what it returns and how it behaves."""

from decimal import Decimal

import pytest
from django.core.cache import cache
from django.utils.http import http_date

from evaluations import dataversion
from evaluations.models import Evaluation, Municipality

from .conftest import make_evaluation_like

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    cache.clear()  # the rate limit counts in the cache
    yield
    cache.clear()


def get(client, url, **headers):
    response = client.get(url, headers=headers)
    assert response["Content-Type"].startswith("application/json"), response.content[:200]
    return response


def test_the_index_names_the_endpoints_the_schema_and_the_docs(client, published_reports):
    body = get(client, "/api/v1/").json()
    assert body["endpoints"]["evaluations"] == "http://testserver/api/v1/evaluations"
    assert body["openapi"] == "http://testserver/api/v1/openapi.json"
    assert body["docs"] == "http://testserver/api/v1/docs/"
    assert body["licence"] == "CC BY 4.0"


def test_an_evaluation_by_its_stable_id_has_every_figure_and_text(client, published_reports):
    body = get(client, "/api/v1/evaluations/2580/2018").json()
    assert body["id"] == "2580/2018"
    assert body["web_url"] == "http://testserver/kommun/lulea/2018/"
    assert (body["version"], body["ordinal"], body["previous_year"]) == ("2016", 2, 2015)
    assert body["total"] == 575
    assert [a["points"] for a in body["areas"]] == [79, 74, 72, 65, 66, 69, 65, 85]
    area1 = body["areas"][0]
    assert area1["title"] == "Offentlighet och demokrati"
    assert area1["header_points"] is not None
    assert area1["text"] and area1["strengths"] and area1["improvements"]
    assert area1["weaknesses"] == []
    # 1.5 printed as 10 of 10 but 95 %: stored 9.5, the printed figures beside it.
    q15 = next(q for q in area1["questions"] if q["code"] == "1.5")
    assert (q15["points"], q15["printed_points"], q15["printed_percent"]) == (9.5, 10, 95)
    assert q15["percent"] == 95
    stored = Evaluation.objects.get(municipality__code="2580")
    assert body["summary"] == stored.summary and body["evaluators"] == stored.evaluators


def test_an_evaluation_says_where_its_reports_figures_disagree(client, published_reports):
    """Kalix 2012 prints 415 in its text; its areas sum to 413 (DOMAIN.md)."""
    notes = get(client, "/api/v1/evaluations/2514/2012").json()["notes"]
    total = next(n for n in notes if n["kind"] == "total")
    assert "415" in total["text"] and "413" in total["text"]
    rounding = get(client, "/api/v1/evaluations/2580/2018").json()["notes"]
    assert any(n["kind"] == "rounding" and "9,5" in n["text"] for n in rounding)


def test_a_municipality_by_its_code_lists_its_evaluations(client, published_reports):
    body = get(client, "/api/v1/municipalities/2580").json()
    assert (body["name"], body["official_name"], body["slug"]) == ("Luleå", "Luleå kommun", "lulea")
    assert body["county"] == {"code": "25", "name": "Norrbottens län"}
    assert [e["id"] for e in body["evaluations"]] == ["2580/2018"]
    assert body["evaluations"][0]["url"] == "http://testserver/api/v1/evaluations/2580/2018"


def test_a_municipality_lists_where_published_reports_recommend_it(client, published_reports):
    body = get(client, "/api/v1/municipalities/0682").json()  # Nässjö
    assert body["evaluations"] == []
    assert body["good_example_mentions"] == [
        {
            "evaluation": "1885/2021",
            "municipality": "Lindesberg",
            "year": 2021,
            "part": "area_text",
            "area": 8,
            "sentence": "Nässjö är ett gott exempel på arbete med medarbetarskap, exempelvis med "
            "ett utskick redan innan anställning påbörjas.",
            "url": "http://testserver/api/v1/evaluations/1885/2021",
            "web_url": "http://testserver/kommun/lindesberg/2021/#omrade-8",
        }
    ]
    assert get(client, "/api/v1/municipalities/2580").json()["good_example_mentions"] == []
    Evaluation.objects.filter(municipality__code="1885").update(status=Evaluation.Status.DRAFT)
    dataversion.bump()  # a QuerySet.update sends no signal
    assert get(client, "/api/v1/municipalities/0682").json()["good_example_mentions"] == []


def test_all_290_municipalities_page_by_page_with_counts(client, published_reports):
    first = get(client, "/api/v1/municipalities?page_size=100").json()
    assert (first["count"], first["pages"], len(first["items"])) == (290, 3, 100)
    assert first["previous"] is None
    assert first["next"] == "http://testserver/api/v1/municipalities?page_size=100&page=2"
    last = get(client, "/api/v1/municipalities?page_size=100&page=3").json()
    assert len(last["items"]) == 90 and last["next"] is None
    past = get(client, "/api/v1/municipalities?page_size=100&page=4").json()
    assert past["items"] == [] and past["count"] == 290
    codes = [m["code"] for m in first["items"]]
    assert codes == sorted(codes)


def test_municipalities_filtered_by_county_and_evaluation(client, published_reports):
    evaluated = get(client, "/api/v1/municipalities?evaluated=true").json()
    assert [m["code"] for m in evaluated["items"]] == ["1885", "2514", "2580"]
    norrbotten = get(client, "/api/v1/municipalities?county=25&evaluated=false").json()
    assert norrbotten["count"] == Municipality.objects.filter(county__code="25").count() - 2


def test_evaluations_filtered_by_municipality_county_version_and_year(client, published_reports):
    def ids(query):
        return [e["id"] for e in get(client, f"/api/v1/evaluations?{query}").json()["items"]]

    assert ids("") == ["1885/2021", "2514/2012", "2580/2018"]
    assert ids("municipality=2514") == ["2514/2012"]
    assert ids("county=25") == ["2514/2012", "2580/2018"]
    assert ids("version=2020") == ["1885/2021"]
    assert ids("year=2018&county=25") == ["2580/2018"]
    assert ids("year=2019") == []


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("year=abc", "year"),
        ("year=1999", "year"),
        ("municipality=25800", "municipality"),
        ("municipality=9999", "municipality"),
        ("county=99", "county"),
        ("version=1999", "version"),
        ("page=0", "page"),
        ("page_size=1000", "page_size"),
    ],
)
def test_a_bad_parameter_is_a_json_400_naming_the_field(client, published_reports, query, field):
    response = get(client, f"/api/v1/evaluations?{query}")
    assert response.status_code == 400
    assert [e["field"] for e in response.json()["errors"]] == [field]
    assert response.json()["errors"][0]["message"]


def test_unknown_ids_and_paths_are_json_404s(client, published_reports):
    for url in (
        "/api/v1/evaluations/2580/2017",
        "/api/v1/municipalities/9999",
        "/api/v1/versions/1999",
        "/api/v1/versions/2016/questions/8.9",
        "/api/v1/ingenting",
    ):
        response = get(client, url)
        assert response.status_code == 404, url
        assert response.json()["detail"]


def test_a_control_character_is_a_json_400(client):
    response = get(client, "/api/v1/evaluations?year=%00")
    assert response.status_code == 400
    assert response.json()["detail"]


def test_drafts_never_appear(client, open_data_reports):
    """Lindesberg 2021 is a draft: absent from every list, count, mean and ranking."""
    assert get(client, "/api/v1/evaluations/1885/2021").status_code == 404
    assert "1885/2021" not in [e["id"] for e in get(client, "/api/v1/evaluations").json()["items"]]
    assert get(client, "/api/v1/evaluations?version=2020").json()["count"] == 0
    assert get(client, "/api/v1/municipalities/1885").json()["evaluations"] == []
    orebro = next(c for c in get(client, "/api/v1/counties").json() if c["code"] == "18")
    assert orebro["evaluated"] == 0
    assert get(client, "/api/v1/versions/2020/ranking").json()["count"] == 0
    assert get(client, "/api/v1/versions/2020/questions/1.1").json()["items"] == []
    means = get(client, "/api/v1/versions/2020/means").json()
    assert means["n"] == 0 and {a["mean"] for a in means["areas"]} == {None}
    assert (
        next(v for v in get(client, "/api/v1/versions").json() if v["code"] == "2020")[
            "evaluations"
        ]
        == 0
    )
    dump = b"".join(
        get(client, url).content
        for url in ("/api/v1/evaluations", "/api/v1/municipalities?evaluated=true")
    )
    assert b"Lindesberg" not in dump


def test_a_stated_previous_result_is_no_evaluation_but_is_shown_marked(client, open_data_reports):
    """Luleå 2015, known only from Luleå 2018's report: not listed, counted or ranked."""
    assert get(client, "/api/v1/evaluations/2580/2015").status_code == 404
    assert get(client, "/api/v1/evaluations?municipality=2580").json()["count"] == 1
    assert [
        e["year"] for e in get(client, "/api/v1/municipalities/2580").json()["evaluations"]
    ] == [2018]
    assert get(client, "/api/v1/versions/2016/means").json()["n"] == 1
    previous = get(client, "/api/v1/evaluations/2580/2018").json()["previous"]
    assert previous["origin"] == "stated" and previous["year"] == 2015
    assert previous["id"] is None
    assert previous["source"] == open_data_reports["stated"].stated_source


def test_a_previous_evaluation_held_by_kompass_is_referenced_by_id(client, published_reports):
    kalix = published_reports["kalix"]
    make_evaluation_like(kalix, municipality=kalix.municipality, year=2003)
    previous = get(client, "/api/v1/evaluations/2514/2012").json()["previous"]
    assert (previous["origin"], previous["id"], previous["total"]) == ("report", "2514/2003", 413)
    assert get(client, "/api/v1/evaluations/2580/2018").json()["previous"]["origin"] == "unknown"


def test_versions_list_areas_and_questions(client):
    versions = get(client, "/api/v1/versions").json()
    assert [v["code"] for v in versions] == ["2010", "2016", "2020"]
    v2016 = versions[1]
    assert v2016["previous"] == "2010"
    assert len(v2016["areas"]) == 8
    area8 = v2016["areas"][7]
    assert [q["code"] for q in area8["questions"]] == [f"8.{n}" for n in range(1, 8)]
    assert sum(q["max_points"] for q in area8["questions"]) == 100


def test_means_per_version_say_how_many_they_cover(client, six_evaluated):
    means = get(client, "/api/v1/versions/2016/means").json()
    assert means["n"] == 2  # Luleå 2018 and the copy of its figures as Piteå 2019
    assert means["areas"][0]["mean"] == 79
    q15 = next(q for q in means["questions"] if q["code"] == "1.5")
    assert (q15["mean"], q15["n"]) == (9.5, 2)
    assert "Oviktat" in means["method"]


def test_ranking_by_total_and_by_area_with_shared_positions(client, six_evaluated):
    ranking = get(client, "/api/v1/versions/2010/ranking").json()
    # Kalix's report prints 415; the copy of its area scores as Boden sums to 413.
    assert [(i["position"], i["evaluation"], i["score"]) for i in ranking["items"]] == [
        (1, "2514/2012", 415),
        (2, "2582/2013", 413),
    ]
    by_area = get(client, "/api/v1/versions/2016/ranking?area=3&latest=true").json()
    assert by_area["area"] == 3 and by_area["count"] == 2
    assert [(i["position"], i["score"]) for i in by_area["items"]] == [(1, 72), (1, 72)]
    assert get(client, "/api/v1/versions/2016/ranking?area=9").status_code == 400


def test_one_question_across_the_country(client, six_evaluated):
    body = get(client, "/api/v1/versions/2016/questions/1.5").json()
    assert body["question"]["max_points"] == 10
    assert body["mean"] == 9.5 and body["count"] == 2
    assert {(i["score"], i["percent"], i["difference_to_mean"]) for i in body["items"]} == {
        (9.5, 95, 0)
    }
    assert body["same_code_in_other_versions"] == ["2010", "2020"]


def test_etag_and_last_modified_answer_304_until_the_data_changes(client, published_reports):
    first = get(client, "/api/v1/evaluations/2580/2018")
    etag, modified = first["ETag"], first["Last-Modified"]
    assert etag.startswith('W/"') and modified
    assert (
        client.get("/api/v1/evaluations/2580/2018", headers={"If-None-Match": etag}).status_code
        == 304
    )
    assert (
        client.get(
            "/api/v1/evaluations/2580/2018", headers={"If-Modified-Since": modified}
        ).status_code
        == 304
    )
    lulea = published_reports["lulea"]
    lulea.area_results.filter(area__number=1).update(points=Decimal("78"))
    lulea.save()  # an edit of public data raises the data version
    again = get(client, "/api/v1/evaluations/2580/2018", **{"If-None-Match": etag})
    assert again.status_code == 200 and again["ETag"] != etag
    assert again.json()["areas"][0]["points"] == 78
    assert http_date(0) != again["Last-Modified"]


def test_cors_is_open_for_get_on_the_api_only(client, published_reports):
    origin = {"Origin": "https://forskare.example.org"}
    assert client.get("/api/v1/versions", headers=origin)["Access-Control-Allow-Origin"] == "*"
    preflight = client.options(
        "/api/v1/versions",
        headers={**origin, "Access-Control-Request-Method": "GET"},
    )
    assert "GET" in preflight["Access-Control-Allow-Methods"]
    assert "POST" not in preflight["Access-Control-Allow-Methods"]
    assert "Access-Control-Allow-Origin" not in client.get("/kommun/lulea/", headers=origin)


def test_the_api_is_read_only(client):
    assert client.post("/api/v1/versions").status_code == 405


def test_a_rate_limit_per_address(client, settings, published_reports):
    settings.API_RATE_LIMIT = "3/min"
    for _ in range(3):
        assert client.get("/api/v1/versions", REMOTE_ADDR="10.1.1.1").status_code == 200
    refused = client.get("/api/v1/versions", REMOTE_ADDR="10.1.1.1")
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0 and refused.json()["detail"]
    assert client.get("/api/v1/versions", REMOTE_ADDR="10.1.1.2").status_code == 200
    # A forged X-Forwarded-For does not give a fresh allowance when no proxy is trusted...
    assert (
        client.get(
            "/api/v1/versions", REMOTE_ADDR="10.1.1.1", HTTP_X_FORWARDED_FOR="1.2.3.4"
        ).status_code
        == 429
    )
    # ...and behind one proxy (nginx) the client is the address that proxy saw.
    settings.NINJA_NUM_PROXIES = 1
    behind = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "9.9.9.9, 10.2.2.2"}
    assert all(client.get("/api/v1/versions", **behind).status_code == 200 for _ in range(3))
    assert client.get("/api/v1/versions", **behind).status_code == 429


def test_openapi_schema_and_the_docs_page_describe_every_endpoint(client):
    schema = get(client, "/api/v1/openapi.json").json()
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["license"]["name"] == "CC BY 4.0"
    paths = set(schema["paths"])
    assert {
        "/api/v1/evaluations/{code}/{year}",
        "/api/v1/municipalities",
        "/api/v1/versions/{version}/means",
        "/api/v1/versions/{version}/ranking",
        "/api/v1/versions/{version}/questions/{code}",
    } <= paths
    docs = client.get("/api/v1/docs/")
    assert docs.status_code == 200
    html = docs.content.decode()
    for path in paths:
        assert f"GET {path}" in html
    assert '<script src="http' not in html and "cdn" not in html.lower()


def test_the_evaluation_list_runs_a_fixed_number_of_queries(
    client, six_evaluated, django_assert_max_num_queries
):
    with django_assert_max_num_queries(9):
        body = get(client, "/api/v1/evaluations?page_size=100").json()
    assert body["count"] == 6
    with django_assert_max_num_queries(5):
        assert get(client, "/api/v1/municipalities?page_size=300").json()["count"] == 290
