"""An evaluation's history in the admin: who changed what and when, scores and texts included."""

import csv
import io
from datetime import timedelta
from html import unescape

from django.contrib.auth.models import User
from django.utils import timezone

from evaluations.forms import format_points
from evaluations.models import AreaListItem, Evaluation, Municipality

from .conftest import form_data, import_reports, make_evaluation_like


def change_url(evaluation) -> str:
    return f"/admin/evaluations/evaluation/{evaluation.pk}/change/"


def history_url(evaluation) -> str:
    return f"/admin/evaluations/evaluation/{evaluation.pk}/history/"


def row_index(data: dict, prefix: str, field: str, pk) -> int:
    total = int(data[f"{prefix}-TOTAL_FORMS"])
    return next(i for i in range(total) if data[f"{prefix}-{i}-{field}"] == str(pk))


def entries(html: str) -> list[str]:
    """Each save's entry on the history page, newest first."""
    listing = html[html.index('id="change-history"') :]
    return [
        part.split("</article>")[0]
        for part in listing.split('<article class="module history-entry"')[1:]
    ]


def edit_kalix(client, evaluation) -> None:
    """Change a score, an area text and a strength of Kalix 2012 through the change form."""
    data = form_data(client.get(change_url(evaluation)), "evaluation_form")
    score = evaluation.scores.get(question__code="3.2")
    result = evaluation.area_results.get(area__number=3)
    strengths = [p.text for p in result.list_items.filter(kind="strength")]
    i = row_index(data, "delfraga", "question", score.question_id)
    a = row_index(data, "omrade", "area", result.area_id)
    data[f"delfraga-{i}-points"] = "14"
    data[f"omrade-{a}-text"] = "Politisk styrning: texten rättad mot rapporten."
    data[f"omrade-{a}-strengths"] = "\n".join([*strengths[:-1], "Tydliga politiska mål"])
    data["change_reason"] = "Rättat mot rapportens sida 12"
    response = client.post(change_url(evaluation), {**data, "_save": "Spara"})
    assert response.status_code == 302


def test_a_save_is_one_entry_grouped_by_area_with_who_when_why_and_what(
    editor_client, staff_client_factory
):
    import_reports("kalix", publish=False)
    kalix = Evaluation.objects.get()
    last_strength = kalix.area_results.get(area__number=3).list_items.filter(kind="strength")
    old_text = last_strength.last().text
    old_points = format_points(kalix.scores.get(question__code="3.2").points)
    edit_kalix(editor_client, kalix)
    html = staff_client_factory("granskare", groups=("Redaktör",)).get(history_url(kalix))
    edit, imported = entries(html.content.decode())
    assert "redaktor · Ändrad" in edit and "Anledning: Rättat mot rapportens sida 12" in edit
    assert "Inläst från rapport" in imported and "Inläst från kalix-2012.txt" in imported
    area_3 = edit[edit.index("<h3>Område 3</h3>") :]
    assert "Delfråga 3.2: ändrad" in area_3 and f"Poäng: {old_points} → 14" in area_3
    assert "texten rättad mot rapporten" in area_3
    assert f"{old_text[:40]}" in unescape(area_3) and "→ Tydliga politiska mål" in area_3
    assert edit.count("<h3>") == 2  # the evaluation (its reason) and area 3


def test_the_history_shows_the_publishing_and_the_reason_for_unpublishing(publisher_client):
    import_reports("kalix", publish=False)
    kalix = Evaluation.objects.get()
    publisher_client.post(f"/admin/evaluations/evaluation/{kalix.pk}/publicera/")
    publisher_client.post(
        f"/admin/evaluations/evaluation/{kalix.pk}/avpublicera/",
        {"reason": "Kommunen har påpekat fel i område 5"},
    )
    first, second = entries(publisher_client.get(history_url(kalix)).content.decode())[:2]
    assert "Status: Publicerad → Utkast" in first and "· Avpublicerad" in first
    assert "Kommunen har påpekat fel i område 5" in first and "publicerare" in first
    assert "Status: Utkast → Publicerad" in second and "· Publicerad" in second


def test_a_deleted_list_is_one_entry_that_shows_what_was_removed(editor_client):
    import_reports("lindesberg", publish=False)
    evaluation = Evaluation.objects.get()
    data = form_data(editor_client.get(change_url(evaluation)), "evaluation_form")
    result = evaluation.area_results.get(area__number=4)
    a = row_index(data, "omrade", "area", result.area_id)
    data[f"omrade-{a}-improvements"] = ""
    editor_client.post(change_url(evaluation), {**data, "_save": "Spara"})
    assert not result.list_items.filter(kind="improvement").exists()
    newest = entries(editor_client.get(history_url(evaluation)).content.decode())[0]
    assert newest.count("<h3>") == 1 and "<h3>Område 4</h3>" in newest
    assert newest.count("Förbättringsmöjlighet") == 8 and newest.count(": borttagen") == 8
    first_improvement = AreaListItem.history.filter(
        area_result_id=result.pk, kind="improvement", position=1, history_type="-"
    ).get()
    assert f"{first_improvement.text[:40]}" in unescape(newest) and "→ –" in newest


def test_a_change_late_in_a_long_text_is_shown_with_its_context(editor_client):
    import_reports("lindesberg", publish=False)
    evaluation = Evaluation.objects.get()
    data = form_data(editor_client.get(change_url(evaluation)), "evaluation_form")
    result = evaluation.area_results.get(area__number=2)
    assert len(result.text) > 500
    a = row_index(data, "omrade", "area", result.area_id)
    data[f"omrade-{a}-text"] = result.text + " En mening tillagd i efterhand."
    editor_client.post(change_url(evaluation), {**data, "_save": "Spara"})
    newest = entries(editor_client.get(history_url(evaluation)).content.decode())[0]
    assert "Område 2: ändrad" in newest
    assert f"…{result.text[-30:]} En mening tillagd" in unescape(newest)


def test_the_creation_names_the_framework_version(editor_client):
    import_reports("lindesberg", publish=False)
    evaluation = Evaluation.objects.get()
    (created,) = entries(editor_client.get(history_url(evaluation)).content.decode())
    assert "Utvärderingen: skapad" in created and "Ramverksversion: 2020" in created


def test_the_history_is_paginated_and_filtered_by_person_and_date(editor_client, publisher_client):
    import_reports("kalix", publish=False)
    kalix = Evaluation.objects.get()
    for _ in range(12):
        publisher_client.post(f"/admin/evaluations/evaluation/{kalix.pk}/publicera/")
        publisher_client.post(
            f"/admin/evaluations/evaluation/{kalix.pk}/avpublicera/", {"reason": "Granskas"}
        )
    first = publisher_client.get(history_url(kalix)).content.decode()
    assert len(entries(first)) == 20 and "Sida 1 av 2" in first
    second = publisher_client.get(history_url(kalix), {"sida": 2}).content.decode()
    assert len(entries(second)) == 5 and "Inläst från kalix-2012.txt" in second
    edit_kalix(editor_client, kalix)
    editor = User.objects.get(username="redaktor")
    by_editor = publisher_client.get(history_url(kalix), {"person": editor.pk}).content.decode()
    assert len(entries(by_editor)) == 1 and "Rättat mot rapportens sida 12" in by_editor
    today = timezone.localdate()
    tomorrow = publisher_client.get(history_url(kalix), {"start": today + timedelta(days=1)})
    assert entries(tomorrow.content.decode()) == []
    assert (
        len(entries(publisher_client.get(history_url(kalix), {"end": today}).content.decode()))
        == 20
    )


def test_the_history_downloads_as_csv_for_audit(editor_client):
    import_reports("kalix", publish=False)
    kalix = Evaluation.objects.get()
    old_points = format_points(kalix.scores.get(question__code="3.2").points)
    edit_kalix(editor_client, kalix)
    response = editor_client.get(history_url(kalix), {"format": "csv"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    header = ["Tid", "Användare", "Vad", "Anledning", "Del", "Rad", "Fält", "Före", "Efter"]
    assert lines[0] == header
    score = next(line for line in lines if line[5] == "Delfråga 3.2" and line[2] == "Ändrad")
    assert score[1:] == [
        "redaktor",
        "Ändrad",
        "Rättat mot rapportens sida 12",
        "Område 3",
        "Delfråga 3.2",
        "Poäng",
        old_points,
        "14",
    ]


def test_the_audit_csv_never_hands_a_spreadsheet_a_formula(editor_client):
    import_reports("kalix", publish=False)
    kalix = Evaluation.objects.get()
    data = form_data(editor_client.get(change_url(kalix)), "evaluation_form")
    result = kalix.area_results.get(area__number=3)
    a = row_index(data, "omrade", "area", result.area_id)
    data[f"omrade-{a}-text"] = '=HYPERLINK("http://example.org";"Klicka")'
    data["change_reason"] = "@SUM(1+1)"
    response = editor_client.post(change_url(kalix), {**data, "_save": "Spara"})
    assert response.status_code == 302
    csv_text = editor_client.get(history_url(kalix), {"format": "csv"}).content.decode("utf-8-sig")
    lines = list(csv.reader(io.StringIO(csv_text), delimiter=";"))
    text = next(line for line in lines if line[4] == "Område 3" and line[3] == "'@SUM(1+1)")
    assert text[8] == '\'=HYPERLINK("http://example.org";"Klicka")'
    assert not any(cell.startswith(("=", "+", "-", "@")) for line in lines for cell in line)


def test_the_history_needs_permission_to_view_evaluations(client, staff_client_factory):
    import_reports("kalix", publish=False)
    kalix = Evaluation.objects.get()
    assert client.get(history_url(kalix))["Location"].startswith("/admin/login/")
    assert staff_client_factory("utan-grupp").get(history_url(kalix)).status_code == 403


def test_the_history_query_count_does_not_grow_with_changes(
    editor_client, django_assert_max_num_queries
):
    import_reports("kalix", publish=False)
    kalix = Evaluation.objects.get()
    edit_kalix(editor_client, kalix)
    with django_assert_max_num_queries(20) as before:
        editor_client.get(history_url(kalix))
    queries = len(before.captured_queries)
    edit_kalix(editor_client, kalix)
    make_evaluation_like(kalix, municipality=Municipality.objects.get(code="2513"), year=2012)
    with django_assert_max_num_queries(queries):
        editor_client.get(history_url(kalix))
