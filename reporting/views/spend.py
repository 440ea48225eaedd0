"""Spending over £500 by month, public without sign-in: a page, and the same rows as CSV and JSON (streamed, so a
year's payments never sit in memory at once)."""

import csv
import json
from collections.abc import Iterator

from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from opcc.exports import safe_cell
from opcc.paging import page_of
from reporting.selectors import spend

PER_PAGE = 50


def _month(request):
    months = spend.months()
    return spend.month_from(request.GET.get("month"), months), months


def _filename(month) -> str:
    return f"spending-over-500-{month:%Y-%m}" if month else "spending-over-500"


@require_GET
def spend_list(request):
    month, months = _month(request)
    page = page_of(request, spend.spend_over_500(month), per_page=PER_PAGE)
    return render(
        request,
        "reporting/transparency/spend_list.html",
        {
            "section": "spend",
            "page": page,
            "rows": [spend.item(p) for p in page],
            "month": month,
            "months": months,
            "query": f"?month={month:%Y-%m}" if month else "",
        },
    )


class _Echo:
    def write(self, value):
        return value


def _csv_rows(month) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(spend.COLUMNS)
    for payment in spend.spend_over_500(month).iterator(chunk_size=2000):
        yield writer.writerow([safe_cell(v) for v in spend.item(payment).values()])


@require_GET
def spend_csv(request):
    month, _ = _month(request)
    response = StreamingHttpResponse(_csv_rows(month), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(month)}.csv"'
    return response


def _json_value(value):
    # Money as a decimal string with its pence ("1250.00"), dates as ISO 8601.
    return str(value) if not hasattr(value, "isoformat") else value.isoformat()


def _json_rows(month) -> Iterator[str]:
    yield '{"items": ['
    for n, payment in enumerate(spend.spend_over_500(month).iterator(chunk_size=2000)):
        row = dict(zip(spend.COLUMNS, (_json_value(v) for v in spend.item(payment).values()), strict=True))
        yield ("," if n else "") + json.dumps(row)
    yield "]}"


@require_GET
def spend_json(request):
    month, _ = _month(request)
    response = StreamingHttpResponse(_json_rows(month), content_type="application/json")
    response["Content-Disposition"] = f'inline; filename="{_filename(month)}.json"'
    return response
