"""Who may do what in outcome monitoring: one small predicate per rule, on top of the core's."""

import rules

from opcc.rules import is_finance, is_head_of_commissioning, is_member_of, is_office, is_officer, is_provider


@rules.predicate
def is_return_member(user, quarterly_return) -> bool:
    return quarterly_return is not None and is_member_of(user, quarterly_return.award.organisation)


@rules.predicate
def is_award_member(user, award) -> bool:
    return award is not None and is_member_of(user, award.organisation)


@rules.predicate
def is_visit_member(user, visit) -> bool:
    return visit is not None and is_member_of(user, visit.award.organisation)


@rules.predicate
def return_is_with_provider(user, quarterly_return) -> bool:
    return quarterly_return is not None and quarterly_return.is_editable


rules.add_perm("reporting.view_quarterlyreturn", is_office | (is_provider & is_return_member))
rules.add_perm("reporting.list_returns", is_office)
rules.add_perm("reporting.list_own_returns", is_provider)
rules.add_perm("reporting.edit_return", is_provider & is_return_member & return_is_with_provider)
rules.add_perm("reporting.submit_return", is_provider & is_return_member)
rules.add_perm("reporting.review_return", is_officer)
rules.add_perm("reporting.view_monitoring", is_office)
rules.add_perm("reporting.view_chase_history", is_office)
rules.add_perm("reporting.manage_visits", is_officer)
rules.add_perm("reporting.view_grantvisit", is_office)
# Proportionate monitoring: officers set an award's tier (with a reason) and record annual reviews.
rules.add_perm("reporting.change_monitoring_tier", is_officer)
rules.add_perm("reporting.record_annual_review", is_officer)

# The admin site: the monitoring settings, chase schedule and framework templates are officers' to edit.
for _model in (
    "monitoringsettings",
    "chasestep",
    "frameworktemplate",
    "templatemeasure",
    "measure",
    "outcomeframework",
):
    rules.add_perm(f"reporting.view_{_model}", is_officer)
    rules.add_perm(f"reporting.change_{_model}", is_officer)
for _model in ("chasestep", "frameworktemplate", "templatemeasure", "measure"):
    rules.add_perm(f"reporting.add_{_model}", is_officer)
# The Ministry of Justice return's sections and fields: the head of commissioning keeps them (the Ministry changes its
# template); everyone in the office reads the return itself (reporting.view_dashboard).
for _model in ("mojreturnsection", "mojreturnfield"):
    rules.add_perm(f"reporting.view_{_model}", is_officer)
    for _perm in ("add", "change", "delete"):
        rules.add_perm(f"reporting.{_perm}_{_model}", is_head_of_commissioning)
# The tiers and the bands that choose them are the head of commissioning's to edit; officers read them. An award's
# own tier is changed on its monitoring page (with a reason), never in the settings site.
for _model in ("monitoringtier", "tierband"):
    rules.add_perm(f"reporting.view_{_model}", is_officer)
    rules.add_perm(f"reporting.change_{_model}", is_head_of_commissioning)
    rules.add_perm(f"reporting.add_{_model}", is_head_of_commissioning)
# A tier awards or bands use cannot be deleted (PROTECT): the admin site says which.
rules.add_perm("reporting.delete_tierband", is_head_of_commissioning)
rules.add_perm("reporting.delete_monitoringtier", is_head_of_commissioning)
rules.add_perm("reporting.view_awardmonitoring", is_officer)

# The dashboards: the office (officers, head of commissioning, PCC, finance, auditor).
rules.add_perm("reporting.view_dashboard", is_office)

# Police and Crime Panel reports: the office reads them; commissioning officers and their head make them and
# choose their case studies. The stored PDF is served to whoever may view its report.
rules.add_perm("reporting.view_panelreport", is_office)
rules.add_perm("reporting.add_panelreport", is_officer)
rules.add_perm("reporting.change_panelreport", is_officer)

# Crime trends: the office reads them; finance and commissioning officers (and their head) bring in the monthly
# police.uk data, and ONS's population estimates (for crimes per 1,000 residents) the same way.
may_import_crime = is_officer | is_finance
rules.add_perm("reporting.view_crime_trends", is_office)
rules.add_perm("reporting.import_crime", may_import_crime)
rules.add_perm("reporting.view_crimeimport", may_import_crime)  # the import's page and its stored upload
rules.add_perm("reporting.import_population", may_import_crime)
rules.add_perm("reporting.view_populationimport", may_import_crime)  # its stored upload

# Payments compliance (Procurement Act s.68-70): finance and the head of commissioning read the figures and the list of
# payments over £30,000; finance records the finance director's approval of each notice.
rules.add_perm("reporting.view_payments_compliance", is_finance | is_head_of_commissioning)
rules.add_perm("reporting.approve_payments_compliance", is_finance)

# Copies of contracts over £10,000 for publication: commissioning officers (and their head) upload them redacted and
# review each other's (never their own: reporting/services/contract_copies.py). The public sees approved copies only.
rules.add_perm("reporting.upload_contract_copy", is_officer)
rules.add_perm("reporting.review_contract_copy", is_officer)
rules.add_perm("reporting.view_contractcopy", is_officer)
# The publication review of award purposes: officers approve what someone else created (the service checks who).
rules.add_perm("reporting.review_public_text", is_officer)


# Final reports: the award's provider fills in and sends its own; officers review; the office reads them.
@rules.predicate
def is_final_report_member(user, report) -> bool:
    return report is not None and is_member_of(user, report.award.organisation)


@rules.predicate
def final_report_with_provider(user, report) -> bool:
    return report is not None and report.is_editable


rules.add_perm("reporting.view_finalreport", is_office | (is_provider & is_final_report_member))
rules.add_perm("reporting.list_final_reports", is_office)
rules.add_perm("reporting.list_own_final_reports", is_provider)
rules.add_perm(
    "reporting.edit_final_report", is_provider & is_final_report_member & final_report_with_provider
)
rules.add_perm("reporting.submit_final_report", is_provider & is_final_report_member)
rules.add_perm("reporting.review_final_report", is_officer)
