"""Staff accounts: the add page takes staff status and group at once; permissions in Swedish;
the admin's own log for Publicerare."""

from django.contrib.auth.models import Group, User

from .conftest import EDITOR, form_data, import_reports, log_in


def test_a_superuser_adds_a_staff_member_with_a_group_on_one_page(client, db):
    admin = User.objects.create_superuser("admin", password="ett-lösenord-bara-för-test")
    log_in(client, admin)
    page = client.get("/admin/auth/user/add/")
    html = page.content.decode()
    assert 'name="is_staff"' in html and 'name="groups"' in html
    editor = Group.objects.get(name=EDITOR)
    data = {
        **form_data(page, "user_form"),
        "username": "karin",
        "usable_password": "true",
        "password1": "Ett-långt-lösenord-2026",
        "password2": "Ett-långt-lösenord-2026",
        "is_staff": "on",
        "groups": [str(editor.pk)],
        "_save": "Spara",
    }
    assert client.post("/admin/auth/user/add/", data).status_code == 302
    karin = User.objects.get(username="karin")
    assert karin.is_staff and list(karin.groups.all()) == [editor]


def test_permissions_are_named_in_swedish(client, db):
    log_in(client, User.objects.create_superuser("admin", password="x"))
    html = client.get(f"/admin/auth/group/{Group.objects.get(name=EDITOR).pk}/change/")
    html = html.content.decode()
    assert "Kan ändra utvärdering" in html and "Kan visa kommun" in html
    assert "Can change" not in html


def test_the_admin_log_is_for_publicerare(editor_client, publisher_client):
    import_reports("kalix", publish=False)
    assert publisher_client.get("/admin/admin/logentry/").status_code == 200
    assert editor_client.get("/admin/admin/logentry/").status_code == 403
