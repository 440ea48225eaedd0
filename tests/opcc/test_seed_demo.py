from django.apps import apps
from django.core.management import call_command

from opcc.models import LocalPolicingArea, Organisation, Role, User
from tests import demo_data


def snapshot():
    rows = {}
    for model in apps.get_models():
        if model._meta.app_label in ("opcc", "funding", "commissioning", "grants", "reporting", "otp_totp"):
            rows[model._meta.label] = sorted(
                tuple(sorted((k, str(v)) for k, v in row.items() if k not in ("last_login",)))
                for row in model.objects.values()
            )
    return rows


def test_seed_demo_loads_west_mercia_and_running_it_twice_changes_nothing(db):
    demo_data.load("seed_demo")  # built by the command, once per run (tests/demo_data.py)
    first = snapshot()
    call_command("seed_demo")
    assert snapshot() == first
    # The demo's emails are all recorded as sent, so `make run` emails nobody from the demo's history.
    from opcc.models import OutboxMessage

    assert OutboxMessage.objects.exists()
    assert not OutboxMessage.objects.filter(status=OutboxMessage.Status.PENDING).exists()

    assert set(LocalPolicingArea.objects.values_list("name", flat=True)) == {
        "Herefordshire",
        "Shropshire",
        "Telford and Wrekin",
        "North Worcestershire",
        "South Worcestershire",
    }
    assert Organisation.objects.count() >= 30
    assert set(User.objects.values_list("role", flat=True)) == {r.value for r in Role}
    for org in Organisation.objects.all():
        org.full_clean()  # plausible, valid charity and company numbers and postcodes

    # The published figures read beside the rounds: no grant above its scheme's maximum award.
    from funding.models import Award
    from grants.models import Round

    maximum = {r.scheme.kind: r.max_award for r in Round.objects.select_related("scheme")}
    for award in Award.objects.filter(kind="grant", pot__key__startswith="lpcaf-").select_related("pot"):
        scheme = "lpcaf_road_safety" if award.pot.key == "lpcaf-road-safety" else "lpcaf"
        assert award.amount <= maximum[scheme], award.reference
    for award in Award.objects.filter(kind="grant", pot__key="cgs"):
        assert award.amount <= maximum["cgs"], award.reference

    # A victims' return's referrals by crime type add up to the referrals received.
    from reporting.models import QuarterlyReturn

    checked = 0
    for ret in QuarterlyReturn.objects.filter(status="accepted").prefetch_related("answers__measure")[:200]:
        values = {a.measure.name: a.value for a in ret.answers.all()}
        by_type = [a.value for a in ret.answers.all() if a.measure.section == "Referrals by crime type"]
        if values.get("Referrals received") is not None and by_type:
            assert sum(by_type) == values["Referrals received"], ret.pk
            checked += 1
    assert checked
