from django.contrib.staticfiles.apps import StaticFilesConfig
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.apps import DefaultConfig as OTPStaticConfig
from django_otp.plugins.otp_totp.apps import DefaultConfig as OTPTOTPConfig


class KompassStaticFilesConfig(StaticFilesConfig):
    """collectstatic leaves out axe-core: the accessibility tests load it from the finders
    (static/vendor/, filled by npm), production does not serve it."""

    ignore_patterns = [*StaticFilesConfig.ignore_patterns, "axe.min.js"]


# django-otp's devices, as superusers find them in the admin (to remove a lost phone's).
class AuthenticatorAppsConfig(OTPTOTPConfig):
    verbose_name = _("Tvåstegsverifiering: appar")


class RecoveryCodesConfig(OTPStaticConfig):
    verbose_name = _("Tvåstegsverifiering: reservkoder")
