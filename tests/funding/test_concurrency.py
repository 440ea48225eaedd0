"""Twenty officers at once: exactly the commitments (and payments) that fit succeed; totals stay exact."""

import threading
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from funding import ledger
from funding.models import Award, PaymentScheduleKind
from funding.services import awards
from tests.factories import OrganisationFactory
from tests.funding.factories import PotFactory, approved_year, award

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL (CI runs it)"),
]


def run_together(n, work):
    barrier = threading.Barrier(n)
    outcomes = []
    lock = threading.Lock()

    def runner(i):
        try:
            barrier.wait()
            result = ("ok", work(i))
        except ValidationError as exc:
            result = ("refused", " ".join(exc.messages))
        except Exception as exc:  # noqa: BLE001 - reported by the assertion
            result = ("error", repr(exc))
        finally:
            connection.close()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=runner, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return outcomes


def test_twenty_commitments_at_once_only_the_ones_that_fit_succeed(transactional_db):
    year = approved_year(income="1000000", police="900000")
    pot = PotFactory(year=year, allocated=Decimal("10000"))
    organisation = OrganisationFactory()

    outcomes = run_together(
        20, lambda i: award(organisation=organisation, pot=pot, amount="1500", title=f"Bid {i}").pk
    )

    kinds = [kind for kind, _ in outcomes]
    assert kinds.count("error") == 0, outcomes
    assert kinds.count("ok") == 6  # 6 x £1,500 = £9,000 fits in £10,000; a seventh would not
    assert kinds.count("refused") == 14
    assert all("left to commit" in message for kind, message in outcomes if kind == "refused")
    assert ledger.committed_in_pot(pot) == Decimal("9000.00")
    assert Award.objects.count() == 6


def test_twenty_payments_at_once_never_exceed_the_award(transactional_db):
    year = approved_year(income="1000000", police="900000")
    pot = PotFactory(year=year, allocated=Decimal("10000"))
    a = award(organisation=OrganisationFactory(), pot=pot, amount="10000")

    outcomes = run_together(
        20,
        lambda i: awards.record_payment(award=a, amount=Decimal("700"), paid_on=date(2026, 6, 1), by=None).pk,
    )

    kinds = [kind for kind, _ in outcomes]
    assert kinds.count("error") == 0, outcomes
    assert kinds.count("ok") == 14  # 14 x £700 = £9,800; the fifteenth would pass £10,000
    assert ledger.paid_on_award(a) == Decimal("9800.00")


def test_twenty_payments_at_once_on_and_off_the_schedule_never_pay_the_quarters_held_back(transactional_db):
    from django.utils import timezone

    year = approved_year(income="1000000", police="900000")
    pot = PotFactory(year=year, allocated=Decimal("40000"))
    a = award(
        organisation=OrganisationFactory(),
        pot=pot,
        amount="40000",
        schedule=PaymentScheduleKind.QUARTERLY_ARREARS,
    )
    awards.release_arrears_payment(award=a, start_year=2026, quarter=1, accepted_at=timezone.now())
    q1 = a.schedule.get(quarter=1)

    # On 15 August Q1 (£10,000) is due and accepted; Q2 to Q4 (£30,000) are not yet due. Half the officers pay Q1
    # on the schedule, half off it: between them they can pay Q1's £10,000 and not a penny of the rest.
    outcomes = run_together(
        20,
        lambda i: (
            awards.record_payment(
                award=a,
                amount=Decimal("700"),
                paid_on=date(2026, 8, 15),
                by=None,
                schedule_line=q1 if i % 2 else None,
            ).pk
        ),
    )

    kinds = [kind for kind, _ in outcomes]
    assert kinds.count("error") == 0, outcomes
    assert kinds.count("ok") == 14  # 14 x £700 = £9,800; a fifteenth would spend Q2's money
    assert all(
        "held back" in message or "left of this scheduled payment" in message
        for kind, message in outcomes
        if kind == "refused"
    ), outcomes
    assert ledger.paid_on_award(a) == Decimal("9800.00")
    assert ledger.held_back_in_award_year(a.profile.get(), date(2026, 8, 15)) == Decimal("30000.00")


def test_twenty_commitments_at_once_against_an_indicative_pot_only_the_ones_that_fit_succeed(
    transactional_db,
):
    from funding.models import FinancialYear
    from tests.funding.factories import IncomeLineFactory, YearFactory

    approved_year(2026, income="1000000", police="900000")
    year = YearFactory(
        start_year=2027, status=FinancialYear.Status.INDICATIVE, police_budget=Decimal("900000")
    )
    IncomeLineFactory(year=year, amount=Decimal("1000000"))
    pot = PotFactory(year=year, name="Victim services", allocated=Decimal("10000"))
    organisation = OrganisationFactory()

    outcomes = run_together(
        20, lambda i: award(organisation=organisation, pot=pot, amount="1500", title=f"Contract {i}").pk
    )

    kinds = [kind for kind, _ in outcomes]
    assert kinds.count("error") == 0, outcomes
    assert kinds.count("ok") == 6
    assert kinds.count("refused") == 14
    assert all(
        "Victim services in 2027 to 2028 has" in message for kind, message in outcomes if kind == "refused"
    )
    assert ledger.committed_in_pot(pot) == Decimal("9000.00")
    year.refresh_from_db()
    assert year.is_indicative
