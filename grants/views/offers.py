"""Offers: the office makes one, the provider reads the letter and accepts."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from funding.models import PaymentScheduleKind
from grants import letters, selectors
from grants.forms.offers import AcceptForm, OfferForm
from grants.models import Application
from grants.services import offers as offer_services
from grants.views._common import _application
from opcc.permissions import require_view_perm
from opcc.services.transitions import transition_named
from opcc.views.documents import as_download
from opcc.views.forms import run


@login_required
def offer_letter(request, pk):
    application = _application(request, pk)
    if not application.award_id or not hasattr(application, "offer"):
        raise Http404("No offer yet")
    offer = application.offer
    if offer.letter_id:
        data = offer.letter.file.open("rb").read()
        offer.letter.file.close()
    else:
        data = selectors.offer_letter_pdf(application)
    return as_download(
        HttpResponse(data, content_type="application/pdf"),
        filename=f"offer-letter-{application.award.reference}.pdf",
    )


@login_required
def accept(request, pk):
    application = _application(request, pk)
    require_view_perm(request, "grants.accept_offer", application)
    if application.status != Application.Status.OFFERED:
        messages.info(request, "There is no offer waiting to be accepted.")
        return redirect("grants:application", pk=application.pk)
    form = AcceptForm(
        request.POST or None, initial={"name": request.user.full_name, "role": request.user.job_title}
    )
    done, _ = run(
        request,
        form,
        lambda data: offer_services.accept_offer(application=application, by=request.user, **data),
        success="You have accepted the offer. Your grant is now active.",
    )
    if done:
        return redirect("grants:application", pk=application.pk)
    return render(
        request,
        "grants/accept.html",
        {"application": application, "form": form, "offer": application.offer, "award": application.award},
    )


@login_required
def offer(request, pk):
    application = _application(request, pk)
    require_view_perm(request, "grants.make_offer", application)
    if transition_named(application, "make_offer") is None:
        messages.info(request, "Only an approved application can be offered.")
        return redirect("grants:application", pk=application.pk)
    initial = {
        "start_date": application.start_date,
        "end_date": application.end_date,
        "schedule_kind": PaymentScheduleKind.IN_ADVANCE
        if application.amount <= 25000
        else PaymentScheduleKind.INSTALMENTS,
        "accept_by": selectors.default_accept_by(application.round, application.start_date),
    }
    initial["signatory_name"], initial["signatory_role"] = selectors.signatory_for(request.user)
    form = OfferForm(request.POST or None, initial=initial)
    pot = None
    try:
        pot = selectors.pot_for(application)
    except ValidationError as exc:
        form.add_error(None, exc.messages)
    done, _ = run(
        request,
        form,
        lambda data: offer_services.make_offer(application=application, by=request.user, **data),
        # Only reached once the pot was found: without one the form carries its error and nothing is offered.
        success=lambda _: (
            f"The offer has been made and {letters.gbp(application.amount)} committed from {pot.name}."
        ),
    )
    if done:
        return redirect("grants:application", pk=application.pk)
    return render(request, "grants/offer.html", {"application": application, "form": form, "pot": pot})
