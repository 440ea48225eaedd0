"""Grant variations: asked for by the provider or proposed by the office, decided at the delegation level of the
award's new total, a variation letter (stored, hashed) accepted online by its deadline, and the award and the ledger
following to the penny."""

import hashlib
import io
import re
from datetime import date, timedelta
from decimal import Decimal
from html import unescape

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Sum
from django.urls import reverse
from django_fsm import TransitionNotAllowed
from pypdf import PdfReader

from funding import ledger
from funding.models import Award, AwardYear, PaymentScheduleLine
from funding.services import awards as award_services
from grants import variation_letters
from grants.models import Variation
from grants.services import variations as variation_services
from opcc.models import OutboxMessage, Role
from opcc.services.transitions import timeline_for
from tests.conftest import sign_in
from tests.funding.factories import PotFactory, approved_year
from tests.funding.factories import award as make_award

D = Decimal


def _text(data: bytes) -> str:
    return " ".join("\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages).split())


def summary(body: str) -> str:
    found = re.search(r'<div class="govuk-error-summary".*?</ul>', body, re.S)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", found.group(0)))).strip() if found else ""


def _date(name, day):
    return {f"{name}_0": str(day.day), f"{name}_1": str(day.month), f"{name}_2": str(day.year)}


@pytest.fixture
def pot(world):
    return PotFactory(
        year=approved_year(2026), key="cgs", name="Commissioner's Grant Scheme", allocated=D("250000")
    )


@pytest.fixture
def grant(world, pot):
    """An active grant to the world's organisation, 1 April 2026 to 31 March 2027, £20,000."""
    return make_award(
        organisation=world.organisation, pot=pot, amount="20000", by=world.users[Role.COMMISSIONING_OFFICER]
    )


def people(world):
    return (
        world.users[Role.PROVIDER],
        world.users[Role.COMMISSIONING_OFFICER],
        world.users[Role.HEAD_OF_COMMISSIONING],
        world.users[Role.PCC],
    )


def ask(grant, by, **change):
    change.setdefault("reason", "More families referred than planned")
    return variation_services.start_variation(award=grant, by=by, **change)


def balances(award: Award) -> None:
    """The ledger's invariants for one award, to the penny: its profile and its schedule each add up to its amount,
    and no pot is committed beyond what it was allocated."""
    award.refresh_from_db()
    profile = AwardYear.objects.filter(award=award).aggregate(total=Sum("amount"))["total"]
    schedule = PaymentScheduleLine.objects.filter(award=award).aggregate(total=Sum("amount"))["total"]
    assert profile == award.amount
    assert schedule == award.amount
    for award_year in AwardYear.objects.filter(award=award).select_related("pot"):
        assert ledger.committed_in_pot(award_year.pot) <= award_year.pot.allocated


def test_a_variation_above_the_officers_limit_waits_for_the_head_then_the_provider_accepts_the_letter(
    world, grant, pot
):
    provider, officer, head, _pcc = people(world)
    variation = ask(grant, provider, new_amount=D("30000.50"), new_end_date=date(2027, 2, 28))
    assert variation.status == Variation.Status.REQUESTED
    # The head is told (the lowest level that covers £30,000.50); the officer's authority stops at £25,000.
    waiting = OutboxMessage.objects.filter(template_key="variation-waiting")
    assert [m.to_email for m in waiting] == [head.email]
    with pytest.raises(PermissionDenied, match="decided by the head of commissioning"):
        variation_services.decide_variation(
            variation=variation,
            by=officer,
            decision="approve",
            note="Fine",
            accept_by=date.today() + timedelta(days=20),
        )
    variation.refresh_from_db()
    assert variation.status == Variation.Status.REQUESTED

    variation = variation_services.decide_variation(
        variation=variation,
        by=head,
        decision="approve",
        note="The referrals justify it",
        accept_by=date.today() + timedelta(days=20),
    )
    assert variation.status == Variation.Status.LETTER_SENT
    letter = variation.letter
    with letter.file.open("rb") as stored:
        data = stored.read()
    assert letter.sha256 == hashlib.sha256(data).hexdigest()
    text = _text(data)
    assert "£30,000.50" in text and "28 February 2027" in text and variation.reference in text
    assert OutboxMessage.objects.filter(
        template_key="variation-letter-ready", to_email=provider.email
    ).exists()
    # Nothing has changed yet: the award follows only the provider's acceptance.
    grant.refresh_from_db()
    assert grant.amount == D("20000") and grant.end_date == date(2027, 3, 31)

    variation = variation_services.accept_variation(
        variation=variation, by=provider, name="Ann Provider", role="Director", confirmed=True
    )
    assert variation.status == Variation.Status.ACCEPTED
    grant.refresh_from_db()
    assert grant.amount == D("30000.50") and grant.end_date == date(2027, 2, 28)
    balances(grant)
    assert ledger.committed_in_pot(pot) == D("30000.50")
    assert not PaymentScheduleLine.objects.filter(award=grant, due_date__gt=date(2027, 2, 28)).exists()
    with variation.accepted_letter.file.open("rb") as stored:
        assert "Accepted online" in _text(stored.read())
    steps = [entry.transition for entry in timeline_for(grant)]
    for step in (
        "variation_requested",
        "variation_approved",
        "variation_letter_sent",
        "vary",
        "variation_accepted",
    ):
        assert step in steps
    assert [e.transition for e in timeline_for(variation)][::-1] == [
        "request",
        "approve",
        "send_letter",
        "accept",
    ]


def test_a_reduction_releases_only_unpaid_money_and_returns_it_to_the_pot(world, grant, pot):
    provider, officer, _head, _pcc = people(world)
    line = grant.schedule.first()
    award_services.record_payment(
        award=grant,
        amount=D("5000"),
        paid_on=line.due_date,
        by=world.users[Role.FINANCE_OFFICER],
        schedule_line=line,
    )
    variation = ask(grant, officer, new_amount=D("12500.25"))
    assert variation.status == Variation.Status.PROPOSED
    variation_services.decide_variation(
        variation=variation, by=officer, decision="approve", note="Less needed", accept_by=date.today()
    )
    variation_services.accept_variation(
        variation=Variation.objects.get(pk=variation.pk),
        by=provider,
        name="Ann",
        role="Director",
        confirmed=True,
    )
    grant.refresh_from_db()
    assert grant.amount == D("12500.25")
    balances(grant)
    assert ledger.committed_in_pot(pot) == D("12500.25")
    assert ledger.paid_on_award(grant) == D("5000")


def test_the_pcc_decides_the_largest_with_a_decision_record(world, grant):
    provider, _officer, head, pcc = people(world)
    variation = ask(grant, provider, new_amount=D("150000"))
    assert [m.to_email for m in OutboxMessage.objects.filter(template_key="variation-waiting")] == [pcc.email]
    with pytest.raises(PermissionDenied):
        variation_services.decide_variation(
            variation=variation, by=head, decision="approve", note="Yes", accept_by=date.today()
        )
    with pytest.raises(ValidationError) as error:
        variation_services.decide_variation(
            variation=variation, by=pcc, decision="approve", note="Yes", accept_by=date.today()
        )
    assert error.value.message_dict == {"decision_record": ["Enter the PCC decision record reference"]}
    variation = variation_services.decide_variation(
        variation=variation,
        by=pcc,
        decision="approve",
        note="Yes",
        decision_record="PCC/2026/77",
        accept_by=date.today(),
    )
    assert variation.status == Variation.Status.LETTER_SENT and variation.decision_record == "PCC/2026/77"


def test_a_refusal_tells_the_provider_and_leaves_the_award_alone(client, world, grant):
    provider, officer, _head, _pcc = people(world)
    variation = ask(grant, provider, new_purpose="Also support for older victims")
    variation = variation_services.decide_variation(
        variation=variation, by=officer, decision="refuse", note="Outside the scheme's priorities"
    )
    assert variation.status == Variation.Status.REFUSED and variation.letter is None
    told = OutboxMessage.objects.get(template_key="variation-refused", to_email=provider.email)
    assert "Outside the scheme's priorities" in told.body
    grant.refresh_from_db()
    assert grant.purpose == "To test"
    assert "variation_refused" in [e.transition for e in timeline_for(grant)]
    # Refused is the end: it cannot be approved afterwards.
    sign_in(client, officer)
    response = client.get(reverse("grants:variation-decide", args=[variation.pk]))
    assert response.status_code == 302
    with pytest.raises(TransitionNotAllowed):
        variation_services.decide_variation(
            variation=variation, by=officer, decision="approve", note="On reflection"
        )


def test_purpose_and_conditions_change_on_acceptance(world, grant):
    provider, officer, _head, _pcc = people(world)
    variation = ask(
        grant, officer, new_purpose="Sanctuary and outreach", new_conditions="Quarterly case review"
    )
    variation_services.decide_variation(
        variation=variation, by=officer, decision="approve", note="Agreed", accept_by=date.today()
    )
    variation_services.accept_variation(
        variation=Variation.objects.get(pk=variation.pk),
        by=provider,
        name="Ann",
        role="Director",
        confirmed=True,
    )
    grant.refresh_from_db()
    assert grant.purpose == "Sanctuary and outreach"
    balances(grant)
    # Afterwards the variation still says what the grant was before it.
    assert variation_letters.changes(Variation.objects.get(pk=variation.pk)) == [
        ("Purpose", "To test", "Sanctuary and outreach"),
        ("Conditions", "", "Quarterly case review"),
    ]


def test_only_the_pcc_is_asked_for_a_decision_record(client, world, grant):
    provider, officer, _head, pcc = people(world)
    small = ask(grant, provider, new_amount=D("21000"))
    sign_in(client, officer)
    assert (
        "decision_record"
        not in client.get(reverse("grants:variation-decide", args=[small.pk])).content.decode()
    )
    variation_services.withdraw_variation(variation=small, by=provider, note="Asked again for more")
    large = ask(grant, provider, new_amount=D("120000"))
    sign_in(client, pcc)
    url = reverse("grants:variation-decide", args=[large.pk])
    assert "PCC decision record reference" in client.get(url).content.decode()
    response = client.post(url, {"decision": "approve", "note": "", **_date("accept_by", date.today())})
    found = summary(response.content.decode())
    assert (
        "Enter the reasons for the decision" in found and "Enter the PCC decision record reference" in found
    )
    large.refresh_from_db()
    assert large.status == Variation.Status.REQUESTED


def test_bad_input_is_refused_all_at_once_and_nothing_is_saved(client, world, grant):
    provider = world.users[Role.PROVIDER]
    line = grant.schedule.first()
    award_services.record_payment(
        award=grant,
        amount=D("5000"),
        paid_on=date(2026, 6, 1),
        by=world.users[Role.FINANCE_OFFICER],
        schedule_line=line,
    )
    sign_in(client, provider)
    url = reverse("grants:variation-new", args=[grant.pk])
    response = client.post(
        url, {"new_amount": "4999.99", **_date("new_end_date", date(2026, 3, 1)), "reason": " "}
    )
    assert response.status_code == 200
    found = summary(response.content.decode())
    assert "The new total amount cannot be less than the £5,000.00 already paid" in found
    assert "The new end date must be on or after the grant's start date, 1 April 2026" in found
    assert "Enter the reason for the variation" in found
    response = client.post(url, {**_date("new_end_date", date(2026, 5, 1)), "reason": "Delay"})
    assert "The new end date cannot be before the last payment, made on 1 June 2026" in summary(
        response.content.decode()
    )
    response = client.post(url, {"reason": "Nothing really"})
    assert "Enter at least one change" in summary(response.content.decode())
    response = client.post(url, {"new_amount": "-5", "reason": "x"})
    assert "The new total amount cannot be negative" in summary(response.content.decode())
    assert not Variation.objects.exists()


def test_a_letter_accepted_after_its_deadline_is_refused(client, world, grant):
    provider, officer, _head, _pcc = people(world)
    variation = ask(grant, provider, new_amount=D("21000"))
    variation_services.decide_variation(
        variation=variation, by=officer, decision="approve", note="Ok", accept_by=date.today()
    )
    Variation.objects.filter(pk=variation.pk).update(accept_by=date.today() - timedelta(days=1))
    sign_in(client, provider)
    response = client.post(
        reverse("grants:variation-accept", args=[variation.pk]), {"name": "", "role": "Director"}
    )
    found = summary(response.content.decode())
    assert "it has lapsed" in found and "Enter your full name" in found and "Confirm that you accept" in found
    variation.refresh_from_db()
    grant.refresh_from_db()
    assert variation.status == Variation.Status.LETTER_SENT and grant.amount == D("20000")
    assert variation_services.lapse_overdue_variations() == 1
    assert variation_services.lapse_overdue_variations() == 0
    variation.refresh_from_db()
    assert variation.status == Variation.Status.LAPSED


def test_one_variation_at_a_time_and_the_provider_may_withdraw_its_own(world, grant):
    provider, officer, _head, _pcc = people(world)
    first = ask(grant, provider, new_amount=D("21000"))
    with pytest.raises(ValidationError, match="still in progress"):
        ask(grant, officer, new_amount=D("22000"))
    variation_services.withdraw_variation(variation=first, by=provider, note="No longer needed")
    assert ask(grant, officer, new_amount=D("22000")).status == Variation.Status.PROPOSED


def test_another_organisations_provider_gets_404_on_every_variation_url(client, world, grant):
    provider, officer, _head, _pcc = people(world)
    variation = ask(grant, provider, new_amount=D("21000"))
    variation_services.decide_variation(
        variation=variation, by=officer, decision="approve", note="Ok", accept_by=date.today()
    )
    sign_in(client, world.other_provider)
    urls = [
        reverse("grants:award-variations", args=[grant.pk]),
        reverse("grants:variation-new", args=[grant.pk]),
    ] + [
        reverse(name, args=[variation.pk])
        for name in (
            "grants:variation",
            "grants:variation-decide",
            "grants:variation-letter",
            "grants:variation-accept",
            "grants:variation-withdraw",
        )
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
        assert (
            client.post(
                url, {"name": "X", "role": "Y", "confirmed": "on", "reason": "x", "new_amount": "1"}
            ).status_code
            == 404
        ), url
    variation.refresh_from_db()
    assert variation.status == Variation.Status.LETTER_SENT
    assert Variation.objects.count() == 1


def test_script_in_the_reason_is_shown_as_text_on_the_page_and_in_the_letter(client, world, grant):
    provider, officer, _head, _pcc = people(world)
    variation = ask(
        grant, provider, new_amount=D("21000"), reason="<script>alert('x')</script> more referrals"
    )
    variation = variation_services.decide_variation(
        variation=variation, by=officer, decision="approve", note="Ok", accept_by=date.today()
    )
    sign_in(client, officer)
    body = client.get(reverse("grants:variation", args=[variation.pk])).content.decode()
    assert "<script>alert(" not in body and "&lt;script&gt;alert(" in body
    with variation.letter.file.open("rb") as stored:
        assert "<script>alert('x')</script> more referrals" in _text(stored.read())


def test_the_provider_journey_through_the_pages(client, world, grant):
    provider, officer, _head, _pcc = people(world)
    sign_in(client, provider)
    award_page = client.get(reverse("funding:award", args=[grant.pk])).content.decode()
    assert reverse("grants:award-variations", args=[grant.pk]) in award_page
    response = client.post(
        reverse("grants:variation-new", args=[grant.pk]), {"new_amount": "22,000", "reason": "More referrals"}
    )
    variation = Variation.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "grants:variation", args=[variation.pk]
    )
    sign_in(client, officer)
    response = client.post(
        reverse("grants:variation-decide", args=[variation.pk]),
        {"decision": "approve", "note": "Agreed", **_date("accept_by", date.today() + timedelta(days=10))},
    )
    assert response.status_code == 302
    sign_in(client, provider)
    response = client.post(
        reverse("grants:variation-accept", args=[variation.pk]),
        {"name": "Ann", "role": "Director", "confirmed": "on"},
    )
    assert response.status_code == 302
    grant.refresh_from_db()
    assert grant.amount == D("22000")
    letter = client.get(reverse("grants:variation-letter", args=[variation.pk]))
    assert letter["Content-Type"] == "application/pdf" and "£22,000.00" in _text(letter.content)


def test_a_variation_waits_in_the_list_of_the_person_it_falls_to(client, world, grant):
    provider, officer, head, _pcc = people(world)
    variation = ask(grant, provider, new_amount=D("40000"))
    sign_in(client, officer)
    assert reverse("grants:variations") in client.get(reverse("grants:index")).content.decode()
    assert variation.reference not in client.get(reverse("grants:variations")).content.decode()
    body = client.get(reverse("grants:variation", args=[variation.pk])).content.decode()
    assert "decided by the head of commissioning" in body and "Decide the variation" not in body
    assert client.get(reverse("grants:variation-decide", args=[variation.pk])).status_code == 403
    sign_in(client, head)
    assert variation.reference in client.get(reverse("grants:variations")).content.decode()
    assert (
        "Decide the variation"
        in client.get(reverse("grants:variation", args=[variation.pk])).content.decode()
    )


def test_a_payment_made_after_the_letter_can_stop_the_acceptance(world, grant):
    provider, officer, _head, _pcc = people(world)
    variation = ask(grant, officer, new_amount=D("3000"))
    variation_services.decide_variation(
        variation=variation, by=officer, decision="approve", note="Less needed", accept_by=date.today()
    )
    line = grant.schedule.first()
    award_services.record_payment(
        award=grant,
        amount=D("4000"),
        paid_on=line.due_date,
        by=world.users[Role.FINANCE_OFFICER],
        schedule_line=line,
    )
    with pytest.raises(ValidationError, match="cannot be less than the £4,000.00 already paid"):
        variation_services.accept_variation(
            variation=Variation.objects.get(pk=variation.pk),
            by=provider,
            name="Ann",
            role="Director",
            confirmed=True,
        )
    grant.refresh_from_db()
    assert grant.amount == D("20000")
    assert Variation.objects.get(pk=variation.pk).status == Variation.Status.LETTER_SENT
    balances(grant)
