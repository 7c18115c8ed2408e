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


def test_questions_know_their_predecessor_only_where_the_framework_kept_them():
    linked = Question.objects.filter(previous__isnull=False).select_related(
        "area__framework", "previous__area__framework"
    )
    # DOMAIN.md: version 2016 kept the sub-questions of areas 1, 3 and 4 (reworded); areas 2,
    # 5, 6, 7 and 8 changed, and version 2020 is a new framework.
    assert sorted(q.code for q in linked) == [
        *(f"1.{n}" for n in range(1, 6)),
        *(f"3.{n}" for n in range(1, 6)),
        *(f"4.{n}" for n in range(1, 7)),
    ]
    for question in linked:
        assert (question.area.framework.code, question.previous.area.framework.code) == (
            "2016",
            "2010",
        )
        assert question.previous.code == question.code
        assert question.previous.max_points == question.max_points
    changes = dict(linked.values_list("code", "previous_change"))
    assert changes["1.1"] == Question.Change.SAME  # word for word
    assert changes["1.5"] == Question.Change.REWORDED  # "korruption" → "tillit genom god etik"
    assert not Question.objects.filter(area__framework__code="2020", previous__isnull=False)


def test_a_predecessor_needs_its_change_and_the_previous_version():
    from django.core.exceptions import ValidationError
    from django.db import IntegrityError, transaction

    question = Question.objects.get(area__framework__code="2016", code="2.3")
    question.previous = Question.objects.get(area__framework__code="2010", code="2.3")
    with pytest.raises(IntegrityError), transaction.atomic():
        question.save()  # no previous_change
    question.previous_change = Question.Change.REWORDED
    question.previous = Question.objects.get(area__framework__code="2020", code="2.3")
    with pytest.raises(ValidationError, match="föregående version"):
        question.full_clean()
    question.previous = Question.objects.get(area__framework__code="2010", code="2.3")
    with pytest.raises(ValidationError, match="annan maxpoäng"):
        question.full_clean()  # 15 points in 2010, 20 in 2016: changed, as DOMAIN.md says
