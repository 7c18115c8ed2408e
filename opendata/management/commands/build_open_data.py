from django.conf import settings
from django.core.management.base import BaseCommand

from opendata import store


class Command(BaseCommand):
    help = (
        "Bygger hela nedladdningen (/data/) för den aktuella dataversionen, om den inte redan "
        "finns. Körs efter import och publicering, så att ingen besökare behöver vänta."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--site-url",
            default=settings.SITE_URL,
            help="Webbplatsens adress i filerna, t.ex. https://kompass.example.se (SITE_URL).",
        )

    def handle(self, *args, site_url: str, **options):
        directory, version = store.current_build(site_url=site_url)
        self.stdout.write(f"Dataversion {version.number}: {directory}")
