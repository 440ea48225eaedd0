"""The dashboards run a fixed number of SQL queries whatever the volume of awards, returns and answers."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from freezegun import freeze_time

from commissioning.models import Commission
from funding.models import Award, AwardYear, Payment
from opcc.models import Role
from reporting.models import (
    Measure,
    MeasureKind,
    OutcomeFramework,
    QuarterlyReturn,
    ReturnAnswer,
    ReturnStatus,
)
from tests.conftest import sign_in
from tests.reporting import test_dashboards_records as rec

D = Decimal
PAGES = [
    "/dashboard/",
    "/dashboard/performance/",
    "/dashboard/?stream=victim_services&area=herefordshire",
    "/dashboard/performance/?pot=victim-services",
    "/dashboard/lists/commitments/",
    "/dashboard/lists/returns/?timeliness=on_time",
    "/dashboard/lists/outcomes/",
    "/dashboard/lists/awards/",
    "/dashboard/lists/contracts/",
    "/dashboard/lists/commissions/?stage=understand",
]


def bulk_year(pot, organisation, officer, n):
    """n more active awards in the pot, each paid once, with an accepted (rated, answered) Q1 return,
    an overdue Q2 and a Q3 not yet due; and n more commissions. Straight into the tables."""
    awards = Award.objects.bulk_create(
        [
            Award(
                reference=f"BULK-{i}",
                organisation=organisation,
                pot=pot,
                kind="grant",
                title=f"Bulk {i}",
                purpose="x",
                start_date=date(2026, 4, 1),
                end_date=date(2027, 3, 31),
                amount=D("10"),
                schedule_kind="in_advance",
                status="active",
            )
            for i in range(n)
        ]
    )
    lines = AwardYear.objects.bulk_create([AwardYear(award=a, pot=pot, amount=D("10")) for a in awards])
    Payment.objects.bulk_create(
        [
            Payment(award=a, award_year=y, amount=D("5"), paid_on=date(2026, 5, 1))
            for a, y in zip(awards, lines, strict=True)
        ]
    )
    frameworks = OutcomeFramework.objects.bulk_create(
        [OutcomeFramework(award=a, source="template") for a in awards]
    )
    measures = Measure.objects.bulk_create(
        [
            Measure(framework=f, name="People supported", kind=MeasureKind.COUNT, quarterly_target=D("10"))
            for f in frameworks
        ]
    )
    submitted_at = timezone.make_aware(datetime(2026, 7, 20, 10))
    returns = []
    for i, a in enumerate(awards):
        returns += [
            QuarterlyReturn(
                award=a,
                quarter_start_year=2026,
                quarter=1,
                period_end=date(2026, 6, 30),
                due_date=date(2026, 7, 30),
                status=ReturnStatus.ACCEPTED,
                submitted_at=submitted_at,
                rag=("green", "amber", "red")[i % 3],
            ),
            QuarterlyReturn(
                award=a,
                quarter_start_year=2026,
                quarter=2,
                period_end=date(2026, 9, 30),
                due_date=date(2026, 10, 30),
                status=ReturnStatus.OPEN,
            ),
            QuarterlyReturn(
                award=a,
                quarter_start_year=2026,
                quarter=3,
                period_end=date(2026, 12, 31),
                due_date=date(2027, 1, 30),
                status=ReturnStatus.NOT_YET_DUE,
            ),
        ]
    returns = QuarterlyReturn.objects.bulk_create(returns)
    ReturnAnswer.objects.bulk_create(
        [
            ReturnAnswer(quarterly_return=r, measure=m, value=D(str(5 + i % 10)))
            for i, (r, m) in enumerate(zip(returns[::3], measures, strict=True))
        ]
    )
    Commission.objects.bulk_create(
        [
            Commission(
                reference=f"BC{i}", title=f"Bulk {i}", summary="x", stream="victim_services", officer=officer
            )
            for i in range(n)
        ]
    )


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


@pytest.mark.parametrize("url", PAGES)
def test_the_same_number_of_queries_with_a_few_or_many_records(client, world, url):
    with freeze_time("2026-11-25 12:00:00"):
        records = rec.build(world)
        sign_in(client, world.users[Role.PCC])
        few = count_queries(client, url)
        bulk_year(records.victims, world.organisation, world.users[Role.COMMISSIONING_OFFICER], 120)
        many = count_queries(client, url)
    assert few == many, f"{url}: {few} queries with a few records, {many} with many"
    assert many <= 16, f"{url}: {many} queries"
