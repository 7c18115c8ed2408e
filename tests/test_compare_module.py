"""comparisons.comparison: parsing the k= keys and building a comparison, without HTTP."""

from decimal import Decimal

from comparisons.comparison import Key, build_comparison, parse_keys, with_codes_as_slugs
from evaluations.models import Evaluation, Municipality

from .conftest import make_evaluation_like


def test_keys_are_slugs_with_an_optional_year_in_order_without_repeats():
    parsed = parse_keys(["lulea", " Kalix:2012 ", "lulea", "", "lulea:2018", "bad/key", "a:1"])
    assert parsed.keys == [Key("lulea"), Key("kalix", 2012), Key("lulea", 2018)]
    assert parsed.malformed == ["bad/key", "a:1"]
    assert [str(k) for k in parsed.keys] == ["lulea", "kalix:2012", "lulea:2018"]


def test_names_as_typed_are_folded_to_slugs():
    parsed = parse_keys(["Luleå", "Upplands Väsby:2019", "ÖSTERSUND"])
    assert parsed.keys == [Key("lulea"), Key("upplands-vasby", 2019), Key("ostersund")]


def test_codes_become_slugs(db):
    keys = with_codes_as_slugs([Key("2580", 2018), Key("kalix"), Key("9999")])
    assert keys == [Key("lulea", 2018), Key("kalix"), Key("9999")]


def test_a_malformed_key_is_shortened_for_display():
    assert parse_keys(["x y" * 100]).malformed == [("x y" * 100)[:110]]


def test_comparison_has_areas_totals_and_differences_to_the_first(published_reports):
    comparison = build_comparison(keys=[Key("kalix"), Key("lulea")])
    assert [m.label for m in comparison.members] == ["Kalix 2012", "Luleå 2018"]
    assert comparison.versions == ["2010", "2016"] and comparison.mixed_versions
    area_1 = comparison.areas[0]
    assert [(c.points, c.difference) for c in area_1.cells] == [
        (Decimal("41.0"), None),
        (Decimal("79.0"), Decimal("38.0")),
    ]
    assert comparison.areas[6].titles == ["Verksamhetsutveckling", "Ständiga förbättringar"]
    assert [(c.points, c.difference) for c in comparison.totals] == [
        (Decimal("415"), None),
        (Decimal("575"), Decimal("160")),
    ]


def test_radar_has_one_series_per_member_named_with_version_when_mixed(published_reports):
    comparison = build_comparison(keys=[Key("lulea"), Key("kalix"), Key("lindesberg")])
    traces = comparison.radar["data"]
    assert [t["name"] for t in traces] == [
        "Luleå 2018 (version 2016)",
        "Kalix 2012 (version 2010)",
        "Lindesberg 2021 (version 2020)",
    ]
    assert [t["line"]["dash"] for t in traces] == ["solid", "dash", "dot"]
    assert traces[0]["theta"][0] == "Område 1"  # area titles differ between the versions


def test_radar_uses_area_titles_when_all_share_a_version(six_evaluated):
    comparison = build_comparison(keys=[Key("lulea"), Key("pitea")])
    assert not comparison.mixed_versions
    assert comparison.radar["data"][0]["theta"][0] == "1 Offentlighet och<br>demokrati"


def test_kept_questions_line_up_and_the_rest_are_grouped_by_version(published_reports):
    comparison = build_comparison(keys=[Key("lulea"), Key("kalix")])
    groups = comparison.question_groups
    assert [(g.version, g.kept, [m.label for m in g.members]) for g in groups] == [
        ("", True, ["Luleå 2018", "Kalix 2012"]),
        ("2016", False, ["Luleå 2018"]),
        ("2010", False, ["Kalix 2012"]),
    ]
    # Areas 1, 3 and 4 (16 questions) kept from 2010 to 2016: one row each, both municipalities.
    kept = groups[0].rows
    assert len(kept) == 16
    row_15 = next(row for row in kept if row.code == "1.5")
    assert row_15.question == "Etik - Hur skapas tillit genom god etik?"  # the 2016 wording
    assert row_15.wordings == ["2010: 1.5 Etik - hur hantera korruption?"]
    assert row_15.points == [Decimal("9.5"), Decimal("7.7")]
    lulea_21 = next(row for row in groups[1].rows if row.code == "2.1")
    assert (lulea_21.max_points, lulea_21.points) == (15, [Decimal("12")])
    assert len(groups[1].rows) == 45 - 16 and len(groups[2].rows) == 45 - 16
    assert "1.5" not in [row.code for row in groups[1].rows]


def test_no_line_up_within_one_version_or_against_2020(six_evaluated):
    same = build_comparison(keys=[Key("lulea"), Key("pitea")]).question_groups
    assert [g.kept for g in same] == [False]
    with_2020 = build_comparison(keys=[Key("lulea"), Key("lindesberg")]).question_groups
    assert [(g.version, g.kept) for g in with_2020] == [("2016", False), ("2020", False)]


def test_a_summary_only_evaluation_has_no_question_rows(published_reports):
    published_reports["kalix"].scores.all().delete()
    comparison = build_comparison(keys=[Key("kalix"), Key("lulea")])
    assert comparison.question_groups[0].rows == []


def test_unknown_unevaluated_and_repeated_keys(published_reports):
    comparison = build_comparison(
        keys=[Key("lulea"), Key("nowhere"), Key("habo"), Key("kalix", 2013), Key("lulea", 2018)]
    )
    assert [m.key for m in comparison.members] == [Key("lulea")]
    assert comparison.not_found == ["nowhere", "kalix:2013"]
    assert [m.short_name for m in comparison.not_evaluated] == ["Habo"]


def test_drafts_are_never_compared(published_reports):
    Evaluation.objects.filter(municipality__slug="lulea").update(status=Evaluation.Status.DRAFT)
    comparison = build_comparison(keys=[Key("lulea"), Key("kalix")])
    assert [m.label for m in comparison.members] == ["Kalix 2012"]
    assert [m.short_name for m in comparison.not_evaluated] == ["Luleå"]


def test_year_choices_list_every_published_evaluation_latest_first(published_reports):
    make_evaluation_like(
        published_reports["kalix"], municipality=Municipality.objects.get(code="2580"), year=2015
    )
    member = build_comparison(keys=[Key("lulea", 2015)]).members[0]
    assert member.key == Key("lulea", 2015)
    assert [(str(c.key), c.year, c.version, c.selected) for c in member.year_choices] == [
        ("lulea", 2018, "2016", False),
        ("lulea:2015", 2015, "2010", True),
    ]


def test_building_takes_a_fixed_number_of_queries(six_evaluated, django_assert_num_queries):
    with django_assert_num_queries(9):  # the means read the data version they are cached under
        comparison = build_comparison(keys=[Key(slug) for slug in six_evaluated])
    assert len(comparison.members) == 6
    assert [(g.version, g.kept) for g in comparison.question_groups] == [
        ("", True),
        ("2016", False),
        ("2010", False),
        ("2020", False),
    ]
