"""For a logged-in person: whether two-factor login is on, how many recovery codes are left,
new ones (the old ones stop working) and a link to set up a new phone."""

from django.contrib.admin import site
from django.contrib.admin.views.decorators import staff_member_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from kompass_site import twofactor
from kompass_site.twofactor.enrol import recovery_codes_page


@never_cache
@staff_member_required
def recovery(request: HttpRequest) -> HttpResponse:
    user = request.user
    app = twofactor.app_device(user)
    if request.method == "POST" and app is not None:
        codes = twofactor.new_recovery_codes(user)
        return recovery_codes_page(request, codes, next_url=reverse("admin:index"))
    context = {
        **site.each_context(request),
        "title": _("Tvåstegsverifiering"),
        "app": app,
        "required": twofactor.required(user),
        "codes_left": twofactor.recovery_codes_left(user),
    }
    return render(request, "admin/twofactor/recovery.html", context)
