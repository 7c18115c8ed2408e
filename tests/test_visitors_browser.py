"""Issue 15 in headless Chromium, as visitors see the site: on a 390 px phone and a 1366 px
desktop, printed on A4 and as downloaded chart images. Screenshots go to test-artifacts/."""

import io
import re
from urllib.parse import urlencode

import pytest
from pypdf import PdfReader

from evaluations.models import Municipality

from .conftest import ARTIFACTS_DIR, axe_violations, make_evaluation_like, save_screenshot

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}

KALIX_GROUP = (
    "10 Kommuner i glesbefolkad region Kommun med mindre än 300 000 personer inom en radie på "
    "112,5 km"
)
PUBLIC_PAGES = {
    "home": "/",
    "search": "/?q=habo",
    "profile-lulea": "/kommun/lulea/",
    "profile-kalix": "/kommun/kalix/",
    "profile-lindesberg": "/kommun/lindesberg/",
    "not-evaluated": "/kommun/stockholm/",
    "explorer": "/delfragor/",
    "explorer-filtered": "/delfragor/?" + urlencode({"kommungrupp": KALIX_GROUP}),
    "question-kept": "/delfragor/2016/1.4/",
    "question-missing": "/delfragor/2016/9.9/",
    "compare": "/jamfor/?k=lulea&k=kalix&k=lindesberg",
    "compare-empty": "/jamfor/",
    "ranking": "/rankning/?version=2010&area=2",
    "examples": "/exempel/?q=medborg",
    "about": "/om/",
    "accessibility": "/om/tillganglighet/",
    "privacy": "/om/personuppgifter/",
    "data": "/data/",
    "api-docs": "/api/v1/docs/",
    "embed-profile": "/kommun/lulea/inbadda/",
    "embed-compare": "/jamfor/inbadda/?k=lulea&k=kalix",
}
# Every page in Swedish at its address and in English under /en/.
LANGUAGES = {"sv": "", "en": "/en"}

NOT_FOUND = {"not-evaluated", "question-missing"}

# What a phone must show without cutting: every number cell inside the viewport, or inside a
# region that scrolls sideways (and says so).
CLIPPED = """() => {
    const width = document.documentElement.clientWidth;
    const bad = [];
    for (const cell of document.querySelectorAll('td.num, th, caption')) {
        // Hidden: a card list's header row is visually hidden (kept for screen readers).
        if (!cell.getClientRects().length || cell.closest('.reflow thead')) continue;
        const box = cell.getBoundingClientRect();
        const region = cell.closest('.table-scroll');
        const scrolls = region && region.scrollWidth > region.clientWidth;
        if (cell.scrollWidth > cell.clientWidth + 1) bad.push('cut: ' + cell.textContent.trim());
        else if (!scrolls && (box.right > width + 1 || box.left < -1))
            bad.push('outside: ' + cell.textContent.trim().slice(0, 40));
    }
    for (const el of document.querySelectorAll('body *')) {
        // plotly measures text in an SVG of its own, far off-screen
        if (el.closest('.table-scroll, #js-plotly-tester') || !el.getClientRects().length) continue;
        const box = el.getBoundingClientRect();
        if (box.width > width + 1) bad.push('wide: ' + el.tagName + '.' + el.className);
    }
    return bad.slice(0, 10);
}"""


@pytest.fixture
def visitors_data(six_evaluated):
    """Six municipalities (two per version), plus Kalix 2012's figures as a Luleå 2015 (version
    2010) so that Luleå's profile crosses a version change."""
    kalix = Municipality.objects.get(slug="kalix").evaluations.get()
    make_evaluation_like(kalix, municipality=Municipality.objects.get(code="2580"), year=2015)


def _settle(page):
    page.wait_for_load_state("load")
    for chart in page.locator("[data-figure]").all():
        chart.evaluate("el => el.id") and page.wait_for_selector(
            f"#{chart.get_attribute('id')}.chart-ready, html.charts-unavailable", timeout=60000
        )


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_public_page_on_a_phone_and_a_desktop(page, visitors_data, language):
    for size, viewport in (("phone", PHONE), ("desktop", DESKTOP)):
        page.set_viewport_size(viewport)
        for name, path in PUBLIC_PAGES.items():
            url = LANGUAGES[language] + path
            response = page.goto(url)
            if name in NOT_FOUND:
                assert response.status == 404
                page.console_errors.clear()  # the browser logs the 404 status itself
            _settle(page)
            assert page.evaluate("document.documentElement.lang") == language, url
            assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"], url
            if size == "phone":
                clipped = page.evaluate(CLIPPED)
                assert clipped == [], f"{url}: {clipped}"
            assert axe_violations(page) == [], f"{url} at {viewport['width']} px"
            save_screenshot(page, f"issue15-{size}-{language}-{name}")
    page.console_errors.assert_none()


def test_on_a_phone_lists_become_cards_and_matrices_scroll_with_a_cue(page, visitors_data):
    page.set_viewport_size(PHONE)
    page.goto("/delfragor/")
    cell = page.locator("#poang tbody tr").first.locator("td").nth(7)  # Poäng
    assert cell.evaluate("el => getComputedStyle(el, '::before').content") == '"Poäng"'
    assert cell.evaluate("el => el.getBoundingClientRect().right") <= 390
    page.goto("/jamfor/?k=lulea&k=kalix&k=lindesberg")
    region = page.locator(".table-scroll", has=page.locator("#compare-table"))
    assert region.get_attribute("role") == "region" and region.get_attribute("tabindex") == "0"
    assert region.get_attribute("aria-labelledby") == "compare-table-caption"
    cue = page.locator(".scroll-cue").first
    assert cue.is_visible() and "svep i sidled" in cue.text_content()
    # The area names stay in view while the numbers scroll; a keyboard scrolls the region.
    region.focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("End")
    # Chromium animates a scroll by keyboard: wait for it to move rather than read it at once.
    page.wait_for_function("el => el.scrollLeft > 0", arg=region.element_handle(), timeout=5000)
    name = page.locator("#compare-table tbody th").first
    assert name.evaluate("el => el.getBoundingClientRect().left") >= 0
    caption = page.locator("#compare-table-caption")
    assert caption.evaluate("el => el.getBoundingClientRect().right") <= 390
    save_screenshot(page, "issue15-phone-compare-scrolled")
    page.set_viewport_size(DESKTOP)
    page.goto("/jamfor/?k=lulea&k=kalix")
    assert not page.locator(".scroll-cue").first.is_visible()  # the table fits: no cue


def test_desktop_charts_name_the_areas_and_tooltips_use_a_decimal_comma(page, visitors_data):
    page.set_viewport_size(DESKTOP)
    page.goto("/kommun/lindesberg/")
    page.wait_for_selector("#bars.chart-ready")
    theta = page.eval_on_selector("#radar", "el => el.data[0].theta")
    assert theta[1] == "2 Samhällsutveckling"
    assert theta[0].replace("<br>", " ") == "1 Samspel mellan förtroendevalda och medborgare"
    bars = page.eval_on_selector("#bars", "el => el.data[0].y")
    assert bars[6] == "7 Arbetsliv"
    # The names are drawn, not cut: every tick label inside the chart.
    for chart in ("#radar", "#bars"):
        assert page.evaluate(
            """(sel) => { const box = document.querySelector(sel).getBoundingClientRect();
              const ticks = sel + ' .angularaxistick text, ' + sel + ' .ytick text';
              return [...document.querySelectorAll(ticks)]
                .every(t => { const r = t.getBoundingClientRect();
                              return r.left >= box.left - 1 && r.right <= box.right + 1; }); }""",
            chart,
        ), chart
    assert page.eval_on_selector("#radar", "el => el.data[0].customdata[0]") == [
        "1 Samspel mellan förtroendevalda och medborgare",
        "47,0",
    ]
    page.hover("#bars .bars .point >> nth=3", force=True)  # plotly's drag layer is on top
    assert "4 Effektivitet: 46,0" in page.text_content("#bars .hoverlayer")
    # The same figure on a phone: numbers, the names in the table beside it.
    page.set_viewport_size(PHONE)
    page.wait_for_function("() => document.querySelector('#radar').data[0].theta[0] === 'Område 1'")
    page.console_errors.assert_none()


def test_a_downloaded_chart_names_the_areas_and_carries_title_source_and_date(page, visitors_data):
    page.set_viewport_size(PHONE)  # numbers on screen; the image is wide enough for names
    page.goto("/kommun/lindesberg/")
    page.wait_for_selector("#radar.chart-ready")
    page.hover("#radar")
    with page.expect_download() as download:
        page.click('#radar .modebar-btn[data-title="Ladda ner som SVG"]')
    svg = download.value.path().read_text(encoding="utf-8")
    assert "Samhällsutveckling" in svg and "Område 2" not in svg
    assert "Lindesberg 2021: poäng per område (0–100)" in svg
    assert re.search(
        r"Källa: SKR:s Kommunkompassen via Kompass · http://[^ ]+/kommun/lindesberg/(2021/)? · "
        r"20\d\d-\d\d-\d\d",
        svg,
    )
    with page.expect_download() as png:
        page.click('#radar .modebar-btn[data-title="Ladda ner som PNG"]')
    assert png.value.path().read_bytes().startswith(b"\x89PNG")
    assert png.value.suggested_filename == "lindesberg-2021-radar.png"


def test_printed_pages_carry_the_source_and_no_title_stands_alone_at_a_page_foot(
    page, visitors_data
):
    ARTIFACTS_DIR.mkdir(exist_ok=True)
    for name, url in (
        ("profile-lulea", "/kommun/lulea/"),
        ("compare", "/jamfor/?k=lulea&k=kalix&k=lindesberg"),
        ("question-kept", "/delfragor/2016/1.4/"),
    ):
        page.set_viewport_size(DESKTOP)
        page.goto(url)
        _settle(page)
        page.emulate_media(media="print")
        page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
        source = page.locator(".print-source")
        assert source.is_visible()
        assert re.fullmatch(
            r"Källa: http://[^ ]+"
            + re.escape(url).replace("&", "&")
            + r" · utskriven \d{1,2} \w+ 20\d\d",
            source.text_content().strip(),
        ), source.text_content()
        titles = {
            re.sub(r"\s+", " ", t).strip()
            for t in page.eval_on_selector_all(
                "main h2, main h3, main caption, main .table-title",
                "els => els.map(e => e.innerText)",
            )
        }
        pdf = page.pdf(format="A4", margin={"top": "15mm", "bottom": "15mm"})
        (ARTIFACTS_DIR / f"issue15-print-{name}.pdf").write_bytes(pdf)
        pages = PdfReader(io.BytesIO(pdf)).pages
        assert len(pages) > 1
        for number, pdf_page in enumerate(pages[:-1], start=1):
            lines = [line.strip() for line in pdf_page.extract_text().splitlines() if line.strip()]
            assert lines and lines[-1] not in titles, (
                f"{url}: page {number} ends with {lines[-1]!r}"
            )
        assert "Källa:" in pages[-1].extract_text()
        page.evaluate("window.dispatchEvent(new Event('afterprint'))")
        page.emulate_media(media="screen")
    page.console_errors.assert_none()


def test_profile_shows_kommungrupp_figure_notes_and_peers_with_reasons(page, visitors_data):
    page.set_viewport_size(DESKTOP)
    page.goto("/kommun/kalix/")
    assert "10 Kommuner i glesbefolkad region" in page.text_content(".facts")
    notes = page.locator("#om-siffrorna")
    assert "Totalpoängen 415 är den som rapportens text anger" in notes.text_content()
    page.click("#area-table tfoot a.footnote-link")
    assert page.evaluate("location.hash") == "#om-siffrorna"
    similar = page.locator(".similar-list li").first
    assert "varför: i snitt 0 poäng ifrån per område, samma län" in similar.text_content()
    similar.get_by_role("link", name="Jämför med Boden").click()
    assert page.url.endswith("/jamfor/?k=kalix:2012&k=boden")
    save_screenshot(page, "issue15-desktop-compare-from-profile")
