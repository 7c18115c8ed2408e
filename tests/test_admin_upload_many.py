"""Several report files uploaded at once: each previewed, all created only on confirmation,
all or none."""

from html import escape

from django.core.files.uploadedfile import SimpleUploadedFile

from evaluations import importing
from evaluations.models import Evaluation, Revision

from .conftest import REPORT_FILES, form_data, import_reports

UPLOAD = "/admin/evaluations/evaluation/ladda-upp/"


def files(*names: str, broken: str | None = None) -> list[SimpleUploadedFile]:
    chosen = [SimpleUploadedFile(REPORT_FILES[n].name, REPORT_FILES[n].read_bytes()) for n in names]
    if broken:
        chosen.append(SimpleUploadedFile(broken, b"Protokoll, inte en rapport.\n"))
    return chosen


def test_several_reports_are_previewed_and_nothing_is_stored(editor_client):
    response = editor_client.post(UPLOAD, {"report": files("kalix", "lulea", "lindesberg")})
    html = response.content.decode()
    assert response.status_code == 200 and "3 filer inlästa. Inget är sparat ännu." in html
    for shown in ("Kalix 2012", "Luleå 2018", "Lindesberg 2021", "Skapa 3 utkast"):
        assert shown in html
    assert not Evaluation.objects.exists()


def test_confirming_creates_every_previewed_report_as_a_draft(editor_client):
    preview = editor_client.post(UPLOAD, {"report": files("kalix", "lindesberg")})
    response = editor_client.post(
        UPLOAD, {**form_data(preview, "confirm-many-form"), "confirm": "1"}
    )
    assert response.status_code == 302
    stored = {str(e): e for e in Evaluation.objects.filter(origin=Evaluation.Origin.REPORT)}
    assert set(stored) == {"Kalix 2012", "Lindesberg 2021"}
    assert all(not e.is_published for e in stored.values())
    assert stored["Kalix 2012"].scores.count() == 45
    revision = stored["Kalix 2012"].revisions.get()
    assert (revision.action, revision.user.username) == (Revision.Action.IMPORTED, "redaktor")


def test_a_file_that_cannot_be_read_is_shown_and_left_out(editor_client):
    preview = editor_client.post(UPLOAD, {"report": files("kalix", broken="protokoll.txt")})
    html = preview.content.decode()
    assert "protokoll.txt" in html and "Nej:" in html and "Skapa 1 utkast" in html
    editor_client.post(UPLOAD, {**form_data(preview, "confirm-many-form"), "confirm": "1"})
    assert [str(e) for e in Evaluation.objects.all()] == ["Kalix 2012"]


def test_if_one_cannot_be_stored_on_confirmation_none_is(editor_client):
    preview = editor_client.post(UPLOAD, {"report": files("kalix", "lindesberg")})
    import_reports("lindesberg", publish=False)  # someone else meanwhile
    response = editor_client.post(
        UPLOAD, {**form_data(preview, "confirm-many-form"), "confirm": "1"}, follow=True
    )
    assert "Inget sparades: lindesberg-2021.txt: Det finns redan" in response.content.decode()
    assert [str(e) for e in Evaluation.objects.all()] == ["Lindesberg 2021"]


def test_each_file_shows_every_list_item_per_column_as_the_single_preview_does(editor_client):
    html = editor_client.post(UPLOAD, {"report": files("kalix", "lulea")}).content.decode()
    for index, name in enumerate(("kalix", "lulea"), start=1):
        parsed = importing.parse(
            REPORT_FILES[name].read_text(encoding="utf-8"), reference=importing.load_reference()
        )
        for area in parsed.areas:
            start = html.index(f'id="fil-{index}-preview-area-{area.number}"')
            section = html[start : html.index("</section>", start)]
            for item in (*area.strengths, *area.improvements):
                assert f"<li>{escape(item)}</li>" in section, (name, area.number, item)
    assert html.count('class="preview-area"') == 16
