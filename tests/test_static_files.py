import gzip
import os
import shutil

import pytest
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.management import call_command
from django.test import Client, override_settings

PRODUCTION_STORAGE = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "kompass_site.storage.IncrementalCompressedManifestStorage"},
}


@pytest.fixture
def collected(collected_static):
    with override_settings(
        STATIC_ROOT=collected_static, STORAGES=PRODUCTION_STORAGE, WHITENOISE_USE_FINDERS=False
    ):
        yield collected_static


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


def test_collecting_again_compresses_only_files_whose_compressed_copies_are_older(
    collected_static, tmp_path
):
    root = tmp_path / "staticfiles"
    shutil.copytree(collected_static, root)
    bundle = next((root / "vendor").glob("plotly-kompass.min.*.js.br"))
    kept = bundle.stat().st_mtime_ns
    stale = root / "css" / "site.css.gz"
    os.utime(stale, (0, 0))  # as if site.css had changed since it was compressed
    with override_settings(STATIC_ROOT=root, STORAGES=PRODUCTION_STORAGE):
        call_command("collectstatic", "--no-input", verbosity=0)
    assert bundle.stat().st_mtime_ns == kept
    assert stale.stat().st_mtime > 0
    assert gzip.decompress(stale.read_bytes()) == (root / "css" / "site.css").read_bytes()
