"""comparisons.similar and the suggestions on the profile."""

from decimal import Decimal

import pytest

from comparisons.similar import similar_municipalities
from evaluations.models import Evaluation, Municipality

from .conftest import make_evaluation_like


def evaluation(slug: str) -> Evaluation:
    return (
        Evaluation.objects.published()
        .with_related()
        .with_total()
        .filter(municipality__slug=slug)
        .latest("year")
    )


def suggest(slug: str, **kwargs) -> list[tuple[str, bool, bool, Decimal | None]]:
    reference = evaluation(slug)
    return [
        (str(s.evaluation), s.same_county, s.same_version, s.difference)
        for s in similar_municipalities(evaluation=reference, total=reference.total, **kwargs)
    ]


@pytest.fixture
def peers_of_lulea(six_evaluated):
    """Besides Norrbotten's five: Luleå 2018's figures as Stockholm 2018 and Göteborg 2017
    (version 2016, other counties), and Kalix 2012's as Uppsala 2012 (version 2010)."""
    lulea, kalix = evaluation("lulea"), evaluation("kalix")
    for code, year in (("0180", 2018), ("1480", 2017)):
        make_evaluation_like(lulea, municipality=Municipality.objects.get(code=code), year=year)
    make_evaluation_like(kalix, municipality=Municipality.objects.get(code="0380"), year=2012)


def test_same_county_first_same_version_before_others_then_nearest_total(peers_of_lulea):
    # Luleå 575; Kiruna 423 (Lindesberg's table areas), Kalix 415 (printed), Boden 413.
    assert suggest("lulea") == [
        ("Piteå 2019", True, True, Decimal("0")),
        ("Kiruna 2021", True, False, None),
        ("Kalix 2012", True, False, None),
        ("Boden 2013", True, False, None),
        ("Göteborg 2017", False, True, Decimal("0")),
    ]


def test_outside_the_county_only_the_same_version_by_nearest_total(peers_of_lulea):
    # Lindesberg (printed 420) is alone in Örebro län; only Kiruna (423) shares version 2020.
    assert suggest("lindesberg") == [("Kiruna 2021", False, True, Decimal("3"))]
    # Uppsala (version 2010) has no county peer; Kalix's printed 415 is 2 from Uppsala's 413.
    assert suggest("uppsala") == [
        ("Boden 2013", False, True, Decimal("0")),
        ("Kalix 2012", False, True, Decimal("2")),
    ]


def test_excluded_municipalities_and_the_limit(peers_of_lulea):
    excluded = Municipality.objects.filter(slug__in=["pitea", "kalix"]).values_list("pk", flat=True)
    assert [s[0] for s in suggest("lulea", exclude_municipality_ids=excluded, limit=3)] == [
        "Kiruna 2021",
        "Boden 2013",
        "Göteborg 2017",
    ]


def test_only_each_municipalitys_latest_published_evaluation(peers_of_lulea):
    pitea = Municipality.objects.get(slug="pitea")
    make_evaluation_like(evaluation("kalix"), municipality=pitea, year=2010)
    make_evaluation_like(evaluation("kalix"), municipality=pitea, year=2022, status="draft")
    assert [s[0] for s in suggest("lulea")].count("Piteå 2019") == 1
    assert "Piteå 2010" not in [s[0] for s in suggest("lulea")]


def test_suggestions_take_one_query(peers_of_lulea, django_assert_num_queries):
    reference = evaluation("lulea")
    with django_assert_num_queries(1):
        similar_municipalities(evaluation=reference, total=reference.total)


def test_profile_suggests_similar_municipalities_with_a_link_to_compare(client, six_evaluated):
    html = client.get("/kommun/lulea/").content.decode()
    section = html[html.index('id="similar-heading"') :].split("</section>")[0]
    assert '<a href="/kommun/pitea/2019/">Piteå 2019</a>' in section
    assert "575 av 800 (±0)" in section
    assert '<a href="/jamfor/?k=lulea:2018&amp;k=pitea">Jämför med Piteå</a>' in section
    assert "version 2010, ej fullt jämförbar" in section  # Kalix


def test_profile_says_when_there_is_nothing_similar(client, published_reports):
    html = client.get("/kommun/lindesberg/").content.decode()
    assert "Det finns inga andra publicerade utvärderingar i samma län eller enligt samma" in html
