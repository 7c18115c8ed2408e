"""Uploading a report in the admin: a preview first, the draft only on confirmation."""

from django.core.files.uploadedfile import SimpleUploadedFile

from evaluations.models import AreaListItem, AreaResult, Evaluation, QuestionScore

from .conftest import REPORT_FILES, form_data, import_reports

UPLOAD_URL = "/admin/evaluations/evaluation/ladda-upp/"


def report_file(name: str, content: bytes | None = None) -> SimpleUploadedFile:
    path = REPORT_FILES[name]
    return SimpleUploadedFile(path.name, path.read_bytes() if content is None else content)


def upload(client, file):
    return client.post(UPLOAD_URL, {"report": file})


def nothing_stored() -> bool:
    return not (
        Evaluation.objects.exists()
        or AreaResult.objects.exists()
        or QuestionScore.objects.exists()
        or AreaListItem.objects.exists()
    )


def test_the_list_links_to_the_upload(editor_client):
    html = editor_client.get("/admin/evaluations/evaluation/").content.decode()
    assert f'href="{UPLOAD_URL}"' in html


def test_an_upload_shows_the_parsed_figures_and_warnings_and_saves_nothing(editor_client):
    response = upload(editor_client, report_file("lindesberg"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Lindesberg (1885)" in html
    assert '<td id="preview-total">420</td>' in html
    assert "4.2: 10,8" in html
    assert "Totalen 420 i sammanfattningen skiljer sig från summan av områdespoängen 423." in html
    assert "Område 1: rubrikens poäng 46 skiljer sig från översiktstabellens summa 47." in html
    assert 'name="confirm"' in html
    assert nothing_stored()


def test_confirming_creates_the_draft_with_the_reports_figures(editor_client):
    preview = upload(editor_client, report_file("lulea"))
    data = form_data(preview, "confirm-form")
    response = editor_client.post(UPLOAD_URL, {**data, "confirm": "Skapa utkast"})
    evaluation = Evaluation.objects.with_total().get()
    assert response.status_code == 302
    assert response["Location"] == f"/admin/evaluations/evaluation/{evaluation.pk}/change/"
    assert (str(evaluation), evaluation.status, evaluation.total) == ("Luleå 2018", "draft", 575)
    assert evaluation.source_file == "lulea-2018.txt"
    # Luleå 1.5 is printed as 10 of 10 but 95 %: stored as 9.5.
    assert evaluation.scores.get(question__code="1.5").points == 9.5
    assert evaluation.scores.count() == 45


def test_an_uploaded_draft_is_the_same_as_the_command_line_import(editor_client):
    data = form_data(upload(editor_client, report_file("kalix")), "confirm-form")
    editor_client.post(UPLOAD_URL, {**data, "confirm": "Skapa utkast"})
    uploaded = Evaluation.objects.get()
    figures = sorted(uploaded.scores.values_list("question__code", "points"))
    texts = sorted(AreaListItem.objects.values_list("kind", "position", "text"))
    uploaded.delete()
    import_reports("kalix", publish=False)
    imported = Evaluation.objects.get()
    assert sorted(imported.scores.values_list("question__code", "points")) == figures
    assert sorted(AreaListItem.objects.values_list("kind", "position", "text")) == texts


def test_the_upload_is_recorded_in_the_history_with_the_uploader(editor_client):
    data = form_data(upload(editor_client, report_file("lindesberg")), "confirm-form")
    editor_client.post(UPLOAD_URL, {**data, "confirm": "Skapa utkast"})
    evaluation = Evaluation.objects.get()
    records = [
        *evaluation.history.all(),
        *AreaResult.history.filter(evaluation_id=evaluation.pk),
        *QuestionScore.history.filter(evaluation_id=evaluation.pk),
    ]
    assert len(records) == 1 + 8 + 35
    assert {r.history_user.username for r in records} == {"redaktor"}
    assert {r.history_change_reason for r in records} == {"Inläst från lindesberg-2021.txt"}


def test_a_file_that_is_no_report_gets_a_message(editor_client):
    text = "Protokoll från kommunstyrelsens sammanträde 2021-03-02.\n§ 1 Val av justerare.\n"
    response = upload(editor_client, SimpleUploadedFile("protokoll.txt", text.encode()))
    assert response.status_code == 200
    assert "Filen ser inte ut som en Kommunkompassen-rapport" in response.content.decode()
    assert nothing_stored()


def test_a_file_that_is_not_utf8_text_gets_a_message(editor_client):
    latin1 = REPORT_FILES["kalix"].read_text(encoding="utf-8").encode("latin-1", "replace")
    response = upload(editor_client, report_file("kalix", latin1))
    assert response.status_code == 200
    assert "Filen är ingen textfil i UTF-8." in response.content.decode()
    assert nothing_stored()


def test_a_file_over_one_megabyte_gets_a_message(editor_client):
    many_reports = b"\n".join(path.read_bytes() for path in REPORT_FILES.values()) * 6
    assert len(many_reports) > 1024 * 1024
    response = upload(editor_client, report_file("kalix", many_reports))
    assert "Filen är för stor (högst 1 MB)." in response.content.decode()
    assert nothing_stored()


def test_several_reports_in_one_file_are_refused(editor_client):
    many_reports = b"\n".join(path.read_bytes() for path in REPORT_FILES.values())
    response = upload(editor_client, report_file("kalix", many_reports))
    assert (
        "Filen innehåller 3 rapporter (Kalix 2012 och Luleå 2018 och Lindesberg 2021), inte en; "
        "dela upp den och läs in en rapport i taget." in response.content.decode()
    )
    assert nothing_stored()


def test_an_upload_without_a_file_gets_a_message(editor_client):
    response = editor_client.post(UPLOAD_URL, {})
    assert "Välj en rapportfil." in response.content.decode()


def test_an_evaluation_that_exists_is_not_uploaded_again(editor_client):
    import_reports("kalix", publish=False)
    response = upload(editor_client, report_file("kalix"))
    assert (
        "Det finns redan en utvärdering av Kalix 2012 (utkast). Ändra den i stället, eller ta "
        "bort utkastet först." in response.content.decode()
    )
    assert Evaluation.objects.count() == 1


def test_a_published_evaluation_is_not_replaced_by_an_upload(editor_client):
    import_reports("kalix")
    response = upload(editor_client, report_file("kalix"))
    assert (
        "Det finns redan en publicerad utvärdering av Kalix 2012. Ändra den i stället; den kan "
        "inte ersättas med en uppladdning." in response.content.decode()
    )
    assert Evaluation.objects.get().is_published


def test_a_report_with_impossible_values_gets_a_message_and_saves_nothing(editor_client):
    text = REPORT_FILES["kalix"].read_text(encoding="utf-8")
    broken = text.replace("\t\t41\t100\t41 %", "\t\t141\t100\t41 %").encode()
    response = upload(editor_client, report_file("kalix", broken))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Rapporten har värden som inte kan stämma: område 1:s tabellsumma är 141" in html
    assert nothing_stored()


def test_a_confirmation_after_someone_else_stored_it_saves_nothing(editor_client):
    data = form_data(upload(editor_client, report_file("kalix")), "confirm-form")
    import_reports("kalix")
    response = editor_client.post(UPLOAD_URL, {**data, "confirm": "Skapa utkast"}, follow=True)
    assert "Det finns redan en publicerad utvärdering av Kalix 2012." in (response.content.decode())
    assert Evaluation.objects.get().is_published


def test_uploading_needs_permission_to_add_evaluations(client, staff_client_factory):
    assert client.get(UPLOAD_URL)["Location"].startswith("/admin/login/")
    nobody = staff_client_factory("utan-grupp")
    assert upload(nobody, report_file("kalix")).status_code == 403
    assert nothing_stored()


def stating_report() -> SimpleUploadedFile:
    """Luleå 2018 whose summary states the 2015 result in words."""
    from .report_layouts import report_text, with_sentences
    from .test_report_parser_layouts import STATED

    text = with_sentences(report_text("lulea"), STATED)
    return SimpleUploadedFile("lulea-2018.txt", text.encode())


def test_the_preview_shows_a_stated_previous_result_and_stores_it_on_confirmation(editor_client):
    preview = upload(editor_client, stating_report())
    html = preview.content.decode()
    assert 'id="preview-stated"' in html
    assert "Föregående resultat enligt texten (2015)" in html
    assert "Luleå har förbättrats från totalt 551 till 575 poäng" in html
    data = form_data(preview, "confirm-form")
    assert data["keep_stated"] == "on"
    editor_client.post(UPLOAD_URL, {**data, "confirm": "Skapa utkast"})
    stated = Evaluation.objects.get(year=2015)
    assert (stated.origin, stated.status, stated.printed_total) == ("stated", "draft", 551)
    records = [*stated.history.all(), *AreaResult.history.filter(evaluation_id=stated.pk)]
    assert len(records) == 2
    assert {r.history_change_reason for r in records} == {"Inläst från lulea-2018.txt"}
    assert {r.history_user.username for r in records} == {"redaktor"}


def test_staff_may_drop_the_stated_previous_result(editor_client):
    data = form_data(upload(editor_client, stating_report()), "confirm-form")
    del data["keep_stated"]  # the box unticked
    editor_client.post(UPLOAD_URL, {**data, "confirm": "Skapa utkast"})
    evaluation = Evaluation.objects.get()
    assert evaluation.year == 2018
    assert "Föregående resultat enligt texten (2015) utelämnat vid importen." in (
        evaluation.import_warnings
    )
