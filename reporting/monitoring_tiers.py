"""The monitoring tiers and bands the office starts with. Data: the head of commissioning changes them in the
settings site; they are written once, on an empty table, and never over an edit.

Why these values:
- £5,000 is where the Financial Regulations' procurement bands stop asking for one written quote: a sum small
  enough for one quote is small enough for one end-of-project report (light). Most LPCAF grants (the rounds' maximum
  is £5,000) and the smallest grants of the other schemes fall under it.
- £100,000 is where the head of commissioning's delegation ends and the PCC decides: awards the PCC decides are
  visited at least once a year and reviewed each year (enhanced).
- Victim services have no light band: the Ministry of Justice's return on the victims' grant needs every funded
  service's figures each quarter, whatever its size.
- Community Safety Partnerships and the LPCAF have no enhanced band: partnerships are statutory bodies that answer to
  their own boards, and LPCAF projects are small and local.
"""

from decimal import Decimal

# key, name, reporting, report_due_days, visits_per_year, annual_review, is_default, description
DEFAULT_TIERS = [
    (
        "light",
        "Light",
        "end_of_project",
        30,
        0,
        False,
        False,
        "Small grants: one end-of-project report with a short account, photographs and the figures asked for.",
    ),
    (
        "standard",
        "Standard",
        "quarterly",
        30,
        0,
        False,
        True,
        "An outcome return each quarter; the office may visit.",
    ),
    (
        "enhanced",
        "Enhanced",
        "quarterly",
        30,
        1,
        True,
        False,
        "The largest awards: an outcome return each quarter, at least one visit a year and an annual review.",
    ),
]

# stream, from (inclusive; each band runs to the next band's start in its stream), tier key
DEFAULT_BANDS = [
    ("victim_services", Decimal("0"), "standard"),
    ("victim_services", Decimal("100000"), "enhanced"),
    ("cgs", Decimal("0"), "light"),
    ("cgs", Decimal("5000"), "standard"),
    ("cgs", Decimal("100000"), "enhanced"),
    ("csp_grants", Decimal("0"), "light"),
    ("csp_grants", Decimal("5000"), "standard"),
    ("lpcaf", Decimal("0"), "light"),
    ("lpcaf", Decimal("5000"), "standard"),
]


def write_defaults(tier_model, band_model) -> bool:
    """Write the default tiers and bands if there are no tiers at all (the migration passes its historical models).
    True when it wrote them."""
    if tier_model.objects.exists():
        return False
    tiers = {}
    for position, (key, name, reporting, due_days, visits, review, is_default, description) in enumerate(
        DEFAULT_TIERS
    ):
        tiers[key] = tier_model.objects.create(
            key=key,
            name=name,
            reporting=reporting,
            report_due_days=due_days,
            visits_per_year=visits,
            annual_review=review,
            is_default=is_default,
            description=description,
            position=position,
        )
    band_model.objects.bulk_create(
        [
            band_model(stream=stream, from_amount=start, tier=tiers[key])
            for stream, start, key in DEFAULT_BANDS
        ]
    )
    return True
