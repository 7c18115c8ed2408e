from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from evaluations import backups


class Command(BaseCommand):
    help = (
        "Säkerhetskopierar hela databasen till en ny fil i BACKUP_DIR (pg_dump i custom-format "
        "för PostgreSQL, en konsistent kopia för SQLite) och skriver ut dess namn."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dir", dest="directory", type=Path, help="Katalog i stället för BACKUP_DIR."
        )

    def handle(self, *args, directory, **options):
        try:
            path = backups.backup(directory or Path(settings.BACKUP_DIR))
        except (backups.BackupError, OSError) as error:
            raise CommandError(f"Ingen säkerhetskopia: {error}") from error
        self.stdout.write(str(path))
