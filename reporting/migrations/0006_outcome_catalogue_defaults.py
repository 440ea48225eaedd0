"""The default outcome indicators; the default templates' measures and existing awards' measures (by their
template measure) mapped to them; percentages in the defaults answered as the two numbers behind them; and
the aggregates of returns already accepted."""

from django.db import migrations
from django.db.models import Count, Q, Sum

from reporting.outcome_indicators import (
    DEFAULT_INDICATORS,
    DEFAULT_MAPPING,
    LOCAL_ONLY,
    RATE_HELP,
    RATE_QUESTIONS,
    STAR_PROGRESS_MEASURE,
)

STAR_SECTION = "Outcomes Star readings"


def _place(name: str, kind: str, indicators: dict, help: str = "") -> dict:
    values = {}
    target = DEFAULT_MAPPING.get(name)
    if target == LOCAL_ONLY:
        values["local_only"] = True
    elif target in indicators:
        values["indicator_id"] = indicators[target]
    if kind == "percentage" and name in RATE_QUESTIONS:
        values["denominator_question"], values["numerator_question"] = RATE_QUESTIONS[name]
        if help in RATE_HELP:
            values["help"] = RATE_HELP[help]
    return values


def load(apps, schema_editor):
    OutcomeIndicator = apps.get_model("reporting", "OutcomeIndicator")  # noqa: N806
    TemplateMeasure = apps.get_model("reporting", "TemplateMeasure")  # noqa: N806
    Measure = apps.get_model("reporting", "Measure")  # noqa: N806
    for i, (key, name, section, unit, aggregation, description) in enumerate(DEFAULT_INDICATORS):
        OutcomeIndicator.objects.get_or_create(key=key, defaults={
            "name": name, "section": section, "unit": unit, "aggregation": aggregation, "description": description,
            "position": i})
    indicators = dict(OutcomeIndicator.objects.values_list("key", "pk"))

    # Templates with Outcomes Star readings gain the readings showing progress, which add up across services.
    for template_id in (TemplateMeasure.objects.filter(section=STAR_SECTION).values_list("template_id", flat=True)
                        .distinct()):
        if not TemplateMeasure.objects.filter(template_id=template_id, name=STAR_PROGRESS_MEASURE).exists():
            first = TemplateMeasure.objects.filter(template_id=template_id, section=STAR_SECTION).order_by("position").first()
            TemplateMeasure.objects.create(
                template_id=template_id, section=STAR_SECTION, name=STAR_PROGRESS_MEASURE, kind="percentage",
                unit="%", required=False, position=first.position,
                help="Every reading taken this quarter, and those showing progress since the previous one")

    for measure in TemplateMeasure.objects.filter(indicator__isnull=True, local_only=False):
        values = _place(measure.name, measure.kind, indicators, measure.help)
        if values:
            TemplateMeasure.objects.filter(pk=measure.pk).update(**values)

    # An award's measure takes its template measure's place; its earlier answers keep their percentage.
    by_template = {(m.template_id, m.name): m for m in TemplateMeasure.objects.all()}
    for measure in Measure.objects.filter(framework__template__isnull=False, indicator__isnull=True,
                                          local_only=False).select_related("framework"):
        source = by_template.get((measure.framework.template_id, measure.name))
        if source is None or source.kind != measure.kind:
            continue
        values = {"indicator_id": source.indicator_id, "local_only": source.local_only}
        if source.denominator_question and not measure.denominator_question:
            values.update(denominator_question=source.denominator_question,
                          numerator_question=source.numerator_question, help=RATE_HELP.get(measure.help, measure.help))
        Measure.objects.filter(pk=measure.pk).update(**values)

    _aggregate_accepted(apps)


def _aggregate_accepted(apps):
    # The same grouping as reporting.services.outcomes, on the models as they are at this migration.
    OutcomeIndicator = apps.get_model("reporting", "OutcomeIndicator")  # noqa: N806
    OutcomeAggregate = apps.get_model("reporting", "OutcomeAggregate")  # noqa: N806
    ReturnAnswer = apps.get_model("reporting", "ReturnAnswer")  # noqa: N806
    kinds = dict(OutcomeIndicator.objects.values_list("pk", "aggregation"))
    both = Q(numerator__isnull=False, denominator__isnull=False)
    grouped = (ReturnAnswer.objects.filter(quarterly_return__status="accepted", measure__indicator__isnull=False)
               .values("quarterly_return__award_id", "quarterly_return__quarter_start_year",
                       "quarterly_return__quarter", "measure__indicator_id")
               .annotate(total=Sum("value"), answered=Count("value"), n=Sum("numerator", filter=both),
                         d=Sum("denominator", filter=both), rates=Count("pk", filter=both)).order_by())
    rows = []
    for g in grouped:
        base = {"award_id": g["quarterly_return__award_id"], "quarter_start_year": g["quarterly_return__quarter_start_year"],
                "quarter": g["quarterly_return__quarter"], "indicator_id": g["measure__indicator_id"]}
        if kinds[base["indicator_id"]] == "sum" and g["answered"]:
            rows.append(OutcomeAggregate(**base, value_sum=g["total"], n_measures=g["answered"]))
        elif kinds[base["indicator_id"]] != "sum" and g["rates"]:
            rows.append(OutcomeAggregate(**base, numerator=g["n"], denominator=g["d"], n_measures=g["rates"]))
    OutcomeAggregate.objects.bulk_create(rows, batch_size=2000, ignore_conflicts=True)


class Migration(migrations.Migration):

    dependencies = [
        ("reporting", "0005_outcome_indicators"),
    ]

    operations = [
        migrations.RunPython(load, migrations.RunPython.noop),
    ]
