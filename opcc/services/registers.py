"""Importing the regulators' register files, in the format each publishes, to check organisations against.

- The Charity Commission's register extract: the charity table of the full register download
  (publicextract.charity.txt), tab-separated text with a header row of column names such as
  registered_charity_number, linked_charity_number, charity_name, charity_registration_status, latest_income.
- Companies House's free company data product (BasicCompanyData): a CSV with a header row of CompanyName,
  CompanyNumber, ..., CompanyStatus, ..., Accounts.LastMadeUpDate, ... (some names carry a leading space).

Either may come as the zip the regulator publishes (one file inside). Every line is checked before anything is kept:
a file of the wrong shape is refused naming the file and the line, and nothing is imported. Only the entries of
organisations the office knows are kept; a later import replaces them.
"""

import csv
import io
import re
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Literal

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from opcc.models import Organisation, Register, RegisterEntry, RegisterImport
from opcc.models.organisations import COMPANY_NUMBER_RE
from opcc.permissions import require_perm
from opcc.types import Actor

CHARITY_COLUMNS = (
    "registered_charity_number",
    "linked_charity_number",
    "charity_name",
    "charity_registration_status",
    "latest_acc_fin_period_end_date",
    "latest_income",
)
COMPANY_COLUMNS = (
    "CompanyName",
    "CompanyNumber",
    "CompanyStatus",
    "IncorporationDate",
    "Accounts.LastMadeUpDate",
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_MARKUP = re.compile(r"<\s*(?:script|html|!doctype|iframe|svg|body)\b", re.IGNORECASE)


class RegisterFileError(ValueError):
    """The file is not the register's published format: the message names the file and the line."""


@dataclass(frozen=True)
class ParsedEntry:
    number: str
    name: str
    status: str
    latest_income: Decimal | None
    accounts_made_up_to: date | None


def _unzipped(data: bytes, name: str) -> tuple[bytes, str]:
    if not data.startswith(b"PK\x03\x04"):
        return data, name
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = [m for m in archive.infolist() if not m.is_dir()]
            if len(members) != 1:
                raise RegisterFileError(
                    f"{name}: the zip must hold exactly one register file, not {len(members)}"
                )
            member = members[0]
            if member.file_size > settings.DOCUMENT_MAX_BYTES * 10:
                raise RegisterFileError(f"{name}: {member.filename} is too large to import here")
            return archive.read(member), member.filename
    except zipfile.BadZipFile:
        raise RegisterFileError(f"{name}: the file is not a readable zip") from None


def _text(data: bytes, name: str) -> str:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            raise RegisterFileError(f"{name}, line 1: the file is not text") from None
    if not text.strip():
        raise RegisterFileError(f"{name}, line 1: the file is empty")
    return text


def _date(value: str, formats: tuple[str, ...]) -> date | None:
    value = value.strip()
    if not value:
        return None
    for fmt in formats:
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise ValueError(value)


def _money(value: str) -> Decimal | None:
    value = value.strip()
    if not value:
        return None
    amount = Decimal(value)
    if not amount.is_finite():
        raise InvalidOperation(value)
    return amount


def _rows(text: str, name: str, delimiter: str, required: tuple[str, ...], what: str):
    quoting: Literal[0, 1, 2, 3] = (
        csv.QUOTE_NONE if delimiter == "\t" else csv.QUOTE_MINIMAL
    )  # the extract's text is not quoted
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, quoting=quoting, strict=True)
    try:
        header = [h.strip() for h in next(reader)]
        missing = [c for c in required if c not in header]
        if missing:
            raise RegisterFileError(
                f"{name}, line 1: this is not {what}: the header has no {', '.join(missing)} column"
                f"{'s' if len(missing) > 1 else ''}"
            )
        for row in reader:
            line = reader.line_num
            if not row or row == [""]:
                continue
            if _CONTROL.search("".join(row)) or _MARKUP.search("".join(row)):
                raise RegisterFileError(
                    f"{name}, line {line}: the line holds control characters or web page code"
                )
            if len(row) != len(header):
                raise RegisterFileError(
                    f"{name}, line {line}: the line has {len(row)} columns where the header has {len(header)}"
                )
            yield line, dict(zip(header, row, strict=True))
    except csv.Error as exc:
        raise RegisterFileError(f"{name}, line {reader.line_num}: the line cannot be read ({exc})") from None


def parse_charity_register(text: str, name: str) -> dict[str, ParsedEntry]:
    entries = {}
    what = "the Charity Commission's register extract (the tab-separated charity table)"
    for line, row in _rows(text, name, "\t", CHARITY_COLUMNS, what):
        number, linked = row["registered_charity_number"].strip(), row["linked_charity_number"].strip() or "0"
        if not number.isdigit() or not linked.isdigit():
            raise RegisterFileError(f"{name}, line {line}: the charity number {number!r} is not a number")
        if not row["charity_registration_status"].strip():
            raise RegisterFileError(f"{name}, line {line}: the registration status is blank")
        try:
            income = _money(row["latest_income"])
            made_up_to = _date(
                row["latest_acc_fin_period_end_date"], ("%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d")
            )
        except (InvalidOperation, ValueError) as exc:
            raise RegisterFileError(f"{name}, line {line}: {exc} is not an amount or a date") from None
        if int(linked) != 0:
            continue  # a linked (subsidiary) charity shares its main charity's number
        entries[number] = ParsedEntry(
            number,
            row["charity_name"].strip()[:200],
            row["charity_registration_status"].strip()[:80],
            income,
            made_up_to,
        )
    return entries


def parse_company_register(text: str, name: str) -> dict[str, ParsedEntry]:
    entries = {}
    what = "Companies House's company data product (BasicCompanyData CSV)"
    for line, row in _rows(text, name, ",", COMPANY_COLUMNS, what):
        number = row["CompanyNumber"].strip().upper()
        if not COMPANY_NUMBER_RE.match(number):
            raise RegisterFileError(f"{name}, line {line}: {number!r} is not a company number")
        if not row["CompanyStatus"].strip():
            raise RegisterFileError(f"{name}, line {line}: the company status is blank")
        try:
            made_up_to = _date(row["Accounts.LastMadeUpDate"], ("%d/%m/%Y", "%Y-%m-%d"))
        except ValueError as exc:
            raise RegisterFileError(f"{name}, line {line}: {exc} is not a date") from None
        entries[number] = ParsedEntry(
            number, row["CompanyName"].strip()[:200], row["CompanyStatus"].strip()[:80], None, made_up_to
        )
    return entries


def parse(register: str, data: bytes, name: str) -> dict[str, ParsedEntry]:
    data, inner = _unzipped(data, name)
    if inner != name:
        name = f"{name} ({inner})"
    text = _text(data, name)
    if register == Register.CHARITY:
        return parse_charity_register(text, name)
    return parse_company_register(text, name)


def import_register(*, register: str, data: bytes, name: str, by: Actor | None) -> RegisterImport:
    """Check the whole file, then keep the entries of the organisations the office knows, in one transaction.
    Raises RegisterFileError (nothing imported) when the file is not the register's format."""
    if by is not None:
        require_perm(by, "opcc.import_register")
    if register not in Register.values:
        raise RegisterFileError(f"{name}: choose which register the file is from")
    parsed = parse(register, data, name)
    field = "charity_number" if register == Register.CHARITY else "company_number"
    known = {n.upper() for n in Organisation.objects.exclude(**{field: ""}).values_list(field, flat=True)}
    kept = [e for number, e in parsed.items() if number in known]
    with transaction.atomic():
        record = RegisterImport.objects.create(
            register=register,
            file_name=name[:255],
            rows_read=len(parsed),
            rows_kept=len(kept),
            imported_by=by,
            imported_at=timezone.now(),
        )
        RegisterEntry.objects.filter(register=register, number__in=[e.number for e in kept]).delete()
        RegisterEntry.objects.bulk_create(
            [
                RegisterEntry(
                    register=register,
                    number=e.number,
                    name=e.name,
                    status=e.status,
                    latest_income=e.latest_income,
                    accounts_made_up_to=e.accounts_made_up_to,
                    source=record,
                )
                for e in kept
            ]
        )
    return record
