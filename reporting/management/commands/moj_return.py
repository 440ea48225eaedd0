"""Write the Ministry of Justice return for a year and period as a spreadsheet: the same figures as
/dashboard/moj-return/ and its download (reporting.selectors.moj_return.build, through opcc.exports)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from funding.models import FinancialYear
from opcc.exports import xlsx_bytes
from reporting.selectors import moj_return as sel


class Command(BaseCommand):
    help = (
        "Write the Ministry of Justice return for a financial year (by the year it starts) and a period "
        f"({', '.join(sel.PERIODS)}) to an .xlsx file."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--year", required=True, help="The financial year by the year it starts, e.g. 2026 for 2026/27"
        )
        parser.add_argument("--period", required=True, help=f"One of {', '.join(sel.PERIODS)}")
        parser.add_argument("--out", required=True, help="The spreadsheet to write, e.g. moj-return.xlsx")

    def handle(self, *args, year, period, out, **options):
        if not str(year).isdigit():
            raise CommandError(f"Give the year as the year it starts, e.g. 2026 for 2026/27, not {year}")
        if not FinancialYear.objects.filter(start_year=int(year)).exists():
            raise CommandError(
                f"There is no financial year {int(year)}/{str(int(year) + 1)[-2:]} in the system"
            )
        try:
            p = sel.period(int(year), period)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        path = Path(out)
        if path.suffix.lower() != ".xlsx":
            raise CommandError(f"The file must end in .xlsx: {out}")
        if not path.parent.exists():
            raise CommandError(f"There is no folder {path.parent} to write {path.name} in")
        ret = sel.build(p)
        path.write_bytes(xlsx_bytes(sel.xlsx_sheets(ret, sel.missing_returns(p), timezone.localdate())))
        c = ret.completeness
        self.stdout.write(
            f"Wrote the Ministry of Justice return for {p.label} to {path}: {c.words(p)}, "
            f"{c.missing} still missing."
        )
