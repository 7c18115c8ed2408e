from django.urls import path

from .main import api

# The docs page is a public page in both languages, in kompass_site/urls.py.
urlpatterns = [
    path("api/v1/", api.urls),
]
