"""Demo due diligence: the demo's organisations were cleared before their awards; one has insurance about to lapse,
and one new group has sent a policy and nothing else, so the officers' list and the pages are not empty."""

from datetime import date, timedelta

from django.utils import timezone

from opcc.models import Evidence, Organisation, OrganisationType, Register, RegisterImport
from opcc.services import documents, registers
from opcc.services.assurance import record_cleared

EXPIRING = "Shropshire Victims First (demo)"
MISSING = "Teme Valley Youth Project (demo)"
DEMO_NOTE = "Demo: checked and verified by the office before its first award"
# The charity table of the Charity Commission's register extract, as published (tab-separated), cut down to the
# columns the import reads and a few more.
CHARITY_HEADER = [
    "date_of_extract",
    "organisation_number",
    "registered_charity_number",
    "linked_charity_number",
    "charity_name",
    "charity_type",
    "charity_registration_status",
    "date_of_registration",
    "date_of_removal",
    "charity_reporting_status",
    "latest_acc_fin_period_start_date",
    "latest_acc_fin_period_end_date",
    "latest_income",
    "latest_expenditure",
]


def clear_demo_organisation(organisation: Organisation, today: date) -> None:
    """Cleared for a year from the demo's today, once (running the demo again changes nothing)."""
    if organisation.name == MISSING or Evidence.objects.filter(organisation=organisation).exists():
        return
    record_cleared(organisation, expires_on=today + timedelta(days=330), note=DEMO_NOTE)


def charity_extract(today: date) -> bytes:
    lines = ["\t".join(CHARITY_HEADER)]
    for i, org in enumerate(Organisation.objects.exclude(charity_number="").order_by("pk")):
        income = 180000 + 37000 * i
        lines.append(
            "\t".join(
                [
                    f"{today:%Y-%m-%d} 00:00:00",
                    str(5000000 + org.pk),
                    org.charity_number,
                    "0",
                    org.name.upper(),
                    "Other",
                    "Registered",
                    "2005-04-01 00:00:00",
                    "",
                    "Submission Received",
                    f"{today.year - 2}-04-01 00:00:00",
                    f"{today.year - 1}-03-31 00:00:00",
                    f"{income}.00",
                    f"{income - 9000}.00",
                ]
            )
        )
    return ("\n".join(lines) + "\n").encode()


def load(today: date) -> None:
    for organisation in Organisation.objects.all():
        clear_demo_organisation(organisation, today)
    expiring = Organisation.objects.filter(name=EXPIRING).first()
    if expiring is not None:
        Evidence.objects.filter(organisation=expiring, kind="insurance", note=DEMO_NOTE).update(
            expires_on=today + timedelta(days=18)
        )
    group, _ = Organisation.objects.get_or_create(
        name=MISSING,
        defaults={
            "org_type": OrganisationType.UNREGISTERED,
            "address_line_1": "The Old School, Teme Street",
            "town": "Tenbury Wells",
            "postcode": "WR15 8AA",
            "email": "hello@temevalleyyouth.example",
        },
    )
    if not Evidence.objects.filter(organisation=group).exists():
        # It has sent its safeguarding policy, waiting for an officer; nothing else yet.
        document = documents.store_bytes(
            data=b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n",
            kind=documents.PDF,
            original_name="safeguarding-policy.pdf",
            attached_to=group,
            purpose="due-diligence-safeguarding",
            title=f"Safeguarding policy for {group.name}",
        )
        Evidence.objects.create(
            organisation=group,
            kind="safeguarding",
            document=document,
            expires_on=today + timedelta(days=365),
            submitted_at=timezone.now(),
        )
    if not RegisterImport.objects.filter(register=Register.CHARITY).exists():
        registers.import_register(
            register=Register.CHARITY, data=charity_extract(today), name="publicextract.charity.txt", by=None
        )
