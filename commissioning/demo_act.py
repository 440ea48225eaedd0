"""The demo's Procurement Act records: a version of the debarment list, the ISVA tender's conflicts assessment and
the exclusion checks of its bidders."""

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile

from commissioning import conflicts as reads
from commissioning import exclusions
from commissioning.services import conflicts as conflict_services
from commissioning.services import exclusions as exclusion_services

# Fictional suppliers: the published list's own entries are not copied here.
DEBARMENT_CSV = (
    "supplier_name,registration_number,cdp_identifier,ground_type,grounds,date_entered,end_date\n"
    "Northfield Care Solutions Ltd (demo),09876543,GB-PPON-PNCS-4821-QWRT,mandatory,"
    "Schedule 6: fraud (conviction of a director),2026-03-02,2031-03-01\n"
    "Brightpath Support Services (demo),,GB-PPON-PBSS-7310-LKMN,discretionary,"
    "Schedule 7: breach of contract and poor performance,2026-05-18,2031-05-17\n"
)
PPONS = ["GB-PPON-PWMR-1043-ASDF", "GB-PPON-PCSW-2291-GHJK", "GB-PPON-PSVF-5508-ZXCV"]


def import_debarment_list(*, head, today) -> None:
    exclusion_services.import_list(
        uploaded=SimpleUploadedFile("debarment-list.csv", DEBARMENT_CSV.encode()),
        list_date=today - timedelta(days=7),
        by=head,
    )


def assess_and_check(c, *, officer, today) -> None:
    """The procurement's conflicts assessment (everyone declares, no interest) and each supplier's exclusion
    check against the latest debarment list (not excluded)."""
    procurement = c.procurements.get()
    for user, _role in reads.decision_makers(procurement):
        conflict_services.declare(commission=c, user=user, interest=False, by=officer)
    conflict_services.confirm(commission=c, by=officer)
    for organisation, ppon in zip(exclusions.suppliers(procurement), PPONS, strict=False):
        exclusion_services.record_check(
            commission=c,
            organisation=organisation,
            by=officer,
            mandatory_considered=True,
            mandatory_notes="Not on the debarment list; the supplier's declaration and Companies House show no "
            "mandatory ground.",
            discretionary_considered=True,
            discretionary_notes="No poor performance, insolvency or misconduct found; references taken.",
            cdp_identifier=ppon,
            core_information_shared_on=today - timedelta(days=40),
            outcome="not_excluded",
        )
