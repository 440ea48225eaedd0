"""Crime trends are for the office; importing police.uk data and ONS's population estimates is for finance and
commissioning officers (and head)."""

from opcc.models import Role
from tests.permissions import OFFICE, OFFICERS, only

IMPORTERS = OFFICERS | {Role.FINANCE_OFFICER}


def setup(world):
    from reporting.models import CrimeImport

    world.crime_import = CrimeImport.objects.create(file_name="2026-09-west-mercia-street.csv", status="done")


MATRIX = {
    "reporting:crime-trends": (lambda w: {}, only(OFFICE)),
    "reporting:crime-import": (lambda w: {}, only(IMPORTERS)),
    "reporting:crime-import-status": (lambda w: {"pk": w.crime_import.pk}, only(IMPORTERS)),
    "reporting:crime-population": (lambda w: {}, only(IMPORTERS)),
}
