"""Every full download of the current data version, built before anyone asks: the explorer's
CSV and XLSX (``comparisons/full_downloads.py``) and /data/'s bundle (``store.py``); first the
derived figures the pages share (``comparisons/warming.py``).

``manage.py build_open_data`` builds them; so, with ``PREBUILD_AFTER_CHANGE``, does a thread of
the process that committed a change of the data (``dataversion.committed``: a publish, an
unpublish, an edit, a reference mean), so that the first visitor after a publish waits for
nothing. Each build is ``kompass_site.prebuilt``'s: a request meanwhile waits for it, or hears
that the spreadsheet is being built, and never gets half a file.
"""

import logging
import threading
from collections.abc import Callable
from functools import partial

from django.conf import settings
from django.db import connection
from django.urls import reverse
from django.utils import translation

from comparisons import full_downloads
from comparisons.warming import warm_figures
from evaluations import dataversion
from kompass_site.prebuilt import Built

from . import store

logger = logging.getLogger(__name__)
THREAD_NAME = "prebuild-after-change"


def _builders(site_url: str) -> list[tuple[str, str, Callable[[], Built | None]]]:
    """(language, url name, builder) of each full download."""
    builders: list[tuple[str, str, Callable[[], Built | None]]] = []
    for language, _name in settings.LANGUAGES:
        # The explorer's downloads in each language of the site: their headers are translated.
        builders.append((language, "comparisons:explorer_csv", full_downloads.csv_file))
        if site_url:  # the others name the site's address
            xlsx = partial(full_downloads.xlsx_file, site_url=site_url)
            builders.append((language, "comparisons:explorer_xlsx", xlsx))
    if site_url:
        # /data/'s bundle is one for every language, in Swedish (store.current_build).
        bundle = partial(store.current_build, site_url=site_url)
        builders.append((settings.LANGUAGE_CODE, "opendata:data", bundle))
    return builders


def build_missing(*, site_url: str) -> dict[str, Built]:
    """Builds the full downloads that the current data version lacks (``Built.made``) and
    answers every one by its address; without `site_url` only those that name no address (the
    CSVs)."""
    done = {}
    for language, url_name, build in _builders(site_url):
        with translation.override(language):
            built = build()
            address = reverse(url_name)
        assert built is not None  # built here, never in the background
        done[address] = built
    return done


# --- After a change: one thread per process, which goes again if a change came meanwhile --------

_lock = threading.Lock()
_wanted = False
_thread: threading.Thread | None = None


def after_change(**_signal) -> None:
    """Receives ``dataversion.committed``: starts the thread, or asks the running one to look
    again once it is done (a publish sends the signal once for every row it saved)."""
    global _wanted, _thread
    if not settings.PREBUILD_AFTER_CHANGE:
        return
    with _lock:
        _wanted = True
        if _thread is not None:
            return
        thread = _thread = threading.Thread(target=_run, name=THREAD_NAME, daemon=True)
    thread.start()


def _next_round() -> bool:
    global _wanted, _thread
    with _lock:
        if not _wanted:
            _thread = None
            return False
        _wanted = False
        return True


def _run() -> None:
    try:
        while _next_round():
            if not settings.SITE_URL:
                logger.warning("SITE_URL is unset: the full XLSX and /data/ wait for a request")
            try:
                warm_figures()
            except Exception:
                logger.exception("computing the shared figures after a change failed")
            try:
                build_missing(site_url=settings.SITE_URL)
            except Exception:
                logger.exception("building the full downloads after a change failed")
    finally:
        connection.close()  # this thread's own


def wait(timeout: float) -> bool:
    """Waits up to `timeout` seconds for the thread; True when none is running."""
    with _lock:
        thread = _thread
    if thread is not None:
        thread.join(timeout)
        return not thread.is_alive()
    return True


def connect() -> None:
    dataversion.committed.connect(after_change, dispatch_uid="opendata-prebuild")
