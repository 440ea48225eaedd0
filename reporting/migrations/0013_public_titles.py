from django.db import migrations, models


def approve_titles_as_they_are(apps, schema_editor):
    """The titles already public when their review began stay public, as they are (approved by no one named)."""
    Award = apps.get_model("funding", "Award")
    PublicDescription = apps.get_model("reporting", "PublicDescription")
    texts = {
        pk: (title, purpose) for pk, title, purpose in Award.objects.values_list("pk", "title", "purpose")
    }
    titles = {pk: title for pk, (title, _) in texts.items() if title}
    described = list(PublicDescription.objects.filter(award_id__in=titles))
    for description in described:
        description.title = titles[description.award_id]
    PublicDescription.objects.bulk_update(described, ["title"], batch_size=1000)
    have = {d.award_id for d in described}
    PublicDescription.objects.bulk_create(
        [
            PublicDescription(award_id=pk, title=title, text=texts[pk][1])
            for pk, title in titles.items()
            if pk not in have
        ],
        batch_size=1000,
    )
    # A description whose award has no title cannot stay: its title would be empty.
    PublicDescription.objects.filter(title="").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("funding", "0006_payment_invoice_received"),
        ("reporting", "0012_payments_copies_public_descriptions"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="publicdescription", name="public_description_not_empty"),
        migrations.AddField(
            model_name="publicdescription",
            name="title",
            field=models.CharField(
                default="", max_length=200, verbose_name="The title as approved for publication"
            ),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="publicdescription",
            name="text",
            field=models.TextField(blank=True, verbose_name="The purpose as approved for publication"),
        ),
        migrations.RunPython(approve_titles_as_they_are, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="publicdescription",
            constraint=models.CheckConstraint(
                condition=models.Q(("title", ""), _negated=True), name="public_description_title_not_empty"
            ),
        ),
    ]
