"""The demo's Procurement Act records: a version of the debarment list, the ISVA tender's conflicts assessment and
the exclusion checks of its bidders, and two contracts let under the Act and paid on their invoices (what the
payments compliance figures, the payments over £30,000 and the spend page read)."""

from datetime import datetime, time, timedelta
from decimal import ROUND_CEILING, Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from commissioning import conflicts as reads
from commissioning import exclusions
from commissioning.demo_helpers import COMMISSION_OBJECTIVES, existing_contract, record_history
from commissioning.models import Commission, Route
from commissioning.services import conflicts as conflict_services
from commissioning.services import exclusions as exclusion_services
from funding import ledger
from funding.models import AwardKind, PaymentScheduleKind, Pot
from funding.services import allocation
from funding.services import awards as award_services
from opcc.calendar import Quarter, add_years, financial_year_of, quarter_of
from opcc.demo import demo_email, demo_objectives
from opcc.demo_assurance import clear_demo_organisation
from opcc.demo_utils import overdue_quarter
from opcc.models import Organisation, User

# Fictional suppliers: the published list's own entries are not copied here.
DEBARMENT_CSV = (
    "supplier_name,registration_number,cdp_identifier,ground_type,grounds,date_entered,end_date\n"
    "Northfield Care Solutions Ltd (demo),09876543,GB-PPON-PNCS-4821-QWRT,mandatory,"
    "Schedule 6: fraud (conviction of a director),2026-03-02,2031-03-01\n"
    "Brightpath Support Services (demo),,GB-PPON-PBSS-7310-LKMN,discretionary,"
    "Schedule 7: breach of contract and poor performance,2026-05-18,2031-05-17\n"
)
PPONS = ["GB-PPON-PWMR-1043-ASDF", "GB-PPON-PCSW-2291-GHJK", "GB-PPON-PSVF-5508-ZXCV"]


def import_debarment_list(*, head, today) -> None:
    exclusion_services.import_list(
        uploaded=SimpleUploadedFile("debarment-list.csv", DEBARMENT_CSV.encode()),
        list_date=today - timedelta(days=7),
        by=head,
    )


def assess_and_check(c, *, officer, today) -> None:
    """The procurement's conflicts assessment (everyone declares, no interest) and each supplier's exclusion
    check against the latest debarment list (not excluded)."""
    procurement = c.procurements.get()
    for user, _role in reads.decision_makers(procurement):
        conflict_services.declare(commission=c, user=user, interest=False, by=officer)
    conflict_services.confirm(commission=c, by=officer)
    for organisation, ppon in zip(exclusions.suppliers(procurement), PPONS, strict=False):
        exclusion_services.record_check(
            commission=c,
            organisation=organisation,
            by=officer,
            mandatory_considered=True,
            mandatory_notes="Not on the debarment list; the supplier's declaration and Companies House show no "
            "mandatory ground.",
            discretionary_considered=True,
            discretionary_notes="No poor performance, insolvency or misconduct found; references taken.",
            cdp_identifier=ppon,
            core_information_shared_on=today - timedelta(days=40),
            outcome="not_excluded",
        )


# Contracts let under the Act before this system (recorded from the register) and paid quarterly in arrears on the
# provider's invoice: (title, summary, supplier, light-touch, annual value, term pattern, quarters before this one
# it started, and for each quarter's invoice (days after the quarter ended that it arrived, days to pay it)).
# Most are paid within the Act's 30 days; one was queried and one disputed, as in life.
PAID_CONTRACTS = [
    (
        "Domestic abuse advisers in hospital emergency departments",
        "Independent domestic violence advisers in the county hospitals' emergency departments and maternity "
        "units, seeing victims where they first disclose.",
        "Marches Domestic Abuse Support (demo)",
        True,
        Decimal("180000"),
        "2+1+1",
        5,
        [(10, 22), (12, 44), (9, 25), (11, 19), (8, 26), (13, 21)],
    ),
    (
        "Case management system for victim services",
        "A hosted case management system shared by the victim services, with secure referrals between them.",
        "Severn Case Systems Ltd (demo)",
        False,
        Decimal("96000"),
        "2+1",
        4,
        [(7, 35), (16, 12), (10, 67), (8, 24), (9, 28)],
    ),
]
# The case management system's supplier, new to the demo (the other contract's provider is the funding demo's).
CASE_SYSTEMS = {
    "org_type": "company",
    "company_number": "12604417",
    "address_line_1": "3 Mill Street",
    "town": "Ludlow",
    "postcode": "SY8 1BB",
    "email": "accounts@severncasesystems.example",
}


def paid_contract(cast, *, row) -> None:
    """A contract under the Act (a public contract: begun and signed since 24 February 2025, at or above its
    threshold), recorded from the register, in Review, with its quarterly payments made against invoices: what the
    payments compliance figures and the spend page read."""
    title, summary, supplier, light_touch, annual, pattern, quarters_ago, invoices = row
    finance = User.objects.get(email=demo_email("finance"))
    organisation, _ = Organisation.objects.get_or_create(name=supplier, defaults=CASE_SYSTEMS)
    clear_demo_organisation(organisation, cast.today)  # due diligence done before it was paid
    quarter = quarter_of(cast.today)
    for _ in range(quarters_ago):
        quarter = quarter.previous()
    start, years = quarter.start, int(pattern.split("+")[0])
    end = add_years(start, years) - timedelta(days=1)
    signed = start - timedelta(days=24)
    _make_room(annual * years, start, end, by=finance, title=title)
    award = award_services.create_award(
        organisation=organisation,
        pot=Pot.objects.get(year__start_year=financial_year_of(start), key="victim-services"),
        kind=AwardKind.CONTRACT,
        title=title,
        purpose=summary,
        start_date=start,
        end_date=end,
        amount=annual * years,
        schedule_kind=PaymentScheduleKind.QUARTERLY_ARREARS,
        by=cast.officer,
        awarded_on=signed,
        activate=True,
        objectives=demo_objectives(*COMMISSION_OBJECTIVES[title]),
    )
    c = cast.new(title, summary)
    Commission.objects.filter(pk=c.pk).update(status=Commission.Status.REVIEW, light_touch=light_touch)
    c.refresh_from_db()
    existing_contract(c, award, pattern=pattern, notice=3, signed=signed, route=Route.REGULATED)
    record_history(
        c,
        [
            (
                start,
                "do",
                "review",
                f"Contract {award.reference} signed under the Procurement Act 2023 ({pattern}).",
            )
        ],
        cast.officer,
    )
    _pay_invoices(award, invoices, today=cast.today, by=finance)


def _make_room(amount: Decimal, start, end, *, by, title: str) -> None:
    """The victim services pot of each year the contract runs in is raised from the year's unallocated money by
    what it lacks, through the allocation service (an approved year's change is recorded as a variation)."""
    for line in award_services.even_profile(start, end, amount):
        pot = Pot.objects.get(year__start_year=line.start_year, key="victim-services")
        short = line.amount - (pot.allocated - ledger.committed_in_pot(pot))
        if short > 0:
            allocation.set_pot_allocation(
                pot=pot,
                amount=pot.allocated + (short / 1000).to_integral_value(rounding=ROUND_CEILING) * 1000,
                by=by,
                reason=f"From the year's unallocated money for the contract {title}, let under the Procurement Act.",
            )


def _pay_invoices(award, invoices, *, today, by) -> None:
    """Each quarter before the demo's last one (whose return is still with the provider or the office) is paid on
    its invoice, once the quarter's return was accepted."""
    last = overdue_quarter(today)
    lines = [line for line in award.schedule.order_by("due_date") if line.quarter is not None]
    for line, (arrived, days) in zip(lines, invoices, strict=False):
        quarter = Quarter(line.quarter_start_year, line.quarter)
        if quarter >= last:
            break
        invoice_on = quarter.end + timedelta(days=arrived)
        award_services.release_arrears_payment(
            award=award,
            start_year=quarter.start_year,
            quarter=quarter.number,
            accepted_at=timezone.make_aware(datetime.combine(invoice_on, time(11, 0))),
        )
        line.refresh_from_db()
        award_services.record_payment(
            award=award,
            amount=line.amount,
            paid_on=min(invoice_on + timedelta(days=days), today),
            by=by,
            reference=f"AP{award.pk:05d}{line.pk:04d}",
            schedule_line=line,
            invoice_received_on=invoice_on,
        )
