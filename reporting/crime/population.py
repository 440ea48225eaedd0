"""Importing the ONS mid-year population estimates for West Mercia's local authorities (crimes per 1,000 residents).

The office downloads one of ONS's files, as Excel or saved as CSV, and either is read:

- "Estimates of the population for the UK, England, Wales, Scotland and Northern Ireland" (the mid-year workbook):
  sheet "MYE2 - Persons", a few title rows, then the header `Code, Name, Geography, All ages, 0, 1, ... 90+` and
  one row per country, region, county and local authority;
- "Estimates of the population for England and Wales" (the detailed time series, sheet "MYEB1"): the header
  `ladcode23, laname23, country, sex, age, population_2011, ... population_2023` and one row per authority, sex
  and single year of age, which are added up.

Any sheet or CSV with an ONS code column, a name column and an "All ages" (or `population_YYYY` / `Mid-YYYY`)
column is read the same way. Rows for places outside West Mercia are counted and left out. A file is refused as a
whole, with every reason at once, when a column is missing, a code is not an ONS code, a figure is not a whole
number, a West Mercia authority is missing or named as another, or the file says it is for another year: nothing is
saved. Importing a year again replaces that year.
"""

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from openpyxl import load_workbook

from opcc.models import LocalPolicingArea
from opcc.services import documents
from opcc.types import Actor
from reporting.models import LocalAuthorityPopulation, PopulationImport
from reporting.models.population import FIRST_YEAR, LAST_YEAR

KINDS = (documents.XLSX, documents.CSV)
# The demo's and the tests' file: mid-2023 residents in the columns of ONS's MYE2 - Persons sheet (up to All ages).
# Published figures where they could be found: Shropshire 329,558 and Telford and Wrekin 192,417 (ONS, as reported
# with the mid-2024 release, telford-live.com, August 2025), Worcester 105,143 (ONS, via citypopulation.de) and
# Herefordshire 189,900 (ONS, rounded to the hundred by Herefordshire Council's Understanding Herefordshire). Bromsgrove,
# Malvern Hills, Redditch, Wychavon and Wyre Forest are approximations (the 2021 Census grown by recent years' change,
# rounded to the hundred), not ONS's figures; Worcestershire's row is their sum. The office imports ONS's own file.
SAMPLE = Path(__file__).resolve().parent / "data" / "ons-mid-2023-population-west-mercia.csv"
SAMPLE_YEAR = 2023

# West Mercia's local authorities by their ONS (GSS) code, named as the local policing areas list them
# (LocalPolicingArea.local_authorities, which also places police.uk's crimes).
WEST_MERCIA_AUTHORITIES = {
    "E06000019": "Herefordshire",
    "E06000051": "Shropshire",
    "E06000020": "Telford and Wrekin",
    "E07000234": "Bromsgrove",
    "E07000235": "Malvern Hills",
    "E07000236": "Redditch",
    "E07000237": "Worcester",
    "E07000238": "Wychavon",
    "E07000239": "Wyre Forest",
}
CODE_OF = {name: code for code, name in WEST_MERCIA_AUTHORITIES.items()}

ONS_CODE = re.compile(r"[EWSNK]\d{8}")
PREFERRED_SHEETS = ("MYE2 - Persons", "MYEB1")
HEADER_WITHIN = 30  # ONS puts a title and notes above the header: look this far down for it
PROBLEMS_SHOWN = 10

_CODE_HEADINGS = {"code", "area code", "local authority code", "la code", "geography code", "lad code"}
_NAME_HEADINGS = {"name", "area name", "local authority name", "la name", "geography name", "lad name"}
_TOTAL_HEADINGS = {"all ages", "all persons", "persons", "total", "total population", "population"}
_CODE_PATTERN = re.compile(r"(?:lad|ltla|utla|la)\d{2}cd|(?:lad|la)code\d{2}")
_NAME_PATTERN = re.compile(r"(?:lad|ltla|utla|la)\d{2}nm|(?:lad|la)name\d{2}")
_YEAR_HEADING = re.compile(r"(?:population[ _]?|(?:estimated population )?mid-?)((?:19|20)\d{2})")
_TITLE_YEAR = re.compile(r"\bmid-?((?:19|20)\d{2})\b", re.IGNORECASE)


class NotAPopulationFileError(Exception):
    """The file cannot be imported; `problems` says every reason, for the person who uploaded it."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass
class Estimate:
    code: str
    name: str
    population: int
    line: int  # the row of the file (the first, when an authority's figure is the sum of several rows)


@dataclass
class Estimates:
    year: int
    found: dict[str, Estimate] = field(default_factory=dict)  # West Mercia's authorities, by code
    outside: int = 0  # other rows with a figure: other places, and the counties, regions and countries
    sheet: str = ""
    seen: dict[str, int] = field(
        default_factory=dict
    )  # the first row of each West Mercia authority, right or wrong
    problems: list[str] = field(
        default_factory=list
    )  # with the rows: reported with the areas' own, all at once


def _heading(value) -> str:
    return " ".join(str(value or "").replace("\n", " ").split()).lower()


def _cell(value) -> str:
    return "" if value is None else " ".join(str(value).split())


# ---- Reading the table ----------------------------------------------------------------------------------------


def _csv_rows(data: bytes) -> list[list]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    return list(csv.reader(io.StringIO(text, newline="")))


class _Workbook:
    """The tables in the file (a CSV's one, or a workbook's sheets, ONS's own first) as (name, rows); a workbook is
    read a row at a time and closed when done."""

    def __init__(self, data: bytes, kind: documents.FileKind):
        self.workbook = None
        if kind is documents.CSV:
            self.tables = [("", _csv_rows(data))]
            return

        try:
            self.workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception:  # noqa: BLE001 - openpyxl raises many kinds for a damaged workbook
            raise NotAPopulationFileError(
                ["The workbook could not be opened: save it again from Excel and upload it"]
            ) from None
        names = sorted(
            self.workbook.sheetnames,
            key=lambda n: PREFERRED_SHEETS.index(n) if n in PREFERRED_SHEETS else len(PREFERRED_SHEETS),
        )
        self.tables = [(name, self.workbook[name].iter_rows(values_only=True)) for name in names]

    def __enter__(self):
        return self.tables

    def __exit__(self, *exc):
        if self.workbook is not None:
            self.workbook.close()


@dataclass
class _Header:
    line: int
    code: int
    name: int | None
    total: int | None  # "All ages"
    years: dict[int, int]  # year -> column, for files with a column per year
    sex: int | None
    age: int | None
    title: str  # the text above the header, where ONS says which year the table is for
    cells: list[str]


def _find_header(rows: Iterator, *, sheet: str) -> _Header | None:
    title = [sheet]
    for line, row in enumerate(rows, start=1):
        if line > HEADER_WITHIN:
            return None
        headings = [_heading(v) for v in row]
        code = next(
            (i for i, h in enumerate(headings) if h in _CODE_HEADINGS or _CODE_PATTERN.fullmatch(h)), None
        )
        if code is None:
            title.extend(str(v) for v in row if v not in (None, ""))
            continue
        years = {}
        for i, h in enumerate(headings):
            found = _YEAR_HEADING.fullmatch(h)
            if found:
                years[int(found.group(1))] = i
        return _Header(
            line=line,
            code=code,
            years=years,
            title=" ".join(title),
            cells=[_cell(v) for v in row],
            name=next(
                (i for i, h in enumerate(headings) if h in _NAME_HEADINGS or _NAME_PATTERN.fullmatch(h)), None
            ),
            total=next((i for i, h in enumerate(headings) if h in _TOTAL_HEADINGS), None),
            sex=next((i for i, h in enumerate(headings) if h == "sex"), None),
            age=next((i for i, h in enumerate(headings) if h == "age"), None),
        )
    return None


def _whole_number(value) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value >= 0 else None
    if isinstance(value, float):
        return int(value) if value.is_integer() and value >= 0 else None
    text = _cell(value).replace(",", "").replace(" ", "")
    return int(text) if text.isdigit() else None


def _years(years) -> str:
    years = sorted(years)
    return f"mid-{years[0]}" if len(years) == 1 else f"mid-{years[0]} to mid-{years[-1]}"


def read_estimates(data: bytes, kind: documents.FileKind, *, year: int) -> Estimates:
    """West Mercia's authorities' populations in the file, for `year`, and the problems with its rows. Raises
    NotAPopulationFileError when the file cannot be read as the estimates at all (no header, a column missing)."""
    with _Workbook(data, kind) as tables:
        return _read(tables, kind, year)


def _read(tables, kind, year: int) -> Estimates:
    sheet, header, rows = _first_header(tables, kind)
    column = _figure_column(header, year)
    estimates = Estimates(year=year, sheet=sheet)
    outside: set[str] = set()
    width = max(column, header.code, header.name) + 1
    for line, row in enumerate(rows, start=header.line + 1):
        problem = _take_row(estimates, outside, header, column, line, list(row) + [None] * (width - len(row)))
        if problem:
            estimates.problems.append(problem)
    estimates.outside = len(outside)
    return estimates


def _first_header(tables, kind) -> tuple[str, _Header, Iterator]:
    """The first sheet with a header row, the header, and the rows under it."""
    for sheet, table in tables:
        rows = iter(table)
        header = _find_header(rows, sheet=sheet)
        if header is not None:
            return sheet, header, rows
    raise NotAPopulationFileError(
        [
            "The file is not the ONS mid-year population estimates: no column of ONS area codes (headed Code or "
            f"ladcode23, for example) was found in the first {HEADER_WITHIN} rows"
            + (" of any sheet" if kind is documents.XLSX else "")
        ]
    )


def _figure_column(header: _Header, year: int) -> int:
    """The column of `year`'s populations. Raises NotAPopulationFileError naming every column missing."""
    problems = []
    if header.name is None:
        problems.append("The file has no column of area names (headed Name or laname23, for example)")
    if header.years:
        column = header.years.get(year)
        if column is None:
            problems.append(
                f"The file has no population column for mid-{year}: it holds {_years(header.years)}"
            )
    else:
        column = header.total
        if column is None:
            problems.append("The file has no “All ages” column (the total population of each area)")
        stated = {int(y) for y in _TITLE_YEAR.findall(header.title)}
        if len(stated) == 1 and year not in stated:
            (said,) = stated
            problems.append(
                f"The file says it holds mid-{said} estimates, not mid-{year}: choose {said} as the year, "
                f"or upload the mid-{year} file"
            )
    if problems or column is None:
        raise NotAPopulationFileError(problems)
    return column


def _take_row(
    estimates: Estimates, outside: set[str], header: _Header, column: int, line: int, row: list
) -> str | None:
    """Add the row's figure to `estimates` (or count it in `outside`); what is wrong with the row, if anything."""
    code = _cell(row[header.code]).upper()
    if not code:
        return None  # a blank row
    if not ONS_CODE.fullmatch(code):
        if any(_cell(v) for i, v in enumerate(row) if i != header.code):
            return f"Row {line}: “{_cell(row[header.code])[:40]}” is not an ONS area code (such as E06000019)"
        return None  # otherwise a note under the table
    name, raw = _cell(row[header.name]), row[column]
    expected = WEST_MERCIA_AUTHORITIES.get(code)
    if expected is not None:
        by_sex_and_age = header.sex is not None or header.age is not None
        if code in estimates.seen and not by_sex_and_age:
            return f"Row {line}: {expected} ({code}) appears again (first on row {estimates.seen[code]})"
        estimates.seen.setdefault(code, line)
        if not name.lower().startswith(expected.lower()):
            return f"Row {line}: {code} is {expected}, but the file names it “{name[:60]}”"
    population = _whole_number(raw)
    if population is None:
        label = header.cells[column]
        return (
            f"Row {line}: the “{label}” figure for {name or code} is “{_cell(raw)[:20]}”, not a whole number"
        )
    if expected is None:
        outside.add(code)
    elif code in estimates.found:
        estimates.found[code].population += population  # one row per sex and age: add them up
    else:
        estimates.found[code] = Estimate(code=code, name=name, population=population, line=line)
    return None


# ---- Placing it in the areas and saving it --------------------------------------------------------------------


def _areas_by_code(areas: list[LocalPolicingArea]) -> tuple[dict[str, LocalPolicingArea], list[str]]:
    """Each West Mercia authority's local policing area, and the problems with the areas' own lists."""
    by_code, problems = {}, []
    for area in areas:
        for authority in area.local_authorities or []:
            code = CODE_OF.get(authority)
            if code is None:
                problems.append(
                    f"{area.name}'s local authority “{authority}” has no ONS code known to this system, "
                    "so its population cannot be found"
                )
            else:
                by_code[code] = area
    return by_code, problems


def _placed(estimates: Estimates, areas: list[LocalPolicingArea]) -> list[tuple[Estimate, LocalPolicingArea]]:
    """Each authority's figure with its area. Raises NotAPopulationFileError with the rows' problems and the areas'."""
    by_code, problems = _areas_by_code(areas)
    problems = estimates.problems + problems
    missing = [f"{WEST_MERCIA_AUTHORITIES[code]} ({code})" for code in by_code if code not in estimates.seen]
    if missing:
        problems.append(f"The file has no mid-{estimates.year} figure for {_listed(missing)}")
    if not by_code and not problems:
        problems.append("No local policing area lists a local authority: nothing could be placed")
    if problems:
        if len(problems) > PROBLEMS_SHOWN:
            more = len(problems) - PROBLEMS_SHOWN
            problems = [
                *problems[:PROBLEMS_SHOWN],
                f"and {more} more problem{'s' if more > 1 else ''} like these",
            ]
        raise NotAPopulationFileError(problems)
    return [
        (estimate, by_code[code]) for code, estimate in sorted(estimates.found.items()) if code in by_code
    ]


def _listed(items: list[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def check_year(year) -> int:
    if year is None or not FIRST_YEAR <= int(year) <= LAST_YEAR:
        raise NotAPopulationFileError([f"The year must be between {FIRST_YEAR} and {LAST_YEAR}"])
    return int(year)


def check_file(checked: documents.CheckedFile, *, year: int) -> Estimates:
    """The page's check, once the documents service has checked the upload: the estimates can be read for the year
    and placed in the areas. Raises NotAPopulationFileError."""
    estimates = read_estimates(checked.data, checked.kind, year=check_year(year))
    _placed(estimates, list(LocalPolicingArea.objects.order_by("name")))
    return estimates


@transaction.atomic
def import_estimates(
    *,
    data: bytes,
    name: str,
    year: int,
    by: Actor | None = None,
    keep_file: bool = True,
    estimates: Estimates | None = None,
) -> PopulationImport:
    """Check the file and replace the year's populations with its figures, in one transaction: all or nothing.
    keep_file: store the upload through the documents service (the page; the demo reads a file already kept here).
    estimates: what the page's check already read from these bytes for this year (a large workbook is read once)."""
    year = check_year(year)
    try:
        checked = documents.check_bytes(data, name=name, allowed=KINDS)
    except ValidationError as exc:
        raise NotAPopulationFileError(exc.messages) from None
    # Locking the areas makes two imports at once take turns, and holds the areas' authorities still meanwhile.
    areas = list(LocalPolicingArea.objects.select_for_update().order_by("pk"))
    if estimates is None or estimates.year != year:
        estimates = read_estimates(checked.data, checked.kind, year=year)
    placed = _placed(estimates, areas)
    # West Mercia's authorities in no area here count with the other places left out.
    record = PopulationImport(
        year=year,
        file_name=checked.name[:255],
        by=by,
        authorities=len(placed),
        outside=estimates.outside + len(estimates.found) - len(placed),
        total=sum(e.population for e, _ in placed),
    )
    record.full_clean()
    record.save()
    if keep_file:
        record.document = documents.store_bytes(
            data=checked.data,
            kind=checked.kind,
            original_name=checked.name,
            attached_to=record,
            by=by,
            purpose="population_import",
            title=f"ONS mid-{year} population estimates {checked.name}",
        )
        record.save(update_fields=["document"])
    LocalAuthorityPopulation.objects.filter(year=year).delete()
    rows = [
        LocalAuthorityPopulation(
            year=year,
            code=e.code,
            name=WEST_MERCIA_AUTHORITIES[e.code],
            area=area,
            population=e.population,
            source=record,
        )
        for e, area in placed
    ]
    for row in rows:
        row.full_clean(validate_unique=False, validate_constraints=True)
    LocalAuthorityPopulation.objects.bulk_create(rows)
    return record


def import_path(path, *, year: int, by: Actor | None = None) -> PopulationImport:
    """Import a file from disk (the demo and the command line), without keeping a copy of it."""
    path = Path(path)
    return import_estimates(data=path.read_bytes(), name=path.name, year=year, by=by, keep_file=False)
