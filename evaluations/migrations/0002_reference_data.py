"""Counties, municipalities and the three framework versions: public reference facts.

Sources (copied into evaluations/data/): SCB's municipality and county codes via the CC0 dataset
sjbrg/swedish-geodata, and the sub-question tables printed in the reports' overviews.
"""

import csv
import json
from pathlib import Path

from django.db import migrations
from django.utils.text import slugify

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
FRAMEWORK_YEARS = {"2010": 2010, "2016": 2016, "2020": 2020}


def read_csv(name):
    with open(DATA_DIR / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def municipality_slugs(rows):
    """ASCII slugs from the short names; a name that folds onto another (Håbo onto Habo) gets
    its county appended, so the slug of the name that is already ASCII stays plain."""
    slugs = {row["municipality_code"]: slugify(row["municipality_name_short"]) for row in rows}
    counties = {row["county_code"]: row["county_name_short"] for row in read_csv("counties.csv")}
    for row in rows:
        code, name = row["municipality_code"], row["municipality_name_short"]
        others = [c for c, s in slugs.items() if s == slugs[code] and c != code]
        if others and not name.isascii():
            slugs[code] = slugify(f"{name} {counties[row['county_code']]}")
    assert len(set(slugs.values())) == len(slugs), "municipality slugs must be unique"
    return slugs


def load(apps, schema_editor):
    County = apps.get_model("evaluations", "County")
    Municipality = apps.get_model("evaluations", "Municipality")
    FrameworkVersion = apps.get_model("evaluations", "FrameworkVersion")
    Area = apps.get_model("evaluations", "Area")
    Question = apps.get_model("evaluations", "Question")

    counties = {
        row["county_code"]: County.objects.create(
            code=row["county_code"], name=row["county_name"], short_name=row["county_name_short"]
        )
        for row in read_csv("counties.csv")
    }
    rows = read_csv("municipalities.csv")
    slugs = municipality_slugs(rows)
    Municipality.objects.bulk_create(
        Municipality(
            code=row["municipality_code"],
            name=row["municipality_name"],
            short_name=row["municipality_name_short"],
            slug=slugs[row["municipality_code"]],
            county=counties[row["county_code"]],
        )
        for row in rows
    )

    previous = None
    for spec in json.loads((DATA_DIR / "frameworks.json").read_text(encoding="utf-8")):
        framework = FrameworkVersion.objects.create(
            code=spec["code"],
            name=spec["name"],
            year=FRAMEWORK_YEARS[spec["code"]],
            previous=previous,
        )
        for area_spec in spec["areas"]:
            area = Area.objects.create(
                framework=framework, number=area_spec["number"], title=area_spec["title"]
            )
            Question.objects.bulk_create(
                Question(area=area, code=q["code"], text=q["text"], max_points=q["max_points"])
                for q in area_spec["questions"]
            )
        previous = framework


def unload(apps, schema_editor):
    for model in ("Question", "Area", "FrameworkVersion", "Municipality", "County"):
        apps.get_model("evaluations", model).objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("evaluations", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
