from django.urls import path

from .views import profile

app_name = "comparisons"

urlpatterns = [
    path("", profile.home, name="home"),
    path("kommun/<slug:slug>/", profile.municipality, name="municipality"),
    path("kommun/<slug:slug>/<int:year>/", profile.evaluation, name="evaluation"),
    path("forhandsvisning/<int:pk>/", profile.preview, name="preview"),
]
