"""Preview images of the radar: drawn by kaleido in Chromium, cached, one for every published
evaluation after build_open_data."""

import io

import pytest
from django.core.management import call_command

from evaluations.models import Evaluation
from opendata import previews

pytestmark = pytest.mark.django_db
PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(autouse=True)
def open_data_dir(settings, tmp_path):
    settings.OPEN_DATA_DIR = tmp_path / "open-data"
    settings.SITE_URL = "http://testserver"  # the address the test client's pages have


def image(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"] == "image/png"
    return b"".join(response.streaming_content)


def test_the_preview_figure_carries_title_source_and_date():
    radar = {"data": [{"type": "scatterpolar", "r": [1, 2], "theta": ["a", "b"]}], "layout": {}}
    preview = previews.Preview(figure=radar, title="Luleå 2018", source_url="https://k.se/x/")
    figure = previews.preview_figure(preview, date="2026-12-01")
    layout = figure["layout"]
    assert (layout["width"], layout["height"]) == (1200, 630)
    assert layout["title"]["text"] == "Luleå 2018"
    assert layout["annotations"][0]["text"].endswith("https://k.se/x/ · 2026-12-01")
    assert radar["layout"] == {}  # the page's own figure is left as it was
    # The cache key ignores the date and changes with what the picture shows.
    other = previews.Preview(figure=radar, title="Luleå 2019", source_url="https://k.se/x/")
    assert preview.key != other.key


def test_a_preview_exists_for_every_published_evaluation(client, six_evaluated, monkeypatch):
    call_command("build_open_data", stdout=io.StringIO())
    published = list(Evaluation.objects.published().select_related("municipality"))
    assert len(published) == 6
    # Every image was drawn by the command: serving them draws nothing.
    monkeypatch.setattr(previews, "_render", None)
    for evaluation in published:
        url = f"/kommun/{evaluation.municipality.slug}/{evaluation.year}/forhandsbild.png"
        assert image(client, url).startswith(PNG)
    assert len(list(previews.cache_dir().glob("*.png"))) == 6


def test_a_comparison_preview_is_drawn_once_and_then_cached(client, published_reports, monkeypatch):
    url = "/jamfor/forhandsbild.png?k=lulea&k=kalix"
    first = image(client, url)
    assert first.startswith(PNG) and len(first) > 10_000
    monkeypatch.setattr(previews, "_render", None)  # a second drawing would fail
    assert image(client, url) == first


def test_no_preview_of_a_draft_and_a_503_without_a_browser(client, open_data_reports, settings):
    assert client.get("/kommun/lindesberg/2021/forhandsbild.png").status_code == 404
    settings.CHROMIUM_PATH = "/nonexistent/chromium"
    response = client.get("/kommun/lulea/2018/forhandsbild.png")
    assert response.status_code == 503 and response["Retry-After"] == "60"
