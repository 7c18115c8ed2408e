import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from evaluations import importing


class Command(BaseCommand):
    help = (
        "Läser en Kommunkompassen-rapports extraherade text och skapar en utvärdering "
        "(som utkast om inte --publish anges). En transaktion per rapport."
    )

    def create_parser(self, prog_name, subcommand, **kwargs):
        # --version names the framework version here, not Django's version.
        return super().create_parser(prog_name, subcommand, conflict_handler="resolve", **kwargs)

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", type=Path, metavar="FILE")
        parser.add_argument("--publish", action="store_true", help="Publicera direkt.")
        parser.add_argument(
            "--replace", action="store_true", help="Ersätt en befintlig utvärdering samma år."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Skriv ingenting, visa vad som skulle sparas."
        )
        parser.add_argument(
            "--json", action="store_true", dest="as_json", help="Skriv resultatet som JSON."
        )
        parser.add_argument(
            "--version",
            dest="framework",
            metavar="VERSION",
            help=(
                "Ramverksversionen (2010, 2016 eller 2020) när rapporten inte avgör den själv, "
                "eller för att gå emot det den pekar på; gäller alla filer."
            ),
        )

    def handle(self, *args, files, publish, replace, dry_run, as_json, framework, **options):
        reference = importing.load_reference()
        codes = importing.framework_codes(reference)
        if framework is not None and framework not in codes:
            raise CommandError(
                f"Okänd ramverksversion {framework}; Kompass har {', '.join(codes)}."
            )
        self.framework = framework
        failures, dumps = 0, []
        for path in files:
            try:
                dumps.append(self.import_one(path, reference, publish, replace, dry_run, as_json))
            except (importing.ReportImportError, OSError) as error:
                failures += 1
                self.stderr.write(f"{path}: {describe(error)}")
        if as_json and dumps:
            self.stdout.write(to_json(dumps[0] if len(files) == 1 else dumps))
        if failures:
            raise CommandError(f"{failures} av {len(files)} rapporter kunde inte importeras.")

    def import_one(self, path, reference, publish, replace, dry_run, as_json):
        parsed = importing.parse(
            importing.read_report_file(path), reference=reference, version=self.framework
        )
        if dry_run:
            warnings = importing.plan(parsed, replace=replace, publish=publish).warnings
            line = summary(path, parsed)
        else:
            evaluation = importing.store(
                parsed, source_file=path.name, publish=publish, replace=replace
            )
            warnings = evaluation.import_warnings
            line = (
                f"{path.name}: {evaluation} ({evaluation.framework.code}, "
                f"{evaluation.get_status_display().lower()}), {len(warnings)} varningar."
            )
        if not as_json:
            self.stdout.write(line)
            for warning in warnings:
                self.stdout.write(f"  varning: {warning}")
        return {**parsed.as_dict(), "warnings": list(warnings)}


def describe(error: Exception) -> str:
    """One line in Swedish, also for the operating system's errors."""
    if isinstance(error, FileNotFoundError):
        return "Filen finns inte."
    if isinstance(error, IsADirectoryError):
        return "Det är en katalog, ingen fil."
    if isinstance(error, PermissionError):
        return "Filen får inte läsas."
    if isinstance(error, OSError):
        return f"Filen kunde inte läsas ({error.strerror or error})."
    return str(error)


def summary(path: Path, parsed) -> str:
    areas = ", ".join(
        f"{a.number}: {a.points if a.points is not None else '–'}" for a in parsed.areas
    )
    return (
        f"{path.name} (provkörning, inget sparat): {parsed.municipality_name} {parsed.year}, "
        f"version {parsed.framework_version}, totalt {parsed.total}; områden {areas}"
    )


def to_json(data) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)
