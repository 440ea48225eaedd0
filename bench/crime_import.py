"""Benchmark: importing a month of West Mercia crime (10,000 rows), and the trends page over a million crimes.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/opcc .venv/bin/python bench/crime_import.py [--rows 10000]

Builds a throwaway test database (Django's test database for DATABASE_URL; SQLite in memory by default) with
West Mercia's five local policing areas, generates a police.uk street-level CSV of one month in the sample's shape,
and times its import, then the same month again (a replacement, not a doubling). Then it fills the database to a
million crimes (36 months, written in SQL) with their monthly summary, and prints the trends page's and the
import page's query counts and times for a few months of data and for a million rows: the counts must be equal.
"""

import argparse
import csv
import io
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "opcc.settings")
os.environ.setdefault("DEBUG", "true")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

AREAS = [
    ("Herefordshire", "herefordshire", ["Herefordshire"]),
    ("Shropshire", "shropshire", ["Shropshire"]),
    ("Telford and Wrekin", "telford-and-wrekin", ["Telford and Wrekin"]),
    ("North Worcestershire", "north-worcestershire", ["Bromsgrove", "Redditch", "Wyre Forest"]),
    ("South Worcestershire", "south-worcestershire", ["Malvern Hills", "Worcester", "Wychavon"]),
]


def month_csv(month: str, rows: int) -> bytes:
    """A month in police.uk's format, shaped like the sample (every authority, type and outcome mix)."""
    from reporting.crime.parser import COLUMNS
    from reporting.crime.sample import AUTHORITIES, OUTCOMES, STREETS, TYPES

    rng = random.Random(month)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    names, weights = [a[0] for a in AUTHORITIES], [a[4] for a in AUTHORITIES]
    kinds, kind_weights = [t for t, _ in TYPES], [w for _, w in TYPES]
    by_name = {a[0]: a for a in AUTHORITIES}
    for i in range(rows):
        authority = rng.choices(names, weights)[0]
        _name, start, count, (lon, lat), _share = by_name[authority]
        lsoa = rng.randrange(count)
        kind = rng.choices(kinds, kind_weights)[0]
        asb = kind == "Anti-social behaviour"
        writer.writerow(
            [
                "" if asb else f"{rng.getrandbits(128):032x}{i:032x}",
                month,
                "West Mercia Police",
                "West Mercia Police",
                f"{lon + rng.uniform(-0.08, 0.08):.6f}",
                f"{lat + rng.uniform(-0.06, 0.06):.6f}",
                f"On or near {rng.choice(STREETS)}",
                f"E0{1000000 + start + lsoa:07d}"[:9],
                f"{authority} {lsoa // 4 + 1:03d}{'ABCD'[lsoa % 4]}",
                kind,
                "" if asb else rng.choice(OUTCOMES),
                "",
            ]
        )
    return out.getvalue().encode()


def timed_import(label: str, data: bytes, name: str):
    from reporting.crime.importer import import_bytes
    from reporting.models import CrimeImport, CrimeRecord

    record = CrimeImport.objects.create(file_name=name)
    with CaptureQueriesContext(connection) as ctx:
        started = time.perf_counter()
        record = import_bytes(record, data)
        seconds = time.perf_counter() - started
    print(
        f"{label}: {record.rows_saved:,} rows in {seconds:.2f} s ({record.rows_saved / seconds:,.0f} rows/s), "
        f"{len(ctx.captured_queries)} queries; status {record.status}; crimes stored {CrimeRecord.objects.count():,}"
    )
    assert record.status == "done" and record.error_count == 0, record.problem
    return seconds


def fill_to(total: int, months: int = 36):
    """A million crimes in SQL (36 months before the bench month), then their monthly summary in one statement."""
    from opcc.models import LocalPolicingArea
    from reporting.models import CrimeRecord

    per_month = (total - CrimeRecord.objects.count()) // months
    areas = list(LocalPolicingArea.objects.order_by("pk").values_list("pk", flat=True))
    with connection.cursor() as cursor:
        types = [
            "Violence and sexual offences",
            "Anti-social behaviour",
            "Shoplifting",
            "Criminal damage and arson",
            "Public order",
            "Other theft",
            "Vehicle crime",
            "Burglary",
            "Drugs",
            "Robbery",
        ]
        for m in range(1, months + 1):
            year, month = divmod(2026 * 12 + 8 - m, 12)  # months before September 2026
            day = f"{year:04d}-{month + 1:02d}-01"
            if connection.vendor == "postgresql":
                series = f"SELECT g AS n FROM generate_series(1, {per_month}) AS g"
            else:
                series = (
                    f"WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < {per_month}) "
                    "SELECT n FROM s"
                )
            area_case = (
                "CASE "
                + " ".join(f"WHEN n % {len(areas)} = {i} THEN {a}" for i, a in enumerate(areas))
                + " END"
            )
            type_case = (
                "CASE "
                + " ".join(f"WHEN n % {len(types)} = {i} THEN '{t}'" for i, t in enumerate(types))
                + " END"
            )
            cursor.execute(
                "INSERT INTO reporting_crimerecord (month, area_id, crime_type, crime_id, lsoa_code, lsoa_name, location,"
                " outcome) "
                f"SELECT '{day}', {area_case}, {type_case}, '', 'E01014001', 'Herefordshire 001A', 'On or near High Street',"
                f" '' FROM ({series}) AS numbers"
            )
        cursor.execute("DELETE FROM reporting_crimemonthlycount")
        cursor.execute(
            "INSERT INTO reporting_crimemonthlycount (month, area_id, crime_type, count) "
            "SELECT month, area_id, crime_type, COUNT(*) FROM reporting_crimerecord GROUP BY month, area_id, crime_type"
        )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE reporting_crimerecord; ANALYZE reporting_crimemonthlycount")
    return CrimeRecord.objects.count()


def measure(client, url: str, runs: int = 10):
    for _ in range(2):
        client.get(url)
    samples, queries = [], 0
    for _ in range(runs):
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            response = client.get(url)
            samples.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
        queries = len(ctx.captured_queries)
    return queries, statistics.median(samples)


def office_client():
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from opcc.models import Role, User

    user = User.objects.create(
        email="finance@bench.example", full_name="Finance", role=Role.FINANCE_OFFICER, password="!"
    )
    device = TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10000, help="rows in the month imported")
    parser.add_argument(
        "--total", type=int, default=1_000_000, help="crimes in the database for the page test"
    )
    args = parser.parse_args()
    setup_test_environment()
    from opcc.models import LocalPolicingArea

    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        for name, slug, authorities in AREAS:
            LocalPolicingArea.objects.create(name=name, slug=slug, local_authorities=authorities)
        data = month_csv("2026-09", args.rows)
        print(f"{connection.vendor}: a month of {args.rows:,} rows, {len(data) / 1e6:.1f} MB")
        first = timed_import("import of 2026-09", data, "2026-09-west-mercia-street.csv")
        again = timed_import("the same month again (replaced)", data, "2026-09-west-mercia-street.csv")
        client = office_client()
        urls = {
            "trends page": "/dashboard/crime/",
            "trends page, 36 months": "/dashboard/crime/?months=36",
            "import page": "/dashboard/crime/import/",
        }
        small = {label: measure(client, url) for label, url in urls.items()}
        started = time.perf_counter()
        total = fill_to(args.total)
        print(f"filled to {total:,} crimes in {time.perf_counter() - started:.1f} s")
        big = {label: measure(client, url) for label, url in urls.items()}
        for label in urls:
            (q1, ms1), (q2, ms2) = small[label], big[label]
            print(
                f"{label}: {q1} queries, {ms1:.0f} ms with one month; {q2} queries, {ms2:.0f} ms with {total:,} crimes"
            )
            assert q1 == q2, f"{label}: the query count grew with the data"
        month_again = timed_import(
            f"import of 2026-09 into {total:,} crimes", data, "2026-09-west-mercia-street.csv"
        )
        print(
            f"RESULT import {first:.2f} s, replace {again:.2f} s, replace among {total:,} crimes {month_again:.2f} s"
        )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
