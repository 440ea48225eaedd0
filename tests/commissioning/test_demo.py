"""The commissioning demo's records read as staff would write them."""

from commissioning import demo as commissioning_demo
from commissioning.models import Score
from funding import demo as funding_demo
from opcc.demo import load_core


def test_the_demo_evaluators_comments_keep_their_capitals(db):
    # The commissioning demo (where the scores are) and what it stands on, not the whole demo.
    load_core()
    funding_demo.load()
    commissioning_demo.load()
    comments = set(Score.objects.values_list("comment", flat=True))
    assert (
        "Scored against the published guidance: works with SARCs, schools, CAMHS and children's services."
        in comments
    )
    assert not any("sarcs" in comment or "camhs" in comment for comment in comments)
