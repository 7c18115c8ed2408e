"""The open JSON API, /api/v1/: read-only, published evaluations only (issue 14)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from ninja import NinjaAPI
from ninja.decorators import decorate_view

from evaluations import dataversion

from . import errors, evaluations, frameworks, municipalities, schemas
from .conditional import conditional
from .throttling import PerAddressThrottle

LICENCE = "CC BY 4.0"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/deed.sv"

DESCRIPTION = _(
    "Kommunkompassens publicerade utvärderingar som öppna data: kommuner, utvärderingar med "
    "alla poäng och texter, versioner med områden och delfrågor, medelvärden, rankningar och en "
    "delfråga i hela landet. Bara läsning (GET), ingen inloggning. Id:n är stabila: kommunkod "
    "(2580) och kommunkod/år (2580/2018). Listor delas i sidor (page, page_size) med antal. "
    "Varje svar har ETag och Last-Modified; skicka tillbaka dem (If-None-Match, "
    "If-Modified-Since) så svarar vi 304 när inget har ändrats. Fel är JSON med fältet som var "
    "fel. Poäng från olika versioner är inte fullt jämförbara."
)

api = NinjaAPI(
    title="Kompass API",
    version="1",
    description=str(DESCRIPTION),
    urls_namespace="api-v1",
    docs_url=None,  # our own page (api.docs), from our own static files
    openapi_url="/openapi.json",
    throttle=[PerAddressThrottle()],
    openapi_extra={
        "info": {"license": {"name": LICENCE, "url": LICENCE_URL}},
    },
)
errors.install(api)
api.add_router("/", municipalities.router)
api.add_router("/", evaluations.router)
api.add_router("/", frameworks.router)


@api.get(
    "/",
    response={200: schemas.Index, 429: schemas.Error},
    url_name="index",
    summary=_("Översikt"),
    tags=["översikt"],
)
@decorate_view(conditional)
def index(request):
    version = dataversion.current()
    url = request.build_absolute_uri
    return {
        "title": "Kompass API",
        "description": str(DESCRIPTION),
        "licence": LICENCE,
        "data_version": version.number,
        "last_modified": version.changed_at.isoformat(),
        "openapi": url(reverse("api-v1:openapi-json")),
        "docs": url(reverse("api-docs")),
        "endpoints": {
            name: url(reverse(f"api-v1:{name}"))
            for name in ("municipalities", "counties", "evaluations", "versions")
        },
    }
