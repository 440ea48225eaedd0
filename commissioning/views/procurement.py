"""Do: the procurement route and written quotes (the tender is in tenders.py, its panel in moderation.py, the
single tender agreement in single_tender.py)."""

from django.contrib.auth.decorators import login_required
from django.urls import reverse

from commissioning import gates
from commissioning.forms.procurement import (
    ChooseQuoteForm,
    QuoteForm,
    RouteForm,
)
from commissioning.models import Route
from commissioning.procurement import required_route
from commissioning.services import procurement as procurement_services
from commissioning.views.common import done, form_page, load_commission, stage_url, tasks_link
from opcc.views.forms import posted, run


@login_required
def route(request, pk):
    commission = load_commission(request, pk, "commissioning.change_commission")
    procurement = gates.current_procurement(commission)
    needed = (
        required_route(commission.estimated_total_value, light_touch=commission.light_touch)
        if commission.estimated_total_value is not None
        else None
    )
    initial = (
        {"route": procurement.route, "route_reason": procurement.route_reason}
        if procurement
        else {"route": needed}
    )
    closed = gates.procurement_closed(commission) if procurement else gates.do_closed(commission)
    form = RouteForm(posted(request, closed), initial=initial)
    ok, _ = run(
        request,
        form,
        lambda d: procurement_services.choose_route(
            commission=commission, route=d["route"], reason=d["route_reason"], by=request.user
        ),
        success="The procurement route has been recorded.",
    )
    if ok:
        return done("do", commission)
    intro = ""
    if needed:
        intro = (
            f"The estimated total value is £{commission.estimated_total_value:,.2f}"
            f"{' (a light-touch service)' if commission.light_touch else ''}. The Financial Regulations require at least: "
            f"{Route(needed).label.lower()}. A heavier route is allowed; a lighter one only by a single tender agreement."
        )
    if closed and procurement:
        intro = f"The route chosen is {procurement.get_route_display().lower()}."
    return form_page(
        request,
        commission,
        form,
        title="Procurement route",
        button="Save the route",
        back=stage_url(pk),
        intro=intro,
        closed=closed,
        closed_link=tasks_link(pk),
    )


@login_required
def quotes(request, pk):
    commission = load_commission(request, pk, "commissioning.change_commission")
    procurement = gates.current_procurement(commission)
    closed = gates.route_closed(commission, Route.ONE_QUOTE, Route.THREE_QUOTES)
    form = QuoteForm(posted(request, closed))
    ok, _ = run(
        request,
        form,
        lambda d: procurement_services.add_quote(commission=commission, by=request.user, **d),
        success="The quote has been recorded.",
    )
    if ok:
        return done("quotes", commission)
    listed = list(procurement.quotes.select_related("organisation")) if procurement else []
    return form_page(
        request,
        commission,
        form,
        title="Written quotes",
        button="Record the quote",
        back=stage_url(pk),
        before="commissioning/_quotes.html",
        closed=closed,
        closed_link=tasks_link(pk),
        extra={
            "procurement": procurement,
            "quotes": listed,
            "can_choose": gates.choose_quote_closed(commission) is None,
        },
    )


@login_required
def choose_quote(request, pk):
    commission = load_commission(request, pk, "commissioning.change_commission")
    procurement = gates.current_procurement(commission)
    listed = list(procurement.quotes.select_related("organisation")) if procurement else []
    closed = gates.choose_quote_closed(commission)
    form = ChooseQuoteForm(
        posted(request, closed),
        quotes=listed,
        initial={
            "quote": str(procurement.chosen_quote_id or "") if procurement else "",
            "reason": procurement.quote_choice_reason if procurement else "",
        },
    )
    ok, _ = run(
        request,
        form,
        lambda d: procurement_services.choose_quote(
            commission=commission, quote=form.quotes[d["quote"]], reason=d["reason"], by=request.user
        ),
        success="The chosen supplier has been recorded.",
    )
    if ok:
        return done("do", commission)
    return form_page(
        request,
        commission,
        form,
        title="Choose the supplier",
        button="Save",
        back=reverse("commissioning:quotes", args=[pk]),
        closed=closed,
        closed_link=tasks_link(pk),
    )
