from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from api import docs

from . import views
from .twofactor import enrol, login, recovery, verify

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path(".well-known/security.txt", views.security_txt, name="security_txt"),
    # Before the admin's own: its login with a second step (kompass_site/twofactor/).
    path("admin/login/", login.login),
    path("admin/tvastegs/", recovery.recovery, name="twofactor"),
    path("admin/tvastegs/kod/", verify.verify, name="twofactor_verify"),
    path("admin/tvastegs/aktivera/", enrol.enrol, name="twofactor_enrol"),
    path("admin/", admin.site.urls),
    path("", include("api.urls")),
]
# The public pages: Swedish at /kommun/lulea/, English at /en/kommun/lulea/.
urlpatterns += i18n_patterns(
    path("api/v1/docs/", docs.docs, name="api-docs"),
    path("", include("opendata.urls")),
    path("", include("comparisons.urls")),
    prefix_default_language=False,
)

handler500 = "kompass_site.views.server_error"
# JSON under /api/, the Swedish error pages elsewhere.
handler400 = "api.errors.bad_request"
handler404 = "api.errors.page_not_found"
