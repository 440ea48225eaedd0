"""When a variation moves a grant's end date, its monitoring follows: returns for quarters after the new end that
nobody has started go; a return the provider has started stays."""

from datetime import date
from decimal import Decimal

from django.utils import timezone

from grants.models import Variation
from grants.services import variations as variation_services
from opcc.models import Role
from reporting.models import QuarterlyReturn
from reporting.services import returns
from tests.funding.factories import PotFactory, approved_year
from tests.funding.factories import award as make_award


def _vary_end(grant, world, new_end):
    provider, officer = world.users[Role.PROVIDER], world.users[Role.COMMISSIONING_OFFICER]
    variation = variation_services.start_variation(
        award=grant, by=provider, reason="The project finishes early", new_end_date=new_end
    )
    variation_services.decide_variation(
        variation=variation, by=officer, decision="approve", note="Agreed", accept_by=timezone.localdate()
    )
    return variation_services.accept_variation(
        variation=Variation.objects.get(pk=variation.pk),
        by=provider,
        name="Ann",
        role="Director",
        confirmed=True,
    )


def test_an_earlier_end_removes_the_returns_of_quarters_after_it(world):
    pot = PotFactory(year=approved_year(2026), key="cgs", allocated=Decimal("100000"))
    grant = make_award(organisation=world.organisation, pot=pot, amount="20000")
    # The January to March quarter's return, as the daily sweep makes it once that quarter begins.
    returns.ensure_returns(today=date(2027, 1, 5), award_ids=[grant.pk])
    assert QuarterlyReturn.objects.filter(award=grant, quarter_start_year=2026, quarter=4).exists()
    before = QuarterlyReturn.objects.filter(award=grant).count()

    _vary_end(grant, world, max(timezone.localdate(), date(2026, 12, 31)))

    grant.refresh_from_db()
    assert grant.end_date == max(timezone.localdate(), date(2026, 12, 31))
    assert not QuarterlyReturn.objects.filter(award=grant, quarter_start_year=2026, quarter=4).exists()
    assert QuarterlyReturn.objects.filter(award=grant).count() == before - 1


def test_a_return_the_provider_has_started_is_kept(world):
    pot = PotFactory(year=approved_year(2026), key="cgs", allocated=Decimal("100000"))
    grant = make_award(organisation=world.organisation, pot=pot, amount="20000")
    returns.ensure_returns(today=date(2027, 1, 5), award_ids=[grant.pk])
    QuarterlyReturn.objects.filter(award=grant, quarter_start_year=2026, quarter=4).update(
        last_saved_at=timezone.now()
    )

    _vary_end(grant, world, max(timezone.localdate(), date(2026, 12, 31)))

    assert QuarterlyReturn.objects.filter(award=grant, quarter_start_year=2026, quarter=4).exists()
