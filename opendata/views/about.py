"""/om/: how the figures are made, with the real counts; the accessibility statement and the
privacy note; robots.txt."""

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse

from evaluations import dataversion

from .. import meta
from ..facts import data_facts


def about(request):
    return render(
        request,
        "opendata/about.html",
        {
            "facts": data_facts(),
            "version": dataversion.current(),
            "meta": meta,
            "contact": settings.CONTACT_EMAIL,
        },
    )


def accessibility(request):
    return render(request, "opendata/accessibility.html", {"contact": settings.CONTACT_EMAIL})


def privacy(request):
    return render(request, "opendata/privacy.html", {"contact": settings.CONTACT_EMAIL})


def robots(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /forhandsvisning/",
        f"Sitemap: {request.build_absolute_uri(reverse('opendata:sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
