"""A grant that has ended, paid in advance, and its final report in each state."""

from datetime import date
from decimal import Decimal

from freezegun import freeze_time

from funding.models import Award, FinancialYear, PaymentScheduleKind, Pot, Stream
from funding.services import awards
from opcc.models import Role
from reporting.services import closeout
from reporting.services.closeout import FinalReportContent
from tests.funding.factories import PotFactory, approved_year
from tests.funding.factories import award as make_award

TODAY = date(2026, 11, 25)
ENDED_ON = date(2026, 9, 30)


def cgs_pot(allocated="100000"):
    """A pot of the 2026 year of its own (the year may already exist: the permission matrix's world has one)."""
    year = FinancialYear.objects.filter(start_year=2026).first() or approved_year(
        2026, income="10000000", police="5000000"
    )
    return Pot.objects.filter(year=year, key="cgs-closeout").first() or PotFactory(
        year=year,
        key="cgs-closeout",
        stream=Stream.CGS,
        name="Commissioner's Grant Scheme (closeout)",
        allocated=Decimal(allocated),
    )


def paid_grant(world, *, amount="10000", paid="10000", kind="grant", end=ENDED_ON, title="Community project"):
    """A grant (or contract) from 1 April 2026 to `end`, paid `paid` in advance on 10 April."""
    with freeze_time(f"{TODAY:%Y-%m-%d} 09:00:00"):
        award = make_award(
            organisation=world.organisation,
            pot=cgs_pot(),
            amount=amount,
            end=end,
            kind=kind,
            title=title,
            schedule=PaymentScheduleKind.IN_ADVANCE,
        )
        if Decimal(paid):
            awards.record_payment(
                award=award,
                amount=Decimal(paid),
                paid_on=date(2026, 4, 10),
                by=world.users[Role.FINANCE_OFFICER],
                schedule_line=award.schedule.first(),
                invoice_received_on=date(2026, 4, 5),
            )
    return Award.objects.get(pk=award.pk)


def full_content(report, *, spent: Decimal) -> FinalReportContent:
    """Every line answered, `spent` in all (on the first line, the rest nil), every outcome and the next steps."""
    lines = list(report.spend_lines.all())
    spend = {line.pk: Decimal("0") for line in lines}
    spend[lines[0].pk] = spent
    return FinalReportContent(
        spend=spend,
        spend_total=spent,
        achieved={o.pk: "Met: 40 people supported" for o in report.outcomes.all()},
        service_next="It continues with funding from the council.",
    )


def opened(award, today=TODAY):
    return closeout.open_final_report(award, today=today) or award.final_report


def submitted(world, award, *, spent="10000", today=TODAY):
    report = opened(award, today)
    with freeze_time(f"{today:%Y-%m-%d} 10:00:00"):
        return closeout.submit_final_report(
            report=report, content=full_content(report, spent=Decimal(spent)), by=world.users[Role.PROVIDER]
        )


def accepted(world, award, *, spent="10000", today=TODAY):
    report = submitted(world, award, spent=spent, today=today)
    with freeze_time(f"{today:%Y-%m-%d} 11:00:00"):
        return closeout.accept_final_report(report=report, by=world.users[Role.COMMISSIONING_OFFICER])
