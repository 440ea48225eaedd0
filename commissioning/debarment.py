"""Reading the debarment list the office uploads (a CSV), and the central digital platform's supplier identifiers.

The Cabinet Office publishes the debarment list (Procurement Act 2023 s.62). No machine-readable format for it
was confirmed, so the office uploads it as a CSV with these columns (a header row first; names in any order and
any case):

    supplier_name        the supplier's name, as the list gives it (required)
    registration_number  Companies House or Charity Commission number (optional)
    cdp_identifier       the supplier's central digital platform identifier, GB-PPON-XXXX-9999-XXXX (optional)
    ground_type          mandatory or discretionary (required)
    grounds              the exclusion grounds the entry cites (required)
    date_entered         the date the supplier was entered on the list, YYYY-MM-DD or DD/MM/YYYY (required)
    end_date             the date the entry ends, when it gives one (optional)

A file with a bad row is refused whole, each bad row named with its line, so a list is never half loaded.
"""

import csv
import io
import re
from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import ValidationError

from commissioning.models import GroundKind

REQUIRED = ("supplier_name", "ground_type", "grounds", "date_entered")
OPTIONAL = ("registration_number", "cdp_identifier", "end_date")
# How many bad rows the error names before it says how many more there are.
SHOWN_ERRORS = 10

# A Public Procurement Organisation Number as the platform shows it: GB-PPON-PMZV-7732-XXTT.
PPON_RE = re.compile(r"^(?:GB-PPON[-:])?([A-Z]{4}-\d{4}-[A-Z]{4})$")


def normalise_ppon(value: str) -> str | None:
    """'gb-ppon-pmzv-7732-xxtt' or 'PMZV-7732-XXTT' -> 'GB-PPON-PMZV-7732-XXTT'; None when it is not one."""
    match = PPON_RE.match((value or "").strip().upper().replace(" ", ""))
    return f"GB-PPON-{match.group(1)}" if match else None


def normalise_name(name: str) -> str:
    """A name for matching: lower case, no punctuation, common company endings dropped."""
    words = re.sub(r"[^a-z0-9 ]", " ", (name or "").lower().replace("&", " and ")).split()
    while words and words[-1] in {"ltd", "limited", "plc", "cic", "llp", "cio", "the"}:
        words.pop()
    return " ".join(words)


def normalise_number(value: str) -> str:
    return re.sub(r"[^A-Z0-9]", "", (value or "").upper())


@dataclass(frozen=True)
class Row:
    supplier_name: str
    registration_number: str
    cdp_identifier: str
    kind: str
    grounds: str
    entered_on: date
    ends_on: date | None


def _date(value: str) -> date | None:
    value = (value or "").strip()
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    return None


def _row(values: dict[str, str]) -> tuple[Row | None, list[str]]:
    problems = []
    name = values.get("supplier_name", "").strip()
    if not name:
        problems.append("the supplier name is empty")
    kind = values.get("ground_type", "").strip().lower()
    if kind not in GroundKind.values:
        problems.append(f"the ground type must be mandatory or discretionary, not '{kind or 'empty'}'")
    grounds = values.get("grounds", "").strip()
    if not grounds:
        problems.append("the grounds are empty")
    entered = _date(values.get("date_entered", ""))
    if entered is None:
        problems.append(
            f"the date entered must be a date like 2026-03-31, not '{values.get('date_entered', '').strip() or 'empty'}'"
        )
    ends = None
    if values.get("end_date", "").strip():
        ends = _date(values["end_date"])
        if ends is None:
            problems.append(
                f"the end date must be a date like 2031-03-31, not '{values['end_date'].strip()}'"
            )
        elif entered and ends < entered:
            problems.append("the end date is before the date entered")
    cdp = values.get("cdp_identifier", "").strip()
    if cdp and normalise_ppon(cdp) is None:
        problems.append(f"the central digital platform identifier '{cdp}' is not like GB-PPON-ABCD-1234-EFGH")
    if problems or entered is None:
        return None, problems
    return (
        Row(
            supplier_name=name[:200],
            registration_number=normalise_number(values.get("registration_number", ""))[:20],
            cdp_identifier=normalise_ppon(cdp) or "",
            kind=kind,
            grounds=grounds,
            entered_on=entered,
            ends_on=ends,
        ),
        [],
    )


def parse(text: str) -> list[Row]:
    """The list's rows. Raises ValidationError naming every problem (a missing column, each bad row by line)."""
    reader = csv.reader(io.StringIO(text, newline=""))
    header = [h.strip().lower().replace(" ", "_") for h in next(reader, [])]
    if missing := [name for name in REQUIRED if name not in header]:
        raise ValidationError(
            f"The file must have a header row with the columns {', '.join(REQUIRED)} "
            f"(and, if it has them, {', '.join(OPTIONAL)}): it has no {', '.join(missing)} column"
        )
    rows, errors = [], []
    for number, cells in enumerate(reader, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        row, problems = _row(dict(zip(header, cells, strict=False)))
        if row is None:
            errors.append(f"Line {number}: {'; '.join(problems)}")
        else:
            rows.append(row)
    if errors:
        shown = errors[:SHOWN_ERRORS]
        if len(errors) > SHOWN_ERRORS:
            shown.append(f"and {len(errors) - SHOWN_ERRORS} more lines with problems")
        raise ValidationError(["Nothing was imported: correct these lines and upload the file again", *shown])
    if not rows:
        raise ValidationError("The file has a header row but no suppliers")
    return rows
