"""Payments: what is due across the awards, and recording a payment against one."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone

from funding import ledger, selectors
from funding.forms import (
    PaymentForm,
)
from funding.services import awards
from funding.views._common import _visible_award
from opcc.money import gbp, pence
from opcc.permissions import require_view_perm
from opcc.views.forms import run


@login_required
def payments_due(request):
    require_view_perm(request, "funding.view_payments_due")
    today = timezone.localdate()
    page = Paginator(ledger.payments_due(today), 100).get_page(request.GET.get("page"))
    return render(
        request,
        "funding/payments_due.html",
        {
            "page": page,
            "totals": selectors.payments_due_totals(today),
            "today": today,
            "can_pay": request.user.has_perm("funding.record_payment"),
        },
    )


@login_required
def payment_create(request, pk):
    require_view_perm(request, "funding.record_payment")
    award = _visible_award(request, pk)
    award, _timeline = selectors.award_detail(award.pk, timezone.localdate())
    lines = [line for line in award.schedule.all() if line.paid < line.amount]
    initial = {"paid_on": None}
    # From the payments-due list: that scheduled payment, for what can be paid on it now (as the list shows it).
    chosen = next((line for line in lines if str(line.pk) == request.GET.get("line")), None)
    if chosen is not None:
        initial.update(schedule_line=str(chosen.pk), amount=pence(chosen.payable) or None)
    form = PaymentForm(request.POST or None, lines=lines, award=award, initial=initial)

    def pay(data):
        # Any line of the award: one paid in full meanwhile is refused by the ledger, in its words.
        line_id = data["schedule_line"]
        line = (
            next((line for line in award.schedule.all() if str(line.pk) == line_id), None)
            if line_id
            else None
        )
        return awards.record_payment(
            award=award,
            amount=data["amount"],
            paid_on=data["paid_on"],
            by=request.user,
            reference=data["reference"],
            schedule_line=line,
            invoice_received_on=data["invoice_received_on"],
        )

    def recorded(payment) -> str:
        text = f"A payment of {gbp(payment.amount)} to {award.organisation.name} has been recorded"
        if payment.schedule_line_id is None:
            text += (
                f", off the schedule: it reduces {payment.reduces}"
                if payment.reduces
                else ", off the schedule: it reduces no scheduled payment"
            )
        return f"{text}."

    done, _ = run(request, form, pay, success=recorded)
    if done:
        return redirect("funding:award", pk=award.pk)
    return render(request, "funding/payment_form.html", {"form": form, "award": award})
