"""The good-examples search with the recommended municipalities and the texts, in Chromium."""

import pytest

from .conftest import axe_violations, save_screenshot

pytestmark = pytest.mark.browser


def test_recommended_municipalities_and_text_hits_are_accessible(page, published_reports):
    page.goto("/exempel/")
    page.fill("#q", "medarbetarskap")
    page.check("#texter")
    page.click("button[type=submit]")
    page.wait_for_url("**/exempel/?q=medarbetarskap*texter=1")
    assert page.locator("#mentions-heading + .mentions li").count() == 1
    assert page.locator(".examples .kind-text").count() >= 1
    assert axe_violations(page) == []
    save_screenshot(page, "examples-mentions")
    page.get_by_role("link", name="Nässjö").click()
    page.wait_for_url("**/kommun/nassjo/")
    page.console_errors.assert_none()
