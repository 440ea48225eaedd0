import io
import zipfile

import pytest

from reporting.crime import parser
from reporting.crime.sample import OUT as SAMPLE

HEADER = ",".join(parser.COLUMNS)
GOOD = "abc123,2026-09,West Mercia Police,West Mercia Police,-2.22,52.19,On or near High Street,E01032401,Worcester 001A,Burglary,Under investigation,"
ASB = ",2026-09,West Mercia Police,West Mercia Police,-2.22,52.19,On or near Park Road,E01032402,Worcester 001B,Anti-social behaviour,,"


def test_the_sample_file_parses_cleanly_and_covers_every_west_mercia_authority():
    result = parser.parse_upload(SAMPLE.read_bytes(), "sample.csv")
    assert not result.errors
    assert len(result.rows) == 1800
    authorities = [
        "Herefordshire",
        "Shropshire",
        "Telford and Wrekin",
        "Bromsgrove",
        "Redditch",
        "Wyre Forest",
        "Malvern Hills",
        "Worcester",
        "Wychavon",
    ]
    assert {parser.local_authority_of(r.lsoa_name, authorities) for r in result.rows} == set(authorities)
    assert {r.month for r in result.rows} == {"2026-07", "2026-08", "2026-09"}


def test_malformed_rows_are_reported_with_their_line_numbers_and_the_rest_still_load():
    data = "\n".join(
        [
            HEADER,
            GOOD,
            "x,2026-13,West Mercia Police,West Mercia Police,-2.2,52.1,On or near A,E01032401,Worcester 001A,Burglary,,",
            "x,2026-09,West Mercia Police,West Mercia Police,-2.2,52.1,On or near A,E01032401,Worcester 001A,Jaywalking,,",
            "too,few,columns",
            "x,2026-09,West Mercia Police,West Mercia Police,abc,52.1,On or near A,E01032401,Worcester 001A,Drugs,,",
            ASB,
        ]
    ).encode()
    result = parser.parse_upload(data, "september.csv")
    assert [r.line for r in result.rows] == [2, 7]
    assert [(e.line, e.message) for e in result.errors] == [
        (3, "month '2026-13' is not like 2026-09"),
        (4, "crime type 'Jaywalking' is not one police.uk uses"),
        (5, "has 3 columns, not 12"),
        (6, "'abc' is not a coordinate"),
    ]
    assert result.rows[1].crime_id == "" and result.rows[1].outcome == ""


@pytest.mark.parametrize("data", [b"Name,Amount\nA,1\n", b"%PDF-1.7 not a csv", b"", b"\x00\x01binary"])
def test_a_file_that_is_not_a_crime_csv_is_refused_with_a_clear_message(data):
    with pytest.raises(parser.NotACrimeFileError) as error:
        parser.parse_upload(data, "upload.csv")
    assert "upload.csv" in str(error.value)


def test_a_zip_of_monthly_files_is_read_file_by_file():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "2026-08/2026-08-west-mercia-street.csv", f"{HEADER}\n{GOOD.replace('2026-09', '2026-08')}\n"
        )
        archive.writestr("2026-09/2026-09-west-mercia-street.csv", f"{HEADER}\n{GOOD}\n{ASB}\n")
        archive.writestr("README.txt", "not a csv")
    result = parser.parse_upload(buffer.getvalue(), "download.zip")
    assert result.files == ["2026-08-west-mercia-street.csv", "2026-09-west-mercia-street.csv"]
    assert [r.month for r in result.rows] == ["2026-08", "2026-09", "2026-09"]


@pytest.mark.parametrize(
    "lsoa_name,expected",
    [
        ("Worcester 001A", "Worcester"),
        ("Wyre Forest 003B", "Wyre Forest"),
        ("Herefordshire, County of 012A", "Herefordshire"),
        ("Worcestershire 001A", None),
        ("Telford and Wrekin 010C", "Telford and Wrekin"),
        ("Birmingham 001A", None),
    ],
)
def test_an_lsoa_name_maps_to_the_local_authority_it_begins_with(lsoa_name, expected):
    authorities = ["Herefordshire", "Worcester", "Wyre Forest", "Telford and Wrekin", "Wychavon"]
    assert parser.local_authority_of(lsoa_name, authorities) == expected
