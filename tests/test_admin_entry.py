"""Entering and editing an evaluation in the admin: the pre-filled grid, validation, saving."""

import re
from decimal import Decimal

import pytest
from django.utils.html import escape

from evaluations import importing
from evaluations.forms import format_points
from evaluations.models import (
    Area,
    AreaListItem,
    AreaResult,
    Evaluation,
    Municipality,
    Question,
    QuestionScore,
)

from .conftest import REPORT_FILES, form_data, import_reports

ADD_URL = "/admin/evaluations/evaluation/add/"
FORM = "evaluation_form"


def change_url(evaluation) -> str:
    return f"/admin/evaluations/evaluation/{evaluation.pk}/change/"


def rows(data: dict, prefix: str, field: str):
    """(index, value) of one field in every row of a formset in the submitted data."""
    for i in range(int(data[f"{prefix}-TOTAL_FORMS"])):
        yield i, data[f"{prefix}-{i}-{field}"]


def row_of(data: dict, prefix: str, field: str, pk) -> int:
    return next(i for i, value in rows(data, prefix, field) if value == str(pk))


def question(code: str, version: str = "2020") -> Question:
    return Question.objects.get(area__framework__code=version, code=code)


def area(number: int, version: str = "2020") -> Area:
    return Area.objects.get(framework__code=version, number=number)


def set_score(data: dict, code: str, value: str) -> None:
    data[f"delfraga-{row_of(data, 'delfraga', 'question', question(code).pk)}-points"] = value


def set_area(data: dict, number: int, field: str, value: str) -> None:
    data[f"omrade-{row_of(data, 'omrade', 'area', area(number).pk)}-{field}"] = value


@pytest.fixture
def lindesberg_report(db):
    """Lindesberg 2021 as the real report prints it (read by the importer's parser)."""
    text = REPORT_FILES["lindesberg"].read_text(encoding="utf-8")
    return importing.parse(text, reference=importing.load_reference())


@pytest.fixture
def lindesberg_entry(editor_client, lindesberg_report):
    """The add form for version 2020 filled in with every figure and text of Lindesberg 2021."""
    report = lindesberg_report
    data = form_data(editor_client.get(ADD_URL, {"version": "2020"}), FORM)
    data.update(
        municipality=str(Municipality.objects.get(code=report.municipality_code).pk),
        year=str(report.year),
        month=str(report.month),
        report_date=report.report_date.isoformat(),
        ordinal=str(report.ordinal),
        interviewed=str(report.interviewed),
        evaluators=report.evaluators,
        printed_total=format_points(report.printed_total),
        summary=report.summary,
    )
    for parsed in report.areas:
        set_area(data, parsed.number, "points", format_points(parsed.table_points))
        set_area(data, parsed.number, "header_points", format_points(parsed.header_points))
        set_area(data, parsed.number, "text", parsed.text)
        set_area(data, parsed.number, "strengths", "\r\n".join(parsed.strengths))
        set_area(data, parsed.number, "improvements", "\r\n".join(parsed.improvements))
        for parsed_question in parsed.questions:
            set_score(data, parsed_question.code, format_points(parsed_question.points))
    return data


def add(client, data, version="2020"):
    return client.post(f"{ADD_URL}?version={version}", {**data, "_save": "Spara"})


def test_adding_starts_with_a_choice_of_framework_version(editor_client):
    response = editor_client.get(ADD_URL)
    html = response.content.decode()
    assert response.status_code == 200
    for code in ("2010", "2016", "2020"):
        assert f'href="?version={code}"' in html
    assert 'id="evaluation_form"' not in html
    assert "Vilken version av Kommunkompassen följer utvärderingen?" in html
    unknown = editor_client.get(ADD_URL, {"version": "1999"}).content.decode()
    assert "Det finns ingen sådan ramverksversion" in unknown


@pytest.mark.parametrize("version", ["2010", "2016", "2020"])
def test_the_grid_is_prefilled_with_the_versions_questions_and_maxima(editor_client, version):
    response = editor_client.get(ADD_URL, {"version": version})
    html = response.content.decode()
    data = form_data(response, FORM)
    questions = Question.objects.filter(area__framework__code=version)
    assert {value for _i, value in rows(data, "delfraga", "question")} == {
        str(q.pk) for q in questions
    }
    assert all(value == "" for _i, value in rows(data, "delfraga", "points"))
    for q in questions:
        assert f'data-code="{q.code}" data-max="{q.max_points}"' in html
        assert f">{escape(q.text)}</label>" in html
    assert len(list(rows(data, "omrade", "area"))) == 8
    # Codes and maxima are shown, never typed.
    assert not any(name.endswith(("-code", "-max_points")) for name in data)


def test_an_editor_enters_lindesberg_2021_as_a_draft(editor_client, lindesberg_entry):
    response = add(editor_client, lindesberg_entry)
    assert response.status_code == 302
    evaluation = Evaluation.objects.with_total().get()
    assert (str(evaluation), evaluation.status) == ("Lindesberg 2021", Evaluation.Status.DRAFT)
    assert evaluation.framework.code == "2020" and evaluation.total == 420
    points = dict(
        AreaResult.objects.filter(evaluation=evaluation).values_list("area__number", "points")
    )
    assert points == {1: 47, 2: 42, 3: 56, 4: 46, 5: 52, 6: 47, 7: 72, 8: 61}
    header = AreaResult.objects.get(evaluation=evaluation, area__number=4).header_points
    assert header == 45
    scores = dict(
        QuestionScore.objects.filter(evaluation=evaluation).values_list("question__code", "points")
    )
    assert len(scores) == 35 and scores["4.2"] == Decimal("10.8") and scores["7.2"] == 28
    strengths = AreaListItem.objects.filter(
        area_result__evaluation=evaluation, area_result__area__number=7, kind="strength"
    )
    assert strengths.count() == 18
    assert [p.position for p in strengths] == list(range(1, 19))


def test_the_entered_evaluation_matches_the_imported_one(
    editor_client, lindesberg_entry, lindesberg_report
):
    add(editor_client, lindesberg_entry)
    entered = Evaluation.objects.get()
    for parsed in lindesberg_report.areas:
        result = entered.area_results.get(area__number=parsed.number)
        assert result.text == parsed.text
        assert [p.text for p in result.list_items.filter(kind="strength")] == parsed.strengths
        assert [p.text for p in result.list_items.filter(kind="improvement")] == parsed.improvements
    assert entered.summary == lindesberg_report.summary


def test_a_blank_area_total_becomes_the_sum_of_its_complete_sub_questions(
    editor_client, lindesberg_entry
):
    set_area(lindesberg_entry, 4, "points", "")
    set_area(lindesberg_entry, 5, "points", "")
    set_score(lindesberg_entry, "5.1", "")
    add(editor_client, lindesberg_entry)
    results = AreaResult.objects.filter(evaluation__year=2021)
    assert results.get(area__number=4).points == Decimal("45.8")  # 9 + 10.8 + 14 + 12
    assert results.get(area__number=5).points is None  # 5.1 missing: no sum to take


def test_an_area_total_within_rounding_of_its_sub_questions_is_accepted(
    editor_client, lindesberg_entry
):
    # Luleå 2018, area 3, as printed: rows 13 + 17 + 17 + 15 + 9 = 71, total 72 (rounding).
    # Lindesberg's area 3 rows sum to 56: with four rows 58,5 is within half a point per row
    # and half a point for the total.
    set_area(lindesberg_entry, 3, "points", "58,5")
    assert add(editor_client, lindesberg_entry).status_code == 302


INVALID = {
    "points_above_the_questions_maximum": (
        lambda d: set_score(d, "1.1", "21"),
        "Delfråga 1.1: Poängen måste ligga mellan 0 och 20.",
    ),
    "negative_points": (
        lambda d: set_score(d, "1.2", "-1"),
        "Delfråga 1.2: Poängen måste ligga mellan 0 och 10.",
    ),
    "points_with_two_decimals": (
        lambda d: set_score(d, "4.2", "10,85"),
        "Delfråga 4.2: Ange poäng med högst en decimal.",
    ),
    "points_that_are_not_a_number": (
        lambda d: set_score(d, "3.2", "arton"),
        "Ange poängen som ett tal, till exempel 12 eller 10,8.",
    ),
    "a_question_given_twice": (
        lambda d: d.update(
            {
                "delfraga-TOTAL_FORMS": str(int(d["delfraga-TOTAL_FORMS"]) + 1),
                f"delfraga-{d['delfraga-TOTAL_FORMS']}-question": str(question("1.1").pk),
                f"delfraga-{d['delfraga-TOTAL_FORMS']}-points": "6",
            }
        ),
        "Delfråga 1.1 är angiven två gånger.",
    ),
    "a_question_of_another_version": (
        lambda d: d.update(
            {
                f"delfraga-{row_of(d, 'delfraga', 'question', question('1.1').pk)}-question": str(
                    question("1.1", version="2016").pk
                )
            }
        ),
        "Delfråga 1.1 hör till ramverksversion 2016, men utvärderingen följer version 2020.",
    ),
    "an_unknown_question": (
        lambda d: d.update({"delfraga-0-question": "999999"}),
        "Okänd delfråga.",
    ),
    "an_area_of_another_version": (
        lambda d: d.update({"omrade-0-area": str(area(1, version="2016").pk)}),
        "Område 1 (Offentlighet och demokrati) hör till ramverksversion 2016, men "
        "utvärderingen följer version 2020.",
    ),
    "an_area_given_twice": (
        lambda d: d.update(
            {
                "omrade-TOTAL_FORMS": "9",
                "omrade-8-area": str(area(2).pk),
                "omrade-8-points": "42",
            }
        ),
        "Område 2 är angivet två gånger.",
    ),
    "an_area_total_that_contradicts_its_sub_questions": (
        lambda d: set_area(d, 1, "points", "60"),
        "Område 1: Områdets poäng 60 stämmer inte med delfrågornas summa 47.",
    ),
    "an_area_total_below_its_sub_questions": (
        lambda d: set_area(d, 7, "points", "62"),
        "Område 7: Områdets poäng 62 stämmer inte med delfrågornas summa 72.",
    ),
    "area_points_above_100": (
        lambda d: set_area(d, 2, "header_points", "101"),
        "Område 2: Poängen måste ligga mellan 0 och 100.",
    ),
    "a_total_above_800": (
        lambda d: d.update(printed_total="801"),
        "Totalpoängen måste ligga mellan 0 och 800.",
    ),
    "a_year_before_kommunkompassen": (
        lambda d: d.update(year="1999"),
        "Utvärderingsåret måste ligga mellan 2002 och 2100.",
    ),
    "a_month_that_does_not_exist": (
        lambda d: d.update(month="13"),
        "Ange månaden som ett tal från 1 till 12.",
    ),
    "an_ordinal_of_zero": (
        lambda d: d.update(ordinal="0"),
        "Ange 1 för kommunens första utvärdering, 2 för den andra …",
    ),
    "a_previous_evaluation_not_before_this_one": (
        lambda d: d.update(previous_year="2021"),
        "Den föregående utvärderingen måste vara från ett tidigare år än utvärderingsåret.",
    ),
}


@pytest.mark.parametrize("case", INVALID, ids=list(INVALID))
def test_invalid_entry_gets_a_clear_message_and_saves_nothing(
    editor_client, lindesberg_entry, case
):
    break_it, message = INVALID[case]
    break_it(lindesberg_entry)
    response = add(editor_client, lindesberg_entry)
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert 'class="errornote"' in html
    assert "__all__" not in html  # field names of Django's internals are no message
    assert not Evaluation.objects.exists()
    assert not AreaResult.objects.exists() and not QuestionScore.objects.exists()


def test_the_same_municipality_and_year_twice_is_refused(editor_client, lindesberg_entry):
    assert add(editor_client, lindesberg_entry).status_code == 302
    response = add(editor_client, lindesberg_entry)
    assert response.status_code == 200
    assert (
        "Det finns redan en utvärdering av kommunen det året; ändra den i stället."
        in response.content.decode()
    )
    assert Evaluation.objects.count() == 1
    assert QuestionScore.objects.count() == 35


def test_a_form_with_one_error_keeps_what_was_typed(editor_client, lindesberg_entry):
    set_score(lindesberg_entry, "1.1", "21")
    response = add(editor_client, lindesberg_entry)
    again = form_data(response, FORM)
    assert again["summary"].startswith("I sin första utvärdering")
    assert [v for _i, v in rows(again, "delfraga", "points")] == [
        v for _i, v in rows(lindesberg_entry, "delfraga", "points")
    ]


@pytest.fixture
def imported_draft(db):
    import_reports("lindesberg", publish=False)
    return Evaluation.objects.get()


def history_count() -> int:
    return sum(
        model.history.count() for model in (Evaluation, AreaResult, QuestionScore, AreaListItem)
    )


def test_the_change_form_shows_the_stored_figures_and_sums(editor_client, imported_draft):
    response = editor_client.get(change_url(imported_draft))
    html = response.content.decode()
    data = form_data(response, FORM)
    i = row_of(data, "delfraga", "question", question("4.2").pk)
    assert data[f"delfraga-{i}-points"] == "10,8"
    assert data[f"delfraga-{row_of(data, 'delfraga', 'question', question('7.2').pk)}-points"] == (
        "28"
    )
    assert '<output class="area-sum" data-area="4">45,8</output>' in html
    assert '<output id="areas-total">423</output>' in html  # the areas; the report says 420


def test_saving_an_unchanged_evaluation_records_nothing(editor_client, imported_draft):
    before = history_count()
    data = form_data(editor_client.get(change_url(imported_draft)), FORM)
    response = editor_client.post(change_url(imported_draft), {**data, "_save": "Spara"})
    assert response.status_code == 302
    assert history_count() == before


def test_editing_changes_only_what_was_changed(editor_client, imported_draft):
    data = form_data(editor_client.get(change_url(imported_draft)), FORM)
    result = imported_draft.area_results.get(area__number=4)
    strengths = [p.text for p in result.list_items.filter(kind="strength")]
    improvements = [p.text for p in result.list_items.filter(kind="improvement")]
    set_score(data, "4.1", "9,5")
    set_area(data, 4, "points", "46,5")
    set_area(data, 4, "strengths", "\r\n".join(reversed(strengths)))
    set_area(data, 4, "improvements", "\r\n".join(f"• {text}" for text in improvements[:-1]))
    before = history_count()
    response = editor_client.post(change_url(imported_draft), {**data, "_save": "Spara"})
    assert response.status_code == 302
    result.refresh_from_db()
    assert result.points == Decimal("46.5")
    assert imported_draft.scores.get(question__code="4.1").points == Decimal("9.5")
    assert [p.text for p in result.list_items.filter(kind="strength")] == strengths[::-1]
    # The bullets are dropped; the last improvement point is removed.
    assert [p.text for p in result.list_items.filter(kind="improvement")] == improvements[:-1]
    # One score, one area, two strengths swapped in place, one improvement deleted.
    assert history_count() - before == 1 + 1 + 2 + 1


def test_the_grid_loads_the_sums_script_and_no_inline_script(editor_client, imported_draft):
    html = editor_client.get(change_url(imported_draft)).content.decode()
    assert '<script src="/static/js/admin-evaluation-entry.js">' in html
    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html) == []
    script = editor_client.get("/static/js/admin-evaluation-entry.js")
    assert script.status_code == 200


def test_a_contradicting_area_total_is_reported_together_with_a_bad_score(
    editor_client, lindesberg_entry
):
    set_score(lindesberg_entry, "1.1", "21")
    set_area(lindesberg_entry, 3, "points", "80")
    html = add(editor_client, lindesberg_entry).content.decode()
    assert "Delfråga 1.1: Poängen måste ligga mellan 0 och 20." in html
    assert "Område 3: Områdets poäng 80 stämmer inte med delfrågornas summa 56." in html
    assert not Evaluation.objects.exists()


def test_a_form_without_its_row_counts_gets_a_message_not_an_error_page(
    editor_client, lindesberg_entry
):
    for name in [name for name in lindesberg_entry if name.startswith("delfraga-")]:
        del lindesberg_entry[name]
    lindesberg_entry["omrade-0-area"] = "inte ett id"
    response = add(editor_client, lindesberg_entry)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Rätta felen under ”Områden och delfrågor” nedan." in html
    assert "Okänt område." in html
    assert not Evaluation.objects.exists()


def test_the_reports_kortfakta_are_shown_on_the_change_page(editor_client):
    import_reports("kalix", publish=False)
    kalix = Evaluation.objects.get()
    html = editor_client.get(f"/admin/evaluations/evaluation/{kalix.pk}/change/").content.decode()
    assert "Kortfakta (från rapporten)" in html
    assert "<dt>Folkmängd 2011</dt><dd>16 591</dd>" in html


def test_weaknesses_are_shown_and_edited_one_per_line(editor_client, tmp_path):
    from .report_layouts import report_text, three_columns

    path = tmp_path / "kalix-2012.txt"
    path.write_text(three_columns(report_text("kalix")), encoding="utf-8")
    importing.store(
        importing.parse(path.read_text(encoding="utf-8"), reference=importing.load_reference()),
        source_file=path.name,
    )
    evaluation = Evaluation.objects.get()
    data = form_data(editor_client.get(change_url(evaluation)), FORM)
    index = row_of(data, "omrade", "area", area(1, "2010").pk)
    assert data[f"omrade-{index}-weaknesses"] == (
        "En förenklad snabb information om beslut i KF\nInformationen om resultat till medborgarna"
    )
    data[f"omrade-{index}-weaknesses"] = "• Informationen om resultat till medborgarna"
    response = editor_client.post(change_url(evaluation), {**data, "_save": "Spara"})
    assert response.status_code == 302
    weaknesses = AreaListItem.objects.filter(
        area_result__evaluation=evaluation, area_result__area__number=1, kind="weakness"
    )
    assert list(weaknesses.values_list("position", "text")) == [
        (1, "Informationen om resultat till medborgarna")
    ]
    assert AreaListItem.objects.filter(kind="strength", area_result__area__number=1).count() == 3
