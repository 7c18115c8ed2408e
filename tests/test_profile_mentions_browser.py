"""The profile's "Nämns som gott exempel" section as a visitor sees it, in Chromium."""

import pytest

from evaluations.models import GoodExampleMention, Municipality

from .conftest import axe_violations, save_screenshot

pytestmark = pytest.mark.browser


def test_the_mentions_section_is_accessible_and_leads_to_the_sentence(page, published_reports):
    page.goto("/kommun/nassjo/")
    heading = page.locator("#goda-exempel h2")
    assert heading.text_content() == "Nämns som gott exempel i 1 rapport"
    assert axe_violations(page) == []
    save_screenshot(page, "profile-mentions-nassjo")
    page.get_by_role("link", name="Lindesberg 2021").click()
    page.wait_for_url("**/kommun/lindesberg/2021/#omrade-8")
    assert page.locator("#omrade-8").is_visible()
    page.console_errors.assert_none()


def test_the_section_on_an_evaluated_profile_has_no_axe_violations(page, published_reports):
    # Test input: Lindesberg 2021's mention of Nässjö moved to Kalix, which is evaluated.
    GoodExampleMention.objects.filter(municipality__short_name="Nässjö").update(
        municipality=Municipality.objects.get(short_name="Kalix")
    )
    page.goto("/kommun/kalix/")
    page.wait_for_selector("#radar.chart-ready")
    assert page.locator("#goda-exempel blockquote").count() == 1
    assert axe_violations(page) == []
    page.console_errors.assert_none()
