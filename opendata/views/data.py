"""/data/: the full download, built once per data version (opendata.store), served as files."""

import json

from django.http import FileResponse, Http404
from django.shortcuts import render
from django.utils.http import http_date
from django.utils.translation import gettext_lazy as _

from api.conditional import conditional

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


def _site_url(request) -> str:
    return request.build_absolute_uri("/").rstrip("/")


@conditional
def data(request):
    directory, version = store.current_build(site_url=_site_url(request))
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


@conditional
def download(request, name: str):
    if name not in CONTENT_TYPES:
        raise Http404
    directory, version = store.current_build(site_url=_site_url(request))
    date = bundle.date_of(version)
    response = FileResponse(
        (directory / name).open("rb"),
        content_type=CONTENT_TYPES[name],
        as_attachment=name != bundle.DATAPACKAGE_NAME,
        filename=bundle.dated_name(name, date),
    )
    response["Last-Modified"] = http_date(int(version.changed_at.timestamp()))
    return response
