"""The official codes that the API's parameters accept, from the reference data that the
migrations load (evaluations/data/): the schema lists them, so a client (and schemathesis)
knows every valid value, and a code that names nothing is refused as malformed."""

import csv
import json
from pathlib import Path
from typing import Literal

DATA_DIR = Path(__file__).resolve().parent.parent / "evaluations" / "data"


def _column(filename: str, column: str) -> tuple[str, ...]:
    with (DATA_DIR / filename).open(encoding="utf-8", newline="") as handle:
        return tuple(sorted(row[column] for row in csv.DictReader(handle)))


COUNTIES = _column("counties.csv", "county_code")
MUNICIPALITIES = _column("municipalities.csv", "municipality_code")
VERSIONS = tuple(
    spec["code"] for spec in json.loads((DATA_DIR / "frameworks.json").read_text(encoding="utf-8"))
)

CountyCode = Literal[COUNTIES]  # type: ignore[valid-type]
MunicipalityCode = Literal[MUNICIPALITIES]  # type: ignore[valid-type]
VersionCode = Literal[VERSIONS]  # type: ignore[valid-type]
