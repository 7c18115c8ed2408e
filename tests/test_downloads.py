import csv
import io
import time
from datetime import date
from decimal import Decimal

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from comparisons import downloads
from comparisons.filters import published_scores
from comparisons.means import question_sums_by_version
from evaluations.models import Municipality

from .conftest import make_evaluation_like

pytestmark = pytest.mark.django_db

CSV_URL = "/delfragor/delfragor.csv"
XLSX_URL = "/delfragor/delfragor.xlsx"
HEADER = [
    "Kommun",
    "Kommunkod",
    "Län",
    "År",
    "Version",
    "Område",
    "Områdesrubrik",
    "Kod",
    "Delfråga",
    "Poäng",
    "Max",
    "Procent",
    "Medel av andra",
    "n (andra)",
]


def csv_rows(response) -> list[list[str]]:
    """The rows of a CSV answer (streamed: read once)."""
    body = response.getvalue()
    response.read_body = body
    text = body.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff")), delimiter=";"))


def workbook(response) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(response.getvalue()))


def test_csv_is_utf8_with_bom_semicolons_and_decimal_commas(client, published_reports):
    response = client.get(CSV_URL, {"kommun": "lulea"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith(
        'attachment; filename="kompass-delfragor-'
    ) and response["Content-Disposition"].endswith('.csv"')
    rows = csv_rows(response)
    assert response.read_body.startswith(b"\xef\xbb\xbfKommun;Kommunkod;L\xc3\xa4n;")
    assert rows[0] == HEADER
    assert len(rows) == 1 + 45
    assert rows[5] == [
        "Luleå",
        "2580",
        "Norrbottens län",
        "2018",
        "2016",
        "1",
        "Offentlighet och demokrati",
        "1.5",
        "Etik - Hur skapas tillit genom god etik?",
        "9,5",
        "10",
        "95",
        "",  # Luleå is alone in version 2016: no mean of others
        "0",
    ]


def test_each_row_carries_the_mean_of_the_other_evaluations_with_n(client, published_reports):
    # Luleå 2018's real figures again as Piteå 2019 and Boden 2019: two others for each row.
    for code in ("2581", "2582"):
        make_evaluation_like(
            published_reports["lulea"], municipality=Municipality.objects.get(code=code), year=2019
        )
    rows = csv_rows(client.get(CSV_URL, {"kommun": "lulea", "kod": "1.5"}))
    assert rows[1][9:] == ["9,5", "10", "95", "9,5", "2"]
    sheet = workbook(client.get(XLSX_URL, {"kommun": "lulea", "kod": "1.5"}))["Delfrågor"]
    assert [cell.value for cell in sheet[2]][12:] == [Decimal("9.5"), 2]


def test_csv_has_every_filtered_row_in_the_page_order(client, published_reports):
    rows = csv_rows(client.get(CSV_URL))
    assert len(rows) == 1 + 125
    assert [row[0] for row in rows[1:4]] == ["Kalix", "Kalix", "Kalix"]  # by municipality
    ranked = csv_rows(client.get(CSV_URL, {"version": "2016", "sortera": "-procent"}))
    percents = [int(row[11]) for row in ranked[1:]]
    assert percents == sorted(percents, reverse=True)
    assert (ranked[1][7], ranked[1][11]) == ("5.6", "100")
    assert {row[4] for row in ranked[1:]} == {"2016"}


def test_csv_with_search_and_ranges(client, published_reports):
    rows = csv_rows(client.get(CSV_URL, {"q": "dialog", "ar_fran": "2013"}))
    assert [(row[0], row[7]) for row in rows[1:]] == [("Lindesberg", "1.3"), ("Luleå", "1.4")]


def test_xlsx_has_named_columns_numbers_and_a_note_on_versions(client, published_reports):
    response = client.get(XLSX_URL, {"kommun": "lulea", "omrade": "1"})
    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response["Content-Disposition"].endswith('.xlsx"')
    book = workbook(response)
    assert book.sheetnames == ["Delfrågor", "Om uppgifterna"]
    sheet = book["Delfrågor"]
    assert [cell.value for cell in sheet[1]] == HEADER
    assert sheet.max_row == 1 + 5  # Luleå's five questions in area 1
    assert [cell.value for cell in sheet[6]] == [
        "Luleå",
        "2580",
        "Norrbottens län",
        2018,
        "2016",
        1,
        "Offentlighet och demokrati",
        "1.5",
        "Etik - Hur skapas tillit genom god etik?",
        9.5,
        10,
        95,
        None,
        0,
    ]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:N6"
    assert "inte fullt jämförbara" in sheet["E1"].comment.text

    note = {row[0]: row[1] for row in book["Om uppgifterna"].iter_rows(values_only=True) if row[0]}
    assert (
        "Poäng från olika versioner är inte fullt jämförbara"
        in note["Jämförelser mellan versioner"]
    )
    assert note["Urval"] == (
        "Område: 1 Offentlighet och demokrati / Samspel mellan förtroendevalda och medborgare; "
        "Kommun: Luleå"
    )
    assert note["Rader"] == 5
    assert note["Källa"] == "http://testserver/delfragor/?kommun=lulea&omrade=1"
    assert note["Hämtad"].date() <= date.today()


def test_xlsx_of_every_row_says_no_filter(client, published_reports):
    book = workbook(client.get(XLSX_URL))
    assert book["Delfrågor"].max_row == 1 + 125
    note = {row[0]: row[1] for row in book["Om uppgifterna"].iter_rows(values_only=True) if row[0]}
    assert note["Urval"] == "Alla publicerade utvärderingar, inga filter."


@pytest.mark.parametrize("url", [CSV_URL, XLSX_URL])
@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"ar_fran": "tjugo"}, "År från: Fyll i ett heltal."),
        ({"procent_fran": "500"}, "Procent från: Kontrollera att detta värde är mindre än"),
        ({"kod": "9.9"}, "Kod: Välj ett giltigt alternativ."),
    ],
)
def test_bad_filters_are_a_400_with_the_message(client, published_reports, url, query, message):
    response = client.get(url, query)
    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    text = response.content.decode()
    assert text.startswith("Filtren kunde inte användas:")
    assert message in text


def test_text_that_looks_like_a_formula_stays_text(published_reports):
    # Question texts are edited by staff; a spreadsheet must never run one as a formula.
    score = published_scores().get(evaluation__year=2018, question__code="1.5")
    score.question.text = '=HYPERLINK("http://example.com","Etik")'
    sums = question_sums_by_version()
    row_values = downloads.score_values(score, sums=sums)
    text = b"".join(downloads.csv_chunks(rows=[row_values])).decode()
    row = list(csv.reader(io.StringIO(text.removeprefix("\ufeff")), delimiter=";"))[1]
    assert row[8] == "'" + score.question.text
    binary = io.BytesIO()
    downloads.write_xlsx(
        rows=[row_values],
        out=binary,
        applied_filters=[],
        source_url="",
        created=date.today(),
    )
    cell = openpyxl.load_workbook(binary)["Delfrågor"]["I2"]
    assert (cell.data_type, cell.value) == ("s", score.question.text)
    assert score.points == Decimal("9.5")


@pytest.mark.parametrize("url", [CSV_URL, XLSX_URL])
def test_download_query_count_does_not_grow_with_the_rows(
    client, published_reports, url, django_assert_max_num_queries
):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url, {"lan": "25", "sortera": "procent"}).status_code == 200
        return len(captured)

    few = queries()
    for index, municipality in enumerate(
        Municipality.objects.filter(county__code="25").exclude(evaluations__isnull=False)[:6]
    ):
        source = list(published_reports.values())[index % 3]
        make_evaluation_like(source, municipality=municipality, year=source.year + 1)
    assert queries() == few
    with django_assert_max_num_queries(6):  # the page cache reads the data version first
        response = client.get(url, {"lan": "25"})
    if url == CSV_URL:
        assert len(csv_rows(response)) == 1 + 90 + 2 * (45 + 45 + 35)


# --- Every row at once: built once per data version -------------------------------------------


def built_files(settings) -> list[str]:
    return sorted(path.name for path in settings.DOWNLOADS_ROOT.glob("delfragor-*"))


def test_the_full_csv_is_built_once_per_data_version(client, published_reports, settings):
    first = client.get(CSV_URL)
    assert first.streaming and len(csv_rows(first)) == 1 + 125
    assert [name.endswith(".csv") for name in built_files(settings)] == [True]
    with CaptureQueriesContext(connection) as captured:
        again = csv_rows(client.get(CSV_URL))
    assert len(again) == 1 + 125
    assert not any("evaluations_questionscore" in q["sql"] for q in captured.captured_queries)
    before = built_files(settings)
    published_reports["kalix"].status = "draft"
    published_reports["kalix"].save()
    assert len(csv_rows(client.get(CSV_URL))) == 1 + 125 - 45  # Kalix's 45 scores gone
    after = built_files(settings)
    assert len(after) == 1 and after != before  # the older version's file removed


def test_each_language_gets_the_full_csv_in_its_own_words(client, published_reports, settings):
    swedish, english = csv_rows(client.get(CSV_URL)), csv_rows(client.get("/en" + CSV_URL))
    assert (swedish[0][0], english[0][0]) == ("Kommun", "Municipality")
    assert swedish[1:] == english[1:]
    assert [name.split("-")[1] for name in built_files(settings)] == ["en", "sv"]


def test_the_full_xlsx_is_the_same_as_a_filtered_one_of_every_row(client, published_reports):
    book = workbook(client.get(XLSX_URL))
    assert book["Delfrågor"].max_row == 1 + 125
    filtered = workbook(client.get(XLSX_URL, {"ar_fran": "2002"}))
    assert [list(r) for r in book["Delfrågor"].iter_rows(values_only=True)] == [
        list(r) for r in filtered["Delfrågor"].iter_rows(values_only=True)
    ]


@pytest.mark.django_db(transaction=True)
def test_a_large_full_xlsx_is_built_in_the_background(client, monkeypatch, settings):
    from comparisons.views import explorer

    from .conftest import import_reports

    import_reports("lulea")
    monkeypatch.setattr(explorer, "BUILD_WHILE_WAITING_ROWS", 10)  # Luleå alone has 45
    monkeypatch.setattr("kompass_site.prebuilt.WAIT_SECONDS", 0.0)
    waiting = client.get(XLSX_URL)
    if waiting.status_code == 503:  # not built within the wait
        assert waiting["Retry-After"] == "60"
        assert "byggs just nu" in waiting.content.decode()
    for _attempt in range(300):
        if built_files(settings):
            break
        time.sleep(0.1)
    response = client.get(XLSX_URL)
    assert response.status_code == 200
    assert workbook(response)["Delfrågor"].max_row == 1 + 45
    # Built by a thread of its own, in the language of the request that asked for it.
    for _attempt in range(300):
        english = client.get("/en" + XLSX_URL)
        if english.status_code == 200:
            break
        time.sleep(0.1)
    assert workbook(english).sheetnames == ["Sub-questions", "About the data"]
