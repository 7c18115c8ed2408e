from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login

from kompass_site import twofactor


class SecondFactorMiddleware:
    """A session of an account that must use two-factor login but has not (one from before
    the rule applied to it, say) is ended: logging in again asks for the code. After
    django_otp's OTPMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Without a session cookie there is no one logged in, and the session stays untouched
        # (reading it would add Vary: Cookie to pages cached for everyone).
        if settings.SESSION_COOKIE_NAME not in request.COOKIES:
            return self.get_response(request)
        user = request.user
        if user.is_authenticated and not user.is_verified() and twofactor.required(user):
            logout(request)
            return redirect_to_login(request.get_full_path(), "admin:login")
        return self.get_response(request)
