"""Importing police.uk street-level crime files: the one service behind the page, the Celery task, the command and
the demo.

- A month is replaced, never doubled: for each month the file holds, one transaction deletes that month's crimes and
  summary counts and inserts the new ones (bulk inserts in large batches). Two files of one upload holding the same
  month add up: the month is emptied once per import.
- A month whose rows all fall outside West Mercia's local policing areas is left alone (a neighbouring force's file
  must not wipe a West Mercia month); such rows are counted as unmapped.
- Malformed rows are recorded with their file and line number and the rest still load.
- A file that is not a police.uk CSV (or a zip of them) is refused before anything is stored: `NotACrimeFileError`.
"""

import logging
from collections import defaultdict
from datetime import date
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from opcc.models import LocalPolicingArea
from opcc.services import documents
from opcc.types import Actor
from reporting.crime import parser
from reporting.crime.parser import NotACrimeFileError  # noqa: F401 - re-exported for callers
from reporting.models import CrimeImport, CrimeMonthlyCount, CrimeRecord

logger = logging.getLogger(__name__)

# What the upload may be: a police.uk CSV, or a zip of them. Rows are checked one by one (and a bad one reported),
# so a CSV's rows may differ from its header's width.
KINDS = (documents.CSV, documents.ZIP)
BATCH = 5000


def check_upload(uploaded) -> documents.CheckedFile:
    """The page's check: the documents service's size and type checks, then police.uk's own column check.
    Raises ValidationError (the service's refusal) or NotACrimeFileError."""
    checked = documents.check_upload(uploaded, allowed=KINDS, ragged_rows=True)
    check_file(checked.data, checked.name)
    return checked


def _checked(data: bytes, name: str) -> documents.CheckedFile:
    try:
        checked = documents.check_bytes(data, name=name, allowed=KINDS, ragged_rows=True)
    except ValidationError as exc:
        raise NotACrimeFileError(f"{name}: {exc.messages[0]}") from None
    check_file(checked.data, checked.name)
    return checked


def check_file(data: bytes, name: str) -> list[str]:
    """The CSV files in an upload, once each one's header is police.uk's. Raises NotACrimeFileError otherwise."""
    names = []
    for source, content in parser.read_upload(data, name):
        next(parser.parse_csv(content, source), None)  # the header is checked on the first step
        names.append(source)
    return names


def start_import(*, data: bytes, name: str, by: Actor) -> CrimeImport:
    """Check the upload, store it (documents service) and queue the Celery task that imports it after commit."""
    from reporting.crime.tasks import import_crime_file  # noqa: PLC0415 - the tasks module imports this one

    checked = _checked(data, name)
    name = checked.name
    with transaction.atomic():
        record = CrimeImport.objects.create(by=by, file_name=name[:255], step="Waiting to start")
        record.document = documents.store_bytes(
            data=data,
            kind=checked.kind,
            original_name=name,
            attached_to=record,
            by=by,
            purpose="crime_import",
            title=f"Crime data upload {name}",
        )
        record.save(update_fields=["document"])
        transaction.on_commit(lambda: import_crime_file.delay(record.pk))
    return record


def run_import(import_id: int) -> CrimeImport:
    """The Celery task's work: read the stored upload and import it. Does nothing for a finished import."""
    record = CrimeImport.objects.select_related("document").get(pk=import_id)
    if record.status == CrimeImport.Status.DONE:
        return record
    try:
        with record.document.file.open("rb") as handle:
            data = handle.read()
    except (AttributeError, OSError) as exc:
        return _fail(record, f"The uploaded file could not be read: {exc}")
    return import_bytes(record, data)


def import_path(path, *, by: Actor | None = None) -> CrimeImport:
    """Import a file from disk (the management command and the demo), recording it like an upload."""

    path = Path(path)
    data = path.read_bytes()
    name = _checked(data, path.name).name
    record = CrimeImport.objects.create(by=by, file_name=name)
    return import_bytes(record, data)


def _fail(record: CrimeImport, problem: str) -> CrimeImport:
    record.status, record.problem, record.finished_at = (
        CrimeImport.Status.FAILED,
        problem[:2000],
        timezone.now(),
    )
    record.step = "Stopped"
    record.save(update_fields=["status", "problem", "finished_at", "step"])
    return record


def _month(value: str) -> date:
    return date(int(value[:4]), int(value[5:7]), 1)


class _Mapper:
    """LSOA name -> local policing area id, through each area's local authorities (memoised: names repeat)."""

    def __init__(self):
        self.by_authority = {}
        for area_id, authorities in LocalPolicingArea.objects.values_list("pk", "local_authorities"):
            for authority in authorities or []:
                self.by_authority[authority] = area_id
        self.authorities = list(self.by_authority)
        self.cache: dict[str, int | None] = {}

    def __call__(self, lsoa_name: str) -> int | None:
        if lsoa_name not in self.cache:
            authority = parser.local_authority_of(lsoa_name, self.authorities)
            self.cache[lsoa_name] = self.by_authority.get(authority) if authority else None
        return self.cache[lsoa_name]


def import_bytes(record: CrimeImport, data: bytes) -> CrimeImport:
    """Import every CSV in `data` into `record`'s name, file by file and month by month, counting progress."""
    CrimeImport.objects.filter(pk=record.pk).update(
        status=CrimeImport.Status.RUNNING, started_at=timezone.now(), step="Reading the file"
    )
    record.refresh_from_db()
    try:
        files = list(parser.read_upload(data, record.file_name))
        # Data lines, for the progress bar (a line count: quick, and close enough for a bar).
        record.rows_total = sum(
            max(content.count(b"\n") - 1 + (not content.endswith(b"\n")), 0) for _, content in files
        )
        record.files = [source for source, _ in files]
        record.save(update_fields=["rows_total", "files"])
        mapper = _Mapper()
        replaced: set[str] = set(record.months)
        for source, content in files:
            _import_file(record, source, content, mapper, replaced)
    except NotACrimeFileError as exc:
        return _fail(record, str(exc))
    except Exception as exc:  # noqa: BLE001 - recorded for the page, then logged with its traceback
        logger.exception("Crime import %s failed", record.pk)
        return _fail(record, f"The import stopped unexpectedly: {exc}")
    record.status, record.finished_at, record.step = CrimeImport.Status.DONE, timezone.now(), "Finished"
    record.rows_total = max(record.rows_total, record.rows_done)
    record.save(update_fields=["status", "finished_at", "step", "rows_total"])
    return record


def _import_file(
    record: CrimeImport, source: str, content: bytes, mapper: _Mapper, replaced: set[str]
) -> None:
    by_month: dict[str, list[CrimeRecord]] = defaultdict(list)
    unmapped = errors = 0
    new_errors = []
    for item in parser.parse_csv(content, source):
        if isinstance(item, parser.RowError):
            errors += 1
            new_errors.append({"file": item.source, "line": item.line, "message": item.message})
            continue
        area_id = mapper(item.lsoa_name)
        if area_id is None:
            unmapped += 1
            continue
        by_month[item.month].append(
            CrimeRecord(
                month=_month(item.month),
                area_id=area_id,
                crime_type=item.crime_type,
                crime_id=item.crime_id[:64],
                lsoa_code=item.lsoa_code,
                lsoa_name=item.lsoa_name[:100],
                location=item.location[:200],
                longitude=item.longitude,
                latitude=item.latitude,
                outcome=item.outcome[:120],
                source_id=record.pk,
            )
        )
    room = CrimeImport.MAX_ERRORS_KEPT - len(record.row_errors)
    record.row_errors = record.row_errors + new_errors[: max(room, 0)]
    record.error_count += errors
    record.unmapped += unmapped
    record.rows_done += errors + unmapped
    record.step = f"Saving {source}"
    record.save(update_fields=["row_errors", "error_count", "unmapped", "rows_done", "step"])
    for month in sorted(by_month):
        rows = by_month.pop(month)
        with transaction.atomic():
            _replace_month(month, rows, first=month not in replaced)
            replaced.add(month)
            record.months = sorted(replaced)
            record.rows_saved += len(rows)
            record.rows_done += len(rows)
            record.save(update_fields=["months", "rows_saved", "rows_done"])


def _replace_month(month: str, rows: list[CrimeRecord], *, first: bool) -> None:
    day = _month(month)
    if first:
        CrimeRecord.objects.filter(month=day).delete()  # no signals or cascades: one DELETE statement
    CrimeRecord.objects.bulk_create(rows, batch_size=BATCH)
    CrimeMonthlyCount.objects.filter(month=day).delete()
    CrimeMonthlyCount.objects.bulk_create(
        [
            CrimeMonthlyCount(month=day, area_id=row["area_id"], crime_type=row["crime_type"], count=row["n"])
            for row in CrimeRecord.objects.filter(month=day)
            .values("area_id", "crime_type")
            .annotate(n=Count("id"))
        ]
    )
