"""Money owed back when an award ends: the list awaiting receipt, recording it owed, recording it received."""

from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render

from funding import ledger
from funding import recovery as reads
from funding.hooks import final_spend_of
from funding.models import Recovery, RecoveryStatus
from funding.recovery_forms import ReceiptForm, RecoveryForm
from funding.services import recoveries
from funding.views._common import _visible_award
from opcc.money import gbp
from opcc.paging import page_of
from opcc.permissions import require_view_perm
from opcc.views.forms import run


@login_required
def recovery_list(request):
    require_view_perm(request, "funding.view_recoveries")
    return render(
        request,
        "funding/recoveries.html",
        {
            "page": page_of(request, reads.awaiting_receipt(), per_page=50),
            "totals": reads.awaiting_totals(),
            "can_record": request.user.has_perm("funding.record_recovery"),
        },
    )


@login_required
def recovery_create(request, pk):
    require_view_perm(request, "funding.record_recovery")
    award = _visible_award(request, pk)
    paid = ledger.paid_on_award(award)
    spend: Decimal | None = final_spend_of(award)
    initial = {}
    if spend is not None:
        initial = {"final_spend": spend, "amount": recoveries.underspend(award, spend) or None}
    form = RecoveryForm(request.POST or None, award=award, initial=initial)

    def record(data):
        return recoveries.record_recovery(
            award=award,
            amount=data["amount"],
            final_spend=data["final_spend"],
            invoice_reference=data["invoice_reference"],
            by=request.user,
        )

    done, _ = run(
        request,
        form,
        record,
        success=lambda r: (
            f"{gbp(r.amount)} is recorded as owed back by {award.organisation.name} "
            f"(invoice {r.invoice_reference})."
        ),
    )
    if done:
        return redirect("funding:award", pk=award.pk)
    context = {"form": form, "award": award, "paid": paid, "reported_spend": spend}
    context["already"] = recoveries.recovered_on_award(award)
    return render(request, "funding/recovery_form.html", context)


@login_required
def recovery_receive(request, pk):
    require_view_perm(request, "funding.record_recovery")
    recovery = get_object_or_404(Recovery.objects.select_related("award__organisation"), pk=pk)
    form = ReceiptForm(request.POST or None)

    def receive(data):
        return recoveries.receive_recovery(
            recovery=recovery,
            received_on=data["received_on"],
            by=request.user,
            expected_state=RecoveryStatus.OWED,
        )

    done, _ = run(
        request,
        form,
        receive,
        success=lambda r: (
            f"{gbp(r.amount)} from {r.award.organisation.name} is recorded as received and "
            f"has gone back to the pot."
        ),
    )
    if done:
        return redirect("funding:award", pk=recovery.award_id)
    return render(request, "funding/recovery_receive.html", {"form": form, "recovery": recovery})
