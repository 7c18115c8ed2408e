"""Two-factor login for staff (django-otp): a code from an authenticator app (TOTP) or a
single-use recovery code, asked after the password.

Required, with TWO_FACTOR_REQUIRED on (the default when DEBUG is off), of every account that
may publish: the group Publicerare and superusers. Anyone else who has set up an app is asked
too. Until the second step passes, the account is not logged in (django-axes then still
counts its failures: a wrong code is one, and a password alone never clears them)."""

import time

from django.conf import settings
from django.contrib import auth
from django.contrib.auth.models import AbstractBaseUser, User
from django.http import HttpRequest
from django_otp import login as otp_login
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from evaluations.access import PUBLISH_PERMISSION

PENDING = "twofactor_pending"
# The second step must follow the password within this time.
PENDING_SECONDS = 10 * 60
RECOVERY_CODES = 10
RECOVERY_DEVICE = "Reservkoder"
APP_DEVICE = "Autentiseringsapp"


def required(user: AbstractBaseUser) -> bool:
    """Whether the account must log in with a second factor."""
    return settings.TWO_FACTOR_REQUIRED and user.has_perm(PUBLISH_PERMISSION)


def app_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def asked(user: User) -> bool:
    """Whether logging in takes a second step."""
    return required(user) or app_device(user) is not None


def begin(request: HttpRequest, user: User, *, next_url: str) -> None:
    """The password was right: remember who, until the second step."""
    request.session[PENDING] = {
        "user": user.pk,
        "backend": user.backend,
        "next": next_url,
        "at": time.time(),
    }


def pending_user(request: HttpRequest) -> User | None:
    """The account whose password was given in this session, for a while."""
    pending = request.session.get(PENDING)
    if not pending or time.time() - pending["at"] > PENDING_SECONDS:
        return None
    return User.objects.filter(pk=pending["user"], is_active=True, is_staff=True).first()


def finish(request: HttpRequest, user: User, device: Device) -> str:
    """Both steps passed: log in, the session verified by `device`. Returns where to go."""
    pending = request.session.pop(PENDING)
    auth.login(request, user, backend=pending["backend"])
    otp_login(request, device)
    return pending["next"]


def new_recovery_codes(user: User) -> list[str]:
    """Fresh single-use codes; the earlier ones stop working."""
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name=RECOVERY_DEVICE, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def recovery_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()
