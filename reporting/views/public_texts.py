"""The publication review of officers' text beyond award titles and purposes: a service's title and description, a
grant's reasons. The list is part of the descriptions page (contract_copies.descriptions); each record is approved
on its own page, as written or edited."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render

from opcc.paging import page_of
from opcc.permissions import require_view_perm
from opcc.views.forms import run
from reporting.forms.public_texts import ApproveTextForm
from reporting.selectors import public_texts as texts
from reporting.services import public_texts as services


def sections(request) -> list[dict]:
    """Each source's records awaiting review, a page each (their own `?<key>=` parameter)."""
    found = []
    for source in texts.SOURCES.values():
        page = page_of(request, texts.awaiting(source), per_page=20, param=source.key)
        found.append({"source": source, "page": page, "rows": texts.review_rows(source, page)})
    return found


@login_required
def review_text(request, source, pk):
    require_view_perm(request, "reporting.review_public_text")
    found = texts.SOURCES.get(source)
    record = found.records().filter(pk=pk).first() if found is not None else None
    if found is None or record is None:
        raise Http404("Nothing of that kind is published")
    form = ApproveTextForm(request.POST or None, source=found, record=record)
    done, _ = run(
        request,
        form,
        lambda data: services.approve_texts(
            source=found, pk=record.pk, texts=form.texts(), seen=form.seen(), by=request.user
        ),
        success=f"Published: {found.name(record)}.",
    )
    if done:
        return redirect("reporting:public-descriptions")
    return render(
        request,
        "reporting/copies/review_text.html",
        {
            "source": found,
            "record": record,
            "form": form,
            "rows": texts.review_rows(found, [record]),
            "own": request.user.pk in found.authors(record),
        },
    )
