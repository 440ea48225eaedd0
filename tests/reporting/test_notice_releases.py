"""Every notice kind built at the start of a procurement is a valid OCDS 1.1.5 release, drafted and published."""

from datetime import date

import pytest

from commissioning.models import Notice, NoticeKind
from commissioning.services import commissions as commission_services
from commissioning.services import notices as notice_services
from reporting.opendata import notices as releases
from tests.commissioning import act_factories as act
from tests.commissioning import factories as f

TAGS = {
    NoticeKind.PRELIMINARY_MARKET_ENGAGEMENT: (["planning"], "planning", "marketEngagementNotice", "UK2"),
    NoticeKind.PLANNED_PROCUREMENT: (["planning"], "planning", "plannedProcurementNotice", "UK3"),
    NoticeKind.TENDER: (["tender"], "tender", "tenderNotice", "UK4"),
    NoticeKind.BELOW_THRESHOLD_TENDER: (["tender"], "tender", "tenderNotice", "UK4"),
    NoticeKind.PROCUREMENT_TERMINATION: (
        ["tenderCancellation"],
        "tender",
        "tenderCancellationNotice",
        "UK12",
    ),
}


@pytest.fixture
def every_kind(world):
    officer = f.officer_of(world)
    c, procurement = f.regulated_tender(world)
    notice_services.prepare_planned_procurement(commission=c, procurement=procurement, by=officer)
    f.tender_ready_for_scoring(world)  # the tender route at £150,000: a below-threshold tender notice
    notice_services.record_publication(
        # The market engagement notice published first, as the tender notice asks.
        notice=act.complete_for_publication(world, procurement.notices.get(kind=NoticeKind.TENDER)),
        identifier="011111-2026",
        published_on=date(2026, 7, 1),
        by=officer,
    )
    commission_services.transition(commission=c, name="withdraw", by=officer, note="Funding withdrawn")
    return officer


@pytest.mark.parametrize("kind", list(TAGS))
def test_each_kind_is_a_valid_release_with_its_tag_and_notice_type(world, every_kind, kind):
    notice = Notice.objects.get(kind=kind)
    release = releases.release(notice)
    assert releases.problems(release) == []
    assert releases.package_problems(releases.package(notice, release)) == []
    tag, section, document_type, form = TAGS[kind]
    assert release["tag"] == tag and release["ocid"].startswith("ocds-")
    document = release[section]["documents"][-1]
    assert (document["documentType"], document["noticeType"]) == (document_type, form)


@pytest.mark.parametrize("kind", [NoticeKind.PROCUREMENT_TERMINATION, NoticeKind.BELOW_THRESHOLD_TENDER])
def test_a_published_notice_keeps_the_release_it_was_published_as(world, every_kind, kind):
    notice = notice_services.record_publication(
        notice=Notice.objects.get(kind=kind),
        identifier="022222-2026",
        published_on=date(2026, 8, 1),
        by=every_kind,
    )
    release = notice.published_release
    assert releases.problems(release) == []
    assert release["id"] == "022222-2026" and release["date"] == "2026-08-01T00:00:00Z"
    assert (
        release[TAGS[kind][1]]["documents"][-1]["url"]
        == "https://www.find-tender.service.gov.uk/Notice/022222-2026"
    )
