from django.http import HttpResponse
from django.urls import path

from kompass_site.urls import urlpatterns as site_patterns


def bare(request):
    """The cheapest answer Django gives through the same middleware: the yardstick."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("_bench/bare/", bare), *site_patterns]
