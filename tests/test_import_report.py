import json
import re
from decimal import ROUND_HALF_UP, Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from evaluations.models import AreaListItem, AreaResult, Evaluation, QuestionScore

from .conftest import REPORT_FILES

pytestmark = pytest.mark.django_db

# Overview table rows as printed: "1.5\tText\t10\t10\t95%" or "1.1 Text\t6\t20\t30%".
TABLE_ROW = re.compile(r"^(\d\.\d)[\t ].*\t(\d+)\t(\d+)\t(\d+) ?%$", re.M)


def printed_rows(name: str) -> list[tuple[str, int, int, int]]:
    text = REPORT_FILES[name].read_text(encoding="utf-8")
    return [(code, int(p), int(m), int(c)) for code, p, m, c in TABLE_ROW.findall(text)]


def half_up(value: Decimal) -> int:
    return int(value.quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def run(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import_report", *map(str, args), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def run_failing(*args) -> str:
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_report", *map(str, args), stdout=StringIO(), stderr=err)
    return err.getvalue()


def flatten(text: str, header: str) -> str:
    """The flattened shape: line breaks and tabs lost, a page header every ~400 characters."""
    flat = re.sub(r"\s+", " ", text)
    pieces = [flat[i : i + 400] for i in range(0, len(flat), 400)]
    return "".join(
        f"{piece} {header} {n} (40) " if n % 2 else piece for n, piece in enumerate(pieces, 1)
    )


@pytest.mark.parametrize("name", ["kalix", "lulea", "lindesberg"])
def test_every_sub_question_score_matches_the_report(name):
    run(REPORT_FILES[name])
    rows = printed_rows(name)
    framework_questions = {35: "2020", 45: None}
    assert len(rows) in framework_questions
    stored = {
        s.question.code: s
        for s in QuestionScore.objects.select_related("question").filter(evaluation__year__gt=0)
    }
    assert len(stored) == len(rows)
    for code, printed, max_points, percent in rows:
        score = stored[code]
        assert score.question.max_points == max_points, code
        assert score.printed_points == printed and score.printed_percent == percent, code
        if score.points != printed:
            # Stored more precisely than printed: it must round to the printed figures.
            assert half_up(score.points) == printed, code
            assert half_up(score.points * 100 / max_points) == percent, code


def test_lulea_precise_value_from_the_percent_column():
    run(REPORT_FILES["lulea"])
    score = QuestionScore.objects.get(question__code="1.5")
    assert (score.points, score.printed_points, score.printed_percent) == (Decimal("9.5"), 10, 95)


@pytest.mark.parametrize(
    ("name", "code", "year", "month", "version", "ordinal", "previous", "total", "areas"),
    [
        ("kalix", "2514", 2012, 11, "2010", 2, 2003, 415, [41, 40, 65, 58, 49, 43, 56, 61]),
        ("lulea", "2580", 2018, 10, "2016", 2, 2015, 575, [79, 74, 72, 65, 66, 69, 65, 85]),
        ("lindesberg", "1885", 2021, 3, "2020", 1, None, 420, [47, 42, 56, 46, 52, 47, 72, 61]),
    ],
)
def test_report_facts_are_stored(name, code, year, month, version, ordinal, previous, total, areas):
    run(REPORT_FILES[name])
    evaluation = Evaluation.objects.with_total().get()
    assert evaluation.municipality.code == code
    assert (evaluation.year, evaluation.month, evaluation.framework.code) == (year, month, version)
    assert (evaluation.ordinal, evaluation.previous_year) == (ordinal, previous)
    assert evaluation.interviewed == 40
    assert evaluation.total == total
    assert evaluation.status == Evaluation.Status.DRAFT
    assert evaluation.source_file == REPORT_FILES[name].name
    points = list(evaluation.area_results.order_by("area__number").values_list("points", flat=True))
    assert points == areas


def test_header_and_table_scores_are_both_kept_and_disagreements_warned():
    run(REPORT_FILES["lulea"])
    area3 = AreaResult.objects.get(area__number=3)
    assert (area3.header_points, area3.table_points, area3.points) == (71, 72, 72)
    warnings = Evaluation.objects.get().import_warnings
    assert any("Område 3" in w and "71" in w and "72" in w for w in warnings)


def test_printed_total_that_differs_from_the_areas_is_kept_and_warned():
    run(REPORT_FILES["kalix"])
    evaluation = Evaluation.objects.with_total().get()
    assert (evaluation.printed_total, evaluation.areas_total) == (415, 413)
    assert any("415" in w and "413" in w for w in evaluation.import_warnings)


def test_summary_evaluators_and_kortfakta_are_stored():
    run(REPORT_FILES["lulea"], REPORT_FILES["kalix"])
    lulea = Evaluation.objects.get(municipality__code="2580")
    assert lulea.evaluators.startswith("Ulrika Elming")
    assert lulea.summary.startswith("Vid en först anblick kan tyckas")
    assert lulea.report_date.isoformat() == "2019-01-15"
    kalix = Evaluation.objects.get(municipality__code="2514")
    assert any("Kommungrupp" in label for label in kalix.kortfakta)
    assert kalix.kommungrupp.startswith("10 Kommuner i glesbefolkad region")
    assert lulea.kommungrupp == ""  # Luleå's report has no Kortfakta


def test_strengths_and_improvements_are_stored_in_order():
    run(REPORT_FILES["lulea"], REPORT_FILES["lindesberg"])
    lulea_area2 = AreaResult.objects.get(evaluation__municipality__code="2580", area__number=2)
    strengths = list(
        lulea_area2.list_items.filter(kind=AreaListItem.Kind.STRENGTH).values_list(
            "text", flat=True
        )
    )
    assert strengths[0].startswith("En gemensam strategi i förhållande till kund/brukare")
    assert strengths[-1] == "Systematisk hantering av synpunkter och klagomål"
    assert len(strengths) == 8
    lindesberg_area3 = AreaResult.objects.get(evaluation__municipality__code="1885", area__number=3)
    improvements = lindesberg_area3.list_items.filter(kind=AreaListItem.Kind.IMPROVEMENT)
    assert improvements.first().text == "Kommunfullmäktige som styrande organ"
    assert improvements.count() == 9


def test_publish_flag_publishes():
    run("--publish", REPORT_FILES["kalix"])
    assert Evaluation.objects.get().status == Evaluation.Status.PUBLISHED


def test_dry_run_json_prints_the_figures_and_writes_nothing():
    out, _ = run("--dry-run", "--json", REPORT_FILES["lulea"])
    data = json.loads(out)
    assert Evaluation.objects.count() == 0
    assert {k: data[k] for k in ("municipality_code", "year", "month", "framework_version")} == {
        "municipality_code": "2580",
        "year": 2018,
        "month": 10,
        "framework_version": "2016",
    }
    assert (data["ordinal"], data["previous_year"], data["total"]) == (2, 2015, 575.0)
    area1 = data["areas"][0]
    assert (area1["number"], area1["points"]) == (1, 79.0)
    assert area1["questions"][0] == {
        **area1["questions"][0],
        "code": "1.1",
        "max_points": 15,
    }
    assert isinstance(area1["questions"][4]["points"], float)
    assert area1["questions"][4]["points"] == 9.5
    assert area1["strengths"] and area1["improvements"]
    assert isinstance(data["warnings"], list) and data["warnings"]


def test_flattened_shape_gives_the_same_figures(tmp_path):
    for name, header in (
        ("lulea", "Sveriges Kommuner och Landsting 2018-06-19"),
        ("lindesberg", "Sveriges Kommuner och Regioner 2021-03-30"),
        ("kalix", "Sveriges Kommuner och Landsting 2012-12-10"),
    ):
        flat = tmp_path / f"{name}-flat.txt"
        flat.write_text(flatten(REPORT_FILES[name].read_text(encoding="utf-8"), header))
        assert flat.read_text().count("\n") == 0
        lines = json.loads(run("--dry-run", "--json", REPORT_FILES[name])[0])
        flattened = json.loads(run("--dry-run", "--json", flat)[0])
        for key in ("municipality_code", "year", "month", "framework_version", "ordinal"):
            assert flattened[key] == lines[key], (name, key)
        assert flattened["total"] == lines["total"]
        for a, b in zip(flattened["areas"], lines["areas"], strict=True):
            assert a["points"] == b["points"], (name, a["number"])
            assert [(q["code"], q["points"]) for q in a["questions"]] == [
                (q["code"], q["points"]) for q in b["questions"]
            ]
    run(tmp_path / "lulea-flat.txt")
    assert QuestionScore.objects.count() == 45


def test_control_characters_from_pdf_extraction_are_dropped(tmp_path):
    # A NUL would make PostgreSQL refuse the text columns; form feeds (page breaks) are kept.
    text = REPORT_FILES["lulea"].read_text(encoding="utf-8")
    strengths = text.index("Styrkor")
    noisy = tmp_path / "lulea-noisy.txt"
    noisy.write_text(text[:strengths] + "\x00\x01\f" + text[strengths:].replace("ö", "ö\x00", 5))
    run(noisy)
    evaluation = Evaluation.objects.get()
    texts = [
        *AreaResult.objects.values_list("text", flat=True),
        *AreaListItem.objects.values_list("text", flat=True),
        evaluation.summary,
    ]
    assert not any("\x00" in t or "\x01" in t for t in texts)
    assert Evaluation.objects.with_total().get().total == 575


def test_truncated_report_becomes_summary_only_with_a_warning(tmp_path):
    text = REPORT_FILES["lulea"].read_text(encoding="utf-8")
    truncated = tmp_path / "lulea-truncated.txt"
    truncated.write_text(text[: text.index("4. Översikt av poängfördelning\n\nNedanstående")])
    run(truncated)
    evaluation = Evaluation.objects.get()
    assert evaluation.scores.count() == 0
    headers = list(evaluation.area_results.values_list("points", flat=True))
    assert headers == [79, 74, 71, 65, 66, 71, 66, 85]
    assert any("Översiktstabellerna saknas" in w for w in evaluation.import_warnings)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "\t\t41\t100\t41 %",
            "\t\t141\t100\t41 %",
            "Område 1, Poäng i översiktstabellen: Poängen måste ligga mellan 0 och 100.",
        ),
        ("ett 40-tal personer", "ett 40000-tal personer", "Antal intervjuade: "),
        (
            "i november 2012",
            "i november 2001",
            "Utvärderingsår: Utvärderingsåret måste ligga mellan 2002 och 2100.",
        ),
    ],
)
def test_impossible_values_are_refused_before_anything_is_written(tmp_path, old, new, message):
    text = REPORT_FILES["kalix"].read_text(encoding="utf-8")
    assert old in text
    broken = tmp_path / "kalix-broken.txt"
    broken.write_text(text.replace(old, new))
    for args in (("--dry-run", broken), (broken,)):
        error = run_failing(*args)
        assert "Rapporten har värden som inte kan stämma" in error and message in error
        assert error.count("\n") == 1
    assert Evaluation.objects.count() == 0


def test_a_report_missing_an_area_score_is_not_published(tmp_path):
    text = REPORT_FILES["lulea"].read_text(encoding="utf-8")
    truncated = tmp_path / "lulea-truncated.txt"
    truncated.write_text(text[: text.index("\nOmråde 8 Kommunen som samhällsbyggare\n")])
    for args in (("--dry-run", "--publish", truncated), ("--publish", truncated)):
        error = run_failing(*args)
        assert "Kan inte publiceras: poäng saknas för område 8." in error
    assert Evaluation.objects.count() == 0
    run(truncated)
    assert Evaluation.objects.get().status == Evaluation.Status.DRAFT


def test_a_file_that_is_no_report_is_refused_and_writes_nothing(tmp_path):
    other = tmp_path / "protokoll.txt"
    other.write_text("Protokoll från kommunfullmäktige i Luleå 2018.\n\n§ 1 Val av justerare.\n")
    error = run_failing(other)
    assert error.count("\n") == 1 and "protokoll.txt" in error
    assert Evaluation.objects.count() == 0


def test_an_unknown_municipality_is_refused(tmp_path):
    text = REPORT_FILES["lindesberg"].read_text(encoding="utf-8")
    fake = tmp_path / "atlantis.txt"
    fake.write_text(text.replace("Lindesberg", "Atlantis"))
    error = run_failing(fake)
    assert "Okänd kommun: Atlantis" in error and error.count("\n") == 1
    assert Evaluation.objects.count() == 0


def test_an_existing_evaluation_is_refused_without_replace():
    run(REPORT_FILES["kalix"])
    first = Evaluation.objects.get()
    error = run_failing(REPORT_FILES["kalix"])
    assert "finns redan" in error and "--replace" in error
    assert Evaluation.objects.get() == first
    assert QuestionScore.objects.count() == 45


def test_replace_imports_again_so_the_demo_can_run_twice():
    run("--publish", REPORT_FILES["kalix"])
    run("--publish", "--replace", REPORT_FILES["kalix"])
    assert Evaluation.objects.count() == 1
    assert QuestionScore.objects.count() == 45
    assert AreaResult.objects.count() == 8


def test_a_published_evaluation_is_not_silently_replaced_by_a_draft():
    run("--publish", REPORT_FILES["kalix"])
    for args in (("--replace",), ("--replace", "--dry-run")):
        error = run_failing(*args, REPORT_FILES["kalix"])
        assert "Kalix 2012 är publicerad; ersätt den med --replace --publish" in error
    assert Evaluation.objects.get().is_published
    run("--replace", "--publish", REPORT_FILES["kalix"])
    assert Evaluation.objects.get().is_published


def test_one_bad_file_among_good_ones_writes_only_the_good_ones(tmp_path):
    bad = tmp_path / "tom.txt"
    bad.write_text("")
    err = StringIO()
    with pytest.raises(CommandError, match="1 av 3"):
        call_command(
            "import_report",
            str(REPORT_FILES["kalix"]),
            str(bad),
            str(REPORT_FILES["lulea"]),
            stdout=StringIO(),
            stderr=err,
        )
    assert err.getvalue().count("\n") == 1
    assert sorted(Evaluation.objects.values_list("year", flat=True)) == [2012, 2018]


def test_a_missing_file_gives_a_one_line_error(tmp_path):
    error = run_failing(tmp_path / "finns-inte.txt")
    assert "finns-inte.txt: Filen finns inte." in error and error.count("\n") == 1


def test_a_directory_or_a_file_in_another_encoding_gives_a_message_in_swedish(tmp_path):
    assert f"{tmp_path}: Det är en katalog, ingen fil." in run_failing(tmp_path)
    latin1 = tmp_path / "kalix-latin1.txt"
    latin1.write_bytes(
        REPORT_FILES["kalix"].read_text(encoding="utf-8").encode("latin-1", "replace")
    )
    assert "kalix-latin1.txt: Filen är ingen textfil i UTF-8." in run_failing(latin1)
    assert Evaluation.objects.count() == 0
