from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from freezegun import freeze_time

from funding.models import PaymentScheduleKind
from grants.models import Application, Round, Scheme, SchemeKind
from grants.services import applications as application_services
from grants.services import assessment as assessment_services
from grants.services import decisions as decision_services
from grants.services import offers as offer_services
from opcc.models import Membership, Role
from tests.factories import ProviderFactory
from tests.funding.factories import PotFactory, approved_year
from tests.grants.factories import _defaults, pdf_upload, project_dates

D = Decimal


@freeze_time("2026-11-25 10:00:00")  # the plan's projects run in 2026/27, the year of the partnership's pot
def test_a_csp_submits_its_plan_of_projects_and_gets_its_allocation(world):
    _defaults()
    year = approved_year(2026)
    pot = PotFactory(
        year=year, key=f"csp-{world.csp.slug}", stream="csp_grants", csp=world.csp, allocated=D("20000")
    )
    round_ = Round.objects.create(
        scheme=Scheme.objects.get(kind=SchemeKind.CSP),
        year=year,
        name="CSP plans",
        summary="Plans",
        eligibility="CSPs",
        opens_at=timezone.now() - timezone.timedelta(days=1),
        closes_at=timezone.now() + timezone.timedelta(days=1),
        max_award=D("20000"),
    )
    round_.criteria.create(name="Fit", kind="quality", weight=70)
    round_.criteria.create(name="Cost", kind="cost", weight=30)
    csp_user = ProviderFactory(organisation=world.csp.organisation)
    with pytest.raises(ValidationError):  # only a partnership may apply
        application_services.start_application(
            round_=round_, organisation=world.organisation, by=world.users[Role.PROVIDER]
        )
    application = application_services.start_application(
        round_=round_, organisation=world.csp.organisation, by=csp_user
    )
    assert application.area == world.area
    start, end = project_dates()
    application = application_services.save_section(
        application=application,
        by=csp_user,
        values=dict(
            title="Plan",
            summary="Our plan",
            start_date=start,
            end_date=end,
            need="ASB",
            area=None,
            outcomes="Less ASB",
            prevention=True,
            amount_requested=D("15000"),
            budget="See projects",
        ),
    )
    assert application.area == world.area  # a partnership's plan stays its own area's, whatever is sent
    application_services.add_project(
        application=application, by=csp_user, title="Patrols", description="City centre", amount=D("9000")
    )
    application_services.add_project(
        application=application, by=csp_user, title="Roadshow", description="Rural DA", amount=D("5000")
    )
    application_services.mark_section_done(application=application, by=csp_user, slug="plan")
    application_services.add_attachment(
        application=application, by=csp_user, uploaded=pdf_upload(), title="Plan"
    )
    application = application_services.mark_section_done(
        application=application, by=csp_user, slug="attachments"
    )
    with pytest.raises(ValidationError) as exc:
        application_services.submit(application=application, by=csp_user, confirmed=True, name="A", role="B")
    assert "add up to £14,000.00, not the £15,000.00" in exc.value.messages[0]
    application_services.add_project(
        application=application, by=csp_user, title="Farm watch", description="Kit", amount=D("1000")
    )
    application = application_services.submit(
        application=application, by=csp_user, confirmed=True, name="A", role="B"
    )
    officer = world.users[Role.COMMISSIONING_OFFICER]
    application = assessment_services.start_assessment(application=application, by=officer)
    assessment_services.save_assessment(
        application=application, by=officer, values={"eligible": True, "recommendation": "approve"}
    )
    application = decision_services.decide(
        application=application, by=officer, decision="approve", note="Plan agreed"
    )
    application = offer_services.make_offer(
        application=application,
        by=officer,
        start_date=start,
        end_date=end,
        schedule_kind=PaymentScheduleKind.QUARTERLY_ARREARS,
        accept_by=timezone.localdate(),
    )
    assert application.award.pot == pot and application.status == Application.Status.OFFERED
    from grants import letters

    text = " ".join(str(v) for v in letters.letter_values(application).values())
    assert "Return any underspend" in text and "every quarter" in text
    assert Membership.objects.filter(organisation=world.csp.organisation).count() == 1


def test_outcome_measures_for_grant_awards_come_from_the_scheme(world):
    from grants.outcomes import measures_for_award
    from tests.funding.factories import award as make_award
    from tests.grants.factories import cgs_round, offered, roles

    provider, officer = roles(world)
    application = offered(cgs_round(), provider, officer)
    measures = measures_for_award(application.award)
    assert measures[0]["name"] == "People supported" and measures[0]["kind"] == "count"
    assert measures[1]["quarterly_target"] == D("75")
    other = make_award(organisation=world.organisation, pot=application.award.pot, amount="10")
    assert measures_for_award(other) is None
