import pytest
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.management import call_command
from django.test import Client, override_settings

MANIFEST_STORAGE = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}


@pytest.fixture
def collected(tmp_path):
    with override_settings(
        STATIC_ROOT=tmp_path, STORAGES=MANIFEST_STORAGE, WHITENOISE_USE_FINDERS=False
    ):
        call_command("collectstatic", "--no-input", verbosity=0)
        yield tmp_path


def test_static_files_are_served_compressed_and_cached_long_term(collected, db):
    url = staticfiles_storage.url("vendor/plotly-kompass.min.js")
    assert (
        url.startswith("/static/vendor/plotly-kompass.")
        and url != "/static/vendor/plotly-kompass.min.js"
    )
    response = Client().get(url, HTTP_ACCEPT_ENCODING="br, gzip")
    assert response.status_code == 200
    assert response["Content-Encoding"] == "br"
    assert "immutable" in response["Cache-Control"]
    assert "max-age=315360000" in response["Cache-Control"]
    gzip = Client().get(staticfiles_storage.url("css/site.css"), HTTP_ACCEPT_ENCODING="gzip")
    assert gzip["Content-Encoding"] == "gzip"


def test_the_served_plotly_bundle_has_scatterpolar(collected):
    # That it runs without 'unsafe-eval' is shown by the browser tests: the CSP forbids eval
    # and any violation would be a console error there.
    bundle = (collected / "vendor" / "plotly-kompass.min.js").read_text(encoding="utf-8")
    assert "scatterpolar" in bundle
