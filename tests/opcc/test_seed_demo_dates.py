"""The demo loads, and tells the same story, whatever day it is seeded: every date in it is relative to today.

Seeded early in April (the current year's first quarter has no returns yet: the overdue ones are last year's), in
midsummer (the first month of a quarter, before the previous quarter's returns are due), and in December a year on
(after the day the CGS round closed when the demo was written). Running it again later, on the same database, changes
nothing: the story stays as of the day it was first loaded.
"""

from datetime import date

import pytest
from django.core.management import call_command
from django.utils import timezone
from freezegun import freeze_time

from commissioning.models import Commission
from funding.hooks import award_performance
from funding.models import Award, FinancialYear
from grants.models import Application, SchemeKind
from opcc.calendar import financial_year_of
from opcc.demo import demo_email
from opcc.demo_utils import overdue_quarter, year_label
from opcc.models import User
from reporting.models import QuarterlyReturn
from reporting.selectors.payments_compliance import figures_by_period, large_payments
from reporting.selectors.transparency import open_rounds
from tests.conftest import sign_in
from tests.opcc.test_seed_demo import snapshot


@pytest.mark.slow_data
@pytest.mark.parametrize("day", ["2027-04-02", "2027-07-20", "2027-12-20"])
def test_the_demo_loads_on_any_day_with_every_state_it_shows(client, db, settings, day):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with freeze_time(f"{day} 10:00:00", tick=True):
        call_command("seed_demo", stdout=open("/dev/null", "w"))
        today = timezone.localdate()
        assert today == date.fromisoformat(day)
        fy, last = financial_year_of(today), overdue_quarter(today)

        # Three closed years and the current one approved, next year's a draft, three more indicative (the plan).
        years = dict(FinancialYear.objects.values_list("start_year", "status"))
        assert years == {
            fy - 3: "approved",
            fy - 2: "approved",
            fy - 1: "approved",
            fy: "approved",
            fy + 1: "draft",
            fy + 2: "indicative",
            fy + 3: "indicative",
            fy + 4: "indicative",
        }
        # A 3+1 contract from next April commits against the draft year and the plan's indicative years.
        contract = Award.objects.get(title="Stalking advocacy service, recommissioned")
        assert sorted(contract.profile.values_list("pot__year__start_year", flat=True)) == [
            fy + 1,
            fy + 2,
            fy + 3,
        ]

        # Grants: every round open today, the CGS round named by its year; an application in every state; an offer
        # waiting to be accepted; the LPCAF bids waiting in each area.
        rounds = {r.scheme.kind: r for r in open_rounds()}
        assert set(rounds) == {SchemeKind.CGS, SchemeKind.LPCAF, SchemeKind.LPCAF_ROAD_SAFETY, SchemeKind.CSP}
        cgs = rounds[SchemeKind.CGS]
        assert cgs.name == f"Commissioner's Grant Scheme {year_label(cgs.year.start_year)} (demo)"
        states = set(Application.objects.filter(round=cgs).values_list("status", flat=True))
        assert states == {"accepted", "offered", "in_assessment", "submitted", "more_information", "draft"}
        offer = Application.objects.get(round=cgs, status="offered").offer
        assert offer.accept_by > today
        assert Application.objects.filter(round=rounds[SchemeKind.LPCAF], status="submitted").count() == 5

        # Commissioning: every stage the demo has.
        stages = sorted(Commission.objects.values_list("status", flat=True))
        assert stages == ["do"] * 4 + ["plan"] + ["review"] * 7 + ["understand"]
        # Payments under the Act's contracts: the compliance figures and the payments over £30,000 have rows.
        assert figures_by_period() and large_payments().exists()

        # Monitoring: the last overdue quarter's returns submitted, sent back, accepted and overdue; Severn Valley's
        # (the browser journey's) open and overdue; two persistently red contracts.
        returns = QuarterlyReturn.objects.filter(quarter_start_year=last.start_year, quarter=last.number)
        assert returns.filter(status="submitted").exists()
        assert returns.filter(status="changes_requested").exists()
        assert returns.filter(status="accepted").exists()
        assert returns.overdue(today).exists()
        severn = returns.get(
            award__organisation__name="Severn Valley Women's Aid (demo)", award__status="active"
        )
        assert severn.status == "open" and severn.due_date < today
        for title in ("Stalking advocacy service", "Restorative justice service"):
            award = Award.objects.filter(title=title, status="active").order_by("-start_date").first()
            assert award_performance(award)["persistently_red"], title

        # The home pages show what waits: the provider's offer and returns, the officer's returns to review.
        sign_in(client, User.objects.get(email=demo_email("provider")))
        body = client.get("/home/").content.decode()
        assert "You have an offer of £24,000.00" in body and "Outcome returns to complete" in body
        sign_in(client, User.objects.get(email=demo_email("officer")))
        assert client.get("/home/").status_code == 200
        first = snapshot()

    if day == "2027-04-02":
        # Run again a year and a half later (`make run` on the same database): the story stays as it was first told,
        # rather than a second one being built on top of it.
        with freeze_time("2028-10-20 10:00:00", tick=True):
            call_command("seed_demo", stdout=open("/dev/null", "w"))
        assert snapshot() == first
