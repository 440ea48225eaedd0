"""opcc.money: amounts in figures and in words, one rule for negatives."""

from decimal import Decimal

import pytest
from django.template import Context, Template

from opcc.money import ZERO, amount_in_words, gbp, number_in_words, pence


@pytest.mark.parametrize(
    ("amount", "shown"),
    [
        (Decimal("1234.5"), "£1,234.50"),
        (Decimal("0"), "£0.00"),
        (Decimal("-1200"), "-£1,200.00"),
        (Decimal("-0.01"), "-£0.01"),
        (18500, "£18,500.00"),
        ("99.999", "£100.00"),
    ],
)
def test_gbp_in_pounds_and_pence(amount, shown):
    assert gbp(amount) == shown


def test_gbp_in_whole_pounds_and_nothing_for_no_amount():
    assert gbp(Decimal("1234.56"), whole_pounds=True) == "£1,235"
    assert gbp(Decimal("-1234.4"), whole_pounds=True) == "-£1,234"
    assert gbp(None) == "" and gbp("") == ""


def test_the_template_filters_use_the_same_rule():
    page = Template("{% load opcc_tags %}{{ a|gbp }} {{ a|gbp0 }} {{ none|gbp }}.").render(
        Context({"a": Decimal("-1200.40"), "none": None})
    )
    assert page == "-£1,200.40 -£1,200 ."


def test_pence_rounds_database_sums_to_the_penny():
    assert pence(Decimal("46542.4600000000")) == Decimal("46542.46")
    assert str(pence(18500)) == "18500.00"
    assert pence(None) is None
    assert ZERO == 0 and str(ZERO) == "0.00"


@pytest.mark.parametrize(
    ("n", "words"),
    [
        (0, "zero"),
        (21, "twenty-one"),
        (105, "one hundred and five"),
        (1005, "one thousand and five"),
        (12500, "twelve thousand, five hundred"),
        (1234567, "one million, two hundred and thirty-four thousand, five hundred and sixty-seven"),
    ],
)
def test_numbers_in_british_english_words(n, words):
    assert number_in_words(n) == words


def test_amounts_in_words():
    assert amount_in_words(Decimal("12500.50")) == "twelve thousand, five hundred pounds and fifty pence"
    assert amount_in_words(Decimal("1")) == "one pound"
    assert amount_in_words(Decimal("0.01")) == "zero pounds and one pence"
    with pytest.raises(ValueError):
        amount_in_words(Decimal("-1"))


def test_gbp_shows_pence_only_when_there_are_some_when_asked():
    assert gbp(Decimal("75.00"), pence_if_any=True) == "£75"
    assert gbp(Decimal("75.5"), pence_if_any=True) == "£75.50"
    assert gbp(Decimal("-25000"), pence_if_any=True) == "-£25,000"
