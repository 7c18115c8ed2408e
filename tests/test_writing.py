"""The write service (evaluations.writing), without HTTP; and that a rule added to a model is
enforced by each of the three entry paths (import_report, the admin upload, the admin form)."""

from dataclasses import replace
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from evaluations import importing, writing
from evaluations.models import (
    AreaListItem,
    AreaResult,
    Evaluation,
    FrameworkVersion,
    Municipality,
    QuestionScore,
    Revision,
)

from .conftest import REPORT_FILES, form_data, import_reports, make_user

pytestmark = pytest.mark.django_db


def parsed(name: str):
    text = REPORT_FILES[name].read_text(encoding="utf-8")
    return importing.parse(text, reference=importing.load_reference())


def kalix_unsaved():
    report = parsed("kalix")
    return importing.build(report, source_file="kalix-2012.txt", publish=False, warnings=[])


def nothing_stored() -> bool:
    return not (
        Evaluation.objects.exists()
        or AreaResult.objects.exists()
        or QuestionScore.objects.exists()
        or AreaListItem.objects.exists()
        or Revision.objects.exists()
    )


def test_saving_a_new_evaluation_stores_every_row_and_one_revision():
    evaluation, content = kalix_unsaved()
    user = make_user("anna")
    revision = writing.save_evaluation(
        evaluation, content=content, reason="Inmatad", user=user, action=Revision.Action.CREATED
    )
    assert (revision.user, revision.reason, revision.action) == (user, "Inmatad", "created")
    assert evaluation.area_results.count() == 8 and evaluation.scores.count() == 45
    assert AreaListItem.objects.filter(area_result__evaluation=evaluation).count() == sum(
        len(texts) for area in content.areas for texts in area.lists.values()
    )
    assert writing.content_of(evaluation) == content
    records = [
        *Evaluation.history.all(),
        *AreaResult.history.all(),
        *QuestionScore.history.all(),
        *AreaListItem.history.all(),
    ]
    assert {r.revision_id for r in records} == {revision.pk}
    assert {r.history_change_reason for r in records} == {"Inmatad"}
    assert {r.history_user for r in records} == {user}


def test_a_score_above_its_maximum_stops_the_save_and_writes_nothing():
    evaluation, content = kalix_unsaved()
    scores = list(content.scores)
    scores[0] = replace(scores[0], points=Decimal("45"))
    with pytest.raises(writing.EvaluationInvalid) as refused:
        writing.save_evaluation(
            evaluation, content=replace(content, scores=tuple(scores)), reason=""
        )
    messages = [str(problem) for problem in refused.value.problems]
    assert "Delfråga 1.1, Poäng: Poängen måste ligga mellan 0 och 15." in messages
    assert nothing_stored()


def test_a_header_constraint_is_reported_at_its_field_with_its_message():
    evaluation, content = kalix_unsaved()
    evaluation.month = 13
    problems = writing.problems(evaluation, content=content)
    assert [(p.field, p.message) for p in problems] == [
        ("month", "Ange månaden som ett tal från 1 till 12.")
    ]


def test_an_edit_changes_only_the_rows_that_changed_and_is_one_revision():
    import_reports("kalix", publish=False)
    kalix = Evaluation.objects.get()
    content = writing.content_of(kalix)
    areas = list(content.areas)
    areas[2] = replace(areas[2], text="Rättad text", strengths=areas[2].strengths[:-1])
    before = AreaResult.history.count() + AreaListItem.history.count()
    revision = writing.save_evaluation(
        kalix,
        content=replace(content, areas=tuple(areas)),
        reason="Rättat mot rapporten",
        header_changed=False,
    )
    assert AreaResult.history.count() + AreaListItem.history.count() == before + 2
    removed = AreaListItem.history.get(history_type="-")
    assert removed.revision_id == revision.pk
    assert kalix.area_results.get(area__number=3).text == "Rättad text"
    assert Revision.objects.filter(evaluation=kalix).count() == 2  # the import, this edit


def test_a_published_evaluation_keeps_a_score_in_every_area():
    import_reports("kalix")
    kalix = Evaluation.objects.get()
    content = writing.content_of(kalix)
    areas = [replace(a, points=None) if a.number == 6 else a for a in content.areas]
    problems = writing.content_problems(kalix, content=replace(content, areas=tuple(areas)))
    assert [(p.area, p.field) for p in problems] == [(6, "points")]
    assert "En publicerad utvärdering behöver poäng i varje område" in problems[0].message


def test_an_area_total_far_from_its_sub_questions_is_refused():
    evaluation, content = kalix_unsaved()
    areas = [replace(a, points=Decimal("90")) if a.number == 1 else a for a in content.areas]
    problems = writing.problems(evaluation, content=replace(content, areas=tuple(areas)))
    assert [str(p) for p in problems] == [
        "Område 1: Områdets poäng 90 stämmer inte med delfrågornas summa 41."
    ]


def test_an_area_or_question_outside_the_version_is_refused():
    evaluation = Evaluation(
        municipality=Municipality.objects.get(code="2514"),
        framework=FrameworkVersion.objects.get(code="2020"),
        year=2021,
    )
    content = writing.Content(
        areas=(writing.AreaData(number=9), writing.AreaData(number=1), writing.AreaData(1)),
        scores=(writing.ScoreData("9.9", Decimal(1)),),
    )
    messages = {str(p) for p in writing.problems(evaluation, content=content)}
    assert "Område 9: Området finns inte i version 2020." in messages
    assert "Delfråga 9.9: Delfrågan finns inte i version 2020." in messages
    assert "Område 1: angivet två gånger." in messages


# --- A rule added to the model is enforced by all three entry paths ---------------------------

RULE = "Testregel: texten får inte nämna kommunen."


@pytest.fixture
def area_rule(monkeypatch):
    """A new rule on AreaResult, as a later change might add one: the text never names Kalix."""
    original = AreaResult.clean

    def clean(self):
        original(self)
        if "Kalix" in self.text:
            raise ValidationError({"text": RULE})

    monkeypatch.setattr(AreaResult, "clean", clean)


def test_a_new_model_rule_stops_import_report(area_rule):
    with pytest.raises(AssertionError, match=RULE):
        import_reports("kalix")
    assert nothing_stored()


def test_a_new_model_rule_stops_the_admin_upload(area_rule, editor_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    report = SimpleUploadedFile("kalix-2012.txt", REPORT_FILES["kalix"].read_bytes())
    response = editor_client.post("/admin/evaluations/evaluation/ladda-upp/", {"report": report})
    assert response.status_code == 200 and RULE in response.content.decode()
    assert nothing_stored()


def test_a_new_model_rule_stops_the_admin_form(area_rule, editor_client):
    import_reports("lindesberg", publish=False)
    lindesberg = Evaluation.objects.get()
    url = f"/admin/evaluations/evaluation/{lindesberg.pk}/change/"
    data = form_data(editor_client.get(url), "evaluation_form")
    data["omrade-0-text"] = "Kalix nämns här."
    response = editor_client.post(url, {**data, "_save": "Spara"})
    assert response.status_code == 200 and RULE in response.content.decode()
    assert "Kalix" not in lindesberg.area_results.get(area__number=1).text
