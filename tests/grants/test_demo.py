"""The grants demo data reads true: each application's texts describe its own project."""

from collections import defaultdict

from grants.models import Application
from tests import demo_data


def test_no_two_demo_applications_share_a_summary_need_or_outcomes(db):
    demo_data.load("core", "funding", "grants")
    for field in ("summary", "need", "outcomes"):
        titles = defaultdict(set)
        for title, text in Application.objects.exclude(**{field: ""}).values_list("title", field):
            titles[text].add(title)
        shared = {text: names for text, names in titles.items() if len(names) > 1}
        assert not shared, (field, shared)
    outreach = Application.objects.get(title="Outreach in rural Wychavon")
    assert "Wychavon" in outreach.summary and "sanctuary" not in outreach.summary.lower()
