import csv
import json

import pytest

from evaluations.models import County, FrameworkVersion, Municipality, Question

from .conftest import DATA_DIR

pytestmark = pytest.mark.django_db


def test_every_municipality_and_county_is_loaded():
    with open(DATA_DIR / "municipalities.csv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert Municipality.objects.count() == len(rows) == 290
    assert County.objects.count() == 21
    lulea = Municipality.objects.get(code="2580")
    assert (lulea.name, lulea.short_name, lulea.county.code) == ("Luleå kommun", "Luleå", "25")
    assert Municipality.objects.get(code="0114").short_name == "Upplands Väsby"


def test_slugs_are_ascii_unique_and_keep_habo_apart_from_habo():
    slugs = dict(Municipality.objects.values_list("short_name", "slug"))
    assert slugs["Luleå"] == "lulea"
    assert slugs["Östersund"] == "ostersund"
    assert slugs["Upplands Väsby"] == "upplands-vasby"
    assert slugs["Habo"] == "habo"
    assert slugs["Håbo"] == "habo-uppsala"
    assert all(slug.isascii() for slug in slugs.values())
    assert len(set(slugs.values())) == 290


@pytest.mark.parametrize(("code", "questions"), [("2010", 45), ("2016", 45), ("2020", 35)])
def test_framework_versions_hold_every_sub_question(code, questions):
    framework = FrameworkVersion.objects.get(code=code)
    assert framework.areas.count() == 8
    assert Question.objects.filter(area__framework=framework).count() == questions
    for area in framework.areas.prefetch_related("questions"):
        assert sum(q.max_points for q in area.questions.all()) == 100, area


def test_framework_reference_matches_domain_tables():
    spec = {f["code"]: f for f in json.loads((DATA_DIR / "frameworks.json").read_text())}
    q = Question.objects.get(area__framework__code="2016", code="1.4")
    assert q.text == "Hur främjas invånardialog och deltagande?" and q.max_points == 30
    assert Question.objects.get(area__framework__code="2020", code="3.2").max_points == 40
    assert FrameworkVersion.objects.get(code="2016").areas.get(number=7).title == (
        "Ständiga förbättringar"
    )
    assert spec["2016"]["areas"][7]["questions"][6]["code"] == "8.7"
    assert FrameworkVersion.objects.get(code="2020").previous.code == "2016"
