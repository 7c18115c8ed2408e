"""The second step of a login: a code from the app, or a recovery code. A wrong code counts
as a failed login for django-axes (the account's and the address's), as a wrong password."""

from axes.handlers.proxy import AxesProxyHandler
from django.contrib import messages
from django.contrib.admin import site
from django.contrib.auth.signals import user_login_failed
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django_otp import match_token
from django_otp.plugins.otp_static.models import StaticDevice

from kompass_site import twofactor
from kompass_site.throttling import lockout_response
from kompass_site.twofactor.forms import CodeForm


def locked_out(request: HttpRequest, username: str) -> HttpResponse | None:
    credentials = {"username": username}
    if AxesProxyHandler.is_locked(request, credentials):
        return lockout_response(request, credentials=credentials)
    return None


def failed(request: HttpRequest, username: str) -> None:
    """Recorded by django-axes, which locks the login at its limit (AxesMiddleware)."""
    user_login_failed.send(sender=__name__, credentials={"username": username}, request=request)


@never_cache
def verify(request: HttpRequest) -> HttpResponse:
    user = twofactor.pending_user(request)
    if user is None:
        return redirect("admin:login")
    if twofactor.app_device(user) is None:
        return redirect("twofactor_enrol")
    if refused := locked_out(request, user.get_username()):
        return refused
    form = CodeForm(request.POST or None)
    if form.is_valid():
        device = match_token(user, form.cleaned_data["code"])
        if device is not None:
            next_url = twofactor.finish(request, user, device)
            if isinstance(device, StaticDevice):
                left = twofactor.recovery_codes_left(user)
                messages.warning(request, recovery_code_used(left))
            return redirect(next_url)
        failed(request, user.get_username())
        form.add_error("code", _("Koden stämmer inte. Skriv den kod som appen visar nu."))
    context = {**site.each_context(request), "title": _("Tvåstegsverifiering"), "form": form}
    return render(request, "admin/twofactor/verify.html", context)


def recovery_code_used(left: int) -> str:
    return ngettext(
        "Du loggade in med en reservkod. Du har %(left)d reservkod kvar.",
        "Du loggade in med en reservkod. Du har %(left)d reservkoder kvar.",
        left,
    ) % {"left": left}
