import pytest

from evaluations.models import Municipality

from .conftest import ARTIFACTS_DIR, axe_violations, make_evaluation_like, save_screenshot

pytestmark = pytest.mark.browser


@pytest.fixture
def lulea_with_previous_and_peers(published_reports):
    """Luleå 2018 (version 2016), an earlier Luleå evaluation and a peer in the same version.

    The extra two carry real figures: Kalix 2012's as Luleå 2015 (version 2010, so "not fully
    comparable") and Luleå 2018's as Piteå 2019."""
    make_evaluation_like(
        published_reports["kalix"], municipality=Municipality.objects.get(code="2580"), year=2015
    )
    make_evaluation_like(
        published_reports["lulea"], municipality=Municipality.objects.get(code="2581"), year=2019
    )


def test_radar_shows_three_labelled_series(page, lulea_with_previous_and_peers):
    page.goto("/kommun/lulea/")
    page.wait_for_selector("#radar.chart-ready")
    names = page.eval_on_selector("#radar", "el => el.data.map(trace => trace.name)")
    assert names == [
        "Luleå 2018",
        "Luleå 2015 (ej fullt jämförbar, version 2010)",
        # Piteå 2019: Luleå 2018 itself is not in the mean it is compared with.
        "Medel av 1 annan utvärdering, version 2016",
    ]
    legend = page.text_content("#radar .legend")
    assert "ej fullt jämförbar" in legend and "Medel av 1 annan utvärdering" in legend
    page.wait_for_selector("#bars.chart-ready")
    save_screenshot(page, "profile-lulea")
    page.console_errors.assert_none()


def test_profile_and_start_page_have_no_axe_violations(page, published_reports):
    for url in ("/", "/?q=habo", "/kommun/lindesberg/", "/kommun/kalix/"):
        page.goto(url)
        if "kommun/" in url:
            page.wait_for_selector("#radar.chart-ready")
        assert axe_violations(page) == [], url
    page.console_errors.assert_none()


def test_profile_keyboard_user_can_reach_an_area_from_the_table(page, published_reports):
    page.goto("/kommun/lindesberg/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Hoppa till innehållet"
    link = page.locator("#area-table a", has_text="7 Arbetsliv")
    link.focus()
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#omrade-7"


def test_charts_wait_for_the_page_and_give_way_to_the_tables_without_plotly(
    page, published_reports
):
    page.goto("/kommun/lindesberg/")
    page.wait_for_selector("#radar.chart-ready")
    # plotly is fetched once, and only after the page (text, tables) has loaded.
    assert page.evaluate(
        """() => {
            const load = performance.getEntriesByType("navigation")[0].loadEventStart;
            const plotly = performance.getEntriesByType("resource")
                .filter(entry => entry.name.includes("plotly-kompass"));
            return plotly.length === 1 && plotly[0].startTime >= load;
        }"""
    )

    page.route("**/plotly-kompass*", lambda route: route.abort())
    page.goto("/kommun/lindesberg/")
    page.wait_for_selector("html.charts-unavailable")
    assert not page.locator("#radar").is_visible()
    assert page.locator("#area-table").is_visible()


def test_the_printed_profile_includes_the_evaluators_texts(page, published_reports):
    page.goto("/kommun/lulea/")
    page.wait_for_selector("#radar.chart-ready")
    text = page.locator("#omrade-1 details p").first
    assert not text.is_visible()
    page.emulate_media(media="print")
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    assert text.is_visible()
    ARTIFACTS_DIR.mkdir(exist_ok=True)
    page.pdf(format="A4", path=str(ARTIFACTS_DIR / "profile-lulea-print.pdf"))
    page.evaluate("window.dispatchEvent(new Event('afterprint'))")
    page.emulate_media(media="screen")
    assert not text.is_visible()
