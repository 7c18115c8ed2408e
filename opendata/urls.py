from django.contrib.sitemaps.views import sitemap
from django.urls import path

from kompass_site.caching import public_page

from .sitemaps import SITEMAPS
from .views import about, data, embed, page_downloads, preview

app_name = "opendata"

urlpatterns = [
    path("data/", public_page(data.data), name="data"),
    path("data/<str:name>", public_page(data.download), name="download"),
    path("om/", public_page(about.about), name="about"),
    path("om/tillganglighet/", public_page(about.accessibility), name="accessibility"),
    path("om/personuppgifter/", public_page(about.privacy), name="privacy"),
    path("robots.txt", about.robots, name="robots"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    # Embeds, framable by any site (kompass_site.middleware.frameable).
    path("kommun/<slug:slug>/inbadda/", embed.profile, name="embed"),
    path("kommun/<slug:slug>/<int:year>/inbadda/", embed.profile, name="embed_year"),
    path("jamfor/inbadda/", embed.comparison, name="embed_comparison"),
    # Preview images for Open Graph and Twitter cards.
    path("kommun/<slug:slug>/<int:year>/forhandsbild.png", preview.profile, name="preview"),
    path("jamfor/forhandsbild.png", preview.comparison, name="preview_comparison"),
    # The tables that the pages show, as CSV and XLSX.
    path(
        "kommun/<slug:slug>/<int:year>/poang.<str:extension>",
        page_downloads.profile,
        name="profile_download",
    ),
    path("jamfor/poang.<str:extension>", page_downloads.comparison, name="compare_download"),
    path("rankning/rankning.<str:extension>", page_downloads.ranking, name="ranking_download"),
]
