from django.http import Http404
from django.utils.translation import gettext_lazy as _
from ninja import Path, Query, Router
from ninja.decorators import decorate_view

from evaluations.models import FIRST_YEAR, LAST_YEAR

from . import schemas
from .codes import CountyCode, MunicipalityCode, VersionCode
from .conditional import conditional
from .municipalities import ERRORS, MUNICIPALITY
from .pagination import MAX_PAGE, paginate
from .records import evaluation_records, notes_of, published_evaluations

router = Router(tags=["utvärderingar"])

VERSION = r"^[0-9]{4}$"


@router.get(
    "/evaluations",
    response={200: schemas.EvaluationPage, **ERRORS},
    url_name="evaluations",
    summary=_("Utvärderingar"),
    description=_(
        "Publicerade utvärderingar (ur sina egna rapporter) med områden, poäng, texter, "
        "styrkor, förbättringsmöjligheter och svagheter, efter kommunkod och år."
    ),
)
@decorate_view(conditional)
def evaluations(
    request,
    municipality: MunicipalityCode | None = Query(None, description="Kommunkod."),
    county: CountyCode | None = Query(None, description="Länskod."),
    version: VersionCode | None = Query(None, description="Version: 2010, 2016, 2020."),
    year: int | None = Query(None, ge=FIRST_YEAR, le=LAST_YEAR, description="Utvärderingsår."),
    page: int = Query(1, ge=1, le=MAX_PAGE),
    page_size: int = Query(20, ge=1, le=100),
):
    found = published_evaluations()
    if municipality is not None:
        found = found.filter(municipality__code=municipality)
    if county is not None:
        found = found.filter(municipality__county__code=county)
    if version is not None:
        found = found.filter(framework__code=version)
    if year is not None:
        found = found.filter(year=year)
    items, meta = paginate(request, found, page=page, page_size=page_size)
    records = evaluation_records(items, url=request.build_absolute_uri)
    return {**meta, "items": records}


@router.get(
    "/evaluations/{code}/{year}",
    response={200: schemas.EvaluationDetail, **ERRORS},
    url_name="evaluation",
    summary=_("En utvärdering"),
    description=_(
        "En publicerad utvärdering: kommunkod och år, t.ex. 2580/2018, med anmärkningar där "
        "rapportens egna siffror inte stämmer med varandra."
    ),
)
@decorate_view(conditional)
def evaluation(
    request,
    code: str = Path(..., pattern=MUNICIPALITY),
    year: int = Path(..., ge=FIRST_YEAR, le=LAST_YEAR),
):
    found = published_evaluations().filter(municipality__code=code, year=year).first()
    if found is None:
        raise Http404
    record = evaluation_records([found], url=request.build_absolute_uri)[0]
    return {**record, "notes": notes_of(found)}
