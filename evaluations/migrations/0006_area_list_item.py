"""AreaPoint becomes AreaListItem (a strength, improvement point or weakness), and the
kommungrupp moves from the municipality (never filled) to the evaluation (from its Kortfakta)."""

from django.db import migrations, models


def kommungrupp_from_kortfakta(apps, schema_editor):
    Evaluation = apps.get_model("evaluations", "Evaluation")
    for evaluation in Evaluation.objects.exclude(kortfakta={}):
        group = next(
            (v for k, v in evaluation.kortfakta.items() if k.startswith("Kommungrupp")), ""
        )
        if group:
            Evaluation.objects.filter(pk=evaluation.pk).update(kommungrupp=group[:200])


class Migration(migrations.Migration):
    dependencies = [("evaluations", "0005_reference_area_history")]

    operations = [
        migrations.RemoveConstraint(model_name="areapoint", name="area_point_unique_position"),
        migrations.RenameModel("AreaPoint", "AreaListItem"),
        migrations.RenameModel("HistoricalAreaPoint", "HistoricalAreaListItem"),
        migrations.AlterField(
            model_name="arealistitem",
            name="area_result",
            field=models.ForeignKey(
                on_delete=models.deletion.CASCADE,
                related_name="list_items",
                to="evaluations.arearesult",
                verbose_name="område",
            ),
        ),
        migrations.AddConstraint(
            model_name="arealistitem",
            constraint=models.UniqueConstraint(
                fields=("area_result", "kind", "position"), name="area_list_item_unique_position"
            ),
        ),
        migrations.RemoveField(model_name="municipality", name="kommungrupp"),
        migrations.AddField(
            model_name="evaluation",
            name="kommungrupp",
            field=models.CharField(blank=True, max_length=200, verbose_name="kommungrupp"),
        ),
        migrations.AddField(
            model_name="historicalevaluation",
            name="kommungrupp",
            field=models.CharField(blank=True, max_length=200, verbose_name="kommungrupp"),
        ),
        migrations.RunPython(kommungrupp_from_kortfakta, migrations.RunPython.noop),
    ]
