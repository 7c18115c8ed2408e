"""/data/: the full download, built once per data version (opendata.store), served as files;
the page cache (kompass_site.caching.public_page, in opendata/urls.py) gives the validators."""

import json
import logging

from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from .. import bundle, meta, store

CONTENT_TYPES = {
    bundle.ZIP_NAME: "application/zip",
    bundle.XLSX_NAME: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    bundle.JSON_NAME: "application/json",
    bundle.DATAPACKAGE_NAME: "application/json",
    **{table.path: "text/csv; charset=utf-8" for table in bundle.TABLES},
}


DOWNLOADS = {
    bundle.ZIP_NAME: _(
        "Alla tabeller som CSV (UTF-8, komma mellan fälten, punkt som decimaltecken), med "
        "datapackage.json och LASMIG.txt."
    ),
    bundle.XLSX_NAME: _("Samma tabeller i en Excelfil, med ett blad om uppgifterna."),
    bundle.JSON_NAME: _("Allt i API:ts eget format: versioner, kommuner, utvärderingar."),
    bundle.DATAPACKAGE_NAME: _(
        "Frictionless Data Package: varje kolumns namn, typ och beskrivning, licensen och källan."
    ),
}


logger = logging.getLogger(__name__)


def _site_url(request) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def _build(request):
    """The current build, or None when it cannot be made now (a full disk, a directory that
    cannot be written, the data changing during every attempt): a 503, never a 500."""
    try:
        return store.current_build(site_url=_site_url(request))
    except (OSError, store.BuildError) as error:
        logger.error("open data could not be built: %s", error)
        return None


def _unavailable() -> HttpResponse:
    response = HttpResponse(
        _("Nedladdningen kan inte göras i ordning just nu. Försök igen om en stund."),
        status=503,
        content_type="text/plain; charset=utf-8",
    )
    response["Retry-After"] = "60"
    return response


def data(request):
    built = _build(request)
    if built is None:
        return _unavailable()
    directory, version = built.path, built.version
    package = json.loads((directory / bundle.DATAPACKAGE_NAME).read_text(encoding="utf-8"))
    date = bundle.date_of(version)
    files = [
        {
            "name": name,
            "dated": bundle.dated_name(name, date),
            "size": (directory / name).stat().st_size,
            "description": description,
        }
        for name, description in DOWNLOADS.items()
    ]
    return render(
        request,
        "opendata/data.html",
        {
            "files": files,
            "resources": package["resources"],
            "date": date,
            "version": version,
            "meta": meta,
        },
    )


def download(request, name: str):
    if name not in CONTENT_TYPES:
        raise Http404
    built = _build(request)
    if built is None:
        return _unavailable()
    directory, version = built.path, built.version
    date = bundle.date_of(version)
    response = FileResponse(
        (directory / name).open("rb"),
        content_type=CONTENT_TYPES[name],
        as_attachment=name != bundle.DATAPACKAGE_NAME,
        filename=bundle.dated_name(name, date),
    )
    return response
