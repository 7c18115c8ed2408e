"""Every API error is JSON: {"detail": ..., "errors": [{"field": ..., "message": ...}]}.

A bad parameter is a 400 that names the field, never ninja's 422 nor a 500; the site-wide 400
and 404 (a control character in the address, an unknown path under /api/) answer JSON too."""

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults
from ninja import NinjaAPI
from ninja.errors import HttpError, Throttled, ValidationError

API_PREFIX = "/api/"


def error_body(detail: str, errors: list[dict] | None = None) -> dict:
    return {"detail": detail, "errors": errors or []}


def _field_name(location: tuple) -> str:
    # ("query", "year") → "year"; ("path", "code") → "code"; a body has none here.
    names = [str(part) for part in location[1:] if part != "__root__"]
    return ".".join(names) or str(location[0])


def _validation_message(error: dict) -> str:
    kind = error.get("type", "")
    context = error.get("ctx", {})
    if kind == "missing":
        return _("Parametern krävs.")
    if kind in {"int_parsing", "int_type", "int_from_float"}:
        return _("Ange ett heltal.")
    if kind in {"bool_parsing", "bool_type"}:
        return _("Ange true eller false.")
    if kind == "greater_than_equal":
        return _("Värdet måste vara minst %(limit)s.") % {"limit": context.get("ge")}
    if kind == "less_than_equal":
        return _("Värdet får vara högst %(limit)s.") % {"limit": context.get("le")}
    if kind == "string_pattern_mismatch":
        return _("Värdet har fel form (%(pattern)s).") % {"pattern": context.get("pattern")}
    if kind == "literal_error":
        return _("Okänt värde; schemat listar de giltiga.")
    if kind in {"string_too_long", "string_too_short"}:
        return _("Värdet har fel längd.")
    return _("Ogiltigt värde.")


def install(api: NinjaAPI) -> None:
    @api.exception_handler(ValidationError)
    def bad_parameters(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        errors = [
            {"field": _field_name(tuple(e.get("loc", ()))), "message": _validation_message(e)}
            for e in exc.errors
        ]
        return api.create_response(
            request, error_body(_("Ogiltiga parametrar."), errors), status=400
        )

    @api.exception_handler(Throttled)
    def throttled(request: HttpRequest, exc: Throttled) -> HttpResponse:
        body = error_body(_("För många anrop från din adress; vänta en stund och försök igen."))
        return api.create_response(request, body, status=429)

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        return api.create_response(request, error_body(exc.message), status=exc.status_code)

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return api.create_response(request, error_body(_("Hittades inte.")), status=404)


def _for_api(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """Django's handler400: JSON under /api/, the Swedish error page elsewhere."""
    if _for_api(request):
        return JsonResponse(error_body(_("Ogiltig adress.")), status=400)
    return defaults.bad_request(request, exception)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """Django's handler404: JSON under /api/, the Swedish error page elsewhere."""
    if _for_api(request):
        return JsonResponse(error_body(_("Hittades inte.")), status=404)
    return defaults.page_not_found(request, exception)
