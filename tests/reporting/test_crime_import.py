"""Importing police.uk crime files: good file, re-import, malformed rows, wrong file, zips, the task and the command."""

import io
import zipfile
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from opcc.models import Document, Role
from reporting.crime import importer, parser
from reporting.crime.sample import OUT as SAMPLE
from reporting.models import CrimeImport, CrimeMonthlyCount, CrimeRecord
from tests.conftest import sign_in
from tests.uploads import BAD_UPLOADS, SVG_ONLOAD, refused_on_page, upload

HEADER = ",".join(parser.COLUMNS)


def row(month="2026-09", lsoa="Herefordshire 001A", kind="Burglary", crime_id="abc"):
    return (
        f"{crime_id},{month},West Mercia Police,West Mercia Police,-2.71,52.05,On or near High Street,E01014001,"
        f"{chr(34) + lsoa + chr(34) if ',' in lsoa else lsoa},{kind},Under investigation,"
    )


def csv_bytes(*rows) -> bytes:
    return "\n".join([HEADER, *rows]).encode()


def counts() -> dict:
    return {
        (c.area.name, c.crime_type, c.month): c.count
        for c in CrimeMonthlyCount.objects.select_related("area")
    }


def run(data: bytes, name="upload.csv") -> CrimeImport:
    return importer.import_bytes(CrimeImport.objects.create(file_name=name), data)


def test_a_good_file_loads_per_area_type_and_month_and_rows_outside_west_mercia_are_counted(world):
    record = run(
        csv_bytes(
            row(),
            row(),
            row(kind="Drugs"),
            row(lsoa="Shropshire 004C"),
            row(month="2026-08", lsoa="Herefordshire, County of 002B"),
            row(lsoa="Birmingham 001A"),
        )
    )
    assert record.status == "done" and record.percent == 100
    assert (record.rows_total, record.rows_done, record.rows_saved, record.unmapped, record.error_count) == (
        6,
        6,
        5,
        1,
        0,
    )
    assert record.months == ["2026-08", "2026-09"]
    assert counts() == {
        ("Herefordshire", "Burglary", date(2026, 9, 1)): 2,
        ("Herefordshire", "Drugs", date(2026, 9, 1)): 1,
        ("Shropshire", "Burglary", date(2026, 9, 1)): 1,
        ("Herefordshire", "Burglary", date(2026, 8, 1)): 1,
    }
    crime = CrimeRecord.objects.filter(crime_type="Drugs").get()
    assert (crime.area, crime.lsoa_code, crime.lsoa_name, crime.crime_id, crime.location, crime.outcome) == (
        world.area,
        "E01014001",
        "Herefordshire 001A",
        "abc",
        "On or near High Street",
        "Under investigation",
    )
    assert str(crime.longitude) == "-2.710000" and crime.source == record


def test_the_sample_file_loads_every_row_it_can_place(world):
    record = importer.import_path(SAMPLE)
    # The test world has two of West Mercia's five areas: the other authorities' rows are unmapped, not lost.
    assert (
        record.rows_total == 1800 and record.rows_saved + record.unmapped == 1800 and record.error_count == 0
    )
    assert record.months == ["2026-07", "2026-08", "2026-09"]
    assert set(CrimeRecord.objects.values_list("area__name", flat=True).distinct()) == {
        "Herefordshire",
        "Shropshire",
    }
    assert sum(counts().values()) == CrimeRecord.objects.count() == record.rows_saved


def test_importing_the_same_month_again_replaces_it_rather_than_doubling_it(world):
    run(csv_bytes(row(), row(), row(month="2026-08")))
    second = run(csv_bytes(row(kind="Robbery")))
    assert second.months == ["2026-09"]
    assert counts() == {
        ("Herefordshire", "Robbery", date(2026, 9, 1)): 1,
        ("Herefordshire", "Burglary", date(2026, 8, 1)): 1,
    }
    assert CrimeRecord.objects.count() == 2
    once = importer.import_path(SAMPLE)
    after_once = counts()
    twice = importer.import_path(SAMPLE)
    assert once.rows_saved == twice.rows_saved > 500
    # The sample's July to September replaced what was there, and a second import changes nothing.
    assert counts() == after_once and CrimeRecord.objects.count() == twice.rows_saved == sum(
        after_once.values()
    )


def test_a_file_from_outside_west_mercia_leaves_the_month_alone(world):
    run(csv_bytes(row()))
    record = run(csv_bytes(row(lsoa="Birmingham 001A"), row(lsoa="Sandwell 002B")))
    assert record.status == "done" and record.unmapped == 2 and record.months == []
    assert CrimeRecord.objects.count() == 1


def test_malformed_rows_are_reported_with_their_line_numbers_and_the_rest_load(world):
    record = run(
        csv_bytes(row(), row(month="2026-13"), "too,few", row(kind="Jaywalking"), row(kind="Drugs")),
        name="september.csv",
    )
    assert record.status == "done" and record.rows_saved == 2 and record.error_count == 3
    assert [(e["file"], e["line"], e["message"]) for e in record.row_errors] == [
        ("september.csv", 3, "month '2026-13' is not like 2026-09"),
        ("september.csv", 4, "has 2 columns, not 12"),
        ("september.csv", 5, "crime type 'Jaywalking' is not one police.uk uses"),
    ]


def test_a_zip_of_months_loads_each_file_and_two_files_of_one_month_add_up(world):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("2026-08/2026-08-west-mercia-street.csv", csv_bytes(row(month="2026-08")))
        archive.writestr("2026-09/2026-09-west-mercia-street.csv", csv_bytes(row(), row(kind="Drugs")))
        archive.writestr("2026-09/2026-09-west-mercia-extra.csv", csv_bytes(row()))
        archive.writestr("README.txt", "not a csv")
    record = run(buffer.getvalue(), name="download.zip")
    assert record.files == [
        "2026-08-west-mercia-street.csv",
        "2026-09-west-mercia-extra.csv",
        "2026-09-west-mercia-street.csv",
    ]
    assert record.months == ["2026-08", "2026-09"] and record.rows_saved == 4
    assert counts()[("Herefordshire", "Burglary", date(2026, 9, 1))] == 2


def test_the_page_queues_the_task_which_imports_and_records_progress(
    client, world, django_capture_on_commit_callbacks
):
    finance = world.users[Role.FINANCE_OFFICER]
    sign_in(client, finance)
    upload = SimpleUploadedFile("2026-09-west-mercia-street.csv", csv_bytes(row(), row(kind="Drugs"), "bad"))
    with pytest.MonkeyPatch.context() as patch:
        seen = []
        original = importer._replace_month
        patch.setattr(
            importer,
            "_replace_month",
            lambda *a, **k: (
                seen.append(CrimeImport.objects.values_list("status", "rows_done").get()),
                original(*a, **k),
            ),
        )
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            response = client.post("/dashboard/crime/import/", {"file": upload})
    assert len(callbacks) == 1  # the Celery task, queued after commit (run in-process here)
    record = CrimeImport.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/dashboard/crime/import/{record.pk}/"
    assert seen == [("running", 1)]  # the bad row was dealt with before September was saved
    assert (record.status, record.by, record.rows_saved, record.error_count, record.percent) == (
        "done",
        finance,
        2,
        1,
        100,
    )
    assert Document.objects.get(pk=record.document_id).original_name == "2026-09-west-mercia-street.csv"
    page = client.get(response["Location"])
    assert "Refresh" not in page  # finished: nothing to reload
    html = page.content.decode()
    assert "2 crimes imported" in html and "Line 4 has 1 columns, not 12" in html
    assert 'aria-live="polite"' in html and 'value="100"' in html


def test_a_running_import_reloads_itself_until_asked_not_to(client, world):
    record = CrimeImport.objects.create(
        file_name="big.zip",
        status="running",
        rows_total=40000,
        rows_done=10000,
        step="Saving 2026-09-west-mercia-street.csv",
    )
    sign_in(client, world.users[Role.COMMISSIONING_OFFICER])
    page = client.get(f"/dashboard/crime/import/{record.pk}/")
    assert page["Refresh"] == "3"
    html = page.content.decode()
    assert "25% done" in html and "Check progress" in html and "Stop checking automatically" in html
    assert "Refresh" not in client.get(f"/dashboard/crime/import/{record.pk}/?watch=off")


@pytest.mark.parametrize(
    "content,message",
    [
        (b"Name,Amount\nA,1\n", "is not a police.uk street-level crime file"),
        (
            b"%PDF-1.7 not a csv",
            "The selected file must be a CSV or zip file: its contents are a PDF, not a CSV file",
        ),
        (b"PK\x03\x04broken", "its contents are a damaged zip file, which cannot be uploaded"),
    ],
)
def test_a_wrong_file_is_refused_on_the_page_with_an_error_summary_and_nothing_saved(
    client, world, content, message
):
    sign_in(client, world.users[Role.HEAD_OF_COMMISSIONING])
    response = client.post("/dashboard/crime/import/", {"file": SimpleUploadedFile("budget.csv", content)})
    assert response.status_code == 200
    html = response.content.decode()
    assert "govuk-error-summary" in html and message in html and 'href="#id_file"' in html
    assert (
        not CrimeImport.objects.exists()
        and not Document.objects.exists()
        and not CrimeRecord.objects.exists()
    )
    response = client.post("/dashboard/crime/import/", {})
    assert "Select a police.uk crime file" in response.content.decode()


def _zip_of(name: str, data: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(name, data)
    return buffer.getvalue()


@pytest.mark.parametrize(
    "name,data,fragment",
    [
        *BAD_UPLOADS,
        (
            "2026-09-west-mercia-street.csv",
            csv_bytes(row(), row(lsoa="<img src=x onerror=alert(1)>")),
            "its contents are an HTML web page, which cannot be uploaded",
        ),
        (
            "crimes.zip",
            _zip_of("2026-09/street.csv", SVG_ONLOAD),
            "its contents are a zip file whose street.csv is an SVG image, which cannot be uploaded",
        ),
        ("2026-09-west-mercia-street.pdf", csv_bytes(row()), "its contents are a CSV file, not a PDF"),
    ],
)
def test_the_import_page_refuses_markup_and_misnamed_files_by_their_contents(
    client, world, name, data, fragment
):
    sign_in(client, world.users[Role.FINANCE_OFFICER])
    response = client.post("/dashboard/crime/import/", {"file": upload(name, data)})
    assert refused_on_page(response, fragment, accepted="The selected file must be a CSV or zip file")
    assert not CrimeImport.objects.exists() and not Document.objects.exists()


def test_a_police_uk_file_is_stored_with_the_ending_of_its_type(
    client, world, django_capture_on_commit_callbacks
):
    sign_in(client, world.users[Role.FINANCE_OFFICER])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/dashboard/crime/import/",
            {"file": upload("2026-09-west-mercia-street.CSV", csv_bytes(row()), "text/csv")},
        )
    record = CrimeImport.objects.get()
    assert response.status_code == 302 and record.status == "done" and record.rows_saved == 1
    assert (record.document.original_name, record.document.extension, record.document.mime_type) == (
        "2026-09-west-mercia-street.csv",
        "csv",
        "text/csv",
    )


def test_a_failure_part_way_is_recorded_for_the_page(world, monkeypatch):
    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(importer, "_replace_month", boom)
    record = run(csv_bytes(row()))
    assert record.status == "failed" and "disk full" in record.problem


def test_the_management_command_imports_files_and_reports_rows(world, tmp_path):
    good = tmp_path / "2026-09-west-mercia-street.csv"
    good.write_bytes(csv_bytes(row(), "x,2026-09,,,,,,,Herefordshire 001A,Burglary,,,extra"))
    out = io.StringIO()
    call_command("import_crime_csv", str(good), str(SAMPLE), stdout=out)
    text = out.getvalue()
    assert "2026-09-west-mercia-street.csv: finished; 1 crimes saved for 2026-09" in text
    assert "line 3: has 13 columns, not 12" in text
    assert "west-mercia-street-sample.csv: finished" in text
    assert CrimeImport.objects.filter(status="done").count() == 2
    wrong = tmp_path / "budget.csv"
    wrong.write_text("Name,Amount\n")
    with pytest.raises(CommandError, match="budget.csv is not a police.uk street-level crime file"):
        call_command("import_crime_csv", str(wrong), stdout=io.StringIO())
