"""The commissioning demo's records read as staff would write them."""

from commissioning.models import Score
from tests import demo_data


def test_the_demo_evaluators_comments_keep_their_capitals(db):
    # The commissioning demo (where the scores are) and what it stands on, not the whole demo.
    demo_data.load("core", "funding", "commissioning")
    comments = set(Score.objects.values_list("comment", flat=True))
    assert (
        "Scored against the published guidance: works with SARCs, schools, CAMHS and children's services."
        in comments
    )
    assert not any("sarcs" in comment or "camhs" in comment for comment in comments)
