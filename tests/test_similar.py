"""comparisons.similar and the suggestions on the profile."""

from decimal import Decimal

import pytest

from comparisons.similar import similar_municipalities
from evaluations.models import Evaluation, Municipality

from .conftest import make_areas_like, make_evaluation_like


def evaluation(slug: str) -> Evaluation:
    return (
        Evaluation.objects.published()
        .with_related()
        .with_total()
        .filter(municipality__slug=slug)
        .latest("year")
    )


def areas(reference: Evaluation) -> dict:
    return {r.area.number: r.points for r in reference.area_results.select_related("area")}


def suggest(slug: str, **kwargs) -> list[tuple[str, bool, bool, Decimal | None]]:
    reference = evaluation(slug)
    return [
        (str(s.evaluation), s.same_county, s.same_version, s.distance)
        for s in similar_municipalities(
            evaluation=reference, areas=areas(reference), total=reference.total, **kwargs
        )
    ]


@pytest.fixture
def peers_of_lulea(six_evaluated):
    """Besides Norrbotten's five: Luleå 2018's figures as Stockholm 2018 and Göteborg 2017
    (version 2016, other counties), and Kalix 2012's as Uppsala 2012 (version 2010)."""
    lulea, kalix = evaluation("lulea"), evaluation("kalix")
    for code, year in (("0180", 2018), ("1480", 2017)):
        make_evaluation_like(lulea, municipality=Municipality.objects.get(code=code), year=year)
    make_evaluation_like(kalix, municipality=Municipality.objects.get(code="0380"), year=2012)


def test_nearest_profile_in_the_version_first_then_the_county_then_other_versions(
    peers_of_lulea,
):
    # Piteå, Göteborg and Stockholm carry Luleå's own figures: distance 0, Piteå (same county)
    # first. Then Norrbotten's evaluations in other versions, by name.
    assert suggest("lulea") == [
        ("Piteå 2019", True, True, Decimal("0")),
        ("Göteborg 2017", False, True, Decimal("0")),
        ("Stockholm 2018", False, True, Decimal("0")),
        ("Boden 2013", True, False, None),
        ("Kalix 2012", True, False, None),
    ]


def test_the_distance_is_over_the_areas_not_the_total(published_reports):
    lulea = published_reports["lulea"]
    # Kalix 2012's printed area scores as a version-2016 Piteå, Luleå's figures as Stockholm.
    make_areas_like(
        published_reports["kalix"],
        framework=lulea.framework,
        municipality=Municipality.objects.get(code="2581"),
        year=2019,
    )
    make_evaluation_like(lulea, municipality=Municipality.objects.get(code="0180"), year=2018)
    reference = evaluation("lulea")
    found = similar_municipalities(
        evaluation=reference, areas=areas(reference), total=reference.total
    )
    # Luleå 79 74 72 65 66 69 65 85 against Kalix 41 40 65 58 49 43 56 61: 162 / 8 = 20.25.
    assert [(str(s.evaluation), s.distance, s.difference) for s in found] == [
        ("Stockholm 2018", Decimal("0"), Decimal("0")),
        ("Piteå 2019", Decimal("20.3"), Decimal("-162")),
        ("Kalix 2012", None, None),  # same county, version 2010
    ]
    assert found[1].reasons == ["i snitt 20,3 poäng ifrån per område", "samma län"]


def test_excluded_municipalities_and_the_limit(peers_of_lulea):
    excluded = Municipality.objects.filter(slug__in=["pitea", "goteborg"]).values_list(
        "pk", flat=True
    )
    assert [s[0] for s in suggest("lulea", exclude_municipality_ids=excluded, limit=3)] == [
        "Stockholm 2018",
        "Boden 2013",
        "Kalix 2012",
    ]


def test_only_each_municipalitys_latest_published_evaluation(peers_of_lulea):
    pitea = Municipality.objects.get(slug="pitea")
    make_evaluation_like(evaluation("kalix"), municipality=pitea, year=2010)
    make_evaluation_like(evaluation("kalix"), municipality=pitea, year=2022, status="draft")
    assert [s[0] for s in suggest("lulea")].count("Piteå 2019") == 1
    assert "Piteå 2010" not in [s[0] for s in suggest("lulea")]


def test_the_same_kommungrupp_is_a_reason(peers_of_lulea):
    Evaluation.objects.filter(municipality__slug__in=["lulea", "pitea"]).update(
        kommungrupp="10 Kommuner i glesbefolkad region"
    )
    reference = evaluation("lulea")
    first = similar_municipalities(
        evaluation=reference, areas=areas(reference), total=reference.total
    )[0]
    assert first.reasons == [
        "i snitt 0 poäng ifrån per område",
        "samma län",
        "samma kommungrupp",
    ]


def test_suggestions_take_one_query(peers_of_lulea, django_assert_num_queries):
    reference = evaluation("lulea")
    own = areas(reference)
    with django_assert_num_queries(1):
        similar_municipalities(evaluation=reference, areas=own, total=reference.total)


def test_profile_suggests_similar_municipalities_with_a_link_to_compare(client, six_evaluated):
    html = client.get("/kommun/lulea/").content.decode()
    section = html[html.index('id="similar-heading"') :].split("</section>")[0]
    assert '<a href="/kommun/pitea/2019/">Piteå 2019</a>' in section
    assert "575 av 800 (±0)" in section
    assert "varför: i snitt 0 poäng ifrån per område, samma län" in section
    assert '<a href="/jamfor/?k=lulea:2018&amp;k=pitea">Jämför med Piteå</a>' in section
    assert "utvärderad enligt version 2010, inte fullt jämförbar" in section  # Kalix


def test_profile_says_when_there_is_nothing_similar(client, published_reports):
    html = client.get("/kommun/lindesberg/").content.decode()
    assert "Det finns inga andra publicerade utvärderingar i samma län eller enligt samma" in html
