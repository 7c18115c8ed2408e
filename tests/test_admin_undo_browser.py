"""In Chromium: a Redaktör deletes a draft with a reason, a Publicerare restores it; a published
evaluation's edit is reviewed before it is saved and reverted from the history; the form's
errors are listed at the top with links to their fields."""

import pytest

from evaluations.models import Evaluation

from .conftest import EDITOR, PUBLISHER, axe_violations, import_reports, make_user, save_screenshot
from .test_admin_browser import log_in

pytestmark = pytest.mark.browser
ADMIN = "/admin/evaluations/evaluation/"


def test_a_draft_is_deleted_with_a_reason_and_restored_from_the_trash(page):
    import_reports("kalix", publish=False)
    kalix = Evaluation.objects.get()
    make_user("redaktor", groups=(EDITOR,))
    make_user("publicerare", groups=(PUBLISHER,))
    log_in(page, "redaktor", f"{ADMIN}{kalix.pk}/delete/")
    page.fill("#id_reason", "Dubblett")
    assert page.text_content("#id_reason_counter") == "8 av 500 tecken"
    page.click("input[type=submit]")
    page.wait_for_selector(".messagelist .success")
    assert "ligger nu i papperskorgen" in page.text_content(".messagelist")
    page.context.clear_cookies()

    log_in(page, "publicerare", ADMIN)
    page.click("#trash-link")
    assert "Dubblett" in page.text_content("#trash-list")
    assert axe_violations(page) == []
    save_screenshot(page, "admin-trash")
    page.click("#trash-list button")
    page.wait_for_selector(".messagelist .success")
    assert Evaluation.objects.live().filter(pk=kalix.pk).exists()
    page.console_errors.assert_none()


def test_a_published_edit_is_reviewed_then_reverted_from_the_history(page):
    import_reports("kalix")
    kalix = Evaluation.objects.get()
    make_user("publicerare", groups=(PUBLISHER,))
    log_in(page, "publicerare", f"{ADMIN}{kalix.pk}/change/")
    page.fill('input[data-code="3.2"]', "14")
    page.fill("#id_change_reason", "Rättat mot sidan 12")
    page.click("input[name=_save]")
    page.wait_for_selector("#review-diff")
    assert "Delfråga 3.2" in page.text_content("#review-diff")
    save_screenshot(page, "admin-review-edit")
    page.click("#review-form input[type=submit]")
    page.wait_for_selector(".messagelist .success")
    assert kalix.scores.get(question__code="3.2").points == 14

    page.goto(f"{ADMIN}{kalix.pk}/history/")
    entries = page.locator(".history-entry")
    assert entries.count() == 2 and "Rättat mot sidan 12" in entries.first.text_content()
    assert axe_violations(page) == []
    page.click(".revert-link")
    page.fill("#id_reason", "Rättelsen var fel")
    page.click("#revert-form input[type=submit]")
    page.wait_for_selector(".messagelist .success")
    assert kalix.scores.get(question__code="3.2").points != 14
    page.console_errors.assert_none()


def test_the_error_summary_links_to_each_wrong_field(page):
    import_reports("lindesberg", publish=False)
    lindesberg = Evaluation.objects.get()
    make_user("redaktor", groups=(EDITOR,))
    log_in(page, "redaktor", f"{ADMIN}{lindesberg.pk}/change/")
    page.fill("#id_month", "13")
    page.fill('input[data-code="1.1"]', "25")
    page.click("input[name=_save]")
    page.wait_for_selector("#error-summary")
    links = page.locator("#error-summary a")
    assert links.count() == 2
    assert "Ange månaden som ett tal från 1 till 12." in links.nth(0).text_content()
    assert "Delfråga 1.1: Poängen måste ligga mellan 0 och 20." in links.nth(1).text_content()
    links.nth(1).click()
    assert page.evaluate("location.hash").endswith("-points")
    save_screenshot(page, "admin-error-summary")
    page.console_errors.assert_none()
