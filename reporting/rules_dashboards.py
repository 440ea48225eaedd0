"""Who may see the dashboards: the office (officers, head of commissioning, PCC, finance, auditor).
Imported by reporting.views.dashboards, so the rule exists wherever the pages do."""

import rules

from opcc.rules import is_office

rules.add_perm("reporting.view_dashboard", is_office)
