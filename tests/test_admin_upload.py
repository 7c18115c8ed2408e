"""Uploading a report in the admin: a preview first, the draft only on confirmation."""

from html import unescape
from html.parser import HTMLParser

from django.core.files.uploadedfile import SimpleUploadedFile

from evaluations import importing
from evaluations.models import AreaListItem, AreaResult, Evaluation, QuestionScore

from .conftest import REPORT_FILES, form_data, import_reports
from .report_layouts import (
    report_text,
    three_columns,
    truncated,
    undecided_kalix,
    without_section,
)
from .test_report_parser_layouts import KALIX_LIST_COUNTS

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
    assert (
        "Rapporten har värden som inte kan stämma: Område 1, Poäng: Poängen måste ligga mellan "
        "0 och 100. Område 1, Poäng i översiktstabellen: Poängen måste ligga mellan 0 och 100."
        in html
    )
    assert nothing_stored()


def test_impossible_values_are_refused_before_staff_are_asked_for_the_version(editor_client):
    broken = undecided_kalix().replace("ett 40-tal personer", "4000 personer")
    response = upload(editor_client, SimpleUploadedFile("kalix.txt", broken.encode()))
    html = response.content.decode()
    assert (
        "Rapporten har värden som inte kan stämma: Antal intervjuade: Antalet intervjuade kan "
        "inte vara fler än 1000." in html
    )
    assert 'id="confirm-form"' not in html
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


# --- what the preview shows: every list item, the texts' first lines, every warning -----------


class PreviewPage(HTMLParser):
    """Per area section of the preview: the first lines of its text and its items per column."""

    def __init__(self):
        super().__init__()
        self.areas: dict[int, dict] = {}
        self.warnings: list[str] = []
        self.summary: list[str] = []
        self._area = self._column = self._in = None
        self._text = ""

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "section" and attrs.get("id", "").startswith("preview-area-"):
            self._area = {"lines": [], "columns": {}}
            self.areas[int(attrs["id"].removeprefix("preview-area-"))] = self._area
        elif tag == "ul" and attrs.get("id") == "preview-warnings":
            self._in = "warnings"
        elif tag == "div" and "preview-text" in attrs.get("class", ""):
            self._in = "text"
        elif tag == "div" and attrs.get("id") == "preview-summary":
            self._in = "summary"
        elif tag in ("h4", "li", "p"):
            self._text = ""

    def handle_endtag(self, tag):
        text, area = self._text.strip(), self._area
        if (
            tag == "ul"
            and self._in == "warnings"
            or tag == "div"
            and self._in
            in (
                "text",
                "summary",
            )
        ):
            self._in = None
        elif tag == "p" and self._in == "summary":
            self.summary.append(text)
        elif tag == "li" and self._in == "warnings":
            self.warnings.append(text)
        elif area is not None and tag == "p" and self._in == "text":
            area["lines"].append(text)
        elif area is not None and tag == "h4" and not text.startswith("Texten"):
            self._column = area["columns"].setdefault(text.rsplit(" (", 1)[0], [])
        elif area is not None and tag == "li" and self._column is not None:
            self._column.append(text)
        elif tag == "section":
            self._area = self._column = None

    def handle_data(self, data):
        self._text += data


def preview_page(response) -> PreviewPage:
    page = PreviewPage()
    page.feed(response.content.decode())
    return page


def parsed_report(text: str):
    return importing.parse(text, reference=importing.load_reference())


def test_the_preview_shows_every_list_item_per_column(editor_client):
    text = three_columns(report_text("kalix"))
    page = preview_page(upload(editor_client, SimpleUploadedFile("kalix.txt", text.encode())))
    parsed = parsed_report(text)
    counts = []
    for area in parsed.areas:
        columns = page.areas[area.number]["columns"]
        assert columns == {
            "Styrkor": area.strengths,
            "Förbättringsmöjligheter": area.improvements,
            "Svagheter": area.weaknesses,
        }
        counts.append(tuple(len(items) for items in columns.values()))
    # Kalix 2012's printed lists, the later half of each area's improvements as weaknesses.
    assert counts == [(s, (i + 1) // 2, i // 2) for s, i in KALIX_LIST_COUNTS]
    assert nothing_stored()


def begins(line: str, paragraph: str) -> bool:
    """Whether a preview line is the paragraph, or its start cut with an ellipsis."""
    return line == paragraph or (
        line.endswith("…") and paragraph.startswith(line[:-1]) and len(line) <= 200
    )


def test_the_preview_shows_the_first_lines_of_each_text_and_of_the_summary(editor_client):
    page = preview_page(upload(editor_client, report_file("lulea")))
    parsed = parsed_report(REPORT_FILES["lulea"].read_text(encoding="utf-8"))
    for area in parsed.areas:
        paragraphs = area.text.split("\n\n")
        lines = page.areas[area.number]["lines"]
        assert len(lines) == 2 and len(paragraphs) > 2, area.number
        assert all(begins(line, p) for line, p in zip(lines, paragraphs, strict=False))
        assert lines[0].startswith("Allmänt"), area.number
    summary = parsed.summary.split("\n\n")
    assert page.summary == [line for line in page.summary if line][:2]
    assert all(begins(line, p) for line, p in zip(page.summary, summary, strict=False))
    assert len(page.summary) == 2


def test_the_preview_shows_every_warning(editor_client):
    text = without_section(three_columns(report_text("kalix")), 5)
    page = preview_page(upload(editor_client, SimpleUploadedFile("kalix.txt", text.encode())))
    warnings = importing.plan(parsed_report(text)).warnings
    assert page.warnings == warnings
    assert len(warnings) > 10
    assert (
        "Område 5: avsnittet saknas i rapporten (ingen rubrik ”Område 5 …”) – ingen text "
        "och inga listor. Poängen kommer från översiktstabellen." in page.warnings
    )


# --- the framework version: chosen where the report does not decide it, or overridden ---------


def test_where_the_report_does_not_decide_the_version_staff_choose_it(editor_client):
    preview = upload(editor_client, SimpleUploadedFile("kalix.txt", undecided_kalix().encode()))
    html = preview.content.decode()
    assert "Rapporten avgör inte vilken ramverksversion den följer – välj den nedan." in html
    data = form_data(preview, "confirm-form")
    assert (data["version"], data["previewed_version"]) == ("", "")

    again = editor_client.post(UPLOAD_URL, {**data, "confirm": "Skapa utkast"})
    assert "Välj ramverksversion: rapporten avgör den inte." in again.content.decode()
    assert nothing_stored()

    # Chosen and confirmed at once: the preview of that version first, then the draft.
    chosen = editor_client.post(UPLOAD_URL, {**data, "version": "2010", "confirm": "Skapa utkast"})
    html = chosen.content.decode()
    assert "Förhandsgranskningen visar nu ramverksversion 2010; granska och bekräfta." in html
    assert "2010 (vald av personalen; rapporten avgör den inte)" in html
    assert nothing_stored()
    editor_client.post(UPLOAD_URL, {**form_data(chosen, "confirm-form"), "confirm": "Skapa"})
    evaluation = Evaluation.objects.get()
    assert (evaluation.framework.code, evaluation.year) == ("2010", 2009)
    assert "Ramverksversion 2010 vald av personalen; rapporten avgjorde den inte." in (
        evaluation.import_warnings
    )
    assert evaluation.history.get().history_change_reason == (
        "Ramverksversion 2010 vald av personalen (rapporten avgör den inte); inläst från kalix.txt"
    )


def test_staff_may_override_a_decided_version_and_the_history_says_so(editor_client):
    text = truncated(report_text("kalix"))
    preview = upload(editor_client, SimpleUploadedFile("kalix-2012.txt", text.encode()))
    assert "2010 (efter områdesrubrikerna)" in preview.content.decode()
    data = form_data(preview, "confirm-form")
    assert (data["version"], data["previewed_version"]) == ("2010", "2010")
    shown = editor_client.post(UPLOAD_URL, {**data, "version": "2016", "reparse": "Visa"})
    assert "2016 (vald av personalen; rapporten själv pekar på 2010)" in shown.content.decode()
    assert nothing_stored()
    editor_client.post(UPLOAD_URL, {**form_data(shown, "confirm-form"), "confirm": "Skapa"})
    evaluation = Evaluation.objects.get()
    assert evaluation.framework.code == "2016"
    reason = (
        "Ramverksversion 2016 vald av personalen (rapporten pekar på 2010); inläst från "
        "kalix-2012.txt"
    )
    assert evaluation.history.get().history_change_reason == reason
    assert {r.history_change_reason for r in AreaResult.history.all()} == {reason}
    history = editor_client.get(f"/admin/evaluations/evaluation/{evaluation.pk}/history/")
    assert reason in unescape(history.content.decode())


def test_a_version_unchanged_is_no_choice_of_staff(editor_client):
    data = form_data(upload(editor_client, report_file("lulea")), "confirm-form")
    shown = editor_client.post(UPLOAD_URL, {**data, "reparse": "Visa"})
    assert "2016 (efter översiktstabellernas koder och maxpoäng)" in shown.content.decode()
    editor_client.post(UPLOAD_URL, {**form_data(shown, "confirm-form"), "confirm": "Skapa"})
    assert Evaluation.objects.get().history.get().history_change_reason == (
        "Inläst från lulea-2018.txt"
    )


def test_an_unticked_stated_result_stays_offered_when_the_preview_is_shown_again(editor_client):
    data = form_data(upload(editor_client, stating_report()), "confirm-form")
    del data["keep_stated"]
    shown = editor_client.post(UPLOAD_URL, {**data, "reparse": "Visa"})
    again = form_data(shown, "confirm-form")
    assert 'id="preview-stated"' in shown.content.decode() and "keep_stated" not in again
    editor_client.post(UPLOAD_URL, {**again, "confirm": "Skapa"})
    assert list(Evaluation.objects.values_list("year", flat=True)) == [2018]


def test_a_damaged_confirmation_says_so_and_stores_nothing(editor_client):
    response = editor_client.post(UPLOAD_URL, {"text": "", "confirm": "Skapa"}, follow=True)
    assert "Förhandsgranskningen kunde inte läsas; ladda upp filen igen." in (
        response.content.decode()
    )
    assert nothing_stored()


def test_the_preview_costs_a_bounded_number_of_queries(
    editor_client, django_assert_max_num_queries
):
    # The session, the user and their permissions (4), the reference data (versions, areas,
    # questions, municipalities: 4), the evaluation it would replace (the view's and the
    # import's check: 2), the version choices (1), and the write service's checks (the
    # municipality and version looked up and validated, the one-per-year rule, the version's
    # areas and questions: 9; each row's constraints are evaluated without a query); whatever
    # the report's size.
    with django_assert_max_num_queries(20):
        response = upload(editor_client, SimpleUploadedFile("k.txt", three_columns_kalix()))
    assert response.status_code == 200 and 'id="confirm-form"' in response.content.decode()


def three_columns_kalix() -> bytes:
    return three_columns(report_text("kalix")).encode()
