"""`make backup` and `make restore FILE=…` round trip, run as an operator runs them, on the
database of DATABASE_URL's kind (PostgreSQL: a cluster of the test's own, since a restore
replaces everything)."""

import json
import os
import subprocess
import sys

import pytest

from tests.servers import ON_POSTGRES, ROOT, manage, production_env

SNAPSHOT = """
import json
import django
django.setup()
from django.apps import apps
from evaluations.models import Evaluation
counts = {m._meta.label: m._default_manager.count() for m in apps.get_models()}
lulea = Evaluation.objects.filter(municipality__slug="lulea", year=2018).first()
figures = lulea and {
    "total": str(sum(r.points for r in lulea.area_results.all())),
    "areas": [str(r.points) for r in lulea.area_results.order_by("area__number")],
    "1.5": str(lulea.scores.get(question__code="1.5").points),
    "strengths": lulea.area_results.get(area__number=1).list_items.count(),
}
from evaluations import dataversion
print(json.dumps({"counts": counts, "lulea": figures, "version": dataversion.current().number}))
"""


@pytest.fixture
def database_url(production_data):
    return production_data.of_database_url_kind()


def snapshot(env) -> dict:
    result = subprocess.run(
        [sys.executable, "-c", SNAPSHOT],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "kompass_site.settings"},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def make(*args: str, env, stdin: str = "", check: bool = True) -> subprocess.CompletedProcess:
    """make as an operator types it, with the settings in the environment."""
    jobserver = {"MAKEFLAGS", "MFLAGS", "MAKELEVEL"}
    result = subprocess.run(
        ["make", "--no-print-directory", *args],
        cwd=ROOT,
        env={k: v for k, v in env.items() if k not in jobserver},
        input=stdin,
        capture_output=True,
        text=True,
        timeout=300,
    )
    if check:
        assert result.returncode == 0, result.stdout + result.stderr
    return result


def test_backup_then_delete_then_restore_gives_back_every_row(database_url, tmp_path):
    env = production_env(DATABASE_URL=database_url, BACKUP_DIR=str(tmp_path / "backups"))
    before = snapshot(env)
    assert before["lulea"]["total"] == "575.0" and before["lulea"]["1.5"] == "9.5"

    backup = make("backup", env=env).stdout.strip().splitlines()[-1]
    assert backup.startswith(str(tmp_path / "backups" / "kompass-"))
    assert backup.endswith(".dump" if ON_POSTGRES else ".sqlite3")
    assert oct(os.stat(backup).st_mode & 0o777) == "0o600"

    manage("shell", "-c", DELETE_LULEA, env=env)
    deleted = snapshot(env)
    assert deleted["lulea"] is None
    assert (
        deleted["counts"]["evaluations.QuestionScore"]
        < before["counts"]["evaluations.QuestionScore"]
    )

    refused = make("restore", f"FILE={backup}", env=env, stdin="nej\n", check=False)
    assert refused.returncode != 0 and "Avbrutet: ingenting ändrades." in refused.stderr
    assert snapshot(env)["lulea"] is None

    make("restore", f"FILE={backup}", env=env, stdin="ja\n")
    after = snapshot(env)
    assert after["counts"] == before["counts"]
    assert after["lulea"] == before["lulea"]
    # Above the restored number and the one before it: caches keyed on either stay unused.
    assert after["version"] > max(before["version"], deleted["version"])


DELETE_LULEA = """
from evaluations.models import Evaluation
Evaluation.objects.filter(municipality__slug="lulea").delete()
"""


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_restore_refuses_a_file_that_is_no_backup_before_touching_the_database(kind, tmp_path):
    # Neither database exists: the file is refused before either would be opened.
    url = {
        "sqlite": f"sqlite:///{tmp_path}/none.sqlite3",
        "postgresql": "postgres://x@127.0.0.1:1/x",
    }
    bogus = tmp_path / "kompass.dump"
    bogus.write_text("inte en säkerhetskopia")
    result = subprocess.run(
        [sys.executable, "manage.py", "restore", "--no-input", str(bogus)],
        cwd=ROOT, env=production_env(DATABASE_URL=url[kind]), capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode != 0
    expected = "ingen SQLite-databas" if kind == "sqlite" else "ingen säkerhetskopia från pg_dump"
    assert f"Återställningen misslyckades: {bogus} är {expected}" in result.stderr
    assert not (tmp_path / "none.sqlite3").exists()
