from datetime import UTC, datetime

from django.template import Context, Template


def render(value):
    return Template("{% load opcc_tags %}{{ value|govuk_datetime }}").render(Context({"value": value}))


def test_moments_read_the_gov_uk_way_in_uk_time():
    assert render(datetime(2026, 7, 1, 16, 27, tzinfo=UTC)) == "1 July 2026 at 5:27pm"  # BST
    assert render(datetime(2026, 11, 25, 9, 5, tzinfo=UTC)) == "25 November 2026 at 9:05am"  # GMT
    assert render(datetime(2026, 11, 25, 12, 0, tzinfo=UTC)) == "25 November 2026 at midday"
    assert render(datetime(2026, 11, 25, 0, 0, tzinfo=UTC)) == "25 November 2026 at midnight"
    assert render(None) == ""
