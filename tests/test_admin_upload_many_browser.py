"""In Chromium: a Redaktör chooses three report files at once, sees each previewed, and creates
all three drafts with one confirmation."""

import pytest

from evaluations.models import Evaluation

from .conftest import EDITOR, REPORT_FILES, make_user, part_violations, save_screenshot
from .test_admin_browser import log_in

pytestmark = pytest.mark.browser


def test_three_reports_are_uploaded_previewed_and_created_at_once(page):
    make_user("redaktor", groups=(EDITOR,))
    log_in(page, "redaktor", "/admin/evaluations/evaluation/ladda-upp/")
    page.set_input_files("#id_report", [str(path) for path in REPORT_FILES.values()])
    page.click("input[type=submit]")
    page.wait_for_selector("#preview-files")
    rows = page.locator("#preview-files tbody tr")
    assert rows.count() == 3 and "Ja, som utkast" in rows.nth(2).text_content()
    assert not Evaluation.objects.exists()
    assert part_violations(page, "#content-main") == []
    save_screenshot(page, "admin-upload-many")
    page.click("#confirm-many-form input[name=confirm]")
    page.wait_for_selector(".messagelist .success")
    assert "Inlästa som utkast" in page.text_content(".messagelist")
    reports = Evaluation.objects.filter(origin=Evaluation.Origin.REPORT)
    assert sorted(str(e) for e in reports) == ["Kalix 2012", "Lindesberg 2021", "Luleå 2018"]
    page.console_errors.assert_none()
