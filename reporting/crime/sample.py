"""Writes a small, realistic West Mercia street-level crime file in police.uk's format (demo and tests).

    python -m reporting.crime.sample  (rewrites reporting/crime/data/west-mercia-street-sample.csv)

Counts per area and type are scaled from the shape of real West Mercia figures; locations, LSOAs and
identifiers are invented. Deterministic: the same file every time.

The committed file holds July to September 2026 (the tests read it). The demo imports the same rows for the three
months police.uk would have published by the day it is seeded (`months_before`): `write(path, months)`.
"""

import csv
import hashlib
import random
from datetime import date
from pathlib import Path

from reporting.crime.parser import COLUMNS

OUT = Path(__file__).resolve().parent / "data" / "west-mercia-street-sample.csv"
MONTHS = ["2026-07", "2026-08", "2026-09"]  # the committed file's months
FORCE = "West Mercia Police"

# local authority, LSOA code range start, number of LSOAs, centre (lon, lat), share of crime
AUTHORITIES = [
    ("Herefordshire", 14001, 40, (-2.716, 52.056), 0.14),
    ("Shropshire", 20001, 60, (-2.752, 52.707), 0.22),
    ("Telford and Wrekin", 20301, 40, (-2.447, 52.677), 0.17),
    ("Bromsgrove", 32001, 20, (-2.058, 52.335), 0.06),
    ("Redditch", 32101, 20, (-1.943, 52.306), 0.07),
    ("Wyre Forest", 32201, 20, (-2.246, 52.388), 0.08),
    ("Malvern Hills", 32301, 15, (-2.325, 52.111), 0.05),
    ("Worcester", 32401, 25, (-2.221, 52.192), 0.12),
    ("Wychavon", 32501, 25, (-1.947, 52.094), 0.09),
]
# crime type and its share, with the outcomes it commonly ends with
TYPES = [
    ("Violence and sexual offences", 0.36),
    ("Anti-social behaviour", 0.17),
    ("Shoplifting", 0.08),
    ("Criminal damage and arson", 0.08),
    ("Public order", 0.08),
    ("Other theft", 0.06),
    ("Vehicle crime", 0.04),
    ("Burglary", 0.04),
    ("Drugs", 0.03),
    ("Other crime", 0.02),
    ("Possession of weapons", 0.01),
    ("Bicycle theft", 0.01),
    ("Robbery", 0.01),
    ("Theft from the person", 0.01),
]
OUTCOMES = [
    "Investigation complete; no suspect identified",
    "Unable to prosecute suspect",
    "Under investigation",
    "Awaiting court outcome",
    "Local resolution",
    "Offender given a caution",
    "Status update unavailable",
]
STREETS = [
    "High Street",
    "Church Street",
    "Station Road",
    "Market Place",
    "Bridge Street",
    "Mill Lane",
    "Park Road",
    "The Square",
    "Victoria Road",
    "Broad Street",
    "Shopping Area",
    "Supermarket",
    "Petrol Station",
    "Sports/Recreation Area",
    "Nightclub",
    "Parking Area",
    "Hospital",
    "Further/Higher Educational Building",
]
ROWS_PER_MONTH = 600


def months_before(today: date, count: int = len(MONTHS)) -> list[str]:
    """The `count` months up to the third month before today's (police.uk publishes a month's data a month or two
    after it ends): on 2 December 2026, July to September 2026."""
    index = today.year * 12 + today.month - 1 - 3
    return [f"{(index - i) // 12}-{(index - i) % 12 + 1:02d}" for i in range(count - 1, -1, -1)]


def rows(months: list[str] = MONTHS):
    rng = random.Random(20260901)
    for month_index, month in enumerate(months):
        seasonal = 1 + 0.06 * (month_index - 1)
        for authority, code_start, count, (lon, lat), share in AUTHORITIES:
            n = round(ROWS_PER_MONTH * share * seasonal)
            for _ in range(n):
                crime_type = rng.choices([t for t, _ in TYPES], weights=[w for _, w in TYPES])[0]
                lsoa = rng.randrange(count)
                code = f"E0{1000000 + code_start + lsoa:07d}"[:9]
                name = f"{authority} {lsoa // 4 + 1:03d}{'ABCD'[lsoa % 4]}"
                crime_id = (
                    ""
                    if crime_type == "Anti-social behaviour"
                    else hashlib.sha256(f"{month}{authority}{rng.random()}".encode()).hexdigest()
                )
                outcome = "" if crime_type == "Anti-social behaviour" else rng.choice(OUTCOMES)
                yield [
                    crime_id,
                    month,
                    FORCE,
                    FORCE,
                    f"{lon + rng.uniform(-0.08, 0.08):.6f}",
                    f"{lat + rng.uniform(-0.06, 0.06):.6f}",
                    f"On or near {rng.choice(STREETS)}",
                    code,
                    name,
                    crime_type,
                    outcome,
                    "",
                ]


def write(path: Path = OUT, months: list[str] = MONTHS) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    count = 0
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        for row in rows(months):
            writer.writerow(row)
            count += 1
    return count


if __name__ == "__main__":
    print(f"Wrote {write()} rows to {OUT}")
