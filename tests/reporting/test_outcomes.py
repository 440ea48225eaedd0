"""Outcomes that add up: measures mapped to the catalogue, the aggregates written as returns are accepted,
the totals and completeness read from them, and the rebuild command."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.forms import modelform_factory
from freezegun import freeze_time

from opcc.models import Role
from reporting.admin import MeasureInline, MeasureMappingForm
from reporting.models import Measure, OutcomeAggregate, OutcomeIndicator, TemplateMeasure
from reporting.selectors.outcomes import completeness, outcome_totals, unmapped_measures
from reporting.services import outcomes, returns
from reporting.services.returns import RateAnswer, ReturnContent
from tests.factories import OrganisationFactory
from tests.reporting.factories import full_answers, monitored_award, the_return

D = Decimal
COPE = "Service users better able to cope and recover"


@pytest.fixture(autouse=True)
def _today():
    with freeze_time("2026-11-25 10:00:00"):
        yield


def measure(award, name):
    return Measure.objects.get(framework__award=award, name=name)


def report(ret, provider, *, referrals, supported, cope: tuple[int, int]) -> None:
    """Submit a return with these figures (every other measure answered as the factory does)."""
    answers = full_answers(ret.award)
    answers[measure(ret.award, "Referrals received").pk] = D(referrals)
    answers[measure(ret.award, "People supported").pk] = D(supported)
    # The crime types are parts of the referrals: keep them within it.
    for m in Measure.objects.filter(framework__award=ret.award, part_of="Referrals received"):
        answers[m.pk] = D(0)
    answers[measure(ret.award, "Domestic abuse").pk] = D(referrals // 2)
    answers[measure(ret.award, COPE).pk] = RateAnswer(numerator=D(cope[0]), denominator=D(cope[1]))
    returns.submit(
        quarterly_return=ret,
        by=provider,
        declaration_name="A Provider",
        content=ReturnContent(activity="Outreach.", spend_to_date=D("9000"), answers=answers),
    )


@pytest.fixture
def two_awards(world):
    """Award A (Q1 and Q2 accepted), award B (Q1 accepted, Q2 submitted only, Q3 not yet due)."""
    provider, officer = world.users[Role.PROVIDER], world.users[Role.COMMISSIONING_OFFICER]
    a = monitored_award(world.organisation, title="Outreach A")
    b = monitored_award(world.other_organisation, title="Helpline B")
    written = [  # award, quarter, provider, referrals, supported, cope, accepted?
        (a, 1, provider, 100, 80, (15, 20), True),
        (a, 2, provider, 50, 40, (1, 10), True),
        (b, 1, world.other_provider, 30, 25, (90, 100), True),
        (b, 2, world.other_provider, 999, 999, (999, 999), False),
    ]
    for award, quarter, who, referrals, supported, cope, accept in written:
        ret = the_return(award, quarter)
        report(ret, who, referrals=referrals, supported=supported, cope=cope)
        if accept:
            returns.accept(quarterly_return=ret, by=officer)
    return a, b, written


def by_key(totals):
    return {t.key: t for t in totals}


def test_totals_are_the_sums_of_the_accepted_returns_and_a_rate_is_total_over_total(two_awards):
    a, b, written = two_awards
    accepted = [w for w in written if w[6]]
    totals = by_key(outcome_totals(start_year=2026))
    assert totals["referrals-received"].value == sum(w[3] for w in accepted) == 180
    assert totals["people-supported"].value == sum(w[4] for w in accepted)
    assert totals["referrals-domestic-abuse"].value == sum(w[3] // 2 for w in accepted)
    cope = totals["better-able-to-cope-and-recover"]
    numerator, denominator = sum(w[5][0] for w in accepted), sum(w[5][1] for w in accepted)
    assert (cope.numerator, cope.denominator) == (numerator, denominator) == (106, 130)
    assert cope.rate == (D(numerator) / D(denominator) * 100).quantize(D("0.1")) == D("81.5")
    # Averaging the three percentages (75%, 10%, 90%) would say 58.3%: the wrong answer.
    average = sum(D(n) / D(d) * 100 for n, d in (w[5] for w in accepted)) / len(accepted)
    assert abs(cope.rate - average) > 20
    assert totals["referrals-received"].awards == 2


def test_only_accepted_returns_count(two_awards):
    a, b, written = two_awards
    q2 = by_key(outcome_totals(start_year=2026, quarter=2))
    assert q2["referrals-received"].value == 50  # award B's 999 is submitted, not accepted
    assert not OutcomeAggregate.objects.filter(award=b, quarter=2).exists()
    only_b = by_key(outcome_totals(start_year=2026, awards=type(b).objects.filter(pk=b.pk)))
    assert only_b["referrals-received"].value == 30


def test_completeness_says_how_many_returns_are_accepted(two_awards):
    assert completeness(2026, 2).words == "1 of 2 returns accepted for Q2 2026/27"
    assert completeness(2026, 1).words == "2 of 2 returns accepted for Q1 2026/27"
    assert completeness(2026, 3).words == "0 of 0 returns accepted for Q3 2026/27"  # not yet due


def test_remapping_a_measure_rewrites_the_awards_aggregates(two_awards):
    a, b, written = two_awards
    supported = measure(a, "People supported")
    outcomes.map_measure(measure=supported, indicator=None, local_only=True)
    totals = by_key(outcome_totals(start_year=2026))
    assert totals["people-supported"].value == 25  # award B's only
    assert not OutcomeAggregate.objects.filter(award=a, indicator__key="people-supported").exists()
    assert supported not in unmapped_measures()  # local-only: not listed as missing


def test_rebuilding_gives_the_same_rows_however_often_it_runs(two_awards):
    def rows():
        return sorted(
            OutcomeAggregate.objects.values_list(
                "award_id",
                "quarter_start_year",
                "quarter",
                "indicator__key",
                "value_sum",
                "numerator",
                "denominator",
                "n_measures",
            )
        )

    as_accepted = rows()
    assert as_accepted
    OutcomeAggregate.objects.filter(award=two_awards[0]).delete()  # drifted
    call_command("rebuild_outcome_aggregates")
    assert rows() == as_accepted
    call_command("rebuild_outcome_aggregates")
    assert rows() == as_accepted


@pytest.mark.parametrize(
    "measure_name, indicator_key, clear_questions, message",
    [
        (
            "People supported",
            "referrals-received",
            False,
            "‘Referrals received’ counts referrals: People supported counts people",
        ),
        (
            "Referrals received",
            "better-able-to-cope-and-recover",
            False,
            "is a rate, added up from the numbers behind it",
        ),
        (
            COPE,
            "people-supported",
            False,
            "‘People supported’ adds up counts: Service users better able to cope and recover is a percentage",
        ),
        (COPE, "better-able-to-cope-and-recover", True, "is a percentage typed as one number"),
        ("Safety", "people-supported", False, "is a outcomes star reading"),
    ],
)
def test_a_measure_mapped_to_an_indicator_of_another_unit_or_kind_is_refused(
    world, measure_name, indicator_key, clear_questions, message
):
    award = monitored_award(world.organisation)
    m = measure(award, measure_name)
    before = (m.indicator_id, m.local_only)
    if clear_questions:
        Measure.objects.filter(pk=m.pk).update(denominator_question="", numerator_question="")
        m.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        outcomes.map_measure(
            measure=m, indicator=OutcomeIndicator.objects.get(key=indicator_key), local_only=False
        )
    assert message in " ".join(refused.value.messages)
    m.refresh_from_db()
    assert (m.indicator_id, m.local_only) == before


def test_the_admin_form_refuses_the_same_mapping(world):
    award = monitored_award(world.organisation)
    m = measure(award, "People supported")
    data = {
        f.name: getattr(m, f.attname)
        for f in Measure._meta.concrete_fields
        if f.name not in ("id", "framework")
    }
    data.update(indicator=OutcomeIndicator.objects.get(key="referrals-received").pk, local_only="")
    form = modelform_factory(Measure, form=MeasureMappingForm, fields=MeasureInline.fields)(
        data=data, instance=m
    )
    assert not form.is_valid()
    assert "counts referrals" in str(form.errors)


def test_the_default_templates_map_every_numbered_measure():
    from reporting.services.frameworks import ensure_defaults

    ensure_defaults()
    missing = [m.name for m in outcomes.unmapped(TemplateMeasure.objects.all())]
    assert missing == []
    problems = {
        m.name: outcomes.mapping_problems(m) for m in TemplateMeasure.objects.filter(indicator__isnull=False)
    }
    assert {k: v for k, v in problems.items() if v} == {}


def test_a_measure_from_elsewhere_is_listed_until_mapped(world):
    award = monitored_award(OrganisationFactory())
    framework = award.outcome_framework
    extra = Measure.objects.create(
        framework=framework, name="Young people mentored", kind="count", unit="people", position=99
    )
    assert extra in unmapped_measures()
    outcomes.map_measure(
        measure=extra, indicator=OutcomeIndicator.objects.get(key="people-engaged"), local_only=False
    )
    assert extra not in unmapped_measures()


def test_the_database_refuses_a_numerator_above_its_denominator(two_awards):
    from django.db import IntegrityError, transaction

    from reporting.models import ReturnAnswer

    answer = ReturnAnswer.objects.filter(denominator__isnull=False).first()
    with pytest.raises(IntegrityError), transaction.atomic():
        ReturnAnswer.objects.filter(pk=answer.pk).update(numerator=answer.denominator + 1)
