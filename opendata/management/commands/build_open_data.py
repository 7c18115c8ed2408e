from django.conf import settings
from django.core.management.base import BaseCommand

from api.records import published_evaluations
from opendata import previews, store


class Command(BaseCommand):
    help = (
        "Bygger hela nedladdningen (/data/) för den aktuella dataversionen, om den inte redan "
        "finns, och förhandsbilderna (Open Graph) av varje publicerad utvärdering. Körs efter "
        "import och publicering, så att ingen besökare behöver vänta."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--site-url",
            default=settings.SITE_URL,
            help="Webbplatsens adress i filerna, t.ex. https://kompass.example.se (SITE_URL).",
        )
        parser.add_argument(
            "--no-previews", action="store_true", help="Bygg bara nedladdningen, inga bilder."
        )

    def handle(self, *args, site_url: str, no_previews: bool, **options):
        directory, version = store.current_build(site_url=site_url)
        self.stdout.write(f"Dataversion {version.number}: {directory}")
        if no_previews:
            return

        def url(path: str) -> str:
            return site_url + path

        wanted = [previews.evaluation_preview(e, url=url) for e in published_evaluations()]
        try:
            previews.render(wanted)
        except previews.RenderError as error:
            # The downloads are built; the images are drawn on request once a browser works.
            self.stderr.write(f"Förhandsbilderna kunde inte ritas (CHROMIUM_PATH?): {error}")
            return
        self.stdout.write(f"Förhandsbilder: {len(wanted)} i {previews.cache_dir()}")
