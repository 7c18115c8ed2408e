"""Views for tests/test_caching.py: public views that set a cookie or use a CSRF token."""

from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.urls import path
from django.utils.crypto import get_random_string

from kompass_site.caching import public_page


def with_cookie(request):
    response = HttpResponse(f"<p>{get_random_string(20)}</p>" * 20)
    response.set_cookie("val", "1")
    return response


def with_form(request):
    return HttpResponse(f'<input name="csrfmiddlewaretoken" value="{get_token(request)}">' * 20)


def plain(request):
    return HttpResponse(f"<p>{get_random_string(20)}</p>" * 20)


urlpatterns = [
    path("kaka/", public_page(with_cookie)),
    path("formular/", public_page(with_form)),
    path("vanlig/", public_page(plain)),
]
