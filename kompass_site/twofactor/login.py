"""The admin's login page, first step: the password. An account asked for a second factor is
not logged in here; it goes on to the code (or to setting up its app)."""

from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.views import LoginView
from django.shortcuts import redirect
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from kompass_site import twofactor


@method_decorator(never_cache, name="dispatch")
class PasswordStep(LoginView):
    """django.contrib.admin's login (its form, template and context), but for the login."""

    authentication_form = AdminAuthenticationForm
    template_name = "admin/login.html"

    def get(self, request, *args, **kwargs):
        if admin.site.has_permission(request):
            return redirect("admin:index")
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            **admin.site.each_context(self.request),
            "title": _("Log in"),
            "subtitle": None,
            "app_path": self.request.get_full_path(),
            "username": self.request.user.get_username(),
        }

    def form_valid(self, form):
        user = form.get_user()
        if not twofactor.asked(user):
            return super().form_valid(form)
        twofactor.begin(self.request, user, next_url=self.get_success_url())
        if twofactor.app_device(user) is None:
            return redirect("twofactor_enrol")
        return redirect("twofactor_verify")


login = PasswordStep.as_view()
