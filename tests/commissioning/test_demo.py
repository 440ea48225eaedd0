"""The commissioning demo's records read as staff would write them."""


def test_the_demo_evaluators_comments_keep_their_capitals(db):
    from django.core.management import call_command

    from commissioning.models import Score

    call_command("seed_demo")
    comments = set(Score.objects.values_list("comment", flat=True))
    assert (
        "Scored against the published guidance: works with SARCs, schools, CAMHS and children's services."
        in comments
    )
    assert not any("sarcs" in comment or "camhs" in comment for comment in comments)
