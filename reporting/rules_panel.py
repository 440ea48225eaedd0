"""Who may see and make Police and Crime Panel reports (imported by reporting's AppConfig.ready()).

The office reads them (as it reads the dashboards); commissioning officers and their head make them and choose
their case studies. The stored PDF is served to whoever may view its report (`view_panelreport`)."""

import rules

from opcc.rules import is_office, is_officer

rules.add_perm("reporting.view_panelreport", is_office)
rules.add_perm("reporting.add_panelreport", is_officer)
rules.add_perm("reporting.change_panelreport", is_officer)
