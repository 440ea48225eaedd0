"""Do: the single tender agreement and its sign-off."""

from django.contrib.auth.decorators import login_required

from commissioning import gates
from commissioning.forms.procurement import (
    ConfirmForm,
    SingleTenderForm,
)
from commissioning.services import single_tender as single_tender_services
from commissioning.views.common import done, form_page, load_commission, stage_url, tasks_link
from opcc.views.forms import posted, run


@login_required
def single_tender(request, pk):
    commission = load_commission(request, pk, "commissioning.change_commission")
    procurement = gates.current_procurement(commission)
    sta = gates._one(procurement, "sta") if procurement else None
    initial = (
        {
            "organisation": sta.organisation_id,
            "ground": sta.ground,
            "justification": sta.justification,
            "value": sta.value,
            "schedule5": sta.schedule5,
        }
        if sta
        else {"value": commission.estimated_total_value}
    )
    closed = gates.single_tender_closed(commission)
    form = SingleTenderForm(posted(request, closed), initial=initial, light_touch=commission.light_touch)
    ok, _ = run(
        request,
        form,
        lambda d: single_tender_services.save_single_tender(commission=commission, by=request.user, **d),
        success="The single tender agreement has been saved. The head of commissioning must sign it off.",
    )
    if ok:
        return done("do", commission)
    return form_page(
        request,
        commission,
        form,
        title="Single tender agreement",
        button="Save the agreement",
        back=stage_url(pk),
        before="commissioning/_sta.html",
        extra={"sta": sta},
        closed=closed,
        closed_link=tasks_link(pk),
        intro="A contract without competition, only on ground (a) or (b), with a written justification and sign-off.",
    )


@login_required
def sign_single_tender(request, pk):
    commission = load_commission(request, pk, "commissioning.sign_single_tender")
    procurement = gates.current_procurement(commission)
    sta = gates._one(procurement, "sta") if procurement else None
    form = ConfirmForm(request.POST or None)
    # Only the person the agreement waits for gets the form; anyone else sees where it stands.
    blocked = (
        sta is None
        or sta.next_signer != request.user.role
        or gates.procurement_closed(commission) is not None
    )
    if not blocked:
        ok, _ = run(
            request,
            form,
            lambda d: single_tender_services.sign_single_tender(commission=commission, by=request.user),
            success="You have signed off the single tender agreement.",
        )
        if ok:
            return done("do", commission)
    if sta is None:
        intro = "There is no single tender agreement to sign off yet."
    elif blocked:
        intro = f"{sta.sign_off_status}." if sta.sign_off_status else ""
        if sta.next_signer and sta.next_signer != request.user.role:
            intro += " Nothing here waits for your sign-off now."
    else:
        intro = f"{sta.sign_off_status}."
    return form_page(
        request,
        commission,
        form,
        title="Sign off the single tender agreement",
        button="Sign off",
        back=stage_url(pk),
        before="commissioning/_sta.html",
        intro=intro.strip(),
        extra={"sta": sta, "blocked": blocked, "blocked_link": (stage_url(pk), "Go to the Do tasks")},
    )
