"""A provider is offered only the rounds its organisations can enter; the rest say why, with no Apply button."""

from decimal import Decimal

from django.utils import timezone

from grants.models import Round, Scheme, SchemeKind
from opcc.models import Role
from tests.conftest import sign_in
from tests.factories import ProviderFactory
from tests.funding.factories import approved_year
from tests.grants.factories import _defaults, cgs_round


def _csp_round(year):
    _defaults()
    now = timezone.now()
    return Round.objects.create(
        scheme=Scheme.objects.get(kind=SchemeKind.CSP),
        year=year,
        name="CSP plans 2026/27",
        summary="Plans",
        eligibility="The five community safety partnerships",
        opens_at=now - timezone.timedelta(days=1),
        closes_at=now + timezone.timedelta(days=1),
        max_award=Decimal("20000"),
    )


def test_a_charity_is_not_offered_the_csp_round_and_is_told_why(client, world):
    cgs = cgs_round()
    csp = _csp_round(cgs.year)
    sign_in(client, world.users[Role.PROVIDER])
    page = client.get("/grants/apply/").content.decode()
    assert f'href="/grants/apply/{cgs.pk}/"' in page
    assert f'href="/grants/apply/{csp.pk}/"' not in page
    assert (
        "CSP plans 2026/27" in page
        and "Only a community safety partnership can apply for a CSP grant." in page
    )
    # Typing the address anyway explains the same reason and offers no start button.
    page = client.get(f"/grants/apply/{csp.pk}/").content.decode()
    assert (
        "Only a community safety partnership can apply for a CSP grant." in page
        and "Start your application" not in page
    )


def test_a_partnership_is_offered_its_round(client, world):
    csp = _csp_round(approved_year(2026))
    sign_in(client, ProviderFactory(email="csp@example.org", organisation=world.csp.organisation))
    page = client.get("/grants/apply/").content.decode()
    assert f'href="/grants/apply/{csp.pk}/"' in page and "Why you cannot apply" not in page
