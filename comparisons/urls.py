from django.urls import path

from .views import compare, explorer, profile

app_name = "comparisons"

urlpatterns = [
    path("", profile.home, name="home"),
    # str, not slug: "/kommun/Luleå/" and "/kommun/2580/" redirect to "/kommun/lulea/".
    path("kommun/<str:slug>/", profile.municipality, name="municipality"),
    path("kommun/<str:slug>/<int:year>/", profile.evaluation, name="evaluation"),
    path("forhandsvisning/<int:pk>/", profile.preview, name="preview"),
    path("jamfor/", compare.compare, name="compare"),
    path("jamfor/kommuner.json", compare.picker_suggestions, name="compare_picker"),
    path("rankning/", compare.ranking, name="ranking"),
    path("exempel/", compare.examples, name="examples"),
    path("delfragor/", explorer.explorer, name="explorer"),
    path("delfragor/delfragor.csv", explorer.explorer_csv, name="explorer_csv"),
    path("delfragor/delfragor.xlsx", explorer.explorer_xlsx, name="explorer_xlsx"),
    path("delfragor/<str:version>/<str:code>/", explorer.question, name="question"),
]
