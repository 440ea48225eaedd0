"""Police and Crime Panel reports: the office reads them and downloads the PDF; commissioning officers and their head
set them up, choose their case studies and make them. Providers, ambassadors, commanders and evaluators are refused."""

from tests.permissions import OFFICE, OFFICERS, expect, only


def setup(world):
    from opcc.models import Role
    from opcc.services import documents
    from reporting.models import PanelCaseStudy, PanelReport
    from tests.reporting.factories import accepted, monitored_award, the_return

    award = monitored_award(world.organisation, title="Service for the Panel", amount="1000")
    ret = the_return(award, 1)
    accepted(ret, world.users[Role.PROVIDER], world.users[Role.COMMISSIONING_OFFICER])
    type(ret).objects.filter(pk=ret.pk).update(case_studies="An anonymised account.")
    world.panel_report = PanelReport.objects.create(
        title="Panel report",
        start_year=2026,
        first_quarter=1,
        last_quarter=2,
        status=PanelReport.Status.READY,
    )
    world.panel_report.document = documents.store_bytes(
        data=b"%PDF-1.7\n%%EOF\n",
        kind=documents.PDF,
        original_name="panel-report.pdf",
        attached_to=world.panel_report,
    )
    world.panel_report.save(update_fields=["document"])
    world.panel_return = ret
    world.panel_case_study = PanelCaseStudy.objects.create(
        report=world.panel_report, quarterly_return=ret, heading="Safe again", text="An anonymised account."
    )


def _report(w):
    return {"pk": w.panel_report.pk}


MATRIX = {
    "reporting:panel-reports": (lambda w: {}, only(OFFICE)),
    "reporting:panel-report-create": (lambda w: {}, only(OFFICERS)),
    "reporting:panel-report": (_report, only(OFFICE)),
    "reporting:panel-report-generate": (_report, expect(405)),
    "reporting:panel-report-download": (_report, only(OFFICE)),
    "reporting:panel-report-case-study-choose": (_report, only(OFFICERS)),
    "reporting:panel-report-case-study-add": (
        lambda w: {"pk": w.panel_report.pk, "return_pk": w.panel_return.pk},
        only(OFFICERS),
    ),
    "reporting:panel-report-case-study-edit": (
        lambda w: {"pk": w.panel_report.pk, "study_pk": w.panel_case_study.pk},
        only(OFFICERS),
    ),
    "reporting:panel-report-case-study-remove": (
        lambda w: {"pk": w.panel_report.pk, "study_pk": w.panel_case_study.pk},
        expect(405),
    ),
}
