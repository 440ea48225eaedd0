"""Who may see crime trends and import police.uk data and population estimates (imported by reporting's
AppConfig.ready())."""

import rules

from opcc.rules import is_finance, is_office, is_officer

# The office reads the trends; finance and commissioning officers (and their head) bring in the monthly data.
may_import_crime = is_officer | is_finance

rules.add_perm("reporting.view_crime_trends", is_office)
rules.add_perm("reporting.import_crime", may_import_crime)
rules.add_perm("reporting.view_crimeimport", may_import_crime)  # the import's page and its stored upload
# ONS's population estimates (for crimes per 1,000 residents) come in the same way, from the same people.
rules.add_perm("reporting.import_population", may_import_crime)
rules.add_perm("reporting.view_populationimport", may_import_crime)  # its stored upload
