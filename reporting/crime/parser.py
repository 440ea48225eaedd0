"""Reading the street-level crime CSVs police.uk publishes per force and month.

A file's header must be exactly police.uk's; each row is checked on its own, so a malformed row is
reported with its line number and the rest still load. A zip of many monthly files is read file by file.
"""

import csv
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

COLUMNS = [
    "Crime ID",
    "Month",
    "Reported by",
    "Falls within",
    "Longitude",
    "Latitude",
    "Location",
    "LSOA code",
    "LSOA name",
    "Crime type",
    "Last outcome category",
    "Context",
]
CRIME_TYPES = {
    "Anti-social behaviour",
    "Bicycle theft",
    "Burglary",
    "Criminal damage and arson",
    "Drugs",
    "Other crime",
    "Other theft",
    "Possession of weapons",
    "Public order",
    "Robbery",
    "Shoplifting",
    "Theft from the person",
    "Vehicle crime",
    "Violence and sexual offences",
}
MONTH_RE = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
LSOA_CODE_RE = re.compile(r"^[EW]0\d{7}$")


class NotACrimeFileError(ValueError):
    """The file is not a police.uk street-level crime CSV (or a zip of them)."""


@dataclass
class CrimeRow:
    line: int
    crime_id: str
    month: str  # YYYY-MM
    falls_within: str
    longitude: Decimal | None
    latitude: Decimal | None
    location: str
    lsoa_code: str
    lsoa_name: str
    crime_type: str
    outcome: str
    source: str = ""


@dataclass
class RowError:
    source: str
    line: int
    message: str


@dataclass
class ParseResult:
    rows: list[CrimeRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    files: list[str] = field(default_factory=list)


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise NotACrimeFileError(
        "The file is not text: upload the CSV file police.uk gives you, or a zip of them"
    )


def _coordinate(value: str, low: Decimal, high: Decimal) -> Decimal | None:
    if value == "":
        return None
    try:
        number = Decimal(value)
    except InvalidOperation:
        raise ValueError(f"'{value}' is not a coordinate") from None
    if not low <= number <= high:
        raise ValueError(f"{value} is outside the UK")
    return number


def parse_csv(data: bytes, source: str = "upload.csv") -> Iterator[CrimeRow | RowError]:
    """Yield a CrimeRow or a RowError for each data line. Raises NotACrimeFileError for a wrong header."""
    text = _decode(data)
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if header is None or [h.strip() for h in header] != COLUMNS:
        raise NotACrimeFileError(
            f"{source} is not a police.uk street-level crime file: its first line must be the column names "
            f"{', '.join(COLUMNS)}"
        )
    for number, values in enumerate(reader, start=2):
        if not values or all(v == "" for v in values):
            continue
        if len(values) != len(COLUMNS):
            yield RowError(source, number, f"has {len(values)} columns, not {len(COLUMNS)}")
            continue
        record = dict(zip(COLUMNS, (v.strip() for v in values), strict=True))
        try:
            if not MONTH_RE.match(record["Month"]):
                raise ValueError(f"month '{record['Month']}' is not like 2026-09")
            if record["Crime type"] not in CRIME_TYPES:
                raise ValueError(f"crime type '{record['Crime type']}' is not one police.uk uses")
            if record["LSOA code"] and not LSOA_CODE_RE.match(record["LSOA code"]):
                raise ValueError(f"LSOA code '{record['LSOA code']}' is not like E01014001")
            longitude = _coordinate(record["Longitude"], Decimal("-9"), Decimal("3"))
            latitude = _coordinate(record["Latitude"], Decimal("49"), Decimal("61"))
        except ValueError as exc:
            yield RowError(source, number, str(exc))
            continue
        yield CrimeRow(
            line=number,
            crime_id=record["Crime ID"],
            month=record["Month"],
            falls_within=record["Falls within"],
            longitude=longitude,
            latitude=latitude,
            location=record["Location"],
            lsoa_code=record["LSOA code"],
            lsoa_name=record["LSOA name"],
            crime_type=record["Crime type"],
            outcome=record["Last outcome category"],
            source=source,
        )


def read_upload(data: bytes, name: str = "upload") -> Iterator[tuple[str, bytes]]:
    """The CSV files in an upload: the file itself, or each .csv inside a zip."""
    if data.startswith(b"PK\x03\x04"):
        try:
            archive = zipfile.ZipFile(io.BytesIO(data))
        except zipfile.BadZipFile:
            raise NotACrimeFileError(f"{name} is not a readable zip file") from None
        members = sorted(
            n for n in archive.namelist() if n.lower().endswith(".csv") and not n.startswith("__MACOSX")
        )
        if not members:
            raise NotACrimeFileError(f"{name} holds no CSV files")
        for member in members:
            yield member.rsplit("/", 1)[-1], archive.read(member)
        return
    if b"\x00" in data[:4096]:
        raise NotACrimeFileError(f"{name} is not a CSV file")
    yield name, data


def parse_upload(data: bytes, name: str = "upload") -> ParseResult:
    result = ParseResult()
    for source, content in read_upload(data, name):
        result.files.append(source)
        for item in parse_csv(content, source):
            (result.errors if isinstance(item, RowError) else result.rows).append(item)
    return result


def local_authority_of(lsoa_name: str, authorities: list[str]) -> str | None:
    """The local authority an LSOA name begins with ("Wyre Forest 003B" -> "Wyre Forest").

    The longest matching name wins, and it must be followed by a space or comma, so "Worcester"
    never claims a name that begins "Worcestershire".
    """
    best = None
    lowered = lsoa_name.lower()
    for authority in authorities:
        a = authority.lower()
        if lowered.startswith(a) and (len(lowered) == len(a) or lowered[len(a)] in " ,"):
            if best is None or len(a) > len(best):
                best = authority
    return best
