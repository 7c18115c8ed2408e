from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from evaluations import backups


class Command(BaseCommand):
    help = (
        "Återställer databasen från en säkerhetskopia gjord med backup: allt i databasen "
        "ersätts med kopians innehåll."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, metavar="FILE")
        parser.add_argument(
            "--no-input", action="store_false", dest="interactive", help="Fråga inte först."
        )

    def handle(self, *args, file, interactive, **options):
        name = connection.settings_dict["NAME"]
        if interactive:
            answer = input(
                f"Allt i databasen {name} ersätts med innehållet i {file}. Skriv ja för att "
                "fortsätta: "
            )
            if answer.strip().lower() != "ja":
                raise CommandError("Avbrutet: ingenting ändrades.")
        try:
            backups.restore(file)
        except (backups.BackupError, OSError) as error:
            raise CommandError(f"Återställningen misslyckades: {error}") from error
        self.stdout.write(f"{name} återställd från {file}.")
