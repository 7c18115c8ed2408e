"""The publish permission and the two staff groups, Redaktör and Publicerare.

Redaktör enters and edits drafts (and uploads reports); Publicerare may in addition publish,
unpublish and edit published evaluations, and enter reference means (which are public at once).
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITOR = "Redaktör"
PUBLISHER = "Publicerare"
READ_ONLY_MODELS = [
    "county",
    "municipality",
    "frameworkversion",
    "area",
    "question",
    "referencemean",
    "referencemeanarea",
]
EDITOR_PERMISSIONS = [
    "view_evaluation",
    "add_evaluation",
    "change_evaluation",
    "delete_evaluation",
    *(f"view_{model}" for model in READ_ONLY_MODELS),
]
PUBLISHER_PERMISSIONS = [
    *EDITOR_PERMISSIONS,
    "publish_evaluation",
    *(
        f"{action}_{model}"
        for action in ("add", "change", "delete")
        for model in ("referencemean", "referencemeanarea")
    ),
]


def create_groups(apps, schema_editor):
    # Django creates permissions after the last migration (post_migrate); the groups need them now.
    app_config = apps.get_app_config("evaluations")
    models_module = getattr(app_config, "models_module", None)
    app_config.models_module = models_module or True
    try:
        create_permissions(app_config, apps=apps, verbosity=0)
    finally:
        app_config.models_module = models_module

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ((EDITOR, EDITOR_PERMISSIONS), (PUBLISHER, PUBLISHER_PERMISSIONS)):
        permissions = list(
            Permission.objects.filter(content_type__app_label="evaluations", codename__in=codenames)
        )
        assert len(permissions) == len(codenames), f"missing permissions for {name}"
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(permissions)


def delete_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=[EDITOR, PUBLISHER]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("evaluations", "0002_reference_data"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="evaluation",
            options={
                "ordering": ["municipality__short_name", "-year"],
                "permissions": [
                    ("publish_evaluation", "Kan publicera och avpublicera utvärderingar")
                ],
                "verbose_name": "utvärdering",
                "verbose_name_plural": "utvärderingar",
            },
        ),
        migrations.RunPython(create_groups, delete_groups),
    ]
