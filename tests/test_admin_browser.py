"""A publisher enters Lindesberg 2021 in the admin with a real browser, publishes it and finds it
on the public profile."""

import pytest

from evaluations import importing
from evaluations.forms import format_points
from evaluations.models import Evaluation

from .conftest import ARTIFACTS_DIR, PUBLISHER, REPORT_FILES, make_user, save_screenshot

pytestmark = pytest.mark.browser
PASSWORD = "ett-lösenord-bara-för-test"


@pytest.fixture
def lindesberg_report():
    text = REPORT_FILES["lindesberg"].read_text(encoding="utf-8")
    return importing.parse(text, reference=importing.load_reference())


def log_in(page, username: str, next_url: str) -> None:
    page.goto(f"/admin/login/?next={next_url}")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")


def grid_violations(page) -> list:
    """axe-core on the grid only: the rest of the page is Django's admin."""
    page.add_script_tag(url="/static/vendor/axe.min.js")
    result = page.evaluate(
        "async () => await axe.run('#evaluation-grid', {runOnly: ['wcag2a', 'wcag2aa', "
        "'wcag21a', 'wcag21aa']})"
    )
    return [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]]


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
    assert grid_violations(page) == []
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
