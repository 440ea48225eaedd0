"""Filters for the Panel report's frozen content, whose numbers and dates are kept as text."""

from datetime import date
from decimal import Decimal, InvalidOperation

from django import template

register = template.Library()


@register.filter
def count(value):
    """1,204 or 12.5 from "1204.00" or "12.50"; "0" for nothing counted."""
    if value in (None, ""):
        return "0"
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    number = number.quantize(Decimal(1)) if number == number.to_integral() else number.normalize()
    return f"{number:,f}"


@register.filter
def day(value):
    """ "2026-09-17" as 17 September 2026."""
    try:
        return f"{date.fromisoformat(str(value)):%-d %B %Y}"
    except ValueError:
        return str(value or "")
