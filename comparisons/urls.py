from django.urls import path

from kompass_site.caching import public_page

from .views import compare, explorer, profile

app_name = "comparisons"

# public_page: the same answer for every anonymous visitor, cached whole under the data version.
urlpatterns = [
    path("", public_page(profile.home), name="home"),
    # str, not slug: "/kommun/Luleå/" and "/kommun/2580/" redirect to "/kommun/lulea/".
    path("kommun/<str:slug>/", public_page(profile.municipality), name="municipality"),
    path("kommun/<str:slug>/<int:year>/", public_page(profile.evaluation), name="evaluation"),
    path("forhandsvisning/<int:pk>/", profile.preview, name="preview"),
    path("jamfor/", public_page(compare.compare), name="compare"),
    path("jamfor/kommuner.json", public_page(compare.picker_suggestions), name="compare_picker"),
    path("rankning/", public_page(compare.ranking), name="ranking"),
    path("exempel/", public_page(compare.examples), name="examples"),
    path("delfragor/", public_page(explorer.explorer), name="explorer"),
    path("delfragor/delfragor.csv", public_page(explorer.explorer_csv), name="explorer_csv"),
    path("delfragor/delfragor.xlsx", public_page(explorer.explorer_xlsx), name="explorer_xlsx"),
    path("delfragor/<str:version>/<str:code>/", public_page(explorer.question), name="question"),
]
