"""Money as every page, export and letter shows it: the one home for zero, rounding to the penny and pounds in
figures and in words.

Negative amounts take a hyphen-minus before the pound sign ("-£1,200.00"), as the GOV.UK style guide asks:
some screen readers do not read out the Unicode minus sign.
"""

from decimal import ROUND_HALF_UP, Decimal
from typing import overload

from num2words import num2words

ZERO = Decimal("0.00")
PENNY = Decimal("0.01")


@overload
def pence(amount: Decimal) -> Decimal: ...
@overload
def pence(amount: None) -> None: ...
@overload
def pence(amount: Decimal | None) -> Decimal | None: ...
def pence(amount: Decimal | None) -> Decimal | None:
    """A money figure in pounds and pence exactly: sums and subqueries can come back from the database as 18500
    or 46542.4600000000."""
    return None if amount is None else Decimal(amount).quantize(PENNY)


def gbp(amount: Decimal | int | str | None, *, whole_pounds: bool = False, pence_if_any: bool = False) -> str:
    """£1,234.56; £1,235 with whole_pounds; with pence_if_any £75 for a whole number of pounds and £75.50
    otherwise. "-£1,200.00" when negative; empty for None or ""."""
    if amount is None or amount == "":
        return ""
    amount = Decimal(amount)
    sign = "-" if amount < 0 else ""
    if pence_if_any and amount == amount.to_integral_value():
        whole_pounds = True
    figures = f"{abs(amount):,.0f}" if whole_pounds else f"{abs(amount):,.2f}"
    return f"{sign}£{figures}"


def number_in_words(n: int) -> str:
    """British English: 12,500 -> "twelve thousand, five hundred"; 1,005 -> "one thousand and five"."""
    return num2words(n, lang="en")


def amount_in_words(amount) -> str:
    """£12,500.50 -> "twelve thousand, five hundred pounds and fifty pence"."""
    amount = Decimal(amount).quantize(PENNY, rounding=ROUND_HALF_UP)
    if amount < 0:
        raise ValueError("An amount in words cannot be negative")
    pounds = int(amount)
    pennies = int((amount - pounds) * 100)
    text = f"{number_in_words(pounds)} pound{'s' if pounds != 1 else ''}"
    if pennies:
        text += f" and {number_in_words(pennies)} pence"
    return text
