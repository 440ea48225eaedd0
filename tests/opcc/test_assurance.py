"""Due diligence: the checklist by value band, evidence and its expiry, bank details kept masked, the registers, and
offers and payments refused while anything is missing."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from funding.services import awards
from opcc import assurance
from opcc.models import BankAccount, CheckKind, Evidence, OrganisationType, Register, RegisterEntry, Role
from opcc.services import assurance as services
from opcc.services import registers
from tests.conftest import sign_in
from tests.factories import OrganisationFactory, ProviderFactory, UserFactory
from tests.funding.factories import PotFactory, approved_year
from tests.funding.factories import award as make_award
from tests.grants.factories import approved, cgs_round, roles

D = Decimal
PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\n%%EOF\n"
ACCOUNT = "12345678"


def pdf(name="policy.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def officer(email="dd-officer@example.org"):
    return UserFactory(role=Role.COMMISSIONING_OFFICER, email=email)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "value, band, kinds",
    [
        ("5000", "Light", {"registration", "safeguarding", "bank_details"}),
        (
            "50000",
            "Standard",
            {"registration", "safeguarding", "bank_details", "accounts", "insurance", "data_sharing"},
        ),
        ("250000", "Enhanced", set(CheckKind.values)),
    ],
)
def test_the_checklist_at_each_value_band(value, band, kinds):
    organisation = OrganisationFactory(cleared=False)
    clearance = assurance.organisation_cleared(organisation, D(value))
    assert clearance.band.name == band
    assert {i.kind for i in clearance.missing} == kinds
    assert not clearance
    assert assurance.risk_rating(clearance).level == "high"


@pytest.mark.django_db
def test_dbs_checks_are_asked_of_victim_services_at_any_value_and_not_of_public_bodies():
    charity = OrganisationFactory(cleared=False)
    council = OrganisationFactory(cleared=False, org_type=OrganisationType.PUBLIC_BODY, charity_number="")
    assert "dbs" in {
        i.kind for i in assurance.organisation_cleared(charity, D("500"), stream="victim_services").missing
    }
    assert "dbs" not in {
        i.kind for i in assurance.organisation_cleared(charity, D("500"), stream="cgs").missing
    }
    assert {i.kind for i in assurance.organisation_cleared(council, D("250000")).missing} == {
        "bank_details",
        "data_sharing",
    }


@pytest.mark.django_db
def test_a_cleared_organisation_is_low_risk_and_the_top_band_medium():
    organisation = OrganisationFactory()
    assert assurance.organisation_cleared(organisation, D("5000"))
    assert assurance.risk_rating(assurance.organisation_cleared(organisation, D("5000"))).level == "low"
    assert assurance.risk_rating(assurance.organisation_cleared(organisation, D("500000"))).level == "medium"


@pytest.mark.django_db
def test_evidence_counts_once_verified_and_an_expiry_in_the_past_is_refused(world):
    provider, staff = roles(world)
    organisation = world.organisation
    Evidence.objects.filter(organisation=organisation, kind="insurance").delete()
    with pytest.raises(ValidationError) as refused:
        services.submit_evidence(
            organisation=organisation,
            kind="insurance",
            by=provider,
            uploaded=pdf(),
            expires_on=timezone.localdate() - timedelta(days=1),
        )
    assert "today or in the future" in str(refused.value)
    assert not Evidence.objects.filter(organisation=organisation, kind="insurance").exists()
    evidence = services.submit_evidence(
        organisation=organisation,
        kind="insurance",
        by=provider,
        uploaded=pdf("insurance.pdf"),
        expires_on=timezone.localdate() + timedelta(days=200),
    )
    states = {s.kind: s for s in assurance.item_states(organisation)}
    assert states["insurance"].status == assurance.Status.AWAITING
    services.verify_evidence(evidence=evidence, by=staff)
    states = {s.kind: s for s in assurance.item_states(organisation)}
    assert states["insurance"].status == assurance.Status.VERIFIED


@pytest.mark.django_db
def test_evidence_of_the_wrong_type_is_refused_by_its_contents(world):
    provider, _ = roles(world)
    disguised = SimpleUploadedFile(
        "policy.pdf", b"<html><script>alert(1)</script></html>", content_type="application/pdf"
    )
    with pytest.raises(ValidationError) as refused:
        services.submit_evidence(
            organisation=world.organisation,
            kind="safeguarding",
            by=provider,
            uploaded=disguised,
            expires_on=timezone.localdate() + timedelta(days=30),
        )
    assert "file" in refused.value.message_dict
    assert "web page" in " ".join(refused.value.message_dict["file"])
    assert Evidence.objects.filter(organisation=world.organisation, document__isnull=False).count() == 0


def _expire(organisation, kind):
    Evidence.objects.filter(organisation=organisation, kind=kind).update(
        expires_on=timezone.localdate() - timedelta(days=1)
    )


@pytest.mark.django_db
def test_an_expired_item_blocks_an_offer_with_the_list_of_what_is_missing(world):
    from grants.services import offers

    provider, staff = roles(world)
    application = approved(cgs_round(), provider, staff, amount="12000")
    _expire(world.organisation, "insurance")
    with pytest.raises(ValidationError) as refused:
        offers.make_offer(
            application=application,
            by=staff,
            start_date=date(2027, 1, 1),
            end_date=date(2027, 3, 31),
            schedule_kind="instalments",
            accept_by=timezone.localdate() + timedelta(days=10),
        )
    assert "Insurance: expired on" in " ".join(refused.value.messages)
    application.refresh_from_db()
    assert application.status == "approved" and application.award_id is None


@pytest.mark.django_db
def test_an_expired_item_blocks_a_payment_until_renewed(world):
    provider, staff = roles(world)
    year = approved_year(2026)
    pot = PotFactory(year=year, key="cgs", allocated=D("50000"))
    award = make_award(organisation=world.organisation, pot=pot, amount="20000")
    _expire(world.organisation, "safeguarding")
    with pytest.raises(ValidationError) as refused:
        awards.record_payment(award=award, amount=D("100"), paid_on=date(2026, 5, 1), by=None)
    assert "Safeguarding policy: expired" in " ".join(refused.value.messages)
    renewal = services.submit_evidence(
        organisation=world.organisation,
        kind="safeguarding",
        by=provider,
        uploaded=pdf(),
        expires_on=timezone.localdate() + timedelta(days=365),
    )
    services.verify_evidence(evidence=renewal, by=staff)
    assert awards.record_payment(award=award, amount=D("100"), paid_on=date(2026, 5, 1), by=None).pk


@pytest.mark.django_db
def test_a_changed_bank_account_blocks_payment_until_someone_else_verifies_it(world):
    provider, staff = roles(world)
    year = approved_year(2026)
    pot = PotFactory(year=year, key="cgs", allocated=D("50000"))
    award = make_award(organisation=world.organisation, pot=pot, amount="20000")
    services.set_bank_details(
        organisation=world.organisation,
        by=staff,
        account_name="Marches Support",
        sort_code="30-94-57",
        account_number=ACCOUNT,
    )
    with pytest.raises(ValidationError) as refused:
        awards.record_payment(award=award, amount=D("100"), paid_on=date(2026, 5, 1), by=None)
    assert "Bank details verified: changed" in " ".join(refused.value.messages)
    with pytest.raises(ValidationError, match="another officer"):
        services.verify_bank_details(organisation=world.organisation, by=staff, note="Called them")
    services.verify_bank_details(
        organisation=world.organisation,
        by=world.users[Role.HEAD_OF_COMMISSIONING],
        note="Called the treasurer",
    )
    assert awards.record_payment(award=award, amount=D("100"), paid_on=date(2026, 5, 1), by=None).pk
    account = BankAccount.objects.get(organisation=world.organisation, replaced_at__isnull=True)
    assert account.account_last4 == "5678" and ACCOUNT not in account.account_number_hash
    assert BankAccount.objects.filter(organisation=world.organisation).count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize("number", ["1234567", "123456789", "1234567a"])
def test_an_account_number_of_the_wrong_length_is_refused(world, number):
    _, staff = roles(world)
    with pytest.raises(ValidationError) as refused:
        services.set_bank_details(
            organisation=world.organisation,
            by=staff,
            account_name="X",
            sort_code="309457",
            account_number=number,
        )
    assert "8 digits" in refused.value.message_dict["account_number"][0]
    with pytest.raises(ValidationError) as refused:
        services.set_bank_details(
            organisation=world.organisation,
            by=staff,
            account_name="X",
            sort_code="3094",
            account_number=ACCOUNT,
        )
    assert "6 digits" in refused.value.message_dict["sort_code"][0]


@pytest.mark.django_db
def test_the_bank_number_is_never_in_the_pages_or_the_admin(client, world):
    provider, staff = roles(world)
    sign_in(client, provider)
    response = client.post(
        reverse("organisations:bank-details", args=[world.organisation.pk]),
        {"account_name": "Marches Support", "sort_code": "30-94-57", "account_number": ACCOUNT},
    )
    assert response.status_code == 302
    sign_in(client, staff)
    account = BankAccount.objects.get(organisation=world.organisation, replaced_at__isnull=True)
    for url in (
        reverse("organisations:due-diligence", args=[world.organisation.pk]),
        reverse("organisations:bank-verify", args=[world.organisation.pk]),
        reverse("organisations:due-diligence-list"),
        reverse("admin:opcc_bankaccount_changelist"),
        reverse("admin:opcc_bankaccount_change", args=[account.pk]),
    ):
        page = client.get(url)
        assert page.status_code == 200, url
        assert ACCOUNT not in page.content.decode(), url
    assert (
        "5678"
        in client.get(reverse("organisations:due-diligence", args=[world.organisation.pk])).content.decode()
    )


@pytest.mark.django_db
def test_another_organisations_people_get_404(client, world):
    sign_in(client, world.other_provider)
    for name, kwargs in (
        ("organisations:due-diligence", {}),
        ("organisations:bank-details", {}),
        ("organisations:evidence-upload", {"kind": "insurance"}),
    ):
        assert client.get(reverse(name, kwargs={"pk": world.organisation.pk, **kwargs})).status_code == 404


CHARITY_HEADER = (
    "date_of_extract\torganisation_number\tregistered_charity_number\tlinked_charity_number\tcharity_name\t"
    "charity_type\tcharity_registration_status\tdate_of_registration\tdate_of_removal\tcharity_reporting_status\t"
    "latest_acc_fin_period_start_date\tlatest_acc_fin_period_end_date\tlatest_income\tlatest_expenditure\n"
)


def charity_line(number, status="Registered", income="250000.00"):
    return (
        f"2026-12-01 00:00:00\t5{number}\t{number}\t0\tSOME CHARITY\tOther\t{status}\t2001-01-01 00:00:00\t\t"
        f"Submission Received\t2025-04-01 00:00:00\t2026-03-31 00:00:00\t{income}\t240000.00\n"
    )


@pytest.mark.django_db
def test_the_charity_register_is_imported_and_checked_against(world):
    _, staff = roles(world)
    number = world.organisation.charity_number
    Evidence.objects.filter(organisation=world.organisation, kind="registration").delete()
    data = (CHARITY_HEADER + charity_line(number) + charity_line("1999999")).encode()
    record = registers.import_register(
        register=Register.CHARITY, data=data, name="publicextract.charity.txt", by=staff
    )
    assert (record.rows_read, record.rows_kept) == (2, 1)
    entry = RegisterEntry.objects.get(number=number)
    assert entry.latest_income == D("250000.00") and entry.accounts_made_up_to == date(2026, 3, 31)
    evidence = services.record_register_check(organisation=world.organisation, by=staff)
    assert evidence.verified_at and "Registered" in evidence.note


@pytest.mark.django_db
def test_a_removed_charity_is_not_cleared(world):
    _, staff = roles(world)
    data = (CHARITY_HEADER + charity_line(world.organisation.charity_number, status="Removed")).encode()
    registers.import_register(register=Register.CHARITY, data=data, name="extract.txt", by=staff)
    with pytest.raises(ValidationError, match="Removed"):
        services.record_register_check(organisation=world.organisation, by=staff)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "register, text, line",
    [
        (Register.CHARITY, "name,number\nA,1\n", "line 1"),
        (Register.CHARITY, CHARITY_HEADER + "{ok}" + "2026\t1\t2\n", "line 3"),
        (
            Register.COMPANY,
            "CompanyName, CompanyNumber,CompanyStatus,IncorporationDate,Accounts.LastMadeUpDate\n"
            "A LTD,01234567,Active,01/01/2001,31/03/2026\nB LTD,NOT-A-NUMBER,Active,01/01/2001,\n",
            "line 3",
        ),
    ],
)
def test_a_register_file_of_the_wrong_shape_is_refused_naming_file_and_line(world, register, text, line):
    _, staff = roles(world)
    text = text.replace("{ok}", charity_line(world.organisation.charity_number))
    with pytest.raises(registers.RegisterFileError) as refused:
        registers.import_register(register=register, data=text.encode(), name="upload.txt", by=staff)
    assert f"upload.txt, {line}" in str(refused.value)
    assert not RegisterEntry.objects.exists()


@pytest.mark.django_db
def test_the_company_data_product_is_read_in_its_published_shape(world):
    _, staff = roles(world)
    company = OrganisationFactory(
        org_type=OrganisationType.COMPANY, charity_number="", company_number="01234567"
    )
    text = (
        "CompanyName, CompanyNumber,RegAddress.CareOf,CompanyStatus,IncorporationDate,Accounts.LastMadeUpDate\n"
        "ACME LTD,01234567,,Active,01/01/2001,31/03/2026\n"
    )
    registers.import_register(
        register=Register.COMPANY, data=text.encode(), name="BasicCompanyData.csv", by=staff
    )
    Evidence.objects.filter(organisation=company, kind="registration").delete()
    assert services.record_register_check(organisation=company, by=staff).verified_at


@pytest.mark.django_db
def test_expiring_items_are_chased_once(world):
    from opcc.models import OutboxMessage

    Evidence.objects.filter(organisation=world.organisation, kind="insurance").update(
        expires_on=timezone.localdate() + timedelta(days=10)
    )
    first = services.chase_expiring_items(today=timezone.localdate())
    again = services.chase_expiring_items(today=timezone.localdate())
    assert first >= 1 and again == 0
    assert OutboxMessage.objects.filter(template_key="due-diligence-soon").count() == first


@pytest.mark.django_db
def test_the_officers_list_shows_organisations_needing_attention_in_a_fixed_number_of_queries(
    client, world, django_assert_max_num_queries
):
    for i in range(3):
        OrganisationFactory(cleared=False, name=f"New group {i}")
    sign_in(client, world.users[Role.COMMISSIONING_OFFICER])
    url = reverse("organisations:due-diligence-list")
    with django_assert_max_num_queries(20) as few:
        page = client.get(url)
    assert "New group 0" in page.content.decode() and "Marches Support" not in page.content.decode()
    for i in range(3, 30):
        OrganisationFactory(cleared=False, name=f"New group {i}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


@pytest.mark.django_db
def test_a_provider_uploads_evidence_in_its_portal(client, world):
    provider = ProviderFactory(email="member@example.org", organisation=world.organisation)
    sign_in(client, provider)
    response = client.post(
        reverse("organisations:evidence-upload", args=[world.organisation.pk, "insurance"]),
        {"file": pdf("insurance.pdf"), "expires_on_0": "1", "expires_on_1": "1", "expires_on_2": "2020"},
    )
    assert response.status_code == 200
    assert "today or in the future" in response.content.decode()
    response = client.post(
        reverse("organisations:evidence-upload", args=[world.organisation.pk, "insurance"]),
        {"file": pdf("insurance.pdf"), "expires_on_0": "1", "expires_on_1": "1", "expires_on_2": "2099"},
    )
    assert response.status_code == 302
    assert Evidence.objects.filter(organisation=world.organisation, verified_at__isnull=True).count() == 1


@pytest.mark.django_db
def test_a_refused_bank_details_form_does_not_show_the_number_back(client, world):
    provider, _ = roles(world)
    sign_in(client, provider)
    response = client.post(
        reverse("organisations:bank-details", args=[world.organisation.pk]),
        {"account_name": "Marches Support", "sort_code": "3094", "account_number": ACCOUNT},
    )
    assert response.status_code == 200
    assert "Enter a sort code of 6 digits" in response.content.decode()
    assert ACCOUNT not in response.content.decode()
    assert not BankAccount.objects.filter(organisation=world.organisation, entered_by=provider).exists()
