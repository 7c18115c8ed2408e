from django.db.models import Count, Q
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from ninja import Path, Query, Router
from ninja.decorators import decorate_view

from evaluations.models import County, Municipality, published_lookup

from . import schemas
from .codes import CountyCode
from .conditional import conditional
from .pagination import MAX_PAGE, paginate
from .records import municipality_records

router = Router(tags=["kommuner"])

MUNICIPALITY = r"^[0-9]{4}$"
ERRORS = {400: schemas.Error, 404: schemas.Error, 429: schemas.Error}


@router.get(
    "/municipalities",
    response={200: schemas.MunicipalityPage, **ERRORS},
    url_name="municipalities",
    summary=_("Kommuner"),
    description=_("Sveriges 290 kommuner med län och publicerade utvärderingar, efter kommunkod."),
)
@decorate_view(conditional)
def municipalities(
    request,
    county: CountyCode | None = Query(None, description="Länskod, t.ex. 25."),
    evaluated: bool | None = Query(
        None, description="true: bara kommuner med en publicerad utvärdering; false: utan."
    ),
    page: int = Query(1, ge=1, le=MAX_PAGE),
    page_size: int = Query(100, ge=1, le=300),
):
    found = Municipality.objects.select_related("county").order_by("code")
    if county is not None:
        found = found.filter(county__code=county)
    if evaluated is not None:
        has = Q(pk__in=Municipality.objects.evaluated().values("pk"))
        found = found.filter(has if evaluated else ~has)
    items, meta = paginate(request, found, page=page, page_size=page_size)
    return {**meta, "items": municipality_records(items, url=request.build_absolute_uri)}


@router.get(
    "/municipalities/{code}",
    response={200: schemas.Municipality, **ERRORS},
    url_name="municipality",
    summary=_("En kommun"),
    description=_("En kommun, med kommunkoden som id (t.ex. 2580 för Luleå)."),
)
@decorate_view(conditional)
def municipality(request, code: str = Path(..., pattern=MUNICIPALITY)):
    found = get_object_or_404(Municipality.objects.select_related("county"), code=code)
    return municipality_records([found], url=request.build_absolute_uri)[0]


@router.get(
    "/counties",
    response={200: list[schemas.CountyWithCount], **ERRORS},
    url_name="counties",
    summary=_("Län"),
    description=_("Sveriges 21 län med antal kommuner och antal utvärderade kommuner."),
)
@decorate_view(conditional)
def counties(request):
    rows = County.objects.annotate(
        n=Count("municipalities", distinct=True),
        evaluated=Count(
            "municipalities",
            filter=published_lookup("municipalities__evaluations__"),
            distinct=True,
        ),
    ).order_by("code")
    return [
        {"code": c.code, "name": c.name, "municipalities": c.n, "evaluated": c.evaluated}
        for c in rows
    ]
