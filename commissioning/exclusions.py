"""Reads for supplier exclusions (Procurement Act 2023 ss.57–59, s.62): the latest debarment list, who is on it,
each supplier's check in a procurement, what is missing, and why an award to a supplier is refused."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.utils import timezone

from commissioning import gates
from commissioning.conflicts import assessment_missing, is_covered, under_the_act
from commissioning.debarment import normalise_name, normalise_number, normalise_ppon
from commissioning.models import (
    Commission,
    DebarmentEntry,
    DebarmentList,
    GroundKind,
    Procurement,
    SupplierCheck,
)
from commissioning.models.conflicts import PRU_NOTICE_DAYS
from opcc.models import Role


def latest_list() -> DebarmentList | None:
    return DebarmentList.objects.order_by("-list_date", "-pk").first()


class Matcher:
    """Finds a supplier on one version of the list, by platform identifier, registration number or name. The
    entries are read once (one query), so a page of suppliers costs the same as one."""

    def __init__(self, version: DebarmentList | None):
        self.version = version
        today = timezone.localdate()
        self.by_key: dict[tuple[str, str], DebarmentEntry] = {}
        if version is None:
            return
        for entry in version.entries.all():
            if entry.entered_on > today or (entry.ends_on and entry.ends_on < today):
                continue
            if entry.cdp_identifier:
                self.by_key.setdefault(("cdp", entry.cdp_identifier), entry)
            if entry.registration_number:
                self.by_key.setdefault(("number", entry.registration_number), entry)
            self.by_key.setdefault(("name", normalise_name(entry.supplier_name)), entry)

    def __call__(self, organisation, cdp_identifier: str = "") -> DebarmentEntry | None:
        keys = [("cdp", normalise_ppon(cdp_identifier) or "")]
        keys += [
            ("number", normalise_number(n))
            for n in (organisation.company_number, organisation.charity_number)
            if n
        ]
        keys.append(("name", normalise_name(organisation.name)))
        return next((self.by_key[k] for k in keys if k in self.by_key), None)


def suppliers(procurement: Procurement) -> list:
    """Every supplier in the procurement: each quote's, each bidder (not withdrawn), the single tender's."""
    found: dict[int, object] = {}
    if procurement.is_quotes:
        for quote in procurement.quotes.select_related("organisation"):
            found.setdefault(quote.organisation_id, quote.organisation)
    elif procurement.is_tender:
        tender = gates._one(procurement, "tender")
        if tender is not None:
            for bid in tender.bids.filter(withdrawn_at__isnull=True).select_related("organisation"):
                found.setdefault(bid.organisation_id, bid.organisation)
    else:
        sta = gates._one(procurement, "sta")
        if sta is not None:
            found[sta.organisation_id] = sta.organisation
    return list(found.values())


def check_problems(check: SupplierCheck | None, latest: DebarmentList | None, entry) -> list[str]:
    """What the check still needs, in words an officer acts on (`entry`: the supplier on the latest list)."""
    if latest is None:
        return ["Import the debarment list, then check the supplier against it"]
    if check is None:
        return ["Check the supplier against the debarment list and the exclusion grounds"]
    problems = []
    if check.debarment_list_id != latest.pk:
        problems.append(
            f"Check the supplier again against the debarment list of {latest.list_date:%-d %B %Y}"
        )
    if not check.mandatory_considered:
        problems.append("Consider the mandatory exclusion grounds")
    if not check.discretionary_considered:
        problems.append("Consider the discretionary exclusion grounds")
    if not check.cdp_identifier:
        problems.append("Record the supplier's central digital platform identifier")
    if not check.core_information_shared_on:
        problems.append("Record the date the supplier shared its core supplier information")
    if not check.outcome:
        problems.append("Record whether the supplier is excluded")
    if (
        entry is not None
        and entry.kind == GroundKind.MANDATORY
        and check.outcome == SupplierCheck.Outcome.NOT_EXCLUDED
    ):
        problems.append("The supplier is on the debarment list on a mandatory ground: it must be excluded")
    return problems


@dataclass
class Row:
    organisation: object
    check: SupplierCheck | None
    entry: DebarmentEntry | None
    problems: list[str] = field(default_factory=list)

    @property
    def pru_overdue(self) -> bool:
        if self.check is None or self.check.pru_due_by is None:
            return False
        return not self.check.pru_notified_on and self.check.pru_due_by < timezone.localdate()


def rows(procurement: Procurement, latest: DebarmentList | None = None) -> list[Row]:
    """Each supplier with its check and what is missing, in a fixed number of queries."""
    latest = latest if latest is not None else latest_list()
    match = Matcher(latest)
    checks = {
        c.organisation_id: c
        for c in SupplierCheck.objects.filter(procurement=procurement).select_related(
            "debarment_list", "debarment_entry", "checked_by"
        )
    }
    result = []
    for organisation in suppliers(procurement):
        check = checks.get(organisation.pk)
        entry = match(organisation, check.cdp_identifier if check else "")
        result.append(Row(organisation, check, entry, check_problems(check, latest, entry)))
    return result


def excluded_organisations(procurement: Procurement) -> set[int]:
    """The suppliers excluded from this procurement (s.57): their tenders are disregarded. One query."""
    return set(
        SupplierCheck.objects.filter(
            procurement=procurement, outcome=SupplierCheck.Outcome.EXCLUDED
        ).values_list("organisation_id", flat=True)
    )


def pru_overdue(*, today: date, user=None):
    """Exclusions the Procurement Review Unit has not been told of within its 30 days (s.59): the lead officer's
    own, or every commission's for the head of commissioning (user None: all, for the daily sweep)."""
    qs = SupplierCheck.objects.filter(
        outcome=SupplierCheck.Outcome.EXCLUDED,
        pru_notified_on__isnull=True,
        excluded_on__lt=today - timedelta(days=PRU_NOTICE_DAYS - 1),
    )
    if user is not None and user.role != Role.HEAD_OF_COMMISSIONING:
        qs = qs.filter(procurement__commission__officer=user)
    return qs.select_related("procurement__commission__officer", "organisation").order_by("excluded_on", "pk")


def award_refusal(procurement: Procurement, organisation) -> list[str]:
    """Why the award cannot go to this supplier. A supplier on the debarment list on a mandatory ground, or
    excluded in this procurement, never can; under the Act, a covered procurement needs the supplier's whole check."""
    if not under_the_act(procurement):
        return []
    latest = latest_list()
    check = SupplierCheck.objects.filter(procurement=procurement, organisation=organisation).first()
    entry = Matcher(latest)(organisation, check.cdp_identifier if check else "")
    name = organisation.name
    if latest is not None and entry is not None and entry.kind == GroundKind.MANDATORY:
        return [
            f"{name} is on the debarment list of {latest.list_date:%-d %B %Y} on a mandatory ground "
            f"({entry.grounds}): it is an excluded supplier and cannot be awarded the contract"
        ]
    if check is not None and check.is_excluded:
        return [
            f"{name} was excluded from this procurement on {check.excluded_on:%-d %B %Y}: it cannot be awarded"
        ]
    if (latest is not None and entry is not None) and not (
        check and check.debarment_list_id == latest.pk and check.discretionary_considered
    ):
        return [
            f"{name} is on the debarment list on a discretionary ground ({entry.grounds}): record your "
            "consideration of it in the supplier's exclusion check before the award"
        ]
    if is_covered(procurement) and (problems := check_problems(check, latest, entry)):
        return [
            f"Complete the exclusion check of {name}: {'; '.join(p[0].lower() + p[1:] for p in problems)}"
        ]
    return []


def act_tasks(c: Commission, procurement: Procurement) -> list[gates.Task]:
    """The Do tasks a covered procurement adds before the award decision."""
    if not is_covered(procurement):
        return []
    missing = assessment_missing(procurement)
    checks = rows(procurement)
    to_do = [r for r in checks if r.problems]
    return [
        gates.Task(
            "Conflicts assessment",
            not missing,
            missing[0] if len(missing) == 1 else f"Revise the conflicts assessment ({len(missing)} changes)",
            gates._url("conflicts", c),
            "Everyone who takes part in or influences a decision: prepared before the tender or "
            "transparency notice, revised when someone joins or declares a conflict",
        ),
        gates.Task(
            "Supplier exclusion checks",
            bool(checks) and not to_do,
            f"Check every supplier against the debarment list and the exclusion grounds ({len(to_do)} to do)",
            gates._url("supplier-checks", c),
            "The debarment list, the mandatory and discretionary grounds, and the supplier's core information",
        ),
    ]
