from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.translation import gettext as _

from evaluations import mentions
from evaluations.models import Evaluation


class Command(BaseCommand):
    help = _(
        "Söker på nytt i varje utvärderings texter efter kommuner som nämns som goda exempel "
        "och sparar dem (import och administrationen gör det själva; detta efter en ändrad "
        "sökregel eller direkt ändrade texter)."
    )

    @transaction.atomic
    def handle(self, *args, verbosity, **options):
        evaluations = list(
            Evaluation.objects.filter(origin=Evaluation.Origin.REPORT)
            .select_related("municipality", "framework")
            .order_by("municipality__short_name", "year")
        )
        total = 0
        for evaluation in evaluations:
            count = mentions.refresh(evaluation=evaluation)
            total += count
            if verbosity > 1:
                self.stdout.write(
                    _("%(evaluation)s: %(count)d omnämnanden som gott exempel.")
                    % {"evaluation": evaluation, "count": count}
                )
        self.stdout.write(
            _("%(count)d omnämnanden som gott exempel i %(evaluations)d utvärderingar.")
            % {"count": total, "evaluations": len(evaluations)}
        )
