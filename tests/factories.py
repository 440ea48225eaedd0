"""Factories for the core, one per kind of person and thing."""

import datetime

import factory
from django_otp.plugins.otp_totp.models import TOTPDevice

from opcc.models import (
    CommunitySafetyPartnership,
    LocalPolicingArea,
    Membership,
    Objective,
    Organisation,
    OrganisationType,
    PoliceAndCrimePlan,
    Priority,
    Role,
    User,
)

PASSWORD = "correct horse battery staple"


class AreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LocalPolicingArea
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Area {n}")
    slug = factory.Sequence(lambda n: f"area-{n}")
    local_authorities = factory.LazyAttribute(lambda o: [o.name])


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Test Charity {n}")
    org_type = OrganisationType.REGISTERED_CHARITY
    charity_number = factory.Sequence(lambda n: f"{1100000 + n}")
    address_line_1 = "1 High Street"
    town = "Worcester"
    postcode = "WR1 2HG"

    @factory.post_generation
    def cleared(self, create, extracted, **kwargs):
        """Due diligence done by default, so offers, contracts and payments go ahead: `cleared=False` for an
        organisation with nothing on file (tests/opcc/test_assurance*.py)."""
        if create and extracted is not False:
            from opcc.services.assurance import record_cleared  # noqa: PLC0415 - models load first

            record_cleared(self)


class CSPFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CommunitySafetyPartnership

    area = factory.SubFactory(AreaFactory)
    name = factory.LazyAttribute(lambda o: f"{o.area.name} Community Safety Partnership")
    slug = factory.LazyAttribute(lambda o: o.area.slug)
    organisation = factory.SubFactory(
        OrganisationFactory,
        org_type=OrganisationType.CSP,
        charity_number="",
        name=factory.SelfAttribute("..name"),
    )


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Sequence(lambda n: f"Person {n}")
    role = Role.COMMISSIONING_OFFICER
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def two_factor(self, create, extracted, **kwargs):
        """Staff get a confirmed authenticator device unless two_factor=False."""
        if create and self.requires_two_factor and extracted is not False:
            TOTPDevice.objects.create(user=self, name="test", confirmed=True)
        if create:
            self.save()

    @factory.post_generation
    def areas(self, create, extracted, **kwargs):
        if create and extracted:
            self.areas.set(extracted)


class ProviderFactory(UserFactory):
    role = Role.PROVIDER

    @factory.post_generation
    def organisation(self, create, extracted, **kwargs):
        if create:
            Membership.objects.create(
                user=self, organisation=extracted or OrganisationFactory(), is_admin=kwargs.get("admin", True)
            )


class PlanFactory(factory.django.DjangoModelFactory):
    """The current Police and Crime Plan (one at a time: asking again returns the same plan)."""

    class Meta:
        model = PoliceAndCrimePlan
        django_get_or_create = ("is_current",)

    title = "Safer West Mercia Plan"
    period_start = datetime.date(2021, 4, 1)
    period_end = datetime.date(2029, 3, 31)
    is_current = True


class PriorityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Priority

    plan = factory.SubFactory(PlanFactory)
    position = factory.Sequence(lambda n: n)
    title = factory.Sequence(lambda n: f"Priority {n}")
    description = "What the priority is about"


class ObjectiveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Objective

    priority = factory.SubFactory(PriorityFactory)
    position = factory.Sequence(lambda n: n)
    title = factory.Sequence(lambda n: f"Objective {n}")


def an_objective() -> Objective:
    """An objective of the current plan, made once and shared, for records that must serve one."""
    return (
        Objective.objects.filter(priority__plan__is_current=True).order_by("pk").first() or ObjectiveFactory()
    )


def copies(instance, n: int, **unique) -> list:
    """`n` more rows like `instance`, in one bulk insert: a page's worth of a long list without `n` trips through
    the services. `unique` maps a field to a function of the copy's number, for fields that must differ."""
    model = type(instance)
    fields = {
        f.attname: getattr(instance, f.attname) for f in model._meta.concrete_fields if not f.primary_key
    }
    return model.objects.bulk_create(
        [model(**{**fields, **{name: make(i) for name, make in unique.items()}}) for i in range(n)]
    )
