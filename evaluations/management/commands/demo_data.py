from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from evaluations import importing
from evaluations.models import Evaluation

REPORTS_DIR = Path(settings.BASE_DIR) / "evaluations" / "data" / "reports"


def demo_source(path: Path) -> str:
    """The source_file that marks an evaluation as made by this command: the report's path in
    the repository, which no upload or import_report (they store the bare file name) gives."""
    return path.resolve().relative_to(Path(settings.BASE_DIR).resolve()).as_posix()


class Command(BaseCommand):
    help = _(
        "Läser in de riktiga rapporterna i evaluations/data/reports som publicerade "
        "utvärderingar (make serve). Vägrar om databasen har utvärderingar som kommandot inte "
        "själv skapat; ersätter aldrig sådana."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--beside-other-data",
            action="store_true",
            help=_("Läs in demodata även om databasen har andra utvärderingar (de lämnas orörda)."),
        )

    @transaction.atomic
    def handle(self, *args, beside_other_data, **options):
        reports = sorted(REPORTS_DIR.glob("*.txt"))
        sources = {demo_source(path) for path in reports}
        others = Evaluation.objects.exclude(source_file__in=sources).exclude(
            origin=Evaluation.Origin.STATED, stated_in__source_file__in=sources
        )
        if not beside_other_data and others.exists():
            raise CommandError(
                _(
                    "Databasen har utvärderingar som demodata inte skapat (%(count)d, till "
                    "exempel %(example)s): demodata läses inte in. Använd en egen databas för "
                    "demo, eller --beside-other-data för att lägga demodata bredvid "
                    "(befintliga ersätts aldrig)."
                )
                % {"count": others.count(), "example": others.select_related("municipality")[0]}
            )
        reference = importing.load_reference()
        for path in reports:
            parsed = importing.parse(path.read_text(encoding="utf-8"), reference=reference)
            existing = Evaluation.objects.filter(
                municipality__code=parsed.municipality_code, year=parsed.year
            ).first()
            if existing is not None and existing.source_file not in sources:
                self.stdout.write(
                    _("%(file)s: %(evaluation)s finns redan och är inte demodata; lämnas orörd.")
                    % {"file": path.name, "evaluation": existing}
                )
                continue
            evaluation = importing.store(
                parsed, source_file=demo_source(path), publish=True, replace=True
            )
            self.stdout.write(
                _("%(file)s: %(evaluation)s publicerad (demodata).")
                % {"file": path.name, "evaluation": evaluation}
            )
