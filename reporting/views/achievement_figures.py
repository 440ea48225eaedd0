"""The outcomes dashboard's figures, computed once per change of the data (`opcc.aggregates.cached`) and shared by
the page, its downloads and its lists.

They are kept in the cache as plain tuples of strings and numbers: a year of services at bench volume is well over
a thousand rows, and unpickling as many dataclasses full of Decimals took longer than the page may. A page unpacks
only the rows it shows (`PackedRows` is a sequence that unpacks on reading), and sums straight from the tuples.
"""

from collections.abc import Sequence
from dataclasses import astuple, dataclass
from datetime import date
from decimal import Decimal

from opcc.aggregates import cached
from opcc.calendar import Quarter
from reporting.selectors import achievements as sel
from reporting.selectors.outcomes import Completeness, IndicatorTotal


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _decimal(text: str | None) -> Decimal | None:
    return None if text is None else Decimal(text)


def _pack_totals(outcomes) -> tuple:
    return tuple(
        (
            o.key,
            o.name,
            o.unit,
            o.aggregation,
            _text(o.value),
            _text(o.numerator),
            _text(o.denominator),
            o.awards,
        )
        for o in outcomes
    )


def _unpack_totals(packed) -> list[IndicatorTotal]:
    return [
        IndicatorTotal(
            key, name, unit, aggregation, _decimal(value), _decimal(numerator), _decimal(denominator), awards
        )
        for key, name, unit, aggregation, value, numerator, denominator, awards in packed
    ]


# The positions in a packed row.
COMMITTED, PAID, OUTCOMES = 5, 6, 7


def pack_row(row: sel.AchievementRow) -> tuple:
    return (
        row.dimension,
        row.key,
        row.label,
        astuple(row.filters),
        row.awards,
        str(row.committed),
        str(row.paid),
        _pack_totals(row.outcomes),
        row.returns_accepted,
        row.returns_expected,
        row.provider,
    )


def unpack_row(packed: tuple) -> sel.AchievementRow:
    (dimension, key, label, filters, awards, committed, paid, outcomes, accepted, expected, provider) = packed
    return sel.AchievementRow(
        dimension=dimension,
        key=key,
        label=label,
        filters=sel.AchievementFilters(*filters),
        awards=awards,
        committed=Decimal(committed),
        paid=Decimal(paid),
        outcomes=_unpack_totals(outcomes),
        returns_accepted=accepted,
        returns_expected=expected,
        provider=provider,
    )


class PackedRows(Sequence):
    """Rows kept packed, unpacked as they are read (a paginator reads one page of them)."""

    def __init__(self, packed: tuple):
        self.packed = packed

    def __len__(self) -> int:
        return len(self.packed)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [unpack_row(p) for p in self.packed[index]]
        return unpack_row(self.packed[index])

    def total(self, position: int) -> Decimal:
        return sum((Decimal(p[position]) for p in self.packed), Decimal(0))

    def indicator_total(self, key: str) -> Decimal:
        """A count indicator's total over the rows (people supported, say)."""
        return sum(
            (Decimal(o[4]) for p in self.packed for o in p[OUTCOMES] if o[0] == key and o[4] is not None),
            Decimal(0),
        )


@dataclass
class Figures:
    rows: PackedRows
    total: sel.AchievementRow
    trend: list  # [sel.TrendPoint]
    completeness: list  # [Completeness]


def _pack(rows, total, trend, completeness) -> tuple:
    return (
        tuple(pack_row(r) for r in rows),
        pack_row(total),
        tuple(
            (p.quarter.start_year, p.quarter.number, _pack_totals(p.outcomes), p.accepted, p.expected)
            for p in trend
        ),
        tuple((c.quarter.start_year, c.quarter.number, c.accepted, c.expected) for c in completeness),
    )


def _unpack(packed) -> Figures:
    rows, total, trend, completeness = packed
    return Figures(
        rows=PackedRows(rows),
        total=unpack_row(total),
        trend=[
            sel.TrendPoint(Quarter(y, n), _unpack_totals(o), accepted, expected)
            for y, n, o, accepted, expected in trend
        ],
        completeness=[
            Completeness(Quarter(y, n), accepted, expected) for y, n, accepted, expected in completeness
        ],
    )


def figures(filters: sel.AchievementFilters, by: str, today: date, options: sel.FilterChoices) -> Figures:
    """The rows by `by` and their total, the trend by quarter and the completeness of the returns."""

    def compute():
        rows, total = sel.achievements(by, filters, options)
        return _pack(
            rows,
            total,
            sel.quarterly_trend(filters, today, choices=options),
            sel.completeness(filters, options),
        )

    return _unpack(cached("achievements", (astuple(filters), by, today), compute))


def service_rows(filters: sel.AchievementFilters, options: sel.FilterChoices) -> PackedRows:
    """One row per award in scope (its money, people and outcomes), largest commitment first."""

    def compute():
        return tuple(pack_row(r) for r in sel.achievements_by("service", filters, options))

    return PackedRows(cached("achievement-services", astuple(filters), compute))
