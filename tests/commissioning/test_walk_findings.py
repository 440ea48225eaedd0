"""What a newcomer walking every commissioning journey noticed: who is waiting for whom, links only for those who
can act, blocked steps without a button, every score error at once, and a contract that carries out its decision."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone
from freezegun import freeze_time

from commissioning import services
from commissioning.models import Contract, Route
from opcc.calendar import financial_year_of
from opcc.models import Role
from tests.commissioning import factories as f
from tests.conftest import sign_in
from tests.funding.factories import PotFactory, approved_year

D = Decimal


def sta_waiting(world, value="180000"):
    """A single tender agreement above the PCC threshold, saved and waiting for the head's sign-off."""
    officer, value = f.officer_of(world), D(value)
    c = f.in_do(world, estimated_total_value=value)
    services.choose_route(commission=c, route=Route.SINGLE_TENDER, reason="Continuity of supply", by=officer)
    services.save_single_tender(
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

    services.sign_single_tender(commission=c, by=head)
    assert sign not in home(client, head)
    body = home(client, pcc)
    assert f'href="{sign}"' in body and "waiting for the PCC to sign off" in body

    # Signed off by both: the award decision (£180,000) is the head's to make, and says so on the head's home page.
    services.sign_single_tender(commission=c, by=pcc)
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

    services.sign_single_tender(commission=c, by=head)
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


def test_a_blocked_move_lists_what_blocks_it_with_no_button(client, world):
    c = f.new_commission(world)
    sign_in(client, f.officer_of(world))
    body = client.get(f"/commissioning/{c.pk}/move/start_planning/").content.decode()
    assert "This step is blocked until" in body and "Upload the needs assessment" in body
    assert "Move to Plan</button>" not in body
    assert f'href="/commissioning/{c.pk}/understand/">Go to the Understand tasks</a>' in body

    c = f.fill_understand(c, f.officer_of(world))
    body = client.get(f"/commissioning/{c.pk}/move/start_planning/").content.decode()
    assert "Move to Plan</button>" in body


def test_every_score_error_is_listed_at_once_in_page_order(client, world):
    c, tender, bid_a, bid_b, (person,) = f.tender_ready_for_scoring(world)
    services.declare(tender=tender, user=person, answers={bid_a.pk: False, bid_b.pk: False}, details={})
    first, second = tender.criteria.all()
    sign_in(client, person)
    data = {
        f"score_{first.pk}": "",
        f"comment_{first.pk}": "Strong",
        f"score_{second.pk}": "7",
        f"comment_{second.pk}": "",
    }
    body = client.post(f"/commissioning/evaluations/bids/{bid_a.pk}/", data).content.decode()
    summary = body[
        body.index("govuk-error-summary__list") : body.index("</ul>", body.index("govuk-error-summary__list"))
    ]
    expected = [
        f"Enter a score for {first.name}",
        f"The score for {second.name} must be between 0 and 5",
        f"Enter the reasons for the score for {second.name}",
    ]
    positions = [summary.find(message) for message in expected]
    assert -1 not in positions and positions == sorted(positions)
    data[f"score_{first.pk}"] = "-1"
    body = client.post(f"/commissioning/evaluations/bids/{bid_a.pk}/", data).content.decode()
    assert f"The score for {first.name} must be between 0 and 5" in body
    assert not bid_a.scores.exists()


def contract_post(pot, **overrides):
    data = {
        "pot": pot.pk,
        "annual_value": "30000",
        "total_value": "30000",
        "start_date_0": "1",
        "start_date_1": "12",
        "start_date_2": "2026",
        "initial_term_years": "1",
        "extension_pattern": "1+1",
        "break_notice_months": "3",
        "break_clause": "Either party",
        "signed_on_0": "20",
        "signed_on_1": "11",
        "signed_on_2": "2026",
        "schedule_kind": "quarterly_arrears",
        "value_difference_reason": "",
    }
    data.update(overrides)
    return data


@pytest.fixture
def two_years(db):
    """Victim services pots in 2026 to 2027 and 2027 to 2028 only, as in the demo."""
    return {
        y: PotFactory(
            year=approved_year(y, income="10000000", police="5000000"),
            key="victim-services",
            name="Victim services",
            stream="victim_services",
            allocated=D("500000"),
        )
        for y in (2026, 2027)
    }


@freeze_time("2026-11-25 10:00:00")
def test_a_contract_worth_less_than_its_decision_needs_a_reason_which_is_recorded(client, world, two_years):
    c, _ = f.decided_tender(world)  # decided at £90,000
    sign_in(client, f.officer_of(world))
    url = f"/commissioning/{c.pk}/contract/new/"
    body = client.post(url, contract_post(two_years[2026])).content.decode()
    assert "govuk-error-summary" in body
    assert (
        "The contract&#x27;s whole value, £60,000.00 (£30,000.00 for the initial term and £30,000.00 for 1 extension "
        "year at the annual value), is less than the £90,000.00 awarded"
    ) in body
    assert not Contract.objects.exists()

    response = client.post(
        url, contract_post(two_years[2026], value_difference_reason="Price agreed lower in negotiation")
    )
    assert response.status_code == 302
    assert Contract.objects.get().value_difference_reason == "Price agreed lower in negotiation"
    body = client.get(f"/commissioning/{c.pk}/do/").content.decode()
    assert "Why the value differs from the decision" in body and "Price agreed lower in negotiation" in body


@freeze_time("2026-11-25 10:00:00")
def test_a_term_beyond_the_pots_says_which_year_has_none_and_what_to_do(client, world, two_years):
    c, _ = f.decided_tender(world)
    sign_in(client, f.officer_of(world))
    body = client.post(
        f"/commissioning/{c.pk}/contract/new/",
        contract_post(
            two_years[2026],
            annual_value="30000",
            total_value="90000",
            initial_term_years="3",
            extension_pattern="3+1",
            value_difference_reason="Agreed",
        ),
    ).content.decode()
    assert (
        "There is no Victim services pot in 2028 to 2029 yet, so a term from 1 December 2026 to 30 November 2029 "
        "cannot be committed: shorten the initial term to 1 year so it ends by 31 March 2028, or ask finance to "
        "prepare the 2028 to 2029 allocation first"
    ) in body
    assert not Contract.objects.exists()


@freeze_time("2026-11-25 10:00:00")
def test_the_contract_form_defaults_to_a_term_the_pots_carry_and_the_decided_value(client, world, two_years):
    c, _ = f.decided_tender(world)  # decided at £90,000, including extensions
    sign_in(client, f.officer_of(world))
    url = f"/commissioning/{c.pk}/contract/new/"
    form = client.get(url).context["form"]
    initial = {name: form[name].value() for name in form.fields}
    assert initial["initial_term_years"] == 1 and initial["extension_pattern"] == "1+1"
    assert initial["start_date"] == date(2026, 12, 1)
    assert initial["annual_value"] == D("45000.00") and initial["total_value"] == D("45000.00")
    # Saved as it stands: no reason needed, no missing pot.
    data = contract_post(
        two_years[2026], annual_value=str(initial["annual_value"]), total_value=str(initial["total_value"])
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Contract.objects.get().value_difference_reason == ""


def test_the_stage_heading_does_not_repeat_its_tag_and_one_task_is_singular(client, world, pots):
    officer = f.officer_of(world)
    c = f.new_commission(world)
    sign_in(client, officer)
    body = client.get(f"/commissioning/{c.pk}/understand/").content.decode()
    heading = re.search(r'<h1 class="govuk-heading-l">(.*?)</h1>', body, re.S).group(1)
    assert heading.strip() == "Understand"
    c, _ = f.decided_tender(world)
    f.contract_for(world, c, pots[2026])
    c = services.transition(commission=c, name="start_review", by=officer)
    body = client.get(f"/commissioning/{c.pk}/review/").content.decode()
    assert "You have completed 0 of 1 task." in body


def test_the_demo_evaluators_comments_keep_their_capitals(db):
    from commissioning import demo as commissioning_demo
    from commissioning.models import Score
    from funding import demo as funding_demo
    from opcc.demo import load_core

    # The commissioning demo (where the scores are) and what it stands on, not the whole demo.
    load_core()
    funding_demo.load()
    commissioning_demo.load()
    comments = set(Score.objects.values_list("comment", flat=True))
    assert (
        "Scored against the published guidance: works with SARCs, schools, CAMHS and children's services."
        in comments
    )
    assert not any("sarcs" in comment or "camhs" in comment for comment in comments)
