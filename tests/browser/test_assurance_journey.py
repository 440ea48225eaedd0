"""A provider uploads its safeguarding policy and insurance, an officer verifies them and the offer goes out; the
insurance lapses and finance's next payment is refused until it is renewed and verified."""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from funding.models import Payment
from opcc.models import Evidence, Role
from tests.browser.conftest import assert_is_accessible, screenshot, sign_in_through_the_page
from tests.conftest import build_world
from tests.factories import PASSWORD
from tests.funding.factories import award as make_award
from tests.grants.factories import approved, cgs_round

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
INVOICE_DATE = re.compile(r"^Date the invoice")


@pytest.fixture
def journey(transactional_db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    world = build_world()
    provider, officer = world.users[Role.PROVIDER], world.users[Role.COMMISSIONING_OFFICER]
    # Nothing on file yet for the two documents: the offer could not go out.
    Evidence.objects.filter(organisation=world.organisation, kind__in=["safeguarding", "insurance"]).delete()
    round_ = cgs_round()
    world.application = approved(round_, provider, officer, amount="12000")
    world.award = make_award(
        organisation=world.organisation, pot=round_.pot, amount="20000", title="Outreach"
    )
    return world


def check(page, axe, name):
    assert_is_accessible(page, axe)
    screenshot(page, name)
    width = page.viewport_size
    page.set_viewport_size({"width": 375, "height": 800})
    screenshot(page, f"{name}-375")
    page.set_viewport_size(width)


def fill_date(page, field, day):
    page.locator(f"#id_{field}_0").fill(str(day.day))
    page.locator(f"#id_{field}_1").fill(str(day.month))
    page.locator(f"#id_{field}_2").fill(str(day.year))


def upload(page, tmp_path, label, name, expires):
    path = tmp_path / name
    path.write_bytes(PDF)
    page.get_by_role("link", name=f"Upload {label}").click()
    page.get_by_label("Upload the document").set_input_files(str(path))
    fill_date(page, "expires_on", expires)
    page.get_by_role("button", name="Send to the office").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("sent to the office")


def verify(page, label):
    page.get_by_role("link", name=f"Verify {label}").click()
    page.get_by_role("button", name="Verify").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("has been verified")


def pay(page, base, award, today):
    page.goto(f"{base}/funding/awards/{award.pk}/payments/new/")
    page.get_by_role("radio").first.check()  # the first scheduled payment, due since April
    page.get_by_label("Amount").fill("100")
    for fieldset in (
        page.get_by_role("group", name="Date paid"),
        page.get_by_role("group", name=INVOICE_DATE),
    ):
        fieldset.get_by_label("Day").fill(str(today.day))
        fieldset.get_by_label("Month").fill(str(today.month))
        fieldset.get_by_label("Year").fill(str(today.year))
    page.get_by_role("button", name="Record the payment").click()


def test_due_diligence_before_an_offer_and_a_payment(page, live_server, journey, axe, tmp_path):
    from django.utils import timezone

    base, org = live_server.url, journey.organisation
    today = timezone.localdate()
    dd_url = f"{base}/organisations/{org.pk}/due-diligence/"

    # The provider uploads its safeguarding policy and insurance in its portal.
    sign_in_through_the_page(page, base, "provider@example.org", PASSWORD)
    page.goto(dd_url)
    expect(page.locator("#check-safeguarding .govuk-tag")).to_have_text("Missing")
    check(page, axe, "assurance-provider-missing")
    upload(page, tmp_path, "safeguarding policy", "safeguarding.pdf", today + timedelta(days=300))
    page.get_by_role("link", name="Upload insurance").click()
    check(page, axe, "assurance-upload")
    page.go_back()
    upload(page, tmp_path, "insurance", "insurance.pdf", today + timedelta(days=200))
    expect(page.locator("#check-insurance .govuk-tag")).to_have_text("Awaiting verification")
    page.get_by_role("button", name="Sign out").click()

    # The officer sees the offer refused, verifies both documents, and the offer goes out.
    sign_in_through_the_page(page, base, "officer@example.org", PASSWORD)
    page.goto(f"{base}/grants/applications/{journey.application.pk}/offer/")
    expect(page.locator("[data-risk-rating]")).to_contain_text("High risk")
    page.get_by_label("In advance").check()
    page.get_by_role("button", name="Make the offer").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Safeguarding policy: awaiting verification")
    check(page, axe, "assurance-offer-refused")
    page.goto(dd_url)
    verify(page, "safeguarding policy")
    verify(page, "insurance")
    expect(page.locator("#check-insurance .govuk-tag")).to_have_text("Verified")
    check(page, axe, "assurance-verified")
    page.goto(f"{base}/grants/applications/{journey.application.pk}/offer/")
    expect(page.locator("[data-risk-rating]")).to_contain_text("Low risk")
    page.get_by_label("In advance").check()
    page.get_by_role("button", name="Make the offer").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("committed")
    page.get_by_role("button", name="Sign out").click()

    # Months later the insurance has lapsed: finance's next payment on the £20,000 award (the standard band asks for
    # insurance) is refused, naming it.
    Evidence.objects.filter(organisation=org, kind="insurance").update(expires_on=today - timedelta(days=1))
    sign_in_through_the_page(page, base, "finance@example.org", PASSWORD)
    pay(page, base, journey.award, today)
    expect(page.locator(".govuk-error-summary")).to_contain_text("Insurance: expired on")
    check(page, axe, "assurance-payment-refused")
    assert not Payment.objects.filter(award=journey.award).exists()
    page.get_by_role("button", name="Sign out").click()

    # The provider sends the renewed certificate, the officer verifies it, and the payment goes through.
    sign_in_through_the_page(page, base, "provider@example.org", PASSWORD)
    page.goto(dd_url)
    expect(page.locator("#check-insurance .govuk-tag")).to_have_text("Expired")
    upload(page, tmp_path, "insurance", "insurance-2027.pdf", today + timedelta(days=365))
    page.get_by_role("button", name="Sign out").click()
    sign_in_through_the_page(page, base, "officer@example.org", PASSWORD)
    page.goto(dd_url)
    verify(page, "insurance")
    page.get_by_role("button", name="Sign out").click()
    sign_in_through_the_page(page, base, "finance@example.org", PASSWORD)
    pay(page, base, journey.award, today)
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("has been recorded")
    assert Payment.objects.filter(award=journey.award).count() == 1
