from django.urls import path

from . import docs
from .main import api

urlpatterns = [
    path("api/v1/docs/", docs.docs, name="api-docs"),
    path("api/v1/", api.urls),
]
