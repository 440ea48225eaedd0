"""Benchmark: the daily return sweep over 60,000 quarterly returns.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/opcc .venv/bin/python bench/chase_sweep.py [--returns 60000]

Builds a throwaway test database (Django's test database for DATABASE_URL; SQLite in memory by default),
bulk-creates awards and returns with due dates spread over four months either side of today, runs a catch-up
sweep for yesterday (a fresh database's first run chases everything already inside a step's window: the
worst case), then today's sweep, then today's again. Prints the queries and seconds of each run: the count must not grow
with the number of returns beyond one bulk statement per batch, and the second run must send nothing.
"""

import argparse
import os
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "opcc.settings")
os.environ.setdefault("DEBUG", "true")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

TODAY = date(2026, 11, 25)
QUARTER_ENDS = {1: date(2026, 6, 30), 2: date(2026, 9, 30), 3: date(2026, 12, 31)}


def build(n_returns: int):
    from decimal import Decimal

    from funding.models import Award, FinancialYear, Pot, Stream
    from opcc.models import Membership, Organisation, Role, User
    from reporting.models import OutcomeFramework, QuarterlyReturn
    from reporting.services import frameworks

    frameworks.ensure_defaults()
    year = FinancialYear.objects.create(start_year=2026, police_budget=Decimal("0"))
    pot = Pot.objects.create(
        year=year,
        stream=Stream.VICTIM_SERVICES,
        key="victim-services",
        name="Victim services",
        allocated=Decimal("100000000"),
    )
    orgs = Organisation.objects.bulk_create(
        [
            Organisation(
                name=f"Bench charity {i}",
                org_type="registered_charity",
                address_line_1="1 High Street",
                town="Worcester",
                postcode="WR1 2HG",
            )
            for i in range(2000)
        ]
    )
    users = User.objects.bulk_create(
        [
            User(
                email=f"contact{i}@bench.example", full_name=f"Contact {i}", role=Role.PROVIDER, password="!"
            )
            for i in range(len(orgs))
        ]
    )
    Membership.objects.bulk_create(
        [Membership(organisation=o, user=u) for o, u in zip(orgs, users, strict=True)]
    )
    User.objects.bulk_create(
        [
            User(
                email=f"officer{i}@bench.example",
                full_name=f"Officer {i}",
                password="!",
                role=Role.COMMISSIONING_OFFICER,
            )
            for i in range(3)
        ]
        + [User(email="head@bench.example", full_name="Head", password="!", role=Role.HEAD_OF_COMMISSIONING)]
    )
    n_awards = n_returns // 3
    awards = Award.objects.bulk_create(
        [
            Award(
                reference=f"B-{i:06d}",
                organisation=orgs[i % len(orgs)],
                pot=pot,
                kind="contract",
                title=f"Service {i}",
                purpose="Benchmark",
                start_date=date(2026, 4, 1),
                end_date=date(2027, 3, 31),
                amount=Decimal("1000"),
                schedule_kind="in_advance",
                status="active",
            )
            for i in range(n_awards)
        ],
        batch_size=5000,
    )
    OutcomeFramework.objects.bulk_create(
        [OutcomeFramework(award=a, source="template") for a in awards], batch_size=5000
    )
    # Due dates spread over four months either side of today, as a real portfolio's would be.
    offsets = list(range(-60, 61))
    rows = []
    for i, a in enumerate(awards):
        for q in (1, 2, 3):
            due = TODAY + timedelta(days=offsets[(i + q) % len(offsets)])
            rows.append(
                QuarterlyReturn(
                    award=a,
                    quarter_start_year=2026,
                    quarter=q,
                    due_date=due,
                    period_end=QUARTER_ENDS[q],
                    status="open" if q < 3 else "not_yet_due",
                )
            )
    QuarterlyReturn.objects.bulk_create(rows, batch_size=5000)
    return QuarterlyReturn.objects.count()


def run(label, today=TODAY, **kwargs):
    from reporting.services.chasing import run_sweep

    with CaptureQueriesContext(connection) as ctx:
        started = time.perf_counter()
        result = run_sweep(today=today, notify_worker=False, **kwargs)
        seconds = time.perf_counter() - started
    print(f"{label}: {len(ctx.captured_queries)} queries, {seconds:.1f} s; {result}")
    return result


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--returns", type=int, default=60000)
    args = parser.parse_args()
    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        started = time.perf_counter()
        count = build(args.returns)
        print(f"{connection.vendor}: {count} returns built in {time.perf_counter() - started:.1f} s")
        # The first sweep on a fresh database catches up every return already inside a step's window.
        run("catch-up sweep (yesterday)", today=TODAY - timedelta(days=1))
        first = run("daily sweep")
        second = run("second sweep, same day")
        assert second.messages == 0 and not any(second.chased.values()), "the second run sent something"
        assert first.messages > 0
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
