"""An evaluation's history in the admin: who changed what and when, scores and texts included."""

from html import unescape

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


def rows(html: str) -> list[str]:
    table = html[html.index('id="change-history"') :]
    return [row.split("</tr>")[0] for row in table.split("<tr>")[2:]]


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


def test_every_change_to_scores_and_texts_is_kept_with_who_when_and_what(
    editor_client, staff_client_factory
):
    import_reports("kalix", publish=False)
    kalix = Evaluation.objects.get()
    last_strength = kalix.area_results.get(area__number=3).list_items.filter(kind="strength")
    old_text = last_strength.last().text
    old_points = format_points(kalix.scores.get(question__code="3.2").points)
    edit_kalix(editor_client, kalix)
    html = staff_client_factory("granskare", groups=("Redaktör",)).get(history_url(kalix))
    html = html.content.decode()
    changes = [row for row in rows(html) if "redaktor" in row]
    assert len(changes) == 4
    header, score, area, strength = (
        next(row for row in changes if subject in row)
        for subject in (
            "Utvärderingen: ändrad",
            "Delfråga 3.2: ändrad",
            "Område 3: ändrad",
            ", område 3: ändrad",
        )
    )
    assert "Poäng: " not in header
    assert f"Poäng: {old_points} → 14" in score
    assert "texten rättad mot rapporten" in area
    assert "Styrka " in strength
    assert f"{old_text[:40]}" in strength and "→ Tydliga politiska mål" in strength
    assert all("Rättat mot rapportens sida 12" in row for row in changes)


def test_the_history_shows_the_publishing_and_the_reason_for_unpublishing(publisher_client):
    import_reports("kalix", publish=False)
    kalix = Evaluation.objects.get()
    publisher_client.post(f"/admin/evaluations/evaluation/{kalix.pk}/publicera/")
    publisher_client.post(
        f"/admin/evaluations/evaluation/{kalix.pk}/avpublicera/",
        {"reason": "Kommunen har påpekat fel i område 5"},
    )
    first, second = rows(publisher_client.get(history_url(kalix)).content.decode())[:2]
    assert "Status: Publicerad → Utkast" in first
    assert "Kommunen har påpekat fel i område 5" in first and "publicerare" in first
    assert "Status: Utkast → Publicerad" in second and ">Publicerad</td>" in second


def test_a_deleted_strength_stays_in_the_history(editor_client):
    import_reports("lindesberg", publish=False)
    evaluation = Evaluation.objects.get()
    data = form_data(editor_client.get(change_url(evaluation)), "evaluation_form")
    result = evaluation.area_results.get(area__number=4)
    a = row_index(data, "omrade", "area", result.area_id)
    data[f"omrade-{a}-improvements"] = ""
    editor_client.post(change_url(evaluation), {**data, "_save": "Spara"})
    assert not result.list_items.filter(kind="improvement").exists()
    html = editor_client.get(history_url(evaluation)).content.decode()
    deleted = [row for row in rows(html) if "borttagen" in row]
    assert len(deleted) == 8
    assert all("Förbättringsmöjlighet" in row and "område 4" in row for row in deleted)
    # What was removed is shown, not only that something was.
    first_improvement = AreaListItem.history.filter(
        area_result_id=result.pk, kind="improvement", position=1, history_type="-"
    ).get()
    assert any(f"{first_improvement.text[:40]}" in row and "→ –" in row for row in deleted)


def test_a_change_late_in_a_long_text_is_shown_with_its_context(editor_client):
    import_reports("lindesberg", publish=False)
    evaluation = Evaluation.objects.get()
    data = form_data(editor_client.get(change_url(evaluation)), "evaluation_form")
    result = evaluation.area_results.get(area__number=2)
    assert len(result.text) > 500
    a = row_index(data, "omrade", "area", result.area_id)
    data[f"omrade-{a}-text"] = result.text + " En mening tillagd i efterhand."
    editor_client.post(change_url(evaluation), {**data, "_save": "Spara"})
    html = editor_client.get(history_url(evaluation)).content.decode()
    area = next(row for row in rows(html) if "Område 2: ändrad" in row)
    assert "En mening tillagd i efterhand." in area
    assert f"…{result.text[-30:]} En mening tillagd" in unescape(area)


def test_the_creation_names_the_framework_version(editor_client):
    import_reports("lindesberg", publish=False)
    evaluation = Evaluation.objects.get()
    html = editor_client.get(history_url(evaluation)).content.decode()
    created = next(row for row in rows(html) if "Utvärderingen: skapad" in row)
    assert "Ramverksversion: 2020" in created


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
    with django_assert_max_num_queries(20) as before:
        editor_client.get(history_url(kalix))
    queries = len(before.captured_queries)
    edit_kalix(editor_client, kalix)
    make_evaluation_like(kalix, municipality=Municipality.objects.get(code="2513"), year=2012)
    with django_assert_max_num_queries(queries):
        editor_client.get(history_url(kalix))
