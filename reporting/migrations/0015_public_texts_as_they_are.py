from django.db import migrations
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

PUBLISHED = ("active", "completed", "terminated", "decommissioned")
ROUND_FIELDS = ("name", "summary", "eligibility", "priorities")


def approve_public_texts_as_they_are(apps, schema_editor):
    """What the public already read when its review began stays public, as written (approved by no one named): the
    titles and descriptions of services with a published tender or contract, the reasons and own conditions of
    published grants, what grant rounds open now, still to open or with published grants say, and the criteria of
    those rounds and of published tenders."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    PublicText = apps.get_model("reporting", "PublicText")
    Commission = apps.get_model("commissioning", "Commission")
    Tender = apps.get_model("commissioning", "Tender")
    Application = apps.get_model("grants", "Application")
    Round = apps.get_model("grants", "Round")
    RoundCriterion = apps.get_model("grants", "Criterion")
    TenderCriterion = apps.get_model("commissioning", "Criterion")
    TransitionLog = apps.get_model("opcc", "TransitionLog")
    rows = []
    service_type, _ = ContentType.objects.get_or_create(app_label="commissioning", model="commission")
    tendered = Tender.objects.filter(procurement__commission=OuterRef("pk"), published_on__isnull=False)
    let = Commission.objects.filter(pk=OuterRef("pk"), procurements__contract__award__status__in=PUBLISHED)
    for pk, title, summary in Commission.objects.filter(Exists(tendered) | Exists(let)).values_list(
        "pk", "title", "summary"
    ):
        for field, text in (("title", title), ("summary", summary)):
            if text.strip():
                rows.append(
                    PublicText(content_type=service_type, object_id=pk, field=field, reviewed=text, text=text)
                )
    application_type, _ = ContentType.objects.get_or_create(app_label="grants", model="application")
    published = Application.objects.filter(award__status__in=PUBLISHED).values_list("pk", flat=True)
    latest = {}
    for object_id, note in (
        TransitionLog.objects.filter(content_type=application_type, transition="approve", object_id__in=published)
        .order_by("at", "id")
        .values_list("object_id", "note")
    ):
        latest[object_id] = note  # the newest approval's reasons win
    for object_id, note in latest.items():
        if note.strip():
            rows.append(
                PublicText(
                    content_type=application_type, object_id=object_id, field="reasons", reviewed=note, text=note
                )
            )
    for application_pk, conditions in Application.objects.filter(
        award__status__in=PUBLISHED, offer__isnull=False
    ).values_list("pk", "offer__conditions"):
        if conditions.strip():
            rows.append(
                PublicText(
                    content_type=application_type,
                    object_id=application_pk,
                    field="conditions",
                    reviewed=conditions,
                    text=conditions,
                )
            )
    round_type, _ = ContentType.objects.get_or_create(app_label="grants", model="round")
    funded = Application.objects.filter(round=OuterRef("pk"), award__status__in=PUBLISHED)
    for values in Round.objects.filter(Q(closes_at__gte=timezone.now()) | Exists(funded)).values(
        "pk", *ROUND_FIELDS
    ):
        for field in ROUND_FIELDS:
            if values[field].strip():
                rows.append(
                    PublicText(
                        content_type=round_type,
                        object_id=values["pk"],
                        field=field,
                        reviewed=values[field],
                        text=values[field],
                    )
                )
    in_scope = Round.objects.filter(Q(closes_at__gte=timezone.now()) | Exists(funded)).values("pk")
    round_criterion_type, _ = ContentType.objects.get_or_create(app_label="grants", model="criterion")
    for pk, name in RoundCriterion.objects.filter(round__in=in_scope).values_list("pk", "name"):
        rows.append(
            PublicText(content_type=round_criterion_type, object_id=pk, field="name", reviewed=name, text=name)
        )
    tender_criterion_type, _ = ContentType.objects.get_or_create(app_label="commissioning", model="criterion")
    for pk, name, guidance in TenderCriterion.objects.filter(tender__published_on__isnull=False).values_list(
        "pk", "name", "guidance"
    ):
        for field, text in (("name", name), ("guidance", guidance)):
            if text.strip():
                rows.append(
                    PublicText(
                        content_type=tender_criterion_type, object_id=pk, field=field, reviewed=text, text=text
                    )
                )
    existing = set(PublicText.objects.values_list("content_type_id", "object_id", "field"))
    PublicText.objects.bulk_create(
        [r for r in rows if (r.content_type.pk, r.object_id, r.field) not in existing], batch_size=1000
    )


class Migration(migrations.Migration):
    dependencies = [
        ("commissioning", "0013_award"),
        ("grants", "0010_application_message_key"),
        ("opcc", "0005_police_and_crime_plan"),
        ("reporting", "0014_public_texts"),
    ]

    operations = [migrations.RunPython(approve_public_texts_as_they_are, migrations.RunPython.noop)]
