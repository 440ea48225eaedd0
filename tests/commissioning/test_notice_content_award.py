"""The contract award notice (UK6) and contract details notice (UK7) builders (commissioning/notice_content/award.py):
the readable rows, the checklist, and their sections of a valid OCDS 1.1.5 release."""

from decimal import Decimal

from django.conf import settings

from commissioning.models import Notice, NoticeKind
from commissioning.notice_content import prepare
from commissioning.services import award as award_services
from reporting.opendata import ocds, schemas
from reporting.opendata.common import moment
from tests.commissioning import act_factories as act
from tests.commissioning import factories as f

D = Decimal


def _release(notice, prepared, tag) -> dict:
    """A minimal release around the notice's sections, as reporting packages them: the buyer and supplier parties,
    the identifiers and the tag."""
    procurement = notice.procurement
    supplier = ocds.supplier_party(procurement.decision.organisation)
    release = {
        "ocid": ocds.ocid_for_procurement(procurement),
        "id": f"{notice.form_code}-{notice.pk}",
        "date": moment(notice.triggered_on),
        "tag": [tag],
        "initiationType": "tender",
        "language": "en",
        "buyer": {"id": ocds.buyer_party()["id"], "name": ocds.buyer_party()["name"]},
        "parties": [ocds.buyer_party(), supplier],
        **prepared.release,
    }
    package = {
        "uri": "https://example.org/notices.json",
        "version": "1.1",
        "publishedDate": moment(notice.triggered_on),
        "publisher": {"name": settings.OFFICE_NAME},
        "releases": [release],
    }
    return package


def test_the_award_notice_lists_unsent_summaries_until_they_are_sent(world, regulated):
    c, _bids, winner = regulated
    notice = Notice.objects.get(kind=NoticeKind.CONTRACT_AWARD)
    prepared = prepare(notice)
    assert prepared.missing == [
        "Send the assessment summary to Bidder C",
        "Send the assessment summary to Marches Support",
        "Send the assessment summary to Shropshire Help",
    ]
    rows = dict(prepared.rows)
    assert rows["Supplier to be awarded the contract"] == "Bidder C"
    assert rows["Value of the contract (including VAT)"] == "£300,000.00"
    assert rows["Procedure"] == "Open procedure (competitive tender)"
    assert rows["Assessment summaries"] == "Sent to 0 of 3 assessed suppliers"
    act.send_summaries(world, c)
    assert prepare(notice).missing == []


def test_the_award_notice_is_a_valid_ocds_award_with_its_standstill(world, regulated):
    c, _bids, winner = regulated
    notice = act.publish_award_notice(world, c)
    prepared = prepare(notice)
    assert dict(prepared.rows)["Standstill period"] == (
        "From 16 November 2026 to 25 November 2026: the contract can be entered into from 26 November 2026"
    )
    award = prepared.release["awards"][0]
    assert award["status"] == "pending"
    assert award["suppliers"] == [{"id": winner.org_id, "name": "Bidder C"}]
    assert award["milestones"][0]["dueDate"] == "2026-11-25T00:00:00Z"
    package = _release(notice, prepared, "award")
    assert schemas.errors(schemas.contracts_validator(), package) == []


def test_the_details_notice_is_a_valid_ocds_contract_and_asks_for_kpis_only_when_the_law_does(
    world, regulated, pots
):
    c, _bids, _winner = regulated
    act.publish_award_notice(world, c)
    contract = act.award_contract(world, c, pots[2026])
    notice = Notice.objects.get(kind=NoticeKind.CONTRACT_DETAILS, contract=contract)
    prepared = prepare(notice)
    rows = dict(prepared.rows)
    assert rows["Key performance indicators"] == (
        "None: the contract is worth £5 million or less, so section 52 does not ask for them"
    )
    assert rows["Contract award notice"] == "012345-2026, published 16 November 2026"
    assert rows["Date entered into"] == "26 November 2026"
    assert "Conflicts assessment" in rows
    assert prepared.missing == []
    contract_section = prepared.release["contracts"][0]
    assert contract_section["dateSigned"] == "2026-11-26T00:00:00Z"
    assert schemas.errors(schemas.contracts_validator(), _release(notice, prepared, "contract")) == []
    award_services.save_kpis(
        contract=contract,
        rows=[("Referrals", "400 a year"), ("Support plans", "90%"), ("", "")],
        by=f.officer_of(world),
    )
    assert (
        dict(prepare(notice).rows)["Key performance indicators"]
        == "Referrals: 400 a year; Support plans: 90%"
    )


def test_a_contract_over_five_million_needs_three_kpis(world, pots):
    from commissioning import award as rules

    c, _bids, _winner = f.decided_regulated_tender(world, value=D("5000000.01"))
    assert rules.needs_kpis(c.procurements.get())
    c2, _b, _w = f.decided_regulated_tender(world, value=D("5000000"))
    assert not rules.needs_kpis(c2.procurements.get())
