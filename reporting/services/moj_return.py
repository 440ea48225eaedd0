"""Writes to the Ministry of Justice return's sections and fields, and the rules every writer (the settings site
included, through the models' clean) is held to: a field reports exactly one figure (an outcome indicator, or a
grant line's money), and no two sections, nor two fields of a section, share a position.

Each check raises every problem at once, by field, so a form can list them all."""

from django.core.exceptions import ValidationError
from django.db import transaction

from funding.models import MOJ_SOURCES
from reporting.models import MojReturnField, MojReturnSection

_MOJ = {source.value for source in MOJ_SOURCES}


def section_problems(section) -> dict[str, str]:

    problems = {}
    if not (section.title or "").strip():
        problems["title"] = "Enter the section's title"
    if section.income_source and section.income_source not in _MOJ:
        problems["income_source"] = (
            "Choose a Ministry of Justice grant line, or leave it blank for every line"
        )
    if section.position is not None:
        taken = MojReturnSection.objects.filter(position=section.position).exclude(pk=section.pk).first()
        if taken is not None:
            problems["position"] = (
                f"Position {section.position} is already taken by the section ‘{taken.title}’: choose another"
            )
    return problems


def field_problems(field) -> dict[str, str]:

    Figure = MojReturnField.Figure  # noqa: N806
    problems = {}
    if not (field.label or "").strip():
        problems["label"] = "Enter the field's label, as the Ministry's template words it"
    if field.figure == Figure.INDICATOR:
        if field.indicator_id is None:
            problems["indicator"] = (
                "Choose the outcome indicator this field adds up: a field mapped to nothing "
                "cannot be reported"
            )
        if field.income_source:
            problems["income_source"] = (
                "An outcome indicator's field has no grant line: the section says which services it counts"
            )
    elif field.figure in MojReturnField.MONEY:
        if field.income_source not in _MOJ:
            problems["income_source"] = (
                "Choose the Ministry of Justice grant line whose "
                + ("income" if field.figure == Figure.GRANT else "spend")
                + " this field reports: a field mapped to nothing cannot be reported"
            )
        if field.indicator_id is not None:
            problems["indicator"] = "A grant line's money is not an outcome indicator: clear the indicator"
    else:
        problems["figure"] = "Choose what the field reports"
    if field.section_id is not None and field.position is not None:
        taken = (
            MojReturnField.objects.filter(section_id=field.section_id, position=field.position)
            .exclude(pk=field.pk)
            .first()
        )
        if taken is not None:
            problems["position"] = (
                f"Position {field.position} in this section is already taken by ‘{taken.label}’: "
                f"choose another"
            )
    return problems


def check_section(section) -> None:
    problems = section_problems(section)
    if problems:
        raise ValidationError(problems)


def check_field(field) -> None:
    problems = field_problems(field)
    if problems:
        raise ValidationError(problems)


@transaction.atomic
def save_section(*, section):
    """Add or change a section: full_clean runs the checks above and the database's constraints."""
    section.full_clean()
    section.save()
    return section


@transaction.atomic
def save_field(*, field):
    """Add or change a field, refusing one mapped to nothing, to two figures, or to a position already taken."""
    field.full_clean()
    field.save()
    return field
