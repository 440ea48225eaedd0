"""A single tender agreement's sign-off: the home page tells the head, then the PCC, that it waits for
them; the Do page says who has signed and who is next; only the next signer gets the link."""

import re
from decimal import Decimal

from django.utils import timezone

from commissioning.models import Route
from commissioning.services import procurement as procurement_services
from commissioning.services import single_tender as single_tender_services
from opcc.calendar import financial_year_of
from opcc.models import Role
from tests.commissioning import factories as f
from tests.conftest import sign_in

D = Decimal


def sta_waiting(world, value="180000"):
    """A single tender agreement above the PCC threshold, saved and waiting for the head's sign-off."""
    officer, value = f.officer_of(world), D(value)
    c = f.in_do(world, estimated_total_value=value)
    procurement_services.choose_route(
        commission=c, route=Route.SINGLE_TENDER, reason="Continuity of supply", by=officer
    )
    single_tender_services.save_single_tender(
        commission=c,
        organisation=world.other_organisation,
        ground="b",
        value=value,
        justification="Survivors mid-way through support",
        by=officer,
    )
    return c


def home(client, user):
    sign_in(client, user)
    return client.get("/home/").content.decode()


def test_the_home_page_tells_the_head_then_the_pcc_that_an_agreement_waits_for_their_sign_off(client, world):
    c = sta_waiting(world)
    head, pcc, officer = (
        world.users[r] for r in (Role.HEAD_OF_COMMISSIONING, Role.PCC, Role.COMMISSIONING_OFFICER)
    )
    sign = f"/commissioning/{c.pk}/single-tender/sign/"

    from tests.reporting.factories import victims_pot

    victims_pot(
        financial_year_of(timezone.localdate())
    )  # this year's funding, whose section the head also sees
    body = home(client, head)
    assert "Waiting for you in commissioning" in body and f'href="{sign}"' in body
    # What waits for them comes before the other apps' sections.
    assert body.index("Waiting for you in commissioning") < body.index("Funding in ")
    body = home(client, pcc)
    assert "Waiting for you in commissioning" in body and sign not in body  # the head signs first
    assert sign not in home(client, officer)

    single_tender_services.sign_single_tender(commission=c, by=head)
    assert sign not in home(client, head)
    body = home(client, pcc)
    assert f'href="{sign}"' in body and "waiting for the PCC to sign off" in body

    # Signed off by both: the award decision (£180,000) is the head's to make, and says so on the head's home page.
    single_tender_services.sign_single_tender(commission=c, by=pcc)
    body = home(client, head)
    assert sign not in body
    assert (
        f'href="/commissioning/{c.pk}/decision/"' in body
        and "for the head of commissioning to decide" in body
    )
    assert f"/commissioning/{c.pk}/decision/" not in home(client, pcc)


def test_the_do_page_says_who_has_signed_and_who_is_next(client, world):
    c = sta_waiting(world)
    head = world.users[Role.HEAD_OF_COMMISSIONING]
    sign_in(client, f.officer_of(world))
    body = client.get(f"/commissioning/{c.pk}/do/").content.decode()
    assert "The head of commissioning must sign off the agreement, then the PCC" in body

    single_tender_services.sign_single_tender(commission=c, by=head)
    body = client.get(f"/commissioning/{c.pk}/do/").content.decode()
    assert "The head of commissioning must sign off" not in body
    assert f"Signed off by the head of commissioning ({head.full_name})" in body
    assert "waiting for the PCC to sign off" in body


def test_the_sign_off_link_is_only_for_the_one_who_signs_next(client, world):
    c = sta_waiting(world)
    sign = f'href="/commissioning/{c.pk}/single-tender/sign/"'
    do = f"/commissioning/{c.pk}/do/"
    head, pcc, officer = (
        world.users[r] for r in (Role.HEAD_OF_COMMISSIONING, Role.PCC, Role.COMMISSIONING_OFFICER)
    )

    sign_in(client, officer)
    body = client.get(do).content.decode()
    assert sign not in body  # the officer got a 403 from it
    assert "Waiting for the head of commissioning to sign off" in body

    sign_in(client, head)
    body = client.get(do).content.decode()
    assert sign in body
    sign_off_task = re.search(
        r'<li class="govuk-task-list__item[^"]*">\s*<div class="govuk-task-list__name-and-hint">'
        r"\s*(<a[^>]*>Sign-off</a>)",
        body,
    )
    assert sign_off_task and f"/commissioning/{c.pk}/single-tender/sign/" in sign_off_task.group(
        1
    )  # not the edit form

    sign_in(client, pcc)
    assert sign not in client.get(do).content.decode()  # not the PCC's turn yet
    body = client.get(f"/commissioning/{c.pk}/single-tender/sign/").content.decode()
    assert "Nothing here waits for your sign-off now" in body and "Sign off</button>" not in body
