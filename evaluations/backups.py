"""Backups of the whole database: pg_dump's custom format for PostgreSQL, SQLite's online
backup (a consistent copy while the site runs) for SQLite; and restoring one."""

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.db import connections
from django.utils import timezone

from .models import DataVersion


class BackupError(Exception):
    """A backup or restore that could not be made; the message is one line for the operator."""


def _database(alias: str = "default") -> dict:
    return connections[alias].settings_dict


def _is_postgres(settings_dict: dict) -> bool:
    return "postgresql" in settings_dict["ENGINE"]


def _pg_environment(settings_dict: dict) -> dict[str, str]:
    """libpq's variables: no password on a command line, where `ps` would show it."""
    environment = dict(os.environ)
    for variable, value in (
        ("PGHOST", settings_dict.get("HOST")),
        ("PGPORT", settings_dict.get("PORT")),
        ("PGUSER", settings_dict.get("USER")),
        ("PGPASSWORD", settings_dict.get("PASSWORD")),
        ("PGDATABASE", settings_dict.get("NAME")),
        ("PGSSLMODE", settings_dict.get("OPTIONS", {}).get("sslmode")),
    ):
        if value:
            environment[variable] = str(value)
    return environment


def _run(command: list[str], settings_dict: dict) -> None:
    tool = shutil.which(command[0])
    if tool is None:
        raise BackupError(f"{command[0]} saknas: installera PostgreSQL:s klientprogram.")
    result = subprocess.run(
        [tool, *command[1:]],
        env=_pg_environment(settings_dict),
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise BackupError(f"{command[0]} misslyckades: {result.stderr.strip()}")


def backup(directory: Path) -> Path:
    """A new file in ``directory``, named by the time, readable by its owner only. Written
    under a temporary name first, so a file with the final name is always whole."""
    settings_dict = _database()
    directory.mkdir(parents=True, exist_ok=True)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    suffix = ".dump" if _is_postgres(settings_dict) else ".sqlite3"
    target = directory / f"kompass-{stamp}{suffix}"
    partial = directory / f".{target.name}.partial"
    partial.touch(mode=0o600)
    try:
        if _is_postgres(settings_dict):
            _run(["pg_dump", "--format=custom", f"--file={partial}"], settings_dict)
        else:
            _sqlite_copy(Path(settings_dict["NAME"]), partial)
        partial.rename(target)
    finally:
        partial.unlink(missing_ok=True)
    return target


def restore(path: Path) -> None:
    """Replace the database's contents with the backup's. The data version ends above both
    the restored one and the one before, so no cache keyed on a number can serve pages from
    the other timeline."""
    if not path.is_file():
        raise BackupError(f"{path} finns inte.")
    settings_dict = _database()
    with path.open("rb") as file:
        magic = file.read(16)
    postgres = _is_postgres(settings_dict)
    if postgres and magic[:5] != b"PGDMP":
        raise BackupError(f"{path} är ingen säkerhetskopia från pg_dump (custom format).")
    if not postgres and magic != b"SQLite format 3\x00":
        raise BackupError(f"{path} är ingen SQLite-databas.")
    before = DataVersion.objects.filter(pk=1).values_list("number", flat=True).first() or 0
    connections.close_all()
    if postgres:
        _run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-privileges",
                "--single-transaction",
                "--exit-on-error",
                f"--dbname={settings_dict['NAME']}",
                str(path),
            ],
            settings_dict,
        )
    else:
        _sqlite_copy(path, Path(settings_dict["NAME"]))
    restored = DataVersion.objects.filter(pk=1).values_list("number", flat=True).first() or 0
    DataVersion.objects.update_or_create(
        pk=1, defaults={"number": max(before, restored) + 1, "changed_at": timezone.now()}
    )


def _sqlite_copy(source_path: Path, target_path: Path) -> None:
    """Every page of one SQLite database into another, consistent even while it is written."""
    source, target = sqlite3.connect(source_path), sqlite3.connect(target_path)
    try:
        source.backup(target)
    finally:
        target.close()
        source.close()
