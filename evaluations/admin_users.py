"""Staff accounts in the admin: the add page takes staff status and group at once, and
permissions are named in Swedish (Django stores its own as "Can change …")."""

from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.forms import AdminUserCreationForm
from django.contrib.auth.models import Group, User
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

ACTIONS = {
    "add": gettext_noop("Kan lägga till %(model)s"),
    "change": gettext_noop("Kan ändra %(model)s"),
    "delete": gettext_noop("Kan ta bort %(model)s"),
    "view": gettext_noop("Kan visa %(model)s"),
}


def permission_label(permission) -> str:
    """ "Utvärderingar | Kan ändra utvärdering" for Django's own permissions; the project's
    own (publish_evaluation) are named in Swedish already."""
    model = permission.content_type.model_class()
    action = permission.codename.partition("_")[0]
    # Custom permissions have other prefixes; a renamed model's keep their old codename.
    if model is None or action not in ACTIONS or not str(permission.name).startswith("Can "):
        return str(permission.name)
    name = _(ACTIONS[action]) % {"model": model._meta.verbose_name}
    return f"{model._meta.app_config.verbose_name} | {name}"


class SwedishPermissionsMixin:
    def formfield_for_manytomany(self, db_field, request, **kwargs):
        formfield = super().formfield_for_manytomany(db_field, request, **kwargs)
        if db_field.name in ("permissions", "user_permissions"):
            formfield.queryset = formfield.queryset.select_related("content_type")
            formfield.label_from_instance = permission_label
        return formfield


class StaffUserCreationForm(AdminUserCreationForm):
    class Meta(AdminUserCreationForm.Meta):  # type: ignore[name-defined]  # not in django-stubs
        fields = ("username", "first_name", "last_name", "email", "is_staff", "groups")


admin.site.unregister(User)
admin.site.unregister(Group)


@admin.register(User)
class StaffUserAdmin(SwedishPermissionsMixin, UserAdmin):
    add_form = StaffUserCreationForm
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "username",
                    "first_name",
                    "last_name",
                    "email",
                    "usable_password",
                    "password1",
                    "password2",
                    "is_staff",
                    "groups",
                ),
            },
        ),
    )


@admin.register(Group)
class StaffGroupAdmin(SwedishPermissionsMixin, GroupAdmin):
    pass
