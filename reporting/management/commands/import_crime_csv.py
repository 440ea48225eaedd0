from django.core.management.base import BaseCommand, CommandError

from reporting.crime.importer import import_path
from reporting.crime.parser import NotACrimeFileError


class Command(BaseCommand):
    help = (
        "Import police.uk street-level crime files (CSV, or zips of them). Each month a file holds replaces that "
        "month; malformed rows are listed with their line numbers and the rest still load."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH", help="A police.uk CSV file or a zip of them")

    def handle(self, *args, paths, **options):
        failed = []
        for path in paths:
            try:
                record = import_path(path)
            except FileNotFoundError:
                failed.append(f"{path}: no such file")
                continue
            except NotACrimeFileError as exc:
                failed.append(str(exc))
                continue
            self.stdout.write(
                f"{record.file_name}: {record.get_status_display().lower()}; {record.rows_saved} crimes saved for "
                f"{', '.join(record.months) or 'no months'}; {record.unmapped} outside West Mercia's areas; "
                f"{record.error_count} malformed rows."
            )
            for error in record.row_errors:
                self.stdout.write(f"  {error['file']} line {error['line']}: {error['message']}")
            if record.status == record.Status.FAILED:
                failed.append(f"{record.file_name}: {record.problem}")
        if failed:
            raise CommandError("\n".join(failed))
