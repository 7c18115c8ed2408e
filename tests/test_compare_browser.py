import re

import pytest

from evaluations.models import Municipality

from .conftest import axe_violations, make_evaluation_like, save_screenshot

pytestmark = pytest.mark.browser


def test_comparison_of_three_draws_three_series(page, published_reports):
    page.goto("/jamfor/?k=lulea&k=kalix&k=lindesberg")
    page.wait_for_selector("#radar.chart-ready")
    assert page.get_attribute("#radar", "data-traces") == "3"
    names = page.eval_on_selector("#radar", "el => el.data.map(trace => trace.name)")
    assert names == [
        "Luleå 2018 (version 2016)",
        "Kalix 2012 (version 2010)",
        "Lindesberg 2021 (version 2020)",
    ]
    assert page.locator("#radar .legend .traces").count() == 3
    save_screenshot(page, "compare-three")
    page.console_errors.assert_none()


def test_six_draw_six_series(page, six_evaluated):
    page.goto("/jamfor/?" + "&".join(f"k={slug}" for slug in six_evaluated))
    page.wait_for_selector("#radar.chart-ready")
    assert page.get_attribute("#radar", "data-traces") == "6"
    save_screenshot(page, "compare-six")
    page.console_errors.assert_none()


def test_picker_suggests_as_you_type_and_adds_with_the_keyboard(page, published_reports):
    page.goto("/jamfor/?k=lulea")
    field = page.locator("#lagg-till")
    assert field.get_attribute("role") == "combobox"
    assert field.get_attribute("aria-expanded") == "false"
    field.press_sequentially("kal")
    options = page.locator("#lagg-till-forslag [role=option]")
    options.first.wait_for()
    assert field.get_attribute("aria-expanded") == "true"
    assert options.all_text_contents() == [
        "Kalix (Norrbotten) – 2012, version 2010",
        "Kalmar (Kalmar) – ingen publicerad utvärdering",
        "Överkalix (Norrbotten) – ingen publicerad utvärdering",
    ]
    assert options.nth(1).get_attribute("aria-disabled") == "true"
    assert axe_violations(page) == []
    save_screenshot(page, "compare-picker-open")
    field.press("ArrowDown")
    assert field.get_attribute("aria-activedescendant") == "lagg-till-forslag-0"
    assert options.first.get_attribute("aria-selected") == "true"
    with page.expect_navigation():
        field.press("Enter")
    assert page.url.endswith("/jamfor/?k=lulea&k=kalix")
    page.wait_for_selector("#radar.chart-ready")
    assert page.get_attribute("#radar", "data-traces") == "2"
    page.console_errors.assert_none()


def test_picker_closes_on_escape_and_adds_by_click(page, published_reports):
    page.goto("/jamfor/?k=lulea")
    field = page.locator("#lagg-till")
    field.press_sequentially("linde")
    option = page.locator("#lagg-till-forslag [role=option]").first
    option.wait_for()
    field.press("Escape")
    assert field.get_attribute("aria-expanded") == "false"
    assert page.locator("#lagg-till-forslag").is_hidden()
    field.press("ArrowDown")
    option.wait_for()
    with page.expect_navigation():
        option.click()
    assert page.url.endswith("/jamfor/?k=lulea&k=lindesberg")
    page.console_errors.assert_none()


def test_picker_works_without_javascript(chromium, live_server, published_reports):
    context = chromium.new_context(
        base_url=live_server.url, locale="sv-SE", java_script_enabled=False
    )
    page = context.new_page()
    page.goto("/jamfor/")
    page.fill("#lagg-till", "Luleå")
    page.click("button[type=submit]")
    assert page.url.endswith("/jamfor/?k=lulea")
    page.fill("#lagg-till", "habo")
    page.click("button[type=submit]")
    assert "Vilken kommun menade du med ”habo”?" in page.text_content("main")
    page.fill("#lagg-till", "kalix")
    page.click("button[type=submit]")
    assert page.url.endswith("/jamfor/?k=lulea&k=kalix")
    assert page.locator("#compare-table tbody tr").count() == 8
    context.close()


def test_choosing_another_year_in_the_form(page, published_reports):
    make_evaluation_like(
        published_reports["kalix"], municipality=Municipality.objects.get(code="2580"), year=2015
    )
    page.goto("/jamfor/?k=lulea&k=kalix")
    page.select_option("#k-1", "lulea:2015")
    with page.expect_navigation():
        page.get_by_role("button", name="Lägg till och visa").click()
    assert page.url.endswith("/jamfor/?k=lulea:2015&k=kalix")
    assert "Luleå 2015" in page.text_content("#compare-table caption")
    page.console_errors.assert_none()


def test_pages_have_no_axe_violations(page, six_evaluated):
    kalix = Municipality.objects.get(slug="kalix").evaluations.get()
    make_evaluation_like(kalix, municipality=Municipality.objects.get(code="2580"), year=2012)
    for url in (
        "/jamfor/",
        "/jamfor/?k=lulea&k=kalix&k=xyz&k=habo",
        "/jamfor/?k=lulea&k=pitea&k=kalix&k=boden&k=lindesberg&k=kiruna",
        "/jamfor/?k=lulea&lagg_till=habo",
        "/jamfor/?k=a&k=b&k=c&k=d&k=e&k=f&k=g",
        "/rankning/",
        "/rankning/?version=2016&area=3&senaste=on",
        "/rankning/?version=1999",
        "/exempel/",
        "/exempel/?q=medborgar&forbattringar=1",
        "/exempel/?q=en&forbattringar=1",
        "/kommun/lulea/",
    ):
        page.goto(url)
        for chart in ("#radar", "#trend"):
            if page.locator(chart).count():
                page.wait_for_selector(f"{chart}.chart-ready")
        assert axe_violations(page) == [], url
    # Too many municipalities and an unknown version are refused with 400, which Chromium logs.
    assert [e for e in page.console_errors if "status of 400" not in e] == []
    assert len(page.console_errors) == 2


def test_profile_draws_the_trend_and_suggests_similar(page, six_evaluated):
    make_evaluation_like(
        Municipality.objects.get(slug="kalix").evaluations.get(),
        municipality=Municipality.objects.get(code="2580"),
        year=2012,
    )
    page.goto("/kommun/lulea/")
    page.wait_for_selector("#trend.chart-ready")
    assert page.get_attribute("#trend", "data-traces") == "9"
    assert "version 2016" in page.locator("#trend .annotation-text").all_text_contents()
    page.locator("#similar-heading").scroll_into_view_if_needed()
    save_screenshot(page, "profile-lulea-trend-similar")
    with page.expect_navigation():
        page.get_by_role("link", name="Jämför med Piteå").click()
    assert page.url.endswith("/jamfor/?k=lulea:2018&k=pitea")
    page.wait_for_selector("#radar.chart-ready")
    page.console_errors.assert_none()


def test_ranking_and_examples_look_right(page, six_evaluated):
    page.goto("/rankning/?version=2016&area=3")
    assert page.locator("#rankning tbody tr").count() == 2
    save_screenshot(page, "ranking-2016-area-3")
    page.goto("/exempel/")
    page.fill("#q", "medborgar")
    page.check("#forbattringar")
    with page.expect_navigation():
        page.get_by_role("button", name="Sök").click()
    assert re.search(r"/exempel/\?q=medborgar&forbattringar=1$", page.url)
    assert page.locator("mark").first.text_content().lower() == "medborgar"
    save_screenshot(page, "examples-medborgar")
    page.console_errors.assert_none()


def test_comparison_and_profile_charts_fit_an_a4_page_when_printed(page, six_evaluated):
    kalix = Municipality.objects.get(slug="kalix").evaluations.get()
    make_evaluation_like(kalix, municipality=Municipality.objects.get(code="2580"), year=2012)
    chart_widths = "els => els.map(el => el.getBoundingClientRect().width)"
    for url, charts in (
        ("/jamfor/?k=lulea&k=kalix&k=lindesberg", ["#radar"]),
        ("/kommun/lulea/", ["#radar", "#bars", "#trend"]),
    ):
        page.goto(url)
        for chart in charts:
            page.wait_for_selector(f"{chart}.chart-ready")
        assert max(page.eval_on_selector_all(".main-svg", chart_widths)) > 680
        page.emulate_media(media="print")
        page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
        # A4 is 210 mm wide; less the 15 mm margins that leaves 180 mm, 680 CSS pixels.
        assert max(page.eval_on_selector_all(".main-svg", chart_widths)) <= 680, url
        hidden = page.locator("#picker, .similar, .site-header nav, .modebar-container")
        assert hidden.evaluate_all("els => els.every(el => getComputedStyle(el).display == 'none')")
        page.evaluate("window.dispatchEvent(new Event('afterprint'))")
        page.emulate_media(media="screen")
        assert max(page.eval_on_selector_all(".main-svg", chart_widths)) > 680
        assert page.pdf(format="A4").startswith(b"%PDF")
    page.console_errors.assert_none()
