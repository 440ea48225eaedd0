"""Monitoring test data: an award being monitored, and one return per state."""

from datetime import date
from decimal import Decimal

from freezegun import freeze_time

from funding.models import PaymentScheduleKind, Pot, Stream
from reporting.models import Measure, MeasureKind, QuarterlyReturn, ReturnStatus
from reporting.services import returns
from reporting.services.returns import RateAnswer, ReturnContent
from tests.funding.factories import PotFactory, approved_year, award

TODAY = date(2026, 11, 25)  # Q3 of 2026/27, as in the brief


def victims_pot(start_year=2026, allocated="1000000"):
    year = approved_year(start_year, income="10000000", police="5000000")
    pot = Pot.objects.filter(year=year, key="victim-services").first()
    return pot or PotFactory(
        year=year,
        key="victim-services",
        stream=Stream.VICTIM_SERVICES,
        name="Victim services",
        allocated=Decimal(allocated),
    )


def monitored_award(
    organisation,
    *,
    pot=None,
    amount="40000",
    by=None,
    title="Domestic abuse outreach",
    schedule=PaymentScheduleKind.QUARTERLY_ARREARS,
    today=TODAY,
    **kwargs,
):
    """An active award from 1 April 2026 with its framework and returns (Q1 to Q3 on 25 November 2026)."""
    with freeze_time(f"{today:%Y-%m-%d} 09:00:00"):
        return award(
            organisation=organisation,
            pot=pot or victims_pot(),
            amount=amount,
            by=by,
            title=title,
            schedule=schedule,
            kind="contract",
            **kwargs,
        )


def the_return(award, quarter=1, start_year=2026) -> QuarterlyReturn:
    return QuarterlyReturn.objects.get(award=award, quarter_start_year=start_year, quarter=quarter)


def full_answers(award, factor=Decimal("1")) -> dict:
    """An answer for every measure: each target times factor (narratives answered in words)."""
    answers = {}
    for m in Measure.objects.filter(framework__award=award):
        if m.kind == MeasureKind.NARRATIVE:
            answers[m.pk] = "Anonymised account of the quarter."
        elif m.is_rate:
            # Out of 100 asked, so the percentage is the target times factor, as for a typed percentage.
            hit = min((m.quarterly_target or Decimal("3")) * factor, Decimal("100")).quantize(Decimal("1"))
            answers[m.pk] = RateAnswer(numerator=hit, denominator=Decimal("100"))
        elif m.quarterly_target:
            value = (m.quarterly_target * factor).quantize(Decimal("1"))
            if m.kind == MeasureKind.PERCENTAGE:
                value = min(value, Decimal("100"))
            if m.kind == MeasureKind.STAR:
                value = max(min(value, Decimal(m.star_max)), Decimal(m.star_min))
            answers[m.pk] = value
        else:
            answers[m.pk] = Decimal("3")
    return answers


def content(award, factor=Decimal("1")) -> ReturnContent:
    return ReturnContent(
        activity="Outreach sessions in four towns.",
        spend_to_date=Decimal("9000"),
        answers=full_answers(award, factor),
    )


def submitted(ret, provider, factor=Decimal("1")) -> QuarterlyReturn:
    return returns.submit(
        quarterly_return=ret,
        content=content(ret.award, factor),
        by=provider,
        declaration_name=provider.full_name or "A Provider",
    )


def accepted(ret, provider, officer, factor=Decimal("1")) -> QuarterlyReturn:
    submitted(ret, provider, factor)
    return returns.accept(quarterly_return=ret, by=officer)


def changes_requested(ret, provider, officer) -> QuarterlyReturn:
    submitted(ret, provider)
    return returns.request_changes(quarterly_return=ret, by=officer, comments="Add the crime type breakdown.")


def force_status(ret, status: str) -> QuarterlyReturn:
    QuarterlyReturn.objects.filter(pk=ret.pk).update(status=status)
    ret.refresh_from_db()
    return ret


__all__ = [
    "TODAY",
    "ReturnStatus",
    "victims_pot",
    "monitored_award",
    "the_return",
    "content",
    "submitted",
    "accepted",
    "changes_requested",
    "force_status",
]
