"""Embeds in headless Chromium: drawn inside an <iframe> on a page of another origin (a second
local server), while the profile itself refuses to be framed; exported and printed charts carry
their title, source address and date."""

import threading
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser


@pytest.fixture
def other_site():
    """A page on another origin (its own port), framing what `pages[path]` says."""
    pages: dict[str, str] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            body = pages.get(self.path, "").encode()
            self.send_response(200 if body else 404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    server.pages = pages
    server.url = f"http://127.0.0.1:{server.server_address[1]}"
    yield server
    server.shutdown()


def test_the_embed_is_drawn_on_another_site_and_the_profile_refuses_framing(
    page, live_server, other_site, open_data_reports
):
    embed = f"{live_server.url}/kommun/lulea/2018/inbadda/"
    profile = f"{live_server.url}/kommun/lulea/2018/"
    compare = f"{live_server.url}/jamfor/inbadda/?k=lulea&k=kalix"
    other_site.pages["/"] = (
        "<!doctype html><title>En kommuns sida</title>"
        f'<iframe id="embed" src="{embed}" width="700" height="760"></iframe>'
        f'<iframe id="compare" src="{compare}" width="700" height="760"></iframe>'
        f'<iframe id="profile" src="{profile}" width="700" height="400"></iframe>'
    )
    page.goto(other_site.url + "/")
    assert not page.url.startswith(live_server.url)  # another origin
    frame = page.frame_locator("#embed")
    frame.locator("#radar.chart-ready").wait_for()
    assert frame.locator("#area-table tbody tr").count() == 8
    assert frame.locator("h1").text_content() == "Luleå 2018: poäng per område"
    compare_frame = page.frame_locator("#compare")
    compare_frame.locator("#radar.chart-ready").wait_for()
    traces = compare_frame.locator("#radar").evaluate("el => el.data.length")
    assert traces == 2
    # The profile is refused: its frame never shows the page.
    profile_frame = page.locator("#profile").element_handle().content_frame()
    assert profile_frame.url.startswith("chrome-error://")
    assert "Luleå kommun" not in profile_frame.content()
    assert any("frame" in error.lower() for error in page.console_errors), page.console_errors


def test_exported_and_printed_charts_carry_title_source_and_date(page, open_data_reports):
    page.goto("/kommun/lulea/2018/inbadda/")
    page.wait_for_selector("#radar.chart-ready")
    with page.expect_download() as download:
        page.locator('#radar [data-title="Ladda ner som SVG"]').click()
    svg = Path(download.value.path()).read_text(encoding="utf-8")
    today = date.today().isoformat()
    assert "Luleå 2018: poäng per område" in svg
    assert "/kommun/lulea/2018/" in svg and today in svg
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    layout = page.eval_on_selector("#radar", "el => el.layout")
    assert layout["title"]["text"] == "Luleå 2018: poäng per område"
    assert any(
        "/kommun/lulea/2018/" in a["text"] and today in a["text"] for a in layout["annotations"]
    )
    page.evaluate("window.dispatchEvent(new Event('afterprint'))")
    assert page.eval_on_selector("#radar", "el => el.layout.title.text") == ""
    page.console_errors.assert_none()


def test_the_embed_snippet_is_copied(page, open_data_reports):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto("/kommun/lulea/2018/")
    page.locator("details.embed-code summary").click()
    page.get_by_role("button", name="Kopiera koden").click()
    page.wait_for_selector('[data-copy-status="embed-code"]:has-text("kopierad")')
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith('<iframe src="http://') and "/kommun/lulea/2018/inbadda/" in copied


OPEN_DATA_PAGES = [
    "/om/",
    "/om/tillganglighet/",
    "/om/personuppgifter/",
    "/data/",
    "/api/v1/docs/",
    "/kommun/lulea/2018/inbadda/",
    "/jamfor/inbadda/?k=lulea&k=kalix",
]


def test_open_data_pages_have_no_axe_violations(page, open_data_reports, settings, tmp_path):
    from .conftest import axe_violations

    settings.OPEN_DATA_DIR = tmp_path / "open-data"
    for url in OPEN_DATA_PAGES:
        page.goto(url)
        if "inbadda" in url:
            page.wait_for_selector("#radar.chart-ready")
        assert axe_violations(page) == [], url
    page.console_errors.assert_none()
