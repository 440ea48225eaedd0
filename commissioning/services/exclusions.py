"""Supplier exclusions: importing a version of the debarment list, each supplier's check in a procurement, and the
date the Procurement Review Unit was told of an exclusion (s.59: within 30 days)."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from commissioning import debarment, exclusions, gates
from commissioning.models import Commission, DebarmentEntry, DebarmentList, GroundKind, SupplierCheck
from commissioning.services._common import _refuse
from opcc.permissions import require_perm
from opcc.services import documents
from opcc.types import Actor


def check_list_upload(uploaded) -> tuple[documents.CheckedFile, list[debarment.Row]]:
    """The upload's checks, by content: a CSV (whatever its name says), then the list's own columns and rows."""
    checked = documents.check_upload(uploaded, allowed=(documents.CSV,), ragged_rows=True)
    try:
        text = checked.data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = checked.data.decode("cp1252")
    return checked, debarment.parse(text)


@transaction.atomic
def import_list(*, uploaded, list_date: date | None, by: Actor) -> DebarmentList:
    """Keep a new version of the debarment list. Every problem is refused at once and nothing is stored."""
    require_perm(by, "commissioning.import_debarment_list")
    errors: dict[str, list[str]] = {}
    if list_date is None:
        errors["list_date"] = ["Enter the date of the debarment list"]
    elif list_date > timezone.localdate():
        errors["list_date"] = ["The date of the list must be today or in the past"]
    rows: list[debarment.Row] = []
    checked = None
    if uploaded is None:
        errors["file"] = ["Select the debarment list file"]
    else:
        try:
            checked, rows = check_list_upload(uploaded)
        except ValidationError as exc:
            errors["file"] = exc.messages
    if errors or checked is None or list_date is None:
        raise ValidationError(errors)
    version = DebarmentList.objects.create(list_date=list_date, imported_by=by, file_name=checked.name[:255])
    DebarmentEntry.objects.bulk_create(
        DebarmentEntry(
            debarment_list=version,
            supplier_name=row.supplier_name,
            registration_number=row.registration_number,
            cdp_identifier=row.cdp_identifier,
            kind=row.kind,
            grounds=row.grounds,
            entered_on=row.entered_on,
            ends_on=row.ends_on,
        )
        for row in rows
    )
    version.document = documents.store_bytes(
        data=checked.data,
        kind=checked.kind,
        original_name=checked.name,
        attached_to=version,
        by=by,
        purpose="debarment_list",
        title=f"Debarment list of {list_date:%-d %B %Y}",
    )
    version.save(update_fields=["document"])
    return version


def check_problems(values: dict, *, entry, today: date) -> dict[str, str]:
    """Every problem with a supplier check's answers at once (the form asks this too)."""
    errors = {}
    text = lambda key: (values.get(key) or "").strip()  # noqa: E731
    if values.get("mandatory_considered") and not text("mandatory_notes"):
        errors["mandatory_notes"] = "Enter what you considered on the mandatory grounds and what you found"
    if values.get("discretionary_considered") and not text("discretionary_notes"):
        errors["discretionary_notes"] = (
            "Enter what you considered on the discretionary grounds and what you found"
        )
    if text("cdp_identifier") and debarment.normalise_ppon(text("cdp_identifier")) is None:
        errors["cdp_identifier"] = (
            "Enter the central digital platform identifier as the platform shows it, like GB-PPON-ABCD-1234-EFGH"
        )
    shared = values.get("core_information_shared_on")
    if shared and shared > today:
        errors["core_information_shared_on"] = (
            "The date the core supplier information was shared must be today or in the past"
        )
    outcome = values.get("outcome") or ""
    if outcome:
        missing = [
            label
            for key, label in (
                ("mandatory_considered", "consider the mandatory grounds"),
                ("discretionary_considered", "consider the discretionary grounds"),
                ("cdp_identifier", "record the central digital platform identifier"),
                ("core_information_shared_on", "record when the core supplier information was shared"),
            )
            if not values.get(key)
        ]
        if missing:
            errors["outcome"] = f"Before recording the outcome, {', '.join(missing)}"
    if (
        entry is not None
        and entry.kind == GroundKind.MANDATORY
        and outcome == SupplierCheck.Outcome.NOT_EXCLUDED
    ):
        errors["outcome"] = (
            f"The supplier is on the debarment list on a mandatory ground ({entry.grounds}): it must be excluded"
        )
    if (
        entry is not None
        and entry.kind == GroundKind.DISCRETIONARY
        and outcome
        and not text("discretionary_notes")
    ):
        errors["discretionary_notes"] = (
            "The supplier is on the debarment list on a discretionary ground: record your consideration of it"
        )
    errors.update(_exclusion_problems(values, today))
    return errors


def _exclusion_problems(values: dict, today: date) -> dict[str, str]:
    errors = {}
    text = lambda key: (values.get(key) or "").strip()  # noqa: E731
    outcome = values.get("outcome") or ""
    if outcome == SupplierCheck.Outcome.EXCLUDED:
        if not text("exclusion_grounds"):
            errors["exclusion_grounds"] = "Enter the exclusion grounds that apply"
        if not text("exclusion_reasons"):
            errors["exclusion_reasons"] = "Enter the reasons for the exclusion"
        excluded_on = values.get("excluded_on")
        if excluded_on is None:
            errors["excluded_on"] = "Enter the date the supplier was excluded"
        elif excluded_on > today:
            errors["excluded_on"] = "The date of the exclusion must be today or in the past"
        errors.update(pru_problems(values.get("pru_notified_on"), excluded_on, today))
    elif values.get("pru_notified_on"):
        errors["pru_notified_on"] = "The Procurement Review Unit is told only of an exclusion"
    return errors


def pru_problems(notified_on: date | None, excluded_on: date | None, today: date) -> dict[str, str]:
    if notified_on is None:
        return {}
    if notified_on > today:
        return {
            "pru_notified_on": "The date the Procurement Review Unit was told must be today or in the past"
        }
    if excluded_on and notified_on < excluded_on:
        return {
            "pru_notified_on": "The Procurement Review Unit is told on or after the date of the exclusion"
        }
    return {}


@transaction.atomic
def record_check(*, commission: Commission, organisation, by: Actor, **values) -> SupplierCheck:
    """Record (or update) a supplier's check against the latest debarment list. Saved in parts is allowed; the
    outcome needs the whole check, and a supplier debarred on a mandatory ground can only be excluded."""
    require_perm(by, "commissioning.change_commission")
    _refuse(gates.procurement_closed(commission))
    procurement = gates.current_procurement(commission)
    if procurement is None:
        raise ValidationError("Choose the procurement route first")
    if organisation.pk not in {o.pk for o in exclusions.suppliers(procurement)}:
        raise ValidationError("That organisation is not a supplier in this procurement")
    latest = exclusions.latest_list()
    if latest is None:
        raise ValidationError(
            "Import the debarment list first: each supplier is checked against the latest list"
        )
    entry = exclusions.Matcher(latest)(organisation, values.get("cdp_identifier") or "")
    if errors := check_problems(values, entry=entry, today=timezone.localdate()):
        raise ValidationError(errors)
    check = SupplierCheck.objects.select_for_update().filter(
        procurement=procurement, organisation=organisation
    ).first() or SupplierCheck(procurement=procurement, organisation=organisation)
    check.debarment_list, check.debarment_entry, check.checked_by = latest, entry, by
    for key in ("mandatory_notes", "discretionary_notes", "exclusion_grounds", "exclusion_reasons"):
        setattr(check, key, (values.get(key) or "").strip())
    check.mandatory_considered = bool(values.get("mandatory_considered"))
    check.discretionary_considered = bool(values.get("discretionary_considered"))
    check.cdp_identifier = debarment.normalise_ppon(values.get("cdp_identifier") or "") or ""
    check.core_information_shared_on = values.get("core_information_shared_on")
    check.outcome = values.get("outcome") or ""
    excluded = check.outcome == SupplierCheck.Outcome.EXCLUDED
    if not excluded:
        check.exclusion_grounds = check.exclusion_reasons = ""
    check.excluded_on = values.get("excluded_on") if excluded else None
    check.pru_notified_on = values.get("pru_notified_on") if excluded else None
    check.full_clean()
    check.save()
    return check


@transaction.atomic
def record_pru_notice(*, check: SupplierCheck, notified_on: date | None, by: Actor) -> SupplierCheck:
    """The date the Procurement Review Unit was told of an exclusion: recorded whenever it happens, even after the
    award decision has settled the procurement."""
    require_perm(by, "commissioning.change_commission")
    check = SupplierCheck.objects.select_for_update().get(pk=check.pk)
    if not check.is_excluded:
        raise ValidationError("The Procurement Review Unit is told only of an exclusion")
    if notified_on is None:
        raise ValidationError({"pru_notified_on": "Enter the date the Procurement Review Unit was told"})
    if errors := pru_problems(notified_on, check.excluded_on, timezone.localdate()):
        raise ValidationError(errors)
    check.pru_notified_on, check.checked_by = notified_on, by
    check.full_clean()
    check.save()
    return check
