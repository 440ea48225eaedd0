"""Grants test data: a round, and an application in each state, built through the services."""

from datetime import date, timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from grants.models import Application, Criterion, Round, Scheme, SchemeKind
from grants.services import applications as application_services
from grants.services import assessment as assessment_services
from grants.services import decisions as decision_services
from grants.services import offers as offer_services
from opcc.models import Role
from tests.funding.factories import PotFactory, approved_year

D = Decimal


def _defaults():
    from grants import defaults

    defaults.ensure()


def cgs_round(
    *,
    pot=None,
    max_award="50000",
    closes_in=timedelta(days=10),
    opens_ago=timedelta(days=10),
    name="CGS 2026/27",
):
    _defaults()
    year = pot.year if pot else approved_year(2026)
    pot = pot or PotFactory(year=year, key="cgs", name="Commissioner's Grant Scheme", allocated=D("100000"))
    now = timezone.now()
    round_ = Round.objects.create(
        scheme=Scheme.objects.get(kind=SchemeKind.CGS),
        year=pot.year,
        name=name,
        summary="Projects for victims",
        eligibility="Charities working in West Mercia",
        priorities="Domestic abuse\nSerious violence",
        opens_at=now - opens_ago,
        closes_at=now + closes_in,
        max_award=D(max_award),
        pot=pot,
    )
    Criterion.objects.create(round=round_, name="Quality of outcomes", kind="quality", weight=70, position=0)
    Criterion.objects.create(
        round=round_, name="Cost and value for money", kind="cost", weight=30, position=1
    )
    return round_


def lpcaf_round(year=None, *, areas=()):
    _defaults()
    year = year or approved_year(2026)
    for area in areas:
        PotFactory(
            year=year,
            key=f"lpcaf-{area.slug}",
            name=f"LPCAF {area.name}",
            stream="lpcaf",
            area=area,
            allocated=D("20000"),
        )
    now = timezone.now()
    round_ = Round.objects.create(
        scheme=Scheme.objects.get(kind=SchemeKind.LPCAF),
        year=year,
        name="LPCAF 2026/27",
        summary="Local projects",
        eligibility="Community groups",
        opens_at=now - timedelta(days=30),
        closes_at=now + timedelta(days=30),
        max_award=D("5000"),
    )
    Criterion.objects.create(round=round_, name="Community benefit", kind="quality", weight=80)
    Criterion.objects.create(round=round_, name="Cost", kind="cost", weight=20)
    return round_


def pdf_upload(name="accounts.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.7\n1 0 obj<<>>endobj\n%%EOF\n", content_type="application/pdf")


def project_dates() -> tuple[date, date]:
    """A project's dates an applicant may give: starting no earlier than tomorrow, ending in 2026/27 (the year of
    the tests' pots) for as long as that can be."""
    start = max(date(2027, 1, 1), timezone.localdate() + timedelta(days=1))
    return start, max(start, date(2027, 3, 31))


def draft(round_, provider, *, amount="12000", area=None, **overrides) -> Application:
    organisation = provider.memberships.first().organisation
    application = application_services.start_application(
        round_=round_, organisation=organisation, by=provider
    )
    start, end = project_dates()
    values = dict(
        title="Safe at home",
        summary="Sanctuary measures for victims of domestic abuse",
        area=area,
        start_date=start,
        end_date=end,
        need="High repeat victimisation",
        outcomes="Victims feel safer",
        prevention=True,
        amount_requested=D(amount),
        budget="Locks, doors, alarms",
        match_funding_amount=D("0"),
        match_funding_source="",
    )
    values.update(overrides)
    application = application_services.save_section(application=application, by=provider, values=values)
    application_services.add_attachment(
        application=application, by=provider, uploaded=pdf_upload(), title="Accounts"
    )
    return application_services.mark_section_done(application=application, by=provider, slug="attachments")


def submitted(round_, provider, **kwargs) -> Application:
    application = draft(round_, provider, **kwargs)
    return application_services.submit(
        application=application, by=provider, confirmed=True, name=provider.full_name, role="Manager"
    )


def approved(round_, provider, officer, **kwargs) -> Application:
    application = submitted(round_, provider, **kwargs)
    application = assessment_services.start_assessment(application=application, by=officer)
    assessment_services.declare_conflict(application=application, by=officer, conflict=False, details="")
    assessment_services.save_scores(
        application=application, by=officer, scores={c.pk: (4, "Good") for c in round_.criteria.all()}
    )
    assessment_services.save_assessment(
        application=application,
        by=officer,
        values={
            "eligible": True,
            "needs_assessment": "Matches the DA needs assessment",
            "meets_priorities": True,
            "match_funding_confirmed": None,
            "prevention": True,
            "recommendation": "approve",
        },
    )
    return decision_services.decide(
        application=application, by=officer, decision="approve", note="Strong bid"
    )


def offered(round_, provider, officer, *, accept_by=None, **kwargs) -> Application:
    application = approved(round_, provider, officer, **kwargs)
    start = date(2027, 1, 1)
    # Four weeks to accept, but always before the grant starts.
    accept_by = accept_by or min(timezone.localdate() + timedelta(days=28), start - timedelta(days=1))
    return offer_services.make_offer(
        application=application,
        by=officer,
        start_date=start,
        end_date=date(2027, 3, 31),
        schedule_kind="instalments",
        accept_by=accept_by,
        conditions="Attend the annual providers' forum",
        outcomes="Households made safer",
    )


def roles(world):
    return world.users[Role.PROVIDER], world.users[Role.COMMISSIONING_OFFICER]
