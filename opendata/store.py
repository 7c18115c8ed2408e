"""Where the full download lives: a directory per data version under settings.OPEN_DATA_DIR,
built once (after a change or by `manage.py build_open_data`, see ``prebuild.py``, else by the
first request) by ``kompass_site.prebuilt``, like every file built from all the data, then
served as files. The two latest builds are kept (a download of the one before may be under
way)."""

from pathlib import Path

from django.conf import settings
from django.utils import translation

from evaluations import dataversion
from kompass_site import prebuilt

from .bundle import read_data, write_bundle

NAME = "data"
KEEP = 2
BuildError = prebuilt.BuildError


def root() -> Path:
    return Path(settings.OPEN_DATA_DIR)


def build_dir(version: dataversion.Version) -> Path:
    return prebuilt.path_for(NAME, version, root=root())


def current_build(*, site_url: str) -> prebuilt.Built:
    """The build of the current data version (a directory), made now if it is missing."""

    def build(directory: Path, version: dataversion.Version) -> None:
        directory.mkdir()
        # One bundle for every language, in Swedish, whichever request or thread builds it.
        with translation.override(settings.LANGUAGE_CODE):
            write_bundle(directory, read_data(version=version, site_url=site_url))

    built = prebuilt.prebuilt(NAME, build, root=root(), keep=KEEP)
    assert built is not None  # built here, never in the background
    return built
