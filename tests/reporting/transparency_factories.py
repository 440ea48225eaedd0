"""Published and unpublished grants and contracts, built through the apps' own services and factories."""

import itertools
from datetime import timedelta
from decimal import Decimal
from types import SimpleNamespace

from django.utils import timezone

from commissioning.models import Commission, Route
from commissioning.services import procurement as procurement_services
from commissioning.services import tenders as tender_services
from funding.models import Award
from funding.services import awards as award_services
from grants.services import decisions as decision_services
from grants.services import offers as offer_services
from opcc.models import OrganisationType, Role
from reporting.services import descriptions, public_texts
from tests.commissioning.factories import contract_for, decided_tender, in_do, officer_of
from tests.factories import OrganisationFactory, ProviderFactory
from tests.funding.factories import PotFactory, approved_year, award
from tests.grants import factories as grants

D = Decimal
ACCEPTED_BY = "Lucy Evans"
APPLICANT_EMAIL = "lucy.evans@marches.example"
FORMULA = '=HYPERLINK("http://evil.example","Click")'


def open_tender(world, *, title="Sexual violence counselling", closes_in=20):
    officer = officer_of(world)
    commission = in_do(world)
    Commission.objects.filter(pk=commission.pk).update(
        title=title, summary="Counselling for survivors of sexual violence"
    )
    commission.refresh_from_db()
    today = timezone.localdate()
    procurement_services.choose_route(commission=commission, route=Route.TENDER, reason="", by=officer)
    tender_services.save_tender(
        commission=commission,
        by=officer,
        funding_envelope=D("150000"),
        quality_weight=70,
        price_weight=30,
        portal_reference=f"BLC-{commission.reference}",
        published_on=today - timedelta(days=5),
        clarification_deadline=None,
        closes_on=today + timedelta(days=closes_in),
        market_engagement_on=None,
        market_engagement_notes="",
    )
    tender_services.set_criteria(
        commission=commission,
        rows=[("Service delivery", 60, "A safe, trauma-informed service"), ("Partnership working", 40, "")],
        by=officer,
    )
    return commission.procurements.get().tender


def published_world(world):
    """One of each thing the public may and may not see."""
    officer = world.users[Role.COMMISSIONING_OFFICER]
    provider = world.users[Role.PROVIDER]
    provider.full_name = "Private Person"
    provider.email = APPLICANT_EMAIL
    provider.save()
    w = SimpleNamespace(world=world)
    year = approved_year(2026, income="10000000", police="5000000")
    cgs_pot = PotFactory(
        year=year, key="cgs", name="Commissioner's Grant Scheme", stream="cgs", allocated=D("500000")
    )
    w.round = grants.cgs_round(pot=cgs_pot)

    # Made: offered and accepted.
    application = grants.offered(w.round, provider, officer, title="Safe at home", amount="12000")
    w.accepted = offer_services.accept_offer(
        application=application, by=provider, name=ACCEPTED_BY, role="Manager", confirmed=True
    )
    w.grant = w.accepted.award
    # Not made: declined, draft, offered but not yet accepted.
    others = [ProviderFactory(organisation=OrganisationFactory(name=f"Applicant {n}")) for n in range(3)]
    declined = grants.submitted(w.round, others[0], title="Declined bid for a minibus")
    w.declined = decision_services.decide(
        application=declined, by=officer, decision="decline", note="Not a priority"
    )
    w.draft = grants.draft(w.round, others[1], title="Draft idea for a helpline")
    w.pending = grants.offered(w.round, others[2], officer, title="Offer awaiting acceptance")
    # A grant cancelled before it started.
    cancelled = award(
        organisation=world.other_organisation,
        pot=cgs_pot,
        amount="3000",
        title="Cancelled grant for a fete",
        activate=False,
    )
    w.cancelled = award_services.end_award(
        award=cancelled, transition="cancel", by=None, note="Lapsed", check_permission=False
    )
    # An unregistered group: published with its name and town only.
    w.group = OrganisationFactory(
        name="Kington Village Watch",
        org_type=OrganisationType.UNREGISTERED,
        charity_number="",
        address_line_1="12 Secret Lane",
        town="Kington",
        postcode="HR5 3AA",
        email="chair@kington.example",
        phone="01544 000000",
    )
    lpcaf_2025 = PotFactory(
        year=approved_year(2025, income="10000000", police="5000000"),
        key=f"lpcaf-{world.area.slug}",
        name=f"LPCAF {world.area.name}",
        stream="lpcaf",
        area=world.area,
        allocated=D("20000"),
    )
    w.group_grant = award(
        organisation=w.group, pot=lpcaf_2025, amount="900", title="Herefordshire speed watch"
    )
    # A purpose typed as a spreadsheet formula: the XLSX must show it as text.
    Award.objects.filter(pk=w.group_grant.pk).update(purpose=FORMULA)

    # Contracts: one over £10,000 through commissioning, one small one recorded in funding.
    pots = {}
    for start_year in (2027, 2028, 2029):
        pots[start_year] = PotFactory(
            year=approved_year(start_year, income="10000000", police="5000000"),
            key="victim-services",
            name="Victim services",
            stream="victim_services",
            allocated=D("200000"),
        )
    vs_2026 = PotFactory(
        year=year,
        key="victim-services",
        name="Victim services",
        stream="victim_services",
        allocated=D("200000"),
    )
    commission, w.supplier = decided_tender(world)
    w.contract = contract_for(world, commission, vs_2026)
    w.big_contract = w.contract.award
    w.small_contract = award(
        organisation=world.other_organisation,
        pot=vs_2026,
        amount="8000",
        kind="contract",
        title="Interpreting for victims",
    )
    w.tender = open_tender(world)
    # Their purposes, the services' descriptions and the grants' reasons were reviewed for publication
    # (tests/reporting/test_descriptions.py and test_public_texts.py test the review itself).
    descriptions.approve_all_as_they_are()
    public_texts.approve_all_as_they_are()
    return w


SERIAL = itertools.count(1)


def bulk_grants(pot, n, organisation, kind="grant", amount="1000"):
    from datetime import date

    Award.objects.bulk_create(
        [
            Award(
                reference=f"B-{next(SERIAL)}",
                organisation=organisation,
                pot=pot,
                kind=kind,
                title=f"Bulk {kind} {i}",
                purpose="Bulk",
                start_date=date(pot.year.start_year, 4, 1),
                end_date=date(pot.year.start_year + 1, 3, 31),
                amount=D(amount),
                schedule_kind="in_advance",
                status=Award.Status.ACTIVE,
                awarded_on=date(pot.year.start_year, 4, 1),
            )
            for i in range(n)
        ]
    )
    descriptions.approve_all_as_they_are()  # their titles and purposes were reviewed for publication
