"""Every public page on a phone (390 CSS pixels wide): nothing makes the page scroll sideways;
wide tables scroll inside their own box."""

import pytest

from .conftest import save_screenshot

pytestmark = pytest.mark.browser

PAGES = [
    "/",
    "/?q=a",
    "/kommun/lulea/",
    "/kommun/lindesberg/",
    "/delfragor/",
    "/delfragor/2016/1.5/",
    "/jamfor/?k=lulea&k=kalix&k=lindesberg",
    "/rankning/?version=2016&area=2",
    "/exempel/?q=medborg",
]


def test_no_public_page_scrolls_sideways_on_a_phone(page, six_evaluated):
    page.set_viewport_size({"width": 390, "height": 844})
    for url in PAGES:
        page.goto(url)
        page.wait_for_load_state("load")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"{url} is {width} px wide"
    save_screenshot(page, "phone-examples")
    page.console_errors.assert_none()


def test_charts_offer_downloads_but_no_sharing_to_plotly(page, six_evaluated):
    page.goto("/kommun/lulea/")
    page.wait_for_selector("#radar.chart-ready")
    titles = page.eval_on_selector_all(
        "#radar .modebar-btn", "buttons => buttons.map(b => b.getAttribute('data-title'))"
    )
    assert "Ladda ner som SVG" in titles
    assert not [t for t in titles if "Cloud" in t or "Share" in t or "Dela" in t], titles


def test_on_a_phone_the_radar_names_areas_by_number_and_the_charts_fit_the_width(
    page, six_evaluated
):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/kommun/lindesberg/")
    page.wait_for_selector("#bars.chart-ready")
    theta = page.eval_on_selector("#radar", "el => el.data[0].theta")
    assert theta[:8] == [f"Område {n}" for n in range(1, 9)]
    # The bars have room for the names, wrapped.
    bars = page.eval_on_selector("#bars", "el => el.data[0].y")
    assert bars[0] == "1 Samspel mellan<br>förtroendevalda och<br>medborgare"
    widths = page.eval_on_selector_all(
        ".main-svg", "els => els.map(el => el.getBoundingClientRect().right)"
    )
    assert max(widths) <= 390
    # The names are in the table beside the charts.
    assert "1 Samspel mellan förtroendevalda och medborgare" in page.text_content("#area-table")
    save_screenshot(page, "phone-profile-lindesberg")
    page.console_errors.assert_none()
