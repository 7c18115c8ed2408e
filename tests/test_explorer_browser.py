import csv
import io
from pathlib import Path

import openpyxl
import pytest

from .conftest import axe_violations, save_screenshot

pytestmark = pytest.mark.browser


def percent_column(page) -> list[int]:
    cells = page.locator("#poang tbody td:nth-child(10)").all_text_contents()
    return [int(cell.replace("\u00a0%", "")) for cell in cells]


def sort_link(page, header: str):
    return page.get_by_role("link", name=f"{header}, sortera", exact=True)


def test_visitor_filters_sorts_and_downloads(page, published_reports):
    page.goto("/delfragor/")
    assert "125 delfrågepoäng hittades" in page.text_content("#antal")

    page.get_by_label("Område", exact=True).select_option("1")
    page.get_by_label("Län", exact=True).select_option(label="Norrbottens län")
    page.get_by_role("button", name="Filtrera").click()
    page.wait_for_url("**/delfragor/?omrade=1&lan=25")
    assert "10 delfrågepoäng hittades" in page.text_content("#antal")
    assert "versionerna 2010, 2016" in page.text_content("main")

    sort_link(page, "Procent").click()
    page.wait_for_url("**sortera=procent*")
    assert page.get_attribute("#poang th:nth-child(10)", "aria-sort") == "ascending"
    assert percent_column(page) == sorted(percent_column(page))
    sort_link(page, "Procent").click()
    page.wait_for_url("**sortera=-procent*")
    assert page.get_attribute("#poang th:nth-child(10)", "aria-sort") == "descending"
    shown = percent_column(page)
    assert shown == sorted(shown, reverse=True) and len(shown) == 10
    save_screenshot(page, "explorer-filtered-sorted")

    with page.expect_download() as csv_download:
        page.get_by_role("link", name="Ladda ner som CSV").click()
    assert csv_download.value.suggested_filename.endswith(".csv")
    data = Path(csv_download.value.path()).read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][0] == "Kommun" and len(rows) == 11
    assert [int(row[11]) for row in rows[1:]] == shown  # the page's order

    with page.expect_download() as xlsx_download:
        page.get_by_role("link", name="Ladda ner som Excel (XLSX)").click()
    assert xlsx_download.value.suggested_filename.endswith(".xlsx")
    book = openpyxl.load_workbook(io.BytesIO(Path(xlsx_download.value.path()).read_bytes()))
    sheet = book["Delfrågor"]
    assert sheet["A1"].value == "Kommun" and sheet.max_row == 11
    assert [row[11] for row in sheet.iter_rows(min_row=2, values_only=True)] == shown
    page.console_errors.assert_none()


def test_keyboard_user_searches_and_opens_a_question(page, published_reports):
    page.goto("/delfragor/")
    page.get_by_label("Sök i delfrågan").focus()
    page.keyboard.type("medborgardialog")
    page.keyboard.press("Enter")
    page.wait_for_url("**/delfragor/?q=medborgardialog")
    assert "1 delfrågepoäng hittades" in page.text_content("#antal")
    page.locator("#poang tbody a", has_text="1.4").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/delfragor/2010/1.4/")
    assert page.text_content("h1") == "1.4 Hur främjas medborgardialog och deltagande"
    save_screenshot(page, "explorer-question")


def test_bad_input_is_shown_beside_the_field(page, published_reports):
    page.goto("/delfragor/")
    page.get_by_label("År från").fill("tjugo")
    page.get_by_label("Procent till").fill("500")
    page.get_by_role("button", name="Filtrera").click()
    page.wait_for_url("**ar_fran=tjugo*")
    alert = page.get_by_role("alert")
    assert "År från: Fyll i ett heltal." in alert.text_content()
    assert "Procent till: Kontrollera att detta värde är mindre än eller lika med 100." in (
        alert.text_content()
    )
    assert page.get_by_label("År från").input_value() == "tjugo"
    assert page.get_attribute("#id_ar_fran", "aria-invalid") == "true"
    assert page.locator("#poang tbody tr").count() == 1  # the "no rows" line
    save_screenshot(page, "explorer-errors")


def test_explorer_pages_have_no_axe_violations(page, published_reports):
    for url in (
        "/delfragor/",
        "/delfragor/?omrade=1&lan=25&sortera=-procent",
        "/delfragor/?ar_fran=tjugo&procent_till=500&kod=9.9",
        "/delfragor/2016/1.4/",
        "/delfragor/2016/9.9/",
    ):
        page.goto(url)
        if url == "/delfragor/":
            save_screenshot(page, "explorer-all")
        assert axe_violations(page) == [], url
    # The unknown question is a 404, which Chromium reports on the console; nothing else.
    assert [error for error in page.console_errors if "404" not in error] == []
