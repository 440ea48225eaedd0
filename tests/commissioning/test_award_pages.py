"""The award page, the notice's publication form, the key performance indicators form and a supplier's own
assessment summaries in its portal (commissioning/views/award.py)."""

from django.urls import reverse

from commissioning.models import AssessmentSummary, Notice, NoticeKind
from commissioning.services import award as award_services
from opcc.models import Role
from opcc.testing import verified_client
from tests.commissioning import act_factories as act
from tests.commissioning import factories as f


def test_the_award_page_lists_each_summary_and_sends_one(world, regulated):
    c, bids, _winner = regulated
    client = verified_client(world.users[Role.COMMISSIONING_OFFICER])
    page = client.get(reverse("commissioning:award", args=[c.pk])).content.decode()
    assert "Assessment summaries" in page and "Marches Support" in page and "Bidder C" in page
    assert "Send the assessment summary to Marches Support" in page  # the notice's checklist
    assert "Nobody at Bidder C has an account: email them the PDF, then record it as sent" in page
    summary = AssessmentSummary.objects.get(bid=bids[0])
    response = client.post(reverse("commissioning:summary-send", args=[c.pk, summary.pk]), follow=True)
    assert "The assessment summary has been sent to Marches Support: 1 person is emailed a link" in (
        response.content.decode()
    )
    summary.refresh_from_db()
    assert summary.is_sent


def test_the_publication_form_shows_every_problem_at_once_and_saves_nothing(world, regulated):
    c, _bids, _winner = regulated
    act.send_summaries(world, c)
    client = verified_client(world.users[Role.COMMISSIONING_OFFICER])
    url = reverse("commissioning:award-notice", args=[c.pk])
    response = client.post(
        url,
        {"platform_identifier": "12345", "published_on_0": "", "published_on_1": "", "published_on_2": ""},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in page
    assert "six digits, a hyphen and the year" in page
    assert "Enter the date" in page
    assert Notice.objects.get(kind=NoticeKind.CONTRACT_AWARD).status == Notice.Status.DRAFT
    response = client.post(
        url,
        {
            "platform_identifier": "012345-2026",
            "published_on_0": "16",
            "published_on_1": "11",
            "published_on_2": "2026",
        },
        follow=True,
    )
    assert "The standstill ends on 25 November 2026" in response.content.decode()
    notice = Notice.objects.get(kind=NoticeKind.CONTRACT_AWARD)
    assert (
        notice.status == Notice.Status.PUBLISHED
        and notice.published_release["awards"][0]["status"] == "pending"
    )


def test_the_publication_form_is_closed_until_the_summaries_are_sent(world, regulated):
    c, _bids, _winner = regulated
    client = verified_client(world.users[Role.COMMISSIONING_OFFICER])
    page = client.get(reverse("commissioning:award-notice", args=[c.pk])).content.decode()
    assert "Send every assessment summary first" in page
    assert "Record the publication" not in page and "platform_identifier" not in page


def test_a_supplier_reads_its_own_summary_and_downloads_its_pdf(world, regulated):
    c, bids, _winner = regulated
    summary = AssessmentSummary.objects.get(bid=bids[0])  # world.organisation: Marches Support
    award_services.send_summary(summary=summary, by=f.officer_of(world))
    client = verified_client(world.users[Role.PROVIDER])
    listing = client.get(reverse("commissioning:my-summaries")).content.decode()
    assert "Perpetrator programme" in listing and "Not successful" in listing
    page = client.get(reverse("commissioning:my-summary", args=[summary.pk])).content.decode()
    assert "£280,000.00" in page and "£250,000.00" not in page and "£270,000.00" not in page
    assert "Panel&#x27;s reasons for Marches Support" in page
    download = client.get(reverse("document-download", args=[summary.document.uuid]))
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    home = client.get(reverse("home")).content.decode()
    assert "Assessment summaries of your tenders" in home


def test_a_supplier_cannot_open_another_suppliers_summary_by_changing_the_id(world, regulated):
    c, bids, _winner = regulated
    act.send_summaries(world, c)
    theirs = AssessmentSummary.objects.get(bid=bids[1])  # Shropshire Help's: the other provider's
    mine = AssessmentSummary.objects.get(bid=bids[0])
    client = verified_client(world.users[Role.PROVIDER])  # Marches Support
    assert client.get(reverse("commissioning:my-summary", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("document-download", args=[theirs.document.uuid])).status_code == 404
    listing = client.get(reverse("commissioning:my-summaries")).content.decode()
    assert "Shropshire Help" not in listing
    other = verified_client(world.other_provider)
    assert other.get(reverse("commissioning:my-summary", args=[mine.pk])).status_code == 404
    assert other.get(reverse("commissioning:my-summary", args=[theirs.pk])).status_code == 200


def test_an_unsent_summary_is_not_the_suppliers_to_read_yet(world, regulated):
    _c, bids, _winner = regulated
    summary = AssessmentSummary.objects.get(bid=bids[0])
    client = verified_client(world.users[Role.PROVIDER])
    assert client.get(reverse("commissioning:my-summary", args=[summary.pk])).status_code == 404


def test_the_do_task_list_shows_the_standstill_tag(world, regulated):
    c, _bids, _winner = regulated
    act.publish_award_notice(world, c)
    page = verified_client(world.users[Role.COMMISSIONING_OFFICER]).get(
        reverse("commissioning:do", args=[c.pk])
    )
    html = page.content.decode()
    assert "Standstill ended" in html
    assert "it ends on 25 November 2026" in html


def test_the_kpi_form_lists_every_problem_and_saves_nothing(world, regulated, pots):
    c, _bids, _winner = regulated
    act.publish_award_notice(world, c)
    contract = act.award_contract(world, c, pots[2026])
    client = verified_client(world.users[Role.COMMISSIONING_OFFICER])
    url = reverse("commissioning:kpis", args=[c.pk])
    response = client.post(url, {"name_1": "Referrals", "target_1": "", "name_2": "", "target_2": "90%"})
    html = response.content.decode()
    assert "Enter the target for indicator 1" in html and "Enter the name of indicator 2" in html
    assert not contract.kpis.exists()
    client.post(url, {"name_1": "Referrals", "target_1": "400 a year"})
    page = client.get(reverse("commissioning:award", args=[c.pk])).content.decode()
    assert "Referrals: 400 a year" in page
    assert "Publish by" in page


def test_a_suppliers_list_of_summaries_takes_a_fixed_number_of_queries(
    world, regulated, django_assert_max_num_queries
):
    act.send_summaries(world, regulated[0])
    client = verified_client(world.users[Role.PROVIDER])
    client.get(reverse("commissioning:my-summaries"))  # the session's own first-use queries
    with django_assert_max_num_queries(12):
        assert client.get(reverse("commissioning:my-summaries")).status_code == 200


def test_summaries_missing_for_an_earlier_decision_can_be_drawn(world, regulated):
    c, bids, _winner = regulated
    AssessmentSummary.objects.all().delete()
    Notice.objects.all().delete()
    client = verified_client(world.users[Role.COMMISSIONING_OFFICER])
    assert (
        "Draw the assessment summaries"
        in client.get(reverse("commissioning:award", args=[c.pk])).content.decode()
    )
    client.post(reverse("commissioning:summaries-draw", args=[c.pk]))
    assert AssessmentSummary.objects.count() == 3
    assert Notice.objects.filter(kind=NoticeKind.CONTRACT_AWARD).count() == 1
