"""Building an award's outcome framework: from the app the award came from, else the office's template."""

from collections.abc import Mapping, Sequence
from typing import Any

from django.db import transaction

import opcc.apps
from funding.hooks import MeasureSpec
from funding.models import Award
from reporting.framework_templates import DEFAULT_CHASE_STEPS, DEFAULT_TEMPLATES
from reporting.models import (
    ChaseStep,
    FrameworkTemplate,
    Measure,
    MonitoringSettings,
    OutcomeFramework,
    OutcomeIndicator,
    TemplateMeasure,
)
from reporting.outcome_indicators import DEFAULT_INDICATORS, DEFAULT_MAPPING, LOCAL_ONLY, RATE_QUESTIONS

MEASURE_KEYS = (
    "section",
    "name",
    "kind",
    "quarterly_target",
    "unit",
    "star_name",
    "star_min",
    "star_max",
    "help",
    "required",
    "part_of",
    "denominator_question",
    "numerator_question",
    "indicator_id",
    "local_only",
)


def ensure_indicators() -> dict[str, int]:
    """Write the default outcome indicators where missing (never over a staff edit): their ids by key."""

    have = dict(OutcomeIndicator.objects.values_list("key", "pk"))
    missing = [
        OutcomeIndicator(
            key=key,
            name=name,
            section=section,
            unit=unit,
            aggregation=aggregation,
            description=description,
            position=i,
        )
        for i, (key, name, section, unit, aggregation, description) in enumerate(DEFAULT_INDICATORS)
        if key not in have
    ]
    if missing:
        OutcomeIndicator.objects.bulk_create(missing, ignore_conflicts=True)
        have = dict(OutcomeIndicator.objects.values_list("key", "pk"))
    return have


def catalogued(spec: dict, indicators: dict[str, int]) -> dict:
    """A default measure with its place in the catalogue: the indicator it adds to (or local-only), and for a
    percentage the two numbers it is answered with."""

    spec = dict(spec)
    target = DEFAULT_MAPPING.get(spec["name"])
    if target == LOCAL_ONLY:
        spec["local_only"] = True
    elif target in indicators:
        spec["indicator_id"] = indicators[target]
    if spec["kind"] == "percentage" and spec["name"] in RATE_QUESTIONS:
        spec["denominator_question"], spec["numerator_question"] = RATE_QUESTIONS[spec["name"]]
    return spec


def ensure_defaults() -> None:
    """Write the default templates, chase schedule and settings where missing; never over a staff edit."""
    MonitoringSettings.objects.get_or_create(pk=1)
    indicators = ensure_indicators()
    for key, name, stream, pot_key, description, measures in DEFAULT_TEMPLATES:
        template, created = FrameworkTemplate.objects.get_or_create(
            key=key, defaults={"name": name, "stream": stream, "pot_key": pot_key, "description": description}
        )
        if created:
            TemplateMeasure.objects.bulk_create(
                [
                    TemplateMeasure(template=template, position=i, **catalogued(m, indicators))
                    for i, m in enumerate(measures)
                ]
            )
    for key, name, days, audience, template_key in DEFAULT_CHASE_STEPS:
        ChaseStep.objects.get_or_create(
            key=key,
            defaults={
                "name": name,
                "days_from_due": days,
                "audience": audience,
                "template_key": template_key,
            },
        )


def template_for(award: Award) -> FrameworkTemplate | None:
    ensure_defaults()
    pot = award.pot
    return (
        FrameworkTemplate.objects.filter(pot_key=pot.key).first()
        or FrameworkTemplate.objects.filter(stream=pot.stream, pot_key="").order_by("id").first()
    )


def measures_from_apps(award: Award) -> tuple[str, list[MeasureSpec]] | None:
    """Ask commissioning, then grants (`<app>/outcomes.py`): the first that knows the award answers."""

    for module in opcc.apps.domain_modules("outcomes"):
        if not hasattr(module, "measures_for_award"):
            continue
        measures: list[MeasureSpec] | None = module.measures_for_award(award)
        if measures is not None:
            return module.__name__.split(".")[0], measures
    return None


def _measure(framework: OutcomeFramework, position: int, spec: Mapping[str, Any]) -> Measure:
    values = {k: spec[k] for k in MEASURE_KEYS if k in spec and spec[k] is not None}
    values.setdefault("required", spec.get("kind") != "star")
    return Measure(framework=framework, position=position, **values)


@transaction.atomic
def build_framework(award: Award) -> OutcomeFramework:
    """The award's framework, made once. Idempotent: an existing framework is returned unchanged."""
    existing = OutcomeFramework.objects.filter(award=award).first()
    if existing is not None:
        return existing
    from_apps = measures_from_apps(award)
    specs: Sequence[Mapping[str, Any]]
    if from_apps is not None:
        source, specs = from_apps
        framework = OutcomeFramework.objects.create(award=award, source=source)
    else:
        template = template_for(award)
        framework = OutcomeFramework.objects.create(award=award, source="template", template=template)
        specs = [m.as_dict() for m in template.measures.all()] if template else []
    Measure.objects.bulk_create([_measure(framework, i, spec) for i, spec in enumerate(specs)])
    return framework
