"""A publisher enters Lindesberg 2021 in the admin with a real browser, publishes it and finds it
on the public profile."""

import pytest
from django.contrib.auth.models import User

from evaluations import importing
from evaluations.forms import format_points
from evaluations.models import Evaluation
from kompass_site import twofactor

from .conftest import (
    ARTIFACTS_DIR,
    EDITOR,
    PUBLISHER,
    REPORT_FILES,
    app_code,
    make_app_device,
    make_user,
    part_violations,
    save_screenshot,
)
from .report_layouts import three_columns, undecided_kalix

pytestmark = pytest.mark.browser
PASSWORD = "ett-lösenord-bara-för-test"


@pytest.fixture
def lindesberg_report():
    text = REPORT_FILES["lindesberg"].read_text(encoding="utf-8")
    return importing.parse(text, reference=importing.load_reference())


def log_in(page, username: str, next_url: str) -> None:
    """The password; for an account that must use two-factor login, then the code of its app
    (set up here if it has none)."""
    user = User.objects.get(username=username)
    app = twofactor.app_device(user)
    if app is None and twofactor.required(user):
        app = make_app_device(user)
    page.goto(f"/admin/login/?next={next_url}")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    if app is not None:
        page.wait_for_url("**/admin/tvastegs/kod/")
        page.fill("#id_code", app_code(app))
        page.click("input[type=submit]")


def test_a_publisher_enters_publishes_and_finds_lindesberg_2021(page, lindesberg_report):
    report = lindesberg_report
    user = make_user("publicerare", groups=(PUBLISHER,))
    user.set_password(PASSWORD)
    user.save()
    log_in(page, "publicerare", "/admin/evaluations/evaluation/add/")
    page.click("text=Version 2020")

    page.select_option("#id_municipality", label="Lindesberg")
    page.fill("#id_year", str(report.year))
    page.fill("#id_month", str(report.month))
    page.fill("#id_report_date", report.report_date.isoformat())
    page.fill("#id_ordinal", str(report.ordinal))
    page.fill("#id_interviewed", str(report.interviewed))
    page.fill("#id_evaluators", report.evaluators)
    page.fill("#id_printed_total", format_points(report.printed_total))
    page.fill("#id_summary", report.summary)

    # A typo beyond the maximum is flagged at once; the sums follow what is typed.
    page.fill('input[data-code="1.1"]', "60")
    assert "out-of-range" in page.get_attribute('input[data-code="1.1"]', "class")
    for area in report.areas:
        block = f"#omrade-{area.number}"
        for question in area.questions:
            page.fill(f'input[data-code="{question.code}"]', format_points(question.points))
        page.fill(f"{block} input.area-points", format_points(area.table_points))
        page.fill(f"{block} input[name$='-header_points']", format_points(area.header_points))
        page.fill(f"{block} textarea[name$='-text']", area.text)
        page.fill(f"{block} textarea[name$='-strengths']", "\n".join(area.strengths))
        page.fill(f"{block} textarea[name$='-improvements']", "\n".join(area.improvements))
    assert "out-of-range" not in page.get_attribute('input[data-code="1.1"]', "class")
    assert page.text_content("#omrade-1 output.area-sum") == "47"
    assert page.text_content("#omrade-4 output.area-sum") == "45,8"
    assert page.text_content("#areas-total") == "423"
    assert part_violations(page, "#evaluation-grid") == []
    save_screenshot(page, "admin-entry-lindesberg-2021")
    page.locator("#omrade-4").screenshot(path=str(ARTIFACTS_DIR / "admin-entry-area-4.png"))

    page.click("input[name=_save]")
    page.wait_for_selector(".messagelist .success")
    evaluation = Evaluation.objects.get()
    assert (str(evaluation), evaluation.status) == ("Lindesberg 2021", Evaluation.Status.DRAFT)
    assert evaluation.scores.count() == 35

    page.goto(f"/admin/evaluations/evaluation/{evaluation.pk}/change/")
    page.click("#preview-link")
    assert "Utvärderingen är ett utkast" in page.text_content("body")
    page.go_back()
    page.click("#publish-link")
    page.click("input[type=submit][value=Publicera]")
    page.wait_for_selector(".messagelist .success")
    assert "Publicerad." in page.text_content("#workflow-status")

    page.goto("/kommun/lindesberg/2021/")
    page.wait_for_selector("#radar.chart-ready")
    body = page.text_content("main")
    assert "Lindesberg" in body and "420" in body
    save_screenshot(page, "admin-published-lindesberg-2021")
    page.console_errors.assert_none()


def test_an_editor_sees_every_list_item_chooses_the_version_and_creates_the_draft(page):
    """Kalix 2012 without its tables, area 7's title lost and dated 2009 (nothing decides the
    version), its lists in the 2010 version's three columns."""
    text = three_columns(undecided_kalix())
    expected = importing.parse(text, reference=importing.load_reference(), version="2010")
    user = make_user("redaktor", groups=(EDITOR,))
    user.set_password(PASSWORD)
    user.save()
    log_in(page, "redaktor", "/admin/evaluations/evaluation/ladda-upp/")
    page.set_input_files(
        "#id_report", {"name": "kalix.txt", "mimeType": "text/plain", "buffer": text.encode()}
    )
    page.click("input[type=submit][value='Läs in']")
    page.wait_for_selector("#preview-facts")
    assert "välj den nedan" in page.text_content("#preview-version")
    assert page.input_value("#id_version") == ""
    assert part_violations(page, ".upload-preview") == []

    page.click("input[name=confirm]")
    assert "Välj ramverksversion" in page.text_content("#preview-error")
    page.select_option("#id_version", "2010")
    page.click("input[name=reparse]")
    assert "2010 (vald av personalen; rapporten avgör den inte)" in page.text_content(
        "#preview-version"
    )
    for area in expected.areas:
        lists = page.locator(f"#preview-area-{area.number} .preview-list")
        for index, items in enumerate((area.strengths, area.improvements, area.weaknesses)):
            shown = lists.nth(index).locator("li")
            assert shown.all_inner_texts() == items, (area.number, index)
            assert all(item.is_visible() for item in shown.all())
    # The three columns side by side on a desktop screen, each item readable.
    boxes = [page.locator("#preview-area-1 .preview-list").nth(i).bounding_box() for i in range(3)]
    assert boxes[0]["x"] < boxes[1]["x"] < boxes[2]["x"]
    assert len(page.locator("#preview-warnings li").all()) == len(importing.plan(expected).warnings)
    assert part_violations(page, ".upload-preview") == []
    save_screenshot(page, "admin-upload-preview-kalix-three-columns")

    page.click("input[name=confirm]")
    page.wait_for_selector(".messagelist .success")
    evaluation = Evaluation.objects.get()
    assert (evaluation.framework.code, evaluation.year) == ("2010", 2009)
    assert evaluation.area_results.get(area__number=1).list_items.filter(
        kind="weakness"
    ).count() == len(expected.areas[0].weaknesses)
    page.goto(f"/admin/evaluations/evaluation/{evaluation.pk}/history/")
    assert "Ramverksversion 2010 vald av personalen (rapporten avgör den inte)" in (
        page.text_content("body")
    )
    page.console_errors.assert_none()
