from django.contrib.sitemaps.views import sitemap
from django.urls import path

from .sitemaps import SITEMAPS
from .views import about, data

app_name = "opendata"

urlpatterns = [
    path("data/", data.data, name="data"),
    path("data/<str:name>", data.download, name="download"),
    path("om/", about.about, name="about"),
    path("om/tillganglighet/", about.accessibility, name="accessibility"),
    path("om/personuppgifter/", about.privacy, name="privacy"),
    path("robots.txt", about.robots, name="robots"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
]
