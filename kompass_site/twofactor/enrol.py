"""Setting up the app: a QR code (and the key, to type in), confirmed with a first code; then
the recovery codes, shown once. At a login that needs a second factor and has no app yet, or
later by a logged-in person (a new phone replaces the old one)."""

import xml.etree.ElementTree as ET
from base64 import b32encode

import qrcode
from django.contrib.admin import site
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice
from qrcode.image.svg import SvgPathImage

from kompass_site import twofactor
from kompass_site.twofactor.forms import CodeForm
from kompass_site.twofactor.verify import failed, locked_out


@never_cache
def enrol(request: HttpRequest) -> HttpResponse:
    pending = twofactor.pending_user(request)
    logged_in = request.user.is_authenticated and request.user.is_staff
    if pending is None and not logged_in:
        return redirect("admin:login")
    if pending is not None and twofactor.app_device(pending) is not None:
        return redirect("twofactor_verify")  # set up already: a code, not a new app
    user = pending or request.user
    if pending is not None and (refused := locked_out(request, user.get_username())):
        return refused
    device, _created = TOTPDevice.objects.get_or_create(
        user=user, confirmed=False, defaults={"name": twofactor.APP_DEVICE}
    )
    form = CodeForm(request.POST or None)
    if form.is_valid():
        if device.verify_token(form.cleaned_data["code"]):
            return confirmed(request, device, pending=pending is not None)
        if pending is not None:
            failed(request, user.get_username())
        form.add_error("code", _("Koden stämmer inte. Skriv den kod som appen visar nu."))
    context = {
        **site.each_context(request),
        "title": _("Aktivera tvåstegsverifiering"),
        "form": form,
        "qr_code": qr_code(device.config_url),
        "key": " ".join(key_groups(device)),
        "replaces": pending is None and twofactor.app_device(user) is not None,
    }
    return render(request, "admin/twofactor/enrol.html", context)


def confirmed(request: HttpRequest, device: TOTPDevice, *, pending: bool) -> HttpResponse:
    """The app works: it replaces any earlier one, the session is verified by it, and new
    recovery codes are shown (once)."""
    TOTPDevice.objects.filter(user=device.user, confirmed=True).delete()
    device.confirmed = True
    device.save()
    if pending:
        next_url = twofactor.finish(request, device.user, device)
    else:
        otp_login(request, device)
        next_url = reverse("admin:index")
    codes = twofactor.new_recovery_codes(device.user)
    return recovery_codes_page(request, codes, next_url=next_url)


def recovery_codes_page(request: HttpRequest, codes: list[str], *, next_url: str):
    context = {
        **site.each_context(request),
        "title": _("Dina reservkoder"),
        "codes": codes,
        "next_url": next_url,
    }
    return render(request, "admin/twofactor/recovery_codes.html", context)


def key_groups(device: TOTPDevice) -> list[str]:
    """The key as the app asks for it when typed in, in groups of four."""
    key = b32encode(device.bin_key).decode()
    return [key[i : i + 4] for i in range(0, len(key), 4)]


def qr_code(data: str) -> SafeString:
    """An inline SVG (no image request, nothing the CSP needs to allow), dark on white in
    either colour theme."""
    svg = qrcode.make(data, image_factory=SvgPathImage).get_image()
    svg.set("width", "200")
    svg.set("height", "200")
    svg.set("role", "img")
    svg.set("aria-label", _("QR-kod att skanna med autentiseringsappen"))
    svg.insert(0, ET.Element("rect", width="100%", height="100%", fill="#fff"))
    return mark_safe(ET.tostring(svg, encoding="unicode"))  # noqa: S308 (made here, no input)
