from django.contrib import admin
from django.urls import include, path

from . import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path(".well-known/security.txt", views.security_txt, name="security_txt"),
    path("admin/", admin.site.urls),
    path("", include("api.urls")),
    path("", include("opendata.urls")),
    path("", include("comparisons.urls")),
]

handler500 = "kompass_site.views.server_error"
# JSON under /api/, the Swedish error pages elsewhere.
handler400 = "api.errors.bad_request"
handler404 = "api.errors.page_not_found"
